"""The waveform: scrolls while recording, shows the whole clip after; zoom in to see the samples.

While recording, the last few seconds of the ring are drawn at the recorder's 30 Hz tick with the
time axis following the newest sample. Once stopped (or a file is loaded) the whole clip is shown
and the mouse wheel zooms in until every sample appears as a stem.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from studio.ui.audio import style
from studio.ui.audio.traces import SampledTrace

LIVE_SECONDS = 5.0


class WaveformView:
    """Owns one themed plot (`widget`) and the trace drawn on it."""

    def __init__(self, parent: QWidget | None = None):
        self.widget = style.make_plot(x_label=parent.tr("time") if parent else "time", x_units="s",
                                      y_label=parent.tr("amplitude") if parent else "amplitude", min_height=170)
        self.widget.setObjectName("audioWaveform")
        self.plot_item = self.widget.getPlotItem()
        self.plot_item.setMouseEnabled(x=True, y=False)
        self.plot_item.setYRange(-1.0, 1.0, padding=0.04)
        self.plot_item.getViewBox().setLimits(yMin=-1.1, yMax=1.1)
        self.trace = SampledTrace(self.widget, "signal")
        self.live = False
        self.frames_drawn = 0

    def show_live(self, samples: np.ndarray, rate: int, end_time: float) -> None:
        """Draw the newest samples so that the last one sits at `end_time` seconds."""
        if not self.live:
            self.plot_item.getViewBox().setLimits(xMin=None, xMax=None)
        self.live = True
        t0 = end_time - samples.shape[0] / rate
        self.trace.set_data(samples, rate, t0)
        self.plot_item.setXRange(max(0.0, end_time - LIVE_SECONDS), max(LIVE_SECONDS, end_time), padding=0)
        self.frames_drawn += 1

    def show_clip(self, samples: np.ndarray, rate: int) -> None:
        self.live = False
        self.trace.set_data(samples, rate, 0.0)
        span = samples.shape[0] / rate if rate else 0.0
        self.plot_item.getViewBox().setLimits(xMin=-0.05 * max(span, 0.01), xMax=max(span, 0.01) * 1.05)
        self.plot_item.setXRange(0.0, max(span, 0.01), padding=0.01)

    def zoom_to(self, start_s: float, seconds: float) -> None:
        self.plot_item.setXRange(start_s, start_s + seconds, padding=0)

    def restyle(self) -> None:
        style.restyle(self.widget)
        self.trace.restyle()
