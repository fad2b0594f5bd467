"""One model ready to export (`ExportSource`): the model, its interface, and real samples of its data.

Its own module so that what builds sources (run_source.load_run, export/gan.py's one-network
sources) can import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.spec import ModelIO
from studio.core.project import Project


@dataclass
class ExportSource:
    """One model ready to export, with what we know about where it came from."""

    project: Project
    model: nn.Module
    io: ModelIO
    run_dir: Path | None = None
    checkpoint: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    _bundle: Any = None
    _bundle_error: str | None = None

    def bundle(self):
        """The project's dataset (loaded once), or None with `data_note()` saying why."""
        if self._bundle is None and self._bundle_error is None:
            from studio.core.data import load_dataset

            try:
                self._bundle = load_dataset(self.project.data)
            except UserError as exc:
                self._bundle_error = exc.one_line()
        return self._bundle

    def data_note(self) -> str | None:
        return None if self._bundle_error is None else f"dataset not available ({self._bundle_error}); used random inputs"

    def inputs_for(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """The model's inputs for a data batch: the data's tensor to every Input node that reads the
        dataset's input, as the trainer does; an Input of a time step (a denoiser) or a class label
        (a conditional generator) gets seeded random values in its range, which the data alone cannot
        give (feeding it the image crashed the export of a denoiser)."""
        sources = dict(getattr(self.model, "input_sources", None) or {})
        gen = torch.Generator().manual_seed(0)
        out = []
        for name, shape in zip(self.io.input_names, self.io.input_shapes, strict=True):
            source = sources.get(name, "input")
            if source in ("timestep", "label"):
                high = self._timesteps() if source == "timestep" else self._label_classes()
                out.append(torch.randint(0, high, (x.shape[0], *shape), generator=gen))
            else:
                out.append(x)
        return tuple(out)

    def _blocks(self, block: str) -> list:
        return [n for n in self.project.graph.nodes if n.block == block]

    def _timesteps(self) -> int:
        heads = self._blocks("DiffusionHead")
        return max([int(n.params.get("timesteps", 1000)) for n in heads] or [1000])

    def _label_classes(self) -> int:
        return min([int(n.params.get("num_classes", 10)) for n in self._blocks("LabelEmbedding")] or [2])

    def samples(self, n: int = 256, split: str = "val") -> tuple[torch.Tensor, ...]:
        """Up to `n` real samples from the `split` ("val" or "train"), or random ones if there is no data."""
        bundle = self.bundle()
        if bundle is None:
            return self.io.example_inputs(batch=min(n, 64), vocab_size=int(self.summary.get("dataset", {}).get(
                "vocab_size") or 2))
        x = bundle.x_val if split == "val" else bundle.x_train
        return self.inputs_for(x[:n].contiguous())

    def labels(self, split: str = "val") -> tuple[tuple[torch.Tensor, ...], torch.Tensor] | None:
        """(inputs, class labels) of a split for accuracy, or None without data or a class target."""
        bundle = self.bundle()
        if bundle is None or "label" not in bundle.y_val or not self._blocks("ClassificationHead"):
            return None  # accuracy is a classifier's figure: a denoiser or an embedding net has none
        x, y = (bundle.x_val, bundle.y_val) if split == "val" else (bundle.x_train, bundle.y_train)
        return self.inputs_for(x), y["label"]
