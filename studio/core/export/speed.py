"""Whether one timing is faster than another, or within the noise of measuring it.

A before/after table that prints "1.50x faster" for the same model measured twice teaches the
wrong lesson, so a difference is only called faster or slower when it is bigger than the noise
of the measurement. Any of these makes it "about the same":

* the medians are less than `NOISE_BAND` apart, or less than `FLOOR_MS`;
* timed side by side (`measure.time_side_by_side`, the calls of each round next to each other):
  the middle half of the per-round ratios after / before includes 1, i.e. in a quarter or more
  of the rounds the change went the other way. Rounds are compared with each other rather than
  medians with medians because a busy machine slows both calls of a round alike: a 3.2x slower
  INT8 file whose fp32 twin had a few slow calls had overlapping quartiles, but a ratio near 3
  in almost every round;
* timed apart: the two interquartile ranges overlap.

`NOISE_BAND` is 15% because that is what timing the same model against itself gave on the
2-core development machine while other jobs shared it: the course's MNIST CNN in PyTorch, timed
side by side with itself 20 times, came out between 0.89x and 1.21x at batch 1 and between 0.83x
and 1.20x at batch 64; 37 of 40 of those pairs were within 15%. Under heavier load (a load
average of 5) the medians alone went as far as 0.21x and 7.6x, and the per-round rule still
called all of 80 such pairs (`compare.compare`, both engines, batch 1 and 64) the same, while it
called onnxruntime's dynamic INT8 of that CNN slower than fp32 in all 40 of its pairs. Real
differences are far outside the noise: dynamic INT8 ran that CNN 2.7x slower than fp32 and static
INT8 3.2x faster.

`FLOOR_MS` is there for models that run in microseconds, where one thread wake-up is the whole
difference: the same .onnx file, opened twice and timed side by side at batch 1, took 8-9 us per
call in one session and 19-21 us in the other, each with tight quartiles, depending on whether
onnxruntime had to wake a worker thread. 0.05 ms is four times that gap, and far below anything a
user of the file would notice.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from studio.core.export.measure import Timing

NOISE_BAND = 0.15
"""Medians closer than this (relative) are the same speed; see the module docstring for why 15%."""
FLOOR_MS = 0.05
"""Medians closer than this (absolute) are the same speed: thread wake-ups (module docstring)."""

@dataclass(frozen=True)
class SpeedChange:
    """How `after` compares with `before`: `kind` is "faster", "slower" or "same".

    `ratio` is before / after of the medians: 2.0 means after takes half the time.
    """

    kind: str
    ratio: float

    def factor(self) -> float:
        """How many times faster or slower (always >= 1)."""
        return max(self.ratio, 1.0 / self.ratio) if self.ratio > 0 else 1.0

    def words(self, than: str = "before") -> str:
        """"3.21x faster than fp32", "2.70x slower than fp32", "about the same speed as fp32"."""
        if self.kind == "same":
            return f"about the same speed as {than}"
        return f"{self.factor():.2f}x {self.kind} than {than}"

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "ratio": self.ratio}


def _overlap(a: Timing, b: Timing) -> bool:
    return a.q1_ms <= b.q3_ms and b.q1_ms <= a.q3_ms


def _rounds_disagree(before: Timing, after: Timing) -> bool | None:
    """Whether the middle half of the per-round ratios includes 1 (None: not timed side by side)."""
    if len(before.times_ms) != len(after.times_ms) or len(before.times_ms) < 4:
        return None
    ratios = [b / a for a, b in zip(before.times_ms, after.times_ms, strict=True) if a > 0]
    if len(ratios) < 4:
        return None
    q1, _, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
    return q1 <= 1.0 <= q3


def speed_change(before: Timing, after: Timing, band: float = NOISE_BAND) -> SpeedChange:
    """`after` against `before`, "same" within the measurements' noise (module docstring)."""
    if before.median_ms <= 0 or after.median_ms <= 0:
        return SpeedChange("same", 1.0)
    ratio = before.median_ms / after.median_ms
    close = abs(before.median_ms - after.median_ms) < FLOOR_MS or 1.0 / (1.0 + band) < ratio < 1.0 + band
    disagree = _rounds_disagree(before, after)
    if close or (disagree if disagree is not None else _overlap(before, after)):
        return SpeedChange("same", ratio)
    return SpeedChange("faster" if ratio > 1.0 else "slower", ratio)
