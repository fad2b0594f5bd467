"""A GUI heartbeat: a precise 5 ms timer whose late ticks measure how long the event loop stalled.

If anything on the GUI thread (drawing, draining events, a slow slot) blocks for 80 ms, the next tick
arrives ~75 ms late; the largest lateness over a run is the stall budget's figure (<= 50 ms).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer


class Heartbeat(QObject):
    def __init__(self, interval_ms: int = 5, parent: QObject | None = None):
        super().__init__(parent)
        self.interval = interval_ms / 1000.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last: float | None = None

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append(now - self._last)
        self._last = now

    def stalls_ms(self) -> np.ndarray:
        """Lateness of each tick beyond the interval, in ms."""
        gaps = np.asarray(self.gaps, dtype=float)
        return np.maximum(0.0, gaps - self.interval) * 1000.0

    def summary(self) -> dict[str, float]:
        s = self.stalls_ms()
        if s.size == 0:
            return {"ticks": 0, "max_stall_ms": float("nan"), "p99_stall_ms": float("nan")}
        return {"ticks": int(s.size), "max_stall_ms": float(s.max()), "p99_stall_ms": float(np.percentile(s, 99)),
                "mean_tick_ms": float(np.mean(self.gaps) * 1000.0)}
