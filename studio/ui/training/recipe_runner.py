"""Run recipe checks off the GUI thread and hand the results back on a timer.

Checks train small models for seconds; the GUI thread must never do that. A plain Python thread
runs `run_checks` (torch releases the GIL inside its kernels) and puts each result in a queue; a
QTimer on the GUI thread drains the queue, as for training events.
"""

from __future__ import annotations

import queue
import threading
import traceback

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.errors import UserError


class RecipeRunner(QObject):
    result = Signal(object)
    """A CheckResult, as each check finishes."""
    failed = Signal(str)
    done = Signal(list)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._results: list = []
        self.timer = QTimer(self)
        self.timer.setInterval(60)
        self.timer.timeout.connect(self._drain)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, project, names: tuple[str, ...] | None = None) -> bool:
        if self.running:
            return False
        self._cancel.clear()
        self._results = []
        snapshot = project.copy()
        self._thread = threading.Thread(target=self._work, args=(snapshot, names), name="studio-recipe", daemon=True)
        self._thread.start()
        self.timer.start()
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
        self._drain()

    def _work(self, project, names) -> None:
        import torch

        # One core for the checks, the others for the GUI and the training worker. The setting is
        # the process's default for threads started later too (Explain's, Export's), so put it back.
        threads_before = torch.get_num_threads()
        try:
            from studio.core.recipe.report import run_checks
            from studio.core.recipe.subject import RecipeSubject

            torch.set_num_threads(1)
            subject = RecipeSubject.from_project(project)
            run_checks(subject, names, on_result=lambda r: self._queue.put(("result", r)),
                       should_stop=self._cancel.is_set)
        except UserError as exc:
            self._queue.put(("failed", exc.one_line()))
        except Exception as exc:  # a bug: say so in the panel, never take the app down
            self._queue.put(("failed", f"recipe checks crashed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        finally:
            torch.set_num_threads(threads_before)
            self._queue.put(("done", None))

    def _drain(self) -> None:
        while True:
            try:
                kind, payload = self._queue.get_nowait()
            except queue.Empty:
                return
            if kind == "result":
                self._results.append(payload)
                self.result.emit(payload)
            elif kind == "failed":
                self.failed.emit(payload)
            else:
                self.timer.stop()
                self.done.emit(list(self._results))
