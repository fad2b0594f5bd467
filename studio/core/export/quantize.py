"""INT8 quantization: 32-bit float weights (and, with calibration, activations) as 8-bit integers.

Three routes, because they answer different questions:

* onnxruntime dynamic: weights stored as int8, activations quantized on the fly per batch. No
  data needed; the file shrinks about 4x. Convolutions become ConvInteger, which has no fast CPU
  kernel, so a CNN can run several times slower than fp32.
* onnxruntime static: activations get fixed scales from calibration samples (the training data),
  so the whole graph runs in int8 (QDQ format, per-channel weights).
* PyTorch dynamic: Linear/LSTM/GRU layers swapped for int8 versions inside PyTorch, for people who
  deploy with PyTorch itself. Convolutions stay fp32 there (PyTorch has no dynamic int8 conv).

INT8 only shrinks weights. A model with no layer whose weights a route quantizes (normalisation and
pooling only, say) is refused before anything is written: onnxruntime would wrap it in scales and
quantize nodes and hand back a file bigger than the fp32 one. And a small model can still grow
(its few weights save less than the added nodes cost): `size_change` words the ratio so that a
bigger file is always called larger.

Which onnxruntime route an export ships is decided by measuring both (`int8_route`).
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


WEIGHTED_OPS = {
    "dynamic": ("Conv", "MatMul", "Gemm", "LSTM", "Attention", "Gather", "EmbedLayerNormalization"),
    "static": ("Conv", "ConvTranspose", "MatMul", "Gemm", "Gather"),
}
"""ONNX operators whose weights onnxruntime stores as int8, per route (its IntegerOpsRegistry and
QDQRegistry, less the weightless ones). Gemm is listed for dynamic too: the pre-pass turns a Linear's
Gemm into the MatMul that dynamic quantization handles."""


def size_change(before_bytes: int, after_bytes: int) -> str:
    """"4.00x smaller", "1.25x larger" or "the same size": a ratio in words that never calls growth smaller."""
    if before_bytes <= 0 or after_bytes <= 0 or before_bytes == after_bytes:
        return "the same size"
    if after_bytes < before_bytes:
        return f"{before_bytes / after_bytes:.2f}x smaller"
    return f"{after_bytes / before_bytes:.2f}x larger"


def compared_to(before_bytes: int, after_bytes: int, what: str = "fp32") -> str:
    """`size_change` as a phrase: "4.00x smaller than fp32", "the same size as fp32"."""
    change = size_change(before_bytes, after_bytes)
    return f"{change} {'as' if change == 'the same size' else 'than'} {what}"


def int8_layers(path: str | os.PathLike[str], mode: str = "dynamic") -> list[str]:
    """Names of the nodes of an fp32 ONNX file whose weights `mode` INT8 quantization would store as
    int8: operators it handles that take a weight tensor stored in the file (an initializer)."""
    import onnx

    model = onnx.load(str(path))
    weights = {t.name for t in model.graph.initializer if len(t.dims) >= 2}
    ops = WEIGHTED_OPS[mode]
    return [n.name or n.op_type for n in model.graph.node
            if n.op_type in ops and any(i in weights for i in n.input)]


def _require_int8_layers(src: Path, mode: str) -> None:
    """Refuse before quantizing a model INT8 cannot shrink: onnxruntime would add scales and
    quantize nodes around nothing and write a file bigger than the fp32 one."""
    if int8_layers(src, mode):
        return
    import onnx

    ops = sorted({n.op_type for n in onnx.load(str(src)).graph.node})
    raise UserError(f"{src.name} has no layer that INT8 can quantize: {mode} quantization stores the weights of "
                    f"{', '.join(WEIGHTED_OPS[mode])} layers as 8-bit integers, and this model has none (it is made "
                    f"of {', '.join(ops) or 'nothing'}), so the file would only grow",
                    "export it in fp32 (INT8 off) (fp32 is already as small as this model gets)")


def _count_int8_weights(path: Path) -> int:
    """8-bit weight tensors in a quantized file (matrices and kernels; per-channel zero points are 1-D)."""
    import onnx

    eight_bit = (onnx.TensorProto.INT8, onnx.TensorProto.UINT8)
    return sum(1 for t in onnx.load(str(path)).graph.initializer if t.data_type in eight_bit and len(t.dims) >= 2)


def _check_quantized(src: Path, dst: Path, mode: str) -> None:
    """After quantizing: if onnxruntime stored no weight as int8 after all, do not pass the file off as INT8."""
    if _count_int8_weights(dst) == 0:
        dst.unlink(missing_ok=True)
        raise UserError(f"onnxruntime quantized no weight of {src.name} to int8 ({mode}); the file would only "
                        "be larger", "export it in fp32 (INT8 off)")


def quantize_onnx_dynamic(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Path:
    """int8 weights, activations quantized at run time; no calibration data needed."""
    q = _import_quantization()
    src, dst = Path(src), Path(dst)
    _require_int8_layers(src, "dynamic")
    dst.parent.mkdir(parents=True, exist_ok=True)
    pre = _preprocess(src, dst.with_suffix(".pre.onnx"))
    try:
        with quiet_exporter():
            q.quantize_dynamic(str(pre), str(dst), weight_type=q.QuantType.QInt8)
    except Exception as exc:  # onnxruntime raises plain Exceptions for unsupported graphs
        raise UserError(f"onnxruntime could not quantize {src.name} ({str(exc).splitlines()[0][:200]})",
                        "export in fp32 (INT8 off), or try static INT8") from exc
    finally:
        if pre != src:
            pre.unlink(missing_ok=True)
    _check_quantized(src, dst, "dynamic")
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
    _require_int8_layers(src, "static")
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
    _check_quantized(src, dst, "static")
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
