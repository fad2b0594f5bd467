"""GUI heartbeat while a real training runs at full speed, curve refresh with 100,000 points,
opening a project with a 5 MB description, and "Compare with" a run of 1,000,000 lines.

    python bench/bench_ui.py [--seconds S] [--device auto|cpu|cuda] [--template mnist_cnn]
                             [--parts training,refresh,description,compare,gan] [--lines N] [--old-reader]
                             [--gan-run RUN_DIR] [--json]

Part 1 opens the Train panel (offscreen unless a display is set), starts a real training in the
worker process (the course's MNIST CNN on the built-in digits by default) and measures, side by side
in the same run: the largest event-loop stall (a 5 ms precise heartbeat timer's lateness) and how
many times per second the curves actually redrew. Part 2 fills the curves with 100,000 points per
series and times a redraw as new points keep arriving (the refresh rate that allows).
Part 3 opens the main window on a project whose description is 5 MB (one unbroken line, the worst
case for Qt's text layout) and on the same project with its short description, interleaved, and
reports the median seconds until each window is shown. Part 4 writes a metrics.jsonl of
1,000,000 lines into a temporary run folder, chooses it in the Train panel's "Compare with" and
measures the GUI heartbeat meanwhile, the seconds until the compared curves are drawn and the
process's peak resident memory above where it was before (`--old-reader` also times the former
read-everything-on-the-GUI-thread path, for comparison).
Part 5 (gan) replays a real GAN run's events (`--gan-run`, else a 2-epoch MLP GAN trained first)
into the Train panel at the app's rate (a batch every 50 ms, a step event of the run's per-step
series each) after 100,000 steps of its D(x)/D(G(z))/losses already drawn, with a `gan` event
(the 64-sample grid) every 10th batch instead of once an epoch, and measures the worst event-loop
stall, the slowest batch through the panel's slot and the curves' redraw, and the GAN view's own
slowest share of a batch; once with the GAN tab in front and once, interleaved, with the Learning
rate tab in front (the difference is the view's on a shared machine).
Budgets (docs/performance.md): max stall <= 50 ms, curves >= 10 Hz.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests" / "support"):  # the heartbeat timer is the stall test's, in tests/support
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


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
    from heartbeat import Heartbeat

    from studio.core.project import load_project
    from studio.core.resources import resource_path
    from studio.ui.panels.train import TrainPanel
    from studio.ui.state import AppState

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


def _flush_deletes(app) -> None:
    """Delete windows closed earlier now, so their teardown is not timed as part of the next figure."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def open_with_big_description(size: int = 5_000_000, repeats: int = 3) -> dict:
    """Median seconds from opening a project to its main window shown, with a `size`-character
    description and with the example's own, interleaved so both see the same machine load."""
    from studio.core.resources import default_example_path
    from studio.ui.app import LaunchOptions, create_main_window

    app = _app()
    example = json.loads(default_example_path().read_text(encoding="utf-8"))
    times: dict[str, list[float]] = {"normal": [], "big": []}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDIO_CONFIG_DIR"] = str(Path(tmp) / "config")  # the bench's windows leave no settings
        paths = {}
        for kind in times:
            data = dict(example)
            if kind == "big":
                data["description"] = ("data:application/octet-stream;base64," + "QUJDREVGR0hJSktMTU5PUFFS" * (size // 20))[:size]
            paths[kind] = Path(tmp) / f"{kind}.studio.json"
            paths[kind].write_text(json.dumps(data), encoding="utf-8")
        for _ in range(repeats):
            for kind in ("normal", "big"):
                _flush_deletes(app)
                t0 = time.perf_counter()
                window, error = create_main_window(app, LaunchOptions(project=str(paths[kind])))
                window.show()
                app.processEvents()
                times[kind].append(time.perf_counter() - t0)
                assert error is None, error
                if window.autosaver:
                    window.autosaver.close()
                window.hide()
                window.deleteLater()
        _flush_deletes(app)
    os.environ.pop("STUDIO_CONFIG_DIR", None)
    return {"description_mb": round(size / 1e6, 2),
            "window_shown_s_normal_description": round(statistics.median(times["normal"]), 2),
            "window_shown_s_5mb_description": round(statistics.median(times["big"]), 2)}


STEP_LINE = ('{"event":"step","step":%d,"first_step":%d,"epoch":%d,"progress":%.6f,"loss":%.6f,"lr":0.001,'
             '"grad_norm":%.4f,"samples_per_s":5120.5,"step_time_ms":12.5,"gpu_memory_mb":0.0,'
             '"losses":[%.6f],"grad_norms":[%.4f],"lrs":[0.001]}\n')
EPOCH_LINE = '{"event":"epoch","epoch":%d,"step":%d,"train_loss":%.6f,"val_loss":%.6f,"val_accuracy":%.4f}\n'


def write_long_metrics(folder: Path, lines: int, per_epoch: int = 1000) -> int:
    """A metrics.jsonl of `lines` lines as the trainer writes them (one step per line, an epoch
    every `per_epoch` steps), from template strings: a million lines in seconds. Returns the epochs."""
    import numpy as np

    steps = lines - 2 - (lines - 2) // (per_epoch + 1)
    s = np.arange(1, steps + 1)
    loss = 2.3 * np.exp(-s / (steps / 4)) + 0.05 + 0.02 * np.random.default_rng(0).random(steps)
    epochs = 0
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "metrics.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"event": "start", "epochs": steps // per_epoch, "steps_per_epoch": per_epoch,
                             "resumed_from_step": 0}) + "\n")
        for lo in range(0, steps, per_epoch):
            hi = min(steps, lo + per_epoch)
            ks, vs = s[lo:hi].tolist(), loss[lo:hi].tolist()
            e = lo // per_epoch + 1
            fh.write("".join([STEP_LINE % (k, k, e, k / steps, v, 1.0, v, 1.0) for k, v in zip(ks, vs, strict=True)]))
            if hi - lo == per_epoch:
                epochs += 1
                fh.write(EPOCH_LINE % (e, hi, vs[-1], 1.1 * vs[-1], 0.9))
        fh.write('{"event":"done","run_dir":"bench"}\n')
    return epochs


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


