"""Dataset samples to try an .onnx file on, found from the file itself where possible.

A Studio export names the run it came from (`source_run` metadata), and the run's project.json
names its dataset, so the samples are the ones the model was validated on. A file from elsewhere,
or one whose run folder has moved, is tried on the candidate datasets the caller offers (the open
project's, a built-in one) as long as their inputs have the file's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from studio.core.errors import UserError
from studio.core.export.inference import OnnxModel
from studio.core.train.run_layout import RunLayout


@dataclass
class SampleSet:
    """Validation samples as the model takes them, with what it takes to show them to a person."""

    name: str
    x: torch.Tensor
    labels: torch.Tensor | None
    class_names: list[str]
    mean: list[float] | None
    std: list[float] | None
    input_kind: str
    origin: str
    """Where the dataset choice came from: "run" (the file's own run) or "candidate"."""

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def inputs(self, index: int, n_inputs: int = 1) -> list[np.ndarray]:
        one = self.x[index:index + 1].numpy()
        return [one] * n_inputs

    def label_name(self, index: int) -> str | None:
        if self.labels is None:
            return None
        label = int(self.labels[index])
        return self.class_names[label] if label < len(self.class_names) else str(label)

    def picture(self, index: int) -> np.ndarray | None:
        """The sample as an 8-bit image (H, W) or (H, W, 3), un-normalised; None for non-images."""
        sample = self.x[index].float()
        if self.input_kind != "image" or sample.dim() != 3 or sample.shape[0] not in (1, 3):
            return None
        channels = sample.shape[0]
        mean = torch.tensor(self.mean if self.mean is not None else [0.0] * channels).view(-1, 1, 1)
        std = torch.tensor(self.std if self.std is not None else [1.0] * channels).view(-1, 1, 1)
        pixels = (sample * std + mean).clamp(0, 1).mul(255).round().to(torch.uint8).numpy()
        return pixels[0] if channels == 1 else pixels.transpose(1, 2, 0).copy()


def _run_data_config(model: OnnxModel) -> dict[str, Any] | None:
    run = model.metadata.get("source_run")
    snapshot = RunLayout(run).project if run else None
    if snapshot is None or not snapshot.is_file():
        return None
    from studio.core.project import load_project

    try:
        return load_project(snapshot).data
    except Exception:  # a damaged snapshot only means we fall back to the candidates
        return None


def _matches(model: OnnxModel, x: torch.Tensor) -> bool:
    shapes = model.io.input_shapes
    return bool(shapes) and all(tuple(s) == tuple(x.shape[1:]) for s in shapes)


def samples_for(model: OnnxModel, candidates: list[dict[str, Any]] | None = None,
                limit: int = 512) -> SampleSet | None:
    """Validation samples that fit the file's inputs, or None when no dataset at hand fits."""
    from studio.core.data import load_dataset

    configs = [(c, "candidate") for c in candidates or []]
    own = _run_data_config(model)
    if own is not None:
        configs.insert(0, (own, "run"))
    for config, origin in configs:
        try:
            bundle = load_dataset(config)
        except UserError:
            continue
        if not _matches(model, bundle.x_val):
            continue
        labels = bundle.y_val.get("label")
        return SampleSet(bundle.name, bundle.x_val[:limit].contiguous(),
                         None if labels is None else labels[:limit], list(bundle.class_names),
                         bundle.mean, bundle.std, bundle.input_kind, origin)
    return None
