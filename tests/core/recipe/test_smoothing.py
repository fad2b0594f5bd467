"""TensorBoard's debiased EMA: starts on the data, ignores NaN/Inf, and streams like it batches."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.recipe.smoothing import StreamingEma, debiased_ema


def tensorboard_reference(values, weight):
    """TensorBoard's own loop, written out: last = last*w + (1-w)*v; value = last / (1 - w^n)."""
    last, n, out = 0.0, 0, []
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        n += 1
        out.append(last / (1 - weight ** n))
    return out


def test_smoothed_curve_starts_on_the_data_instead_of_at_zero():
    values = [5.0, 5.0, 5.0, 1.0]
    smooth = debiased_ema(values, 0.9)
    assert smooth[0] == pytest.approx(5.0) and smooth[1] == pytest.approx(5.0)  # undebiased: 0.5, 0.95
    assert 1.0 < smooth[3] < 5.0


def test_nan_and_inf_points_are_shown_raw_and_do_not_poison_the_rest():
    values = [1.0, float("nan"), 1.0, float("inf"), 1.0]
    smooth = debiased_ema(values, 0.8)
    assert math.isnan(smooth[1]) and math.isinf(smooth[3])
    assert np.allclose(smooth[[0, 2, 4]], 1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=60),
       st.floats(0.0, 0.99), st.integers(1, 7))
def test_matches_tensorboard_and_streams_in_chunks(values, weight, chunk):
    expected = tensorboard_reference(values, weight) if weight > 0 else values
    got = debiased_ema(values, weight)
    scale = max((abs(v) for v in values if math.isfinite(v)), default=1.0)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-6 * (1 + scale))
    stream = StreamingEma(weight)
    parts = [stream.extend(values[i:i + chunk]) for i in range(0, len(values), chunk)]
    scale = max((abs(v) for v in got if math.isfinite(v)), default=1.0)
    np.testing.assert_allclose(np.concatenate(parts), got, rtol=1e-7, atol=1e-6 * (1 + scale))
