"""Fixtures for the Explain panel: tiny real training runs (once per session), and a shown panel on them."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from explain_ui_support import settle, tiny_shapes_project
from mnist_template_run import train_mnist_template


@pytest.fixture(scope="session")
def shapes_run(tmp_path_factory) -> Path:
    """A run folder written by Studio's trainer on `shapes` (60 steps)."""
    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    run_dir = tmp_path_factory.mktemp("explain-ui") / "runs" / "tiny-shapes"
    event = run_training(tiny_shapes_project(), run_dir, {"max_steps": 60})
    assert event["event"] == "done", event
    return run_dir


@pytest.fixture
def make_panel(qtbot):
    from studio.ui.panels.explain import ExplainPanel
    from studio.ui.state import AppState

    panels = []

    def _make():
        panel = ExplainPanel(AppState(tiny_shapes_project()))
        qtbot.addWidget(panel)
        panel.resize(1320, 1100)
        panel.show()
        qtbot.waitExposed(panel)
        panels.append(panel)
        return panel

    yield _make
    for panel in panels:
        for worker in panel.workers():
            worker.cancel()
            worker.wait(30)


@pytest.fixture
def panel(make_panel, shapes_run, qtbot):
    """A shown Explain panel with the tiny run loaded and its first validation image as input."""
    widget = make_panel()
    widget.open_run(shapes_run)
    settle(qtbot, widget)
    assert widget.context.subject is not None, widget.source.error.label.text()
    return widget


@pytest.fixture(scope="session")
def mnist_run(tmp_path_factory) -> Path:
    """The shipped MNIST CNN template after a short training (60 steps)."""
    return train_mnist_template(tmp_path_factory.mktemp("explain-ui") / "runs" / "mnist")


@pytest.fixture
def mnist_panel(make_panel, mnist_run, qtbot):
    """A shown Explain panel with the MNIST CNN run loaded and its first validation digit as input."""
    widget = make_panel()
    widget.open_run(mnist_run)
    settle(qtbot, widget)
    assert widget.context.subject is not None, widget.source.error.label.text()
    return widget
