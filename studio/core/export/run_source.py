"""A trained run as the exporters need it: the model with its weights, its interface and real samples.

The checkpoint is read once and vetted first (`run_folder.load_checkpoint`) so that a corrupt,
foreign or unsafe file gets its own message before the training engine builds the model. Samples
come from the project's own dataset, validation split first, because parity checked on the data
the model will see is the check that matters; where the dataset cannot be loaded (a GPU server
without the files) we fall back to random inputs and say so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from torch import nn

from studio.core.errors import UserError
from studio.core.export.source import ExportSource
from studio.core.export.spec import io_from_graph_module
from studio.core.project import Project


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
