"""Run one slow job (an export, a distillation, opening a model) on a thread, report on the GUI thread.

Exports trace the model, write files, start onnxruntime sessions and time hundreds of forwards:
seconds of work that must not freeze the window. The job is a plain function taking a
`progress(stage, fraction)` callback; its return value, or the one-line message of the UserError it
raised, comes back through Qt signals, which queue onto the GUI thread. An unexpected exception is
reported the same way (with the traceback on stderr) so the app keeps running.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.errors import UserError

Job = Callable[[Callable[[str, float], None]], Any]


class Task(QObject):
    """One job on a daemon thread; `running` is true from `start` until a result or failure arrived."""

    progress = Signal(str, float)
    succeeded = Signal(object)
    failed = Signal(str, bool)
    """The message, and whether it is a user error (False: a bug in Studio, traceback on stderr)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.running = False
        self._thread: threading.Thread | None = None
        self.succeeded.connect(self._stop)
        self.failed.connect(self._stop)

    def start(self, job: Job, name: str = "studio-export") -> bool:
        """Start `job` unless one is still running (then nothing happens and False is returned)."""
        if self.running:
            return False
        self.running = True
        self._thread = threading.Thread(target=self._run, args=(job,), name=name, daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _stop(self, *_args: object) -> None:
        self.running = False

    def _emit(self, signal: Any, *args: object) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # the panel was closed while the job ran

    def _run(self, job: Job) -> None:
        try:
            result = job(lambda stage, done: self._emit(self.progress, str(stage), float(done)))
        except UserError as exc:
            self._emit(self.failed, exc.one_line(), True)
        except Exception as exc:  # a bug: say so in the panel, keep the app alive, keep the traceback
            traceback.print_exc(file=sys.stderr)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            self._emit(self.failed, f"{type(exc).__name__}: {first}" if first else type(exc).__name__, False)
        else:
            self._emit(self.succeeded, result)
