"""Measurements for before/after tables: size, parameters, latency and accuracy of a model or a file.

Latency is the median of repeated calls after warm-up (with its quartiles, see `Timing`), with the
same number of CPU threads for PyTorch and onnxruntime so the comparison is about the engines, not
the thread pools. What is compared is timed side by side (`time_side_by_side`).
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.export import ort
from studio.core.export.onnx_export import as_outputs, eval_mode


def _quantized_weights(module: nn.Module) -> list[torch.Tensor]:
    """Weights a dynamically quantized module keeps packed outside `parameters()`."""
    found: list[torch.Tensor] = []
    getters = [getattr(module, name, None) for name in ("get_weight", "get_bias")]
    if hasattr(module, "_packed_params") and callable(getattr(module, "weight", None)):
        getters = [module.weight, getattr(module, "bias", None)]
    for getter in getters:
        if not callable(getter):
            continue
        value = getter()
        values = value.values() if isinstance(value, dict) else [value]
        found.extend(v for v in values if isinstance(v, torch.Tensor))
    return found


def parameter_counts(model: nn.Module) -> dict[str, int]:
    """Total parameters and how many are non-zero (pruning shows up in the second).

    Counts weights of dynamically quantized modules too, so INT8 and fp32 rows compare.
    """
    tensors = [p.detach() for p in model.parameters()]
    for module in model.modules():
        tensors.extend(_quantized_weights(module))
    total = sum(t.numel() for t in tensors)
    nonzero = sum(int(torch.count_nonzero(t.dequantize() if t.is_quantized else t)) for t in tensors)
    return {"params": total, "nonzero_params": nonzero}


QUANTIZE_OPS = ("QuantizeLinear", "DequantizeLinear")


def onnx_parameter_count(path: str | os.PathLike[str]) -> int:
    """Elements in an ONNX file's weight initializers, whatever their dtype.

    Quantization scales and zero points (scalars, or one per channel in static INT8) and int64
    shape constants are not weights and are left out, so an INT8 file of either route counts the
    same parameters as its fp32 original.
    """
    import onnx

    weight_types = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16,
                    onnx.TensorProto.DOUBLE, onnx.TensorProto.INT8, onnx.TensorProto.UINT8,
                    onnx.TensorProto.INT32}  # static INT8 keeps biases as int32
    model = onnx.load(str(path))
    scales = {name for n in model.graph.node if n.op_type in QUANTIZE_OPS for name in n.input[1:]}
    return int(sum(int(np.prod(t.dims)) for t in model.graph.initializer
                   if len(t.dims) >= 1 and t.data_type in weight_types and t.name not in scales))


def state_dict_bytes(model: nn.Module) -> int:
    """The size of `torch.save(model.state_dict())`: what a checkpoint of the weights weighs."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.tell()


def file_bytes(path: str | os.PathLike[str]) -> int:
    return Path(path).stat().st_size


@dataclass(frozen=True)
class Timing:
    """Milliseconds per call: the median of repeated calls, the quartiles around it, and the calls.

    A median alone cannot say whether two timings differ: on a shared machine one model's calls
    spread wider than the gap between two models. Timings taken by one `time_side_by_side` keep
    their calls in round order, so `speed.speed_change` can compare them round by round.
    """

    median_ms: float
    q1_ms: float
    q3_ms: float
    times_ms: tuple[float, ...] = ()

    @classmethod
    def of(cls, times_ms: list[float]) -> Timing:
        times = tuple(float(t) for t in times_ms)
        if len(times) < 2:
            return cls(times[0], times[0], times[0], times)
        q1, _, q3 = statistics.quantiles(times, n=4, method="inclusive")
        return cls(float(statistics.median(times)), float(q1), float(q3), times)

    def iqr(self) -> list[float]:
        return [self.q1_ms, self.q3_ms]


WARMUP_S = 0.02
"""Each call runs for at least this long before timing starts (arenas allocated, threads awake)."""


def time_side_by_side(calls: dict[str, Callable[[], Any]], warmup: int = 5, rounds: int = 30,
                      budget_s: float = 2.0, min_rounds: int = 5) -> dict[str, Timing]:
    """Each call timed in turn, round after round, until `rounds` or `budget_s` (at least `min_rounds`).

    Side by side rather than one after the other because the load of a shared machine changes
    within seconds: timed one after the other, one fp32 model measured 74.5 ms and then 49.6 ms at
    batch 64 and was called "1.50x faster" than itself. Alternating calls puts every change of load
    on all of them alike (the same model then stays within a few percent of itself).
    """
    for call in calls.values():  # `warmup` calls and at least WARMUP_S: a few microsecond calls warm nothing
        begin, done = time.perf_counter(), 0
        while done < warmup or (time.perf_counter() - begin < WARMUP_S and done < 1000):
            call()
            done += 1
    times: dict[str, list[float]] = {key: [] for key in calls}
    order = list(calls.items())
    start = time.perf_counter()
    for done in range(rounds):
        if done >= min_rounds and time.perf_counter() - start > budget_s:
            break
        # every other round in reverse, so no call is always first: always second, the same
        # PyTorch module timed against itself read "faster" in 3 of 20 tries
        for key, call in order if done % 2 == 0 else reversed(order):
            begin = time.perf_counter()
            call()
            times[key].append((time.perf_counter() - begin) * 1000.0)
    return {key: Timing.of(values) for key, values in times.items()}


