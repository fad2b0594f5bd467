"""What the sampling and quantization views work on: the recording, a tone, or a sweep.

Generated signals stand in for "the analog world": they are computed at 48 kHz, far above what
any of the lesson's target rates can hold, so resampling them down shows what sampling loses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

from studio.core.audio.signals import sweep, tone

ANALOG_RATE = 48000
TONE_SECONDS = 1.0
SWEEP_SECONDS = 3.0
SWEEP_RANGE_HZ = (50.0, 20000.0)
ANALYSIS_SECONDS = 10.0
"""At most this much of a recording is analysed (keeps every recompute well under 0.1 s)."""


@dataclass(frozen=True)
class SourceSignal:
    samples: np.ndarray
    rate: int
    kind: str
    """"recording", "tone" or "sweep"."""
    freq_hz: float = 0.0


class KindCombo(QComboBox):
    """A combo as wide as its chosen item, not as its widest one.

    "Sweep 50 Hz → 20 kHz" is long, and a combo sized for it, beside the tone's frequency box,
    made the Audio panel wider than a 1280-px window. Sized for the chosen item, the row is as
    wide as its widest state instead: the sweep hides the frequency box it grows over. The open
    list still shows every item whole (QComboBox widens its popup to the widest item).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentIndexChanged.connect(lambda _index: self.updateGeometry())

    def _narrowed(self, hint: QSize) -> QSize:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        chosen = metrics.horizontalAdvance(self.currentText())
        return QSize(hint.width() - max(widest - chosen, 0), hint.height())

    def sizeHint(self) -> QSize:
        return self._narrowed(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._narrowed(super().minimumSizeHint())


class SourcePicker(QWidget):
    """Signal: [Recording | Tone | Sweep] and the tone's frequency."""

    changed = Signal()

    def __init__(self, default: str = "tone", freq_hz: float = 1000.0, amplitude: float = 1.0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.amplitude = amplitude
        self._clip: tuple[np.ndarray, int] | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(QLabel(self.tr("Signal")))
        self.kind = KindCombo()
        self.kind.setObjectName("audioSourceKind")
        self.kind.addItem(self.tr("Recording"), "recording")
        self.kind.addItem(self.tr("Tone"), "tone")
        self.kind.addItem(self.tr("Sweep 50 Hz → 20 kHz"), "sweep")
        self.kind.setCurrentIndex(self.kind.findData(default))
        row.addWidget(self.kind)
        self.freq = QDoubleSpinBox()
        self.freq.setObjectName("audioToneFreq")
        self.freq.setRange(20.0, 23000.0)
        self.freq.setDecimals(0)
        self.freq.setSingleStep(100.0)
        self.freq.setSuffix(" Hz")
        self.freq.setValue(freq_hz)
        self.freq.setKeyboardTracking(False)
        row.addWidget(self.freq)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.freq.valueChanged.connect(lambda _v: self.changed.emit())
        self._kind_changed()

    def _kind_changed(self, *_args) -> None:
        self.freq.setVisible(self.kind.currentData() == "tone")
        self.changed.emit()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def set_clip(self, samples: np.ndarray | None, rate: int = 0) -> None:
        self._clip = None if samples is None or samples.shape[0] == 0 else (samples, int(rate))
        if self.kind.currentData() == "recording":
            self.changed.emit()

    @property
    def has_clip(self) -> bool:
        return self._clip is not None

    def signal(self) -> SourceSignal | None:
        kind = self.kind.currentData()
        if kind == "recording":
            if self._clip is None:
                return None
            samples, rate = self._clip
            return SourceSignal(samples[: int(ANALYSIS_SECONDS * rate)], rate, kind)
        if kind == "tone":
            f = float(self.freq.value())
            return SourceSignal(tone(f, TONE_SECONDS, ANALOG_RATE, self.amplitude), ANALOG_RATE, kind, f)
        lo, hi = SWEEP_RANGE_HZ
        return SourceSignal(sweep(lo, hi, SWEEP_SECONDS, ANALOG_RATE, 0.8), ANALOG_RATE, kind)
