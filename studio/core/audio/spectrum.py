"""Spectra: the magnitude spectrum of a stretch of sound and the log-mel spectrogram.

The log-mel spectrogram is what a speech model such as Whisper actually receives: 25 ms Hann
frames every 10 ms at 16 kHz, power folded onto 80 bands spaced evenly on the (Slaney) mel scale up
to 8 kHz, then log10 with the quietest values raised to 80 dB under the loudest. Showing the same
picture in the audio lab makes "audio tokens" concrete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WHISPER_RATE = 16000
WHISPER_N_FFT = 400
WHISPER_HOP = 160
WHISPER_N_MELS = 80


@dataclass(frozen=True)
class Spectrum:
    freqs: np.ndarray
    """Bin centre frequencies in Hz, 0 ... rate/2."""
    db: np.ndarray
    """Magnitude in dB relative to a full-scale sine (0 dBFS)."""

    def peak_hz(self) -> float:
        return float(self.freqs[int(np.argmax(self.db))])


def magnitude_spectrum(x: np.ndarray, rate: float, n_fft: int | None = None) -> Spectrum:
    """Hann-windowed magnitude spectrum of mono `x`, scaled so a full-scale sine reads 0 dB."""
    x = np.asarray(x, dtype=np.float64)
    n = int(n_fft or x.shape[0])
    if n < 2:
        raise ValueError("need at least two samples for a spectrum")
    seg = x[:n] if x.shape[0] >= n else np.pad(x, (0, n - x.shape[0]))
    window = np.hanning(n)
    mag = np.abs(np.fft.rfft(seg * window)) * 2.0 / window.sum()
    return Spectrum(np.fft.rfftfreq(n, 1.0 / rate), 20.0 * np.log10(np.maximum(mag, 1e-12)))


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray | float:
    """Slaney mel scale: linear (3 bands per 200 Hz) below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    lin = hz / (200.0 / 3.0)
    log_part = 15.0 + np.log(np.maximum(hz, 1e-9) / 1000.0) / (np.log(6.4) / 27.0)
    mel = np.where(hz >= 1000.0, log_part, lin)
    return float(mel) if mel.ndim == 0 else mel


def mel_to_hz(mel: np.ndarray | float) -> np.ndarray | float:
    mel = np.asarray(mel, dtype=np.float64)
    lin = mel * (200.0 / 3.0)
    log_part = 1000.0 * np.exp((mel - 15.0) * (np.log(6.4) / 27.0))
    hz = np.where(mel >= 15.0, log_part, lin)
    return float(hz) if hz.ndim == 0 else hz


def mel_band_edges(n_mels: int, f_max: float, f_min: float = 0.0) -> np.ndarray:
    """n_mels + 2 frequencies (Hz): band i rises from edge i, peaks at i + 1, falls to i + 2."""
    return mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2))


def mel_filterbank(rate: float, n_fft: int, n_mels: int = WHISPER_N_MELS, f_max: float | None = None) -> np.ndarray:
    """(n_mels, n_fft//2 + 1) triangular, area-normalised (Slaney) mel filters."""
    f_max = rate / 2.0 if f_max is None else f_max
    edges = mel_band_edges(n_mels, f_max)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / rate)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs[None, :] - lower) / (centre - lower)
    falling = (upper - freqs[None, :]) / (upper - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return weights * (2.0 / (upper - lower))


def stft_power(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """(frames, n_fft//2 + 1) power of centred, reflect-padded Hann frames."""
    x = np.asarray(x, dtype=np.float64)
    pad = n_fft // 2
    if x.shape[0] <= pad:
        x = np.pad(x, (0, pad + 1 - x.shape[0]))
    padded = np.pad(x, (pad, pad), mode="reflect")
    n_frames = 1 + (padded.shape[0] - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    spec = np.fft.rfft(padded[idx] * window, axis=1)
    return spec.real ** 2 + spec.imag ** 2


def log_mel_spectrogram(x: np.ndarray, rate: float = WHISPER_RATE, n_mels: int = WHISPER_N_MELS,
                        n_fft: int = WHISPER_N_FFT, hop: int = WHISPER_HOP,
                        dynamic_range_db: float = 80.0) -> np.ndarray:
    """(n_mels, frames) log10 mel power, floored `dynamic_range_db` below its maximum.

    With the defaults and 16 kHz input this is the picture Whisper's encoder is fed (before its
    final (x + 4) / 4 scaling); frames are 10 ms apart.
    """
    power = stft_power(x, n_fft, hop)
    mel = mel_filterbank(rate, n_fft, n_mels, f_max=min(rate / 2.0, 8000.0)) @ power.T
    log_mel = np.log10(np.maximum(mel, 1e-10))
    return np.maximum(log_mel, log_mel.max() - dynamic_range_db / 10.0).astype(np.float32)
