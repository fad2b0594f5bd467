"""The six panels, in the order they appear. Each lives in its own module with `Panel(state, parent)`."""

from __future__ import annotations

from studio.ui.panels.audio import AudioPanel
from studio.ui.panels.build import BuildPanel
from studio.ui.panels.data import DataPanel
from studio.ui.panels.explain import ExplainPanel
from studio.ui.panels.export import ExportPanel
from studio.ui.panels.train import TrainPanel

PANELS = (BuildPanel, DataPanel, TrainPanel, ExplainPanel, AudioPanel, ExportPanel)
PANEL_KEYS = tuple(p.KEY for p in PANELS)
