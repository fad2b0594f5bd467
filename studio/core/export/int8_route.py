"""Which INT8 route to ship, decided by measuring: each route made, timed beside fp32, scored on held-out data.

Why measure rather than pick one: which route is fast depends on the model and on the kernels of
the machine. onnxruntime's dynamic route quantizes activations at run time and runs convolutions
as ConvInteger, which has no fast CPU kernel: it made the course's MNIST CNN 2.7x slower than fp32
at batch 1 and 6.3x slower at batch 64, while the static route (activation scales calibrated once,
QDQ pairs that onnxruntime fuses into QLinearConv) ran it in 0.133 ms instead of 0.427 ms with
the same top-1. A model of Linear layers can go the other way. So `auto` (the default of `--int8`)
makes both onnxruntime routes, times them side by side with the fp32 file at batch 1 and 64, and
keeps the fastest whose accuracy on the validation split (held out: calibration uses training
samples) is at most `BUDGET_POINTS` below the fp32 file's. A route forced by name is measured the
same way, so a route slower than fp32 is always said (`slower_than_fp32`).

"Fastest" is the geometric mean over the batches of route / fp32 median latency (scale-free, so
batch 64's larger milliseconds do not drown batch 1). Two routes the same speed within the noise
at every batch (`speed.speed_change`) are told apart by accuracy instead.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.errors import UserError
from studio.core.export import measure, ort, quantize
from studio.core.export.measure import Timing
from studio.core.export.speed import SpeedChange, speed_change

BUDGET_POINTS = 1.0
"""Validation accuracy (percentage points) INT8 may lose against fp32 (docs/export.md)."""

ONNX_ROUTES = ("dynamic", "static")
REQUESTS = ("auto", *ONNX_ROUTES)
AGREEMENT_BUDGET = 0.99
"""Without labels: the share of held-out inputs whose top-1 class must match the fp32 file's."""
BATCHES = (1, 64)


@dataclass
class RouteTrial:
    """One route made and measured (or refused, with onnxruntime's reason)."""

    route: str
    path: Path | None = None
    refused: UserError | None = None
    latency: dict[int, Timing] = field(default_factory=dict)
    speed: dict[int, SpeedChange] = field(default_factory=dict)
    """Against the fp32 file, per batch."""
    accuracy: float | None = None
    agreement: float | None = None
    drop_points: float | None = None
    within_budget: bool = False

    def score(self, fp32: dict[int, Timing]) -> float:
        ratios = [self.latency[b].median_ms / fp32[b].median_ms for b in self.latency if fp32[b].median_ms > 0]
        return math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else math.inf

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "refused": None if self.refused is None else self.refused.one_line(),
                "latency_ms": {f"b{b}": t.median_ms for b, t in self.latency.items()},
                "latency_iqr_ms": {f"b{b}": t.iqr() for b, t in self.latency.items()},
                "speed_vs_fp32": {f"b{b}": s.to_dict() for b, s in self.speed.items()},
                "accuracy": self.accuracy, "agreement": self.agreement, "drop_points": self.drop_points,
                "within_budget": self.within_budget}


@dataclass
class RouteChoice:
    """The route shipped, every route tried, and the fp32 file's figures they were measured against."""

    requested: str
    chosen: RouteTrial
    trials: list[RouteTrial]
    fp32_latency: dict[int, Timing]
    fp32_accuracy: float | None = None
    engine: str = "onnxruntime"

    def slower_than_fp32(self) -> list[int]:
        """Batches at which the shipped INT8 file runs slower than fp32 (beyond the noise)."""
        return [b for b, s in self.chosen.speed.items() if s.kind == "slower"]

    def speed_words(self, batches: list[int]) -> str:
        """"2.93x at batch 1 (0.216 ms -> 0.633 ms), 5.63x at batch 64 (10.2 ms -> 57.7 ms)"."""
        return ", ".join(f"{self.chosen.speed[b].factor():.2f}x at batch {b} ({self.fp32_latency[b].median_ms:.3g} ms "
                         f"-> {self.chosen.latency[b].median_ms:.3g} ms)" for b in batches)

    def to_dict(self) -> dict[str, Any]:
        return {"requested": self.requested, "route": self.chosen.route, "engine": self.engine,
                "fp32_latency_ms": {f"b{b}": t.median_ms for b, t in self.fp32_latency.items()},
                "fp32_latency_iqr_ms": {f"b{b}": t.iqr() for b, t in self.fp32_latency.items()},
                "fp32_accuracy": self.fp32_accuracy,
                "speed_vs_fp32": {f"b{b}": s.to_dict() for b, s in self.chosen.speed.items()},
                "routes": [t.to_dict() for t in self.trials]}


def routes_for(requested: str) -> tuple[str, ...]:
    if requested not in REQUESTS:
        raise UserError(f"unknown INT8 route {requested!r}", f"use one of {', '.join(REQUESTS)}")
    return ONNX_ROUTES if requested == "auto" else (requested,)


def _make(route: str, fp32: Path, folder: Path, calibration: tuple[torch.Tensor, ...] | None) -> RouteTrial:
    trial = RouteTrial(route)
    try:
        if route == "static":
            trial.path = quantize.quantize_onnx_static(fp32, folder / "int8_static.onnx", calibration)
        else:
            trial.path = quantize.quantize_onnx_dynamic(fp32, folder / "int8_dynamic.onnx")
    except UserError as exc:
        trial.refused = exc
    return trial


