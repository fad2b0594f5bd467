"""Audio: the audio lab (page of what it will do)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.ui.panels.base import PlannedPanel


class AudioPanel(PlannedPanel):
    KEY = "audio"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("AudioPanel", "Audio")

    def heading(self) -> str:
        return self.tr("Audio lab")

    def lede(self) -> str:
        return self.tr("From the analog world to tokens: record the microphone, see what sampling and "
                       "quantization do to a signal, and watch speech turn into text as you speak.")

    def features(self) -> list[str]:
        return [
            self.tr("A live waveform and spectrogram of the microphone."),
            self.tr("Change the sample rate and bit depth and hear and see aliasing and quantization noise "
                    "(CD audio is 44,100 samples per second at 16 bits)."),
            self.tr("Live transcription with Whisper or PocketSphinx, fully offline."),
        ]

    def arrives_with(self) -> str:
        return self.tr("the audio lab issue")
