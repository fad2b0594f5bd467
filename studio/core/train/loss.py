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


def training_heads(heads: Iterable[HeadInfo], cfg: TrainConfig, boxes: dict[str, torch.Tensor] | None = None
                   ) -> list[HeadInfo]:
    """The heads as a run trains them: `cfg.label_smoothing` on each classification or segmentation
    head whose own label_smoothing is 0 (a head's own value wins); with `boxes` (the training split's
    targets by name), each DetectionHead's "auto" anchors computed from its target's boxes and each
    SegmentationHead's `balanced` class weights from its target's masks."""
    heads = list(heads)
    if boxes is not None and any(h.kind == "detection" for h in heads):
        from studio.core.detection.yolo import with_anchors

        heads = with_anchors(heads, boxes)
    if boxes is not None:
        heads = [_balanced(h, boxes[h.target]) if h.kind == "segmentation" and h.target in boxes
                 and h.params.get("class_weights") == "balanced" else h for h in heads]
    if not cfg.label_smoothing:
        return heads
    return [replace(h, params={**h.params, "label_smoothing": float(cfg.label_smoothing)})
            if h.kind in SMOOTHED_KINDS and not h.params.get("label_smoothing") else h for h in heads]


def _balanced(head: HeadInfo, masks: torch.Tensor) -> HeadInfo:
    """The head with `balanced` replaced by the inverse class frequencies of the training masks."""
    from studio.core.graph.heads import class_balance_weights

    shape = head.output_shape
    classes = int(shape[1]) if len(shape) == 4 and isinstance(shape[1], int) else int(masks.max()) + 1
    return replace(head, params={**head.params, "class_weights": class_balance_weights(masks, classes)})


def total_loss(heads: Sequence[HeadInfo], outputs: Sequence[torch.Tensor],
               y: dict[str, torch.Tensor], series: dict[str, list[torch.Tensor]] | None = None) -> torch.Tensor:
    """The run's loss for one batch: each head's loss on its output and target, weighted, summed.

    With `series` (the trainer's per-step buffer), a DetectionHead appends its loss parts there as
    device tensors (`loss_box`, `loss_obj`, `loss_cls`; a second detection head's named after its node)."""
    total = None
    first_detection = next((h.node_id for h in heads if h.kind == "detection"), None)
    for head, out in zip(heads, outputs, strict=False):
        if head.kind == "detection" and series is not None:
            prefix = "" if head.node_id == first_detection else f"{head.node_id}."
            part = _detection_with_parts(head, out, y[head.target], series, prefix) * float(head.weight)
            total = part if total is None else total + part
            continue
        part = head_loss(head, out, y[head.target]) * float(head.weight)
        total = part if total is None else total + part
    return total


def _detection_with_parts(head: HeadInfo, output: torch.Tensor, target: torch.Tensor,
                          series: dict[str, list[torch.Tensor]], prefix: str) -> torch.Tensor:
    from studio.core.detection.yolo import head_loss_parts

    parts = head_loss_parts(head, output, target)
    for name, value in parts.items():
        series.setdefault(f"{prefix}loss_{name}", []).append(value.detach())
    return parts["box"] + parts["obj"] + parts["cls"]