def _top1(session: Any, inputs: tuple[torch.Tensor, ...], batch: int = 256) -> np.ndarray:
    n = int(inputs[0].shape[0])
    return np.concatenate([ort.run(session, tuple(t[i:i + batch] for t in inputs))[0].argmax(axis=1)
                           for i in range(0, n, batch)])


def _time(fp32: Path, trials: list[RouteTrial], samples: tuple[torch.Tensor, ...], batches: tuple[int, ...],
          budget_s: float) -> dict[int, Timing]:
    """Every route and the fp32 file side by side, per batch; fills each trial's latency and speed."""
    paths = {"fp32": fp32} | {t.route: t.path for t in trials}
    fp32_latency: dict[int, Timing] = {}
    for batch in batches:
        def open_calls(batch: int = batch) -> dict[str, Any]:
            return {name: measure.ort_runner(ort.open_session(path, spinning=False), samples, batch)
                    for name, path in paths.items()}

        timings = measure.time_sessions(open_calls, budget_s=budget_s)
        fp32_latency[batch] = timings["fp32"]
        for trial in trials:
            trial.latency[batch] = timings[trial.route]
            trial.speed[batch] = speed_change(timings["fp32"], timings[trial.route])
    return fp32_latency


def _score_accuracy(fp32: Path, trials: list[RouteTrial], held_out: tuple[tuple[torch.Tensor, ...], Any],
                    budget_points: float) -> float | None:
    """Accuracy (with labels) or top-1 agreement with fp32 (without) of every trial; returns fp32's accuracy."""
    inputs, labels = held_out
    reference = _top1(ort.open_session(fp32), inputs)
    truth = None if labels is None else labels.cpu().numpy()
    base = None if truth is None else float(np.mean(reference == truth))
    for trial in trials:
        predicted = _top1(ort.open_session(trial.path), inputs)
        trial.agreement = float(np.mean(predicted == reference))
        if truth is None:
            trial.within_budget = trial.agreement >= AGREEMENT_BUDGET
            continue
        trial.accuracy = float(np.mean(predicted == truth))
        trial.drop_points = 100.0 * (base - trial.accuracy)
        trial.within_budget = trial.drop_points <= budget_points
    return base


def _pick(made: list[RouteTrial], fp32_latency: dict[int, Timing]) -> RouteTrial:
    within = [t for t in made if t.within_budget]
    if not within:  # none keeps the budget: ship the most faithful, and the export fails its check
        return max(made, key=lambda t: (t.accuracy if t.accuracy is not None else t.agreement or 0.0))
    best = min(within, key=lambda t: t.score(fp32_latency))
    ties = [t for t in within if all(speed_change(best.latency[b], t.latency[b]).kind == "same" for b in best.latency)]
    return max(ties, key=lambda t: (t.accuracy if t.accuracy is not None else t.agreement or 0.0,
                                    -t.score(fp32_latency)))


def choose_route(fp32: str | os.PathLike[str], folder: str | os.PathLike[str], requested: str,
                 calibration: tuple[torch.Tensor, ...] | None, held_out: tuple[tuple[torch.Tensor, ...], Any],
                 samples: tuple[torch.Tensor, ...], batches: tuple[int, ...] = BATCHES,
                 budget_points: float = BUDGET_POINTS, budget_s: float = 1.0) -> RouteChoice:
    """Make the requested routes ("auto": all of them) from the fp32 file into `folder`, measure, choose.

    `held_out` is (inputs, labels) of samples not used for calibration; labels may be None (then
    top-1 agreement with the fp32 file stands in for accuracy). `samples` are the timing inputs.
    When every route is refused, the first refusal is raised (it says what to do instead).
    """
    fp32, folder = Path(fp32), Path(folder)
    trials = [_make(route, fp32, folder, calibration) for route in routes_for(requested)]
    made = [t for t in trials if t.path is not None]
    if not made:
        raise trials[0].refused
    fp32_accuracy = _score_accuracy(fp32, made, held_out, budget_points)
    fp32_latency = _time(fp32, made, samples, batches, budget_s)
    return RouteChoice(requested, _pick(made, fp32_latency), trials, fp32_latency, fp32_accuracy)


def torch_route(model: torch.nn.Module, quantized: torch.nn.Module, samples: tuple[torch.Tensor, ...],
                batches: tuple[int, ...] = BATCHES, budget_s: float = 1.0) -> RouteChoice:
    """PyTorch dynamic INT8 (the one TorchScript route) timed side by side with the fp32 model on the CPU,
    so a quantized model slower than fp32 is said there too. Accuracy is the export's own check."""
    trial = RouteTrial("pytorch_dynamic", within_budget=True)
    fp32_latency: dict[int, Timing] = {}
    for batch in batches:
        with measure.torch_runner(model, samples, batch) as fp32_call, \
                measure.torch_runner(quantized, samples, batch) as int8_call:
            timings = measure.time_side_by_side({"fp32": fp32_call, "int8": int8_call}, budget_s=budget_s)
        fp32_latency[batch], trial.latency[batch] = timings["fp32"], timings["int8"]
        trial.speed[batch] = speed_change(timings["fp32"], timings["int8"])
    return RouteChoice("pytorch_dynamic", trial, [trial], fp32_latency, engine="PyTorch")
