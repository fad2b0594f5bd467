"""Export: ship a trained run (ONNX, TorchScript, code, state_dict), make it smaller, and try the file.

Three cards over `studio.core.export`: export a run with optional INT8 and pruning (checked against
PyTorch, measured before and after), distil a run into a smaller student, and run an .onnx file on
dataset samples or an image. Slow work runs on threads (`studio.ui.export.worker`); the page stays
responsive and shows the core's own message when something is refused. The main window routes
dropped .onnx files here through `open_onnx`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from studio.ui import theme
from studio.ui.export import style
from studio.ui.export.distill_section import DistillSection
from studio.ui.export.export_section import ExportSection
from studio.ui.export.inference_section import IMAGE_SUFFIXES, InferenceSection
from studio.ui.export.runs import find_runs, is_run_folder, run_roots
from studio.ui.panels.base import PanelPage
from studio.ui.state import AppState


def _dropped_files(event) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def _droppable(path: Path) -> bool:
    return path.suffix.lower() == ".onnx" or path.suffix.lower() in IMAGE_SUFFIXES


class ExportPanel(PanelPage):
    KEY = "export"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ExportPanel", "Export")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body.parentWidget().setMaximumWidth(1180)
        self.add_header(self.tr("Export"),
                        self.tr("Take a trained run out of Studio, smaller and faster if you like, "
                                "with every export checked against the original."))
        self.extra_runs: list[Path] = []
        self.export_section = ExportSection()
        self.distill_section = DistillSection(lambda: self.state.project)
        self.inference = InferenceSection(self._sample_candidates)
        for card in (self.export_section, self.inference, self.distill_section):
            self.body.addSpacing(6)
            self.body.addWidget(card)
        self.export_section.runs.refresh_requested.connect(self.refresh_runs)
        self.export_section.runs.browsed.connect(self.add_run)
        self.export_section.exported.connect(self._on_exported)
        self.distill_section.teacher.refresh_requested.connect(self.refresh_runs)
        self.distill_section.teacher.browsed.connect(lambda p: self.add_run(p, teacher=True))
        self.distill_section.distilled.connect(self._on_distilled)
        state.project_replaced.connect(self._on_project_replaced)
        state.run_started.connect(lambda _run: self.refresh_runs())
        state.run_ended.connect(lambda _run: self.refresh_runs())
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._styled_for = ""
        self.restyle()
        self.refresh_runs()

    # --- runs -----------------------------------------------------------------------------------
    def refresh_runs(self) -> None:
        runs = find_runs(run_roots(self.state.path), self.extra_runs, self.state.project.name)
        self.export_section.runs.set_runs(runs)
        self.distill_section.teacher.set_runs(runs)

    def add_run(self, path: Path, teacher: bool = False) -> bool:
        """Add a run folder chosen by hand to the lists and select it (or say why it is not a run)."""
        path = Path(path).resolve()
        if not is_run_folder(path):
            message = self.tr("{path} is not a run folder: it needs project.json and best.pt or checkpoint.pt, "
                              "as `studio train` writes them").format(path=path)
            (self.distill_section if teacher else self.export_section).verdict.show_verdict(
                "error", "✕", self.tr("Not a run"), message)
            return False
        if path not in self.extra_runs:
            self.extra_runs.append(path)
        self.refresh_runs()
        (self.distill_section.teacher if teacher else self.export_section.runs).select(path)
        return True

    def _on_project_replaced(self) -> None:
        self.distill_section.fill_students()
        self.refresh_runs()

    def _on_exported(self, report: dict) -> None:
        out = Path(report.get("out", ""))
        if report.get("format") == "onnx" and out.is_file() and self.inference.model is None:
            self.inference.open_onnx(out)

    def _on_distilled(self, run_dir: Path | None) -> None:
        self.refresh_runs()
        if run_dir is not None:
            self.add_run(run_dir)
            self.ensureWidgetVisible(self.export_section)

    def _sample_candidates(self) -> list[dict]:
        return [dict(self.state.project.data), {"dataset": "digits"}]

    # --- files from outside ---------------------------------------------------------------------
    def open_onnx(self, path: str | Path) -> bool:
        """Show the inference view on an .onnx file (the main window routes dropped .onnx files here)."""
        self.ensureWidgetVisible(self.inference)
        return self.inference.open_onnx(Path(path))

    def open_file(self, path: Path) -> bool:
        if path.suffix.lower() == ".onnx":
            return self.open_onnx(path)
        if path.suffix.lower() in IMAGE_SUFFIXES:
            self.ensureWidgetVisible(self.inference)
            self.inference.classify_image(path)
            return True
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if any(_droppable(p) for p in _dropped_files(event)):
            event.acceptProposedAction()
            self._hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if any(_droppable(p) for p in _dropped_files(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._hover(False)
        files = [p for p in _dropped_files(event) if _droppable(p)]
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        # A model first, then an image, so dropping both at once classifies the image with the model.
        for path in sorted(files, key=lambda p: p.suffix.lower() != ".onnx"):
            self.open_file(path)

    def _hover(self, on: bool) -> None:
        zone = self.inference.drop_zone
        zone.setProperty("hover", "true" if on else "false")
        zone.style().unpolish(zone)
        zone.style().polish(zone)

    # --- theme ----------------------------------------------------------------------------------
    def restyle(self) -> None:
        name = theme.current_theme()
        if name == self._styled_for:
            return
        self._styled_for = name
        self.widget().setStyleSheet(style.panel_sheet())
        self.export_section.table.restyle()
        self.distill_section.table.restyle()
        self.inference.bars.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.ApplicationPaletteChange):
            # theme.apply_theme records the new name after Qt announced the change: look once it has.
            QTimer.singleShot(0, self, self.restyle)
        super().changeEvent(event)
