"""Paths out of (and back into) a run folder: no `--out` may write over a run's own files.

A run folder (project.json, checkpoint.pt, best.pt, metrics.jsonl, run.json, diagnostics.json) is
the record of hours of training. Each payload below aims `studio export --force` or `studio train`
at one of those files by another road: `..`, `.`, a sibling file the export writes, a symbolic link
to a file or to the folder, a relative path from inside the run. Every one must be refused in one
line, and the run folder must be byte-for-byte what it was (no file changed, none added).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fault_disks import hashes

from studio.cli import main
from studio.core.graph.model import Graph
from studio.core.project import Project, save_project


def _project() -> Project:
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    return Project(name="tiny", graph=graph, data={"dataset": "digits", "val_fraction": 0.2, "options": {}},
                   training={"epochs": 1, "batch_size": 64, "device": "cpu", "seed": 0})


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    from studio.core.train.trainer import run_training

    run_dir = tmp_path_factory.mktemp("victim") / "run"
    assert run_training(_project(), run_dir, {"max_steps": 25})["event"] == "done"
    (run_dir / "exports").mkdir()
    return run_dir


EXPORT_PAYLOADS = [
    ("torchscript", "{run}/exports/../checkpoint.pt"),
    ("torchscript", "{run}/./best.pt"),
    ("onnx", "{run}/metrics.jsonl"),
    ("onnx", "{run}/run.json"),
    ("onnx", "{run}/project.json"),
    ("onnx", "{run}/diagnostics.json"),  # not written yet, still the run's
    ("python", "{run}/best.py"),  # the weights beside the code would be best.pt
    ("python", "{run}/exports/../checkpoint.py"),
    ("state_dict", "{run}/exports/.."),
    ("state_dict", "{run}"),
    ("onnx", "{link_file}"),  # a symbolic link to project.json
    ("torchscript", "{link_dir}/best.pt"),  # a symbolic link to the run folder
    ("torchscript", "../checkpoint.pt"),  # relative, run from inside run/exports
]


@pytest.mark.parametrize("fmt,template", EXPORT_PAYLOADS)
def test_export_cannot_reach_a_runs_own_files(run, tmp_path, monkeypatch, capsys, fmt, template):
    link_file = tmp_path / "innocent.onnx"
    link_file.symlink_to(run / "project.json")
    link_dir = tmp_path / "looks-new"
    link_dir.symlink_to(run, target_is_directory=True)
    monkeypatch.chdir(run / "exports")
    out = template.format(run=run, link_file=link_file, link_dir=link_dir)
    before = hashes(run)

    code = main(["export", str(run), "--format", fmt, "--out", out, "--force", "--no-latency"])

    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "run folder" in err and ("never written over" in err or "replace the run's own files" in err), err
    assert hashes(run) == before, "the run folder is exactly as it was"
    assert os.path.islink(link_file) and (run / "project.json").is_file()


@pytest.mark.parametrize("template", ["{run}/exports/..", "{run}/.", "{link_dir}", "{run}/best.pt"])
def test_train_out_cannot_reach_a_run(run, tmp_path, capsys, template):
    link_dir = tmp_path / "fresh-looking"
    link_dir.symlink_to(run, target_is_directory=True)
    project_file = save_project(_project(), tmp_path / "p.studio.json")
    out = template.format(run=run, link_dir=link_dir)
    before = hashes(run)

    code = main(["train", str(project_file), "--out", out, "--max-steps", "2"])

    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "already holds a training run" in err or "is a file, not a run folder" in err, err
    assert hashes(run) == before
