"""The one interface every speech recognizer implements, and what it returns.

Engines differ wildly (Whisper decodes 30 s windows with a transformer; pocketsphinx runs an HMM
frame by frame) but the audio lab, the streaming transcriber and the CLI only need: take 16 kHz mono
float32 samples and a language, give back text with timed segments. New engines subclass
`Recognizer` and register themselves (see `recognizers.register`).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str

    def to_json(self) -> dict:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "text": self.text}


@dataclass(frozen=True)
class Transcript:
    engine: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    audio_seconds: float = 0.0
    compute_seconds: float = 0.0

    @property
    def rtf(self) -> float:
        """Real-time factor: seconds of compute per second of audio (< 1 is faster than real time)."""
        return self.compute_seconds / self.audio_seconds if self.audio_seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {"engine": self.engine, "text": self.text, "segments": [s.to_json() for s in self.segments],
                "rtf": round(self.rtf, 4), "language": self.language,
                "audio_seconds": round(self.audio_seconds, 3), "compute_seconds": round(self.compute_seconds, 3)}


class Recognizer(ABC):
    """A speech-to-text engine working on 16 kHz mono float32 audio."""

    name: str = ""
    sample_rate: int = SAMPLE_RATE
    languages: tuple[str, ...] | None = None
    """Language codes the engine accepts (None: whatever it detects)."""

    @classmethod
    @abstractmethod
    def unavailable_reason(cls, offline_only: bool = False, **options) -> str | None:
        """None when the engine can run here; otherwise a sentence saying what is missing.

        `offline_only=True` asks whether it runs without fetching anything (how the default is picked).
        """

    @abstractmethod
    def _decode(self, samples: np.ndarray, language: str | None, partial: bool) -> tuple[list[Segment], str | None]:
        """Segments of `samples` (16 kHz mono float32) and the language used."""

    def _decode_untimed(self, samples: np.ndarray, language: str | None, partial: bool):
        """Like `_decode` when the caller needs no word timing; engines that save time by skipping
        timestamps (Whisper) override it. The segments may then span the whole clip."""
        return self._decode(samples, language, partial)

    def transcribe(self, samples: np.ndarray, language: str | None = None, partial: bool = False,
                   timestamps: bool = True) -> Transcript:
        """Transcribe 16 kHz mono audio; `partial=True` trades accuracy for speed (live partial text).

        `timestamps=False` lets an engine skip segment timing (live finals of short utterances).
        """
        x = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).reshape(-1))
        started = time.perf_counter()
        decode = self._decode if timestamps else self._decode_untimed
        segments, used = decode(x, language, partial)
        elapsed = time.perf_counter() - started
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return Transcript(self.name, text, segments, used, x.shape[0] / self.sample_rate, elapsed)
