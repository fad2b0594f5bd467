"""The worker process: events arrive through the queue, stop saves, it runs below the app's priority,
the caller lives. A worker killed with kill -9 is tests/core/train/test_faults.py's."""

from __future__ import annotations

import os
import sys
import time

import torch
from train_builders import digits_mlp, make_project

from studio.core.train.worker import TrainingJob


def _long_project(**training):
    # many epochs so the run is still going when the test acts on it
    return make_project(digits_mlp(hidden=64), {"dataset": "digits"}, epochs=200, metrics_interval_ms=20, **training)


def _wait_for(job, kind, timeout=60.0):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.extend(job.drain())
        if any(e["event"] == kind for e in seen) or job.finished:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"no {kind} event within {timeout} s (got {[e['event'] for e in seen]})")


def test_worker_streams_pauses_and_stops_with_a_checkpoint(tmp_path):
    job = TrainingJob(_long_project(), tmp_path / "run").start()
    try:
        events = _wait_for(job, "epoch", timeout=180)  # a niced worker on a busy shared machine is slow
        assert events[0]["event"] == "start" and job.pid != os.getpid()
        # The window keeps a core for its event loop while a CPU training fills the others.
        assert os.getpriority(os.PRIO_PROCESS, job.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
        job.pause()
        events += _wait_for(job, "paused")
        time.sleep(0.3)
        step_at_pause = next(e for e in events if e["event"] == "paused")["step"]
        assert all(e["event"] != "step" or e["step"] <= step_at_pause for e in job.drain())  # no steps while paused
        job.resume()
        events += _wait_for(job, "resumed")
        while not any(e["event"] == "step" and e["step"] > step_at_pause for e in events):
            events += _wait_for(job, "step")
        job.stop()
        events += job.wait(timeout=60)
    finally:
        job.close()
    done = events[-1]
    assert done["event"] == "done" and done["reason"] == "stopped" and done["stopped"]
    ckpt = torch.load(tmp_path / "run" / "checkpoint.pt", weights_only=True)
    assert ckpt["global_step"] == done["global_step"] > step_at_pause
    assert not job.process.is_alive()


def test_user_error_in_worker_comes_back_as_an_error_event(tmp_path):
    project = make_project(digits_mlp(classes=2), {"dataset": "digits"})
    job = TrainingJob(project, tmp_path / "run").start()
    try:
        events = job.wait(timeout=60)
    finally:
        job.close()
    final = events[-1]
    assert final["event"] == "error" and final["kind"] == "user"
    assert "10 classes" in final["message"] and "2 units" in final["message"]
    assert job.process.exitcode == 0  # the worker ended normally after reporting


def test_corrupt_checkpoint_on_resume_is_reported_not_fatal(tmp_path):
    # A checkpoint.pt that is not a checkpoint: resuming fails inside the worker process.
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "checkpoint.pt").write_bytes(b"not a checkpoint")
    job = TrainingJob(make_project(digits_mlp(), {"dataset": "digits"}), tmp_path / "run", resume=True).start()
    try:
        events = job.wait(timeout=60)
    finally:
        job.close()
    final = events[-1]
    assert final["event"] == "error" and final["kind"] == "user" and "checkpoint.pt" in final["message"]
    assert not job.process.is_alive()


def test_worker_does_not_import_modules_planted_in_the_working_directory(tmp_path, monkeypatch):
    """Spawn starts `python -c`, which puts the working directory first on the child's path: a
    `struct.py` in the folder the app was started from ran in the worker before its start was fixed."""
    planted = tmp_path / "cwd"
    planted.mkdir()
    markers = []
    for module in ("struct", "pickle", "threading"):
        marker = planted / f"marker-{module}"
        (planted / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
        markers.append(marker)
    monkeypatch.chdir(planted)
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    # the app's own path has no working-directory entry (main.py's folder, or `python -m studio`
    # drops it); pytest's `python -m` adds one, which the worker would inherit
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", os.getcwd(), str(planted))])
    project = make_project(digits_mlp(hidden=8), {"dataset": "digits"}, epochs=1, max_steps=2)
    job = TrainingJob(project, tmp_path / "run").start()
    events = _wait_for(job, "done", timeout=120)
    assert any(e["event"] == "done" for e in events), [e.get("message") for e in events]
    assert not any(m.exists() for m in markers), [m.name for m in markers if m.exists()]
    assert "PYTHONSAFEPATH" not in os.environ  # the app's own environment is left as it was
