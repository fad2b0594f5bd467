"""The Data panel's options form: a Data panel on its own over an AppState."""

from __future__ import annotations

import pytest
from data_form_support import digits_project

from studio.ui.state import AppState


@pytest.fixture
def state(qtbot):
    return AppState(digits_project())


@pytest.fixture
def panel(qtbot, state):
    from studio.ui.panels.data import DataPanel

    page = DataPanel(state)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.snapshot is not None and not page.busy, timeout=60_000)
    return page
