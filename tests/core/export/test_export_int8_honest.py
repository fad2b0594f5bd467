"""INT8 says what it did: no layer to quantize is refused, and a file that grew is called larger.

A model of normalisation and pooling only has no weights INT8 can store as 8-bit integers; its
"INT8" file came back bigger than the fp32 one (scales and extra nodes) with PASS and "0.92x
smaller". A model whose few weights do get quantized can still grow; then the text must say so.
"""

from __future__ import annotations

import json

import pytest
from export_projects import chain_project

from studio.cli import main
from studio.core.errors import UserError
from studio.core.export.pipeline import ExportOptions, export_run
from studio.core.export.quantize import compared_to, size_change
from studio.core.graph.model import Node


def _train(project, run_dir) -> str:
    from studio.core.train.trainer import run_training

    event = run_training(project, run_dir, {"max_steps": 5})
    assert event["event"] == "done", event
    return str(run_dir)


@pytest.fixture(scope="module")
def weightless_run(tmp_path_factory) -> str:
    """BatchNorm and average pooling only: nothing for INT8 to shrink."""
    nodes = [Node("image", "Input", {"shape": [1, 8, 8]}), Node("bn", "BatchNorm2d"), Node("flat", "Flatten"),
             Node("seq", "Reshape", {"shape": [1, 64]}), Node("pool", "AvgPool1d", {"kernel_size": 6}),
             Node("flat2", "Flatten"), Node("head", "ClassificationHead")]
    return _train(chain_project("norm and pool", nodes, epochs=1), tmp_path_factory.mktemp("int8") / "weightless")


@pytest.fixture(scope="module")
def tiny_conv_run(tmp_path_factory) -> str:
    """One 3x3 convolution of 10 filters (100 weights) before global pooling: INT8 adds more than it saves."""
    nodes = [Node("image", "Input", {"shape": [1, 8, 8]}),
             Node("conv", "Conv2d", {"out_channels": 10, "kernel_size": 3, "padding": 1}), Node("relu", "ReLU"),
             Node("gap", "AdaptiveAvgPool2d", {"output_size": 1}), Node("flat", "Flatten"),
             Node("head", "ClassificationHead")]
    return _train(chain_project("tiny conv", nodes, epochs=1), tmp_path_factory.mktemp("int8") / "tinyconv")


def test_size_change_never_calls_growth_smaller():
    assert size_change(4000, 1000) == "4.00x smaller"
    assert size_change(1000, 2500) == "2.50x larger"
    assert size_change(1000, 1000) == "the same size"
    assert compared_to(1000, 2500) == "2.50x larger than fp32"
    assert compared_to(1000, 1000) == "the same size as fp32"


@pytest.mark.parametrize("mode", ["dynamic", "static"])
def test_int8_of_a_model_without_quantizable_layers_is_refused(weightless_run, tmp_path, mode):
    out = tmp_path / f"model_{mode}.onnx"
    with pytest.raises(UserError, match="no layer that INT8 can quantize") as err:
        export_run(weightless_run, ExportOptions(format="onnx", out=out, int8=mode, latency=False))
    assert "BatchNormalization" in err.value.message  # it says what the model is made of
    assert "in fp32 (INT8 off)" in err.value.fix
    assert not out.exists()


def test_the_cli_refuses_it_in_one_line(weightless_run, tmp_path, capsys):
    out = tmp_path / "model.onnx"
    code = main(["export", weightless_run, "--format", "onnx", "--int8", "--out", str(out), "--no-latency"])
    printed = capsys.readouterr()
    assert code == 1
    assert "no layer that INT8 can quantize" in printed.err and "Traceback" not in printed.err
    assert len(printed.err.strip().splitlines()) == 1
    assert "smaller" not in printed.out and not out.exists()


def test_an_int8_file_that_grew_is_called_larger(tiny_conv_run, tmp_path, capsys):
    code = main(["export", tiny_conv_run, "--format", "onnx", "--int8", "--out", str(tmp_path / "a.onnx"),
                 "--no-latency", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["bytes"] > report["fp32_bytes"], "the premise: this model's INT8 file is bigger"
    assert report["size_change"].endswith("x larger")
    notes = " ".join(report["notes"])
    assert "larger" in notes and "smaller" not in notes
    assert code in (0, 1)
    main(["export", tiny_conv_run, "--format", "onnx", "--int8", "--out", str(tmp_path / "b.onnx"), "--no-latency"])
    human = capsys.readouterr().out
    assert "larger than fp32" in human and "smaller" not in human


def test_a_real_reduction_is_still_called_smaller(trained_run, tmp_path, capsys):
    main(["export", trained_run, "--format", "onnx", "--int8", "--out", str(tmp_path / "m.onnx"), "--no-latency"])
    human = capsys.readouterr().out
    assert "x smaller than fp32" in human and "larger" not in human
