"""Run one function off the GUI thread and get its result back on the GUI thread (via a timer).

Loading a dataset or computing its statistics takes a second or more; the event loop must keep
turning meanwhile. Only the newest request's result is delivered: a superseded one is dropped.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.errors import UserError


class BackgroundTask(QObject):
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._queue: queue.Queue = queue.Queue()
        self._generation = 0
        self._pending = 0
        self.timer = QTimer(self)
        self.timer.setInterval(40)
        self.timer.timeout.connect(self._drain)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, fn: Callable[[], Any]) -> None:
        self._generation += 1
        generation = self._generation
        self._pending += 1

        def work() -> None:
            try:
                self._queue.put((generation, "done", fn()))
            except UserError as exc:
                self._queue.put((generation, "failed", exc.one_line()))
            except Exception as exc:
                self._queue.put((generation, "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))

        threading.Thread(target=work, name="studio-background", daemon=True).start()
        self.timer.start()

    def _drain(self) -> None:
        while True:
            try:
                generation, kind, payload = self._queue.get_nowait()
            except queue.Empty:
                break
            self._pending -= 1
            if generation != self._generation:
                continue
            (self.done if kind == "done" else self.failed).emit(payload)
        if self._pending <= 0:
            self.timer.stop()
