"""INT8 quantization: 32-bit float weights (and, with calibration, activations) as 8-bit integers.

Three routes, because they answer different questions:

* onnxruntime dynamic: weights stored as int8, activations quantized on the fly per batch. No
  data needed; the file shrinks about 4x; the usual first step.
* onnxruntime static: activations get fixed scales from calibration samples (the validation or
  training data), so the whole graph runs in int8 (QDQ format, per-channel weights).
* PyTorch dynamic: Linear/LSTM/GRU layers swapped for int8 versions inside PyTorch, for people who
  deploy with PyTorch itself. Convolutions stay fp32 there (PyTorch has no dynamic int8 conv).
"""

from __future__ import annotations

import copy
import os
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.onnx_export import read_metadata
from studio.core.export.quiet import quiet_exporter


def _import_quantization():
    try:
        from onnxruntime import quantization
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise UserError("onnxruntime is not installed, so INT8 quantization is unavailable",
                        "pip install onnxruntime") from exc
    return quantization


def _keep_metadata(src: Path, dst: Path, method: str) -> None:
    """Copy Studio's metadata onto the quantized file and record how it was quantized."""
    import onnx

    props = read_metadata(src)
    props["quantization"] = method
    model = onnx.load(str(dst))
    del model.metadata_props[:]
    for key, value in props.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, str(dst))


def _preprocess(src: Path, dst: Path) -> Path:
    """onnxruntime's recommended pre-pass (shape inference + graph optimisation) into `dst`."""
    q = _import_quantization()
    try:
        with quiet_exporter():
            q.quant_pre_process(str(src), str(dst))
        return dst
    except Exception:  # the pre-pass is an optimisation; quantizing the original is still correct
        return src


def quantize_onnx_dynamic(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Path:
    """int8 weights, activations quantized at run time; no calibration data needed."""
    q = _import_quantization()
    src, dst = Path(src), Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    pre = _preprocess(src, dst.with_suffix(".pre.onnx"))
    try:
        with quiet_exporter():
            q.quantize_dynamic(str(pre), str(dst), weight_type=q.QuantType.QInt8)
    except Exception as exc:  # onnxruntime raises plain Exceptions for unsupported graphs
        raise UserError(f"onnxruntime could not quantize {src.name} ({str(exc).splitlines()[0][:200]})",
                        "export without --int8, or try static quantization") from exc
    finally:
        if pre != src:
            pre.unlink(missing_ok=True)
    _keep_metadata(src, dst, "onnxruntime dynamic int8 (weights int8, activations per batch)")
    return dst


def _calibration_reader(q: Any, names: list[str], samples: tuple[torch.Tensor, ...], batch: int):
    """onnxruntime's CalibrationDataReader over our samples, `batch` at a time."""

    class Reader(q.CalibrationDataReader):
        def __init__(self) -> None:
            n = int(samples[0].shape[0])
            self._batches = iter([
                {name: t[i:i + batch].detach().cpu().numpy() for name, t in zip(names, samples, strict=True)}
                for i in range(0, n, batch)])

        def get_next(self) -> dict[str, Any] | None:
            return next(self._batches, None)

    return Reader()


def quantize_onnx_static(src: str | os.PathLike[str], dst: str | os.PathLike[str],
                         calibration: tuple[torch.Tensor, ...], batch: int = 32, per_channel: bool = True) -> Path:
    """int8 weights and activations with scales calibrated on `calibration` samples (QDQ format)."""
    q = _import_quantization()
    src, dst = Path(src), Path(dst)
    if calibration is None or int(calibration[0].shape[0]) == 0:
        raise UserError("static INT8 quantization needs calibration samples", "pass some training or validation data")
    dst.parent.mkdir(parents=True, exist_ok=True)
    pre = _preprocess(src, dst.with_suffix(".pre.onnx"))
    names = _input_names(pre)
    reader = _calibration_reader(q, names, calibration, batch)
    try:
        with quiet_exporter():
            q.quantize_static(str(pre), str(dst), reader, quant_format=q.QuantFormat.QDQ, per_channel=per_channel,
                              weight_type=q.QuantType.QInt8, activation_type=q.QuantType.QInt8)
    except Exception as exc:  # onnxruntime raises plain Exceptions for unsupported graphs
        raise UserError(f"onnxruntime could not quantize {src.name} ({str(exc).splitlines()[0][:200]})",
                        "use dynamic quantization instead") from exc
    finally:
        if pre != src:
            pre.unlink(missing_ok=True)
    _keep_metadata(src, dst, f"onnxruntime static int8 (QDQ, calibrated on {int(calibration[0].shape[0])} samples)")
    return dst


def _input_names(path: Path) -> list[str]:
    import onnx

    model = onnx.load(str(path))
    initializers = {t.name for t in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in initializers]


TORCH_DYNAMIC_TYPES = (nn.Linear, nn.LSTM, nn.GRU)


def quantize_torch_dynamic(model: nn.Module) -> nn.Module:
    """A copy of `model` whose Linear/LSTM/GRU layers compute in int8 (PyTorch dynamic quantization)."""
    types = {t for t in TORCH_DYNAMIC_TYPES if any(isinstance(m, t) for m in model.modules())}
    if not types:
        raise UserError("the model has no Linear, LSTM or GRU layer for PyTorch dynamic quantization",
                        "use onnxruntime quantization, which also covers convolutions")
    clone = copy.deepcopy(model).cpu().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(clone, types, dtype=torch.qint8)
