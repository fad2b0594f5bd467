"""A trained run as the exporters need it: the model with its weights, its interface and real samples.

The checkpoint is read once and vetted first (`run_folder.load_checkpoint`) so that a corrupt,
foreign or unsafe file gets its own message before the training engine builds the model. Samples
come from the project's own dataset, validation split first, because parity checked on the data
the model will see is the check that matters; where the dataset cannot be loaded (a GPU server
without the files) we fall back to random inputs and say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.spec import ModelIO, io_from_graph_module
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


def _read_summary(run_dir: Path) -> dict[str, Any]:
    from studio.core.train.run_folder import read_summary

    try:
        return read_summary(run_dir)
    except UserError:
        return {}


def load_run(run_dir: str | os.PathLike[str], which: str = "best", network: str | None = None) -> ExportSource:
    """The model of a run folder written by `studio train`, vetted, in eval mode on the CPU.

    For a GAN run the model is one network, the generator unless `network` says "discriminator"
    (export/gan.py): the whole graph's z -> D(G(z)) is no model anyone ships."""
    from studio.core.export.gan import gan_source
    from studio.core.train.run_folder import (
        load_checkpoint,
        load_run_project,
        model_from_checkpoint,
        open_run_folder,
    )

    run = open_run_folder(run_dir).path
    checkpoint = load_checkpoint(run, which)  # read once: the weights and the facts kept below
    project = load_run_project(run)
    model = model_from_checkpoint(project, checkpoint, run)
    summary = _read_summary(run)
    io_spec = io_from_graph_module(model, summary.get("dataset"), name=project.name)
    meta = {k: v for k, v in checkpoint.items() if isinstance(v, (int, float, str)) and k != "model"}
    return gan_source(ExportSource(project, model.eval(), io_spec, run, meta, summary), network)


def from_project(project: Project, model: nn.Module | None = None) -> ExportSource:
    """An export source for a project's graph (freshly initialised unless `model` is given)."""
    from studio.core.graph.compile import compile_graph

    model = model if model is not None else compile_graph(project.graph)
    source = ExportSource(project, model.eval(), io_from_graph_module(model, None, name=project.name))
    bundle = source.bundle()
    if bundle is not None:
        source.io = io_from_graph_module(model, bundle.describe(), name=project.name)
    return source
