"""`studio.app.jobs.JobRunner` for widgets: its events as Qt signals on the GUI thread.

A panel owns one `QtJobRunner` per purpose and connects its signals; the job itself stays a
plain function (see `studio.app.jobs`). Widgets can be closed and deleted while their job still
runs, so the worker thread never touches the runner's QObject: it emits on a private relay that
the job runner keeps alive, and the relay's queued connection to this object is one Qt removes
by itself when this object is destroyed. Destroying the runner also cancels its job.

Only the newest request's events are passed on: one that a newer `submit` or `cancel()`
superseded after its event was queued is dropped here, on the GUI thread, so a view never shows a
result it no longer asked for.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from studio.app.jobs import Job, JobEvent, JobRunner, Policy


class _Relay(QObject):
    """Carries events from the worker thread; lives as long as the JobRunner that emits on it."""

    event = Signal(object)


class QtJobRunner(QObject):
    """A JobRunner whose events arrive as signals on the GUI thread."""

    started = Signal()
    progress = Signal(object)
    """The tuple the job passed to `context.progress(...)`."""
    result = Signal(object)
    error = Signal(str, bool)
    """The one-line message, and whether it is a user error (False: a bug, traceback on stderr)."""
    finished = Signal()
    """The newest request ended: after its result or error, or after it stopped on cancel."""
    busy_changed = Signal(bool)

    def __init__(self, name: str, policy: Policy = Policy.LATEST, parent: QObject | None = None):
        super().__init__(parent)
        relay = _Relay()
        relay.event.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.jobs = JobRunner(name, policy, listener=lambda event: relay.event.emit(event))
        self._busy_reported = False
        jobs = self.jobs
        self.destroyed.connect(lambda *_: jobs.cancel())

    @property
    def name(self) -> str:
        return self.jobs.name

    @property
    def busy(self) -> bool:
        """A job is waiting or running (its result may still be on its way to this thread)."""
        return self.jobs.busy

    @property
    def settled(self) -> bool:
        """Nothing waits or runs, and what the last job sent has reached this thread's signals
        (`busy` turns False on the worker thread, a moment before its result is delivered here)."""
        return not self.jobs.busy and not self._busy_reported

    def submit(self, job: Job) -> int | None:
        """Queue `job` by the runner's policy; its number, or None when refused (one at a time)."""
        serial = self.jobs.submit(job)
        self._report_busy()
        return serial

    def cancel(self, *, deliver: bool = False) -> None:
        """See `JobRunner.cancel`: by default nothing more of the running job reaches the signals."""
        self.jobs.cancel(deliver=deliver)
        self._report_busy()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until idle (tests, shutdown); the signals of what ended come with the event loop."""
        return self.jobs.wait(timeout)

    def _deliver(self, event: JobEvent) -> None:
        if self.jobs.is_current(event.serial):
            if event.kind == "started":
                self.started.emit()
            elif event.kind == "progress":
                self.progress.emit(event.value)
            elif event.kind == "result":
                self.result.emit(event.value)
            elif event.kind == "error":
                self.error.emit(event.value.message, event.value.user_error)
            elif event.kind == "finished":
                self.finished.emit()
        if event.kind == "finished":
            self._report_busy()

    def _report_busy(self) -> None:
        """Emit busy_changed when the runner's state differs from the last one reported."""
        busy = self.jobs.busy
        if busy != self._busy_reported:
            self._busy_reported = busy
            self.busy_changed.emit(busy)
