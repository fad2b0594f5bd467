"""Validation metrics per head and per-layer statistics, accumulated on the device.

Accumulators add up device tensors batch after batch and are read once, at the end, so evaluating
costs one device-to-host copy rather than one per batch.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from studio.core.detection.metrics import DetectionAccumulator
from studio.core.train.embedding_eval import projection_event, recall_at_1


def box_iou(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """IoU = overlap area / union area, per row, for (x0, y0, x1, y1) boxes."""
    x0 = torch.maximum(pred[:, 0], target[:, 0])
    y0 = torch.maximum(pred[:, 1], target[:, 1])
    x1 = torch.minimum(pred[:, 2], target[:, 2])
    y1 = torch.minimum(pred[:, 3], target[:, 3])
    inter = (x1 - x0).clamp_min(0) * (y1 - y0).clamp_min(0)
    area_p = (pred[:, 2] - pred[:, 0]).clamp_min(0) * (pred[:, 3] - pred[:, 1]).clamp_min(0)
    area_t = (target[:, 2] - target[:, 0]).clamp_min(0) * (target[:, 3] - target[:, 1]).clamp_min(0)
    return inter / (area_p + area_t - inter).clamp_min(1e-9)


class HeadAccumulator:
    """Sums for one head's metrics over the validation set."""

    def __init__(self, head: Any, num_classes: int | None, device: torch.device):
        self.head = head
        self.kind = head.kind
        self.n = 0
        self.loss = torch.zeros((), device=device, dtype=torch.float64)
        self.num_classes = int(num_classes or 0)
        if self.kind in ("classification", "segmentation"):
            c = self.num_classes
            self.confusion = torch.zeros(c * c, device=device, dtype=torch.int64)
            self.top5 = torch.zeros((), device=device, dtype=torch.int64)
        elif self.kind == "regression":
            self.abs = self.sq = self.sum_t = self.sum_t2 = self.iou = None
        elif self.kind == "embedding":
            self.embeddings: list[torch.Tensor] = []
            self.labels: list[torch.Tensor] = []
        elif self.kind == "language_model":
            self.correct = torch.zeros((), device=device, dtype=torch.int64)
            self.tokens = 0
        elif self.kind == "detection":  # mAP@0.5 and the YOLO loss parts (studio/core/detection/metrics.py)
            self.detection = DetectionAccumulator(head, num_classes, device)
        elif self.kind == "keypoints":  # the summed distance of predicted from true points, and their count
            self.distance = torch.zeros((), device=device, dtype=torch.float64)
            self.points = 0

    def add(self, output: torch.Tensor, target: torch.Tensor, loss: torch.Tensor) -> None:
        batch = int(output.shape[0])
        self.n += batch
        self.loss += loss.detach().double() * batch
        out = output.detach().float()
        if self.kind in ("classification", "segmentation"):
            c = self.num_classes
            pred = out.argmax(dim=1)
            t = target.long()
            self.confusion += torch.bincount((t * c + pred).reshape(-1), minlength=c * c)[: c * c]
            if self.kind == "classification":
                k = min(5, out.shape[1])
                self.top5 += (out.topk(k, dim=1).indices == t.unsqueeze(1)).any(dim=1).sum()
        elif self.kind == "regression":
            t = target.float().reshape(batch, -1)
            p = out.reshape(batch, -1)
            sums = [(p - t).abs().sum(0), ((p - t) ** 2).sum(0), t.sum(0), (t * t).sum(0)]
            if self.abs is None:
                self.abs, self.sq, self.sum_t, self.sum_t2 = [s.double() for s in sums]
            else:
                for acc, s in zip((self.abs, self.sq, self.sum_t, self.sum_t2), sums, strict=False):
                    acc += s.double()
            if self.head.target == "box" and p.shape[1] == 4:
                iou = box_iou(p, t).sum().double()
                self.iou = iou if self.iou is None else self.iou + iou
        elif self.kind == "embedding":
            self.embeddings.append(out)
            self.labels.append(target.long())
        elif self.kind == "language_model":
            self.correct += (out.argmax(dim=-1) == target.long()).sum()
            self.tokens += int(target.numel())
        elif self.kind == "detection":
            self.detection.add(output, target)
        elif self.kind == "keypoints":
            from studio.core.graph.heads import keypoint_errors

            errors = keypoint_errors(out, target)
            self.distance += errors.sum().double()
            self.points += int(errors.numel())

    def result(self) -> dict[str, Any]:
        n = max(1, self.n)
        res: dict[str, Any] = {"loss": float(self.loss) / n}
        if self.kind in ("classification", "segmentation"):
            c = self.num_classes
            cm = self.confusion.view(c, c).cpu()
            total = int(cm.sum())
            correct = int(cm.diag().sum())
            rows = cm.sum(1)
            per_class = [float(cm[i, i]) / int(rows[i]) if int(rows[i]) else None for i in range(c)]
            if self.kind == "classification":
                res.update(accuracy=correct / max(1, total), top5=int(self.top5) / n, per_class_accuracy=per_class,
                           confusion=cm.tolist())
            else:
                union = rows + cm.sum(0) - cm.diag()
                ious = [float(cm[i, i]) / int(union[i]) if int(union[i]) else None for i in range(c)]
                present = [v for v in ious if v is not None]
                res.update(pixel_accuracy=correct / max(1, total), mean_iou=sum(present) / max(1, len(present)),
                           iou_per_class=ious)
        elif self.kind == "regression" and self.abs is not None:
            mae = float(self.abs.sum()) / (n * self.abs.numel())
            sst = self.sum_t2 - self.sum_t ** 2 / n
            r2 = 1.0 - self.sq / sst.clamp_min(1e-12)
            res.update(mae=mae, rmse=math.sqrt(float(self.sq.sum()) / (n * self.sq.numel())), r2=float(r2.mean()))
            if self.iou is not None:
                res["iou"] = float(self.iou) / n
        elif self.kind == "embedding" and self.embeddings:
            res.update(self._embedding_metrics())
        elif self.kind == "language_model":
            # every window has T tokens, so the per-window mean loss averages to the per-token mean
            res.update(token_accuracy=int(self.correct) / max(1, self.tokens),
                       perplexity=math.exp(min(res["loss"], 700.0)))
        elif self.kind == "detection":
            res.update(self.detection.result())
        elif self.kind == "keypoints":  # mean point error, as a fraction of the image side and in pixels
            mean = float(self.distance) / max(1, self.points)
            size = int(self.head.params.get("image_size", 0) or 0)
            res.update(mean_error=mean, mean_pixel_error=mean * size if size else None)
        return res

    def embedding_projection(self, class_names: list[str] | None = None) -> dict[str, Any] | None:
        """The `embeddings` event's payload for this embedding head (see embedding_eval), or None."""
        if self.kind != "embedding" or not self.embeddings:
            return None
        return projection_event(torch.cat(self.embeddings), torch.cat(self.labels), self.head.node_id, class_names)

    def _embedding_metrics(self) -> dict[str, Any]:
        """recall@1 over the whole validation set (embedding_eval); nearest-neighbour accuracy (the same
        question on the first 2000 samples, kept for older readers) and pair accuracy."""
        recall = float(recall_at_1(torch.cat(self.embeddings), torch.cat(self.labels)))
        emb = torch.cat(self.embeddings)[:2000]
        labels = torch.cat(self.labels)[:2000]
        d = torch.cdist(emb, emb)
        d.fill_diagonal_(float("inf"))
        nn_acc = float((labels[d.argmin(1)] == labels).float().mean())
        same = labels.unsqueeze(0) == labels.unsqueeze(1)
        finite = torch.isfinite(d)
        dist_same = d[same & finite]
        dist_diff = d[~same & finite]
        if len(dist_same) and len(dist_diff):
            threshold = 0.5 * (dist_same.mean() + dist_diff.mean())
            pair = 0.5 * (float((dist_same < threshold).float().mean()) + float((dist_diff >= threshold).float().mean()))
        else:
            pair = float("nan")
        return {"recall_at_1": recall, "nn_accuracy": nn_acc, "pair_accuracy": pair}


