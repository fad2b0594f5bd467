"""Changing the sampling rate, with or without the anti-aliasing low-pass filter.

Both paths evaluate the same band-limited (windowed-sinc) interpolation of the original samples at
the new sampling instants. What differs is the cutoff: with `antialias=True` it is lowered to just
under the *new* f/2, so content the new rate cannot hold is removed before sampling; with
`antialias=False` the cutoff stays at the *original* f/2, which is exactly "measure the analog
signal every 1/f seconds" and lets every tone above the new f/2 fold back (see
`signals.alias_frequency`).
"""

from __future__ import annotations

import numpy as np

ZERO_CROSSINGS = 16
"""Sinc lobes kept on each side of the kernel: longer is sharper and slower."""
KAISER_BETA = 8.6
"""Kaiser window shape; 8.6 gives roughly 80 dB of stop-band rejection."""
ROLLOFF = 0.92
"""Anti-aliasing cutoff as a fraction of the new f/2, leaving room for the transition band."""

_CHUNK_ELEMENTS = 1 << 21
MAX_PHASES = 4096
"""Above this many distinct fractional offsets, kernels are evaluated per output sample."""


def sample_times(n_samples: int, rate: float) -> np.ndarray:
    """Instants (seconds) of `n_samples` taken at `rate`: what the sampling view draws as stems."""
    return np.arange(n_samples, dtype=np.float64) / rate


def resampled_length(n_samples: int, rate_in: float, rate_out: float) -> int:
    """How many samples at `rate_out` fall within the span of `n_samples` taken at `rate_in`."""
    if n_samples <= 0:
        return 0
    return int(np.floor((n_samples - 1) * rate_out / rate_in + 1e-9)) + 1


def resample(x: np.ndarray, rate_in: float, rate_out: float, antialias: bool = True) -> np.ndarray:
    """`x` (samples along axis 0, mono or (n, channels)) at `rate_in` resampled to `rate_out`.

    Returns float32. Upsampling never needs the filter (nothing can alias), so both settings give the
    same band-limited interpolation there.
    """
    if rate_in <= 0 or rate_out <= 0:
        raise ValueError("sampling rates must be positive")
    x = np.asarray(x, dtype=np.float32)
    if x.shape[0] == 0:
        return x.copy()
    if rate_in == rate_out:
        return x.copy()
    cutoff = 0.5  # cycles per input sample: the original f/2
    if antialias and rate_out < rate_in:
        cutoff = 0.5 * (rate_out / rate_in) * ROLLOFF
    n_out = resampled_length(x.shape[0], rate_in, rate_out)
    if float(rate_in).is_integer() and float(rate_out).is_integer():
        # Rational ratio: the fractional offsets repeat with period `up`, so one kernel per phase.
        g = int(np.gcd(int(rate_in), int(rate_out)))
        up, down = int(rate_out) // g, int(rate_in) // g
        if up <= MAX_PHASES:
            steps = np.arange(n_out, dtype=np.int64) * down
            return _interpolate(x, steps // up, (steps % up).astype(np.float64) / up, cutoff, phases=up,
                                phase_index=steps % up)
    positions = np.arange(n_out, dtype=np.float64) * (rate_in / rate_out)
    return interpolate(x, positions, cutoff)


def interpolate(x: np.ndarray, positions: np.ndarray, cutoff: float) -> np.ndarray:
    """Band-limited value of `x` at fractional sample `positions`, low-passed at `cutoff` (cycles/sample).

    At cutoff 0.5 and integer positions this returns the samples themselves (the sinc is zero at every
    other integer), so plain decimation falls out as a special case.
    """
    base = np.floor(positions).astype(np.int64)
    return _interpolate(x, base, positions - base, cutoff)


def _kernel(dist: np.ndarray, cutoff: float, half: int) -> np.ndarray:
    ratio = np.clip(dist / half, -1.0, 1.0)
    window = np.i0(KAISER_BETA * np.sqrt(1.0 - ratio * ratio)) / np.i0(KAISER_BETA)
    return (2.0 * cutoff * np.sinc(2.0 * cutoff * dist) * window).astype(np.float32)


def _interpolate(x: np.ndarray, base: np.ndarray, frac: np.ndarray, cutoff: float, phases: int = 0,
                 phase_index: np.ndarray | None = None) -> np.ndarray:
    half = int(np.ceil(ZERO_CROSSINGS / (2.0 * cutoff)))
    offsets = np.arange(-half + 1, half + 1)
    squeeze = x.ndim == 1
    data = x[:, None] if squeeze else x
    padded = np.zeros((data.shape[0] + 2 * half + 2, data.shape[1]), dtype=np.float32)
    padded[half + 1: half + 1 + data.shape[0]] = data
    out = np.empty((base.shape[0], data.shape[1]), dtype=np.float32)
    bank = None
    if phase_index is not None:
        bank = _kernel(np.arange(phases)[:, None] / phases - offsets[None, :], cutoff, half)
    step = max(1, _CHUNK_ELEMENTS // offsets.size)
    for start in range(0, base.shape[0], step):
        b = base[start:start + step]
        if bank is not None:
            kernel = bank[phase_index[start:start + step]]
        else:
            kernel = _kernel(frac[start:start + step, None] - offsets[None, :], cutoff, half)
        rows = b[:, None] + (offsets[None, :] + half + 1)
        for ch in range(data.shape[1]):
            out[start:start + step, ch] = np.einsum("ct,ct->c", kernel, padded[rows, ch])
    return out[:, 0] if squeeze else out
