"""The job runner: newest request wins, cancel, one-line errors, waiting at quit, no daemon threads.

The jobs are real work through the real runner: torch forwards that look at their cancel flag,
a dataset load that the core refuses, a bug that raises. Events are collected from the listener
on the runner's thread, as the Qt adapter receives them.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from studio.app.jobs import JobRunner, Policy, active_runners, cancel_all, wait_all

REPO = Path(__file__).resolve().parents[2]


class Recorder:
    """A listener that keeps every event (called on the runner's thread)."""

    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def __call__(self, event) -> None:
        with self.lock:
            self.events.append(event)

    def kinds(self, serial: int) -> list[str]:
        with self.lock:
            return [e.kind for e in self.events if e.serial == serial]

    def values(self, kind: str) -> list:
        with self.lock:
            return [e.value for e in self.events if e.kind == kind]


def forwards_until_cancelled(started: threading.Event, steps: int = 100_000):
    """A job doing torch forwards (native code) until told to stop; returns how many it did."""

    def job(context):
        import torch

        layer = torch.nn.Linear(64, 64)
        x = torch.randn(32, 64)
        started.set()
        for step in range(steps):
            if context.cancelled.is_set():
                return ("stopped early", step)
            layer(x)
        return ("ran to the end", steps)

    return job


def test_the_newest_request_wins(tmp_path):
    events = Recorder()
    runner = JobRunner("latest", Policy.LATEST, events)
    started = threading.Event()
    first = runner.submit(forwards_until_cancelled(started))
    assert started.wait(30)
    second = runner.submit(lambda context: "second")  # waits behind the first ...
    third = runner.submit(lambda context: "third")  # ... and is replaced by this one
    assert runner.wait(30)
    assert events.values("result") == ["third"], "only the newest request's result is delivered"
    assert events.kinds(first) == ["started", "finished"], "the superseded job was stopped and said nothing"
    assert events.kinds(second) == [], "the replaced waiting job never ran"
    assert events.kinds(third) == ["started", "result", "finished"]


def test_progress_of_a_superseded_job_is_dropped():
    events = Recorder()
    runner = JobRunner("progress", Policy.LATEST, events)
    go_on = threading.Event()

    def counting(context):
        context.progress(1, 3)
        go_on.wait(10)
        context.progress(2, 3)  # by now a newer request came: nobody wants this
        return "old"

    runner.submit(counting)
    deadline = time.monotonic() + 10
    while not events.values("progress") and time.monotonic() < deadline:
        time.sleep(0.01)
    runner.submit(lambda context: (context.progress(1, 1), "new")[1])
    go_on.set()
    assert runner.wait(30)
    assert events.values("progress") == [(1, 3), (1, 1)]
    assert events.values("result") == ["new"]


def test_cancel_stops_the_running_job_and_delivers_nothing_of_it():
    events = Recorder()
    runner = JobRunner("cancel", Policy.LATEST, events)
    started = threading.Event()
    serial = runner.submit(forwards_until_cancelled(started))
    assert started.wait(30) and runner.busy
    t0 = time.monotonic()
    runner.cancel()
    assert runner.wait(30)
    assert time.monotonic() - t0 < 5, "the job saw its cancel flag between two forwards"
    assert events.kinds(serial) == ["started", "finished"]
    assert not runner.busy


def test_cancel_with_deliver_keeps_what_the_job_did_so_far():
    events = Recorder()
    runner = JobRunner("stop-early", Policy.LATEST, events)
    started = threading.Event()
    runner.submit(forwards_until_cancelled(started))
    assert started.wait(30)
    runner.cancel(deliver=True)
    assert runner.wait(30)
    [(how, steps)] = events.values("result")
    assert how == "stopped early" and steps < 100_000


def test_one_at_a_time_refuses_while_running_and_accepts_from_the_result():
    """An export's second click is refused; a new export started when the first one's result arrives
    is accepted (the runner is no longer busy by then)."""
    events = Recorder()
    chained = []

    def listener(event):
        events(event)
        if event.kind == "result" and event.value == "first":
            chained.append(runner.submit(lambda context: "second"))

    runner = JobRunner("export", Policy.ONE_AT_A_TIME, listener)
    release = threading.Event()
    assert runner.submit(lambda context: (release.wait(10), "first")[1]) is not None
    assert runner.submit(lambda context: "refused") is None
    release.set()
    deadline = time.monotonic() + 30
    while len(events.values("result")) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert runner.wait(30)
    assert events.values("result") == ["first", "second"]
    assert chained and chained[0] is not None


def test_a_user_error_is_its_one_line_message():
    from studio.core.data import load_dataset

    events = Recorder()
    runner = JobRunner("data", Policy.LATEST, events)
    runner.submit(lambda context: load_dataset({"dataset": "no-such-set"}))
    assert runner.wait(30)
    [failure] = events.values("error")
    assert failure.user_error
    assert failure.message.startswith("unknown dataset 'no-such-set': use one of digits")
    assert "\n" not in failure.message


def test_a_bug_says_its_type_and_first_line_and_leaves_the_traceback_on_stderr(capsys):
    events = Recorder()
    runner = JobRunner("buggy", Policy.LATEST, events)

    def broken(context):
        return {"lr": 1e-3}["learning_rate"]

    runner.submit(broken)
    assert runner.wait(30)
    [failure] = events.values("error")
    assert not failure.user_error
    assert failure.message == "KeyError: 'learning_rate'"
    err = capsys.readouterr().err
    assert "Traceback" in err and "in broken" in err
    runner.submit(lambda context: "still works")  # the runner keeps running after a bug
    assert runner.wait(30)
    assert events.values("result") == ["still works"]


def test_jobs_run_on_threads_that_are_not_daemons_and_end_when_idle():
    seen = []
    runner = JobRunner("thread-check", Policy.LATEST)
    runner.submit(lambda context: seen.append(threading.current_thread()))
    assert runner.wait(30)
    [thread] = seen
    assert thread.name == "studio-job-thread-check"
    assert not thread.daemon, "a daemon thread inside torch at exit aborts the process"
    assert not thread.is_alive(), "the thread ended once there was nothing left to do"
    assert runner.idle
    assert all(t.name != "studio-job-thread-check" for t in threading.enumerate())


def test_wait_all_waits_for_every_runner_and_names_those_that_overrun():
    first, second = threading.Event(), threading.Event()
    a = JobRunner("quit-a", Policy.LATEST)
    b = JobRunner("quit-b", Policy.ONE_AT_A_TIME)
    a.submit(forwards_until_cancelled(first))
    stubborn = threading.Event()
    b.submit(lambda context: (second.set(), stubborn.wait(30)))  # ignores its cancel flag
    assert first.wait(30) and second.wait(30)
    cancel_all()
    assert not wait_all(0.3), "b does not look at its cancel flag"
    assert [r.name for r in active_runners() if r.name.startswith("quit-")] == ["quit-b"]
    stubborn.set()
    assert wait_all(30)
    assert not a.busy and not b.busy


def test_busy_holds_while_requests_follow_each_other():
    """`busy` is read under the runner's lock: a quick job finishing on the worker thread while the
    caller submits the next one must never make the runner read idle with a job in hand."""
    runner = JobRunner("busy", Policy.LATEST)
    for i in range(50):
        release = threading.Event()
        runner.submit(lambda context, i=i: i)
        time.sleep(0.0002 * (i % 5))
        runner.submit(lambda context, release=release: release.wait(10))
        busy = runner.busy
        release.set()
        assert busy, f"round {i}: a job is waiting or running but the runner reads idle"
        assert runner.wait(30)
        assert not runner.busy


@pytest.mark.parametrize("wait_at_exit", [True, False])
def test_a_process_with_a_job_in_torch_ends_normally(wait_at_exit):
    """A script that leaves with a job inside torch: it exits 0 through the normal interpreter exit
    (atexit handlers run), whether it waits for the job itself or lets the interpreter join it."""
    script = f"""
import atexit, sys, threading
atexit.register(lambda: print("interpreter finalized", flush=True))
from studio.app.jobs import JobRunner, cancel_all, wait_all

def job(context):
    import torch
    layer = torch.nn.Linear(256, 256)
    x = torch.randn(64, 256)
    started.set()
    while not context.cancelled.is_set():
        layer(x)

started = threading.Event()
JobRunner("exit").submit(job)
started.wait(60)
cancel_all()
if {wait_at_exit}:
    assert wait_all(10)
sys.exit(0)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "interpreter finalized" in done.stdout
    assert "terminate called" not in done.stderr


def test_a_job_submitted_while_the_thread_is_leaving_still_runs():
    """The runner's thread decides to end (nothing waits) and clears itself in one hold of the lock:
    a job submitted in between used to find the old thread still set, start no new one, and wait
    for ever with the runner reading busy (seen under load as a flaky busy-after-wait)."""
    runner = JobRunner("leaving", Policy.LATEST)
    leaving, go_on, ran = threading.Event(), threading.Event(), threading.Event()
    real = runner._lock
    idle_exits = []

    class PausingLock:
        """The runner's lock; the worker thread's second release with nothing waiting or running
        (the idle decision, after the job's own end) pauses until the test has submitted."""

        def __enter__(self):
            return real.__enter__()

        def __exit__(self, *exc):
            out = real.__exit__(*exc)
            worker = threading.current_thread().name.startswith("studio-job-leaving")
            if worker and runner._waiting is None and runner._running is None and not leaving.is_set():
                idle_exits.append(1)
                if len(idle_exits) == 2:
                    leaving.set()
                    go_on.wait(5)
            return out

        def __getattr__(self, name):
            return getattr(real, name)

    runner._lock = PausingLock()
    runner.submit(lambda context: None)
    assert leaving.wait(10)  # the first thread has decided to end and let go of the lock
    runner.submit(lambda context: ran.set())
    go_on.set()
    assert ran.wait(5), "the job submitted while the thread was leaving never ran"
    assert runner.wait(10) and not runner.busy