class _PeakRss:
    """Samples the process's resident memory every 10 ms on a thread; `peak` is the highest seen."""

    def __init__(self) -> None:
        self.base = _rss_mb()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            now = _rss_mb()
            if now is not None and (self.peak is None or now > self.peak):
                self.peak = now

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def growth_mb(self) -> float | None:
        return None if self.base is None or self.peak is None else round(self.peak - self.base, 1)


def compare_with_long_run(lines: int = 1_000_000, old_reader: bool = False) -> dict:
    """Choose a run of `lines` lines in the Train panel's "Compare with": GUI stall meanwhile,
    seconds until its curves are drawn, peak memory growth."""
    from heartbeat import Heartbeat

    from studio.core.project import load_project
    from studio.core.resources import default_example_path
    from studio.ui.panels.train import TrainPanel
    from studio.ui.state import AppState

    app = _app()
    out: dict = {"compare_lines": lines}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        run_dir = Path(tmp) / "runs" / "long-run"
        epochs = write_long_metrics(run_dir, lines)
        out["compare_file_mb"] = round((run_dir / "metrics.jsonl").stat().st_size / 1e6, 1)
        out["compare_write_s"] = round(time.perf_counter() - t, 2)
        state = AppState(load_project(default_example_path()))
        state.mark_saved(Path(tmp) / "example.studio.json")
        panel = TrainPanel(state)
        panel.resize(1400, 1000)
        panel.show()
        app.processEvents()
        panel._list_earlier_runs()
        box = panel.curves.compare
        index = box.findData(str(run_dir))
        overlay = panel.curves.overlay_val

        def shown() -> bool:
            return overlay.yData is not None and len(overlay.yData) == epochs

        _flush_deletes(app)
        _pump(app, 1.0)  # the panel's first paints are done, as when a user opens the box
        beat = Heartbeat(5)
        with _PeakRss() as rss:
            beat.start()
            t0 = time.perf_counter()
            box.setCurrentIndex(index)
            _pump(app, 600, until=shown)
            seconds = time.perf_counter() - t0
            beat.stop()
        summary = beat.summary()
        out.update({"compare_seconds_to_curves": round(seconds, 2),
                    "compare_max_stall_ms": round(summary["max_stall_ms"], 1),
                    "compare_p99_stall_ms": round(summary["p99_stall_ms"], 1),
                    "compare_peak_memory_mb": rss.growth_mb(),
                    "compare_step_points_kept": int(panel.curves.overlay.step.n) if panel.curves.overlay else 0,
                    "compare_curves_shown": shown()})
        if old_reader:  # the former path: every event as a dict, read on the GUI thread
            from studio.core.train.run_folder import read_metrics
            from studio.ui.training.series import RunSeries

            box.setCurrentIndex(0)
            app.processEvents()
            with _PeakRss() as rss:
                t0 = time.perf_counter()
                series = RunSeries()
                series.add_events(read_metrics(run_dir))
                panel.curves.set_overlay(series, run_dir.name)
                app.processEvents()
                seconds = time.perf_counter() - t0
            out.update({"old_reader_gui_blocked_s": round(seconds, 2), "old_reader_peak_memory_mb": rss.growth_mb()})
            del series
        panel.controller.shutdown()
        panel.deleteLater()
        _flush_deletes(app)
    return out


