"""The Try view's ear, for a run trained on sound: a Listen toggle over the microphone, or a WAV file.

Recording is the Audio lab's (`studio.ui.common.recorder.Recorder` over `studio.core.audio.capture`);
the words are cut out of the stream by the lab's endpointer (`studio.core.predict.WordListener`:
the energy VAD, the Silero gate) on its own thread, and each one is answered there by the model. A
timer polls the answers every `POLL_MS` and emits `heard`. A missing microphone or a device that
goes away is a message here (`failed`); the window carries on.

The input device is picked in a list (`device`), filled the way the Audio lab fills its own: the
devices PortAudio knows when the ear is first shown, the system default selected; the reload button
asks PortAudio to look again (devices plugged in since). Listen records from the device chosen; one that is no
longer in the list when Listen is pressed is said by name, and the list is filled afresh.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.ui import theme
from studio.ui.common.file_drops import FileDrops
from studio.ui.common.meter import LevelMeterBar
from studio.ui.common.recorder import Recorder

POLL_MS = 15
"""How often the answers of the listener's thread are looked for (a small part of the 0.3 s budget)."""
SIDE = 280
SOUND_SUFFIXES = (".wav", ".wave")


def is_sound_file(path: Path) -> bool:
    return Path(path).suffix.lower() in SOUND_SUFFIXES


