"""`studio export`: the JSON contract, every format, INT8 and pruning from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from studio.cli import main
from studio.core.project import load_project


def _export(capsys, *args) -> tuple[int, dict]:
    code = main(["export", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_onnx_json_contract_in_a_fresh_process(trained_run, tmp_path):
    out = tmp_path / "model.onnx"
    proc = subprocess.run([sys.executable, "-m", "studio", "export", trained_run, "--format", "onnx",
                           "--out", str(out), "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert {"format", "out", "bytes", "max_abs_diff", "latency_ms"} <= report.keys()
    assert report["format"] == "onnx" and report["out"] == str(out)
    assert report["bytes"] == out.stat().st_size
    assert report["max_abs_diff"] <= 1e-4 and report["passed"] is True
    for key in ("onnxruntime_cpu_b1", "onnxruntime_cpu_b64", "pytorch_cpu_b1", "pytorch_cpu_b64"):
        assert report["latency_ms"][key] > 0
    assert report["accuracy"]["before"] == report["accuracy"]["after"]


def test_int8_and_prune_from_the_command_line(trained_run, tmp_path, capsys):
    code, report = _export(capsys, trained_run, "--format", "onnx", "--int8", "--prune", "0.3",
                           "--out", tmp_path / "small.onnx", "--no-latency")
    assert code == 0
    assert report["size_ratio"] >= 3.5
    assert report["fp32_parity"]["passed"]
    assert report["prune"]["sparsity"] == pytest.approx(0.3, abs=0.01)
    assert report["accuracy"]["within_budget"] is True
    assert report["passed"] is True


def test_torchscript_export_loads_and_matches(trained_run, tmp_path, capsys):
    out = tmp_path / "model.pt"
    code, report = _export(capsys, trained_run, "--format", "torchscript", "--out", out, "--no-latency")
    assert code == 0 and report["passed"] and report["max_abs_diff"] <= 1e-4
    from studio.core.export.torchscript_export import load_torchscript

    loaded, meta = load_torchscript(out)
    assert loaded(torch.zeros(3, 1, 8, 8)).shape == (3, 10)
    assert json.loads(meta["class_names"]) == [str(i) for i in range(10)]


def test_python_export_writes_code_that_reproduces_the_model(trained_run, tmp_path, capsys):
    out = tmp_path / "net.py"
    code, report = _export(capsys, trained_run, "--format", "python", "--out", out, "--no-latency")
    assert code == 0 and report["passed"] and report["max_abs_diff"] <= 1e-4
    assert "class " in out.read_text() and (tmp_path / "net.pt").exists()
    # the file runs on its own, with only torch
    proc = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "(2, 10)" in proc.stdout


def test_state_dict_export_reopens_in_studio(trained_run, tmp_path, capsys):
    out = tmp_path / "state"
    code, report = _export(capsys, trained_run, "--format", "state_dict", "--out", out, "--no-latency")
    assert code == 0 and report["passed"]
    project = load_project(next(out.glob("*.studio.json")))
    assert [n.id for n in project.graph.nodes][:2] == ["image", "conv1"]
    data = torch.load(out / "best.pt", weights_only=True)
    assert data["studio_checkpoint"] == 1 and "conv1.weight" in data["model"]


@pytest.mark.parametrize("args,message", [
    (["--format", "python", "--int8"], "INT8 applies to ONNX and TorchScript"),
    (["--prune", "1.2"], "--prune 1.2 must be a fraction"),
    (["--format", "torchscript", "--int8", "static"], "static INT8"),
])
def test_bad_options_are_one_line_errors(trained_run, tmp_path, capsys, args, message):
    code = main(["export", trained_run, "--out", str(tmp_path / "x.onnx"), *args])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and err.count("\n") == 1
