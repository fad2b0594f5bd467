"""What an import produces: the graph, its weights, and a summary of what mapped to what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import torch

from studio.core.graph.model import Graph


@dataclass
class ImportResult:
    graph: Graph
    weights: dict[str, torch.Tensor]
    """The compiled graph's state_dict entries (node id + "." + key), what the side file holds."""
    source: str
    """What was imported: "torchvision:resnet18", a file name, ..."""
    input_shape: tuple[int, ...]
    native: dict[str, int] = field(default_factory=dict)
    """Native blocks made, by block name."""
    opaque: list[dict[str, Any]] = field(default_factory=list)
    """One entry per Module block: its node id, parameter count and what it holds."""
    reference_params: int | None = None
    """The source model's own parameter count, where known."""

    def summary(self) -> dict[str, Any]:
        return {"source": self.source, "input_shape": list(self.input_shape), "nodes": len(self.graph.nodes),
                "native": dict(sorted(self.native.items())), "opaque": self.opaque,
                "reference_params": self.reference_params}


def count_native(graph: Graph) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for node in graph.nodes:
        if node.block != "Module":
            out[node.block] += 1
    return dict(out)


def layout(graph: Graph, row: float = 90.0, column: float = 220.0) -> None:
    """Canvas positions: one row per longest-path depth, branches side by side."""
    depth: dict[str, int] = {}
    incoming: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        incoming[e.dst].append(e.src)
    for node in graph.nodes:  # nodes are in topological order
        depth[node.id] = 1 + max((depth.get(s, 0) for s in incoming[node.id]), default=-1)
    used: dict[int, int] = defaultdict(int)
    for node in graph.nodes:
        d = depth[node.id]
        node.pos = (column * used[d], row * d)
        used[d] += 1
