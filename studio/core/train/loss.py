"""The loss a run minimises, in one place: the trainer and the recipe checks both train with it.

A run's loss is the sum of its heads' losses, each times the head's `weight` (a graph with several
heads is multi-task learning), with the config's label smoothing put on the classification and
segmentation heads that set none of their own. The recipe checks must measure that same loss, or
what they find (the LR range test's suggested lr above all) is for another objective than the run's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import torch

from studio.core.graph.heads import HeadInfo, head_loss
from studio.core.train.config import TrainConfig

SMOOTHED_KINDS = ("classification", "segmentation")


def training_heads(heads: Iterable[HeadInfo], cfg: TrainConfig) -> list[HeadInfo]:
    """The heads as a run trains them: `cfg.label_smoothing` on each classification or segmentation
    head whose own label_smoothing is 0 (a head's own value wins)."""
    heads = list(heads)
    if not cfg.label_smoothing:
        return heads
    return [replace(h, params={**h.params, "label_smoothing": float(cfg.label_smoothing)})
            if h.kind in SMOOTHED_KINDS and not h.params.get("label_smoothing") else h for h in heads]


def total_loss(heads: Sequence[HeadInfo], outputs: Sequence[torch.Tensor],
               y: dict[str, torch.Tensor]) -> torch.Tensor:
    """The run's loss for one batch: each head's loss on its output and target, weighted, summed."""
    total = None
    for head, out in zip(heads, outputs, strict=False):
        part = head_loss(head, out, y[head.target]) * float(head.weight)
        total = part if total is None else total + part
    return total
