"""Will the model fit? Memory estimated from the inferred parameter count, never by building it.

Assumptions (also in `ASSUMPTIONS`, which `studio check --json` reports):

* weights are float32: 4 bytes per parameter (`BYTES_PER_PARAM`);
* training with Adam keeps four such copies: the weights, their gradients and Adam's two moment
  buffers (`TRAINING_COPIES`); SGD with momentum needs three, plain SGD two;
* activations come on top, per sample in the batch (the report's activation bytes), and are not
  part of the verdict.

The limit is this machine's physical RAM, and the GPU's memory where CUDA is already initialised
(the app's device probe does that off the GUI thread; `studio check` asks CUDA itself). A model
whose weights alone exceed the RAM cannot even be built; one whose training copies exceed the
training device's memory cannot be trained here. Either becomes a warning on the node holding most
of the parameters, so the canvas selects the layer to shrink.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

from studio.core.graph.issues import GraphIssue

BYTES_PER_PARAM = 4
TRAINING_COPIES = 4
ASSUMPTIONS = ("float32 weights (4 bytes per parameter); training with Adam holds 4 copies (weights, gradients, "
               "two moment buffers); activations per sample come on top and are not counted")


@dataclass(frozen=True)
class MemoryEstimate:
    params: int
    weights_bytes: int
    training_bytes: int
    activation_bytes_per_sample: int


def estimate(report) -> MemoryEstimate:
    """The memory a GraphReport's model needs, from its parameter count alone."""
    params = int(report.total_params)
    weights = params * BYTES_PER_PARAM
    return MemoryEstimate(params, weights, weights * TRAINING_COPIES, int(report.total_activation_bytes))


def format_bytes(n: float) -> str:
    """Binary units, as RAM and GPU memory are sold: "15.6 GiB", "4.7 TiB"."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} PiB"


@functools.lru_cache(maxsize=1)
def _ram_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # not POSIX (Windows): no limit known
        return None


def _gpu(probe: bool) -> tuple[int | None, str | None]:
    """Total memory and name of CUDA device 0: only when CUDA is already up, unless `probe` (the
    first CUDA call costs about a second and a context, too much for every canvas edit)."""
    try:
        import torch

        if not (torch.cuda.is_initialized() or (probe and torch.cuda.is_available())):
            return None, None
        props = torch.cuda.get_device_properties(0)
        return int(props.total_memory), str(props.name)
    except Exception:  # a driver mismatch: judge against RAM only
        return None, None


def machine_memory(probe_gpu: bool = False) -> dict[str, Any]:
    """{"ram_bytes", "gpu_bytes", "gpu_name"} of this machine (None where unknown or absent)."""
    gpu_bytes, gpu_name = _gpu(probe_gpu)
    return {"ram_bytes": _ram_bytes(), "gpu_bytes": gpu_bytes, "gpu_name": gpu_name}


def _biggest_node(report) -> tuple[str | None, int]:
    best = max(report.nodes.items(), key=lambda kv: kv[1].params, default=(None, None))
    return best[0], (best[1].params if best[1] is not None else 0)


def _advice(report, node: str | None, node_params: int) -> str:
    if node is None or node_params <= 0:
        return "make the model smaller, or train on a machine with more memory"
    info = report.nodes[node]
    knobs = [k for k in ("out_features", "out_channels", "num_embeddings", "embedding_dim", "hidden_size")
             if k in info.config]
    what = f" (fewer {' or '.join(knobs)}, or a smaller input to it)" if knobs else ""
    share = node_params / max(1, report.total_params)
    return (f"make {node} smaller{what}: it holds {node_params:.2g} of the parameters ({share:.0%}); or train on a "
            "machine with more memory")


def memory_issues(report, machine: dict[str, Any] | None = None) -> list[GraphIssue]:
    """Warnings for a model that would not fit `machine` (default: this one)."""
    machine = machine_memory() if machine is None else machine
    est = estimate(report)
    ram, gpu = machine.get("ram_bytes"), machine.get("gpu_bytes")
    if est.params <= 0:
        return []
    if gpu:
        where, limit = f"the GPU ({machine.get('gpu_name') or 'CUDA device 0'}) has {format_bytes(gpu)}", gpu
    else:
        where, limit = f"this machine has {format_bytes(ram)} of RAM" if ram else "", ram
    too_big_to_build = bool(ram) and est.weights_bytes > ram
    too_big_to_train = bool(limit) and est.training_bytes > limit
    if not (too_big_to_build or too_big_to_train):
        return []
    if too_big_to_build and gpu:
        where += f" and the machine {format_bytes(ram)} of RAM"
    verdict = "cannot even be built in memory here" if too_big_to_build else "would not fit in memory to train here"
    node, node_params = _biggest_node(report)
    message = (f"the model {verdict}: {est.params:.2g} parameters need {format_bytes(est.weights_bytes)} as float32 "
               f"weights and about {format_bytes(est.training_bytes)} to train with Adam (weights, gradients and "
               f"two moment buffers, before activations), but {where}")
    return [GraphIssue(node, None, message, None, "warning", _advice(report, node, node_params))]


def memory_summary(report, machine: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `memory` object of `studio check --json`: the estimate, what it assumes, the machine, the verdict."""
    machine = machine_memory() if machine is None else machine
    est = estimate(report)
    limit = machine.get("gpu_bytes") or machine.get("ram_bytes")
    ram = machine.get("ram_bytes")
    fits = None if not limit else (est.training_bytes <= limit and (not ram or est.weights_bytes <= ram))
    return {"params": est.params, "weights_bytes": est.weights_bytes, "training_bytes": est.training_bytes,
            "activation_bytes_per_sample": est.activation_bytes_per_sample, "assumptions": ASSUMPTIONS,
            **machine, "fits": fits}
