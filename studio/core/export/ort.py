"""onnxruntime sessions: one place that opens them, so thread counts and providers stay comparable.

onnxruntime is an optional dependency imported only here, inside functions, so the rest of
`studio.core` imports on a machine that lacks it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.errors import UserError


def import_ort():
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise UserError("onnxruntime is not installed, so the ONNX file cannot be checked or run",
                        "pip install onnxruntime (or onnxruntime-gpu on a CUDA machine)") from exc
    return onnxruntime


def providers(device: str = "cpu") -> list[str]:
    """onnxruntime execution providers for `device`; CUDA only where this onnxruntime build has it."""
    ort = import_ort()
    available = ort.get_available_providers()
    if device == "cuda":
        if "CUDAExecutionProvider" not in available:
            raise UserError("this onnxruntime has no CUDA provider", "pip install onnxruntime-gpu, or use --device cpu")
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def cuda_available() -> bool:
    ort = import_ort()
    return "CUDAExecutionProvider" in ort.get_available_providers()


def open_session(model: str | os.PathLike[str] | bytes, device: str = "cpu", threads: int | None = None,
                 spinning: bool = True):
    """An InferenceSession on `device`; `threads` pins intra-op threads (defaults to torch's count).

    `spinning=False` for sessions timed side by side with other sessions: onnxruntime's idle
    threads otherwise keep spinning after a run and take the cores from the next session's run
    (on 2 cores that made an fp32 file read 1.5 ms or 23 ms at batch 64 depending on which
    session ran before it).
    """
    ort = import_ort()
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(threads or torch.get_num_threads())
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    source = model if isinstance(model, bytes) else str(Path(model))
    try:
        return ort.InferenceSession(source, sess_options=options, providers=providers(device))
    except Exception as exc:  # onnxruntime raises its own exception types (Fail, InvalidGraph, ...)
        name = "the model" if isinstance(model, bytes) else str(model)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"onnxruntime cannot open {name} ({first})",
                        "check the file is a complete .onnx export; re-export it if it was cut short") from exc


def feeds(session: Any, inputs: tuple[torch.Tensor, ...] | list[np.ndarray]) -> dict[str, np.ndarray]:
    """Inputs keyed by the session's input names, in the session's order."""
    names = [i.name for i in session.get_inputs()]
    if len(names) != len(inputs):
        raise UserError(f"the model takes {len(names)} inputs ({', '.join(names)}) but {len(inputs)} were given")
    arrays = [t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t) for t in inputs]
    return dict(zip(names, arrays, strict=True))


def run(session: Any, inputs: tuple[torch.Tensor, ...] | list[np.ndarray]) -> list[np.ndarray]:
    return session.run(None, feeds(session, inputs))
