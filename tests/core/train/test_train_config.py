"""The typed training config: one declaration of each default, checked changes, run options kept apart."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from train_builders import digits_mlp, make_project

from studio.core.errors import UserError
from studio.core.project import Project, save_project
from studio.core.train.config import RUN_OPTIONS, RunOptions, TrainConfig
from studio.core.train.run_folder import read_metrics
from studio.core.train.trainer import run_training


def test_a_project_that_leaves_keys_out_trains_with_the_declared_defaults(tmp_path):
    """A new project's file, the config and the run all agree on every default, because there is one."""
    new_file = Project().training
    assert {k: TrainConfig().to_dict()[k] for k in new_file} == new_file
    project = make_project(digits_mlp(hidden=8), {"dataset": "digits"})
    for key in ("lr", "optimizer", "batch_size", "epochs"):
        del project.training[key]
    done = run_training(project, tmp_path / "run", {"max_steps": 2})
    assert done["event"] == "done", done
    start = next(e for e in read_metrics(tmp_path / "run") if e["event"] == "start")
    expected = TrainConfig.from_dict(project.training).to_dict()
    assert start["training"]["lr"] == expected["lr"] == 1e-3 and start["training"]["optimizer"] == "adam"
    assert start["epochs"] == expected["epochs"] and start["batch_size"] == expected["batch_size"]


def test_replace_checks_the_change_and_leaves_the_original_as_it_was():
    cfg = TrainConfig.from_dict({"lr": 0.01, "my_hook": "on"})
    changed = cfg.replace(lr=0.1, optimizer="SGD")
    assert (changed.lr, changed.optimizer, changed.extra) == (0.1, "sgd", {"my_hook": "on"})
    assert cfg.lr == 0.01
    with pytest.raises(UserError) as info:
        cfg.replace(lr=0)
    assert info.value.one_line() == "training.lr 0 is out of range: use a number > 0, e.g. 0.001"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.lr = 1.0


def test_run_options_in_a_training_section_are_checked_but_not_part_of_the_config():
    section = {"lr": 0.01, "max_steps": 7, "metrics_interval_ms": 20}
    assert not set(RUN_OPTIONS) & set(TrainConfig.from_dict(section).to_dict())
    assert RunOptions.from_dict(section) == RunOptions(metrics_interval_ms=20, max_steps=7)
    # this run's overrides win over the project's, and a None override leaves the project's value
    assert RunOptions.from_dict(section, {"max_steps": 3, "metrics_interval_ms": None}) == RunOptions(20, 3)
    with pytest.raises(UserError, match=r"training\.max_seconds 'soon' is not a number"):
        RunOptions.from_dict({"max_seconds": "soon"})


def test_cli_overwrite_with_a_bad_lr_leaves_the_old_run_where_it_was(tmp_path):
    """--overwrite used to move the old run aside before --lr was checked, for a run that never began."""
    path = save_project(make_project(digits_mlp(), {"dataset": "digits"}), tmp_path / "p.studio.json")
    old_run = tmp_path / "run"
    old_run.mkdir()
    (old_run / "metrics.jsonl").write_text(json.dumps({"event": "start"}) + "\n")
    done = subprocess.run([sys.executable, "-m", "studio", "train", str(path), "--out", str(old_run), "--overwrite",
                           "--lr", "nan"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 1 and "training.lr nan is not finite" in done.stderr, done.stderr
    assert (old_run / "metrics.jsonl").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("run.replaced")] == []
