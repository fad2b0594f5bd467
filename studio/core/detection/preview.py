"""The `detection` event: a few validation images with their true boxes and the model's boxes.

At each epoch end a detection run sends, for the first PREVIEW_IMAGES validation images (always the
same ones, so the strip shows the same pictures getting better):

* `images`: the image as flat uint8 (C x H x W, the data set's normalisation undone), `shape` [C, H, W];
* `true`: per image its true boxes, rows [class, x0, y0, x1, y1] (fractions of the image side);
* `pred`: per image the boxes the head reports (its score threshold, per-class NMS at its `nms_iou`),
  rows [class, score, x0, y0, x1, y1], by decreasing score, at most PRED_BOXES;
* `raw`: per image the RAW_BOXES best-scoring decoded boxes before any NMS, rows
  [class, score, x0, y0, x1, y1, cell_row, cell_col, anchor], for the IoU / NMS lesson view;
* `grid` [S_y, S_x], `anchors` [[w, h], ...], `class_names`, `score_threshold`, `nms_iou`.

About 100 kB of JSON an epoch (most of it the eight images). Nothing here runs unless the model has a DetectionHead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from studio.core.detection.yolo import decode, head_anchors, head_detect

PREVIEW_IMAGES = 8
RAW_BOXES = 40
"""Raw (before-NMS) boxes kept per image: the best-scoring ones, enough for NMS to have work."""
PRED_BOXES = 20
"""Boxes after NMS kept per image (the strip draws those above its own score threshold)."""
DIGITS = 4


def _r(values: Sequence[float]) -> list[float]:
    return [round(float(v), DIGITS) for v in values]


def images_uint8(x: torch.Tensor, mean: Sequence[float] | None, std: Sequence[float] | None) -> list[list[int]]:
    """Images (N, C, H, W) as flat uint8 lists in the data's own range (normalisation undone, [0, 1])."""
    x = x.detach().float().cpu()
    if mean is not None and std is not None:
        view = (1, -1, *([1] * (x.dim() - 2)))
        x = x * torch.tensor(list(std)).view(view) + torch.tensor(list(mean)).view(view)
    u8 = (x.clamp(0, 1) * 255).round().to(torch.uint8)
    return [row.reshape(-1).tolist() for row in u8]


def raw_boxes(output: torch.Tensor, anchors: torch.Tensor, keep: int = RAW_BOXES) -> list[list[list[float]]]:
    """Per image the `keep` best-scoring decoded boxes before NMS, rows
    [class, score, x0, y0, x1, y1, cell_row, cell_col, anchor] (corners clipped to the image)."""
    boxes, obj, cls = decode(output.detach(), anchors)
    prob, label = cls.max(dim=-1)
    scores = obj * prob
    b = int(anchors.shape[0])
    sx = int(output.shape[-1])
    out = []
    for i in range(boxes.shape[0]):
        top = torch.argsort(scores[i], descending=True, stable=True)[:keep]
        rows = []
        for k in top.tolist():
            cell, anchor = divmod(k, b)
            row, col = divmod(cell, sx)
            rows.append([int(label[i, k]), round(float(scores[i, k]), DIGITS),
                         *_r(boxes[i, k].clamp(0.0, 1.0).tolist()), row, col, anchor])
        out.append(rows)
    return out


@torch.no_grad()
def detection_event(model: torch.nn.Module, head: Any, output_index: int, x: torch.Tensor, boxes: torch.Tensor,
                    epoch: int, step: int, mean: Sequence[float] | None = None, std: Sequence[float] | None = None,
                    class_names: Sequence[str] = ()) -> dict[str, Any]:
    """The `detection` event of images `x` (N, C, H, W, prepared as for training) and their true
    `boxes` (N, M, 5) under `model`'s DetectionHead number `output_index`."""
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    was_training = model.training
    model.eval()
    try:
        out = model(*(x.to(device).float(),) * len(getattr(model, "input_nodes", [None])))
    finally:
        model.train(was_training)
    out = (out[output_index] if isinstance(out, (tuple, list)) else out).float()
    anchors = head_anchors(head, out.device)
    found = head_detect(head, out)
    true = []
    for rows in boxes.detach().float().cpu().tolist():
        true.append([[int(r[0]), *_r(r[1:5])] for r in rows if r[0] >= 0])
    pred = [[[int(c), round(float(s), DIGITS), *_r(b)] for b, s, c in
             zip(d["boxes"][:PRED_BOXES].tolist(), d["scores"][:PRED_BOXES].tolist(),
                 d["classes"][:PRED_BOXES].tolist(), strict=True)] for d in found]
    return {"event": "detection", "epoch": epoch, "step": step, "head": head.node_id,
            "shape": list(x.shape[1:]), "images": images_uint8(x, mean, std), "true": true, "pred": pred,
            "raw": raw_boxes(out, anchors), "grid": [int(out.shape[-2]), int(out.shape[-1])],
            "anchors": [_r(a) for a in anchors.cpu().tolist()], "class_names": list(class_names),
            "score_threshold": float(head.params.get("score_threshold", 0.05)),
            "nms_iou": float(head.params.get("nms_iou", 0.45))}


def emit_detection_preview(emit: Callable[[dict[str, Any]], None], model: torch.nn.Module, heads: Sequence[Any],
                           data: Any, epoch: int, step: int, count: int = PREVIEW_IMAGES) -> None:
    """Emit the `detection` event for the first DetectionHead of `heads` (nothing without one), from
    the first `count` validation images of the trainer's data bundle `data`."""
    index = next((i for i, h in enumerate(heads) if h.kind == "detection"), None)
    if index is None or data.n_val == 0:
        return
    head = heads[index]
    names = list(getattr(data.targets.get(head.target), "class_names", None) or data.class_names or [])
    emit(detection_event(model, head, index, data.x_val[:count], data.y_val[head.target][:count], epoch, step,
                         data.mean, data.std, names))
