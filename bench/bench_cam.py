"""CAM benchmark: Grad-CAM latency on a ResNet-18-sized network (issue 8 budgets in brackets).

Measured side by side in one run, interleaved so that load from other processes hits all alike:

* `studio_graph`: Grad-CAM of one 224x224 image through `studio.core.explain.compute_cam` on a
  ResNet-18 built from Studio blocks and compiled by `compile_graph` [CPU <= 150 ms];
* `torchvision`: the same on `torchvision.models.resnet18(weights=None)`;
* `hand_written`: the minimal Grad-CAM anyone would write (one forward hook, `autograd.grad`,
  weights = mean gradient), on the torchvision model: the floor our safety net is compared to;
* `forward`: one plain forward pass under `no_grad`, for scale.

Figures are medians over the rounds (the fastest rounds are reported too, as `*_min_ms`: on a shared
machine they are the better estimate of the unloaded cost).

Ratios: studio / hand-written (the cost of mode restoring, hook bookkeeping, in-place safety);
On CUDA (when present, or with --device cuda) the same for a batch of 64 [<= 50 ms].

Run: `python bench/bench_cam.py [--json] [--device auto|cpu|cuda] [--seconds S] [--threads N]`
or `python -m studio bench cam --json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CPU_BUDGET_MS = 150.0
CUDA_BUDGET_MS = 50.0


def resnet18_graph(classes: int = 1000):
    """ResNet-18 (basic blocks 2-2-2-2, widths 64-512) as a Studio graph on 3x224x224 inputs."""
    from studio.core.graph.model import Graph, Node

    graph = Graph()

    def add(node_id: str, block: str, params: dict | None = None, *sources: str) -> str:
        graph.add_node(Node(node_id, block, params or {}))
        for src in sources:
            graph.connect(src, node_id)
        return node_id

    def conv_bn(name: str, src: str, out: int, k: int, stride: int, relu: bool) -> str:
        x = add(name, "Conv2d", {"out_channels": out, "kernel_size": k, "stride": stride, "padding": k // 2,
                                 "bias": False}, src)
        x = add(f"{name}_bn", "BatchNorm2d", {}, x)
        return add(f"{name}_relu", "ReLU", {}, x) if relu else x

    x = add("image", "Input", {"shape": [3, 224, 224]})
    x = conv_bn("stem", x, 64, 7, 2, True)
    x = add("stem_pool", "MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1}, x)
    width = 64
    for stage, out in enumerate((64, 128, 256, 512), start=1):
        for block in (1, 2):
            stride = 2 if stage > 1 and block == 1 else 1
            name = f"s{stage}b{block}"
            y = conv_bn(f"{name}_c1", x, out, 3, stride, True)
            y = conv_bn(f"{name}_c2", y, out, 3, 1, False)
            skip = conv_bn(f"{name}_proj", x, out, 1, stride, False) if (stride != 1 or width != out) else x
            s = add(f"{name}_add", "Add", {}, y, skip)
            x = add(f"{name}_relu", "ReLU", {}, s)
            width = out
    x = add("gap", "AdaptiveAvgPool2d", {"output_size": 1}, x)
    x = add("flatten", "Flatten", {}, x)
    x = add("fc", "Linear", {"out_features": classes}, x)
    add("head", "ClassificationHead", {}, x)
    return graph


def hand_written_gradcam(model, x, layer):
    """The textbook Grad-CAM: hook the layer, differentiate the top class, weigh channels."""
    import torch

    store = {}
    handle = layer.register_forward_hook(lambda m, i, o: store.__setitem__("a", o))
    try:
        with torch.enable_grad():
            logits = model(x)
            top = logits.gather(1, logits.argmax(1, keepdim=True)).sum()
            (grad,) = torch.autograd.grad(top, store["a"])
    finally:
        handle.remove()
    cam = (grad.mean(dim=(2, 3), keepdim=True) * store["a"]).sum(1).clamp_min(0)
    return torch.nn.functional.interpolate(cam.unsqueeze(1), size=x.shape[-2:], mode="bilinear")


def _interleaved_ms(calls: dict, seconds: float, sync, min_rounds: int = 7) -> dict[str, list[float]]:
    """Milliseconds of every call, alternating between the calls round by round."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    start = time.perf_counter()
    rounds = 0
    while rounds < min_rounds or time.perf_counter() - start < seconds:
        for name, fn in calls.items():
            sync()
            t0 = time.perf_counter()
            fn()
            sync()
            times[name].append((time.perf_counter() - t0) * 1000.0)
        rounds += 1
    return times


