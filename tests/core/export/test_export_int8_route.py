"""The default INT8 route is chosen by measuring, and an INT8 file slower than fp32 is said to be.

onnxruntime's dynamic route runs convolutions as ConvInteger, which has no fast CPU kernel: the
old default made a CNN several times slower than fp32 while the export said PASS. A small model
with two 64-filter convolutions shows it in a few seconds of training.
"""

from __future__ import annotations

import json

import pytest
from export_projects import chain_project

from studio.cli import main
from studio.core.export import measure, ort
from studio.core.export.int8_route import choose_route
from studio.core.export.onnx_export import export_onnx
from studio.core.export.quantize import quantize_onnx_dynamic
from studio.core.export.run_source import load_run
from studio.core.export.speed import speed_change
from studio.core.graph.model import Node


@pytest.fixture(scope="module")
def conv_run(tmp_path_factory) -> str:
    """Two 3x3 convolutions of 64 filters on the 8x8 digits: convolutions dominate its time."""
    from studio.core.train.trainer import run_training

    nodes = [Node("image", "Input", {"shape": [1, 8, 8]}),
             Node("conv1", "Conv2d", {"out_channels": 64, "kernel_size": 3, "padding": 1}), Node("relu1", "ReLU"),
             Node("conv2", "Conv2d", {"out_channels": 64, "kernel_size": 3, "padding": 1}), Node("relu2", "ReLU"),
             Node("pool", "MaxPool2d", {"kernel_size": 2}), Node("flat", "Flatten"),
             Node("fc", "Linear", {"out_features": 10}), Node("head", "ClassificationHead")]
    run_dir = tmp_path_factory.mktemp("int8-route") / "conv"
    event = run_training(chain_project("two convs", nodes, epochs=1), run_dir, {"max_steps": 20})
    assert event["event"] == "done" and event["best_val_accuracy"] > 0.7, event
    return str(run_dir)


def _side_by_side(a, b, samples, batch: int):
    sessions = {"a": ort.open_session(a, spinning=False), "b": ort.open_session(b, spinning=False)}
    timings = measure.time_side_by_side({k: measure.ort_runner(s, samples, batch) for k, s in sessions.items()},
                                        budget_s=1.5)
    return speed_change(timings["a"], timings["b"])


def test_the_default_int8_export_is_not_slower_than_fp32_where_dynamic_is(conv_run, tmp_path, capsys):
    out = tmp_path / "default_int8.onnx"
    code = main(["export", conv_run, "--int8", "--out", str(out), "--no-latency", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["verdict"] == "pass", report["warnings"]
    assert report["int8"]["requested"] == "auto"
    assert {r["route"] for r in report["int8"]["routes"]} == {"dynamic", "static"}, "both routes were measured"
    assert report["accuracy"]["drop_points"] <= 1.0

    # measured again here, independently of the export's own figures
    source = load_run(conv_run)
    samples = source.samples(64)
    fp32 = export_onnx(source.model, source.io, tmp_path / "fp32.onnx", samples).out
    old_default = quantize_onnx_dynamic(fp32, tmp_path / "dynamic.onnx")
    assert _side_by_side(fp32, old_default, samples, 64).kind == "slower", "the premise: dynamic INT8 is slower"
    assert _side_by_side(fp32, out, samples, 64).kind != "slower"
    assert _side_by_side(fp32, out, samples, 1).kind != "slower"


def test_a_route_slower_than_fp32_is_a_warning_not_a_pass(conv_run, tmp_path, capsys):
    code = main(["export", conv_run, "--int8", "dynamic", "--out", str(tmp_path / "d.onnx"), "--no-latency"])
    human = capsys.readouterr().out
    assert code == 0, "the file is correct and smaller: a warning, not a failure"
    assert "WARN: INT8 (dynamic) runs slower than fp32 in onnxruntime" in human
    assert "at batch 64" in human and "try the INT8 route auto" in human
    assert human.rstrip().endswith("result: WARN")
    assert "result: PASS" not in human


def test_route_choice_keeps_the_fastest_route_within_the_budget(source, tmp_path):
    samples = source.samples(64)
    fp32 = export_onnx(source.model, source.io, tmp_path / "fp32.onnx", samples).out
    held_out = source.labels("val")
    choice = choose_route(fp32, tmp_path, "auto", source.samples(256, split="train"), held_out, samples)
    assert [t.route for t in choice.trials] == ["dynamic", "static"]
    for trial in choice.trials:
        assert trial.path is not None and trial.path.is_file()
        assert measure.onnx_parameter_count(trial.path) == measure.onnx_parameter_count(fp32), \
            f"{trial.route}: scales and zero points are not parameters"
        assert set(trial.latency) == {1, 64} and trial.accuracy is not None
        assert trial.within_budget == (trial.drop_points <= 1.0)
    assert choice.chosen.within_budget
    for other in choice.trials:
        if other.within_budget and other is not choice.chosen:
            faster = other.score(choice.fp32_latency) < choice.chosen.score(choice.fp32_latency)
            tie = all(speed_change(choice.chosen.latency[b], other.latency[b]).kind == "same" for b in (1, 64))
            assert not faster or tie, "a faster route within budget would have been chosen"


def test_with_no_route_within_the_budget_the_most_accurate_is_kept(source, tmp_path):
    samples = source.samples(64)
    fp32 = export_onnx(source.model, source.io, tmp_path / "fp32.onnx", samples).out
    choice = choose_route(fp32, tmp_path, "auto", source.samples(256, split="train"), source.labels("val"), samples,
                          budget_points=-100.0)
    assert not any(t.within_budget for t in choice.trials)
    assert choice.chosen.accuracy == max(t.accuracy for t in choice.trials)


def test_torchscript_int8_is_timed_against_fp32_too(trained_run, tmp_path, capsys):
    code = main(["export", trained_run, "--format", "torchscript", "--int8", "--out", str(tmp_path / "q.pt"),
                 "--no-latency", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["int8"]["engine"] == "PyTorch" and set(report["int8"]["speed_vs_fp32"]) == {"b1", "b64"}
    slower = any(s["kind"] == "slower" for s in report["int8"]["speed_vs_fp32"].values())
    assert report["verdict"] == ("warn" if slower else "pass")
