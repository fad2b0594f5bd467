"""An Explain worker says it is busy exactly while a request is waiting or running.

`busy` is read from the worker's own state under its lock (it was a flag written by the GUI thread
and the worker thread without it). The window where the two writes crossed is a few instructions
wide and was not caught in a test; these guard what the property promises.
"""

from __future__ import annotations

from studio.ui.explain.worker import Worker


def test_busy_holds_while_requests_follow_each_other(qtbot):
    import threading
    import time

    worker = Worker("test")
    results = []
    worker.finished.connect(lambda serial, value: results.append(value))
    for i in range(50):
        release = threading.Event()
        worker.submit(lambda progress, cancel, i=i: i)  # a quick job, finishing on the worker thread ...
        time.sleep(0.0002 * (i % 5))  # ... at varying moments against the next submit
        worker.submit(lambda progress, cancel, release=release: release.wait(10))  # ... while this one waits
        busy = worker.busy
        release.set()
        assert busy, f"round {i}: a job is waiting or running but the worker reads idle"
        assert worker.wait(30)
        assert not worker.busy
    qtbot.waitUntil(lambda: len(results) > 0, timeout=10_000)


def test_busy_changed_ends_on_idle(qtbot):
    worker = Worker("test")
    states = []
    worker.busy_changed.connect(states.append)
    worker.submit(lambda progress, cancel: sum(range(1000)))
    assert worker.wait(30)
    qtbot.waitUntil(lambda: states and states[-1] is False, timeout=10_000)
    assert states[0] is True