class ListenPanel(FileDrops, QFrame):
    """The Listen toggle, the level meter, Open sound… and a square that takes a dropped WAV file.

    `heard(HeardWord)` for every utterance answered; `sound_chosen(path)` for a file chosen or dropped
    (the view predicts it: errors are its to show); `failed(message)` when recording cannot start or
    stops on its own."""

    heard = Signal(object)
    sound_chosen = Signal(object)
    failed = Signal(str)
    listening_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, stream_factory=None):
        super().__init__(parent)
        self.setObjectName("tryListen")
        self.setFixedWidth(SIDE)
        self.predictor = None
        """The predictor the listener's thread uses (a fork: never the view's own)."""
        self.listener = None
        self.recorder = Recorder(self, stream_factory=stream_factory)
        self.recorder.failed.connect(self._record_failed)
        self.recorder.finished.connect(self._record_finished)
        self.recorder.tick.connect(self._tick)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._drain)
        self._hover = False
        self._devices_loaded = False
        self.devices: list = []
        """The input devices listed in `device` (`studio.core.audio.capture.InputDevice`)."""

        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(10)
        devices = QHBoxLayout()
        devices.setSpacing(6)
        self.device = QComboBox()
        self.device.setObjectName("tryDevice")
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(12)
        self.device.setToolTip(self.tr("The microphone Listen records from"))
        devices.addWidget(self.device, 1)
        self.refresh_button = QPushButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setObjectName("tryRefreshDevices")
        self.refresh_button.setToolTip(self.tr("Look for input devices again"))
        self.refresh_button.clicked.connect(lambda: self.load_devices(rescan=True))
        devices.addWidget(self.refresh_button)
        column.addLayout(devices)
        self.listen_button = QPushButton(self.tr("Listen"))
        self.listen_button.setObjectName("Primary")
        self.listen_button.setCheckable(True)
        self.listen_button.setToolTip(self.tr("Record from the microphone: each word you say is answered "
                                              "as soon as you stop"))
        self.listen_button.toggled.connect(self._toggled)
        column.addWidget(self.listen_button)
        self.meter = LevelMeterBar()
        self.meter.setMinimumWidth(120)
        column.addWidget(self.meter)
        self.state = QLabel()
        self.state.setObjectName("Muted")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.state, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open sound…"))
        self.open_button.setObjectName("tryOpenSound")
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addStretch(1)
        column.addLayout(row)
        self._show_idle()

    # --- devices --------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._devices_loaded:
            self.load_devices()

    def load_devices(self, rescan: bool = False, keep: tuple[int, str] | None = None) -> None:
        """Fill the list with the input devices (PortAudio restarted first with `rescan`, never while
        listening); the device `keep` (index, name) stays chosen when it is still there, else the default."""
        from studio.core.audio import capture
        from studio.core.errors import UserError

        if self.recorder.recording:
            return
        keep = keep if keep is not None else self.chosen_device()
        self._devices_loaded = True
        try:
            self.devices = capture.list_input_devices(rescan=rescan)
            reason = None
        except UserError as exc:
            self.devices, reason = [], exc.one_line()
        self.device.blockSignals(True)
        self.device.clear()
        chosen = None
        for d in self.devices:
            text = d.name + (self.tr(" (default)") if d.is_default and d.name.lower() != "default" else "")
            self.device.addItem(text, (d.index, d.name))
            self.device.setItemData(self.device.count() - 1, d.label(), Qt.ItemDataRole.ToolTipRole)
            if (d.index, d.name) == keep or (chosen is None and d.is_default):
                chosen = self.device.count() - 1
        if self.devices:
            self.device.setCurrentIndex(chosen or 0)
        else:
            self.device.addItem(self.tr("no input device"), None)
            self.device.setItemData(0, reason or self.tr("no audio input device found"), Qt.ItemDataRole.ToolTipRole)
        self.device.setEnabled(bool(self.devices))
        self.device.blockSignals(False)

    def chosen_device(self) -> tuple[int, str] | None:
        """(PortAudio index, name) of the device chosen in the list; None when there is none."""
        data = self.device.currentData()
        return tuple(data) if data else None  # type: ignore[return-value]

    def _device_gone(self) -> str | None:
        """The message when the chosen device is no longer an input device PortAudio lists (the list is
        filled afresh then); None when it is there, or when there is no device at all (recording says so)."""
        from studio.core.audio import capture
        from studio.core.errors import UserError

        chosen = self.chosen_device()
        if chosen is None or self.recorder.has_stream_factory:
            return None
        try:
            now = capture.list_input_devices()
        except UserError:
            return None  # recording will say why PortAudio cannot list devices
        if not now or any((d.index, d.name) == chosen for d in now):
            return None
        self.load_devices()
        return self.tr("the input device “{name}” is gone: choose another one in the list, or plug it back in and "
                       "press the reload button next to it").format(name=chosen[1])

    # --- listening ------------------------------------------------------------------------------
    @property
    def listening(self) -> bool:
        return self.listener is not None

    def set_predictor(self, predictor) -> None:
        """The model that answers (None: none open; listening stops)."""
        self.stop()
        self.predictor = predictor
        self.listen_button.setEnabled(predictor is not None)

    def _toggled(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()

    def start(self) -> bool:
        """Start recording and listening for words; False (and `failed`) when the microphone cannot."""
        from studio.core.errors import UserError
        from studio.core.predict import WordListener

        if self.listening:
            return True
        if self.predictor is None:
            self._set_button(False)
            return False
        if not self._devices_loaded:
            self.load_devices()
        gone = self._device_gone()
        if gone is not None:
            self._record_failed(gone)
            return False
        chosen = self.chosen_device()
        if not self.recorder.start(chosen[0] if chosen is not None else None, None):
            self._set_button(False)
            return False
        capture = self.recorder.capture
        try:
            self.listener = WordListener(self.predictor, capture.rate).start(capture.ring, capture.ring.written)
        except UserError as exc:
            self.recorder.stop()
            self._record_failed(exc.one_line())
            return False
        self._poll.start()
        self._set_button(True)
        self.state.setText(self.tr("Listening: say one word, then pause."))
        self.listening_changed.emit(True)
        return True

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        self._poll.stop()
        if listener is not None:
            listener.request_stop()
            self.recorder.stop()
            listener.stop()
            for word in listener.poll():  # the word cut short by the stop
                self.heard.emit(word)
            self.listening_changed.emit(False)
        self._set_button(False)
        self._show_idle()

    def _set_button(self, on: bool) -> None:
        self.device.setEnabled(not on and bool(self.devices))
        self.refresh_button.setEnabled(not on)
        self.listen_button.blockSignals(True)
        self.listen_button.setChecked(on)
        self.listen_button.setText(self.tr("Stop listening") if on else self.tr("Listen"))
        self.listen_button.blockSignals(False)

    def _drain(self) -> None:
        if self.listener is None:
            return
        for word in self.listener.poll():
            self.heard.emit(word)

    def _tick(self) -> None:
        capture = self.recorder.capture
        if capture is not None:
            self.meter.set_levels(capture.levels())

    def _record_failed(self, message: str) -> None:
        self._set_button(False)
        self.state.setText(self.tr("The microphone cannot record."))
        self.failed.emit(message)

    def _record_finished(self, _samples: np.ndarray, _rate: int, message: str) -> None:
        if message:  # the device went away: what was heard is answered, then it says so
            listener, self.listener = self.listener, None
            self._poll.stop()
            if listener is not None:
                listener.stop()
                for word in listener.poll():
                    self.heard.emit(word)
                self.listening_changed.emit(False)
            self._set_button(False)
            self.state.setText(self.tr("Recording stopped."))
            self.failed.emit(message)

    def _show_idle(self) -> None:
        self.state.setText(self.tr("Press Listen and say a word, or drop a WAV file here."))

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.stop()  # the microphone is never left recording behind another panel
        super().hideEvent(event)

    # --- dropped files (studio.ui.common.file_drops) ------------------------------------------
    single_file = True

    def accepts_file(self, path: Path) -> bool:
        return is_sound_file(path)

    def open_file(self, path: Path) -> bool:
        self.sound_chosen.emit(path)
        return True

    def show_hover(self, on: bool) -> None:
        self._hover = on
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        c = theme.current_colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self._hover or self.listening
        painter.setPen(QPen(QColor(c["accent"] if accent else c["border"]), 3 if self._hover else (2 if accent else 1)))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        painter.end()


def logmel_rgb(features: np.ndarray) -> np.ndarray:
    """(bands, frames) features as an (bands, frames, 3) uint8 picture: low bands at the bottom,
    quiet dark and loud bright (viridis), scaled between the array's own minimum and maximum."""
    import pyqtgraph as pg

    f = np.asarray(features, dtype=np.float32)[::-1]
    lo, hi = float(f.min()), float(f.max())
    scaled = (f - lo) / (hi - lo) if hi > lo else np.zeros_like(f)
    try:
        table = pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256, alpha=False)
    except Exception:  # an old pyqtgraph without bundled maps: a grey ramp
        table = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    return np.ascontiguousarray(table[np.clip((scaled * 255).astype(np.int32), 0, 255)][..., :3], dtype=np.uint8)
