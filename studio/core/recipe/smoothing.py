"""TensorBoard's smoothing: an exponential moving average debiased for its zero start.

A plain EMA started at 0 drags the first points towards zero; dividing by 1 - w^k (k = finite
points seen so far) removes that bias, so the smoothed curve starts on the data. Non-finite points
are passed through unchanged and do not enter the average: a NaN must stay visible on the plot
rather than poison everything after it.
"""

from __future__ import annotations

import numpy as np


def debiased_ema(values, weight: float) -> np.ndarray:
    """Smoothed copy of `values` (weight in [0, 1): 0 = raw, 0.99 = very smooth)."""
    y = np.asarray(values, dtype=np.float64)
    out = y.copy()
    w = float(weight)
    if y.size == 0 or w <= 0.0:
        return out
    w = min(w, 0.999999)
    finite = np.isfinite(y)
    x = y[finite]
    if x.size == 0:
        return out
    ema = _ema(x, w)
    k = np.arange(1, x.size + 1, dtype=np.float64)
    out[finite] = ema / (1.0 - w ** k)
    return out


def _ema(x: np.ndarray, w: float) -> np.ndarray:
    """y_k = w*y_(k-1) + (1-w)*x_k from y_(-1) = 0, vectorised by blocks with numpy alone.

    Within a block y_k = w^(k+1)*y_in + (1-w)*w^k*cumsum(x_j*w^(-j)); the block length keeps w^(-k)
    below 1e250, so nothing overflows whatever the weight (no scipy: it costs the GUI a second to
    import on first use).
    """
    out = np.empty_like(x)
    block = max(1, min(1024, int(250.0 / max(-np.log10(w), 1e-12))))
    acc = 0.0
    for start in range(0, x.size, block):
        xb = x[start:start + block]
        k = np.arange(xb.size, dtype=np.float64)
        wk = w ** k
        out[start:start + xb.size] = w * wk * acc + (1.0 - w) * wk * np.cumsum(xb / wk)
        acc = out[start + xb.size - 1]
    return out


class StreamingEma:
    """The same average fed one chunk at a time (live curves append without recomputing history)."""

    def __init__(self, weight: float):
        self.weight = float(weight)
        self._acc = 0.0
        self._count = 0

    def extend(self, values) -> np.ndarray:
        y = np.asarray(values, dtype=np.float64)
        out = y.copy()
        w = min(self.weight, 0.999999)
        if w <= 0.0:
            return out
        for i, v in enumerate(y):
            if np.isfinite(v):
                self._acc = w * self._acc + (1.0 - w) * v
                self._count += 1
                out[i] = self._acc / (1.0 - w ** self._count)
        return out
