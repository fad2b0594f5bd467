"""Reading a long run's metrics.jsonl decimated: bounded memory, every epoch, the loss's extremes
and spikes kept, torn lines skipped, and the same curve verdict as reading every line."""

from __future__ import annotations

import gc
import json
import math
import tracemalloc

import pytest
from long_metrics import STEP, write_long_run
from train_builders import digits_mlp, make_project

from studio.core.recipe.diagnosis import diagnose_events
from studio.core.recipe.report import run_verdict
from studio.core.train import metrics_stream
from studio.core.train.metrics_stream import read_metrics_decimated
from studio.core.train.run_folder import read_metrics
from studio.core.train.trainer import run_training


def steps_of(events):
    return [e for e in events if e["event"] == "step"]


def test_a_200k_line_run_keeps_every_epoch_and_the_loss_extremes_in_little_memory(tmp_path):
    spikes = {50_123: 40.0, 150_001: 17.5}
    path, loss = write_long_run(tmp_path, 200_000, spikes=spikes, dip=(99_999, 0.001))
    with open(path, encoding="utf-8") as fh:
        written_epochs = [json.loads(line) for line in fh if line.startswith('{"event":"epoch"')]
    full_collections = []

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            full_collections.append(info)

    gc.collect()
    gc.callbacks.append(count)
    tracemalloc.start()
    try:
        events = read_metrics_decimated(tmp_path, max_points=10_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.callbacks.remove(count)
    assert peak < 50e6, f"peak {peak / 1e6:.1f} MB"
    # A full collection walks every object of the process (a GUI holds hundreds of thousands) with
    # the interpreter held: 200-400 ms of frozen window when the reader made tuples per line.
    assert not full_collections, "reading set off a full garbage collection"
    assert [e for e in events if e["event"] == "epoch"] == written_epochs  # every epoch, as written
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"
    points = steps_of(events)
    assert 1_000 < len(points) <= 10_000
    kept = {p["step"]: p["loss"] for p in points}
    assert max(kept.values()) == pytest.approx(float(loss.max()), abs=1e-6) == 40.0
    assert min(kept.values()) == pytest.approx(float(loss.min()), abs=1e-6) == 0.001
    assert kept[50_123] == 40.0 and kept[150_001] == 17.5, "a one-step spike survives decimation"
    assert 1 in kept and len(loss) in kept  # the first loss and the last
    assert [p["step"] for p in points] == sorted(kept), "in step order"


def test_a_torn_last_line_and_a_corrupt_line_are_skipped(tmp_path):
    path, _ = write_long_run(tmp_path, 3_000)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines.insert(10, '{"event":"step","step": 9, oops\n')
    torn = STEP % (99_999, 99_999, 9, 1.0, 123.0, 1.0, 123.0, 1.0)
    path.write_text("".join(lines) + torn[:60], encoding="utf-8")
    events = read_metrics_decimated(tmp_path)
    assert events == _flat(read_metrics(tmp_path))
    assert 99_999 not in {p["step"] for p in steps_of(events)}
    assert events[-1]["event"] == "done"


def _flat(events):
    """Events as read_metrics_decimated gives them with no decimation: one step event per point."""
    out = []
    for ev in events:
        if ev["event"] != "step":
            out.append(ev)
            continue
        losses = ev.get("losses") or [ev["loss"]]
        first = ev.get("first_step", ev["step"] - len(losses) + 1)
        for i, value in enumerate(losses):
            loss = math.nan if value is None else value
            g, r = ev["grad_norms"][i], ev["lrs"][i]
            out.append({"event": "step", "step": first + i, "first_step": first + i, "epoch": ev["epoch"],
                        "loss": loss, "grad_norm": g, "lr": r, "losses": [loss], "grad_norms": [g], "lrs": [r]})
    return out


def test_a_fresh_start_in_the_same_file_drops_the_earlier_steps_and_a_nan_stays_where_it_was(tmp_path):
    first, _ = write_long_run(tmp_path, 5_000)
    earlier = first.read_text(encoding="utf-8")
    second = ['{"event":"start","epochs":1}\n']
    second += [STEP.replace("%.6f,\"lr\"", "null,\"lr\"").replace("[%.6f]", "[null]") % (k, k, 1, 0.5, 1.0, 1.0)
               if k == 777 else STEP % (k, k, 1, 0.5, 1.0 / k, 1.0, 1.0 / k, 1.0) for k in range(1, 3_001)]
    second.append('{"event":"error","kind":"crash"}\n')
    first.write_text(earlier + "".join(second), encoding="utf-8")
    events = read_metrics_decimated(tmp_path, max_points=200)
    points = steps_of(events)
    assert len(points) <= 200
    fresh = max(i for i, e in enumerate(events) if e["event"] == "start")
    assert all(events.index(p) > fresh for p in points), "steps of the earlier run are gone"
    nan = [p for p in points if not math.isfinite(p["loss"])]
    assert [p["step"] for p in nan] == [777], "the NaN keeps its exact step"
    assert diagnose_events(events).step == diagnose_events(read_metrics(tmp_path)).step == 777


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory):
    """Two real short trainings on digits: a healthy-ish one and one diverging (lr far too high)."""
    root = tmp_path_factory.mktemp("runs")
    runs = {}
    for name, training in (("slow", {"lr": 5e-3, "optimizer": "sgd", "momentum": 0.0, "epochs": 4}),
                           ("diverging", {"lr": 0.5, "epochs": 3})):
        project = make_project(digits_mlp(64), {"dataset": "digits"}, **training)
        run_training(project, root / name)
        runs[name] = root / name
    return runs


def test_the_real_trainer_lines_take_the_fast_path_and_read_exactly_as_json_does(real_runs, monkeypatch):
    run = real_runs["slow"]
    full = read_metrics(run)
    assert any(e["event"] == "layers" for e in full)

    def no_slow_path(_events):
        raise AssertionError("the trainer's own step lines went through json.loads")

    monkeypatch.setattr(metrics_stream, "_parsed_step_columns", no_slow_path)
    assert read_metrics_decimated(run, max_points=10**6) == _flat(full)


@pytest.mark.parametrize("name", ["slow", "diverging"])
def test_decimation_does_not_change_the_verdict_of_a_real_run(real_runs, name):
    run = real_runs[name]
    full = read_metrics(run)
    n_points = sum(len(e["losses"]) for e in full if e["event"] == "step")
    decimated = read_metrics_decimated(run, max_points=40)
    assert len(steps_of(decimated)) < n_points // 2, "the test must really decimate"
    a, b = diagnose_events(full), diagnose_events(decimated)
    assert (a.name, a.epoch) == (b.name, b.epoch)
    c = run_verdict(run, max_points=40)  # what `studio diagnose` reads
    assert (c.name, c.epoch, c.evidence) == (b.name, b.epoch, b.evidence)
    assert a.name == {"slow": "still_improving", "diverging": "diverging"}[name]
