"""Shape check speed: symbolic inference of a 200-node graph vs the 100 ms budget (and vs meta tensors).

Builds a realistic 200-node CNN (repeated conv / batch-norm / ReLU / residual-add units), then times
`infer_graph` (what the canvas re-runs on every edit) side by side with a cross-check that runs
the compiled module on PyTorch meta tensors (no data, shapes only) in the same process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def build_graph(n_nodes: int = 200):
    from studio.core.graph.model import Graph, Node

    g = Graph()
    y = 0.0

    def add(block, params, *srcs):
        nonlocal y
        nid = g.unique_id(block.lower())
        g.add_node(Node(nid, block, params, (0.0, y)))
        y += 90.0
        for s in srcs:
            g.connect(s, nid)
        return nid

    last = add("Input", {"shape": [3, 32, 32]})
    last = add("Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}, last)
    while len(g.nodes) + 4 <= n_nodes - 4:
        a = add("Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}, last)
        b = add("BatchNorm2d", {}, a)
        c = add("ReLU", {}, b)
        last = add("Add", {}, c, last)
    while len(g.nodes) < n_nodes - 4:
        last = add("ReLU", {}, last)
    last = add("AdaptiveAvgPool2d", {}, last)
    last = add("Flatten", {}, last)
    last = add("Linear", {"out_features": 10}, last)
    add("ClassificationHead", {}, last)
    return g


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_shapes")
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv or [])

    import torch

    from studio.core.graph.compile import compile_graph
    from studio.core.graph.infer import infer_graph

    graph = build_graph(args.nodes)
    report = infer_graph(graph)  # warm-up (imports, registry)
    assert report.ok, report.errors[0].one_line()
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        infer_graph(graph)
        times.append((time.perf_counter() - t0) * 1000)
    module = compile_graph(graph).to("meta")
    x = torch.empty(1, 3, 32, 32, device="meta")
    meta_times = []
    for _ in range(max(3, args.repeats // 4)):
        t0 = time.perf_counter()
        with torch.no_grad():
            out = module(x)
        meta_times.append((time.perf_counter() - t0) * 1000)
    assert tuple(out.shape) == (1, *report.nodes[graph.nodes[-1].id].output_shape[1:])
    median = statistics.median(times)
    return {
        "nodes": len(graph.nodes),
        "infer_ms_median": round(median, 2),
        "infer_ms_max": round(max(times), 2),
        "budget_ms": 100.0,
        "within_budget": max(times) <= 100.0,
        "budget_ratio": round(median / 100.0, 3),
        "meta_forward_ms_median": round(statistics.median(meta_times), 2),
        "meta_vs_symbolic_ratio": round(statistics.median(meta_times) / median, 2),
        "total_params": report.total_params,
    }


if __name__ == "__main__":
    print(json.dumps(run()))
