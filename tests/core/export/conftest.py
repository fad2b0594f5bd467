"""Fixtures for the export tests: one small real training run on `digits`, shared by the session.

The run is trained by Studio's own trainer (a few seconds on a CPU), so every export test works on
the same kind of folder a user's `studio train` leaves behind.
"""

from __future__ import annotations

import pytest
import torch
from export_projects import small_cnn_project


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> str:
    """A run folder of a small CNN trained on digits (best.pt, checkpoint.pt, project.json, run.json)."""
    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    run_dir = tmp_path_factory.mktemp("export") / "run"
    event = run_training(small_cnn_project(), run_dir)
    assert event["event"] == "done", event
    assert event["best_val_accuracy"] > 0.9, "the fixture model should have learnt the digits"
    return str(run_dir)


@pytest.fixture(scope="session")
def source(trained_run):
    from studio.core.export.run_source import load_run

    return load_run(trained_run)
