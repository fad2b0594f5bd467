"""A detector exported with its decoding and non-maximum suppression inside the ONNX graph.

Exported as it is, a DetectionHead's model gives the raw grid (N, B·(5+C), S, S), and whoever runs
the file must redo YOLO's decoding with the run's anchors and then NMS. With `--detection-postprocess`
the model is wrapped (`DetectionPostprocess`) so the file gives, per image, the boxes a Studio view
draws, in fixed-size outputs (the batch axis stays dynamic):

* `boxes` (N, D, 4) float32: (x0, y0, x1, y1) as fractions of the image side, clipped to [0, 1];
* `scores` (N, D) float32: objectness × the best class's probability, by decreasing score;
* `classes` (N, D) int64: the class index;

D = min(max_detections, predictions kept before NMS). Rows past an image's last detection are
padding: score 0, class -1, box zeros (the same convention as a boxes target's padding).

The steps are those of `studio.core.detection.yolo.detect`: decode the grid with the run's anchors,
score = objectness × best class probability, keep the `pre_nms` best, drop scores not above
`score_threshold`, clip the boxes, per-class NMS at `nms_iou`, keep the `max_detections` best. NMS is
ONNX's NonMaxSuppression operator (run per class: each box enters the class it was given, so a box
only suppresses boxes of its own class); in PyTorch the same step runs Studio's `batched_nms`, so
the parity check compares onnxruntime with Studio's own decode and NMS.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import torch
from torch import nn

from studio.core.detection.boxes import batched_nms
from studio.core.detection.yolo import decode
from studio.core.errors import UserError
from studio.core.export.spec import ModelIO

OUTPUT_NAMES = ["boxes", "scores", "classes"]
MAX_DETECTIONS = 100
PRE_NMS = 300


class _NonMaxSuppression(torch.autograd.Function):
    """Per-class NMS of boxes (N, K, 4) with class scores (N, C, K): the rows (image, class, box) kept,
    as ONNX's NonMaxSuppression gives them. PyTorch runs Studio's batched_nms; the exporter writes the
    ONNX operator."""

    @staticmethod
    def forward(ctx, boxes, scores, max_per_class, iou_threshold, score_threshold):  # noqa: ARG004
        rows = []
        iou = float(iou_threshold.reshape(-1)[0])
        floor = float(score_threshold.reshape(-1)[0])
        for n in range(boxes.shape[0]):
            best, label = scores[n].max(dim=0)
            ok = (best > floor).nonzero().flatten()
            keep = ok[batched_nms(boxes[n, ok], best[ok], label[ok], iou)]
            rows.append(torch.stack([torch.full_like(keep, n), label[keep], keep], dim=1))
        return torch.cat(rows) if rows else torch.zeros(0, 3, dtype=torch.long)

    @staticmethod
    def symbolic(g, boxes, scores, max_per_class, iou_threshold, score_threshold):
        return g.op("NonMaxSuppression", boxes, scores, max_per_class, iou_threshold, score_threshold)


class DetectionPostprocess(nn.Module):
    """`model`'s grid (its output `output_index`) decoded and NMS-ed: (boxes, scores, classes)."""

    def __init__(self, model: nn.Module, output_index: int, anchors: list[list[float]], score_threshold: float,
                 nms_iou: float, max_detections: int = MAX_DETECTIONS, pre_nms: int = PRE_NMS):
        super().__init__()
        self.model = model
        self.output_index = int(output_index)
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32))
        self.score_threshold = float(score_threshold)
        self.nms_iou = float(nms_iou)
        self.max_detections = int(max_detections)
        self.pre_nms = int(pre_nms)
        for name in ("input_nodes", "input_shapes", "input_dtypes", "input_sources", "heads"):
            if hasattr(model, name):
                setattr(self, name, getattr(model, name))

    def forward(self, *inputs: torch.Tensor):
        out = self.model(*inputs)
        grid = out[self.output_index] if isinstance(out, (tuple, list)) else out
        boxes, obj, cls = decode(grid, self.anchors)
        prob, label = cls.max(dim=-1)
        score = obj * prob
        k = min(self.pre_nms, int(score.shape[1]))
        score, top = torch.topk(score, k, dim=1)
        boxes = torch.gather(boxes, 1, top.unsqueeze(-1).expand(-1, -1, 4)).clamp(0.0, 1.0)
        label = torch.gather(label, 1, top)
        classes = torch.arange(cls.shape[-1], device=label.device).view(1, -1, 1)
        per_class = torch.where(label.unsqueeze(1) == classes, score.unsqueeze(1), torch.zeros_like(score).unsqueeze(1))
        kept = _NonMaxSuppression.apply(boxes, per_class, torch.tensor([k], dtype=torch.long),
                                        torch.tensor([self.nms_iou], dtype=torch.float32),
                                        torch.tensor([self.score_threshold], dtype=torch.float32))
        flat = kept[:, 0] * k + kept[:, 2]
        mask = torch.zeros_like(score).reshape(-1).scatter(0, flat, 1.0).reshape(score.shape)
        best, order = torch.topk(score * mask, min(self.max_detections, k), dim=1)
        found = best > 0
        out_boxes = torch.where(found.unsqueeze(-1), torch.gather(boxes, 1, order.unsqueeze(-1).expand(-1, -1, 4)),
                                torch.zeros_like(best).unsqueeze(-1))
        out_classes = torch.where(found, torch.gather(label, 1, order), torch.full_like(order, -1))
        return out_boxes, best, out_classes

    def settings(self) -> dict[str, Any]:
        """What a consumer of the file needs to know about the step (written to its metadata)."""
        return {"outputs": list(OUTPUT_NAMES), "box_format": "xyxy fractions of the image side",
                "anchors": self.anchors.tolist(), "score_threshold": self.score_threshold,
                "nms_iou": self.nms_iou, "max_detections": self.max_detections, "pre_nms": self.pre_nms,
                "padding": "score 0, class -1, box zeros"}


def detection_head(model: nn.Module, summary: dict[str, Any] | None = None):
    """(index, head) of the model's first DetectionHead, its anchors those the run trained with
    (run.json's `heads[].params.anchors`; the project may say "auto"), or a refusal."""
    heads = list(getattr(model, "heads", []) or [])
    index = next((i for i, h in enumerate(heads) if getattr(h, "kind", "") == "detection"), None)
    if index is None:
        raise UserError("--detection-postprocess needs a detector, but this model has no DetectionHead",
                        "leave the option out, or export a run of a detection project (Tiny YOLO)")
    head = heads[index]
    recorded = next((h for h in (summary or {}).get("heads", []) if h.get("node_id") == head.node_id), None)
    if recorded and isinstance(recorded.get("params", {}).get("anchors"), list):
        head = replace(head, params={**head.params, "anchors": recorded["params"]["anchors"]})
    return index, head


def wrap_detector(model: nn.Module, io_spec: ModelIO, summary: dict[str, Any] | None = None
                  ) -> tuple[DetectionPostprocess, ModelIO]:
    """The model with decode + NMS appended and the interface its file will have."""
    from studio.core.detection.yolo import resolve_anchors

    index, head = detection_head(model, summary)
    p = head.params
    wrapped = DetectionPostprocess(model, index, resolve_anchors(head, None), float(p.get("score_threshold", 0.05)),
                                   float(p.get("nms_iou", 0.45))).eval()
    return wrapped, replace(io_spec, output_names=list(OUTPUT_NAMES), task="detection")
