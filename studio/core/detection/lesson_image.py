"""A fresh validation image for the IoU / NMS lesson: one more image, with the model's raw boxes.

The `detection` event of each epoch carries the same first PREVIEW_IMAGES validation images (so the
strip shows them getting better). The lesson's "New image" button asks for another one: a validation
image the strip does not show, run through the run's newest weights (`checkpoint.pt`, written each
epoch) and described exactly as the event describes its images (`preview.detection_event`), so the
lesson draws and NMS-es it the same way. The data set is loaded once per run folder; the weights are
read again on every call, since a run that is training writes new ones each epoch.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from studio.core.detection.preview import PREVIEW_IMAGES, detection_event
from studio.core.errors import UserError


class FreshImages:
    """Validation images of one run folder, drawn at random among those the strip does not show."""

    def __init__(self, run_dir: str | os.PathLike[str], seed: int | None = None):
        self.run_dir = Path(run_dir)
        self._bundle = None
        self._random = random.Random(seed)

    def _data(self, project):
        if self._bundle is None:
            from studio.core.data import load_dataset

            self._bundle = load_dataset(project.data)
        return self._bundle

    def draw(self, index: int | None = None) -> dict[str, Any]:
        """A one-image `detection` event (see preview.py) plus `val_index`, the image's place in the
        validation split: image `index`, or one drawn at random past the strip's images."""
        from studio.core.detection.run import load_run_detector

        detector = load_run_detector(self.run_dir, "last")
        data = self._data(detector.project)
        head = detector.head
        if head.target not in data.y_val:
            raise UserError(f"the data of run {self.run_dir} has no '{head.target}' boxes for its DetectionHead",
                            "train the run on a detection data set (shapes_multi)")
        n = int(data.n_val)
        if n == 0:
            raise UserError(f"run {self.run_dir} has no validation images", "give the data set a validation split")
        if index is None:
            first = PREVIEW_IMAGES if n > PREVIEW_IMAGES else 0
            index = self._random.randrange(first, n)
        index = int(index)
        if not 0 <= index < n:
            raise UserError(f"validation image {index} is out of range", f"use 0 to {n - 1}")
        names = list(getattr(data.targets.get(head.target), "class_names", None) or data.class_names or [])
        event = detection_event(detector.model, head, detector.output_index, data.x_val[index:index + 1],
                                data.y_val[head.target][index:index + 1], epoch=-1, step=-1,
                                mean=data.mean, std=data.std, class_names=names or detector.class_names)
        event["val_index"] = index
        return event
