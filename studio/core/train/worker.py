"""Training in a separate process (multiprocessing, spawn), so a crash never takes the app with it.

The parent (GUI timer or a script) calls `TrainingJob.drain()` to collect event dicts from a queue;
the worker runs `run_training` and puts every event there. Whatever happens in the worker (a bug,
NaN, CUDA out-of-memory, a hard kill), the parent ends up with a final `done` or `error` event:
a worker that dies without one is reported as `error` of kind "crash" with its exit code. The
other way round, a worker whose parent is killed stops at its next metrics flush and saves.

Spawn (not fork) because CUDA cannot be re-initialised in a forked child and a Qt parent must not
be forked; the price is a second or two to start the worker's interpreter.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue as queue_mod
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from studio.core.project import Project

TERMINAL = ("done", "error")


def _worker_main(project_dict: dict[str, Any], run_dir: str, overrides: dict[str, Any] | None, resume: bool,
                 events: Any, stop_event: Any, pause_event: Any) -> None:
    """Entry point of the worker process (module level so spawn can import it)."""
    _yield_to_the_app()
    try:
        from studio.core.train.control import EventControl
        from studio.core.train.trainer import run_training

        _stop_when_parent_dies(stop_event)
        project = Project.from_dict(project_dict)
        control = EventControl(stop_event, pause_event)
        run_training(project, run_dir, overrides, events.put, control, resume)
    except BaseException as exc:  # report everything: the parent must never wait for a dead worker
        if getattr(exc, "studio_reported", False):
            return
        events.put({"event": "error", "kind": "crash", "run_dir": run_dir,
                    "message": f"training crashed: {type(exc).__name__}: {exc}",
                    "fix": "this is a bug in Studio; the traceback is in the event", "traceback": traceback.format_exc()})
        _append_crash(run_dir, exc)
    finally:
        events.close()
        events.join_thread()


def _yield_to_the_app() -> None:
    """Run the training at a lower CPU priority than the app that started it.

    On a 2-core machine a CPU training fills both cores, and the window's event loop then waits for
    a core at every timer tick (the curves stutter, clicks lag). A niceness of 5 gives the window a
    core whenever it wants one; when the window is idle the training still gets all of them.
    """
    try:
        os.nice(5)
    except (AttributeError, OSError):  # no nice() on Windows; a refusal leaves the priority as it was
        pass


def _stop_when_parent_dies(stop_event: Any) -> None:
    """If the app (or script) that started us is killed, stop as if Stop was pressed: the run ends
    with a checkpoint and a "stopped" summary instead of training on, unwatched, to the end."""
    parent = mp.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent's sentinel closes, i.e. the parent process is gone
        stop_event.set()

    threading.Thread(target=watch, name="studio-parent-watch", daemon=True).start()


def _append_crash(run_dir: str, exc: BaseException) -> None:
    try:
        from studio.core.train.run_folder import RunFolder

        folder = RunFolder(run_dir)
        folder.append({"event": "error", "kind": "crash", "message": f"{type(exc).__name__}: {exc}"})
        folder.close()
    except Exception:
        pass


_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def _children_without_working_directory():
    """Start child interpreters with PYTHONSAFEPATH set.

    Spawn runs `python -c ...` for the worker (and for multiprocessing's resource tracker, started by
    the first queue), which puts the working directory first on the child's sys.path until
    multiprocessing restores the parent's path; stdlib modules imported before that (threading,
    pickle, struct) would be taken from same-named files in the folder the app was started from.
    PYTHONSAFEPATH (Python 3.11+) keeps that entry out; the parent's own environment is restored.
    """
    with _ENV_LOCK:
        before = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("PYTHONSAFEPATH", None)
            else:
                os.environ["PYTHONSAFEPATH"] = before


class TrainingJob:
    """One training run in a worker process: start it, drain its events, pause/resume/stop/kill it."""

    def __init__(self, project: Project, run_dir: str | Path, overrides: dict[str, Any] | None = None,
                 resume: bool = False):
        ctx = mp.get_context("spawn")
        self.run_dir = Path(run_dir)
        with _children_without_working_directory():  # the first queue starts the resource tracker
            self._events = ctx.Queue()
            self._stop = ctx.Event()
            self._pause = ctx.Event()
        self.process = ctx.Process(
            target=_worker_main, name="studio-train",
            args=(project.to_dict(), str(self.run_dir), dict(overrides or {}), resume,
                  self._events, self._stop, self._pause),
        )
        self.final: dict[str, Any] | None = None
        self._dead_since: float | None = None

    def start(self) -> TrainingJob:
        with _children_without_working_directory():
            self.process.start()
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid

    @property
    def finished(self) -> bool:
        return self.final is not None

    def pause(self) -> None:
        self._pause.set()

    def resume(self) -> None:
        self._pause.clear()

    def stop(self) -> None:
        """Ask the worker to stop at its next metrics flush; it saves checkpoint.pt and sends `done`."""
        self._pause.clear()
        self._stop.set()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)

    def drain(self, max_events: int = 10_000) -> list[dict[str, Any]]:
        """Events that arrived since the last call, without blocking (call it from a GUI timer)."""
        out: list[dict[str, Any]] = []
        while len(out) < max_events:
            try:
                event = self._events.get_nowait()
            except queue_mod.Empty:
                break
            except (EOFError, OSError, ValueError):
                break  # a worker killed mid-message leaves a torn pipe: treat it as nothing more to read
            out.append(event)
            if event.get("event") in TERMINAL:
                self.final = event
        if self.final is None and not self.process.is_alive():
            # Give the queue's feeder a moment: a worker that just exited may still have events in flight.
            now = time.monotonic()
            if self._dead_since is None:
                self._dead_since = now
            elif now - self._dead_since > 0.5:
                code = self.process.exitcode
                self.final = {"event": "error", "kind": "crash", "run_dir": str(self.run_dir), "exit_code": code,
                              "message": f"the training worker exited unexpectedly (exit code {code})",
                              "fix": "the run folder keeps the metrics and the last checkpoint; resume it to go on"}
                out.append(self.final)
        return out

    def wait(self, timeout: float | None = None, poll: float = 0.05) -> list[dict[str, Any]]:
        """Collect events until the run ends (or `timeout` seconds pass); returns all of them."""
        deadline = None if timeout is None else time.monotonic() + timeout
        events: list[dict[str, Any]] = []
        while not self.finished:
            events.extend(self.drain())
            if self.finished or (deadline is not None and time.monotonic() > deadline):
                break
            time.sleep(poll)
        if self.finished:
            self.process.join(10)
        return events

    def close(self) -> None:
        """Stop politely, then firmly; safe to call more than once."""
        if self.process.is_alive():
            self.stop()
            self.process.join(10)
        self.kill()
