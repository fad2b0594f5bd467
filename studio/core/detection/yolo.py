"""The YOLO grid: anchors from the data, the loss (box, objectness, class) and decoding to boxes.

The network before a DetectionHead ends in a convolution whose output (N, B·(5+C), S_y, S_x) gives
every cell of an S_y × S_x grid B predictions, one per anchor box, each of 5 + C numbers:

    (tx, ty, tw, th, to, class scores c_1 … c_C)

decoded as in YOLOv2: the box centre is ((col + σ(tx)) / S_x, (row + σ(ty)) / S_y), its size
(a_w·e^tw, a_h·e^th) for the anchor (a_w, a_h), its objectness σ(to), its class the softmax of the
scores; all as fractions of the image side.

Targets are the `boxes` of a detection data set: (N, M, 5) rows (class, x0, y0, x1, y1), class -1
for padding. Each true box is given to the cell holding its centre and to the anchor whose shape
fits it best (IoU of the two sizes, centres together); that prediction is "responsible" for it.

The loss of a batch, summed over the grid and divided by the number of images:

* box: λ_box · [(σ(tx) − x̂)² + (σ(ty) − ŷ)² + (tw − log(w/a_w))² + (th − log(h/a_h))²] over the
  responsible predictions (x̂, ŷ: the centre's offset inside its cell);
* objectness: binary cross-entropy of σ(to) against 1 for responsible predictions and 0 for the
  others, the others weighted λ_noobj, and those whose decoded box already overlaps a true box with
  IoU above `ignore_iou` left out (they are good boxes that are simply not the responsible one);
* class: cross-entropy of the class scores over the responsible predictions.

Nothing here waits for the device (no `.item()`, no boolean indexing): boxes that are padding, fall
outside the image, have no area or name an unknown class get the weight 0; two boxes given to the same
cell and anchor leave the one listed last. `check_boxes` (labels.py) names such labels before a run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from studio.core.detection.boxes import batched_nms, box_iou
from studio.core.errors import UserError

DEFAULT_ANCHORS = ((0.1, 0.1), (0.2, 0.2), (0.35, 0.35), (0.5, 0.5), (0.7, 0.7), (0.3, 0.15), (0.15, 0.3),
                   (0.6, 0.3), (0.3, 0.6))
"""Anchors used when a head's anchors are "auto" but no data is at hand (a shape check)."""
PARTS = ("box", "obj", "cls")


# --- anchors ----------------------------------------------------------------------------------

def wh_iou(wh: torch.Tensor, anchors: torch.Tensor) -> torch.Tensor:
    """IoU (K, A) of box sizes (K, 2) and anchor sizes (A, 2) with their centres put together."""
    inter = torch.min(wh[:, None, 0], anchors[None, :, 0]) * torch.min(wh[:, None, 1], anchors[None, :, 1])
    union = wh[:, None, 0] * wh[:, None, 1] + anchors[None, :, 0] * anchors[None, :, 1] - inter
    return inter / union.clamp_min(1e-12)


def kmeans_anchors(wh: torch.Tensor, k: int, iterations: int = 100) -> torch.Tensor:
    """k anchor sizes (k, 2) from box sizes (K, 2) by k-means with the distance 1 − IoU (YOLOv2),
    smallest first. Deterministic: the clusters start at k quantiles of the box areas. With fewer
    distinct sizes than k, the missing anchors repeat the largest."""
    wh = wh.double()
    wh = wh[(wh > 0).all(dim=1)]
    if wh.shape[0] == 0:
        return torch.tensor(DEFAULT_ANCHORS[:k], dtype=torch.float32)
    order = torch.argsort(wh.prod(dim=1), stable=True)
    pick = ((torch.arange(k, dtype=torch.float64) + 0.5) / k * wh.shape[0]).long().clamp(max=wh.shape[0] - 1)
    centres = wh[order[pick]].clone()
    for _ in range(iterations):
        nearest = wh_iou(wh, centres).argmax(dim=1)
        new = centres.clone()
        for c in range(k):
            members = wh[nearest == c]
            if members.shape[0]:
                new[c] = members.median(dim=0).values if members.shape[0] > 2 else members.mean(dim=0)
        if torch.equal(new, centres):
            break
        centres = new
    centres = centres[torch.argsort(centres.prod(dim=1), stable=True)]
    return centres.float()


