"""Train/Data panel tests: a panel on its own over an AppState (the main window is the shell's)."""

from __future__ import annotations

import pytest
from ui_builders import make_project

from studio.ui.state import AppState


@pytest.fixture
def state(qtbot):
    return AppState(make_project())


@pytest.fixture
def train_panel(qtbot, state):
    from studio.ui.panels.train import TrainPanel

    panel = TrainPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1300, 900)
    panel.show()
    yield panel
    panel.controller.shutdown()
    panel.runner.cancel()
    panel.runner.wait(30)
