"""The small project the Export panel tests train (a helper module; fixtures are in conftest.py)."""

from __future__ import annotations

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


def tiny_cnn_project() -> Project:
    """A small CNN on the built-in 8×8 digits, quick to train on a CPU."""
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
    project = Project(name="tiny digits cnn", graph=Graph.chain(nodes))
    project.data.update(dataset="digits", options={})
    project.training.update(epochs=4, batch_size=64, device="cpu", seed=0, lr=3e-3)
    return project
