"""Export benchmark: ONNX parity, INT8 size and accuracy, onnxruntime vs PyTorch latency.

Figures (issue 9 budgets in brackets), all measured in this one run:

* parity: max abs diff between onnxruntime and PyTorch on validation samples, for the course's
  MNIST CNN and for a small digits CNN [<= 1e-4];
* INT8 (onnxruntime dynamic and static): file size ratio fp32/int8 [>= 3.5] and validation
  accuracy lost on `digits` by a small trained model [<= 1 point];
* the INT8 route `--int8` (auto) ships for each model, chosen by `int8_route.choose_route`, and
  each route's latency against fp32 at batch 1 and 64 as it measured them side by side (the
  shipped route must not be slower than fp32 for the MNIST CNN);
* latency of the course's MNIST CNN at batch 1 on CPU: onnxruntime vs PyTorch eager, measured
  interleaved with the same thread count [ratio ort/torch <= 1]; batch 64 and CUDA (PyTorch, and
  onnxruntime where it has the CUDA provider) are reported too.

Run: `python bench/bench_export.py [--json] [--threads N] [--small-epochs N] [--mnist-epochs N]`
or `python -m studio bench export --json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _small_project(epochs: int):
    from studio.core.graph.model import Graph, Node
    from studio.core.project import Project

    nodes = [Node("image", "Input", {"shape": [1, 8, 8]}),
             Node("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}), Node("relu1", "ReLU"),
             Node("flat", "Flatten"), Node("fc1", "Linear", {"out_features": 64}), Node("relu2", "ReLU"),
             Node("fc2", "Linear", {"out_features": 10}), Node("head", "ClassificationHead")]
    graph = Graph()
    for n in nodes:
        graph.add_node(n)
    for a, b in zip(nodes, nodes[1:], strict=False):
        graph.connect(a.id, b.id)
    project = Project(name="small digits cnn", graph=graph)
    project.training.update(epochs=epochs, batch_size=64, seed=0, lr=2e-3)
    return project


def _train(project, run_dir: Path, device: str, epochs: int) -> dict:
    from studio.core.train.trainer import run_training

    event = run_training(project, run_dir, {"epochs": epochs, "device": device})
    if event.get("event") != "done":
        raise RuntimeError(f"training for the benchmark failed: {event.get('message')}")
    return event


def _interleaved_ms(calls: dict, seconds: float, min_rounds: int = 20) -> dict[str, float]:
    """Median ms of each call, alternating between them so load changes hit all of them alike."""
    for call in calls.values():
        for _ in range(5):
            call()
    times: dict[str, list[float]] = {k: [] for k in calls}
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(next(iter(times.values()))) < min_rounds:
        for key, call in calls.items():
            t0 = time.perf_counter()
            call()
            times[key].append((time.perf_counter() - t0) * 1000.0)
    return {k: statistics.median(v) for k, v in times.items()}


def _int8_figures(source, fp32_path: Path, folder: Path, prefix: str) -> dict:
    from studio.core.export.measure import ort_accuracy
    from studio.core.export.quantize import quantize_onnx_dynamic, quantize_onnx_static

    x, y = source.labels("val")
    base = ort_accuracy(fp32_path, x, y)
    out = {f"{prefix}_fp32_accuracy": base, f"{prefix}_fp32_bytes": fp32_path.stat().st_size}
    dynamic = quantize_onnx_dynamic(fp32_path, folder / f"{prefix}_int8_dynamic.onnx")
    static = quantize_onnx_static(fp32_path, folder / f"{prefix}_int8_static.onnx", source.samples(512, "train"))
    for name, path in (("dynamic", dynamic), ("static", static)):
        acc = ort_accuracy(path, x, y)
        out[f"{prefix}_int8_{name}_bytes"] = path.stat().st_size
        out[f"{prefix}_int8_{name}_size_ratio"] = fp32_path.stat().st_size / path.stat().st_size
        out[f"{prefix}_int8_{name}_accuracy"] = acc
        out[f"{prefix}_int8_{name}_accuracy_loss_points"] = 100.0 * (base - acc)
    return out | _route_figures(source, fp32_path, folder, prefix)


def _route_figures(source, fp32_path: Path, folder: Path, prefix: str) -> dict:
    """The route `--int8` (auto) ships, and every route's median latency against fp32's."""
    from studio.core.export.int8_route import choose_route

    route_folder = folder / f"{prefix}_routes"
    route_folder.mkdir()
    choice = choose_route(fp32_path, route_folder, "auto", source.samples(512, "train"), source.labels("val"),
                          source.samples(64))
    out = {f"{prefix}_int8_auto_route": choice.chosen.route,
           f"{prefix}_int8_auto_slower_than_fp32": bool(choice.slower_than_fp32())}
    for batch, timing in choice.fp32_latency.items():
        out[f"{prefix}_fp32_onnxruntime_cpu_b{batch}_ms"] = timing.median_ms
    for trial in choice.trials:
        for batch, timing in trial.latency.items():
            out[f"{prefix}_int8_{trial.route}_onnxruntime_cpu_b{batch}_ms"] = timing.median_ms
            out[f"{prefix}_int8_{trial.route}_vs_fp32_b{batch}"] = trial.speed[batch].kind
    return out


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_export", description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="device for the short trainings (cpu or cuda)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for both engines when timing (default 1)")
    parser.add_argument("--small-epochs", type=int, default=10)
    parser.add_argument("--mnist-epochs", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=4.0, help="timing window per latency comparison")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import torch

    from studio.core.export import ort
    from studio.core.export.measure import batch_of, torch_threads
    from studio.core.export.onnx_export import export_onnx
    from studio.core.export.run_source import load_run
    from studio.core.project import load_project

    figures: dict = {"threads": args.threads, "torch_version": torch.__version__,
                     "onnxruntime_version": ort.import_ort().__version__,
                     "cuda": torch.cuda.is_available(), "onnxruntime_cuda": ort.cuda_available()}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        folder = Path(tmp)
        # 1. a small trained model on digits: parity and the INT8 budget
        event = _train(_small_project(args.small_epochs), folder / "small", args.device, args.small_epochs)
        small = load_run(folder / "small")
        small_onnx = export_onnx(small.model, small.io, folder / "small.onnx", small.samples(256))
        figures.update({"small_train_val_accuracy": event["best_val_accuracy"],
                        "small_parity_max_abs_diff": small_onnx.parity.max_abs_diff,
                        "small_parity_passed": small_onnx.parity.passed})
        with torch_threads(args.threads):  # the route choice times with the same threads as below
            figures.update(_int8_figures(small, small_onnx.out, folder, "small"))

        # 2. the course's MNIST CNN (template, on digits resized to 28x28): parity, INT8, latency
        template = load_project(ROOT / "resources" / "templates" / "mnist_cnn.studio.json")
        event = _train(template, folder / "mnist", args.device, args.mnist_epochs)
        mnist = load_run(folder / "mnist")
        mnist_onnx = export_onnx(mnist.model, mnist.io, folder / "mnist.onnx", mnist.samples(256))
        figures.update({"mnist_cnn_params": sum(p.numel() for p in mnist.model.parameters()),
                        "mnist_cnn_train_val_accuracy": event["best_val_accuracy"],
                        "mnist_cnn_parity_max_abs_diff": mnist_onnx.parity.max_abs_diff,
                        "mnist_cnn_parity_passed": mnist_onnx.parity.passed})
        with torch_threads(args.threads):  # the route choice times with the same threads as below
            figures.update(_int8_figures(mnist, mnist_onnx.out, folder, "mnist_cnn"))

        samples = mnist.samples(64)
        model = mnist.model.eval()
        for batch in (1, 64):
            x = batch_of(samples, batch)
            session = ort.open_session(mnist_onnx.out, threads=args.threads)
            feeds = ort.feeds(session, x)
            with torch_threads(args.threads), torch.inference_mode():
                ms = _interleaved_ms({"onnxruntime": lambda s=session, f=feeds: s.run(None, f),
                                      "pytorch": lambda xx=x: model(*xx)}, args.seconds)
            figures[f"mnist_cnn_onnxruntime_cpu_b{batch}_ms"] = ms["onnxruntime"]
            figures[f"mnist_cnn_pytorch_cpu_b{batch}_ms"] = ms["pytorch"]
            figures[f"mnist_cnn_ort_over_torch_cpu_b{batch}"] = ms["onnxruntime"] / ms["pytorch"]
        if torch.cuda.is_available():
            cuda_model = model.to("cuda")
            for batch in (1, 64):
                x = tuple(t.to("cuda") for t in batch_of(samples, batch))
                calls = {"pytorch": lambda xx=x: (cuda_model(*xx), torch.cuda.synchronize())}
                if ort.cuda_available():
                    session = ort.open_session(mnist_onnx.out, device="cuda")
                    feeds = ort.feeds(session, batch_of(samples, batch))
                    calls["onnxruntime"] = lambda s=session, f=feeds: s.run(None, f)
                with torch.inference_mode():
                    ms = _interleaved_ms(calls, args.seconds)
                for key, value in ms.items():
                    figures[f"mnist_cnn_{key}_cuda_b{batch}_ms"] = value
            model.to("cpu")
    figures["budget_parity_ok"] = max(figures["small_parity_max_abs_diff"],
                                      figures["mnist_cnn_parity_max_abs_diff"]) <= 1e-4
    figures["budget_int8_size_ok"] = figures["small_int8_dynamic_size_ratio"] >= 3.5
    figures["budget_int8_accuracy_ok"] = figures["small_int8_dynamic_accuracy_loss_points"] <= 1.0
    figures["budget_latency_ok"] = figures["mnist_cnn_ort_over_torch_cpu_b1"] <= 1.0
    figures["budget_int8_default_not_slower_ok"] = not figures["mnist_cnn_int8_auto_slower_than_fp32"]
    return figures


if __name__ == "__main__":
    result = run(sys.argv[1:])
    print(json.dumps(result))