def box_sizes(boxes: torch.Tensor) -> torch.Tensor:
    """(w, h) of the real boxes (class >= 0, inside the image after clipping, with an area) of a
    (N, M, 5) boxes target."""
    b = boxes.reshape(-1, 5).float()
    corners = b[:, 1:].nan_to_num(0.0).clamp(0.0, 1.0)
    wh = corners[:, 2:] - corners[:, :2]
    ok = (b[:, 0] >= 0) & (wh > 0).all(dim=1)
    return wh[ok]


def parse_anchors(value: Any, count: int, node_id: str = "") -> list[list[float]] | None:
    """A head's `anchors`: None for "auto", else `count` (w, h) pairs from a list or from text
    "w,h; w,h; ..." (fractions of the image side, each in (0, 1])."""
    where = f"DetectionHead '{node_id}'" if node_id else "DetectionHead"
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "auto")):
        return None
    pairs: list[list[float]] = []
    try:
        if isinstance(value, str):
            for part in value.replace("x", ",").split(";"):
                if part.strip():
                    w, h = (float(v) for v in part.split(","))
                    pairs.append([w, h])
        else:
            pairs = [[float(w), float(h)] for w, h in value]
    except (TypeError, ValueError):
        raise UserError(f"{where}: anchors {value!r} are not 'auto' or pairs 'w,h; w,h; ...'",
                        "write e.g. 0.1,0.1; 0.25,0.25; 0.5,0.5 (fractions of the image side), or auto") from None
    if len(pairs) != count:
        raise UserError(f"{where}: {len(pairs)} anchors given for num_anchors {count}",
                        f"give {count} pairs w,h, or set anchors to auto")
    if not all(0 < v <= 1 and math.isfinite(v) for p in pairs for v in p):
        raise UserError(f"{where}: anchor sizes must be fractions of the image side in (0, 1], not {value!r}",
                        "e.g. 0.1,0.1 for a tenth of the image, or set anchors to auto")
    return pairs


def resolve_anchors(head: Any, boxes: torch.Tensor | None) -> list[list[float]]:
    """The head's anchors as (w, h) pairs: its own, else k-means on the data's box sizes, else defaults."""
    count = int(head.params.get("num_anchors", 3))
    given = parse_anchors(head.params.get("anchors", "auto"), count, head.node_id)
    if given is not None:
        return given
    if boxes is None:
        return [list(p) for p in DEFAULT_ANCHORS[:count]]
    return [[round(float(w), 4), round(float(h), 4)] for w, h in kmeans_anchors(box_sizes(boxes), count).tolist()]


_ANCHOR_CACHE: dict[tuple, torch.Tensor] = {}


def anchors_tensor(head: Any, device: torch.device | None = None) -> torch.Tensor:
    """The head's anchors (B, 2) on `device`, made once per anchors and device (a step must not copy
    them to the GPU again: that would wait for the device)."""
    pairs = resolve_anchors(head, None)
    key = (tuple(map(tuple, pairs)), str(device))
    cached = _ANCHOR_CACHE.get(key)
    if cached is None:
        if len(_ANCHOR_CACHE) > 64:
            _ANCHOR_CACHE.clear()
        cached = _ANCHOR_CACHE[key] = torch.tensor(pairs, dtype=torch.float32, device=device)
    return cached


# --- the grid ---------------------------------------------------------------------------------

