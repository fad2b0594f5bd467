"""ONNX export, always followed by a check in onnxruntime against PyTorch on real samples.

An exported file that silently computes something else is worse than no file, so every export is
run in onnxruntime on the samples given (validation data when exporting a run) and the largest
absolute difference to PyTorch is reported with a pass/fail against the 1e-4 budget (fp32).

We use the TorchScript-based exporter (`dynamo=False`): it needs no extra package, covers every
block Studio ships, and writes a dynamic batch axis from `dynamic_axes`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export import ort
from studio.core.export.blockers import locate_blocker, try_export
from studio.core.export.quiet import quiet_exporter
from studio.core.export.spec import ModelIO
from studio.core.safe_paths import as_write_error

DEFAULT_OPSET = 17
PARITY_TOLERANCE = 1e-4


@dataclass
class ParityReport:
    """How closely onnxruntime reproduces PyTorch on the same inputs."""

    max_abs_diff: float
    tolerance: float | None
    """None where no bound applies (an INT8 file compared with the fp32 model)."""
    samples: int
    passed: bool
    outputs: list[str] = field(default_factory=list)
    top1_agreement: float | None = None
    """Share of samples whose arg-max class agrees (classification outputs only)."""

    def to_dict(self) -> dict[str, Any]:
        return {"max_abs_diff": self.max_abs_diff, "tolerance": self.tolerance, "samples": self.samples,
                "passed": self.passed, "outputs": self.outputs, "top1_agreement": self.top1_agreement}

    def verdict(self) -> str:
        if self.tolerance is None:
            return f"max abs diff {self.max_abs_diff:.2e} on {self.samples} samples"
        mark = "PASS" if self.passed else "FAIL"
        return f"{mark}: max abs diff {self.max_abs_diff:.2e} (budget {self.tolerance:.0e}) on {self.samples} samples"


@dataclass
class ExportResult:
    """One written file and what we know about it."""

    format: str
    out: Path
    bytes: int
    parity: ParityReport | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def max_abs_diff(self) -> float | None:
        return None if self.parity is None else self.parity.max_abs_diff

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "out": str(self.out), "bytes": self.bytes,
                "max_abs_diff": self.max_abs_diff,
                "parity": None if self.parity is None else self.parity.to_dict(), "notes": list(self.notes)}


def as_outputs(value: Any) -> list[torch.Tensor]:
    """A model's return value as a flat list of tensors (one head gives one tensor)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        out: list[torch.Tensor] = []
        for v in value:
            out.extend(as_outputs(v))
        return out
    if isinstance(value, dict):
        return as_outputs(list(value.values()))
    raise UserError(f"the model returns a {type(value).__name__}, which cannot be exported",
                    "return tensors (one per head) from forward()")


