"""The one interface every speech recognizer implements, and what it returns.

Engines differ wildly (Whisper decodes 30 s windows with a transformer; pocketsphinx runs an HMM
frame by frame) but the audio lab, the streaming transcriber and the CLI only need: take 16 kHz mono
float32 samples and a language, give back text with timed segments. New engines subclass
`Recognizer` and register themselves (see `recognizers.register`).

Every engine sits behind the same voice-activity gate (`vad.speech_regions`): only the stretches
that hold speech are decoded, and audio without any (silence, noise, a tone) comes back as
`no_speech` with empty text at once, instead of whatever the engine would have invented for it.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from studio.core.audio.vad import speech_regions
from studio.core.errors import UserError

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
    no_speech: bool = False
    """The voice-activity gate found no speech, so nothing was decoded (text is empty)."""
    speech_seconds: float | None = None
    """How much of the audio the gate passed on to the engine (None: the gate was off)."""

    @property
    def rtf(self) -> float:
        """Real-time factor: seconds of compute per second of audio (< 1 is faster than real time)."""
        return self.compute_seconds / self.audio_seconds if self.audio_seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {"engine": self.engine, "text": self.text, "segments": [s.to_json() for s in self.segments],
                "rtf": round(self.rtf, 4), "language": self.language,
                "audio_seconds": round(self.audio_seconds, 3), "compute_seconds": round(self.compute_seconds, 3),
                "no_speech": self.no_speech,
                "speech_seconds": None if self.speech_seconds is None else round(self.speech_seconds, 3)}


class _Timeline:
    """Maps times in the decoded audio (the speech regions joined end to end) back to the clip."""

    def __init__(self, regions: list[tuple[int, int]], rate: int):
        self.rate = rate
        self.starts = np.asarray([a for a, _ in regions], dtype=np.int64)
        lengths = np.asarray([b - a for a, b in regions], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(regions) else np.zeros(0, np.int64)
        self.lengths = lengths

    def original(self, t: float, end: bool = False) -> float:
        sample = t * self.rate
        # an end time that falls exactly on a join belongs to the region before it
        i = int(np.searchsorted(self.offsets, sample, side="left" if end else "right")) - 1
        i = min(max(i, 0), len(self.starts) - 1)
        inside = min(max(sample - self.offsets[i], 0.0), float(self.lengths[i]))
        return float(self.starts[i] + inside) / self.rate

    def segment(self, seg: Segment) -> Segment:
        return Segment(self.original(seg.start), self.original(seg.end, end=True), seg.text)


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

    def check_language(self, language: str | None) -> None:
        """Raise a UserError for a language the engine cannot decode (before any audio is looked at)."""
        if language and self.languages and language not in self.languages:
            raise UserError(f"{self.name} does not know the language {language!r}",
                            f"use one of: {', '.join(self.languages[:12])}")

    @abstractmethod
    def _decode(self, samples: np.ndarray, language: str | None, partial: bool) -> tuple[list[Segment], str | None]:
        """Segments of `samples` (16 kHz mono float32) and the language used."""

    def _decode_untimed(self, samples: np.ndarray, language: str | None, partial: bool):
        """Like `_decode` when the caller needs no word timing; engines that save time by skipping
        timestamps (Whisper) override it. The segments may then span the whole clip."""
        return self._decode(samples, language, partial)

    def transcribe(self, samples: np.ndarray, language: str | None = None, partial: bool = False,
                   timestamps: bool = True, vad: bool = True) -> Transcript:
        """Transcribe 16 kHz mono audio; `partial=True` trades accuracy for speed (live partial text).

        `timestamps=False` lets an engine skip segment timing (live finals of short utterances).
        `vad=False` hands the engine the whole clip, silence and all (for experiments only).
        """
        self.check_language(language)
        x = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).reshape(-1))
        seconds = x.shape[0] / self.sample_rate
        started = time.perf_counter()
        speech_seconds = None
        timeline = None
        if vad:
            regions = speech_regions(x, self.sample_rate)
            speech_seconds = sum(b - a for a, b in regions) / self.sample_rate
            if not regions:
                return Transcript(self.name, "", [], language, seconds, time.perf_counter() - started,
                                  no_speech=True, speech_seconds=0.0)
            if len(regions) > 1 or regions[0] != (0, x.shape[0]):
                timeline = _Timeline(regions, self.sample_rate)
                x = np.concatenate([x[a:b] for a, b in regions])
        decode = self._decode if timestamps else self._decode_untimed
        segments, used = decode(x, language, partial)
        if timeline is not None:
            segments = [timeline.segment(s) for s in segments]
        elapsed = time.perf_counter() - started
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return Transcript(self.name, text, segments, used, seconds, elapsed, speech_seconds=speech_seconds)
