"""`studio check PROJECT [--json]`: validate a project's graph and infer every tensor shape.

Prints the node table (output shape, parameters, FLOPs per sample) and the model totals. An invalid
graph exits 1 with each error naming its node and the fix (the same fixes the GUI offers as one
click); warnings are printed but do not fail the check. The memory the model needs (float32
weights, x4 to train with Adam) is estimated from the parameter count and compared with this
machine's RAM and GPU memory; a model that would not fit is a warning (graph/memory.py). Nothing
is ever built: a trillion-parameter graph is checked in the same milliseconds as a small one.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="a *.studio.json project file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _shape(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ")" if shape else "-"


def _human(n: float) -> str:
    for unit in ("", "K", "M", "G", "T"):
        if abs(n) < 1000:
            return f"{n:.3g}{unit}" if unit else f"{int(n)}"
        n /= 1000
    return f"{n:.3g}P"


def report_dict(graph, report, machine: dict | None = None) -> dict:
    """The JSON form of a check (also used by the GUI's status line and by tests)."""
    from studio.core.graph.heads import head_info
    from studio.core.graph.memory import memory_summary
    from studio.core.graph.registry import get_block, has_block

    heads = []
    for node in graph.nodes:
        info = report.nodes.get(node.id)
        if has_block(node.block) and get_block(node.block).head and info and info.output_shape:
            heads.append(head_info(node.id, get_block(node.block).head, info.config, info.output_shape).to_dict())
    return {
        "ok": report.ok,
        "total_params": report.total_params,
        "total_flops": report.total_flops,
        "total_activation_bytes": report.total_activation_bytes,
        "nodes": [
            {
                "id": n.id,
                "block": n.block,
                "output_shape": list(report.nodes[n.id].output_shape) if report.nodes[n.id].output_shape else None,
                "params": report.nodes[n.id].params,
                "flops": report.nodes[n.id].flops,
                "activation_bytes": report.nodes[n.id].activation_bytes,
                "error": report.nodes[n.id].error,
            }
            for n in graph.nodes
        ],
        "heads": heads,
        "errors": [e.to_dict() for e in report.errors],
        "warnings": [w.to_dict() for w in report.warnings],
        "memory": memory_summary(report, machine),
    }


def run(args: argparse.Namespace) -> int:
    from studio.core.data.loader import data_warnings
    from studio.core.graph.infer import infer_graph
    from studio.core.graph.memory import format_bytes, machine_memory, memory_summary
    from studio.core.project import load_project

    project = load_project(args.project)
    machine = machine_memory(probe_gpu=True)  # a headless check may ask CUDA for its memory itself
    report = infer_graph(project.graph, machine)
    data_notes = data_warnings(project.data)  # a folder of mixed image sizes: it trains, but look
    if args.json:
        print(json.dumps({**report_dict(project.graph, report, machine),
                          "data_warnings": [w.to_dict() for w in data_notes]}))
        return 0 if report.ok else 1
    rows = [("node", "block", "output shape", "params", "FLOPs")]
    for n in project.graph.nodes:
        info = report.nodes[n.id]
        shape = _shape(info.output_shape) if info.output_shape else f"! {info.error}"
        rows.append((n.id, n.block, shape, f"{info.params:,}", _human(info.flops)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]:>{widths[3]}}  {r[4]:>6}")
    print(f"total: {report.total_params:,} parameters, {_human(report.total_flops)} FLOPs per sample, "
          f"{_human(report.total_activation_bytes)}B activations per sample")
    memory = memory_summary(report, machine)
    limits = [f"{format_bytes(memory['ram_bytes'])} RAM"] if memory["ram_bytes"] else []
    if memory["gpu_bytes"]:
        limits.append(f"{format_bytes(memory['gpu_bytes'])} on {memory['gpu_name']}")
    print(f"memory: {format_bytes(memory['weights_bytes'])} of float32 weights, about "
          f"{format_bytes(memory['training_bytes'])} to train with Adam"
          + (f" (this machine: {', '.join(limits)})" if limits else ""))
    for w in report.warnings:
        print(f"warning: {w.one_line()}")
    for w in data_notes:
        print(f"warning: {w.one_line()}")
    if report.ok:
        n = len(report.warnings) + len(data_notes)
        print(f"{project.name}: OK" + (f" ({n} warning{'s' if n > 1 else ''})" if n else ""))
        return 0
    for e in report.errors:
        print(f"studio check: error: {e.one_line()}", file=sys.stderr)
    return 1
