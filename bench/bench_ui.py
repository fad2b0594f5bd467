"""GUI heartbeat while a real training runs at full speed, and curve refresh with 100,000 points.

    python bench/bench_ui.py [--seconds S] [--device auto|cpu|cuda] [--template mnist_cnn] [--json]

Part 1 opens the Train panel (offscreen unless a display is set), starts a real training in the
worker process (the course's MNIST CNN on the built-in digits by default) and measures, side by side
in the same run: the largest event-loop stall (a 5 ms precise heartbeat timer's lateness) and how
many times per second the curves actually redrew. Part 2 fills the curves with 100,000 points per
series and times a redraw as new points keep arriving (the refresh rate that allows).
Budgets (shared/DESIGN.md): max stall <= 50 ms, curves >= 10 Hz.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _app():
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from studio.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(["bench_ui"])
    apply_theme(app, "light")
    return app


def _pump(app, seconds: float, until=None) -> None:
    """Run a real event loop (as app.exec does) until `until()` holds or `seconds` pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    end = time.monotonic() + seconds
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: loop.quit() if time.monotonic() > end or (until is not None and until()) else None)
    check.start()
    loop.exec()
    check.stop()


def heartbeat_during_training(seconds: float, device: str, template: str) -> dict:
    from studio.core.project import load_project
    from studio.core.resources import resource_path
    from studio.ui.panels.train import TrainPanel
    from studio.ui.state import AppState
    from studio.ui.training.heartbeat import Heartbeat

    app = _app()
    project = load_project(resource_path("templates", f"{template}.studio.json"))
    project.training["epochs"] = 1000
    state = AppState(project)
    panel = TrainPanel(state)
    panel.resize(1400, 1000)
    panel.show()
    app.processEvents()
    beat = Heartbeat(5)
    with tempfile.TemporaryDirectory() as tmp:
        panel.start_training(Path(tmp) / "run", overrides={"device": device, "max_seconds": seconds},
                             cheap_checks=False)
        _pump(app, 120, until=lambda: panel.controller.state == "running")
        first_refresh = panel.curves.refresh_count
        t0 = time.monotonic()
        beat.start()
        _pump(app, seconds + 60, until=lambda: panel.controller.state in ("finished", "stopped", "error"))
        beat.stop()
        elapsed = time.monotonic() - t0
        refreshes = panel.curves.refresh_count - first_refresh
        final = panel.controller.job.final if panel.controller.job else None
        panel.controller.shutdown()
    steps = int(panel.curves.series.step.n)
    out = {"train_seconds": round(elapsed, 2), "train_steps": steps,
           "train_samples_per_s": round(float((final or {}).get("samples_per_s") or 0.0), 1),
           "curve_refresh_hz": round(refreshes / max(elapsed, 1e-9), 2),
           "device": panel.curves.series.start.get("device", device)}
    out.update({k: round(v, 2) if isinstance(v, float) else v for k, v in beat.summary().items()})
    panel.deleteLater()
    return out


def refresh_with_many_points(points: int, rounds: int = 30, chunk: int = 100) -> dict:
    import numpy as np

    from studio.ui.training.curves import CurvesView

    app = _app()
    view = CurvesView()
    view.resize(1400, 700)
    view.show()
    rng = np.random.default_rng(0)
    loss = (2.3 * np.exp(-np.arange(points) / 20000.0) + 0.05 * rng.standard_normal(points)).tolist()
    view.add_events([{"event": "start", "epochs": 100, "steps_per_epoch": 1000}])
    view.add_events([{"event": "step", "first_step": 1, "step": points, "losses": loss,
                      "grad_norms": [1.0] * points, "lrs": [1e-3] * points}])
    view.refresh(force=True)
    app.processEvents()
    times = []
    next_step = points + 1
    for _ in range(rounds):
        new = (0.05 + 0.05 * rng.standard_normal(chunk)).tolist()
        t = time.perf_counter()
        view.add_events([{"event": "step", "first_step": next_step, "step": next_step + chunk - 1, "losses": new,
                          "grad_norms": [1.0] * chunk, "lrs": [1e-3] * chunk}])
        view.refresh()
        view.loss_plot.repaint()
        view.metric_plot.repaint()
        app.processEvents()
        times.append(time.perf_counter() - t)
        next_step += chunk
    ms = np.asarray(times) * 1000
    view.deleteLater()
    return {"points_per_series": points, "refresh_ms_median": round(float(np.median(ms)), 2),
            "refresh_ms_max": round(float(ms.max()), 2), "refresh_hz_possible": round(1000.0 / float(np.median(ms)), 1)}


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_ui")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the training runs")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--template", default="mnist_cnn")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = heartbeat_during_training(args.seconds, args.device, args.template)
    figures.update(refresh_with_many_points(args.points))
    figures["stall_budget_ms"] = 50
    figures["refresh_budget_hz"] = 10
    figures["stall_within_budget"] = bool(figures["max_stall_ms"] <= 50)
    figures["refresh_within_budget"] = bool(figures["curve_refresh_hz"] >= 10 and figures["refresh_hz_possible"] >= 10)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
