"""Choosing what to explain: a trained run (best or latest weights, following a training) or a torchvision model.

Loading compiles the graph, reads the checkpoint, loads the data set and probes the layers, so it
runs on a worker. With "Latest" and "Follow training", a newer checkpoint.pt (written each epoch
by a training that is still running) is picked up within a couple of seconds and every view
redraws with the new weights; the input stays where it was.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.train.run_layout import RunLayout
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.messages import ERROR, MessageBar, Msg
from studio.ui.common.run_chooser import RunChooser
from studio.ui.common.widgets import Card, FieldGrid, Segmented
from studio.ui.explain.subject import (
    TORCHVISION_MODELS,
    Subject,
    load_run_subject,
    load_torchvision_subject,
)
from studio.ui.explain.widgets import ProgressLine

FOLLOW_INTERVAL_MS = 2000


class SourceCard(Card):
    """Emits `loaded(subject, same_model)`; `same_model` is True for newer weights of the shown run.

    `cleared` says that the model asked for could not be loaded: whatever was shown before belongs
    to another model and must go, or its pictures would sit under the new run's name.
    """

    loaded = Signal(object, bool)
    cleared = Signal()
    MESSAGES = (Msg("load_failed", ERROR),)
    """Why the run or model file could not be loaded."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Model"), parent=parent, compact=True)
        self.worker = QtJobRunner("explain-load", parent=self)
        self.worker.result.connect(self._on_loaded)
        self.worker.error.connect(self._on_failed)
        self.subject: Subject | None = None
        self._reloading = False
        self._deferred: Path | None = None
        self._asked_for = ""
        """The name of the run or model being loaded (named again if it fails)."""
        grid = FieldGrid()
        self.kind = Segmented([("run", self.tr("Trained run")), ("torchvision", self.tr("torchvision model"))])
        grid.add_row(self.tr("Explain"), self.kind)
        self.stack = QStackedWidget()
        # a run
        run_row = QWidget()
        rows = QVBoxLayout(run_row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        self.runs = RunChooser()
        self.runs.combo.setMinimumContentsLength(22)
        self.checkpoint = Segmented([("best", self.tr("Best")), ("last", self.tr("Latest"))])
        self.checkpoint.setToolTip(self.tr("Best: the weights that scored best on validation. "
                                           "Latest: the last checkpoint, also while a training is still running."))
        self.follow = QCheckBox(self.tr("Follow training"))
        self.follow.setToolTip(self.tr("Reload the latest checkpoint whenever the training writes a new one"))
        rows.addWidget(self.runs)
        line = QHBoxLayout()
        line.setSpacing(12)
        weights = QLabel(self.tr("Weights"))
        weights.setObjectName("FieldLabel")
        line.addWidget(weights)
        line.addWidget(self.checkpoint)
        line.addWidget(self.follow)
        line.addStretch(1)
        rows.addLayout(line)
        self.stack.addWidget(run_row)
        # a torchvision model
        tv_row = QWidget()
        line = QHBoxLayout(tv_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(10)
        self.tv_model = QComboBox()
        for name in TORCHVISION_MODELS:
            self.tv_model.addItem(name, name)
        self.tv_weights = Segmented([("pretrained", self.tr("Pretrained (ImageNet)")),
                                     ("random", self.tr("Random weights"))])
        self.tv_weights.setToolTip(self.tr("Pretrained weights are downloaded once when online. Random weights need "
                                           "no download but the network has learned nothing."))
        self.tv_load = QPushButton(self.tr("Load"))
        self.tv_load.setObjectName("Primary")
        line.addWidget(self.tv_model)
        line.addWidget(self.tv_weights)
        line.addWidget(self.tv_load)
        line.addStretch(1)
        self.stack.addWidget(tv_row)
        grid.addWidget(self.stack, grid.rowCount(), 0, 1, 2)
        self.column.addLayout(grid)
        self.loading = ProgressLine(self.worker)
        self.loading.cancel_button.hide()
        self.column.addWidget(self.loading)
        self.facts = QLabel(self.tr("No model loaded yet."))
        self.facts.setObjectName("Facts")
        self.facts.setWordWrap(True)
        self.column.addWidget(self.facts)
        self.error = MessageBar(self.MESSAGES)
        self.column.addWidget(self.error)

        self.kind.changed.connect(self._on_kind)
        self.runs.chosen.connect(self._on_run_chosen)
        self.checkpoint.changed.connect(lambda _k: self._on_run_chosen(self.runs.path()))
        self.follow.toggled.connect(self._on_follow)
        self.tv_load.clicked.connect(self.load_torchvision)
        self._timer = QTimer(self)
        self._timer.setInterval(FOLLOW_INTERVAL_MS)
        self._timer.timeout.connect(self.check_for_newer)

    # --- choosing -------------------------------------------------------------------------------
    def _on_kind(self, kind: str) -> None:
        self.stack.setCurrentIndex(0 if kind == "run" else 1)

    def _on_run_chosen(self, path: Path | None) -> None:
        if path is None or self.kind.value() != "run":
            return
        if not self.isVisible():  # a hidden panel (another tab in front) loads nothing until it is shown
            self._deferred = path
            return
        self.open_run(path, self.checkpoint.value())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        path, self._deferred = self._deferred, None
        if path is not None and self.subject is None and not self.worker.busy:
            self.open_run(path, self.checkpoint.value())

    def _on_follow(self, on: bool) -> None:
        if on and self.checkpoint.value() != "last":
            self.checkpoint.set_value("last")
        if on:
            self._timer.start()
        else:
            self._timer.stop()

    def open_run(self, path: Path, which: str = "best") -> None:
        """Load a run folder (the core's message in the banner if it is not one)."""
        self._reloading = False
        self._deferred = None
        self._asked_for = Path(path).name
        self._begin(self.tr("Loading {name}…").format(name=Path(path).name))
        self.worker.submit(lambda _job: load_run_subject(path, which))

    def load_torchvision(self) -> None:
        name = self.tv_model.currentData()
        pretrained = self.tv_weights.value() == "pretrained"
        self.kind.set_value("torchvision")
        self._reloading = False
        self._asked_for = f"torchvision {name}"
        self._begin(self.tr("Loading torchvision {name}…").format(name=name))
        self.worker.submit(lambda _job: load_torchvision_subject(name, pretrained))

    def check_for_newer(self) -> bool:
        """With Follow training: reload when the run's checkpoint file is newer than the loaded one."""
        subject = self.subject
        if subject is None or subject.run_dir is None or self.worker.busy:
            return False
        file = RunLayout(subject.run_dir).checkpoint(subject.checkpoint)
        if file is None:
            return False
        try:
            mtime = file.stat().st_mtime
        except OSError:
            return False
        if subject.checkpoint_mtime is not None and mtime <= subject.checkpoint_mtime:
            return False
        run_dir, which = subject.run_dir, subject.checkpoint
        self._reloading = True
        self.worker.submit(lambda _job: load_run_subject(run_dir, which, with_samples=False))
        return True

    # --- results --------------------------------------------------------------------------------
    def _begin(self, text: str) -> None:
        self.error.clear()
        self.loading.start(text)

    def _on_loaded(self, subject: Subject) -> None:
        self.loading.stop()
        self.error.clear()
        same = self._reloading and self.subject is not None and self.subject.run_dir == subject.run_dir
        self.subject = subject
        facts = f"<b>{subject.title}</b>  ·  {subject.details}"
        if subject.samples_note:
            facts += f"<br><span>{subject.samples_note}</span>"
        self.facts.setText(facts)
        self.loaded.emit(subject, same)

    def _on_failed(self, message: str, _user_error: bool) -> None:
        self.loading.stop()
        if self._reloading:  # a checkpoint caught mid-write: try again at the next tick
            self._reloading = False
            return
        name = self._asked_for
        self.subject = None
        self.facts.setText(self.tr("<b>{name}</b> could not be loaded, so nothing is shown: choose another run "
                                   "or fix this one.").format(name=escape(name)))
        self.error.show_message("load_failed", message if not name or name in message else f"{name}: {message}")
        self.cleared.emit()
