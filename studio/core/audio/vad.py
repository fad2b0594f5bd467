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