def _recorded_gan_events(run_dir: str | None) -> list[dict]:
    from studio.core.train.metrics_stream import iter_events

    if run_dir:
        return list(iter_events(run_dir))
    from studio.core.project import load_project
    from studio.core.resources import resource_path
    from studio.core.train.trainer import run_training

    events: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        run_training(load_project(resource_path("templates", "gan_mlp_digits.studio.json")), Path(tmp) / "run",
                     {"epochs": 2, "device": "cpu"}, emit=events.append)
    return events


def gan_view_while_streaming(run_dir: str | None = None, seconds: float = 10.0, history: int = 100_000,
                             tick_ms: int = 50, gan_every: int = 10, events: list[dict] | None = None,
                             gan_tab: bool = True, prefix: str = "gan_") -> dict:
    import numpy as np
    from heartbeat import Heartbeat
    from PySide6.QtCore import QTimer

    from studio.core.project import load_project
    from studio.core.resources import resource_path
    from studio.ui.panels.train import TrainPanel
    from studio.ui.state import AppState

    recorded = events if events is not None else _recorded_gan_events(run_dir)
    steps = [e for e in recorded if e.get("event") == "step" and e.get("series")]
    gans = [e for e in recorded if e.get("event") == "gan"]
    start = next(e for e in recorded if e.get("event") == "start")
    if not steps or not gans:
        raise SystemExit("bench_ui gan: the run has no GAN step series or gan events")
    keys = list(steps[0]["series"])
    series = {k: np.concatenate([np.asarray(e["series"][k], dtype=float) for e in steps]) for k in keys}
    losses = np.concatenate([np.asarray(e["losses"], dtype=float) for e in steps])
    reps = history // losses.size + 1
    app = _app()
    panel = TrainPanel(AppState(load_project(resource_path("templates", "gan_mlp_digits.studio.json"))))
    panel.resize(1400, 1000)
    panel.show()
    panel.curves.tabs.setCurrentIndex(panel.curves.gan_tab)
    history_step = {"event": "step", "first_step": 1, "step": history, "epoch": 1,
                    "losses": np.tile(losses, reps)[:history].tolist(), "grad_norms": [1.0] * history,
                    "lrs": [2e-4] * history,
                    "series": {k: np.tile(v, reps)[:history].tolist() for k, v in series.items()}}
    panel._on_events([start, history_step, gans[0]])
    panel.curves.tabs.setCurrentIndex(panel.curves.gan_tab if gan_tab else 0)
    panel._draw()
    app.processEvents()
    state = {"tick": 0, "step": history, "worst_s": 0.0, "view_s": 0.0}
    view = panel.curves.gan_view
    view_add = view.add_events

    def timed_add(events):  # the GAN view's own share of a batch: its arrays, decimation, grid
        t = time.perf_counter()
        try:
            return view_add(events)
        finally:
            state["view_s"] = max(state["view_s"], time.perf_counter() - t)

    view.add_events = timed_add

    def feed() -> None:
        k = state["tick"]
        ev = dict(steps[k % len(steps)])
        n = len(ev["losses"])
        ev.update(first_step=state["step"] + 1, step=state["step"] + n)
        state["step"] += n
        batch = [ev]
        if k % gan_every == gan_every - 1:
            batch.append({**gans[(k // gan_every) % len(gans)], "epoch": 2 + k // gan_every})
        t = time.perf_counter()
        panel._on_events(batch)
        panel._draw()
        state["worst_s"] = max(state["worst_s"], time.perf_counter() - t)
        state["tick"] += 1

    timer = QTimer()
    timer.setInterval(tick_ms)
    timer.timeout.connect(feed)
    beat = Heartbeat(5)
    beat.start()
    timer.start()
    _pump(app, seconds)
    timer.stop()
    beat.stop()
    shown = panel.curves.gan_view.curve_data("d_real")[0].size
    panel.controller.shutdown()
    panel.deleteLater()
    _flush_deletes(app)
    out = {"batches": state["tick"], "steps_drawn": state["step"], "points_plotted": int(shown),
           "worst_batch_ms": round(state["worst_s"] * 1000, 2), "view_worst_ms": round(state["view_s"] * 1000, 2)}
    out.update({k: round(v, 2) if isinstance(v, float) else v for k, v in beat.summary().items()})
    return {prefix + k: v for k, v in out.items()}


def gan_view_stalls(run_dir: str | None = None, rounds: int = 2) -> dict:
    """The GAN tab in front, and for comparison the Learning rate tab in front (the same panel and
    events, the GAN curves then idle), interleaved: on a shared machine the difference is the view's."""
    events = _recorded_gan_events(run_dir)
    out: dict = {}
    for _ in range(rounds):
        for gan_tab, prefix in ((True, "gan_"), (False, "gan_hidden_")):
            figures = gan_view_while_streaming(events=events, gan_tab=gan_tab, prefix=prefix)
            for k, v in figures.items():
                out[k] = max(out.get(k, v), v) if k.endswith(("max_stall_ms", "worst_batch_ms", "worst_ms")) else v
    return out


PARTS = ("training", "refresh", "description", "compare", "gan")


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_ui")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the training runs")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--template", default="mnist_cnn")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--parts", default=",".join(PARTS), help="which parts: " + ", ".join(PARTS))
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the compared run's metrics.jsonl")
    parser.add_argument("--old-reader", action="store_true", help="also time the former compare path")
    parser.add_argument("--gan-run", default=None, help="a GAN run folder to replay (else one is trained first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}: use {', '.join(PARTS)}")
    figures: dict = {"stall_budget_ms": 50}
    if "training" in parts:
        figures.update(heartbeat_during_training(args.seconds, args.device, args.template))
        figures["stall_within_budget"] = bool(figures["max_stall_ms"] <= 50)
    if "refresh" in parts:
        figures.update(refresh_with_many_points(args.points))
    if "training" in parts and "refresh" in parts:
        figures["refresh_budget_hz"] = 10
        figures["refresh_within_budget"] = bool(figures["curve_refresh_hz"] >= 10 and
                                                figures["refresh_hz_possible"] >= 10)
    if "description" in parts:
        figures.update(open_with_big_description())
    if "compare" in parts:
        figures.update(compare_with_long_run(args.lines, args.old_reader))
        figures["compare_stall_within_budget"] = bool(figures["compare_max_stall_ms"] <= 50)
    if "gan" in parts:
        figures.update(gan_view_stalls(args.gan_run))
        figures["gan_stall_within_budget"] = bool(figures["gan_max_stall_ms"] <= 50)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
