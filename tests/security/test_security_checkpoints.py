"""A run folder whose checkpoint pickle carries a payload is refused, and the payload never runs:
`studio export`, `studio cam` and `load_checkpoint` (what the app uses to open a run) all load with
`torch.load(weights_only=True)`. A regression guard: dropping that flag anywhere fails here.
"""

from __future__ import annotations

import os
import shlex

import numpy as np
import pytest
import torch
from PIL import Image

from studio.cli import main
from studio.core.errors import UserError
from studio.core.graph.model import Graph
from studio.core.project import Project
from studio.core.train.run_folder import RunFolder, load_checkpoint, load_run_model


class _Payload:
    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def _malicious_run(tmp_path, legacy: bool):
    """A run folder with a genuine project.json and best.pt / checkpoint.pt that run `touch MARKER`."""
    marker = tmp_path / "marker"
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("conv", "Conv2d", {"out_channels": 4}),
                         ("act", "ReLU", {}), ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 10}),
                         ("head", "ClassificationHead", {})])
    run = RunFolder(tmp_path / "run")
    run.write_project(Project(name="victim", graph=graph,
                              data={"dataset": "digits", "val_fraction": 0.2, "augment": {}, "options": {}}))
    payload = {"studio_checkpoint": 1, "model": _Payload(f"touch {shlex.quote(str(marker))}")}
    for name in ("best.pt", "checkpoint.pt"):
        torch.save(payload, run.path / name, _use_new_zipfile_serialization=not legacy)
    return run.path, marker


@pytest.mark.parametrize("legacy", [False, True], ids=["zip", "legacy"])
def test_the_payload_is_real(tmp_path, legacy):
    run, marker = _malicious_run(tmp_path, legacy)
    torch.load(run / "best.pt", weights_only=False)
    assert marker.exists()


@pytest.mark.parametrize("legacy", [False, True], ids=["zip", "legacy"])
def test_load_checkpoint_and_load_run_model_refuse_it(tmp_path, legacy):
    run, marker = _malicious_run(tmp_path, legacy)
    for which in ("best", "last"):
        with pytest.raises(UserError) as err:
            load_checkpoint(run, which)
        assert "would need unsafe unpickling" in err.value.one_line()  # the words export has always used
    with pytest.raises(UserError):
        load_run_model(run)
    assert not marker.exists()


@pytest.mark.parametrize("command", ["export", "cam"])
def test_export_and_cam_refuse_it_in_one_line(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    run, marker = _malicious_run(tmp_path, legacy=False)
    if command == "export":
        args = ["export", str(run), "--format", "onnx", "--out", str(tmp_path / "model.onnx"), "--no-latency"]
    else:
        image = tmp_path / "digit.png"
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(image)
        args = ["cam", str(run), "--image", str(image), "--out", str(tmp_path / "cam.png")]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 1
    assert not marker.exists()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"studio {command}: error: "), err
    assert "best.pt" in lines[0] and "Traceback" not in err
    assert not (tmp_path / "model.onnx").exists() and not (tmp_path / "cam.png").exists()
