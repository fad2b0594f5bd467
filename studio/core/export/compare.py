"""Before/after tables for model reduction: one row per variant of a model.

A row holds what a student weighs when choosing a variant: file size, parameters (and how many are
non-zero), latency in onnxruntime and PyTorch (CPU, and CUDA where present; batch 1 and 64) and
validation accuracy. Every figure is measured here, on this machine, at the time of asking; the
latencies of the variants are timed side by side (one call of each in turn) and kept with their
quartiles, so `latency_change` can tell a real speed-up from the noise of measuring.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.export import measure, ort
from studio.core.export.measure import Timing
from studio.core.export.speed import SpeedChange, speed_change


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
    latency_iqr_ms: dict[str, list[float]] = field(default_factory=dict)
    """The first and third quartile of each latency's calls."""
    latency_times_ms: dict[str, list[float]] = field(default_factory=dict)
    """Each latency's calls, in rounds paired with the other rows' (see `latency_change`)."""
    val_accuracy: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "file_bytes": self.file_bytes, "params": self.params,
                "nonzero_params": self.nonzero_params, "latency_ms": dict(self.latency_ms),
                "latency_iqr_ms": {k: list(v) for k, v in self.latency_iqr_ms.items()},
                "latency_times_ms": {k: list(v) for k, v in self.latency_times_ms.items()},
                "val_accuracy": dict(self.val_accuracy), "notes": self.notes}


def devices() -> list[str]:
    """CPU always; CUDA where both PyTorch and onnxruntime can use it (each engine checks its own)."""
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def _facts(variant: Variant, labelled: tuple[tuple[torch.Tensor, ...], torch.Tensor] | None) -> Row:
    """Everything but latency: size, parameters and accuracy."""
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
    if labelled is not None:
        x, y = labelled
        if variant.onnx_path is not None:
            row.val_accuracy["onnxruntime"] = measure.ort_accuracy(variant.onnx_path, x, y)
        if variant.module is not None:
            row.val_accuracy["pytorch"] = measure.torch_accuracy(variant.module, x, y)
    return row


def _ort_calls(variants: list[Variant], samples: tuple[torch.Tensor, ...], device: str, batch: int) -> dict[int, Any]:
    """One onnxruntime call per variant with a file, in fresh sessions, keyed by the variant's index."""
    return {i: measure.ort_runner(ort.open_session(v.onnx_path, device=device, spinning=False), samples, batch, device)
            for i, v in enumerate(variants) if v.onnx_path is not None}


def _time_variants(variants: list[Variant], rows: list[Row], samples: tuple[torch.Tensor, ...],
                   batches: tuple[int, ...], on: list[str], repeats: int) -> None:
    """Latency keys `<engine>_<device>_b<batch>`; each key's variants are timed side by side."""
    for device in on:
        for batch in batches:
            timed = {}
            if any(v.onnx_path is not None for v in variants) and (device == "cpu" or ort.cuda_available()):
                open_calls = functools.partial(_ort_calls, variants, samples, device, batch)
                timed["onnxruntime"] = measure.time_sessions(open_calls, rounds=repeats)
            with contextlib.ExitStack() as stack:
                calls = {i: stack.enter_context(measure.torch_runner(v.module, samples, batch, device))
                         for i, v in enumerate(variants) if v.module is not None and _runs_on(v.module, device)}
                if calls:
                    timed["pytorch"] = measure.time_side_by_side(calls, rounds=repeats)
            for engine, timings in timed.items():
                for i, timing in timings.items():
                    rows[i].latency_ms[f"{engine}_{device}_b{batch}"] = timing.median_ms
                    rows[i].latency_iqr_ms[f"{engine}_{device}_b{batch}"] = timing.iqr()
                    rows[i].latency_times_ms[f"{engine}_{device}_b{batch}"] = list(timing.times_ms)


def _runs_on(module: nn.Module, device: str) -> bool:
    """PyTorch's dynamically quantized layers exist only on the CPU."""
    if device == "cpu":
        return True
    return not any(type(m).__module__.startswith("torch.ao.nn.quantized") for m in module.modules())


def compare(variants: list[Variant], samples: tuple[torch.Tensor, ...],
            labelled: tuple[tuple[torch.Tensor, ...], torch.Tensor] | None = None,
            batches: tuple[int, ...] = (1, 64), on: list[str] | None = None, repeats: int = 30) -> list[dict[str, Any]]:
    """Rows for every variant, measured in the same process (latencies side by side)."""
    rows = [_facts(v, labelled) for v in variants]
    _time_variants(variants, rows, samples, batches, on or devices(), repeats)
    return [r.to_dict() for r in rows]


def row_timing(row: dict[str, Any], key: str) -> Timing | None:
    """A row's latency `key` as a Timing (rows without quartiles count as exact)."""
    median = row.get("latency_ms", {}).get(key)
    if median is None:
        return None
    q1, q3 = row.get("latency_iqr_ms", {}).get(key, (median, median))
    return Timing(median, q1, q3, tuple(row.get("latency_times_ms", {}).get(key, ())))


def latency_change(before: dict[str, Any], after: dict[str, Any], key: str) -> SpeedChange | None:
    """How `after` row's latency `key` compares with `before`'s, "same" within the noise (see speed)."""
    a, b = row_timing(before, key), row_timing(after, key)
    return None if a is None or b is None else speed_change(a, b)


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

