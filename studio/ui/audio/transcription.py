"""Live transcription for the panel: engine loading, the streaming transcriber, one-shot decodes.

Nothing slow runs on the GUI thread. Loading an engine (Whisper: joining and hashing the packaged
model the first time, then ~0.5 s to load), decoding a clip, and stopping the streaming transcriber
(which runs the last utterance's final decode) all happen in background threads; results come back
as queued Qt signals. The streaming transcriber reads the capture ring with its own cursor, from
the position recording started at, so speech said while the engine was still loading is not lost.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from studio.app.jobs import JobContext
from studio.core.audio.recognizers import create_recognizer, engine_status
from studio.core.audio.recognizers.base import Recognizer
from studio.core.audio.ring import RingBuffer
from studio.core.audio.sampling import resample
from studio.core.audio.streaming import StreamingTranscriber, TranscriptEvent
from studio.ui.common.jobs import QtJobRunner

LANGUAGES = ("", "en", "pt", "es", "fr", "de", "it", "nl")
"""Offered in the picker ("" = detect); Whisper knows many more, typed codes are accepted."""


class TranscriptionController(QObject):
    status = Signal(str, str)
    """(text, kind) with kind "info", "busy", "ready" or "error"."""
    event = Signal(object)
    """A TranscriptEvent (partial, final or error), on the GUI thread."""
    download = Signal(str, int, int)
    """(file, bytes done, bytes total) while a first-use model download runs; on the GUI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.engine: str | None = None
        self.language: str | None = None
        self.model_dir: str | None = None
        self.recognizer: Recognizer | None = None
        self.streaming: StreamingTranscriber | None = None
        self._key: tuple | None = None
        self._loading: tuple | None = None
        self._waiting: tuple[RingBuffer, int, int] | None = None
        self._stopping: list[StreamingTranscriber] = []
        self._pending_clip: tuple[np.ndarray, int] | None = None
        self._announced: str | None = None
        self.busy = False
        self._loader = QtJobRunner("load-recognizer", parent=self)
        """Newest engine choice wins: a load for an engine no longer wanted is cancelled (its download too)."""
        self._loader.progress.connect(lambda values: self.download.emit(*values))
        self._loader.result.connect(self._on_load_result)
        self._loader.error.connect(self._on_load_error)
        self._decoder = QtJobRunner("transcribe-clip", parent=self)
        self._decoder.result.connect(self._on_decoded)
        self._decoder.error.connect(
            lambda message, _user_error: self._on_decoded(TranscriptEvent("error", message, 0.0, 0.0)))

    # -- configuration -----------------------------------------------------------------------------
    def configure(self, engine: str | None, language: str | None, model_dir: str | None) -> None:
        self.engine = engine or None
        self.language = (language or "").strip() or None
        self.model_dir = (model_dir or "").strip() or None
        if self._options_key() != self._key:
            self.recognizer = None

    def _options_key(self) -> tuple:
        return (self.engine, self.model_dir)

    def engine_reasons(self, offline_only: bool = True) -> dict[str, str | None]:
        """{engine: None if usable, else why not} for the picker; `offline_only=False` counts an
        engine whose model would be downloaded on first use as usable."""
        return engine_status(offline_only=offline_only, model_dir=self.model_dir)

    def cancel_download(self) -> None:
        """Stop a first-use model download between two chunks (the load then reports the cancel)."""
        self._loader.cancel(deliver=True)

    # -- loading -----------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load the chosen engine in the background (no-op when it is loaded or loading)."""
        key = self._options_key()
        if (self.recognizer is not None and self._key == key) or self._loading == key:
            return
        self._loading = key
        self.status.emit(self.tr("Loading {engine}…").format(engine=self.engine or self.tr("the speech engine")), "busy")

        engine, model_dir = key
        shown = [-1.0]

        def load(job: JobContext) -> tuple:
            def progress(name: str, done: int, total: int) -> None:
                share = done / total if total else 0.0
                if share - shown[0] >= 0.005 or done >= total:  # ~200 updates for the whole download
                    shown[0] = share
                    job.progress(name, done, total)

            kwargs = {"model_dir": model_dir} if model_dir else {}
            return key, create_recognizer(engine, progress=progress, cancel=job.cancelled, **kwargs)

        self._loader.submit(load)

    def _on_load_result(self, loaded: tuple) -> None:
        key, recognizer = loaded
        self._on_loaded(key, recognizer, None)

    def _on_load_error(self, message: str, _user_error: bool) -> None:
        """A UserError (no model, bad folder, download cancelled) or a broken install; it belongs to
        the newest load, the one `_loading` names."""
        self._on_loaded(self._loading, None, message)

    def _on_loaded(self, key, recognizer, error) -> None:
        if key == self._loading:
            self._loading = None
        if key != self._options_key():
            if self._pending_clip is not None or self._waiting is not None:
                self.prepare()  # the user changed engine meanwhile: load the one now chosen
            return
        if error:
            self.status.emit(error, "error")
            self._waiting = None
            if self._pending_clip is not None:
                self._pending_clip = None
                self.busy = False
            return
        self.recognizer, self._key = recognizer, key
        self.status.emit(self.tr("{engine} ready").format(engine=recognizer.name), "ready")
        if self._waiting is not None:
            ring, rate, position = self._waiting
            self._waiting = None
            self._start_streaming(ring, rate, position)
        if self._pending_clip is not None:
            samples, rate = self._pending_clip
            self._pending_clip = None
            self._run_clip(samples, rate)

    # -- live --------------------------------------------------------------------------------------
    def start(self, ring: RingBuffer, rate: int) -> None:
        """Transcribe what `ring` receives from now on (starts once the engine is loaded)."""
        position = ring.written
        if self.recognizer is not None and self._key == self._options_key():
            self._start_streaming(ring, rate, position)
        else:
            self._waiting = (ring, rate, position)
            self.prepare()

    def _start_streaming(self, ring: RingBuffer, rate: int, position: int) -> None:
        self._announced = None
        self.streaming = StreamingTranscriber(self.recognizer, rate, self.language).start(ring, from_position=position)
        self.status.emit(self.tr("Listening ({engine})").format(engine=self.recognizer.name), "ready")

    def poll(self) -> list[TranscriptEvent]:
        """Drain live events (GUI timer); also those of a transcriber still finishing after stop."""
        events: list[TranscriptEvent] = []
        st = self.streaming
        if st is not None and st.detected_language and st.detected_language != self._announced:
            self._announced = st.detected_language
            self.status.emit(self.tr("Listening ({engine}, language detected: {language})").format(
                engine=self.recognizer.name if self.recognizer else "", language=st.detected_language), "ready")
        still = []
        for st in self._stopping:
            alive = st.running  # checked before draining, so the last events are never left behind
            events += st.poll()
            if alive:
                still.append(st)
        self._stopping = still
        if self.streaming is not None:
            events += self.streaming.poll()
        for e in events:
            self.event.emit(e)
        return events

    def stop(self) -> None:
        """Stop listening; the last utterance's final decode runs in the background."""
        self._waiting = None
        st, self.streaming = self.streaming, None
        if st is None:
            return
        self._stopping.append(st)
        st.request_stop()

    @property
    def live(self) -> bool:
        return self.streaming is not None or self._waiting is not None

    @property
    def finishing(self) -> bool:
        return bool(self._stopping)

    # -- one-shot ----------------------------------------------------------------------------------
    def transcribe_clip(self, samples: np.ndarray, rate: int) -> bool:
        """Decode a whole clip (a loaded file or the last recording) in the background."""
        if self.busy:
            return False
        self.busy = True
        if self.recognizer is None or self._key != self._options_key():
            self._pending_clip = (samples, int(rate))
            self.prepare()
        else:
            self._run_clip(samples, int(rate))
        return True

    def _run_clip(self, samples: np.ndarray, rate: int) -> None:
        recognizer, language = self.recognizer, self.language
        self.status.emit(self.tr("Transcribing the clip…"), "busy")

        def decode(_job: JobContext) -> TranscriptEvent:
            x16 = samples if rate == recognizer.sample_rate else resample(samples, rate, recognizer.sample_rate)
            t = recognizer.transcribe(x16, language)
            return TranscriptEvent("final", t.text, 0.0, t.audio_seconds, t.compute_seconds, no_speech=t.no_speech)

        self._decoder.submit(decode)

    def _on_decoded(self, event: TranscriptEvent) -> None:
        self.busy = False
        if event.kind == "final" and event.no_speech:
            self.status.emit(self.tr("No speech found in the clip ({seconds:.1f} s of silence, noise or a tone; "
                                     "nothing was transcribed)").format(seconds=event.end), "ready")
        elif event.kind == "final":
            self.status.emit(self.tr("{engine}: {seconds:.1f} s of audio in {compute:.1f} s").format(
                engine=self.recognizer.name if self.recognizer else "", seconds=event.end, compute=event.compute_s),
                "ready")
        self.event.emit(event)
