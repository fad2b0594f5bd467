"""Small Studio projects for the export tests (a helper module; the fixtures are in conftest.py)."""

from __future__ import annotations

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


def chain_project(name: str, nodes: list[Node], epochs: int = 4, dataset: str = "digits",
                  options: dict | None = None) -> Project:
    """A project whose nodes are wired in a chain, trained on the CPU with a fixed seed."""
    project = Project(name=name, graph=Graph.chain(nodes))
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
