"""Start / pause / resume / stop a training worker and drain its events on a GUI timer.

The worker is a separate process (studio.core.train.worker); this object only polls its queue
every `interval_ms` (20 Hz by default) with a bounded `drain`, so the event loop never waits on
training. What arrives is re-emitted as one `events` signal per tick for the views to batch.
With `nproc` > 1 the job is a `DistributedJob` (distributed_job.py: `studio train --nproc N`, the
core's torchrun launcher), drained the same way; it cannot pause (`can_pause`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from studio.core.project import Project
from studio.core.train.run_layout import RUNS, new_run_dir, project_stem, runs_root

STATES = ("idle", "starting", "running", "paused", "stopping", "finished", "stopped", "error")


def runs_folder(project_path: Path | None) -> Path:
    """Where a project's runs go: runs/ next to the project file, or, for a project not saved yet,
    runs/ in the app's settings folder (the Train panel shows which)."""
    if project_path is not None:
        return runs_root(project_path)
    from studio.ui.config import config_dir

    return config_dir() / RUNS


def default_run_dir(project_path: Path | None, name: str) -> Path:
    """runs/<project>-<timestamp> in `runs_folder` (named after the project file, or the project's name)."""
    if project_path is not None:
        return new_run_dir(runs_folder(project_path), project_stem(project_path))
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) or "untitled"
    return new_run_dir(runs_folder(None), stem)


WORKER_NICENESS = 5


def lower_priority(pid: int | None, step: int = WORKER_NICENESS) -> None:
    """Let the GUI win when the CPU is contended: the worker gets a slightly higher nice value.

    It still takes every cycle the GUI leaves idle (training at full speed); but a redraw is never
    queued behind training threads. Set right after spawn, before torch creates its thread pool,
    so the pool's threads inherit it. POSIX only; elsewhere a no-op.
    """
    import os

    if pid is None or not hasattr(os, "setpriority"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + step))
    except OSError:
        pass


class RunController(QObject):
    events = Signal(list)
    state_changed = Signal(str)
    finished = Signal(dict)

    def __init__(self, parent: QObject | None = None, interval_ms: int = 50, max_events_per_tick: int = 2000):
        super().__init__(parent)
        self.job = None
        self.state = "idle"
        self.run_dir: Path | None = None
        self.last_project: Project | None = None
        self.last_overrides: dict[str, Any] = {}
        self.last_nproc = 1
        self.project_path: Path | None = None
        """The project's file, if saved (a multi-process run resolves relative paths against it)."""
        self.max_events = max_events_per_tick
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.ticks = 0
        self.deliveries = 0
        """Timer ticks that brought events (each can move the curves once)."""
        self.started_at: float | None = None
        app = QCoreApplication.instance()
        if app is not None:  # never leave a worker behind when the app quits mid-run
            app.aboutToQuit.connect(self.shutdown)

    # --- commands ---------------------------------------------------------------------------------
    def start(self, project: Project, run_dir: Path, overrides: dict[str, Any] | None = None,
              resume: bool = False, nproc: int = 1) -> None:
        from studio.core.train.worker import TrainingJob

        if self.busy:
            return
        self.run_dir = Path(run_dir)
        self.last_project = project.copy()
        self.last_overrides = dict(overrides or {})
        self.last_nproc = max(1, int(nproc))
        if self.last_nproc > 1:
            from studio.ui.training.distributed_job import DistributedJob

            self.job = DistributedJob(project, self.run_dir, overrides, resume=resume, nproc=self.last_nproc,
                                      project_path=self.project_path).start()
        else:
            self.job = TrainingJob(project, self.run_dir, overrides, resume=resume).start()
        lower_priority(self.job.pid)
        self.started_at = time.monotonic()
        self._set_state("starting")
        self.timer.start()

    def resume_stopped(self) -> None:
        """Go on from the last checkpoint of the run that was stopped, failed or lost its worker
        (same folder, same curve, same settings)."""
        if not self.can_resume_stopped:
            return
        self.start(self.last_project, self.run_dir, self.last_overrides, resume=True, nproc=self.last_nproc)

    def adopt(self, project: Project, run_dir: Path, end: dict[str, Any] | None,
              overrides: dict[str, Any] | None = None) -> None:
        """Take over a run opened from disk (no worker): a run that was stopped, failed or was killed
        (no end event) can then be resumed from its checkpoint like one stopped in this window."""
        if self.busy:
            return
        self.job = None
        self.run_dir = Path(run_dir)
        self.last_project = project.copy()
        self.last_overrides = dict(overrides or {})
        self.last_nproc = 1  # resuming on another number of processes works; one is the safe default
        if end is None or end.get("stopped"):
            state = "stopped"
        else:
            state = "error" if end.get("event") == "error" else "finished"
        self._set_state(state)

    @property
    def can_pause(self) -> bool:
        """False for a run on several processes: pausing is not coordinated across ranks."""
        return getattr(self.job, "can_pause", True)

    def pause(self) -> None:
        if self.job is not None and self.state == "running" and self.can_pause:
            self.job.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self.job is not None and self.state == "paused":
            self.job.resume()
            self._set_state("running")

    def stop(self) -> None:
        if self.job is not None and self.busy:
            self.job.stop()
            self._set_state("stopping")

    def shutdown(self) -> None:
        """Stop the worker for good (the panel is closing)."""
        self.timer.stop()
        if self.job is not None:
            self.job.close()

    @property
    def busy(self) -> bool:
        return self.state in ("starting", "running", "paused", "stopping")

    @property
    def can_resume_stopped(self) -> bool:
        """After Stop, an error or a crashed worker, when the run folder holds a whole checkpoint.pt.

        A killed worker's message says "resume it": this is what makes that possible. The check reads
        only the archive's directory (checkpoint_loadable), cheap enough for every button update."""
        from studio.core.train.run_folder import checkpoint_loadable

        return (self.state in ("stopped", "error") and self.run_dir is not None and self.last_project is not None
                and checkpoint_loadable(self.run_dir))

    # --- the timer --------------------------------------------------------------------------------
    def poll(self) -> None:
        if self.job is None:
            return
        self.ticks += 1
        events = self.job.drain(self.max_events)
        if not events:
            return
        self.deliveries += 1
        for ev in events:
            kind = ev.get("event")
            if kind == "start" and self.state == "starting":
                self._set_state("running")
        self.events.emit(events)
        final = self.job.final
        if final is not None:
            self.timer.stop()
            if final.get("event") == "error":
                self._set_state("error")
            else:
                self._set_state("stopped" if final.get("stopped") else "finished")
            self.finished.emit(final)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
