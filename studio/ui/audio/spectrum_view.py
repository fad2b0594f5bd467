"""Spectrum and log-mel spectrogram: the picture a speech model such as Whisper is fed.

The log-mel image is `studio.core.audio.spectrum.log_mel_spectrogram` of the sound at 16 kHz:
80 mel bands, a frame every 10 ms. While recording it follows the last seconds of the microphone
(at a third of the 30 Hz tick, which is plenty for a picture that moves 10 ms per column).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio.core.audio.sampling import resample
from studio.core.audio.spectrum import (
    WHISPER_HOP,
    WHISPER_N_MELS,
    WHISPER_RATE,
    log_mel_spectrogram,
)
from studio.ui.audio.images import ImagePlot, spectrogram_db
from studio.ui.common import plots, style

LIVE_SECONDS = 4.0
SILENCE_LOG10 = -10.0
"""log_mel_spectrogram's floor (log10 of 1e-10): what all-zero input gives."""
SPECTRUM_FFT = 4096


def average_spectrum(samples: np.ndarray, rate: int, n_fft: int = SPECTRUM_FFT) -> tuple[np.ndarray, np.ndarray]:
    """Mean power over Hann frames (dB re a full-scale sine): steadier than one frame of speech."""
    n = min(n_fft, 1 << int(np.floor(np.log2(max(2, samples.shape[0])))))
    db, _ = spectrogram_db(samples, rate, n_fft=n, hop=n // 2, floor_db=-300.0)
    power = np.mean(10.0 ** (db / 10.0), axis=0)
    return np.fft.rfftfreq(n, 1.0 / rate), np.maximum(10.0 * np.log10(np.maximum(power, 1e-12)), -120.0)


class SpectrumView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audioSpectrumView")
        self.log_mel = np.zeros((WHISPER_N_MELS, 0), np.float32)
        self._pending: tuple[np.ndarray, int] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        self.info = QLabel(self.tr("Log-mel spectrogram: 80 mel bands every 10 ms at 16 kHz, log10 power within "
                                   "80 dB of the loudest — exactly what Whisper's encoder receives."))
        self.info.setObjectName("Hint")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.mel_plot = plots.make_plot(left=self.tr("mel band"), bottom=self.tr("time"), bottom_units="s", min_height=200)
        self.mel_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        self.mel_plot.getPlotItem().showGrid(x=False, y=False)  # a grid over an image only adds paint time
        self.mel_image = ImagePlot(self.mel_plot)
        layout.addWidget(self.mel_plot, 3)
        row = QHBoxLayout()
        self.spectrum_plot = plots.make_plot(left=self.tr("level"), left_units="dBFS", bottom=self.tr("frequency"), bottom_units="Hz",
                                             min_height=170)
        self.spectrum_plot.getPlotItem().setTitle(self.tr("average spectrum"), size="9pt")
        self.spectrum_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        self.spectrum_curve = pg.PlotDataItem()
        self.spectrum_plot.addItem(self.spectrum_curve)
        row.addWidget(self.spectrum_plot)
        layout.addLayout(row, 2)
        self.restyle()

    def set_clip(self, samples: np.ndarray | None, rate: int) -> None:
        if samples is None or samples.shape[0] < 2:
            self._pending = None
            self.log_mel = np.zeros((WHISPER_N_MELS, 0), np.float32)
            self.mel_image.set_image(self.log_mel.T, (0, 1), (0, WHISPER_N_MELS), (0, 1))
            self.spectrum_curve.setData([], [])
            return
        self._pending = (samples, int(rate))
        if self.isVisible():
            self._draw_pending()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_pending()

    def _draw_pending(self) -> None:
        if self._pending is not None:
            samples, rate = self._pending
            self._pending = None
            self.draw(samples, rate)

    def draw(self, samples: np.ndarray, rate: int, t0: float = 0.0, resampled: bool = True) -> None:
        """`resampled=False` (live) computes the same 25 ms / 10 ms mel frames at the capture rate,
        sparing a resampling of the last seconds at every refresh."""
        if resampled or rate == WHISPER_RATE:
            x16 = samples if rate == WHISPER_RATE else resample(samples, rate, WHISPER_RATE)
            self.log_mel = log_mel_spectrogram(x16)
        else:
            hop = int(round(rate * WHISPER_HOP / WHISPER_RATE))
            self.log_mel = log_mel_spectrogram(samples, rate, n_fft=int(round(rate * 0.025)), hop=hop)
        seconds = self.log_mel.shape[1] * WHISPER_HOP / WHISPER_RATE
        top = float(self.log_mel.max()) if self.log_mel.size else 0.0
        # The image spans 8 decades under the loudest value, but never reaches below the log10 floor
        # of digital silence: a silent window then reads dark, not uniformly "loud".
        low = max(top - 8.0, SILENCE_LOG10)
        self.mel_image.set_image(self.log_mel.T, (t0, t0 + seconds), (0, WHISPER_N_MELS), (low, max(top, low + 6.0)))
        item = self.mel_plot.getPlotItem()
        item.setXRange(t0, t0 + max(seconds, 0.5), padding=0)
        item.setYRange(0, WHISPER_N_MELS, padding=0)
        freqs, db = average_spectrum(samples, rate)
        self.spectrum_curve.setData(freqs, db)
        self.spectrum_plot.getPlotItem().setXRange(0, rate / 2, padding=0.01)
        self.spectrum_plot.getPlotItem().setYRange(-110.0, 5.0, padding=0)

    def draw_live(self, samples: np.ndarray, rate: int, end_time: float) -> None:
        if samples.shape[0] >= 2:
            self.draw(samples, rate, end_time - samples.shape[0] / rate, resampled=False)

    def restyle(self) -> None:
        plots.restyle(self.mel_plot)
        self.mel_plot.getPlotItem().showGrid(x=False, y=False)
        plots.restyle(self.spectrum_plot)
        self.spectrum_curve.setPen(plots.pen(style.trace_color("signal"), 1.3))
