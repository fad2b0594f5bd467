"""TorchScript export, verified by loading the written file back and comparing it to the model.

Tracing records the operations run on example inputs, which is exactly what a compiled Studio
graph does (no data-dependent Python control flow), and it keeps operations ONNX cannot express.
The interface metadata travels inside the archive as `extra_files["studio.json"]`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.onnx_export import (
    PARITY_TOLERANCE,
    ExportResult,
    ParityReport,
    as_outputs,
    eval_mode,
    torch_outputs,
    weight_bytes,
)
from studio.core.export.quiet import quiet_exporter
from studio.core.export.spec import ModelIO
from studio.core.safe_paths import as_write_error

EXTRA_FILE = "studio.json"


def export_torchscript(model: nn.Module, io_spec: ModelIO, path: str | os.PathLike[str],
                       samples: tuple[torch.Tensor, ...] | None = None,
                       tolerance: float = PARITY_TOLERANCE) -> ExportResult:
    """Trace `model`, save it, load the file back and compare it with the model on `samples`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    check_inputs = samples if samples is not None else io_spec.example_inputs(batch=8)
    trace_inputs = tuple(t[:2] if t.shape[0] >= 2 else torch.cat([t, t]) for t in check_inputs)
    extra = {EXTRA_FILE: json.dumps(io_spec.metadata())}
    with eval_mode(model), torch.no_grad():
        try:
            with quiet_exporter():
                traced = torch.jit.trace(model, trace_inputs, check_trace=False)
                torch.jit.save(traced, str(path), _extra_files=extra)
        except Exception as exc:  # tracing raises many unrelated types
            problem = as_write_error(exc, path, weight_bytes(model))
            if problem is not None:  # the disk refused the file (torch.jit.save says so only vaguely)
                raise problem from exc
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UserError(f"the model cannot be traced to TorchScript ({first[:200]})",
                            "export ONNX or the Python code instead") from exc
    loaded, _ = load_torchscript(path)
    with torch.no_grad():
        expected = torch_outputs(model, check_inputs)
        got = [t.numpy() for t in as_outputs(loaded(*check_inputs))]
    diff = max((float(abs(e - g).max()) for e, g in zip(expected, got, strict=True) if e.size), default=0.0)
    parity = ParityReport(diff, tolerance, int(check_inputs[0].shape[0]), diff <= tolerance,
                          list(io_spec.output_names))
    return ExportResult("torchscript", path, path.stat().st_size, parity)


def load_torchscript(path: str | os.PathLike[str]) -> tuple[torch.jit.ScriptModule, dict]:
    """A TorchScript file and the Studio metadata stored in it (empty when absent)."""
    extra = {EXTRA_FILE: ""}
    try:
        with quiet_exporter():
            module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    except Exception as exc:  # torch raises RuntimeError or ValueError for bad archives
        raise UserError(f"{path} is not a readable TorchScript file", "re-export it") from exc
    meta = json.loads(extra[EXTRA_FILE]) if extra[EXTRA_FILE] else {}
    module.eval()
    return module, meta
