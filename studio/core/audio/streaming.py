"""Live transcription: partial text while the user speaks, final text per utterance.

A worker thread reads the capture ring with its own cursor, cuts the stream into utterances with
the energy VAD, re-decodes the growing utterance every so often for partial text, and decodes it
once more (with the full beam) when the endpoint is reached. Results are queued as events that a
panel drains on its timer (`poll`) or the CLI prints; nothing here blocks the capture callback or
the GUI thread. If decoding falls behind, audio simply waits in the ring (30 s by default).

The energy endpointer only says "something loud happened": a door, a cough or a test tone starts an
utterance too. Each decode goes through the recognizer's voice-activity gate (Silero VAD), so such
an utterance ends as a "no_speech" event, never as invented text.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass

import numpy as np

from studio.core.audio.recognizers.base import Recognizer
from studio.core.audio.ring import RingBuffer
from studio.core.audio.sampling import resample
from studio.core.audio.vad import EnergyVad, VadSettings, frame_db

DETECT_MIN_S = 0.8
"""With no language chosen, the first decode of at least this much audio fixes it for the session."""
TAIL_S = 0.2
"""Silence kept at the end of an utterance; also how long a pause must last before the final
text is decoded early (the same audio either way, so an early decode can be reused as is)."""


@dataclass(frozen=True)
class TranscriptEvent:
    kind: str
    """"partial", "final", "no_speech" (an utterance that held no words) or "error"."""
    text: str
    start: float
    """Utterance start, seconds since the transcriber started listening."""
    end: float
    compute_s: float = 0.0
    latency_s: float | None = None
    """Finals: seconds from the end of speech (as captured) to this text being ready."""
    no_speech: bool = False
    """The voice-activity gate found no speech in this audio (the text is empty)."""

    def to_json(self) -> dict:
        out = {"event": self.kind, "text": self.text, "start": round(self.start, 3), "end": round(self.end, 3),
               "compute_s": round(self.compute_s, 3)}
        if self.latency_s is not None:
            out["latency_s"] = round(self.latency_s, 3)
        if self.no_speech:
            out["no_speech"] = True
        return out


class StreamingTranscriber:
    def __init__(self, recognizer: Recognizer, rate: int, language: str | None = None,
                 vad: VadSettings | None = None, partial_interval_s: float = 0.6, partials: bool = True,
                 early_final: bool = True):
        self.recognizer = recognizer
        self.rate = int(rate)
        self.language = language
        self.vad = EnergyVad(vad)
        self.partial_interval_s = partial_interval_s
        self.partials = partials
        self.early_final = early_final
        self.detected_language: str | None = None
        self._early: tuple[int, object] | None = None
        """(utterance length in frames, its decode) started as soon as the speaker paused."""
        s = self.vad.settings
        self._tail_frames = int(round(TAIL_S / s.frame_s))
        self._frame = max(1, int(round(s.frame_s * self.rate)))
        self._pending = np.zeros(0, dtype=np.float32)
        self._preroll: deque[np.ndarray] = deque(maxlen=max(1, int(round(s.preroll_s / s.frame_s))))
        self._utterance: list[np.ndarray] = []
        self._speech_run = 0
        self._silence_run = 0
        self._in_speech = False
        self._frames_seen = 0
        self._utt_start_frame = 0
        self._last_speech_frame = 0
        self._next_partial_at = 0.0
        self._events: queue.Queue[TranscriptEvent] = queue.Queue()
        self.finals: list[TranscriptEvent] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.lost_frames = 0

    # -- feeding ------------------------------------------------------------------------------------
    def process(self, samples: np.ndarray, captured_at: float | None = None) -> None:
        """Feed mono samples (capture rate); `captured_at` = wall time of the last sample (monotonic)."""
        now = time.monotonic() if captured_at is None else captured_at
        x = np.asarray(samples, dtype=np.float32)
        if x.ndim == 2:
            x = x.mean(axis=1)
        data = np.concatenate([self._pending, x]) if self._pending.size else x
        n_frames = data.shape[0] // self._frame
        s = self.vad.settings
        end_frames = max(1, int(round(s.end_silence_s / s.frame_s)))
        start_frames = max(1, int(round(s.start_s / s.frame_s)))
        max_frames = int(s.max_utterance_s / s.frame_s)
        for i in range(n_frames):
            frame = data[i * self._frame:(i + 1) * self._frame]
            speech = self.vad.is_speech(frame_db(frame))
            self._frames_seen += 1
            if not self._in_speech:
                self._preroll.append(frame)
                self._speech_run = self._speech_run + 1 if speech else 0
                if self._speech_run >= start_frames:
                    self._in_speech = True
                    self._utterance = list(self._preroll)
                    self._preroll.clear()
                    self._utt_start_frame = self._frames_seen - len(self._utterance)
                    self._silence_run = 0
                    self._last_speech_frame = self._frames_seen
                    self._next_partial_at = time.monotonic() + self.partial_interval_s
                continue
            self._utterance.append(frame)
            if speech:
                self._silence_run = 0
                self._last_speech_frame = self._frames_seen
                self._early = None  # the speaker went on: that decode is stale
            else:
                self._silence_run += 1
                if self.early_final and self._silence_run == self._tail_frames and self._early is None:
                    # Decode now what the final will be if this pause turns out to be the end: the
                    # endpoint silence then passes while Whisper works instead of before it starts.
                    self._early = (len(self._utterance), self._decode(partial=False))
            if self._silence_run >= end_frames or len(self._utterance) >= max_frames:
                frames_after_speech = n_frames - 1 - i + (data.shape[0] - n_frames * self._frame) / self._frame
                speech_end_wall = now - (self._frames_seen - self._last_speech_frame + frames_after_speech) * s.frame_s
                self._finish(speech_end_wall)
        self._pending = data[n_frames * self._frame:].copy()
        # no partial once the speaker has paused: a decode started now would delay the final
        if self._in_speech and self.partials and self._silence_run == 0 and time.monotonic() >= self._next_partial_at:
            self._emit_partial()

    def _audio_16k(self) -> np.ndarray:
        audio = np.concatenate(self._utterance) if self._utterance else np.zeros(0, np.float32)
        rate = self.recognizer.sample_rate
        return audio if self.rate == rate else resample(audio, self.rate, rate)

    def _times(self) -> tuple[float, float]:
        s = self.vad.settings
        return self._utt_start_frame * s.frame_s, (self._utt_start_frame + len(self._utterance)) * s.frame_s

    def _emit_partial(self) -> None:
        if len(self._utterance) * self.vad.settings.frame_s < 0.3:
            return
        result = self._decode(partial=True)
        if result is None:
            return
        start, end = self._times()
        self._events.put(TranscriptEvent("partial", result.text, start, end, result.compute_seconds))
        # never spend more than about half the time decoding partials: finals must not queue behind them
        self._next_partial_at = time.monotonic() + max(self.partial_interval_s, 2.0 * result.compute_seconds)

    def _finish(self, speech_end_wall: float | None) -> None:
        keep_tail = self._tail_frames  # a little trailing silence helps the decoder end cleanly
        if self._silence_run > keep_tail:
            del self._utterance[len(self._utterance) - (self._silence_run - keep_tail):]
        start, end = self._times()
        early, self._early = self._early, None
        if early is not None and early[0] == len(self._utterance):
            result = early[1]  # decoded at the pause from exactly this audio
        else:
            result = self._decode(partial=False)
        latency = time.monotonic() - speech_end_wall if speech_end_wall is not None else None
        if result is not None and result.text.strip():
            event = TranscriptEvent("final", result.text, start, end, result.compute_seconds, latency)
            self.finals.append(event)
            self._events.put(event)
        elif result is not None:
            # a sound without words: say so, so a view drops the partial text it may still show
            self._events.put(TranscriptEvent("no_speech", "", start, end, result.compute_seconds, latency,
                                             no_speech=True))
        self._utterance = []
        self._in_speech = False
        self._speech_run = 0
        self._silence_run = 0
        self._early = None

    def _decode(self, partial: bool):
        try:
            audio = self._audio_16k()
            # live text needs no word timing; skipping it makes Whisper's decode shorter
            result = self.recognizer.transcribe(audio, self.language or self.detected_language, partial=partial,
                                                timestamps=False)
            if (self.language is None and self.detected_language is None and result.language
                    and audio.shape[0] >= DETECT_MIN_S * self.recognizer.sample_rate):
                # Detecting the language costs Whisper a second encoder pass per decode: detect it
                # once per session, from the first 0.8 s or more of speech, then keep it.
                self.detected_language = result.language
            return result
        except Exception as exc:  # surface it to the panel; the worker keeps listening
            start, end = self._times()
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self._events.put(TranscriptEvent("error", message, start, end))
            return None

    def flush(self) -> None:
        """End the current utterance now (the user pressed stop) and emit its final text."""
        if self._in_speech:
            self._finish(None)

    # -- worker thread over a ring -----------------------------------------------------------------
    def start(self, ring: RingBuffer, from_position: int | None = None) -> StreamingTranscriber:
        """Listen to `ring` in a worker thread, from now or from the ring position `from_position`

        (the GUI starts recording before the engine has loaded and catches up from where it began).
        """
        reader = ring.reader()
        if from_position is not None:
            reader.position = max(int(from_position), ring.written - ring.capacity)
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                block = reader.read()
                if block.shape[0] == 0:
                    time.sleep(0.02)
                    continue
                self.process(block, captured_at=time.monotonic())
                self.lost_frames = reader.lost
            tail = reader.read()
            if tail.shape[0]:
                self.process(tail)
            self.flush()

        # Not a daemon: a thread inside the recognizer's C++ code when the interpreter ends aborts the
        # process. `stop()` (the Audio panel calls it at quit) joins it; one asked to stop ends by itself.
        self._thread = threading.Thread(target=loop, name="studio-transcriber")
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Ask the worker to finish (it decodes what is pending, then ends) without waiting for it."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def poll(self) -> list[TranscriptEvent]:
        """Every event since the last poll (never blocks)."""
        out = []
        while True:
            try:
                out.append(self._events.get_nowait())
            except queue.Empty:
                return out
