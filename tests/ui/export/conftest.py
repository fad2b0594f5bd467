"""Fixtures for the Export panel: one tiny real training run per session, and a shown panel on it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


def tiny_cnn_project() -> Project:
    """A small CNN on the built-in 8×8 digits, quick to train on a CPU."""
    graph = Graph()
    nodes = [
        Node("image", "Input", {"shape": [1, 8, 8]}),
        Node("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        Node("relu1", "ReLU"),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"out_features": 64}),
        Node("relu2", "ReLU"),
        Node("fc2", "Linear", {"out_features": 10}),
        Node("head", "ClassificationHead"),
    ]
    for node in nodes:
        graph.add_node(node)
    for src, dst in zip(nodes, nodes[1:], strict=False):
        graph.connect(src.id, dst.id)
    project = Project(name="tiny digits cnn", graph=graph)
    project.data.update(dataset="digits", options={})
    project.training.update(epochs=4, batch_size=64, device="cpu", seed=0, lr=3e-3)
    return project


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
