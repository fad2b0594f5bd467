"""Spectra: a full-scale sine reads 0 dBFS at its frequency; the log-mel is what Whisper sees."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.audio.signals import tone
from studio.core.audio.spectrum import (
    hz_to_mel,
    log_mel_spectrogram,
    magnitude_spectrum,
    mel_band_edges,
    mel_to_hz,
)


def test_magnitude_spectrum_reads_a_tone_at_its_frequency_and_level():
    spec = magnitude_spectrum(tone(1000, 1.0, 16000, amplitude=0.5), 16000)
    assert spec.peak_hz() == pytest.approx(1000, abs=1)
    assert spec.db.max() == pytest.approx(20 * np.log10(0.5), abs=0.1)


def test_mel_scale_is_linear_below_1khz_and_invertible():
    assert hz_to_mel(1000.0) == pytest.approx(15.0)
    assert hz_to_mel(500.0) == pytest.approx(7.5)
    f = np.array([0.0, 300.0, 999.0, 1000.0, 4000.0, 8000.0])
    np.testing.assert_allclose(mel_to_hz(hz_to_mel(f)), f, atol=1e-6)


@pytest.mark.parametrize("f", [440.0, 1000.0, 3000.0])
def test_log_mel_puts_a_tone_in_the_band_around_it(f):
    mel = log_mel_spectrogram(tone(f, 1.0, 16000))
    assert mel.shape == (80, 101)  # 80 bands, one frame per 10 ms (+1, centred)
    loudest = int(np.argmax(mel[:, 10:-10].mean(axis=1)))
    edges = mel_band_edges(80, 8000)
    assert edges[loudest] <= f <= edges[loudest + 2]


def test_log_mel_is_exactly_the_whisper_front_end():
    fe_module = pytest.importorskip("faster_whisper.feature_extractor")
    x = (np.random.default_rng(0).standard_normal(24000) * 0.1).astype(np.float32)
    x[8000:12000] += tone(700, 0.25, 16000) * 0.5
    theirs = fe_module.FeatureExtractor()(x, padding=0)
    ours = (log_mel_spectrogram(x) + 4.0) / 4.0
    n = theirs.shape[1]
    np.testing.assert_allclose(ours[:, :n], theirs, atol=1e-4)


def test_silence_is_floored_eighty_db_under_the_peak():
    x = np.zeros(16000, dtype=np.float32)
    x[:4000] = tone(500, 0.25, 16000)
    mel = log_mel_spectrogram(x)
    assert mel.max() - mel.min() == pytest.approx(8.0, abs=1e-4)
