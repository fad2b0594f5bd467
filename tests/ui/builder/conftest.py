"""Fixtures for the builder: a Build panel on a real project, and helpers that drive the mouse."""

from __future__ import annotations

import pytest

from studio.core.project import load_project
from studio.core.resources import TEMPLATES


@pytest.fixture
def make_panel(qtbot):
    """A shown Build panel on a fresh copy of a template (the MNIST CNN unless named)."""
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    def _make(template: str = "mnist_cnn", size=(1400, 860)):
        state = AppState(load_project(TEMPLATES / f"{template}.studio.json"))
        panel = BuildPanel(state)
        qtbot.addWidget(panel)
        panel.resize(*size)
        panel.show()
        qtbot.waitExposed(panel)
        qtbot.wait(30)  # let the first fit run
        return panel

    return _make
