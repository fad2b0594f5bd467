"""Test signals and the closed-form aliasing rule that the sampling view demonstrates.

A tone above half the sampling rate cannot be told apart from a lower one after sampling: it folds
back around f/2. `alias_frequency` says where it lands, so the panel can mark the spot before the
user hears it and tests can check the measured spectrum against it.
"""

from __future__ import annotations

import numpy as np


def tone(freq_hz: float, seconds: float, rate: int, amplitude: float = 1.0, phase: float = 0.0) -> np.ndarray:
    """A sine of `freq_hz`, float32 mono."""
    t = np.arange(int(round(seconds * rate)), dtype=np.float64) / rate
    return (amplitude * np.sin(2 * np.pi * freq_hz * t + phase)).astype(np.float32)


def sweep(f_start_hz: float, f_end_hz: float, seconds: float, rate: int, amplitude: float = 1.0,
          method: str = "linear") -> np.ndarray:
    """A sine whose frequency glides from `f_start_hz` to `f_end_hz` (linear or logarithmic).

    Played through a resampler without an anti-aliasing filter, the part above the new f/2 is heard
    going *down* while the sweep goes up: aliasing made audible.
    """
    n = int(round(seconds * rate))
    t = np.arange(n, dtype=np.float64) / rate
    if method == "linear":
        k = (f_end_hz - f_start_hz) / seconds
        phase = 2 * np.pi * (f_start_hz * t + 0.5 * k * t * t)
    elif method == "log":
        if f_start_hz <= 0 or f_end_hz <= 0:
            raise ValueError("a logarithmic sweep needs positive frequencies")
        ratio = f_end_hz / f_start_hz
        if np.isclose(ratio, 1.0):
            phase = 2 * np.pi * f_start_hz * t
        else:
            lr = np.log(ratio)
            phase = 2 * np.pi * f_start_hz * seconds / lr * (np.exp(t / seconds * lr) - 1.0)
    else:
        raise ValueError(f"unknown sweep method {method!r} (linear or log)")
    return (amplitude * np.sin(phase)).astype(np.float32)


def sweep_frequency_at(t: np.ndarray | float, f_start_hz: float, f_end_hz: float, seconds: float,
                       method: str = "linear") -> np.ndarray | float:
    """The instantaneous frequency of `sweep` at time `t` (for drawing the expected alias track)."""
    t = np.asarray(t, dtype=np.float64)
    if method == "linear":
        return f_start_hz + (f_end_hz - f_start_hz) * t / seconds
    return f_start_hz * (f_end_hz / f_start_hz) ** (t / seconds)


def alias_frequency(freq_hz: float | np.ndarray, rate: float) -> float | np.ndarray:
    """Where a tone of `freq_hz` appears after sampling at `rate` (0 <= result <= rate/2).

    Sampling cannot distinguish f from f + k*rate nor from -f, so the tone lands at the distance
    from f to the nearest multiple of the rate: |f - rate * round(f / rate)|.
    """
    f = np.abs(np.asarray(freq_hz, dtype=np.float64))
    folded = np.abs(f - rate * np.round(f / rate))
    return float(folded) if folded.ndim == 0 else folded
