"""Quantization: how many amplitude levels a sample can take, and what that costs in noise.

Samples are floats in [-1, 1) (full scale). An N-bit quantizer has 2**N levels spaced
step = 2 / 2**N apart:

* mid-tread (what 16-bit PCM in a WAV file does): levels at k*step for
  k = -2**(N-1) ... 2**(N-1) - 1, so silence maps to exactly 0 and +1.0 clips to 1 - step;
* mid-rise: levels at (k + 1/2)*step, symmetric, no level at 0, so a full-scale sine fits exactly.

The error of a busy signal is close to uniform on [-step/2, step/2], of power step**2 / 12; for a
full-scale sine that gives the textbook SQNR = 6.02*N + 1.76 dB, which `theoretical_sqnr_db`
returns and `sqnr_db` measures.

"Full scale" follows AES17: a sine whose positive peak just reaches the largest code the quantizer
can output (`full_scale_amplitude`). A sine of amplitude 1.0 instead runs into the range's edge,
where it dwells longest (its values crowd near the peaks) and the top cell's error is no longer
uniform: at 4 bits that costs ~0.5 dB against the formula, at 16 bits nothing measurable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODES = ("mid-tread", "mid-rise")


@dataclass(frozen=True)
class Quantized:
    """A quantized signal with what the quantization view draws next to it."""

    samples: np.ndarray
    """The staircase: every value is one of the quantizer's levels."""
    error: np.ndarray
    """samples - original: the quantization noise the user can listen to."""
    bits: int
    mode: str
    step: float
    clipped: int
    """How many samples fell outside the quantizer's range (their error exceeds step/2)."""

    @property
    def levels(self) -> np.ndarray:
        return quantizer_levels(self.bits, self.mode)


def _check(bits: int, mode: str) -> None:
    if not 1 <= int(bits) <= 16:
        raise ValueError(f"bits must be between 1 and 16, got {bits}")
    if mode not in MODES:
        raise ValueError(f"unknown quantizer mode {mode!r} (choose {' or '.join(MODES)})")


def quantizer_step(bits: int) -> float:
    return 2.0 / (1 << int(bits))


def quantizer_levels(bits: int, mode: str = "mid-tread") -> np.ndarray:
    """Every output value an N-bit quantizer can produce, ascending."""
    _check(bits, mode)
    half = 1 << (int(bits) - 1)
    k = np.arange(-half, half, dtype=np.float64)
    step = quantizer_step(bits)
    return k * step if mode == "mid-tread" else (k + 0.5) * step


def full_scale_amplitude(bits: int, mode: str = "mid-rise") -> float:
    """Amplitude of a full-scale sine for this quantizer (AES17): its peak is the largest level."""
    return float(quantizer_levels(bits, mode)[-1])


def full_scale_sine(bits: int, mode: str = "mid-rise", freq_hz: float = 997.0, rate: int = 48000,
                    seconds: float = 2.0) -> np.ndarray:
    """A full-scale test sine (float64). 997 Hz is the usual test tone: no divisor of common rates,
    so its samples walk through every part of every step instead of repeating a few error values."""
    n = np.arange(int(round(seconds * rate)))
    return full_scale_amplitude(bits, mode) * np.sin(2.0 * np.pi * freq_hz / rate * n + 0.1)


def quantize(x: np.ndarray, bits: int, mode: str = "mid-tread") -> Quantized:
    """`x` (full scale [-1, 1)) quantized to `bits` bits; float64 maths, float32 results."""
    _check(bits, mode)
    x64 = np.asarray(x, dtype=np.float64)
    step = quantizer_step(bits)
    half = 1 << (int(bits) - 1)
    if mode == "mid-tread":
        raw = np.round(x64 / step)
        code = np.clip(raw, -half, half - 1)
        q = code * step
    else:
        raw = np.floor(x64 / step)
        code = np.clip(raw, -half, half - 1)
        q = (code + 0.5) * step
    clipped = int(np.count_nonzero(raw != code))
    return Quantized(q.astype(np.float32), (q - x64).astype(np.float32), int(bits), mode, step, clipped)


def to_pcm_codes(x: np.ndarray, bits: int = 16) -> np.ndarray:
    """The signed integer codes a mid-tread N-bit PCM stores (int16 for 16 bits, int32 above 16)."""
    _check(bits, "mid-tread") if bits <= 16 else None
    half = 1 << (int(bits) - 1)
    codes = np.clip(np.round(np.asarray(x, dtype=np.float64) * half), -half, half - 1)
    return codes.astype(np.int16 if bits <= 16 else np.int32)


def sqnr_db(original: np.ndarray, quantized: np.ndarray) -> float:
    """Measured signal-to-quantization-noise ratio in dB (signal power over error power)."""
    x = np.asarray(original, dtype=np.float64)
    e = np.asarray(quantized, dtype=np.float64) - x
    noise = float(np.mean(e * e))
    if noise == 0.0:
        return float("inf")
    return 10.0 * np.log10(float(np.mean(x * x)) / noise)


def theoretical_sqnr_db(bits: int) -> float:
    """6.02*N + 1.76 dB: a full-scale sine against uniform error of step**2 / 12 (exact constants)."""
    return 20.0 * np.log10(2.0) * bits + 10.0 * np.log10(1.5)


def error_histogram(error: np.ndarray, step: float, bins: int = 41) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of the quantization error over [-step, step] (counts, bin edges).

    A busy signal gives a flat block on [-step/2, step/2]; clipping shows up as mass outside it.
    """
    return np.histogram(np.asarray(error, dtype=np.float64), bins=bins, range=(-step, step))
