"""Pause / resume / stop requests for a running trainer.

The trainer looks at these only when it flushes its metrics (about every 100 ms), so asking costs
nothing per step. `Control` works inside one process (the CLI's Ctrl-C); the worker process gets
`EventControl`, built on multiprocessing events shared with the parent.
"""

from __future__ import annotations

import threading
from typing import Any


class Control:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._pause = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def pause(self) -> None:
        self._pause.set()

    def resume(self) -> None:
        self._pause.clear()

    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def paused(self) -> bool:
        return self._pause.is_set()


class EventControl(Control):
    """The same interface over two multiprocessing.Event objects (stop, pause)."""

    def __init__(self, stop_event: Any, pause_event: Any) -> None:
        self._stop = stop_event
        self._pause = pause_event
