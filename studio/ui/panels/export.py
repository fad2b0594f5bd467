"""Export: ship a trained run (ONNX, TorchScript, code, state_dict), make it smaller, and try the file.

Three cards over `studio.core.export`: export a run with optional INT8 and pruning (checked against
PyTorch, measured before and after), distil a run into a smaller student, and run an .onnx file on
dataset samples or an image. Slow work runs on job runners (`studio.ui.common.jobs`): exports and
distillations one at a time, opening an .onnx file the newest request wins; the page stays
responsive and shows the core's own message when something is refused. The main window routes
dropped .onnx files here through `open_onnx`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QWidget

from studio.ui import theme
from studio.ui.common import style
from studio.ui.common.file_drops import FileDrops
from studio.ui.common.run_list import OffersRuns, RunList
from studio.ui.drops import ONNX, RUN, is_image
from studio.ui.export.distill_section import DistillSection
from studio.ui.export.export_section import ExportSection
from studio.ui.export.inference_section import InferenceSection
from studio.ui.panels.base import PanelPage
from studio.ui.panels.inputs import Incoming, Input, TakesInputs
from studio.ui.state import AppState
from studio.ui.try_view.view import TryView


class ExportPanel(TakesInputs, FileDrops, OffersRuns, PanelPage):
    KEY = "export"
    INPUTS = (Input(RUN, shows=False), Input(ONNX))

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ExportPanel", "Export")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body.parentWidget().setMaximumWidth(1180)
        self.add_header(self.tr("Export"),
                        self.tr("Take a trained run out of Studio, smaller and faster if you like, "
                                "with every export checked against the original."))
        self.known_runs = RunList(state, self)
        self.export_section = ExportSection()
        self.distill_section = DistillSection(lambda: self.state.project)
        self.inference = InferenceSection(self._sample_candidates)
        self.try_view = TryView(self.known_runs)  # draw or drop an image for a trained run
        for card in (self.export_section, self.try_view, self.inference, self.distill_section):
            self.body.addSpacing(6)
            self.body.addWidget(card)
        self.known_runs.attach(self.export_section.runs)
        self.known_runs.attach(self.distill_section.teacher)
        self.export_section.runs.browsed.connect(self.add_run)
        self.export_section.exported.connect(self._on_exported)
        self.distill_section.teacher.browsed.connect(lambda p: self.add_run(p, teacher=True))
        self.distill_section.distilled.connect(self._on_distilled)
        state.project_replaced.connect(self._on_project_replaced)
        self._styled_for = ""
        self.restyle()
        self.refresh_runs()

    # --- runs -----------------------------------------------------------------------------------
    def add_run(self, path: Path, teacher: bool = False) -> bool:
        """Add a run folder chosen by hand to the lists and select it (or say why it is not a run)."""
        path = Path(path).resolve()
        if not self.known_runs.add(path):
            message = self.tr("{path} is not a run folder: it needs project.json and best.pt or checkpoint.pt, "
                              "as `studio train` writes them").format(path=path)
            (self.distill_section if teacher else self.export_section).verdict.show_verdict(
                "error", "✕", self.tr("Not a run"), message)
            return False
        (self.distill_section.teacher if teacher else self.export_section.runs).select(path)
        return True

    def _on_project_replaced(self) -> None:
        self.distill_section.fill_students()
        self.refresh_runs()

    def _on_exported(self, report: dict) -> None:
        """"Try an ONNX file" follows the export: the file just written (the INT8 one when INT8 was
        asked for), not whichever file was open before."""
        out = Path(report.get("out", ""))
        if report.get("format") == "onnx" and out.is_file():
            self.inference.open_onnx(out)

    def _on_distilled(self, run_dir: Path | None) -> None:
        self.refresh_runs()
        if run_dir is not None:
            self.add_run(run_dir)
            self.ensureWidgetVisible(self.export_section)

    def _sample_candidates(self) -> list[dict]:
        return [dict(self.state.project.data), {"dataset": "digits"}]

    # --- files from outside ---------------------------------------------------------------------
    def receive(self, item: Incoming) -> bool:
        """A run joins the lists (selected); an .onnx file opens in the inference view."""
        if item.kind == RUN:
            return self.add_run(item.path)
        return self.open_onnx(item.path)

    def open_onnx(self, path: str | Path) -> bool:
        """Show the inference view on an .onnx file (the main window routes dropped .onnx files here)."""
        self.ensureWidgetVisible(self.inference)
        return self.inference.open_onnx(Path(path))

    def open_file(self, path: Path) -> bool:
        if path.suffix.lower() == ".onnx":
            return self.open_onnx(path)
        if is_image(path):
            self.ensureWidgetVisible(self.inference)
            self.inference.classify_image(path)
            return True
        return False

    def accepts_file(self, path: Path) -> bool:
        return path.suffix.lower() == ".onnx" or is_image(path)

    def drop_order(self, path: Path) -> object:
        # A model first, then an image, so dropping both at once classifies the image with the model.
        return path.suffix.lower() != ".onnx"

    def drop_zone(self) -> QWidget:
        return self.inference.drop_zone

    # --- theme ----------------------------------------------------------------------------------
    def restyle(self) -> None:
        name = theme.current_theme()
        if name == self._styled_for:
            return
        self._styled_for = name
        self.widget().setStyleSheet(style.export_sheet())
        self.export_section.table.restyle()
        self.distill_section.table.restyle()
        self.inference.bars.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.ApplicationPaletteChange):
            # theme.apply_theme records the new name after Qt announced the change: look once it has.
            QTimer.singleShot(0, self, self.restyle)
        super().changeEvent(event)
