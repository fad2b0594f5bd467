"""Small Studio projects for the export tests (a helper module; the fixtures are in conftest.py)."""

from __future__ import annotations

from model_layers import digits_cnn_nodes

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
    return chain_project("small digits cnn", digits_cnn_nodes(), epochs=epochs)
