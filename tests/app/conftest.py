"""One small real training run for the run-store tests, shared by the session.

Trained by Studio's own trainer on the built-in digits (a few seconds on a CPU), so every test opens
the kind of folder `studio train` leaves behind; tests that damage a run work on a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from model_layers import digits_cnn_nodes

from studio.core.graph.model import Graph
from studio.core.project import Project


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> Path:
    """A run folder (project.json, best.pt, checkpoint.pt, metrics.jsonl, run.json) of two epochs."""
    import torch

    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    project = Project(name="run store digits", graph=Graph.chain(digits_cnn_nodes()))
    project.data.update(dataset="digits")
    project.training.update(epochs=2, batch_size=64, device="cpu", seed=0, lr=2e-3)
    run_dir = tmp_path_factory.mktemp("run_store") / "run"
    event = run_training(project, run_dir)
    assert event["event"] == "done", event
    return run_dir


@pytest.fixture
def run_copy(trained_run, tmp_path) -> Path:
    """A copy of the trained run that a test may change."""
    return Path(shutil.copytree(trained_run, tmp_path / "run"))
