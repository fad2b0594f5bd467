"""The before/after table: every variant measured for size, parameters, latency and accuracy."""

from __future__ import annotations

import pytest

from studio.core.export.compare import Variant, compare, format_table
from studio.core.export.onnx_export import export_onnx
from studio.core.export.prune import prune_model
from studio.core.export.quantize import quantize_onnx_dynamic, quantize_torch_dynamic


def test_rows_compare_fp32_int8_and_pruned(source, tmp_path):
    samples = source.samples(64)
    labelled = source.labels("val")
    fp32 = export_onnx(source.model, source.io, tmp_path / "fp32.onnx", samples).out
    int8 = quantize_onnx_dynamic(fp32, tmp_path / "int8.onnx")
    pruned, _ = prune_model(source.model, 0.5, example=samples)
    rows = compare([
        Variant("fp32", source.model, fp32),
        Variant("int8 onnxruntime", None, int8),
        Variant("int8 pytorch", quantize_torch_dynamic(source.model)),
        Variant("pruned 50%", pruned),
    ], samples, labelled, batches=(1, 64), on=["cpu"], repeats=5)
    by_name = {r["name"]: r for r in rows}
    fp, q = by_name["fp32"], by_name["int8 onnxruntime"]
    assert fp["file_bytes"] / q["file_bytes"] >= 3.5
    assert fp["params"] == by_name["int8 pytorch"]["params"] == by_name["pruned 50%"]["params"]
    assert q["params"] == fp["params"]  # the ONNX file's weights, int8 or not, count the same
    assert by_name["pruned 50%"]["nonzero_params"] < 0.6 * fp["params"]
    for key in ("onnxruntime_cpu_b1", "onnxruntime_cpu_b64", "pytorch_cpu_b1", "pytorch_cpu_b64"):
        assert fp["latency_ms"][key] > 0
    assert set(q["latency_ms"]) == {"onnxruntime_cpu_b1", "onnxruntime_cpu_b64"}
    assert fp["val_accuracy"]["onnxruntime"] == fp["val_accuracy"]["pytorch"] > 0.9
    assert abs(q["val_accuracy"]["onnxruntime"] - fp["val_accuracy"]["pytorch"]) <= 0.01
    table = format_table(rows)
    assert table.splitlines()[0].startswith("variant") and len(table.splitlines()) == 5


@pytest.mark.gpu
def test_cuda_rows_are_measured_where_cuda_is_present(source):
    samples = source.samples(64)
    rows = compare([Variant("fp32", source.model)], samples, None, batches=(1, 64), on=["cpu", "cuda"], repeats=5)
    latency = rows[0]["latency_ms"]
    assert latency["pytorch_cuda_b1"] > 0 and latency["pytorch_cuda_b64"] > 0
    assert next(source.model.parameters()).device.type == "cpu"  # the model is handed back on the CPU
