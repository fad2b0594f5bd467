"""What the Sampling and Quantization views share: a signal picker, a lazily recomputed result and
A/B playback through the panel's player.

A view recomputes only when it is visible (a hidden tab costs nothing while the user changes the
signal or records); `current()` recomputes on demand, so a play button always plays what the
settings say, even on a view that was never shown.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from studio.ui.audio.playback import Player


class LessonView(QWidget):
    def __init__(self, player: Player, parent: QWidget | None = None):
        super().__init__(parent)
        self.player = player
        self.result = None
        self._dirty = True
        self.source = None  # a SourcePicker, made by the subclass with its own default tone

    def recompute(self) -> None:
        raise NotImplementedError

    def set_clip(self, samples: np.ndarray | None, rate: int) -> None:
        self.source.set_clip(samples, rate)

    def invalidate(self, *_args) -> None:
        self._dirty = True
        if self.isVisible():
            self.recompute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.recompute()

    def current(self):
        """The result for the present settings (computed now if they changed since)."""
        if self._dirty or self.result is None:
            self.recompute()
        return self.result
