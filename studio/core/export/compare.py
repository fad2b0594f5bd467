"""Before/after tables for model reduction: one row per variant of a model.

A row holds what a student weighs when choosing a variant: file size, parameters (and how many are
non-zero), latency in onnxruntime and PyTorch (CPU, and CUDA where present; batch 1 and 64) and
validation accuracy. Every figure is measured here, on this machine, at the time of asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.export import measure, ort


@dataclass
class Variant:
    """One version of a model: a PyTorch module, an ONNX file, or both (same weights)."""

    name: str
    module: nn.Module | None = None
    onnx_path: Path | None = None
    file_path: Path | None = None
    """The file that is shipped for this variant (defaults to the ONNX file)."""
    notes: str = ""


@dataclass
class Row:
    name: str
    file_bytes: int | None = None
    params: int | None = None
    nonzero_params: int | None = None
    latency_ms: dict[str, float] = field(default_factory=dict)
    val_accuracy: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "file_bytes": self.file_bytes, "params": self.params,
                "nonzero_params": self.nonzero_params, "latency_ms": dict(self.latency_ms),
                "val_accuracy": dict(self.val_accuracy), "notes": self.notes}


def devices() -> list[str]:
    """CPU always; CUDA where both PyTorch and onnxruntime can use it (each engine checks its own)."""
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def measure_variant(variant: Variant, samples: tuple[torch.Tensor, ...],
                    labelled: tuple[tuple[torch.Tensor, ...], torch.Tensor] | None = None,
                    batches: tuple[int, ...] = (1, 64), on: list[str] | None = None,
                    repeats: int = 30) -> Row:
    """Measure one variant. Latency keys read `<engine>_<device>_b<batch>`."""
    row = Row(variant.name, notes=variant.notes)
    shipped = variant.file_path or variant.onnx_path
    if shipped is not None:
        row.file_bytes = measure.file_bytes(shipped)
    elif variant.module is not None:
        row.file_bytes = measure.state_dict_bytes(variant.module)
    if variant.module is not None:
        counts = measure.parameter_counts(variant.module)
        row.params, row.nonzero_params = counts["params"], counts["nonzero_params"]
    elif variant.onnx_path is not None:
        row.params = measure.onnx_parameter_count(variant.onnx_path)
    for device in on or devices():
        for batch in batches:
            if variant.onnx_path is not None and (device == "cpu" or ort.cuda_available()):
                session = ort.open_session(variant.onnx_path, device=device)
                row.latency_ms[f"onnxruntime_{device}_b{batch}"] = measure.ort_latency_ms(
                    session, samples, batch, device, repeats=repeats)
            if variant.module is not None and _runs_on(variant.module, device):
                row.latency_ms[f"pytorch_{device}_b{batch}"] = measure.torch_latency_ms(
                    variant.module, samples, batch, device, repeats=repeats)
    if labelled is not None:
        x, y = labelled
        if variant.onnx_path is not None:
            row.val_accuracy["onnxruntime"] = measure.ort_accuracy(variant.onnx_path, x, y)
        if variant.module is not None:
            row.val_accuracy["pytorch"] = measure.torch_accuracy(variant.module, x, y)
    return row


def _runs_on(module: nn.Module, device: str) -> bool:
    """PyTorch's dynamically quantized layers exist only on the CPU."""
    if device == "cpu":
        return True
    return not any(type(m).__module__.startswith("torch.ao.nn.quantized") for m in module.modules())


def compare(variants: list[Variant], samples: tuple[torch.Tensor, ...],
            labelled: tuple[tuple[torch.Tensor, ...], torch.Tensor] | None = None,
            batches: tuple[int, ...] = (1, 64), on: list[str] | None = None, repeats: int = 30) -> list[dict[str, Any]]:
    """Rows for every variant, measured one after the other in the same process."""
    return [measure_variant(v, samples, labelled, batches, on, repeats).to_dict() for v in variants]


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table of the rows (the CLI's human output and the docs' examples)."""
    keys = sorted({k for r in rows for k in r["latency_ms"]})
    acc_keys = sorted({k for r in rows for k in r["val_accuracy"]})
    header = ["variant", "bytes", "params", "nonzero"] + [f"{k} ms" for k in keys] + [f"acc {k}" for k in acc_keys]
    lines = [header]
    for r in rows:
        line = [r["name"], str(r["file_bytes"] or "-"), str(r["params"] or "-"), str(r["nonzero_params"] or "-")]
        line += [f"{r['latency_ms'][k]:.3f}" if k in r["latency_ms"] else "-" for k in keys]
        line += [f"{r['val_accuracy'][k]:.4f}" if k in r["val_accuracy"] else "-" for k in acc_keys]
        lines.append(line)
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in lines)

