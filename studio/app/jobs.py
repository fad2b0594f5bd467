"""The one way Studio runs work off the caller's thread: a `JobRunner` per view or purpose.

Loading a dataset, a Score-CAM of hundreds of masked images, an export that times hundreds of
forwards, a first-use model download: each is seconds of work that must not freeze the window.
A job is a plain function `job(context)`; it may call `context.progress(...)` and should look at
`context.cancelled` (a `threading.Event`) between steps. Its return value, or the exception it
raised, comes back as events:

    started -> progress* -> result | error -> finished

`error` carries a `JobFailure`: the core's `UserError.one_line()` (`user_error=True`), or, for a bug
in Studio, the exception's type and first line (the traceback goes to stderr), so the app keeps
running and says what broke. A job that stops by raising `InterruptedError` (what the core raises
when its `cancel` event is set) ends with `finished` alone.

Two policies, because two kinds of work exist:

- `Policy.LATEST` ("latest request wins"): a user dragging a slider or stepping through samples asks
  for many results in a row and only the last one matters. A new `submit` cancels the running job,
  replaces a waiting one, and only the newest request's progress, result and error are delivered.
- `Policy.ONE_AT_A_TIME`: an export or a distillation writes files; a second click while one runs is
  refused (`submit` returns None) rather than cancelling work the user asked for.

Threads are not daemons: the interpreter would unwind a daemon thread that sits inside torch's or
onnxruntime's C++ code at exit, and abort ("terminate called without an active exception"). A
runner's thread exists only while it has work and ends when idle, and every runner is in a
registry, so the app calls `cancel_all()` and `wait_all(timeout)` when it quits and then exits
normally. Events are delivered on the runner's thread; the Qt adapter
(`studio.ui.common.jobs.QtJobRunner`) moves them to the GUI thread.
"""

from __future__ import annotations

import enum
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.core.errors import UserError


class Policy(enum.Enum):
    LATEST = "latest request wins"
    ONE_AT_A_TIME = "one at a time"


@dataclass(frozen=True)
class JobFailure:
    """Why a job ended without a result, in one line fit for a panel."""

    message: str
    user_error: bool
    """True for the core's UserError (the user can fix it); False for a bug in Studio."""

    @classmethod
    def from_exception(cls, exc: BaseException) -> JobFailure:
        if isinstance(exc, UserError):
            return cls(exc.one_line(), True)
        text = str(exc).strip()
        first = text.splitlines()[0] if text else ""
        return cls(f"{type(exc).__name__}: {first}" if first else type(exc).__name__, False)


@dataclass(frozen=True)
class JobEvent:
    """One thing that happened to job number `serial` of a runner.

    kind is "started", "progress" (value: the tuple the job passed), "result" (value: what it
    returned), "error" (value: a JobFailure) or "finished". Every job that ran gets "started" and
    "finished"; a waiting job dropped by a newer request or by `cancel()` never starts and sends
    nothing. "progress", "result" and "error" come only while the job is the newest request.
    """

    kind: str
    serial: int
    value: Any = None


class JobContext:
    """What a running job is handed: where to report progress and whether to stop."""

    def __init__(self, runner: JobRunner, serial: int):
        self._runner = runner
        self.serial = serial
        self.cancelled = threading.Event()
        """Set when the job should stop early (a newer request, or `cancel()`)."""

    def progress(self, *values: Any) -> None:
        """Report progress, e.g. `progress(done, total)` or `progress(stage, fraction)`; dropped once
        a newer request superseded this job."""
        self._runner._report_progress(self.serial, values)


Job = Callable[[JobContext], Any]
Listener = Callable[[JobEvent], None]

_runners: weakref.WeakSet[JobRunner] = weakref.WeakSet()
_runners_lock = threading.Lock()