@contextlib.contextmanager
def eval_mode(model: nn.Module):
    """Evaluation mode for the duration (dropout off, batch-norm running stats), then as it was."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def torch_outputs(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> list[np.ndarray]:
    with torch.no_grad(), eval_mode(model):
        return [t.detach().float().cpu().numpy() for t in as_outputs(model(*inputs))]


def check_parity(session: Any, model: nn.Module, inputs: tuple[torch.Tensor, ...],
                 tolerance: float = PARITY_TOLERANCE, output_names: list[str] | None = None) -> ParityReport:
    """Run both engines on `inputs` and compare every output element."""
    expected = torch_outputs(model, inputs)
    got = ort.run(session, inputs)
    if len(got) != len(expected):
        raise UserError(f"the ONNX file gives {len(got)} outputs but the model gives {len(expected)}",
                        "re-export the model")
    diff = 0.0
    for e, g in zip(expected, got, strict=True):
        if e.shape != g.shape:
            raise UserError(f"ONNX output shape {tuple(g.shape)} differs from PyTorch's {tuple(e.shape)}",
                            "re-export the model; the batch axis may have been fixed at export")
        if e.size:
            diff = max(diff, float(np.max(np.abs(e.astype(np.float64) - g.astype(np.float64)))))
    agreement = None
    first, first_got = expected[0], got[0]
    if first.ndim == 2 and first.shape[1] > 1:
        agreement = float(np.mean(first.argmax(1) == first_got.argmax(1)))
    n = int(inputs[0].shape[0]) if inputs else 0
    return ParityReport(diff, tolerance, n, bool(np.isfinite(diff) and diff <= tolerance),
                        list(output_names or []), agreement)


def _write_metadata(path: Path, io_spec: ModelIO, extra: dict[str, Any] | None) -> None:
    import onnx

    model = onnx.load(str(path))
    del model.metadata_props[:]
    for key, value in io_spec.metadata(extra).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    model.producer_name = "Studio"
    model.doc_string = f"{io_spec.model_name} exported by Studio"
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def export_onnx(model: nn.Module, io_spec: ModelIO, path: str | os.PathLike[str],
                samples: tuple[torch.Tensor, ...] | None = None, opset: int = DEFAULT_OPSET,
                metadata: dict[str, Any] | None = None, check: bool = True,
                tolerance: float = PARITY_TOLERANCE) -> ExportResult:
    """Write `model` as ONNX with a dynamic batch axis and metadata, then check it in onnxruntime.

    `samples` are real inputs (e.g. validation samples); without them random inputs of the right
    shape are used, which checks the arithmetic but not the range the model will really see.
    """
    if opset < 17:
        raise UserError(f"ONNX opset {opset} is too old", "use opset 17 or newer")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    check_inputs = samples if samples is not None else io_spec.example_inputs(batch=8)
    trace_inputs = tuple(t[:2] if t.shape[0] >= 2 else torch.cat([t, t]) for t in check_inputs)
    dynamic = {name: {0: "batch"} for name in [*io_spec.input_names, *io_spec.output_names]}
    with eval_mode(model):
        with torch.no_grad():
            n_outputs = len(as_outputs(model(*trace_inputs)))
        if n_outputs != len(io_spec.output_names):
            raise UserError(f"the model gives {n_outputs} outputs but {len(io_spec.output_names)} names were given")
        try:
            with quiet_exporter():
                torch.onnx.export(model, trace_inputs, str(path), dynamo=False, opset_version=opset,
                                  input_names=list(io_spec.input_names), output_names=list(io_spec.output_names),
                                  dynamic_axes=dynamic, do_constant_folding=True)
        except UserError:
            raise
        except Exception as exc:  # the exporter raises many unrelated types
            problem = as_write_error(exc, path, weight_bytes(model))
            if problem is not None:  # the disk refused the file: no block is to blame
                raise problem from exc
            raise locate_blocker(model, trace_inputs, exc, opset).to_error() from exc
    _write_metadata(path, io_spec, metadata)
    result = ExportResult("onnx", path, path.stat().st_size)
    if check:
        session = ort.open_session(path)
        result.parity = check_parity(session, model, check_inputs, tolerance, list(io_spec.output_names))
    return result


def weight_bytes(model: nn.Module) -> int:
    """About how many bytes the model's weights take in a file (to tell a full disk from a bad model)."""
    return sum(t.numel() * t.element_size() for t in model.state_dict().values() if isinstance(t, torch.Tensor))


def onnx_exportable(model: nn.Module, io_spec: ModelIO, opset: int = DEFAULT_OPSET):
    """None when `model` exports, else the `OnnxBlocker` naming the block that stops it."""
    inputs = io_spec.example_inputs(batch=2)
    with eval_mode(model):
        exc = try_export(model, inputs, opset)
        return None if exc is None else locate_blocker(model, inputs, exc, opset)


def read_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """The metadata_props of an .onnx file as a dict."""
    import onnx

    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as exc:  # protobuf decode errors have no common base
        raise UserError(f"{path} is not a readable ONNX file ({type(exc).__name__})",
                        "choose a .onnx file written by an exporter") from exc
    return {p.key: p.value for p in model.metadata_props}
