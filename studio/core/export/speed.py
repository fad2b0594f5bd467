"""Whether one timing is faster than another, or within the noise of measuring it.

A before/after table that prints "1.50x faster" for the same model measured twice teaches the
wrong lesson, so a difference is only called faster or slower when it is bigger than the noise
of the measurement. Three rules, any of which makes it "about the same":

* the interquartile ranges of the two timings overlap: then a quarter or more of the calls of
  the slower one were as quick as the typical call of the other; the spread is measured on the
  spot, so a busy machine widens it by itself;
* the medians are less than `NOISE_BAND` apart;
* the medians are less than `FLOOR_MS` apart.

`NOISE_BAND` is 15% because that is what timing the same model against itself gave on the
2-core development machine while other jobs shared it: the course's MNIST CNN in PyTorch, timed
side by side with itself 20 times (`measure.time_side_by_side`), came out between 0.89x and 1.21x
at batch 1 and between 0.83x and 1.20x at batch 64; 37 of 40 of those pairs were within 15%, and
all 40 had overlapping quartiles. Real differences are far outside both: onnxruntime's dynamic
INT8 ran that CNN 2.7x slower than fp32 and static INT8 3.2x faster.

`FLOOR_MS` is there for models that run in microseconds, where one thread wake-up is the whole
difference: the same .onnx file, opened twice and timed side by side at batch 1, took 8-9 us per
call in one session and 19-21 us in the other, each with tight quartiles, depending on whether
onnxruntime had to wake a worker thread. 0.05 ms is four times that gap, and far below anything a
user of the file would notice.
"""

from __future__ import annotations

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


def speed_change(before: Timing, after: Timing, band: float = NOISE_BAND) -> SpeedChange:
    """`after` against `before`, "same" within the measurements' noise (module docstring)."""
    if before.median_ms <= 0 or after.median_ms <= 0:
        return SpeedChange("same", 1.0)
    ratio = before.median_ms / after.median_ms
    close = abs(before.median_ms - after.median_ms) < FLOOR_MS or 1.0 / (1.0 + band) < ratio < 1.0 + band
    if close or _overlap(before, after):
        return SpeedChange("same", ratio)
    return SpeedChange("faster" if ratio > 1.0 else "slower", ratio)
