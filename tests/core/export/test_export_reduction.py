"""INT8 and pruning on a small trained model: the reduced models load, run and keep their accuracy."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest
import torch
from onnx import numpy_helper

from studio.core.export.measure import ort_accuracy, parameter_counts, torch_accuracy
from studio.core.export.onnx_export import export_onnx, read_metadata
from studio.core.export.prune import prune_model
from studio.core.export.quantize import quantize_onnx_dynamic, quantize_onnx_static, quantize_torch_dynamic
from studio.core.export.small_loop import LoopData

INT8_BUDGET = 0.01  # at most one point of accuracy lost (issue 9)
PRUNE_BUDGET = 0.02  # 50% unstructured pruning + a short fine-tune keeps accuracy within two points


@pytest.fixture(scope="module")
def fp32_onnx(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("int8") / "fp32.onnx"
    export_onnx(source.model, source.io, path, source.samples(256))
    return path


def _int8_initializers(path) -> int:
    model = onnx.load(str(path))
    return sum(1 for t in model.graph.initializer if numpy_helper.to_array(t).dtype == np.int8)


def test_onnx_dynamic_int8_is_smaller_and_keeps_accuracy(source, fp32_onnx, tmp_path):
    out = quantize_onnx_dynamic(fp32_onnx, tmp_path / "int8.onnx")
    x, y = source.labels("val")
    before = ort_accuracy(fp32_onnx, x, y)
    after = ort_accuracy(out, x, y)
    assert before - after <= INT8_BUDGET
    assert fp32_onnx.stat().st_size / out.stat().st_size >= 3.5
    assert _int8_initializers(out) >= 2  # both weight matrices really are int8 now
    meta = read_metadata(out)
    assert "dynamic" in meta["quantization"] and meta["class_names"]  # Studio's metadata survives


def test_onnx_static_int8_calibrated_keeps_accuracy(source, fp32_onnx, tmp_path):
    calibration = source.samples(256, split="train")
    out = quantize_onnx_static(fp32_onnx, tmp_path / "static.onnx", calibration)
    x, y = source.labels("val")
    assert ort_accuracy(fp32_onnx, x, y) - ort_accuracy(out, x, y) <= INT8_BUDGET
    ops = {n.op_type for n in onnx.load(str(out)).graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    assert "static" in read_metadata(out)["quantization"]
    # a fresh session loads and runs it at any batch size
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    assert session.run(None, {"image": x[0][:3].numpy()})[0].shape == (3, 10)


def test_pytorch_dynamic_int8_swaps_linear_layers_and_keeps_accuracy(source):
    quantized = quantize_torch_dynamic(source.model)
    kinds = {type(m).__module__ for m in quantized.modules()}
    assert any(k.startswith("torch.ao.nn.quantized.dynamic") for k in kinds)
    x, y = source.labels("val")
    assert torch_accuracy(source.model, x, y) - torch_accuracy(quantized, x, y) <= INT8_BUDGET
    assert parameter_counts(quantized)["params"] == parameter_counts(source.model)["params"]
    assert isinstance(source.model.fc1, torch.nn.Linear)  # the original is left alone


def test_unstructured_pruning_with_fine_tuning_keeps_accuracy_and_exports_zeros(source, tmp_path):
    bundle = source.bundle()
    train = LoopData(source.inputs_for(bundle.x_train), dict(bundle.y_train))
    x, y = source.labels("val")
    pruned, report = prune_model(source.model, 0.5, example=x, fine_tune=train, fine_tune_epochs=2)
    assert report.sparsity == pytest.approx(0.5, abs=0.01)
    assert all(share == pytest.approx(0.5, abs=0.01) for share in report.layers.values())
    assert torch_accuracy(source.model, x, y) - torch_accuracy(pruned, x, y) <= PRUNE_BUDGET
    # the pruning is permanent: plain parameters, no masks, and the zeros reach the ONNX file
    assert not any(name.endswith("_orig") for name, _ in pruned.named_parameters())
    result = export_onnx(pruned, source.io, tmp_path / "pruned.onnx", x)
    assert result.parity.passed
    weights = [numpy_helper.to_array(t) for t in onnx.load(str(result.out)).graph.initializer if t.dims and
               len(t.dims) >= 2]
    zeros = sum(int((w == 0).sum()) for w in weights) / sum(w.size for w in weights)
    assert zeros == pytest.approx(0.5, abs=0.02)
    # the source model is untouched
    assert int((source.model.fc1.weight == 0).sum()) == 0


def test_structured_pruning_removes_whole_filters_but_not_the_output_layer(source):
    x, _ = source.labels("val")
    pruned, report = prune_model(source.model, 0.5, structured=True, example=x)
    assert report.protected == ["fc2"]
    conv = pruned.conv1.weight.detach().flatten(1)
    dead = (conv.abs().sum(dim=1) == 0).sum().item()
    assert dead == conv.shape[0] // 2  # half of the 16 filters are entirely zero
    assert (pruned.fc2.weight != 0).any(dim=1).all()  # every class still has its output neuron


def test_pruning_fraction_is_validated(source):
    from studio.core.errors import UserError

    with pytest.raises(UserError, match="between 0 and 1"):
        prune_model(source.model, 1.5)
