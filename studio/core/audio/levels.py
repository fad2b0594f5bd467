"""The level meter and clip indicator, computed by a reader of the ring, never in the callback.

A meter polled at 30 Hz sees every frame since its last poll (it has its own ring cursor), so a
clip shorter than a frame of the display is still caught and the indicator stays lit for `hold_s`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from studio.core.audio.ring import RingBuffer

CLIP_LEVEL = 0.999
"""|sample| at or above this counts as clipped (16-bit full scale is 32767/32768 = 0.99997)."""
SILENCE_DB = -120.0


def to_db(value: float) -> float:
    return float(20.0 * np.log10(value)) if value > 0 else SILENCE_DB


@dataclass(frozen=True)
class Levels:
    peak: float
    rms: float
    peak_db: float
    rms_db: float
    clipping: bool
    """Lit while a clip happened within the hold time."""
    clipped_samples: int
    """Clipped samples since the meter was reset."""
    overflows: int
    """Input overflows reported by the driver since the stream opened."""


class LevelMeter:
    def __init__(self, ring: RingBuffer, hold_s: float = 1.0, clock=time.monotonic):
        self._reader = ring.reader()
        self._ring = ring
        self._hold_s = hold_s
        self._clock = clock
        self._last_clip = -np.inf
        self.clipped_samples = 0
        self._last = Levels(0.0, 0.0, SILENCE_DB, SILENCE_DB, False, 0, 0)

    def reset(self) -> None:
        self.clipped_samples = 0
        self._last_clip = -np.inf

    def poll(self) -> Levels:
        """Levels of everything captured since the previous poll (the previous levels if nothing new)."""
        block = self._reader.read()
        now = self._clock()
        if block.shape[0]:
            mags = np.abs(block)
            peak = float(mags.max())
            rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
            clips = int(np.count_nonzero(mags >= CLIP_LEVEL))
            if clips:
                self.clipped_samples += clips
                self._last_clip = now
        else:
            peak, rms = self._last.peak, self._last.rms
        self._last = Levels(peak, rms, to_db(peak), to_db(rms), now - self._last_clip <= self._hold_s,
                            self.clipped_samples, self._ring.overflows)
        return self._last
