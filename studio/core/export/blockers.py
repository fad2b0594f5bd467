"""Why a model cannot go to ONNX, said in the user's terms: which block, which operation, what instead.

The exporter's own error names an ATen operator deep inside a traced graph; a student needs the
node on the canvas. We find it by exporting each top-level submodule (a node of a compiled graph)
alone with the inputs it received in a real forward pass: the first one that fails on its own is
the culprit. Alternatives depend on the operation, with a generic fallback that always holds
(TorchScript and Python code keep every PyTorch operation).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.quiet import quiet_exporter

GENERIC_ALTERNATIVES = (
    "export TorchScript (--format torchscript) or the Python code (--format python), which keep every PyTorch op",
    "replace the block by one built from standard layers",
)

# Operation name fragment -> (why it cannot be ONNX, what to do instead).
KNOWN_OPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fft", "ONNX has no complex numbers, so FFTs of real tensors returning complex values cannot be written",
     ("compute the spectrum before the model (as preprocessing, like the audio lab's log-mel)",
      "use a Conv1d filter bank, which ONNX supports")),
    ("linalg", "ONNX has no linear-algebra decompositions (SVD, eigenvalues, QR, inverse)",
     ("precompute the decomposition and store it as a fixed weight",)),
    ("svd", "ONNX has no singular value decomposition", ("precompute it and store it as a fixed weight",)),
    ("complex", "ONNX has no complex dtype", ("keep real and imaginary parts as two real channels",)),
)


@dataclass
class OnnxBlocker:
    """The part of a model that stops the ONNX export, and what the user can do."""

    node: str | None
    module_type: str | None
    operation: str | None
    reason: str
    alternatives: tuple[str, ...]

    def message(self) -> str:
        where = f"block '{self.node}' ({self.module_type})" if self.node else "the model"
        op = f" uses {self.operation}, which" if self.operation else ""
        return f"{where}{op} cannot be exported to ONNX: {self.reason}"

    def fix(self) -> str:
        return "; or ".join(self.alternatives)

    def to_error(self) -> OnnxExportRefused:
        return OnnxExportRefused(self.message(), self.fix(), self)


class OnnxExportRefused(UserError):
    """ONNX export is impossible for this model; `blocker` says where and why."""

    def __init__(self, message: str, fix: str, blocker: OnnxBlocker):
        super().__init__(message, fix)
        self.blocker = blocker


def operation_from_error(exc: BaseException) -> str | None:
    match = re.search(r"operator '([\w:.]+)'", str(exc))
    return match.group(1) if match else None


def _explain(operation: str | None, exc: BaseException) -> tuple[str, tuple[str, ...]]:
    op = (operation or "").lower()
    for fragment, reason, alternatives in KNOWN_OPS:
        if fragment in op:
            return reason, alternatives + GENERIC_ALTERNATIVES
    if operation:
        return f"the ONNX exporter has no conversion for {operation} at this opset", GENERIC_ALTERNATIVES
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"the exporter failed ({first[:200]})", GENERIC_ALTERNATIVES


def try_export(module: nn.Module, inputs: tuple, opset: int) -> BaseException | None:
    """Export `module` to an in-memory buffer; the exception if that fails, else None."""
    buffer = io.BytesIO()
    try:
        with quiet_exporter():
            torch.onnx.export(module, inputs, buffer, dynamo=False, opset_version=opset)
    except Exception as exc:  # the exporter raises many unrelated types
        return exc
    return None


def _child_inputs(model: nn.Module, inputs: tuple) -> dict[str, tuple]:
    """The positional inputs each direct child received in one forward pass."""
    seen: dict[str, tuple] = {}
    handles = []
    for name, child in model.named_children():
        def hook(_module, args, _name=name):
            seen.setdefault(_name, tuple(a.detach() if isinstance(a, torch.Tensor) else a for a in args))
        handles.append(child.register_forward_pre_hook(hook))
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for h in handles:
            h.remove()
    return seen


def locate_blocker(model: nn.Module, inputs: tuple, exc: BaseException, opset: int) -> OnnxBlocker:
    """Name the node that makes `model` fail to export, given the exporter's exception `exc`."""
    operation = operation_from_error(exc)
    reason, alternatives = _explain(operation, exc)
    try:
        per_child = _child_inputs(model, inputs)
    except Exception:  # the model cannot even run: report without a node
        per_child = {}
    children = dict(model.named_children())
    for name, args in per_child.items():
        child_exc = try_export(children[name], args, opset)
        if child_exc is not None:
            child_op = operation_from_error(child_exc) or operation
            reason, alternatives = _explain(child_op, child_exc)
            return OnnxBlocker(name, type(children[name]).__name__, child_op, reason, alternatives)
    return OnnxBlocker(None, type(model).__name__, operation, reason, alternatives)
