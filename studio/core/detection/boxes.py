"""Boxes, IoU and non-maximum suppression, written with plain torch ops.

Boxes are (x0, y0, x1, y1) ("xyxy") unless a name says otherwise; "cxcywh" is centre and size,
"xywh" the top-left corner and size. The arithmetic follows torchvision.ops step by step (the same
float operations in the same order), so IoU and NMS give bit-identical results to
`torchvision.ops.box_iou` and `torchvision.ops.nms` on the CPU, ties and degenerate boxes included
(tests/core/detection/test_boxes.py checks it against torchvision, the reference implementation):

* an area is (x1 - x0) * (y1 - y0) with no clamping, so a box with x1 < x0 has a negative area;
* the intersection's width and height are clamped at 0;
* IoU = intersection / (area_a + area_b - intersection): 0 / 0 (two empty boxes) is NaN, and a NaN
  IoU never suppresses;
* NMS visits boxes by decreasing score, equal scores in their input order (a stable sort), keeps a
  box unless a kept one overlaps it with IoU strictly above the threshold.
"""

from __future__ import annotations

import torch

FORMATS = ("xyxy", "xywh", "cxcywh")


def _upcast(t: torch.Tensor) -> torch.Tensor:
    """float16/bfloat16 -> float32, small ints -> int32, so areas cannot overflow."""
    if t.is_floating_point():
        return t if t.dtype in (torch.float32, torch.float64) else t.float()
    return t if t.dtype in (torch.int32, torch.int64) else t.int()


def convert(boxes: torch.Tensor, src: str, dst: str) -> torch.Tensor:
    """Boxes (..., 4) from format `src` to `dst` (xyxy, xywh, cxcywh)."""
    for fmt in (src, dst):
        if fmt not in FORMATS:
            raise ValueError(f"unknown box format {fmt!r}: use one of {', '.join(FORMATS)}")
    if src == dst:
        return boxes.clone()
    if src == "xywh":
        x, y, w, h = boxes.unbind(-1)
        boxes, src = torch.stack((x, y, x + w, y + h), dim=-1), "xyxy"
    elif src == "cxcywh":
        cx, cy, w, h = boxes.unbind(-1)
        boxes = torch.stack((cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h), dim=-1)
        src = "xyxy"
    if dst == "xyxy":
        return boxes
    x0, y0, x1, y1 = boxes.unbind(-1)
    if dst == "xywh":
        return torch.stack((x0, y0, x1 - x0, y1 - y0), dim=-1)
    return torch.stack(((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0), dim=-1)


def box_area(boxes: torch.Tensor) -> torch.Tensor:
    """(x1 - x0) * (y1 - y0) of xyxy boxes (..., 4); negative for a box whose corners are swapped."""
    boxes = _upcast(boxes)
    return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pairwise IoU (N, M) of xyxy boxes a (N, 4) and b (M, 4): overlap area over union area."""
    area_a = box_area(a)
    area_b = box_area(b)
    lt = torch.max(a[..., None, :2], b[..., None, :, :2])
    rb = torch.min(a[..., None, 2:], b[..., None, :, 2:])
    wh = _upcast(rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[..., None] + area_b[..., None, :] - inter
    return inter / union


def elementwise_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """IoU of a[i] with b[i] for xyxy boxes (..., 4) of the same shape (a union of 0 gives 0)."""
    lt = torch.max(a[..., :2], b[..., :2])
    rb = torch.min(a[..., 2:], b[..., 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a).clamp(min=0) + box_area(b).clamp(min=0) - inter
    return inter / union.clamp(min=1e-12)


_BLOCK = 512
"""Rows of the IoU table NMS holds at once: memory is _BLOCK x N, not N x N."""


def _greedy(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float,
            classes: torch.Tensor | None) -> torch.Tensor:
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise ValueError(f"boxes must be (N, 4), not {tuple(boxes.shape)}")
    if scores.shape != boxes.shape[:1]:
        raise ValueError(f"scores must be (N,) for {boxes.shape[0]} boxes, not {tuple(scores.shape)}")
    n = int(boxes.shape[0])
    if n == 0:
        return torch.empty(0, dtype=torch.long, device=boxes.device)
    order = torch.sort(scores, dim=0, descending=True, stable=True).indices
    b = boxes.index_select(0, order)
    c = classes.index_select(0, order) if classes is not None else None
    x0, y0, x1, y1 = b.unbind(1)
    areas = (x1 - x0) * (y1 - y0)
    removed = torch.zeros(n, dtype=torch.bool)
    keep: list[int] = []
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        # IoU of this block of boxes with every box, the kernel's formula: inter / (a_i + a_j - inter)
        w = (torch.min(x1[start:stop, None], x1[None]) - torch.max(x0[start:stop, None], x0[None])).clamp(min=0)
        h = (torch.min(y1[start:stop, None], y1[None]) - torch.max(y0[start:stop, None], y0[None])).clamp(min=0)
        inter = w * h
        over = inter / (areas[start:stop, None] + areas[None] - inter) > iou_threshold
        if c is not None:
            over &= c[start:stop, None] == c[None]
        over = over.cpu().numpy()
        gone = removed.numpy()
        for i in range(start, stop):
            if gone[i]:
                continue
            keep.append(i)
            row = over[i - start]
            row[: i + 1] = False  # only later (lower-scored) boxes are suppressed
            gone |= row
    return order[torch.tensor(keep, dtype=torch.long, device=order.device)]


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Class-agnostic NMS: indices of the boxes kept, by decreasing score (as torchvision.ops.nms)."""
    return _greedy(boxes, scores, float(iou_threshold), None)


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, classes: torch.Tensor,
                iou_threshold: float) -> torch.Tensor:
    """Per-class NMS: a box only suppresses boxes of its own class. Indices kept, by decreasing score
    (equal scores in input order); restricted to one class it is exactly `nms` of that class's boxes."""
    if classes.shape != scores.shape:
        raise ValueError(f"classes must be (N,) like scores, not {tuple(classes.shape)}")
    return _greedy(boxes, scores, float(iou_threshold), classes)
