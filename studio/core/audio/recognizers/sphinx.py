"""pocketsphinx: a small HMM recognizer whose US-English model ships inside its wheel.

Always available offline and fast, but far less accurate than Whisper; the audio lab keeps it as
the fallback engine. It understands English only.
"""

from __future__ import annotations

import importlib.util
import threading

import numpy as np

from studio.core.audio.recognizers.base import Recognizer, Segment
from studio.core.errors import UserError

FRAME_S = 0.01
"""pocketsphinx reports word times in 10 ms frames."""
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]", "[UM]", "[UH]"}


class PocketsphinxRecognizer(Recognizer):
    name = "pocketsphinx"
    languages = ("en",)

    def __init__(self, **_ignored):
        from pocketsphinx import Decoder

        self._decoder = Decoder(samprate=self.sample_rate, loglevel="FATAL")
        self._lock = threading.Lock()

    @classmethod
    def unavailable_reason(cls, offline_only: bool = False, **_ignored) -> str | None:
        if importlib.util.find_spec("pocketsphinx") is None:
            return "pocketsphinx is not installed (pip install pocketsphinx)"
        return None

    def check_language(self, language: str | None) -> None:
        if language and language.split("-")[0].lower() != "en":
            raise UserError(f"pocketsphinx only knows English, not {language!r}",
                            "use --language en or the whisper engine")

    def _decode(self, samples: np.ndarray, language: str | None, partial: bool):
        self.check_language(language)
        pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()
        with self._lock:
            d = self._decoder
            d.start_utt()
            d.process_raw(pcm, full_utt=True)
            d.end_utt()
            words = [(seg.word, seg.start_frame, seg.end_frame) for seg in d.seg()]
        spoken = [(w.split("(")[0], a, b) for w, a, b in words if w not in _FILLERS]
        if not spoken:
            return [], "en"
        text = " ".join(w for w, _, _ in spoken)
        return [Segment(spoken[0][1] * FRAME_S, (spoken[-1][2] + 1) * FRAME_S, text)], "en"
