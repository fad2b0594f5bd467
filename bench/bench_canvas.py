"""Canvas fluidity: frame times for pan, zoom and drag on a 200-node graph, next to the 13-node MNIST CNN.

Each frame is one change of the view (scroll, zoom step, or a selection of 10 blocks moved as a
mouse drag moves them) followed by a synchronous repaint of the viewport, timed with
perf_counter. The same frames on the small template in the same run give the ratio that says how
much the graph's size costs; the 200-node graph is also timed with item caching off, to show what
the cache buys. Also timed: one edit (a parameter change) through undo stack, shape inference
and the canvas update. Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a display is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time


def build_graph(n_nodes: int = 200):
    """The shape benchmark's residual CNN of `n_nodes` blocks, auto-laid-out (branches side by side)."""
    import importlib.util
    from pathlib import Path

    from studio.ui.builder.layout import auto_layout

    spec = importlib.util.spec_from_file_location("bench_shapes", Path(__file__).with_name("bench_shapes.py"))
    shapes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shapes)
    g = shapes.build_graph(n_nodes)
    for nid, pos in auto_layout(g).items():
        g.node(nid).pos = pos
    return g


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
            "max_ms": round(ordered[-1], 3),
            "fps_at_median": round(1000 / max(statistics.median(ordered), 1e-6), 1)}


def _frames(panel, frames: int) -> dict:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    view, scene = panel.view, panel.scene
    viewport = view.viewport()

    def timed(step) -> list[float]:
        out = []
        for i in range(frames):
            t0 = time.perf_counter()
            step(i)
            viewport.repaint()
            out.append((time.perf_counter() - t0) * 1000)
        QApplication.processEvents()
        return out

    results = {}
    for label, zoom in (("fit", None), ("100%", 1.0)):
        view.fit()
        if zoom is not None:
            view.set_zoom(zoom)
        bar = view.verticalScrollBar()
        results[f"pan_{label}"] = _stats(timed(
            lambda i, bar=bar: bar.setValue(bar.value() + (40 if (i // 20) % 2 == 0 else -40))))
        base = view.zoom()
        results[f"zoom_{label}"] = _stats(timed(lambda i, base=base: view.set_zoom(base * (1.1 if i % 2 == 0 else 1.0))))
        view.set_zoom(base)
        ids = list(scene.nodes)[5:15]
        scene.select_ids(ids)
        items = [scene.nodes[nid] for nid in ids]
        starts = [it.pos() for it in items]

        def move(i, items=items, starts=starts):
            d = QPointF(3.0 * (i % 40), 2.0 * (i % 40))
            for it, s in zip(items, starts, strict=True):
                it.setPos(s + d)
        results[f"drag_{label}"] = _stats(timed(move))
        for it, s in zip(items, starts, strict=True):
            it.setPos(s)
        scene.clearSelection()
    return results


def _edit_cycle(panel, repeats: int) -> dict:
    editor = panel.editor
    node = next(n.id for n in editor.graph.nodes if n.block == "Conv2d")
    samples = []
    for i in range(repeats):
        t0 = time.perf_counter()
        editor.set_param(node, "out_channels", 16 + (i % 2))
        samples.append((time.perf_counter() - t0) * 1000)
    return _stats(samples)


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication, QGraphicsItem

    from studio.core.project import Project, load_project
    from studio.core.resources import default_example_path
    from studio.ui import theme
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply_theme(app, "light")
    out: dict = {"nodes": args.nodes, "frames": args.frames, "platform": app.platformName()}

    def panel_for(project):
        t0 = time.perf_counter()
        state = AppState(project)
        panel = BuildPanel(state)
        panel.resize(1400, 860)
        panel.show()
        app.processEvents()
        return panel, (time.perf_counter() - t0) * 1000

    big, build_ms = panel_for(Project(name="bench", graph=build_graph(args.nodes)))
    out["open_ms"] = round(build_ms, 1)
    out["big"] = _frames(big, args.frames)
    out["edit_cycle"] = _edit_cycle(big, 30)
    for item in big.scene.nodes.values():
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    out["big_uncached"] = _frames(big, args.frames)
    small, _ = panel_for(load_project(default_example_path()))
    out["small"] = _frames(small, args.frames)
    out["ratio_big_vs_small"] = {k: round(out["big"][k]["median_ms"] / max(out["small"][k]["median_ms"], 1e-6), 2)
                                 for k in out["big"]}
    out["ratio_uncached_vs_cached"] = {k: round(out["big_uncached"][k]["median_ms"] /
                                                max(out["big"][k]["median_ms"], 1e-6), 2) for k in out["big"]}
    worst = max(v["p95_ms"] for v in out["big"].values())
    out["worst_p95_ms"] = round(worst, 2)
    out["fluid"] = worst <= 33.0  # 30 frames per second or better at the 95th percentile
    big.close()
    small.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:]), indent=2))
