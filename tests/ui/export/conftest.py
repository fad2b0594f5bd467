"""Fixtures for the Export panel: one tiny real training run per session, and a shown panel on it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from export_ui_projects import tiny_cnn_project


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> Path:
    """A run folder written by Studio's trainer (30 steps: enough to be well above chance)."""
    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    run_dir = tmp_path_factory.mktemp("export-ui") / "runs" / "tiny-digits"
    event = run_training(tiny_cnn_project(), run_dir, {"max_steps": 30})
    assert event["event"] == "done", event
    assert event["best_val_accuracy"] > 0.5
    return run_dir


@pytest.fixture
def panel(qtbot, tiny_run):
    """A shown Export panel with the tiny run selected."""
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState

    state = AppState(tiny_cnn_project())
    widget = ExportPanel(state)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.add_run(tiny_run)
    yield widget
    for task in (widget.export_section.task, widget.distill_section.task, widget.inference.task):
        task.wait(60)


@pytest.fixture(scope="session")
def tiny_onnx(tiny_run, tmp_path_factory) -> Path:
    """The tiny run exported to ONNX by the core (the inference tests start from a file)."""
    from studio.core.export.pipeline import ExportOptions, export_run

    out = tmp_path_factory.mktemp("export-ui-onnx") / "tiny.onnx"
    report = export_run(tiny_run, ExportOptions(out=out, latency=False))
    assert report["passed"]
    return out