class JobRunner:
    """Runs jobs one after the other on its own thread, by `policy`; events go to `listener`."""

    def __init__(self, name: str, policy: Policy = Policy.LATEST, listener: Listener | None = None):
        self.name = name
        self.policy = policy
        self._listener = listener
        self._lock = threading.Condition()
        self._serial = 0
        """The newest request's number; `cancel()` moves it on so the running job is no longer it."""
        self._waiting: tuple[JobContext, Job] | None = None
        self._running: JobContext | None = None
        self._thread: threading.Thread | None = None
        with _runners_lock:
            _runners.add(self)

    def __repr__(self) -> str:
        return f"JobRunner({self.name!r}, {self.policy.value})"

    # --- asking -----------------------------------------------------------------------------------
    def submit(self, job: Job) -> int | None:
        """Queue `job`; returns its number, or None when the policy refuses it (one at a time, busy)."""
        with self._lock:
            if self.policy is Policy.ONE_AT_A_TIME and self._is_busy():
                return None
            self._serial += 1
            context = JobContext(self, self._serial)
            if self._running is not None:
                self._running.cancelled.set()
            self._waiting = (context, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=f"studio-job-{self.name}")
                self._thread.start()
            return context.serial

    def cancel(self, *, deliver: bool = False) -> None:
        """Drop the waiting job and ask the running one to stop.

        By default nothing more of the running job is delivered (its result belongs to a request
        nobody wants now: the model is gone, the window closes). `deliver=True` keeps it the newest
        request, so what it returns after stopping early is still delivered (a feature
        visualisation stopped midway shows the image so far).
        """
        with self._lock:
            self._waiting = None
            if self._running is not None:
                self._running.cancelled.set()
                if not deliver:
                    self._serial += 1

    @property
    def busy(self) -> bool:
        """A job is waiting or running (its events may still be on their way)."""
        with self._lock:
            return self._is_busy()

    @property
    def idle(self) -> bool:
        """Nothing waits, runs or is being delivered, and the runner's thread has ended."""
        with self._lock:
            return self._thread is None

    def is_current(self, serial: int) -> bool:
        """Job `serial` is still the newest request (its events are wanted)."""
        with self._lock:
            return serial == self._serial

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the runner is idle and its thread has ended; True when it did in time."""
        end = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            thread = self._thread
            if not self._lock.wait_for(lambda: self._thread is None, timeout):
                return False
        if thread is not None:
            thread.join(None if end is None else max(0.0, end - time.monotonic()))
            return not thread.is_alive()
        return True

    # --- the runner's thread ----------------------------------------------------------------------
    def _is_busy(self) -> bool:
        return self._waiting is not None or self._running is not None

    def _loop(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._waiting is None:
                        # idle: the thread ends, the next submit starts another. Said in the same hold
                        # of the lock as the decision: a submit between the two would otherwise see
                        # this thread still set, start none, and its job would wait for ever
                        self._thread = None
                        self._lock.notify_all()
                        return
                    context, job = self._waiting
                    self._waiting = None
                    self._running = context
                self._emit(JobEvent("started", context.serial))
                outcome = self._execute(job, context)
                with self._lock:
                    self._running = None  # not busy before the result is out: its receiver may submit again
                    current = context.serial == self._serial
                if outcome is not None and current:
                    self._emit(outcome)
                self._emit(JobEvent("finished", context.serial))
        finally:
            with self._lock:
                self._running = None
                if self._thread is threading.current_thread():  # left by an exception, not the idle return
                    self._thread = None
                    self._lock.notify_all()

    def _execute(self, job: Job, context: JobContext) -> JobEvent | None:
        try:
            value = job(context)
        except InterruptedError:
            return None  # stopped on purpose (cancelled or superseded)
        except UserError as exc:
            return JobEvent("error", context.serial, JobFailure.from_exception(exc))
        except Exception as exc:  # a bug: say so where the user looks, keep the app alive, keep the traceback
            print(f"studio: job {self.name!r} failed:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            return JobEvent("error", context.serial, JobFailure.from_exception(exc))
        return JobEvent("result", context.serial, value)

    def _report_progress(self, serial: int, values: tuple) -> None:
        if self.is_current(serial):
            self._emit(JobEvent("progress", serial, values))

    def _emit(self, event: JobEvent) -> None:
        if self._listener is None:
            return
        try:
            self._listener(event)
        except Exception:  # a broken listener must not leave the runner busy forever
            traceback.print_exc(file=sys.stderr)


# --- the registry: everything that runs, for the app's quit and the tests -----------------------------
def active_runners() -> list[JobRunner]:
    """The runners that are not idle (what the app waits for at quit, and names if it waits in vain)."""
    with _runners_lock:
        runners = list(_runners)
    return [runner for runner in runners if not runner.idle]


def cancel_all() -> None:
    """Ask every runner's job to stop and drop what waits (the app is quitting)."""
    with _runners_lock:
        runners = list(_runners)
    for runner in runners:
        runner.cancel()


def wait_all(timeout: float) -> bool:
    """Wait up to `timeout` seconds in all for every runner to be idle; True when all were."""
    end = time.monotonic() + timeout
    for runner in active_runners():
        if not runner.wait(max(0.0, end - time.monotonic())):
            return False
    return not active_runners()
