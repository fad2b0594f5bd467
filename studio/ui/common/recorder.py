"""The panel's side of microphone capture: devices, record/stop, and a 30 Hz poll of the ring.

The PortAudio callback (in `studio.core.audio.capture`) only copies into the ring; it never
touches Qt. This object owns a QTimer on the GUI thread that polls the capture's cheap,
non-blocking calls (`ring.latest`, `levels`, `state`) and emits `tick`; views redraw from that.
A device that disappears mid-recording turns into `lost` with what was recorded kept.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.audio.capture import Capture, InputDevice, list_input_devices
from studio.core.errors import UserError

REFRESH_HZ = 30
RATES = (8000, 16000, 22050, 44100, 48000)
"""Rates offered besides the device's default (what the sampling lesson compares)."""


class Recorder(QObject):
    started = Signal()
    tick = Signal()
    """~30 times a second while recording."""
    finished = Signal(object, int, str)
    """(mono float32 samples, rate, message or "") once recording stopped or the device was lost."""
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, stream_factory=None):
        super().__init__(parent)
        self.capture: Capture | None = None
        self.devices: list[InputDevice] = []
        self.device_error: str | None = None
        self._stream_factory = stream_factory
        self._active = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 / REFRESH_HZ))
        self.timer.timeout.connect(self._poll)

    @property
    def has_stream_factory(self) -> bool:
        """True when streams come from an injected factory (tests) rather than PortAudio devices."""
        return self._stream_factory is not None

    # -- devices -----------------------------------------------------------------------------------
    def refresh_devices(self, rescan: bool = False) -> list[InputDevice]:
        """Ask PortAudio for the input devices, restarting it first to find devices plugged in since
        (`rescan`, never while recording); on failure keep the reason to show (never raise)."""
        try:
            self.devices = list_input_devices(rescan=rescan and not self.recording)
            self.device_error = None  # an empty list: the panel says "no audio input device found" itself
        except UserError as exc:
            self.devices = []
            self.device_error = exc.one_line()
        return self.devices

    # -- recording ---------------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self.capture is not None and self.capture.state == "recording"

    def start(self, device: int | str | None, rate: int | None) -> bool:
        if self.recording:
            return True
        capture = Capture(device=device, rate=rate, ring_seconds=60.0, stream_factory=self._stream_factory)
        try:
            capture.start()
        except UserError as exc:
            self.failed.emit(exc.one_line())
            return False
        self.capture = capture
        self._active = True
        self.timer.start()
        self.started.emit()
        return True

    def stop(self) -> None:
        if self._active:
            self._finish("")

    def _poll(self) -> None:
        capture = self.capture
        if capture is None or not self._active:
            self.timer.stop()
            return
        if capture.state == "lost":
            self._finish(capture.error or self.tr("the input device was lost; recording stopped"))
            return
        self.tick.emit()

    def _finish(self, message: str) -> None:
        self._active = False
        self.timer.stop()
        capture = self.capture
        samples = capture.stop()
        mono = samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0].copy()
        self.finished.emit(mono, capture.rate, message)

    def latest(self, seconds: float) -> np.ndarray:
        """The newest `seconds` of mono audio (what the scrolling waveform draws)."""
        capture = self.capture
        if capture is None or capture.ring is None:
            return np.zeros(0, np.float32)
        block = capture.ring.latest(int(seconds * capture.rate))
        return block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
