"""What a recipe check's result depends on, so a view can tell results of an earlier configuration.

A check measures one model, one data set and one training config. Shown after any of them changed,
its PASS says nothing about what will train now (the issue's green "configured lr 0.001 within ..."
under the red banner of an lr 50 run). `check_basis(project)` is the part of a project the checks
read; `basis_changes(old, new)` names what differs. Run options that change only how long or where
training runs (epochs, device, compile, ...) are left out: no check reads them. Node positions are
left out too: moving a block on the canvas changes no result.

The LR range test sets its own lrs, so its sweep (and suggestion) still holds when only `lr`
changed: `same_but_lr` tells the verdicts they may use it (recipe/evidence.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studio.core.errors import UserError
from studio.core.train.config import TrainConfig

UNREAD_TRAINING = frozenset({"epochs", "device", "early_stopping", "min_delta", "layer_stats_every", "compile",
                             "compile_mode", "channels_last"})
"""Training keys no recipe check reads (how long, where and how fast a run goes)."""


@dataclass(frozen=True)
class Change:
    """One difference: `key` is "graph", "data" or a training key; `old`/`new` its values (None for
    the graph and the data, which are too big to name)."""

    key: str
    old: Any = None
    new: Any = None


def check_basis(project) -> dict[str, Any]:
    """The graph (without positions), the data section and the training config the checks read."""
    graph = project.graph.to_dict()
    nodes = [{k: v for k, v in node.items() if k != "pos"} for node in graph.get("nodes", [])]
    try:
        training = TrainConfig.from_dict(project.training).to_dict()
    except UserError:  # a value the trainer would refuse: compare the raw section instead
        training = dict(project.training)
    training = {k: v for k, v in training.items() if k not in UNREAD_TRAINING}
    return {"graph": {"nodes": nodes, "edges": graph.get("edges", [])}, "data": dict(project.data),
            "training": training}


def basis_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    """What differs from `old` to `new`: the graph, the data, then each training key (sorted)."""
    if old is None or new is None or old == new:
        return []
    out = [Change(part) for part in ("graph", "data") if old.get(part) != new.get(part)]
    a, b = old.get("training", {}), new.get("training", {})
    out += [Change(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return out


def same_but_lr(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """True when nothing but the lr differs (an LR range test's sweep still holds)."""
    return old is not None and new is not None and all(c.key == "lr" for c in basis_changes(old, new))
