"""Fixtures for the export tests: one small real training run on `digits`, shared by the session.

The run is trained by Studio's own trainer (a few seconds on a CPU), so every export test works on
the same kind of folder a user's `studio train` leaves behind.
"""

from __future__ import annotations

import pytest
import torch

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


def chain_project(name: str, nodes: list[Node], epochs: int = 4, dataset: str = "digits",
                  options: dict | None = None) -> Project:
    """A project whose nodes are wired in a chain, trained on the CPU with a fixed seed."""
    graph = Graph()
    for node in nodes:
        graph.add_node(node)
    ids = [n.id for n in nodes]
    for src, dst in zip(ids, ids[1:], strict=False):
        graph.connect(src, dst)
    project = Project(name=name, graph=graph)
    project.data.update(dataset=dataset, options=dict(options or {}))
    project.training.update(epochs=epochs, batch_size=64, device="cpu", seed=0, lr=2e-3)
    return project


def small_cnn_project(epochs: int = 4) -> Project:
    return chain_project("small digits cnn", [
        Node("image", "Input", {"shape": [1, 8, 8]}),
        Node("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        Node("relu1", "ReLU"),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"out_features": 64}),
        Node("relu2", "ReLU"),
        Node("fc2", "Linear", {"out_features": 10}),
        Node("head", "ClassificationHead"),
    ], epochs=epochs)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> str:
    """A run folder of a small CNN trained on digits (best.pt, checkpoint.pt, project.json, run.json)."""
    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    run_dir = tmp_path_factory.mktemp("export") / "run"
    event = run_training(small_cnn_project(), run_dir)
    assert event["event"] == "done", event
    assert event["best_val_accuracy"] > 0.9, "the fixture model should have learnt the digits"
    return str(run_dir)


@pytest.fixture(scope="session")
def source(trained_run):
    from studio.core.export.run_source import load_run

    return load_run(trained_run)
