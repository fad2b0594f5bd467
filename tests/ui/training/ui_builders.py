"""Small real projects for the Train and Data panel tests (built-in digits, tiny MLPs)."""

from __future__ import annotations

from typing import Any

from studio.core.graph.model import Graph
from studio.core.project import Project


def chain(*layers: tuple[str, str, dict[str, Any]]) -> Graph:
    return Graph.chain(layers)


def digits_mlp(hidden: int = 32, dropout: float | None = 0.2) -> Graph:
    layers = [("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
              ("fc1", "Linear", {"out_features": hidden}), ("act", "ReLU", {})]
    if dropout is not None:
        layers += [("drop1", "Dropout", {"p": dropout})]
    layers += [("fc2", "Linear", {"out_features": hidden}), ("act2", "ReLU", {})]
    if dropout is not None:
        layers += [("drop2", "Dropout", {"p": dropout})]
    layers += [("out", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})]
    return chain(*layers)


def make_project(graph: Graph | None = None, data: dict[str, Any] | None = None, **training: Any) -> Project:
    base = {"optimizer": "adam", "lr": 3e-3, "batch_size": 64, "epochs": 3, "seed": 0, "device": "cpu",
            "layer_stats_every": 5}
    base.update(training)
    return Project(name="ui-test", graph=graph or digits_mlp(),
                   data={"dataset": "digits", "val_fraction": 0.2, "augment": {}, "options": {}, **(data or {})},
                   training=base)