HIST_BINS = 32
"""Bins of the per-layer weight and gradient histograms."""


def _histogram(x: torch.Tensor, bins: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Counts of `x` in `bins` equal bins over the symmetric range [-m, m], m = max|x|, and m.

    The range stays a device tensor: `x / m` is binned over the fixed [-1, 1], so nothing is read
    back here (torch.histc would need the range as Python numbers). Every finite value is counted
    (the extremes land in the end bins); an all-zero tensor falls in the middle bins.
    """
    m = x.abs().max()
    counts = torch.histc(x / m.clamp_min(1e-30), bins=bins, min=-1.0, max=1.0)
    return counts, m


def layer_stats(model: nn.Module, lr: float, bins: int = HIST_BINS) -> tuple[list[str], torch.Tensor]:
    """Per parameter: weight mean/std, grad mean/std, log10(std(lr*grad)/std(weight)), grad norm, then
    the weight and gradient histogram ranges and counts, as one device tensor (see `layer_rows`).

    The update-to-data ratio is Karpathy's health signal: around -3 is healthy; much lower means the
    layer barely learns, much higher that it thrashes. Callers read the tensor later, in bulk.
    """
    names, rows = [], []
    for name, p in model.named_parameters():
        if p.grad is None or p.numel() < 2:
            continue
        w = p.detach().float()
        g = p.grad.detach().float()
        w_std, g_std = w.std(), g.std()
        ratio = torch.log10((lr * g_std).clamp_min(1e-30) / w_std.clamp_min(1e-30))
        w_hist, w_max = _histogram(w, bins)
        g_hist, g_max = _histogram(g, bins)
        head = torch.stack([w.mean(), w_std, g.mean(), g_std, ratio, g.norm(), w_max, g_max])
        rows.append(torch.cat([head, w_hist, g_hist]))
        names.append(name)
    if not rows:
        return [], torch.zeros(0, len(LAYER_FIELDS) + 2 + 2 * bins)
    return names, torch.stack(rows)


LAYER_FIELDS = ("weight_mean", "weight_std", "grad_mean", "grad_std", "update_ratio_log10", "grad_norm")


def layer_rows(names: list[str], table: torch.Tensor) -> list[dict[str, Any]]:
    """The `layers` event rows from `layer_stats`' table (one device-to-host copy for all layers):
    the LAYER_FIELDS plus `weight_hist` / `grad_hist` (counts, low to high) over `weight_range` /
    `grad_range` ([-m, m], m = max |value| of the tensor)."""
    rows = table.cpu().tolist()
    n = len(LAYER_FIELDS)
    out = []
    for name, r in zip(names, rows, strict=True):
        bins = (len(r) - n - 2) // 2
        w_max, g_max = r[n], r[n + 1]
        hists = r[n + 2:]
        out.append({"name": name, **dict(zip(LAYER_FIELDS, r[:n], strict=True)),
                    "weight_hist": [round(v) for v in hists[:bins]], "weight_range": [-w_max, w_max],
                    "grad_hist": [round(v) for v in hists[bins:]], "grad_range": [-g_max, g_max]})
    return out
