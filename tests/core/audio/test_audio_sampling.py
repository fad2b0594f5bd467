"""Sampling: aliasing lands where the closed form says, and the anti-aliasing filter removes it."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.audio.sampling import resample, resampled_length, sample_times
from studio.core.audio.signals import alias_frequency, sweep, sweep_frequency_at, tone
from studio.core.audio.spectrum import magnitude_spectrum


@pytest.mark.parametrize(("f", "fs", "expected"), [
    (1000, 8000, 1000),      # below f/2: unchanged
    (5000, 8000, 3000),      # folds around 4 kHz
    (7000, 8000, 1000),
    (8000, 8000, 0),         # a tone at the sampling rate looks like DC
    (9000, 8000, 1000),
    (12500, 8000, 3500),
    (30000, 44100, 14100),
    (4000, 8000, 4000),      # exactly f/2 stays at f/2
])
def test_alias_frequency_closed_form(f, fs, expected):
    assert alias_frequency(f, fs) == pytest.approx(expected)


def test_alias_frequency_is_vectorised_and_never_above_half_the_rate():
    f = np.linspace(0, 100_000, 1001)
    folded = alias_frequency(f, 16000)
    assert folded.shape == f.shape
    assert folded.min() >= 0 and folded.max() <= 8000 + 1e-9


@pytest.mark.parametrize(("f", "rate_out"), [(7000, 8000), (5000, 8000), (11000, 16000), (15000, 22050)])
def test_resampling_without_filter_puts_the_tone_at_its_alias(f, rate_out):
    x = tone(f, 0.5, 48000)
    y = resample(x, 48000, rate_out, antialias=False)
    spec = magnitude_spectrum(y, rate_out)
    bin_hz = rate_out / y.shape[0]
    assert abs(spec.peak_hz() - alias_frequency(f, rate_out)) <= 1.5 * bin_hz
    assert spec.db.max() > -7.0  # the alias is as loud as the tone was (Hann window costs ~6 dB at 0.5)


@pytest.mark.parametrize(("f", "rate_out"), [(7000, 8000), (5000, 8000), (11000, 16000)])
def test_anti_aliasing_filter_removes_tones_above_the_new_nyquist(f, rate_out):
    x = tone(f, 0.5, 48000)
    plain = magnitude_spectrum(resample(x, 48000, rate_out, antialias=False), rate_out).db.max()
    filtered = magnitude_spectrum(resample(x, 48000, rate_out, antialias=True), rate_out).db.max()
    assert plain - filtered >= 60.0


def test_anti_aliasing_filter_keeps_tones_the_new_rate_can_hold():
    x = tone(1000, 0.5, 44100, amplitude=0.5)
    y = resample(x, 44100, 16000, antialias=True)
    expected = tone(1000, 0.5, 16000, amplitude=0.5)[: y.shape[0]]
    core = slice(400, -400)  # away from the edges where the kernel sees zeros
    assert np.max(np.abs(y[core] - expected[core])) < 1e-3


def test_resampled_points_are_the_original_instants_and_counts():
    n_out = resampled_length(48000, 48000, 16000)
    assert n_out == 16000
    t = sample_times(n_out, 16000)
    assert t[1] == pytest.approx(1 / 16000) and t[-1] < 1.0
    # integer decimation without filter returns the very samples at those instants
    x = tone(440, 1.0, 48000)
    np.testing.assert_allclose(resample(x, 48000, 16000, antialias=False), x[::3], atol=1e-6)


def test_upsampling_then_downsampling_returns_the_signal():
    x = tone(300, 0.3, 8000, amplitude=0.8)
    back = resample(resample(x, 8000, 44100), 44100, 8000)
    assert x.shape[0] - 1 <= back.shape[0] <= x.shape[0]  # only instants inside the original span
    assert np.max(np.abs(back - x[: back.shape[0]])[200:-200]) < 2e-3


def test_stereo_resampling_keeps_channels_apart():
    left, right = tone(500, 0.2, 48000), tone(1500, 0.2, 48000)
    y = resample(np.stack([left, right], axis=1), 48000, 16000)
    assert y.shape[1] == 2
    assert magnitude_spectrum(y[:, 0], 16000).peak_hz() == pytest.approx(500, abs=10)
    assert magnitude_spectrum(y[:, 1], 16000).peak_hz() == pytest.approx(1500, abs=10)


def test_sweep_above_nyquist_is_heard_going_down():
    """A 3-7 kHz sweep sampled at 8 kHz without filter: its alias glides 3 kHz -> 1 kHz."""
    seconds = 1.0
    x = sweep(3000, 7000, seconds, 48000)
    y = resample(x, 48000, 8000, antialias=False)
    for t in (0.1, 0.9):  # 3.4 kHz stays at 3.4 kHz; 6.6 kHz is heard at 1.4 kHz
        seg = y[int((t - 0.03) * 8000): int((t + 0.03) * 8000)]
        expected = alias_frequency(sweep_frequency_at(t, 3000, 7000, seconds), 8000)
        assert magnitude_spectrum(seg, 8000, n_fft=4096).peak_hz() == pytest.approx(expected, abs=120)
