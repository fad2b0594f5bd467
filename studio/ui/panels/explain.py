"""Explain: look inside a trained network: CAM heatmaps, filters, activations, feature visualisation.

The page is three parts over `studio.core.explain`: what to explain (a run of the project, any run
folder, the latest checkpoint of a training still running, or a torchvision model), the input (a
validation sample or an image file dropped on the page), and four views of it in tabs. Every
model call runs on a worker thread (`studio.ui.explain.worker`); the GUI thread only shows pixels.
A mistake (not a run folder, a layer without a spatial map, an unreadable image) shows the core's
one-line message where it happened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QWidget

from studio.ui import theme
from studio.ui.explain import style
from studio.ui.explain.activations_view import ActivationsPane
from studio.ui.explain.cam_view import CamPane
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.feature_view import FeaturePane
from studio.ui.explain.filters_view import FiltersPane
from studio.ui.explain.input_card import IMAGE_SUFFIXES, InputCard
from studio.ui.explain.source_card import SourceCard
from studio.ui.explain.subject import Subject
from studio.ui.export.runs import find_runs, is_run_folder, run_roots
from studio.ui.panels.base import PanelPage
from studio.ui.state import AppState


def _dropped(event) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def _usable(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES or path.is_dir()


class ExplainPanel(PanelPage):
    KEY = "explain"

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
        self.extra_runs: list[Path] = []
        self.source = SourceCard()
        self.inputs = InputCard(self.context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.cam = CamPane(self.context)
        self.filters = FiltersPane(self.context)
        self.activations = ActivationsPane(self.context)
        self.feature = FeaturePane(self.context)
        self.tabs.addTab(self.cam, self.tr("Heatmap (CAM)"))
        self.tabs.addTab(self.filters, self.tr("Filters"))
        self.tabs.addTab(self.activations, self.tr("Activations"))
        self.tabs.addTab(self.feature, self.tr("Feature visualisation"))
        pickers = QHBoxLayout()
        pickers.setSpacing(14)
        pickers.addWidget(self.source, 3)
        pickers.addWidget(self.inputs, 2)
        self.body.addSpacing(4)
        self.body.addLayout(pickers)
        self.body.addSpacing(4)
        self.body.addWidget(self.tabs)
        self.source.loaded.connect(self._on_loaded)
        self.source.runs.refresh_requested.connect(self.refresh_runs)
        self.source.runs.browsed.connect(self.add_run)
        self.cam.sample_requested.connect(self._show_sample_from_grid)
        state.project_replaced.connect(self.refresh_runs)
        state.run_started.connect(lambda _run: self.refresh_runs())
        state.run_ended.connect(lambda _run: self.refresh_runs())
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._styled_for = ""
        self.restyle()
        self.refresh_runs()

    # --- models ---------------------------------------------------------------------------------
    def run_roots(self) -> list[Path]:
        """runs/ beside the project and in the working folder, and where the Train panel puts unsaved projects' runs."""
        return run_roots(self.state.path)

    def refresh_runs(self) -> None:
        self.source.runs.set_runs(find_runs(self.run_roots(), self.extra_runs, self.state.project.name))

    def add_run(self, path: Path) -> bool:
        """Open any folder as a run; a folder that is not one shows the core's message."""
        path = Path(path).resolve()
        self.source.kind.set_value("run")
        if not is_run_folder(path):
            self.source.open_run(path, self.source.checkpoint.value())
            return False
        if path not in self.extra_runs:
            self.extra_runs.append(path)
        self.source.runs.blockSignals(True)
        self.refresh_runs()
        self.source.runs.select(path)
        self.source.runs.blockSignals(False)
        self.source.open_run(path, self.source.checkpoint.value())
        return True

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
    def open_file(self, path: Path) -> bool:
        """An image becomes the input; a folder is opened as a run."""
        path = Path(path)
        if path.is_dir():
            return self.add_run(path)
        if path.suffix.lower() in IMAGE_SUFFIXES:
            if self.tabs.currentWidget() is self.feature:
                self.tabs.setCurrentWidget(self.cam)
            return self.inputs.open_image(path)
        return False

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if any(_usable(p) for p in _dropped(event)):
            event.acceptProposedAction()
            self._hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if any(_usable(p) for p in _dropped(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self._hover(False)
        files = [p for p in _dropped(event) if _usable(p)]
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in sorted(files, key=lambda p: not p.is_dir()):  # a run first, then its image
            self.open_file(path)

    def _hover(self, on: bool) -> None:
        zone = self.inputs.drop_zone
        zone.setProperty("hover", "true" if on else "false")
        zone.style().unpolish(zone)
        zone.style().polish(zone)

    # --- theme ----------------------------------------------------------------------------------
    def restyle(self) -> None:
        name = theme.current_theme()
        if name == self._styled_for:
            return
        first = not self._styled_for
        self._styled_for = name
        self.widget().setStyleSheet(style.panel_sheet())
        if not first:  # grids are drawn on the card's colour
            self.filters.invalidate()
            self.activations.invalidate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()
        super().changeEvent(event)

    def workers(self) -> list:
        return [self.source.worker, self.inputs.worker, self.cam.worker, self.filters.worker,
                self.activations.worker, self.feature.worker]
