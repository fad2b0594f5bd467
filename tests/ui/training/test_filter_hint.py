"""Before any checks ran, the filter pane says the right thing for the model (issue 20, item 10):
the MNIST CNN has a convolution (its filters will show), the MLP template has none."""

from __future__ import annotations

import pytest

from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.ui.state import AppState


@pytest.fixture
def state(qtbot):
    return AppState(load_project(TEMPLATES / "mnist_cnn.studio.json"))


def test_the_filter_hint_follows_the_model(qtbot, train_panel, state):
    hint = train_panel.recipe.filter_image
    assert hint.isVisible()
    assert hint.text() == "Run the recipe checks to see the first layer's filters."
    assert "convolution" not in hint.text()
    state.replace(load_project(TEMPLATES / "mlp.studio.json"), None)
    assert hint.text() == "This model has no convolution, so it has no first-layer filters to show."
    state.replace(load_project(TEMPLATES / "mnist_cnn.studio.json"), None)
    assert hint.text() == "Run the recipe checks to see the first layer's filters."
    assert hint.width() >= hint.fontMetrics().horizontalAdvance(hint.text())  # one line, not cut
