"""A run chooser: the known runs in a list, a Browse button for any other run folder, and a refresh."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from studio.ui.common.runs import RunInfo, describe_run, is_run_folder


def _age(seconds: float) -> str:
    from PySide6.QtCore import QCoreApplication

    if seconds < 90:
        return QCoreApplication.translate("RunChooser", "just now")
    if seconds < 5400:
        return QCoreApplication.translate("RunChooser", "{n} min ago").format(n=int(seconds // 60))
    if seconds < 36 * 3600:
        return QCoreApplication.translate("RunChooser", "{n} h ago").format(n=int(seconds // 3600))
    return QCoreApplication.translate("RunChooser", "{n} days ago").format(n=int(seconds // 86400))


class RunChooser(QWidget):
    """Emits `chosen(path or None)` when the selection changes; `browsed(path)` for a folder picked by hand."""

    chosen = Signal(object)
    browsed = Signal(object)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        self.combo = QComboBox()
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setMinimumContentsLength(30)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.currentIndexChanged.connect(lambda _i: self.chosen.emit(self.path()))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setToolTip(self.tr("Choose a run folder written by `studio train`"))
        self.browse_button.clicked.connect(self._browse)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Look for new runs in the runs/ folders"))
        self.refresh_button.clicked.connect(self.refresh_requested)
        line.addWidget(self.combo, 1)
        line.addWidget(self.browse_button)
        line.addWidget(self.refresh_button)
        self._empty_text = self.tr("No trained runs found: train one, or browse to a run folder")

    def set_runs(self, runs: list[RunInfo], keep: Path | None = None) -> None:
        keep = keep or self.path()
        self.combo.blockSignals(True)
        self.combo.clear()
        now = time.time()
        for run in runs:
            acc = "" if run.accuracy is None else f" · {100 * run.accuracy:.1f}%"
            self.combo.addItem(f"{run.name} — {run.project}{acc} · {_age(now - run.mtime)}", str(run.path))
            self.combo.setItemData(self.combo.count() - 1, str(run.path), 3)  # tooltip: the full path
        if not runs:
            self.combo.addItem(self._empty_text, None)
        index = self.combo.findData(str(keep)) if keep else -1
        self.combo.setCurrentIndex(max(0, index))
        self.combo.setEnabled(bool(runs))
        self.combo.blockSignals(False)
        self.chosen.emit(self.path())

    def path(self) -> Path | None:
        data = self.combo.currentData()
        return Path(data) if data else None

    def select(self, path: Path) -> bool:
        index = self.combo.findData(str(Path(path).resolve()))
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def _browse(self) -> None:
        start = str(self.path().parent) if self.path() else str(Path.cwd())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a run folder"), start)
        if folder:
            self.browsed.emit(Path(folder))


def run_facts(path: Path) -> RunInfo | None:
    return describe_run(path) if is_run_folder(path) else None
