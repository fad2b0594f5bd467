"""Explain: look inside a trained network: CAM heatmaps, filters, activations, feature visualisation.

The page is three parts over `studio.core.explain`: what to explain (a run of the project, any run
folder, the latest checkpoint of a training still running, or a torchvision model), the input (a
validation sample or an image file dropped on the page), and four views of it in tabs. Every
model call runs on a job runner (`studio.ui.common.jobs`); the GUI thread only shows pixels.
A mistake (not a run folder, a layer without a spatial map, an unreadable image) shows the core's
one-line message where it happened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QWidget

from studio.ui import theme
from studio.ui.common import style
from studio.ui.common.file_drops import FileDrops
from studio.ui.common.run_list import OffersRuns, RunList
from studio.ui.drops import IMAGE, RUN, is_image
from studio.ui.explain.activations_view import ActivationsPane
from studio.ui.explain.cam_view import CamPane
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.feature_view import FeaturePane
from studio.ui.explain.few_shot_card import FewShotPane
from studio.ui.explain.filters_view import FiltersPane
from studio.ui.explain.input_card import InputCard
from studio.ui.explain.source_card import SourceCard
from studio.ui.explain.subject import Subject
from studio.ui.panels.base import PanelPage
from studio.ui.panels.inputs import Incoming, Input, TakesInputs
from studio.ui.state import AppState


class ExplainPanel(TakesInputs, FileDrops, OffersRuns, PanelPage):
    KEY = "explain"
    INPUTS = (Input(RUN), Input(IMAGE))

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ExplainPanel", "Explain")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body.parentWidget().setMaximumWidth(1280)
        self.add_header(self.tr("Explain"),
                        self.tr("See where a trained network looks, what its filters learned and what each "
                                "channel responds to, on validation images or your own."))
        self.context = ExplainContext(self)
        self.known_runs = RunList(state, self)
        self.source = SourceCard()
        self.inputs = InputCard(self.context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.cam = CamPane(self.context)
        self.filters = FiltersPane(self.context)
        self.activations = ActivationsPane(self.context)
        self.feature = FeaturePane(self.context)
        self.few_shot = FewShotPane(self.context)
        self.tabs.addTab(self.cam, self.tr("Heatmap (CAM)"))
        self.tabs.addTab(self.filters, self.tr("Filters"))
        self.tabs.addTab(self.activations, self.tr("Activations"))
        self.tabs.addTab(self.feature, self.tr("Feature visualisation"))
        self.tabs.addTab(self.few_shot, self.tr("Few-shot"))
        pickers = QHBoxLayout()
        pickers.setSpacing(14)
        pickers.addWidget(self.source, 3)
        pickers.addWidget(self.inputs, 2)
        self.body.addSpacing(4)
        self.body.addLayout(pickers)
        self.body.addSpacing(4)
        self.body.addWidget(self.tabs)
        self.source.loaded.connect(self._on_loaded)
        self.source.cleared.connect(lambda: self.context.set_subject(None))
        self.known_runs.attach(self.source.runs)
        self.source.runs.browsed.connect(self.add_run)
        self.cam.sample_requested.connect(self._show_sample_from_grid)
        state.project_replaced.connect(self.refresh_runs)
        self._styled_for = ""
        self.restyle()
        self.refresh_runs()

    # --- models ---------------------------------------------------------------------------------
    def add_run(self, path: Path) -> bool:
        """Open any folder as a run; a folder that is not one shows the core's message."""
        path = Path(path).resolve()
        self.source.kind.set_value("run")
        self.source.runs.blockSignals(True)  # the run is opened once, below, not again on selection
        added = self.known_runs.add(path)
        if added:
            self.source.runs.select(path)
        self.source.runs.blockSignals(False)
        self.source.open_run(path, self.source.checkpoint.value())
        return added

    def open_run(self, path: Path, which: str = "best") -> None:
        self.source.checkpoint.blockSignals(True)
        self.source.checkpoint.set_value(which)
        self.source.checkpoint.blockSignals(False)
        self.add_run(path)

    def _on_loaded(self, subject: Subject, same_model: bool) -> None:
        if same_model:
            self.context.replace_model(subject)
        else:
            self.context.set_subject(subject)

    def _show_sample_from_grid(self, index: int) -> None:
        self.inputs.show_sample(index)

    # --- files from outside ---------------------------------------------------------------------
    def receive(self, item: Incoming) -> bool:
        """A run opens with the weights asked for; an image becomes the input."""
        if item.kind == RUN:
            self.open_run(item.path, item.checkpoint)
            return True
        return self.open_file(item.path)

    def open_file(self, path: Path) -> bool:
        """An image becomes the input; a folder is opened as a run."""
        path = Path(path)
        if path.is_dir():
            return self.add_run(path)
        if is_image(path):
            if self.tabs.currentWidget() in (self.feature, self.few_shot):  # views without an input image
                self.tabs.setCurrentWidget(self.cam)
            return self.inputs.open_image(path)
        return False

    def accepts_file(self, path: Path) -> bool:
        return is_image(path) or path.is_dir()

    def drop_order(self, path: Path) -> object:
        return not path.is_dir()  # a run first, then its image

    def drop_zone(self) -> QWidget:
        return self.inputs.drop_zone

    # --- theme ----------------------------------------------------------------------------------
    def restyle(self) -> None:
        name = theme.current_theme()
        if name == self._styled_for:
            return
        first = not self._styled_for
        self._styled_for = name
        self.widget().setStyleSheet(style.explain_sheet())
        if not first:  # grids are drawn on the card's colour
            self.filters.invalidate()
            self.activations.invalidate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(event)

    def workers(self) -> list:
        return [self.source.worker, self.inputs.worker, self.cam.worker, self.filters.worker,
                self.activations.worker, self.feature.worker, self.few_shot.worker]
