"""A trained detector from a run folder: the model with its weights and the anchors it trained with.

The project in the run folder may say `anchors: auto`; the anchors the run computed from its data are
in run.json (`heads[].params.anchors`), so they are taken from there: decoding with other anchors would
draw every box at the wrong size. This is what a view of predicted boxes or an export builds on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

import torch

from studio.core.detection.yolo import head_detect
from studio.core.errors import UserError


@dataclass
class RunDetector:
    """`detect(x)`: per image {"boxes" (K, 4) xyxy fractions, "scores", "classes"}, after NMS.
    `x` is prepared as the run's data set prepares its inputs (normalised with run.json's mean/std)."""

    project: Any
    model: torch.nn.Module
    head: Any
    output_index: int
    class_names: list[str]

    @torch.no_grad()
    def detect(self, x: torch.Tensor, score_threshold: float | None = None,
               nms_iou: float | None = None) -> list[dict[str, torch.Tensor]]:
        head = self.head
        if score_threshold is not None or nms_iou is not None:
            params = dict(head.params)
            if score_threshold is not None:
                params["score_threshold"] = float(score_threshold)
            if nms_iou is not None:
                params["nms_iou"] = float(nms_iou)
            head = replace(head, params=params)
        out = self.model(*(x,) * len(self.model.input_nodes))
        out = out[self.output_index] if isinstance(out, (tuple, list)) else out
        return head_detect(head, out)


def load_run_detector(run_dir: str | os.PathLike[str], which: str = "best") -> RunDetector:
    """The first DetectionHead of a run, its weights loaded (CPU, eval mode) and its trained anchors."""
    from studio.core.train.run_folder import load_run_model, read_summary

    project, model = load_run_model(run_dir, which)
    index = next((i for i, h in enumerate(model.heads) if h.kind == "detection"), None)
    if index is None:
        raise UserError(f"run {run_dir} has no DetectionHead", "pick a run of a detection project (Tiny YOLO)")
    head = model.heads[index]
    summary = read_summary(run_dir) or {}
    recorded = next((h for h in summary.get("heads", []) if h.get("node_id") == head.node_id), None)
    if recorded and isinstance(recorded.get("params", {}).get("anchors"), list):
        head = replace(head, params={**head.params, "anchors": recorded["params"]["anchors"]})
    names = list((summary.get("dataset") or {}).get("class_names") or [])
    return RunDetector(project, model, head, index, names)
