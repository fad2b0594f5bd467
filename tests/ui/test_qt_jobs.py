"""The job runner for widgets: results on the GUI thread, only the newest one shown, and a widget
closed while its job runs neither crashes the app nor receives a result."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from studio.app.jobs import Policy
from studio.ui.common.jobs import QtJobRunner


def test_results_and_errors_arrive_on_the_gui_thread(qtbot):
    runner = QtJobRunner("gui-thread")
    seen = []
    runner.result.connect(lambda value: seen.append(("result", value, threading.current_thread())))
    runner.error.connect(lambda message, user: seen.append(("error", message, user, threading.current_thread())))
    runner.submit(lambda job: sum(range(1000)))
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    runner.submit(lambda job: 1 / 0)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    main = threading.main_thread()
    assert seen[0] == ("result", 499500, main)
    assert seen[1] == ("error", "ZeroDivisionError: division by zero", False, main)


def test_a_result_superseded_while_on_its_way_is_not_shown(qtbot):
    """The first job ends while the GUI is busy elsewhere; the user asks again before its result is
    shown. Only the newer request's result reaches the view."""
    runner = QtJobRunner("superseded")
    shown = []
    runner.result.connect(shown.append)
    runner.submit(lambda job: "stale")
    assert runner.wait(10)  # it ended on its thread; its result waits in the GUI thread's queue
    runner.submit(lambda job: "fresh")
    assert runner.wait(10)
    qtbot.waitUntil(lambda: shown == ["fresh"], timeout=10_000)
    qtbot.wait(50)
    assert shown == ["fresh"]


def test_busy_changed_follows_the_work(qtbot):
    runner = QtJobRunner("busy", Policy.ONE_AT_A_TIME)
    states = []
    runner.busy_changed.connect(states.append)
    release = threading.Event()
    runner.submit(lambda job: release.wait(10))
    assert runner.busy and states == [True]
    assert runner.submit(lambda job: "second") is None, "one at a time: refused while the first runs"
    release.set()
    qtbot.waitUntil(lambda: states == [True, False], timeout=10_000)
    assert not runner.busy


def test_closing_the_widget_while_its_job_runs_cancels_it_and_nothing_crashes(qtbot):
    widget = QWidget()
    runner = QtJobRunner("closed", parent=widget)
    shown = []
    runner.result.connect(shown.append)
    started, stopped = threading.Event(), threading.Event()

    def job(context):
        import torch

        layer = torch.nn.Linear(64, 64)
        started.set()
        while not context.cancelled.is_set():
            layer(torch.randn(8, 64))
            context.progress(1, 2)  # events keep coming while the widget goes away
        stopped.set()
        return "for a widget that is gone"

    jobs = runner.jobs
    runner.submit(job)
    assert started.wait(30)
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window goes, mid-job
    assert not shiboken6.isValid(runner)
    assert stopped.wait(10), "destroying the runner cancelled its job"
    assert jobs.wait(10)
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        QApplication.processEvents()
    assert shown == []


def test_settled_waits_for_the_result_to_reach_this_thread(qtbot):
    """`busy` turns False on the worker thread; `settled` only once the result was delivered here,
    so a test (or the UI) waiting on it sees the result's effect."""
    import threading

    from studio.ui.common.jobs import QtJobRunner

    runner = QtJobRunner("settle-test")
    got = []
    runner.result.connect(got.append)
    done = threading.Event()

    def job(_ctx):
        done.set()
        return 42

    runner.submit(job)
    assert not runner.settled
    done.wait(10)
    runner.wait(10)  # the worker is finished: busy is False, the result is still queued for this thread
    assert not runner.busy and not runner.settled and got == []
    qtbot.waitUntil(lambda: runner.settled, timeout=5000)
    assert got == [42]
