"""Small real projects for trainer tests: graphs built from the real block registry."""

from __future__ import annotations

from typing import Any

from studio.core.graph.model import Edge, Graph, Node
from studio.core.project import Project


def chain(*layers: tuple[str, str, dict[str, Any]], branches: dict[str, list] | None = None) -> Graph:
    """A linear graph of (id, block, params); `branches` maps a node id to extra chains that start there."""
    g = Graph.chain(layers)
    for start, layers_ in (branches or {}).items():
        src = start
        for node_id, block, params in layers_:
            g.add_node(Node(node_id, block, dict(params)))
            g.edges.append(Edge(src, node_id))
            src = node_id
    return g


def make_project(graph: Graph, data: dict[str, Any], **training: Any) -> Project:
    base = {"optimizer": "adam", "lr": 1e-2, "batch_size": 64, "epochs": 2, "seed": 0, "device": "cpu",
            "layer_stats_every": 10}
    base.update(training)
    return Project(name="test", graph=graph, data={"val_fraction": 0.2, "augment": {}, "options": {}, **data},
                   training=base)


def digits_mlp(hidden: int = 32, classes: int = 10) -> Graph:
    return chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                 ("fc1", "Linear", {"out_features": hidden}), ("act", "ReLU", {}),
                 ("fc2", "Linear", {"out_features": classes}), ("head", "ClassificationHead", {}))