def time_sessions(open_calls: Callable[[], dict[str, Callable[[], Any]]], blocks: int = 3, rounds: int = 30,
                  budget_s: float = 2.0) -> dict[str, Timing]:
    """`time_side_by_side` in `blocks` parts, each on calls from a fresh `open_calls()` (new sessions).

    For onnxruntime: on a loaded machine one session can stay slower than another of the very same
    file for as long as it lives (where its threads landed), up to 1.4x for the course's MNIST CNN;
    calls from three sessions of each file, pooled, wash that out. Rounds stay paired within a block.
    """
    times: dict[str, list[float]] = {}
    per_block = max(2, -(-rounds // blocks))
    for _ in range(blocks):
        timed = time_side_by_side(open_calls(), rounds=per_block, budget_s=budget_s / blocks, min_rounds=2)
        for key, timing in timed.items():
            times.setdefault(key, []).extend(timing.times_ms)
    return {key: Timing.of(values) for key, values in times.items()}


def time_call(call: Callable[[], Any], warmup: int = 5, rounds: int = 30, budget_s: float = 2.0) -> Timing:
    """One call timed on its own (what `time_side_by_side` does for several)."""
    return time_side_by_side({"call": call}, warmup, rounds, budget_s)["call"]


def batch_of(samples: tuple[torch.Tensor, ...], batch: int) -> tuple[torch.Tensor, ...]:
    """`batch` samples, repeating the given ones when there are fewer."""
    out = []
    for t in samples:
        reps = -(-batch // t.shape[0])
        out.append(t.repeat(reps, *([1] * (t.dim() - 1)))[:batch].contiguous())
    return tuple(out)


@contextlib.contextmanager
def torch_threads(threads: int | None):
    """PyTorch's intra-op thread count set to `threads` for the duration (None: unchanged)."""
    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(int(threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def torch_runner(model: nn.Module, samples: tuple[torch.Tensor, ...], batch: int = 1, device: str = "cpu",
                 threads: int | None = None) -> Iterator[Callable[[], Any]]:
    """A call running one forward of PyTorch eager on `device` at `batch` (synchronised on CUDA);
    the model is on `device` in eval mode while the context lasts and goes back afterwards."""
    inputs = tuple(t.to(device) for t in batch_of(samples, batch))
    original = next(iter(model.parameters()), torch.empty(0)).device
    model.to(device)
    cuda = device.startswith("cuda")

    def call() -> None:
        model(*inputs)
        if cuda:
            torch.cuda.synchronize()

    try:
        with eval_mode(model), torch.inference_mode(), torch_threads(threads):
            yield call
    finally:
        model.to(original)


def ort_runner(path_or_session: Any, samples: tuple[torch.Tensor, ...], batch: int = 1, device: str = "cpu",
               threads: int | None = None) -> Callable[[], Any]:
    """A call running the ONNX model once in onnxruntime on `device` at `batch`."""
    session = path_or_session
    if isinstance(path_or_session, (str, os.PathLike, bytes)):
        session = ort.open_session(path_or_session, device=device, threads=threads)
    feeds = ort.feeds(session, batch_of(samples, batch))
    return lambda: session.run(None, feeds)


def torch_latency_ms(model: nn.Module, samples: tuple[torch.Tensor, ...], batch: int = 1,
                     device: str = "cpu", warmup: int = 5, repeats: int = 50, threads: int | None = None) -> float:
    """Median milliseconds per forward of PyTorch eager on `device` at `batch`."""
    with torch_runner(model, samples, batch, device, threads) as call:
        return time_call(call, warmup, repeats).median_ms


def ort_latency_ms(path_or_session: Any, samples: tuple[torch.Tensor, ...], batch: int = 1,
                   device: str = "cpu", warmup: int = 5, repeats: int = 50, threads: int | None = None) -> float:
    """Median milliseconds per run of onnxruntime on `device` at `batch`."""
    call = ort_runner(path_or_session, samples, batch, device, threads)
    return time_call(call, warmup, repeats).median_ms


def _accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(logits.argmax(axis=1) == labels))


def torch_accuracy(model: nn.Module, x: torch.Tensor | tuple[torch.Tensor, ...], y: torch.Tensor,
                   batch: int = 256) -> float:
    """Top-1 accuracy of the model's first output on (x, y), on the CPU."""
    xs = x if isinstance(x, tuple) else (x,)
    preds = []
    with eval_mode(model), torch.inference_mode():
        for i in range(0, int(y.shape[0]), batch):
            preds.append(as_outputs(model(*(t[i:i + batch] for t in xs)))[0].float().cpu().numpy())
    return _accuracy(np.concatenate(preds), y.cpu().numpy())


def ort_accuracy(path_or_session: Any, x: torch.Tensor | tuple[torch.Tensor, ...], y: torch.Tensor,
                 batch: int = 256) -> float:
    """Top-1 accuracy of an ONNX model's first output on (x, y) in onnxruntime (CPU)."""
    session = path_or_session
    if isinstance(path_or_session, (str, os.PathLike, bytes)):
        session = ort.open_session(path_or_session)
    xs = x if isinstance(x, tuple) else (x,)
    preds = [ort.run(session, tuple(t[i:i + batch] for t in xs))[0] for i in range(0, int(y.shape[0]), batch)]
    return _accuracy(np.concatenate(preds), y.cpu().numpy())