def grid_view(output: torch.Tensor, num_anchors: int) -> torch.Tensor:
    """(N, B·(5+C), S_y, S_x) -> (N, S_y, S_x, B, 5+C)."""
    n, ch, sy, sx = output.shape
    return output.reshape(n, num_anchors, ch // num_anchors, sy, sx).permute(0, 3, 4, 1, 2)


def decode(output: torch.Tensor, anchors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Boxes (N, S_y·S_x·B, 4) xyxy in image fractions, objectness (N, K) and class probabilities
    (N, K, C) of every prediction of the grid."""
    p = grid_view(output.float(), anchors.shape[0])
    n, sy, sx, b, _ = p.shape
    rows = torch.arange(sy, device=p.device, dtype=p.dtype).view(1, sy, 1, 1)
    cols = torch.arange(sx, device=p.device, dtype=p.dtype).view(1, 1, sx, 1)
    cx = (cols + torch.sigmoid(p[..., 0])) / sx
    cy = (rows + torch.sigmoid(p[..., 1])) / sy
    a = anchors.to(p.device, p.dtype)
    w = a[:, 0] * torch.exp(p[..., 2].clamp(max=6.0))
    h = a[:, 1] * torch.exp(p[..., 3].clamp(max=6.0))
    boxes = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1).reshape(n, -1, 4)
    obj = torch.sigmoid(p[..., 4]).reshape(n, -1)
    cls = torch.softmax(p[..., 5:], dim=-1).reshape(n, sy * sx * b, -1)
    return boxes, obj, cls


def detect(output: torch.Tensor, anchors: torch.Tensor, score_threshold: float = 0.05, nms_iou: float = 0.45,
           max_detections: int = 100, pre_nms: int = 300) -> list[dict[str, torch.Tensor]]:
    """Per image the boxes after per-class NMS: {"boxes" (K, 4), "scores" (K,), "classes" (K,)},
    by decreasing score. score = objectness × the best class's probability."""
    boxes, obj, cls = decode(output.detach(), anchors)
    prob, label = cls.max(dim=-1)
    scores = obj * prob
    out = []
    for i in range(boxes.shape[0]):
        s = scores[i]
        top = torch.argsort(s, descending=True, stable=True)[:pre_nms]
        top = top[s[top] > score_threshold]
        b, sc, c = boxes[i, top].clamp(0.0, 1.0), s[top], label[i, top]
        keep = batched_nms(b, sc, c, nms_iou)[:max_detections]
        out.append({"boxes": b[keep].cpu(), "scores": sc[keep].cpu(), "classes": c[keep].cpu()})
    return out


# --- the loss ---------------------------------------------------------------------------------

def _clean_targets(target: torch.Tensor, num_classes: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(classes (N, M) int64, corners (N, M, 4) clipped to the image, valid (N, M)) of a boxes target;
    NaNs and out-of-range values are made harmless, invalid rows flagged."""
    t = target.float()
    if t.dim() == 2:  # a single box per image (N, 5)
        t = t.unsqueeze(1)
    raw_cls = t[..., 0]
    corners = t[..., 1:5]
    finite = torch.isfinite(t[..., :5]).all(dim=-1)
    corners = corners.nan_to_num(0.0, 0.0, 0.0).clamp(0.0, 1.0)
    cls = raw_cls.nan_to_num(-1.0)
    whole = cls == torch.floor(cls)
    valid = finite & whole & (cls >= 0) & (cls < num_classes)
    valid &= (corners[..., 2] > corners[..., 0]) & (corners[..., 3] > corners[..., 1])
    return torch.where(valid, cls, 0.0).long(), corners, valid


def yolo_loss_parts(output: torch.Tensor, target: torch.Tensor, anchors: torch.Tensor, lambda_box: float = 5.0,
                    lambda_noobj: float = 0.5, ignore_iou: float = 0.5) -> dict[str, torch.Tensor]:
    """The three parts of the YOLO loss of a batch (see the module's doc), each summed over the grid
    and divided by the number of images."""
    num_anchors = int(anchors.shape[0])
    p = grid_view(output, num_anchors)
    n, sy, sx, b, width = p.shape
    num_classes = width - 5
    a = anchors.to(p.device, torch.float32)
    cls, corners, valid = _clean_targets(target.to(p.device), num_classes)
    m = cls.shape[1]
    cx = (corners[..., 0] + corners[..., 2]) / 2
    cy = (corners[..., 1] + corners[..., 3]) / 2
    w = torch.where(valid, corners[..., 2] - corners[..., 0], 1.0)
    h = torch.where(valid, corners[..., 3] - corners[..., 1], 1.0)
    col = (cx * sx).floor().clamp(0, sx - 1)
    row = (cy * sy).floor().clamp(0, sy - 1)
    best = wh_iou(torch.stack([w, h], dim=-1).reshape(-1, 2), a).argmax(dim=1).view(n, m)
    image = torch.arange(n, device=p.device).view(n, 1)
    total = n * sy * sx * b
    slot = ((image * sy + row.long()) * sx + col.long()) * b + best
    slot = torch.where(valid, slot, total).reshape(-1)  # invalid boxes go to a slot past the grid
    box_id = torch.arange(n * m, device=p.device)
    owner = torch.full((total + 1,), -1, dtype=torch.long, device=p.device).scatter_reduce(
        0, slot, box_id, "amax", include_self=True)
    kept = valid.reshape(-1) & (owner[slot] == box_id)

    flat = p.reshape(total, width)
    sel = flat[slot.clamp(max=total - 1)].float()  # (N·M, 5+C): the responsible prediction of each box
    aw, ah = a[best.reshape(-1), 0], a[best.reshape(-1), 1]
    t_xy = torch.stack([(cx * sx - col).reshape(-1), (cy * sy - row).reshape(-1)], dim=1)
    t_wh = torch.stack([torch.log(w.reshape(-1) / aw), torch.log(h.reshape(-1) / ah)], dim=1)
    err = ((torch.sigmoid(sel[:, :2]) - t_xy) ** 2).sum(dim=1) + ((sel[:, 2:4] - t_wh) ** 2).sum(dim=1)
    box = lambda_box * torch.where(kept, err, 0.0).sum() / n
    ce = F.cross_entropy(sel[:, 5:], cls.reshape(-1), reduction="none") if num_classes > 1 else sel[:, 0] * 0.0
    cls_part = torch.where(kept, ce, 0.0).sum() / n

    positive = torch.zeros(total + 1, device=p.device).scatter_reduce(
        0, slot, kept.float(), "amax", include_self=True)[:total]
    with torch.no_grad():  # predictions that already fit a true box are not pushed towards "nothing"
        pred_boxes, _, _ = decode(output.detach(), a)
        gt = torch.where(valid.unsqueeze(-1), corners, -2.0)  # padding: a box far outside, IoU 0
        if m:
            ignore = box_iou(pred_boxes, gt).nan_to_num(0.0).amax(dim=2).reshape(-1) > ignore_iou
        else:
            ignore = torch.zeros(total, dtype=torch.bool, device=p.device)
    logits = flat[:, 4].float()
    bce = F.binary_cross_entropy_with_logits(logits, positive, reduction="none")
    weight = torch.where(positive > 0, 1.0, torch.where(ignore, 0.0, lambda_noobj))
    obj = (bce * weight).sum() / n
    return {"box": box, "obj": obj, "cls": cls_part}


def head_anchors(head: Any, device: torch.device | None = None) -> torch.Tensor:
    """The (B, 2) anchors a head trains with: resolved by the trainer (`training_heads`), else defaults."""
    return anchors_tensor(head, device)


def head_loss_parts(head: Any, output: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
    p = head.params
    return yolo_loss_parts(output, target, head_anchors(head, output.device), float(p.get("lambda_box", 5.0)),
                           float(p.get("lambda_noobj", 0.5)), float(p.get("ignore_iou", 0.5)))


def detection_loss(head: Any, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    parts = head_loss_parts(head, output, target)
    return parts["box"] + parts["obj"] + parts["cls"]


def head_detect(head: Any, output: torch.Tensor) -> list[dict[str, torch.Tensor]]:
    p = head.params
    return detect(output, head_anchors(head, output.device), float(p.get("score_threshold", 0.05)),
                  float(p.get("nms_iou", 0.45)))


def with_anchors(heads: Sequence[Any], boxes_by_target: dict[str, torch.Tensor]) -> list[Any]:
    """The heads with each DetectionHead's "auto" anchors replaced by k-means anchors of its target's
    boxes (the training split), so the run trains, validates and records the same anchors."""
    from dataclasses import replace

    out = []
    for h in heads:
        if h.kind == "detection" and h.target in boxes_by_target:
            h = replace(h, params={**h.params, "anchors": resolve_anchors(h, boxes_by_target[h.target])})
        out.append(h)
    return out
