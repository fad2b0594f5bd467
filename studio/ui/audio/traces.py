"""A sampled signal drawn the way the lesson needs it: a line from afar, stems up close.

Zoomed out, thousands of samples per pixel are drawn as a min/max envelope (pyqtgraph's peak
downsampling). Zoom in far enough that only a few hundred samples are visible and each sample
appears as a dot on a stem from zero: the discrete nature of digital audio becomes visible.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from studio.ui.common import plots, style

STEM_LIMIT = 400
"""Stems are drawn when at most this many samples are visible."""


class SampledTrace:
    def __init__(self, plot: pg.PlotWidget, color: str = "signal", stem_limit: int = STEM_LIMIT,
                 line: bool = True, name: str | None = None, width: float = 1.4, symbol_size: float = 6.0,
                 steps: bool = False, alpha: int = 255):
        self.plot = plot
        self.color = color
        self.stem_limit = stem_limit
        self.width = width
        self.steps = steps
        """Up close, hold each value until the next sample (a quantizer's staircase)."""
        self.alpha = alpha
        self.symbol_size = symbol_size
        self.t0 = 0.0
        self.rate = 1.0
        self.samples = np.zeros(0, np.float32)
        self.curve = pg.PlotDataItem(name=name if line else None)
        self._line = line
        self.curve.setVisible(line)
        self.stems = pg.PlotDataItem(connect="pairs")
        self.dots = pg.ScatterPlotItem(size=symbol_size, pxMode=True, name=None if line else name)
        for item in (self.curve, self.stems, self.dots):
            plot.addItem(item)
        self.restyle()
        plot.getPlotItem().getViewBox().sigXRangeChanged.connect(lambda *_: self.update_stems())

    def restyle(self) -> None:
        self.curve.setPen(plots.pen(style.trace_color(self.color), self.width, self.alpha))
        self.stems.setPen(plots.pen(style.trace_color(self.color), 1.0, 150))
        self.dots.setPen(plots.pen(style.trace_color(self.color), 1.0))
        self.dots.setBrush(plots.brush(style.trace_color(self.color)))

    def set_data(self, samples: np.ndarray, rate: float, t0: float = 0.0) -> None:
        self.samples = np.asarray(samples, dtype=np.float32)
        self.rate = float(rate)
        self.t0 = float(t0)
        self.update_stems()

    def visible_slice(self) -> tuple[int, int]:
        (x0, x1), _ = self.plot.getPlotItem().getViewBox().viewRange()
        n = self.samples.shape[0]
        a = int(np.clip(np.floor((x0 - self.t0) * self.rate), 0, n))
        b = int(np.clip(np.ceil((x1 - self.t0) * self.rate) + 1, 0, n))
        return a, b

    @property
    def stems_shown(self) -> bool:
        return self.dots.isVisible() and len(self.dots.data) > 0

    def update_curve(self, a: int, b: int) -> None:
        """Draw samples a..b: as they are when few, else as a min/max envelope of ~2 points per pixel.

        Qt's raster engine strokes hundreds of thousands of segments slowly (~0.2 s for 5 s of
        44.1 kHz audio), which would starve a 30 Hz refresh; the envelope looks the same.
        """
        if not self._line:
            return
        a, b = max(0, a - 1), min(self.samples.shape[0], b + 1)
        y = self.samples[a:b]
        pixels = max(200, int(self.plot.getPlotItem().getViewBox().width()) or 1000)
        per_bin = y.shape[0] // pixels
        if per_bin >= 2:
            n = y.shape[0] // per_bin
            bins = y[: n * per_bin].reshape(n, per_bin)
            env = np.empty(2 * n, np.float32)
            env[0::2], env[1::2] = bins.min(axis=1), bins.max(axis=1)
            t = self.t0 + (a + np.repeat(np.arange(n) * per_bin, 2) + np.tile([0, per_bin // 2], n)) / self.rate
            self.curve.setData(t, env)
        elif self.steps and y.shape[0]:
            t = self.t0 + np.arange(a, b + 1, dtype=np.float64) / self.rate
            self.curve.setData(np.repeat(t, 2)[1:-1], np.repeat(y, 2))
        else:
            self.curve.setData(self.t0 + np.arange(a, b, dtype=np.float64) / self.rate, y)

    def update_stems(self) -> None:
        a, b = self.visible_slice()
        self.update_curve(a, b)
        if b - a > self.stem_limit or b <= a:
            self.stems.setData([], [])
            self.dots.setData([], [])
            self.dots.setVisible(False)
            return
        y = self.samples[a:b]
        t = self.t0 + np.arange(a, b, dtype=np.float64) / self.rate
        self.stems.setData(np.repeat(t, 2), np.column_stack([np.zeros_like(y), y]).ravel())
        self.dots.setData(t, y)
        self.dots.setVisible(True)

    def set_visible(self, visible: bool) -> None:
        self._line = visible
        for item in (self.curve, self.stems, self.dots):
            item.setVisible(visible)
