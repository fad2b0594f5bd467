"""bench_cam runs and compares like with like (figures themselves are not asserted: not a timed test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch
import torchvision

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_cam.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_cam", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_studio_resnet18_graph_is_resnet18_sized_and_explained_at_its_last_stage():
    from studio.core.explain import compute_cam
    from studio.core.graph.compile import compile_graph

    bench = load_bench()
    graph_model = compile_graph(bench.resnet18_graph())
    reference = torchvision.models.resnet18(weights=None).eval()  # the hand-written one does not switch modes
    assert sum(p.numel() for p in graph_model.parameters()) == sum(p.numel() for p in reference.parameters())
    x = torch.randn(1, 3, 64, 64)
    result = compute_cam(graph_model, x)
    assert result.layer == "s4b2_relu" and result.raw.shape == (1, 2, 2)
    hand = bench.hand_written_gradcam(reference, x, reference.layer4)
    ours = compute_cam(reference, x, layer="layer4").raw
    assert torch.allclose(hand[0, 0], torch.nn.functional.interpolate(
        ours.clamp_min(0).unsqueeze(1), size=(64, 64), mode="bilinear")[0, 0], atol=1e-5)


def test_bench_reports_side_by_side_figures():
    figures = load_bench().run(["--device", "cpu", "--seconds", "0"])
    cpu = figures["cpu"]
    for name in ("studio_graph", "torchvision", "hand_written", "forward"):
        assert cpu[f"{name}_ms"] > 0 and cpu[f"{name}_min_ms"] <= cpu[f"{name}_ms"]
    assert cpu["budget_ms"] == 150.0 and isinstance(cpu["within_budget"], bool)
    assert cpu["studio_vs_hand_written"] > 0 and cpu["params"] == 11_689_512
