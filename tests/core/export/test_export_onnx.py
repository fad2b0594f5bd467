"""ONNX export of a trained run: parity in onnxruntime, dynamic batch, names, metadata."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime
import torch

from studio import __version__
from studio.core.export.onnx_export import export_onnx, read_metadata
from studio.core.export.spec import ModelIO


def test_trained_run_matches_pytorch_in_onnxruntime(source, tmp_path):
    samples = source.samples(256)
    result = export_onnx(source.model, source.io, tmp_path / "m.onnx", samples)
    assert result.parity.passed, result.parity.verdict()
    assert result.parity.max_abs_diff <= 1e-4
    assert result.parity.samples == 256
    assert result.parity.top1_agreement == 1.0
    assert result.bytes == (tmp_path / "m.onnx").stat().st_size > 0


def test_file_has_opset_names_dynamic_batch_and_metadata(source, tmp_path):
    path = tmp_path / "m.onnx"
    export_onnx(source.model, source.io, path, source.samples(64))
    model = onnx.load(str(path))
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    assert opset >= 17
    assert [i.name for i in model.graph.input] == ["image"]
    assert [o.name for o in model.graph.output] == ["head"]
    meta = read_metadata(path)
    assert meta["studio_version"] == __version__
    assert json.loads(meta["class_names"]) == [str(i) for i in range(10)]
    norm = json.loads(meta["normalization"])
    bundle = source.bundle()
    assert norm["mean"] == bundle.mean and norm["std"] == bundle.std

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = source.samples(64)[0]
    with torch.no_grad():
        expected = source.model(x).numpy()
    for batch in (1, 7, 64):  # traced at batch 2; other sizes prove the batch axis is dynamic
        got = session.run(None, {"image": x[:batch].numpy()})[0]
        assert got.shape == (batch, 10)
        assert np.max(np.abs(got - expected[:batch])) <= 1e-4


def test_multi_output_model_keeps_head_names(tmp_path):
    class TwoHeads(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Linear(6, 8)
            self.cls = torch.nn.Linear(8, 3)
            self.box = torch.nn.Linear(8, 4)

        def forward(self, x):
            h = torch.relu(self.body(x))
            return self.cls(h), torch.sigmoid(self.box(h))

    io_spec = ModelIO(["features"], [(6,)], output_names=["cls", "box"])
    result = export_onnx(TwoHeads(), io_spec, tmp_path / "two.onnx", (torch.randn(32, 6),))
    assert result.parity.passed
    session = onnxruntime.InferenceSession(str(tmp_path / "two.onnx"), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["cls", "box"]
    cls, box = session.run(None, {"features": np.zeros((5, 6), np.float32)})
    assert cls.shape == (5, 3) and box.shape == (5, 4)


def test_a_file_that_differs_from_the_model_is_reported_red(source, tmp_path):
    """The check compares real outputs: weights changed after export turn the verdict red."""
    import copy

    from studio.core.export.onnx_export import check_parity
    from studio.core.export.ort import open_session

    path = tmp_path / "m.onnx"
    samples = source.samples(64)
    export_onnx(source.model, source.io, path, samples)
    drifted = copy.deepcopy(source.model)
    with torch.no_grad():
        drifted.fc2.bias.add_(0.01)
    report = check_parity(open_session(path), drifted, samples)
    assert not report.passed
    assert report.max_abs_diff > 0.005
    assert report.verdict().startswith("FAIL")
