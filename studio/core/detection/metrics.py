"""mAP@0.5: the mean over classes of the average precision of a detector, PASCAL VOC style.

For one class, every detection of that class over the whole validation set is taken by decreasing
score (equal scores in image order) and matched to the true box of its image and class it overlaps
most: with IoU >= 0.5 and that true box not yet matched, it is a true positive, else a false
positive (a second detection of an already found object counts against the detector). Recall
after k detections is TP / (true boxes of the class), precision TP / k.

The average precision is VOC's all-point interpolation (the VOC 2010+ devkit; not COCO's 101
points): precision is made non-increasing from the right (p(r) = max over r' >= r of p(r')), and AP
is the area under that staircase, sum over the recall steps of (r_i - r_{i-1}) · p(r_i). mAP is the
mean AP over the classes that have at least one true box in the set; a class with true boxes and no
detection scores 0.

`DetectionAccumulator` gathers a validation pass batch by batch for the trainer (HeadAccumulator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from studio.core.detection.boxes import box_iou

IOU_THRESHOLD = 0.5


def average_precision(recall: Sequence[float], precision: Sequence[float]) -> float:
    """VOC all-point interpolated AP of a precision/recall curve (points by increasing recall)."""
    mrec = [0.0, *[float(r) for r in recall], 1.0]
    mpre = [0.0, *[float(p) for p in precision], 0.0]
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    return sum((mrec[i + 1] - mrec[i]) * mpre[i + 1] for i in range(len(mrec) - 1) if mrec[i + 1] != mrec[i])


def mean_average_precision(detections: Sequence[dict[str, torch.Tensor]], truths: Sequence[dict[str, torch.Tensor]],
                           num_classes: int, iou_threshold: float = IOU_THRESHOLD) -> dict[str, Any]:
    """mAP of per-image detections ({"boxes" (K, 4), "scores" (K,), "classes" (K,)}) against per-image
    truths ({"boxes" (G, 4), "classes" (G,)}), xyxy boxes on the same scale.

    Returns {"map": float (0.0 when there is no true box at all), "ap_per_class": [AP or None for a
    class without true boxes], "n_true": [true boxes per class], "n_detections": [per class]}.
    """
    if len(detections) != len(truths):
        raise ValueError(f"{len(detections)} images of detections but {len(truths)} of truths")
    aps: list[float | None] = []
    n_true: list[int] = []
    n_det: list[int] = []
    for c in range(num_classes):
        gt_boxes = [t["boxes"][t["classes"] == c] for t in truths]
        total = sum(int(g.shape[0]) for g in gt_boxes)
        rows = []  # (score, image, detection index)
        for i, d in enumerate(detections):
            mine = (d["classes"] == c).nonzero().flatten().tolist()
            rows.extend((float(d["scores"][k]), i, k) for k in mine)
        n_true.append(total)
        n_det.append(len(rows))
        if total == 0:
            aps.append(None)
            continue
        rows.sort(key=lambda r: -r[0])  # stable: equal scores keep image order
        matched = [torch.zeros(int(g.shape[0]), dtype=torch.bool) for g in gt_boxes]
        tp = fp = 0
        recall, precision = [], []
        for _, i, k in rows:
            g = gt_boxes[i]
            hit = False
            if g.shape[0]:
                ious = box_iou(detections[i]["boxes"][k:k + 1].float(), g.float())[0].nan_to_num(0.0)
                best = int(ious.argmax())
                if float(ious[best]) >= iou_threshold and not bool(matched[i][best]):
                    matched[i][best] = True
                    hit = True
            tp, fp = tp + hit, fp + (not hit)
            recall.append(tp / total)
            precision.append(tp / (tp + fp))
        aps.append(average_precision(recall, precision))
    present = [a for a in aps if a is not None]
    return {"map": sum(present) / len(present) if present else 0.0, "ap_per_class": aps, "n_true": n_true,
            "n_detections": n_det}


def truths_from_target(target: torch.Tensor) -> list[dict[str, torch.Tensor]]:
    """Per image {"boxes", "classes"} of a (N, M, 5) boxes target (padding rows, class < 0, dropped)."""
    t = target.detach().float().cpu()
    if t.dim() == 2:
        t = t.unsqueeze(1)
    out = []
    for row in t:
        real = row[:, 0] >= 0
        out.append({"boxes": row[real, 1:5].clamp(0.0, 1.0), "classes": row[real, 0].long()})
    return out


class DetectionAccumulator:
    """A validation pass of one DetectionHead: the loss parts summed on the device, the decoded
    detections and the true boxes per image; `result()` gives map50, ap_per_class and the parts."""

    def __init__(self, head: Any, num_classes: int | None, device: torch.device):
        self.head = head
        self.num_classes = int(num_classes or 0)
        self.parts = {name: torch.zeros((), device=device, dtype=torch.float64) for name in ("box", "obj", "cls")}
        self.n = 0
        self.detections: list[dict[str, torch.Tensor]] = []
        self.truths: list[dict[str, torch.Tensor]] = []

    def add(self, output: torch.Tensor, target: torch.Tensor) -> None:
        from studio.core.detection.yolo import head_detect, head_loss_parts

        batch = int(output.shape[0])
        self.n += batch
        for name, value in head_loss_parts(self.head, output.float(), target).items():
            self.parts[name] += value.detach().double() * batch
        self.detections.extend(head_detect(self.head, output))
        self.truths.extend(truths_from_target(target))

    def result(self) -> dict[str, Any]:
        n = max(1, self.n)
        res = mean_average_precision(self.detections, self.truths, self.num_classes)
        out: dict[str, Any] = {"map50": res["map"], "ap_per_class": res["ap_per_class"], "n_true": res["n_true"],
                               "n_detections": res["n_detections"]}
        out.update({f"loss_{name}": float(v) / n for name, v in self.parts.items()})
        out["detections_per_image"] = sum(int(d["scores"].shape[0]) for d in self.detections) / n
        return out


def detection_summary(heads: Sequence[Any], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The epoch event's top-level detection figures, from the first DetectionHead's validation
    results: val_map50 and val_loss_box / val_loss_obj / val_loss_cls (empty without such a head)."""
    head = next((h for h in heads if h.kind == "detection"), None)
    if head is None or head.node_id not in results:
        return {}
    r = results[head.node_id]
    out = {"val_map50": r.get("map50", 0.0)}
    out.update({f"val_{k}": r[k] for k in ("loss_box", "loss_obj", "loss_cls") if k in r})
    return out
