"""Energy-based voice-activity detection and endpointing.

A frame (30 ms) is speech when its level rises clearly above a noise floor that follows the quiet
parts of the input; an utterance starts after a few speech frames and ends after `end_silence_s` of
non-speech. That silence is the price of a final transcript: it is the main term of the
"final text after speech ends" latency, so it is kept short (0.5 s) and configurable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR_DB = -100.0


def frame_db(frame: np.ndarray) -> float:
    """RMS level of a frame in dBFS (a full-scale sine reads -3 dB; digital silence reads FLOOR_DB)."""
    power = float(np.mean(np.square(frame, dtype=np.float64))) if frame.size else 0.0
    return max(FLOOR_DB, 10.0 * np.log10(power)) if power > 0 else FLOOR_DB


@dataclass
class VadSettings:
    frame_s: float = 0.03
    threshold_db: float = 12.0
    """How far above the noise floor a frame must be to count as speech."""
    min_level_db: float = -50.0
    """Frames quieter than this are never speech, whatever the floor."""
    start_s: float = 0.06
    end_silence_s: float = 0.5
    preroll_s: float = 0.3
    """Audio kept from before the detected start, so the first consonant is not clipped."""
    max_utterance_s: float = 25.0
    """Whisper reads 30 s windows: longer speech is cut into utterances of at most this."""


class EnergyVad:
    """Classifies frames; tracks the noise floor."""

    def __init__(self, settings: VadSettings | None = None):
        self.settings = settings or VadSettings()
        self.noise_db = -70.0

    def is_speech(self, level_db: float) -> bool:
        s = self.settings
        speech = level_db >= max(self.noise_db + s.threshold_db, s.min_level_db)
        if level_db < self.noise_db:
            self.noise_db = level_db  # fall at once to a quieter floor
        elif not speech:
            self.noise_db += 0.05 * (level_db - self.noise_db)  # rise slowly with steady noise
        return speech


# --- whole-clip speech detection (the gate in front of every recognizer) ---------------------------

GATE_WINDOW = 512
"""Samples per analysis window at 16 kHz (32 ms): Silero VAD's own window."""
GATE_MIN_LEVEL_DB = -60.0
"""Windows quieter than this cannot hold speech: digital silence and a silent room are dropped by
arithmetic alone, so minutes of them cost milliseconds instead of a neural network's time."""
GATE_SPAN_PAD_S = 0.5
GATE_SPAN_JOIN_S = 2.0
FALLBACK_MIN_LEVEL_DB = -45.0
"""Without Silero, a window must be at least this loud to count (the live endpointer's floor is -50)."""
TONE_SHARE = 0.85
"""A window whose strongest spectral peak (with its two neighbour bins) holds this share of the
energy is a steady tone, not a voice (fallback detector only)."""


def _window_levels(x: np.ndarray) -> np.ndarray:
    """RMS level in dBFS of each GATE_WINDOW-sample window (the last one zero-padded)."""
    n = -(-x.shape[0] // GATE_WINDOW)
    padded = np.zeros(n * GATE_WINDOW, np.float32)
    padded[: x.shape[0]] = x
    power = np.mean(np.square(padded.reshape(n, GATE_WINDOW), dtype=np.float64), axis=1)
    with np.errstate(divide="ignore"):
        return np.maximum(FLOOR_DB, 10.0 * np.log10(power))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index pairs of the True runs of a boolean array."""
    if not flags.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _loud_spans(x: np.ndarray, rate: int) -> list[tuple[int, int]]:
    """Sample spans (padded, close ones joined) where anything louder than GATE_MIN_LEVEL_DB happens."""
    loud = _window_levels(x) >= GATE_MIN_LEVEL_DB
    pad, join = int(GATE_SPAN_PAD_S * rate), int(GATE_SPAN_JOIN_S * rate)
    spans: list[tuple[int, int]] = []
    for a, b in _runs(loud):
        start, end = max(0, a * GATE_WINDOW - pad), min(x.shape[0], b * GATE_WINDOW + pad)
        if spans and start - spans[-1][1] <= join:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _silero(rate: int):
    """faster-whisper's packaged Silero VAD (offline, ONNX), or None where it is not installed."""
    if rate != 16000:
        return None
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError:
        return None

    def detect(x: np.ndarray) -> list[tuple[int, int]]:
        found = get_speech_timestamps(np.ascontiguousarray(x, dtype=np.float32), VadOptions(), sampling_rate=rate)
        return [(int(r["start"]), int(r["end"])) for r in found]
    return detect


def _tonal(window: np.ndarray) -> bool:
    spectrum = np.abs(np.fft.rfft(window * np.hanning(window.shape[0]))) ** 2
    total = float(spectrum.sum())
    if total <= 0:
        return True
    k = int(np.argmax(spectrum))
    return float(spectrum[max(0, k - 2):k + 3].sum()) >= TONE_SHARE * total


def _energy_fallback(x: np.ndarray, rate: int) -> list[tuple[int, int]]:
    """Without Silero: loud windows that are not a steady tone, in runs of at least 0.25 s.

    Cruder than Silero (loud noise passes), but silence, a quiet room and a test tone do not."""
    levels = _window_levels(x)
    voiced = np.zeros(levels.shape[0], bool)
    for i in np.flatnonzero(levels >= FALLBACK_MIN_LEVEL_DB):
        voiced[i] = not _tonal(x[i * GATE_WINDOW:(i + 1) * GATE_WINDOW])
    shortest = max(1, int(0.25 * rate / GATE_WINDOW))
    pad = int(0.3 * rate)
    return [(max(0, a * GATE_WINDOW - pad), min(x.shape[0], b * GATE_WINDOW + pad))
            for a, b in _runs(voiced) if b - a >= shortest]


def speech_regions(samples: np.ndarray, rate: int = 16000) -> list[tuple[int, int]]:
    """Sample ranges [start, end) that hold speech; [] for silence, noise or a pure tone.

    Recognizers decode only these ranges: Whisper invents text for anything it is given ("you",
    "I'm sorry", a language it guesses), so audio without a voice must never reach it. First an
    energy pass drops everything quieter than GATE_MIN_LEVEL_DB (cheap, exact for digital silence);
    what is left goes through Silero VAD, the neural detector faster-whisper ships (and uses for its
    own `vad_filter`), which tells a voice from noise, music-like tones and hum. Where faster-whisper
    is not installed, a spectral test (speech is not one steady sinusoid) stands in for it.
    """
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    if x.shape[0] == 0:
        return []
    spans = _loud_spans(x, rate)
    if not spans:
        return []
    detect = _silero(rate)
    regions: list[tuple[int, int]] = []
    for start, end in spans:
        found = detect(x[start:end]) if detect is not None else _energy_fallback(x[start:end], rate)
        regions += [(start + a, start + b) for a, b in found if b > a]
    return regions
