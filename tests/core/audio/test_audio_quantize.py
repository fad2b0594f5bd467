"""Quantization against the closed forms: levels, error bounds, SQNR = 6.02 N + 1.76 dB."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.audio.quantize import (
    error_histogram,
    full_scale_amplitude,
    full_scale_sine,
    quantize,
    quantizer_levels,
    quantizer_step,
    sqnr_db,
    theoretical_sqnr_db,
    to_pcm_codes,
)


def unit_sine(seconds=2.0, rate=48000, f=997.0):
    n = np.arange(int(seconds * rate))
    return np.sin(2 * np.pi * f / rate * n + 0.1)


@pytest.mark.parametrize("mode", ["mid-tread", "mid-rise"])
@pytest.mark.parametrize("bits", [1, 2, 3, 8, 16])
def test_quantizer_has_two_to_the_n_levels_one_step_apart(bits, mode):
    levels = quantizer_levels(bits, mode)
    assert levels.size == 2 ** bits
    np.testing.assert_allclose(np.diff(levels), quantizer_step(bits))
    x = np.linspace(-1, 1, 200_001)
    assert set(np.unique(quantize(x, bits, mode).samples)).issubset(set(levels.astype(np.float32)))


def test_mid_tread_keeps_silence_and_mid_rise_has_no_zero_level():
    assert 0.0 in quantizer_levels(4, "mid-tread")
    assert 0.0 not in quantizer_levels(4, "mid-rise")
    assert np.all(quantize(np.zeros(10), 4, "mid-tread").samples == 0)
    assert np.all(np.abs(quantize(np.zeros(10), 4, "mid-rise").samples) == quantizer_step(4) / 2)


@pytest.mark.parametrize("mode", ["mid-tread", "mid-rise"])
@pytest.mark.parametrize("bits", [2, 5, 12])
def test_error_within_half_a_step_unless_clipped(bits, mode):
    levels = quantizer_levels(bits, mode)
    x = np.random.default_rng(bits).uniform(levels[0], levels[-1], 50_000)  # the quantizer's own range
    q = quantize(x, bits, mode)
    assert q.clipped == 0
    assert np.max(np.abs(q.error)) <= q.step / 2 + 1e-7
    np.testing.assert_allclose(q.samples - x, q.error, atol=1e-6)


def test_clipping_is_counted():
    q = quantize(np.array([0.0, 0.5, 1.0, -1.2, 1.5]), 3, "mid-tread")
    assert q.clipped == 3  # +1.0 (top level is 1 - step), -1.2 and 1.5 lie beyond the range
    assert q.samples.max() == pytest.approx(1 - quantizer_step(3))


@pytest.mark.parametrize("bits", range(4, 17))
def test_full_scale_sine_sqnr_matches_602n_plus_176(bits):
    x = full_scale_sine(bits, "mid-rise")
    q = quantize(x, bits, "mid-rise")
    assert q.clipped == 0
    assert np.max(np.abs(x)) == pytest.approx(q.levels[-1])  # AES17: the peak reaches the top level
    assert sqnr_db(x, q.samples) == pytest.approx(theoretical_sqnr_db(bits), abs=0.5)


def test_a_sine_touching_the_range_edge_measures_below_the_line_at_few_bits():
    """Amplitude 1.0 instead of full scale: the sine crowds into the top cell, whose error is not
    uniform, so 4 bits lose about half a dB while 16 bits lose nothing measurable."""
    x = unit_sine()
    loss_4 = theoretical_sqnr_db(4) - sqnr_db(x, quantize(x, 4, "mid-rise").samples)
    loss_16 = theoretical_sqnr_db(16) - sqnr_db(x, quantize(x, 16, "mid-rise").samples)
    assert 0.3 < loss_4 < 0.8
    assert abs(loss_16) < 0.05


def test_full_scale_amplitude_is_the_top_level():
    assert full_scale_amplitude(4, "mid-rise") == pytest.approx(1 - quantizer_step(4) / 2)
    assert full_scale_amplitude(4, "mid-tread") == pytest.approx(1 - quantizer_step(4))


def test_theoretical_sqnr_is_the_textbook_line():
    for n in (1, 8, 16):
        assert theoretical_sqnr_db(n) == pytest.approx(6.02 * n + 1.76, abs=0.01 * n + 0.01)


@pytest.mark.parametrize("bits", [6, 10])
def test_busy_signal_error_power_is_step_squared_over_twelve(bits):
    x = np.random.default_rng(0).uniform(-0.95, 0.95, 400_000)
    q = quantize(x, bits, "mid-tread")
    assert np.mean(q.error.astype(np.float64) ** 2) == pytest.approx(q.step ** 2 / 12, rel=0.02)


def test_error_histogram_is_flat_within_half_a_step():
    x = np.random.default_rng(1).uniform(-0.95, 0.95, 200_000)
    q = quantize(x, 6, "mid-rise")
    counts, edges = error_histogram(q.error, q.step, bins=40)
    centres = (edges[:-1] + edges[1:]) / 2
    inside = np.abs(centres) < q.step / 2
    assert counts[~inside].sum() == 0
    assert counts[inside].std() / counts[inside].mean() < 0.05


def test_more_bits_less_noise_and_sixteen_bits_matches_pcm_codes():
    x = unit_sine(0.2) * 0.7
    sqnrs = [sqnr_db(x, quantize(x, b).samples) for b in (4, 8, 12, 16)]
    assert sqnrs == sorted(sqnrs)
    codes = to_pcm_codes(x, 16)
    np.testing.assert_allclose(quantize(x, 16, "mid-tread").samples, codes / 32768.0, atol=1e-9)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="between 1 and 16"):
        quantize(np.zeros(3), 0)
    with pytest.raises(ValueError, match="mid-tread or mid-rise"):
        quantize(np.zeros(3), 8, "mid-side")