def _measure(device: str, batch: int, seconds: float) -> dict:
    import torch
    import torchvision

    from studio.core.explain import compute_cam
    from studio.core.graph.compile import compile_graph

    torch.manual_seed(0)
    dev = torch.device(device)
    studio_model = compile_graph(resnet18_graph()).to(dev).eval()
    tv_model = torchvision.models.resnet18(weights=None).to(dev).eval()
    x = torch.randn(batch, 3, 224, 224, device=dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    t0 = time.perf_counter()
    first = compute_cam(studio_model, x, "gradcam")  # includes finding the default layer (cached after)
    sync()
    first_ms = (time.perf_counter() - t0) * 1000.0
    compute_cam(tv_model, x, "gradcam", layer="layer4")
    hand_written_gradcam(tv_model, x, tv_model.layer4)

    def forward():
        with torch.no_grad():
            tv_model(x)

    calls = {
        "studio_graph": lambda: compute_cam(studio_model, x, "gradcam"),
        "torchvision": lambda: compute_cam(tv_model, x, "gradcam", layer="layer4"),
        "hand_written": lambda: hand_written_gradcam(tv_model, x, tv_model.layer4),
        "forward": forward,
    }
    times = _interleaved_ms(calls, seconds, sync)
    ms = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    budget = CPU_BUDGET_MS if dev.type == "cpu" else CUDA_BUDGET_MS
    return {
        "batch": batch,
        "layer": first.layer,
        "params": sum(p.numel() for p in studio_model.parameters()),
        "first_call_ms": round(first_ms, 2),
        **{f"{name}_ms": round(value, 2) for name, value in ms.items()},
        **{f"{name}_min_ms": round(value, 2) for name, value in best.items()},
        "rounds": len(times["forward"]),
        "studio_vs_hand_written": round(ms["torchvision"] / ms["hand_written"], 3),
        "graph_vs_torchvision": round(ms["studio_graph"] / ms["torchvision"], 3),
        "gradcam_vs_forward": round(ms["studio_graph"] / ms["forward"], 3),
        "studio_vs_hand_written_min": round(best["torchvision"] / best["hand_written"], 3),
        "gradcam_vs_forward_min": round(best["studio_graph"] / best["forward"], 3),
        "budget_ms": budget,
        "within_budget": ms["studio_graph"] <= budget,
    }


def run(argv: list[str] | None = None) -> dict:
    import torch

    parser = argparse.ArgumentParser(prog="bench_cam", description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--seconds", type=float, default=4.0, help="measuring time per device (default 4)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads for torch (default: torch's choice)")
    parser.add_argument("--cuda-batch", type=int, default=64)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    has_cuda = torch.cuda.is_available()
    if args.device == "cuda" and not has_cuda:
        from studio.core.errors import UserError

        raise UserError("--device cuda: CUDA is not available on this machine")
    figures: dict = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if args.device in ("auto", "cpu"):
        figures["cpu"] = _measure("cpu", 1, args.seconds)
    if args.device == "cuda" or (args.device == "auto" and has_cuda):
        figures["cuda_device"] = torch.cuda.get_device_name(0)
        figures["cuda"] = _measure("cuda", args.cuda_batch, args.seconds)
    return figures


if __name__ == "__main__":
    result = run(sys.argv[1:])
    print(json.dumps(result, indent=None if "--json" in sys.argv else 2))
