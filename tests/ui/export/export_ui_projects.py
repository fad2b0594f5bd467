"""The small project the Export panel tests train (a helper module; fixtures are in conftest.py)."""

from __future__ import annotations

from model_layers import digits_cnn_nodes

from studio.core.graph.model import Graph
from studio.core.project import Project


def tiny_cnn_project() -> Project:
    """A small CNN on the built-in 8×8 digits, quick to train on a CPU."""
    project = Project(name="tiny digits cnn", graph=Graph.chain(digits_cnn_nodes()))
    project.data.update(dataset="digits", options={})
    project.training.update(epochs=4, batch_size=64, device="cpu", seed=0, lr=3e-3)
    return project
