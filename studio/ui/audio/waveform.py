"""The waveform: scrolls while recording, shows the whole clip after; zoom in to see the samples.

While recording, the last few seconds of the ring are drawn at the recorder's 30 Hz tick with the
time axis following the newest sample. Once stopped (or a file is loaded) the whole clip is shown
and the mouse wheel zooms in until every sample appears as a stem.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from studio.ui import theme
from studio.ui.audio.traces import SampledTrace
from studio.ui.common import plots

LIVE_SECONDS = 5.0


class WaveformView:
    """Owns one themed plot (`widget`) and the trace drawn on it."""

    def __init__(self, parent: QWidget | None = None):
        # not a QObject: its texts live in their own translation context
        self._clip_label = QCoreApplication.translate("WaveformView", "time")
        self._live_label = QCoreApplication.translate("WaveformView", "time before now")
        self.end_time = 0.0
        self.widget = plots.make_plot(left=QCoreApplication.translate("WaveformView", "amplitude"),
                                      bottom=self._clip_label, bottom_units="s", min_height=170)
        self.widget.setObjectName("audioWaveform")
        self.plot_item = self.widget.getPlotItem()
        self.plot_item.setMouseEnabled(x=True, y=False)
        self.plot_item.setYRange(-1.0, 1.0, padding=0.04)
        self.plot_item.getViewBox().setLimits(yMin=-1.1, yMax=1.1)
        # pyqtgraph's grid is painted with the axes, full-width and translucent: ~13 ms a frame in
        # software rendering, most of a 30 Hz budget. A few fixed guide lines look the same for less.
        self.plot_item.showGrid(x=False, y=False)
        self.guides = [pg.InfiniteLine(pos=v, angle=0, movable=False) for v in (-0.5, 0.0, 0.5)]
        self.second_marks = [pg.InfiniteLine(pos=-float(k), angle=90, movable=False) for k in range(1, int(LIVE_SECONDS))]
        for line in self.guides + self.second_marks:
            self.plot_item.addItem(line)
        self.plot_item.setXRange(-LIVE_SECONDS, 0.0, padding=0)  # empty until a recording or a file
        self.trace = SampledTrace(self.widget, "signal", width=1.0)  # a 1 px pen strokes 4x faster
        self.live = False
        self.frames_drawn = 0

    def show_live(self, samples: np.ndarray, rate: int, end_time: float) -> None:
        """Draw the newest samples with the last one at 0 s ("now") and older ones to the left.

        The axis stays put while the sound scrolls through it: regenerating moving tick labels at
        30 Hz would cost the GUI thread more than drawing the sound itself. `end_time` (seconds
        recorded so far) is kept for the caption.
        """
        item = self.plot_item
        if not self.live:
            for line in self.second_marks:
                line.setVisible(True)
            item.getViewBox().setLimits(xMin=None, xMax=None)
            item.setLabel("bottom", self._live_label, units="s")
            item.setXRange(-LIVE_SECONDS, 0.0, padding=0)
        self.live = True
        self.end_time = end_time
        self.trace.set_data(samples, rate, -samples.shape[0] / rate)
        self.frames_drawn += 1

    def show_clip(self, samples: np.ndarray, rate: int) -> None:
        self.live = False
        for line in self.second_marks:
            line.setVisible(False)
        self.plot_item.setLabel("bottom", self._clip_label, units="s")
        self.trace.set_data(samples, rate, 0.0)
        span = samples.shape[0] / rate if rate else 0.0
        self.plot_item.getViewBox().setLimits(xMin=-0.05 * max(span, 0.01), xMax=max(span, 0.01) * 1.05)
        self.plot_item.setXRange(0.0, max(span, 0.01), padding=0.01)

    def zoom_to(self, start_s: float, seconds: float) -> None:
        self.plot_item.setXRange(start_s, start_s + seconds, padding=0)

    def restyle(self) -> None:
        plots.restyle(self.widget)  # the grid stays off
        c = QColor(theme.current_colors()["border"])
        for line in self.guides + self.second_marks:
            line.setPen(pg.mkPen(c, width=1))
        self.trace.restyle()
