"""Autosave to a recovery file, and find the autosaves a crashed session left behind.

Each running window owns one recovery file `autosave-<session>.studio.json` in the config dir's
`recovery/` folder, plus a lock (QLockFile) held for the session's whole life. A kill -9 leaves the
file behind with a lock whose process is gone: on the next launch that lock can be taken, which is
how we tell a crashed session's autosave from one a second, still-running window is writing.

The recovery file is an ordinary project written with `save_project` (atomic), so a crash during
the autosave itself leaves the previous autosave intact. A small `.meta.json` beside it remembers
which file the project came from, so a restored project saves back to where the user expects.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from studio.core.project import Project, atomic_write_text, load_project, save_project
from studio.ui.state import AppState

DEBOUNCE_MS = 2000
PREFIX = "autosave-"
SUFFIX = ".studio.json"


def _meta_path(recovery: Path) -> Path:
    return recovery.with_name(recovery.name[: -len(SUFFIX)] + ".meta.json")


def _lock_path(recovery: Path) -> Path:
    return recovery.with_name(recovery.name[: -len(SUFFIX)] + ".lock")


@dataclass
class Orphan:
    """An autosave whose session ended without saving or discarding it (a crash, a kill)."""

    recovery: Path
    original: Path | None
    saved_at: float
    project_name: str

    def load(self) -> Project:
        return load_project(self.recovery)

    def discard(self) -> None:
        for path in (self.recovery, _meta_path(self.recovery), _lock_path(self.recovery)):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _sweep_dead_sessions(folder: Path) -> None:
    """Remove the lock and note of crashed sessions that never wrote an autosave."""
    for lock_file in folder.glob(f"{PREFIX}*.lock"):
        recovery = lock_file.with_name(lock_file.name[: -len(".lock")] + SUFFIX)
        if recovery.exists():
            continue
        lock = QLockFile(str(lock_file))
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            lock.unlock()  # removes the lock file
            try:
                _meta_path(recovery).unlink()
            except FileNotFoundError:
                pass


def find_orphans(folder: Path) -> list[Orphan]:
    """Autosaves in `folder` whose owner is no longer running, newest first."""
    _sweep_dead_sessions(folder)
    found: list[Orphan] = []
    for recovery in folder.glob(f"{PREFIX}*{SUFFIX}"):
        lock = QLockFile(str(_lock_path(recovery)))
        lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
        if not lock.tryLock(0):
            continue  # another window is alive and owns this autosave
        lock.unlock()
        meta: dict = {}
        try:
            meta = json.loads(_meta_path(recovery).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        name = meta.get("project_name")
        if not name:  # no note: take the name from the autosave itself
            try:
                name = json.loads(recovery.read_text(encoding="utf-8")).get("name")
            except (OSError, ValueError, AttributeError):
                name = None
        original = meta.get("original")
        found.append(Orphan(
            recovery=recovery,
            original=Path(original) if original else None,
            saved_at=float(meta.get("saved_at") or recovery.stat().st_mtime),
            project_name=str(name or recovery.name),
        ))
    found.sort(key=lambda o: o.saved_at, reverse=True)
    return found


class Autosaver(QObject):
    """Writes the open project to this session's recovery file ~2 s after the last change."""

    def __init__(self, state: AppState, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._state = state
        session = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.recovery_path = folder / f"{PREFIX}{session}{SUFFIX}"
        self._lock = QLockFile(str(_lock_path(self.recovery_path)))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.write_now)
        state.project_edited.connect(self._schedule)
        state.project_replaced.connect(self._schedule)
        state.dirty_changed.connect(self._schedule)
        self.last_error: str | None = None

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def write_now(self) -> None:
        """Write the recovery file if there is something unsaved, else remove it."""
        self._timer.stop()
        if not self._state.dirty:
            self.discard()
            return
        try:
            # The note first: a kill between the two writes then leaves a recovery file whose note
            # is already current (or no recovery file at all), never one without its note.
            meta = {
                "original": str(self._state.path) if self._state.path else None,
                "saved_at": time.time(),
                "project_name": self._state.project.name,
                "pid": os.getpid(),
            }
            atomic_write_text(_meta_path(self.recovery_path), json.dumps(meta, indent=2) + "\n")
            save_project(self._state.project, self.recovery_path)
            self.last_error = None
        except OSError as exc:  # a full disk must not take the editor down with it
            self.last_error = f"{self.recovery_path}: {exc.strerror or exc}"

    def discard(self) -> None:
        self._timer.stop()
        for path in (self.recovery_path, _meta_path(self.recovery_path)):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def close(self) -> None:
        """The session ends cleanly: nothing to recover."""
        self.discard()
        self._lock.unlock()
