"""One background thread per view: the newest request wins, results come back on the GUI thread.

Explanations (a model forward and backward, a Score-CAM of hundreds of masked images, hundreds of
feature-visualisation steps) must never run on the GUI thread. A user dragging the opacity slider
or stepping through samples asks for many results in a row; only the last one matters. So a
`Worker` holds at most one waiting job: a new request replaces it and cancels the running one
(jobs that look at `cancel` stop early), and only the result of the newest request is delivered.

A job is `job(progress, cancel) -> result` where `progress(done, total)` may be called from the
worker thread and `cancel` is a `threading.Event`.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.errors import UserError

Job = Callable[[Callable[[int, int], None], threading.Event], Any]


class Worker(QObject):
    """`submit(job)` runs it on this worker's thread; `finished`/`failed`/`progress` report on the GUI thread."""

    finished = Signal(int, object)
    """(request number, result) for the newest request only."""
    failed = Signal(int, str)
    """(request number, one-line message): the core's UserError text, or the type of a bug."""
    progress = Signal(int, int, int)
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._lock = threading.Condition()
        self._pending: tuple[int, Job] | None = None
        self._cancel = threading.Event()
        self._serial = 0
        self._running = False
        self._thread: threading.Thread | None = None
        self._busy_reported = False

    def submit(self, job: Job) -> int:
        """Queue `job` (replacing any waiting one, cancelling the running one); returns its number."""
        with self._lock:
            self._serial += 1
            self._pending = (self._serial, job)
            self._cancel.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name=f"studio-explain-{self.name}", daemon=True)
                self._thread.start()
            self._lock.notify()
            serial = self._serial
        self._report_busy()
        return serial

    def cancel(self) -> None:
        """Stop the running job (at its next check) and drop the waiting one."""
        with self._lock:
            self._pending = None
            self._serial += 1  # whatever is running now is no longer the newest request
            self._cancel.set()

    def is_idle(self) -> bool:
        with self._lock:
            return self._pending is None and not self._running

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until idle (tests and shutdown); True when idle in time."""
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.is_idle():
                return True
            time.sleep(0.01)
        return self.is_idle()

    def _latest(self, serial: int) -> bool:
        with self._lock:
            return serial == self._serial

    def _emit(self, signal: Any, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # the view was closed while the job ran

    @property
    def busy(self) -> bool:
        """A job is waiting or running. Read under the lock: the GUI thread submits while the worker
        thread finishes, and a flag written by both could end False with a job in hand."""
        with self._lock:
            return self._pending is not None or self._running

    def _report_busy(self) -> None:
        """Emit busy_changed when the state differs from the last one reported (decided under the lock)."""
        with self._lock:
            busy = self._pending is not None or self._running
            if busy == self._busy_reported:
                return
            self._busy_reported = busy
        self._emit(self.busy_changed, busy)

    def _loop(self) -> None:
        while True:
            with self._lock:
                while self._pending is None:
                    if not self._lock.wait(timeout=30.0) and self._pending is None:
                        self._thread = None
                        return
                serial, job = self._pending
                self._pending = None
                self._cancel = threading.Event()
                cancel = self._cancel
                self._running = True
            self._run(serial, job, cancel)
            with self._lock:
                self._running = False
            self._report_busy()

    def _run(self, serial: int, job: Job, cancel: threading.Event) -> None:
        def progress(done: int, total: int) -> None:
            if self._latest(serial):
                self._emit(self.progress, serial, int(done), int(total))

        try:
            result = job(progress, cancel)
        except InterruptedError:
            return  # cancelled on purpose: a newer request follows
        except UserError as exc:
            if self._latest(serial):
                self._emit(self.failed, serial, exc.one_line())
        except Exception as exc:  # a bug: say so in the panel, keep the app alive, keep the traceback
            traceback.print_exc(file=sys.stderr)
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            if self._latest(serial):
                self._emit(self.failed, serial, f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
        else:
            if self._latest(serial):
                self._emit(self.finished, serial, result)
