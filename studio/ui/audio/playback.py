"""A/B listening: play the original or the resampled/quantized version through the sound card.

Playback goes through sounddevice's non-blocking `play` (PortAudio runs it on its own thread), so
the GUI never waits. A resampled signal is played back reconstructed at the original rate, the
way a DAC would: what was lost (or folded) by sampling is what the user hears.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from studio.core.errors import UserError


class Player(QObject):
    message = Signal(str)
    """A line to show when playback cannot happen (no output device, PortAudio missing)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.last_played: str | None = None

    def play(self, samples: np.ndarray, rate: int, label: str) -> bool:
        x = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
        if x.shape[0] == 0:
            self.message.emit(self.tr("Nothing to play yet: record, open a WAV file, or pick a tone."))
            return False
        try:
            import sounddevice as sd
        except OSError:
            self.message.emit(self.tr("Playback is unavailable: the PortAudio library is missing "
                                      "(Debian/Ubuntu: apt-get install libportaudio2)."))
            return False
        try:
            sd.stop()
            sd.play(x, int(rate))
        except (sd.PortAudioError, ValueError, UserError) as exc:
            self.message.emit(self.tr("Cannot play through the default output device ({error}).").format(error=exc))
            return False
        self.last_played = label
        return True

    def stop(self) -> None:
        if self.last_played is None:
            return  # never played: importing sounddevice now would start PortAudio just to quit
        try:
            import sounddevice as sd

            sd.stop()
        except Exception:  # nothing was playing, or PortAudio is missing: either way, silence
            pass
