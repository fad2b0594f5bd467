"""Quantization: pick 1-16 bits and see the staircase, the error, its histogram and the SQNR.

Everything shown is computed by `studio.core.audio.quantize`: the staircase is `quantize(...)`'s
samples, the error its `error`, the SQNR `sqnr_db` of the two, set next to the textbook
6.02·N + 1.76 dB (`theoretical_sqnr_db`), which holds for a full-scale sine. A generated tone is
scaled to the quantizer's full scale (its peak on the top level, as AES17 defines full scale), so the
first picture lands on the textbook line at every bit depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.audio.quantize import (
    MODES,
    Quantized,
    error_histogram,
    full_scale_amplitude,
    quantize,
    sqnr_db,
    theoretical_sqnr_db,
)
from studio.ui.audio.lesson_view import LessonView
from studio.ui.audio.playback import Player
from studio.ui.audio.source import SourcePicker, SourceSignal
from studio.ui.audio.traces import SampledTrace
from studio.ui.common import plots, style

MAX_LEVEL_LINES = 64


@dataclass(frozen=True)
class QuantizationResult:
    source: SourceSignal
    quantized: Quantized
    sqnr_db: float
    theory_db: float
    full_scale_tone: bool = False
    """A generated tone scaled to the quantizer's full scale (so the textbook line applies)."""


def is_full_scale_tone(source: SourceSignal) -> bool:
    return source.kind == "tone" and source.samples.size > 0 and abs(float(np.max(np.abs(source.samples))) - 1.0) < 0.01


def compute_quantization(source: SourceSignal, bits: int, mode: str) -> QuantizationResult:
    full_scale = is_full_scale_tone(source)
    if full_scale:
        scaled = (source.samples * full_scale_amplitude(bits, mode)).astype(np.float32)
        source = SourceSignal(scaled, source.rate, source.kind, source.freq_hz)
    q = quantize(source.samples, bits, mode)
    return QuantizationResult(source, q, float(sqnr_db(source.samples, q.samples)), float(theoretical_sqnr_db(bits)),
                              full_scale)


def format_db(value: float) -> str:
    return "∞ dB" if not np.isfinite(value) else f"{value:.2f} dB"


class QuantizationView(LessonView):
    def __init__(self, player: Player, parent: QWidget | None = None):
        super().__init__(player, parent)
        self.setObjectName("audioQuantizationView")
        self._level_lines: list[pg.InfiniteLine] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        controls = QHBoxLayout()
        controls.setSpacing(14)
        self.source = SourcePicker(default="tone", freq_hz=440.0)
        controls.addWidget(self.source)
        controls.addWidget(QLabel(self.tr("Bits")))
        self.bits_slider = QSlider(Qt.Orientation.Horizontal)
        self.bits_slider.setRange(1, 16)
        self.bits_slider.setMinimumWidth(140)
        self.bits = QSpinBox()
        self.bits.setObjectName("audioBits")
        self.bits.setRange(1, 16)
        self.bits.setValue(4)
        self.bits_slider.setValue(4)
        controls.addWidget(self.bits_slider)
        controls.addWidget(self.bits)
        self.mode = QComboBox()
        self.mode.setObjectName("audioQuantizerMode")
        labels = {"mid-tread": self.tr("mid-tread (0 is a level, like PCM)"),
                  "mid-rise": self.tr("mid-rise (no level at 0)")}
        for mode in MODES:
            self.mode.addItem(labels[mode], mode)
        # mid-rise first: a full-scale sine fits it without clipping, so the first picture shows the
        # textbook 6.02·N + 1.76 dB; mid-tread (what PCM files store) is one click away
        self.mode.setCurrentIndex(self.mode.findData("mid-rise"))
        controls.addWidget(self.mode)
        controls.addStretch(1)
        layout.addLayout(controls)
        # A/B playback on its own row keeps the view narrow enough for a laptop screen.
        controls = QHBoxLayout()
        controls.setSpacing(14)
        controls.addWidget(QLabel(self.tr("Listen")))
        self.play_a = QPushButton(self.tr("▶ A: original"))
        self.play_b = QPushButton(self.tr("▶ B: quantized"))
        self.play_err = QPushButton(self.tr("▶ error"))
        self.play_err.setToolTip(self.tr("The quantization noise alone (B − A), made audible"))
        for b, name in ((self.play_a, "audioPlayOriginal"), (self.play_b, "audioPlayQuantized"),
                        (self.play_err, "audioPlayError")):
            b.setObjectName(name)
            controls.addWidget(b)
        controls.addStretch(1)
        layout.addLayout(controls)

        figures = QGridLayout()
        figures.setHorizontalSpacing(28)
        figures.setVerticalSpacing(2)
        self.sqnr_label = QLabel()
        self.sqnr_label.setObjectName("audioSqnrMeasured")
        self.theory_label = QLabel()
        self.theory_label.setObjectName("audioSqnrTheory")
        self.step_label = QLabel()
        self.step_label.setObjectName("audioQuantStep")
        self.clip_label = QLabel()
        self.clip_label.setObjectName("audioQuantClipped")
        for col, (caption, value) in enumerate([(self.tr("Measured SQNR"), self.sqnr_label),
                                                (self.tr("6.02·N + 1.76 dB"), self.theory_label),
                                                (self.tr("Levels and step"), self.step_label),
                                                (self.tr("Clipped samples"), self.clip_label)]):
            cap = QLabel(caption)
            cap.setObjectName("Muted")
            value.setObjectName(value.objectName())
            value.setStyleSheet("font-size: 15pt; font-weight: 600;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            figures.addWidget(cap, 0, col)
            figures.addWidget(value, 1, col)
        figures.setColumnStretch(4, 1)
        layout.addLayout(figures)
        self.note = QLabel()
        self.note.setObjectName("Hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        self.signal_plot = plots.make_plot(left=self.tr("amplitude"), bottom=self.tr("time"), bottom_units="s", min_height=180)
        self.signal_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        plots.add_legend(self.signal_plot)
        self.original_trace = SampledTrace(self.signal_plot, "second", stem_limit=0, name=self.tr("original"),
                                           width=1.2, alpha=200)
        self.stair_trace = SampledTrace(self.signal_plot, "signal", stem_limit=0, name=self.tr("quantized"),
                                        width=1.8, steps=True)
        self.original_curve, self.stair_curve = self.original_trace.curve, self.stair_trace.curve
        layout.addWidget(self.signal_plot, 3)

        lower = QHBoxLayout()
        lower.setSpacing(10)
        self.error_plot = plots.make_plot(left=self.tr("error"), bottom=self.tr("time"), bottom_units="s", min_height=150)
        self.error_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        self.error_plot.setXLink(self.signal_plot)
        self.error_plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        self.error_trace = SampledTrace(self.error_plot, "error", stem_limit=0, width=1.0)
        self.error_curve = self.error_trace.curve
        self.hist_plot = plots.make_plot(left=self.tr("% of samples"), bottom=self.tr("error / step"), min_height=150)
        self.hist_plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        self.hist_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.hist_bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.05)
        self.hist_plot.addItem(self.hist_bars)
        self.half_step = [pg.InfiniteLine(pos=p, angle=90, movable=False) for p in (-0.5, 0.5)]
        for line in self.half_step:
            self.hist_plot.addItem(line)
        lower.addWidget(self.error_plot, 3)
        lower.addWidget(self.hist_plot, 2)
        layout.addLayout(lower, 2)
        self.restyle()

        self.bits_slider.valueChanged.connect(self.bits.setValue)
        self.bits.valueChanged.connect(self.bits_slider.setValue)
        self.bits.valueChanged.connect(self.invalidate)
        self.mode.currentIndexChanged.connect(self.invalidate)
        self.source.changed.connect(self.invalidate)
        self.play_a.clicked.connect(self.play_original)
        self.play_b.clicked.connect(self.play_quantized)
        self.play_err.clicked.connect(self.play_error)

    # -- state -------------------------------------------------------------------------------------
    def set_bits(self, bits: int) -> None:
        self.bits.setValue(int(bits))

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(mode))

    # -- drawing -----------------------------------------------------------------------------------
    def recompute(self) -> None:
        self._dirty = False
        source = self.source.signal()
        if source is None:
            self.result = None
            for trace in (self.original_trace, self.stair_trace, self.error_trace):
                trace.set_data(np.zeros(0, np.float32), 1.0)
            for label in (self.sqnr_label, self.theory_label, self.step_label, self.clip_label):
                label.setText("—")
            self.note.setText(self.tr("No recording yet: press Record or open a WAV file, or pick a tone."))
            return
        r = compute_quantization(source, int(self.bits.value()), str(self.mode.currentData()))
        self.result = r
        q = r.quantized
        t = np.arange(source.samples.shape[0], dtype=np.float64) / source.rate
        self.original_trace.set_data(r.source.samples, source.rate)
        self.stair_trace.set_data(q.samples, source.rate)
        self.error_trace.set_data(q.error, source.rate)
        self._draw_levels(q)
        counts, edges = error_histogram(q.error, q.step)
        share = 100.0 * counts / max(1, counts.sum())
        centres = 0.5 * (edges[:-1] + edges[1:]) / q.step
        self.hist_bars.setOpts(x=centres, height=share, width=(edges[1] - edges[0]) / q.step * 0.9)
        self.hist_plot.getPlotItem().setXRange(-1.0, 1.0, padding=0.02)
        self.hist_plot.getPlotItem().setYRange(0.0, max(float(share.max()), 1e-3) * 1.1, padding=0)
        self.error_plot.getPlotItem().setYRange(-q.step, q.step, padding=0.05)
        if source.kind == "tone":
            span = min(t[-1], 2.5 / max(source.freq_hz, 1.0))
            start = 0.1
        else:
            span, start = min(0.02, t[-1]), 0.25 * t[-1]
        self.signal_plot.getPlotItem().setXRange(start, start + span, padding=0)
        self.signal_plot.getPlotItem().setYRange(-1.05, 1.05, padding=0)

        self.sqnr_label.setText(format_db(r.sqnr_db))
        self.theory_label.setText(format_db(r.theory_db))
        self.step_label.setText(self.tr("{levels:,} levels, step {step:.3g}").format(levels=1 << q.bits, step=q.step))
        self.clip_label.setText(f"{q.clipped:,}")
        self.note.setText(self.describe(r))

    def _draw_levels(self, q: Quantized) -> None:
        for line in self._level_lines:
            self.signal_plot.removeItem(line)
        self._level_lines = []
        levels = q.levels
        if levels.shape[0] > MAX_LEVEL_LINES:
            return
        level_pen = plots.pen(style.trace_color("marker"), 1.0, 60)
        for value in levels:
            line = pg.InfiniteLine(pos=float(value), angle=0, movable=False, pen=level_pen)
            self.signal_plot.addItem(line)
            self._level_lines.append(line)

    def describe(self, r: QuantizationResult) -> str:
        q = r.quantized
        diff = r.sqnr_db - r.theory_db
        if r.full_scale_tone:
            text = self.tr("A full-scale sine (its peak on the top level): the measured SQNR is {diff:+.2f} dB "
                           "from 6.02·{n} + 1.76 dB. Each extra bit halves the step and adds about 6 dB."
                           ).format(diff=diff, n=q.bits)
            if q.mode == "mid-tread":
                text += " " + self.tr("Mid-tread keeps a level at 0, so a symmetric sine uses one level "
                                      "fewer than 2^N and measures a little below the line.")
            return text
        return self.tr("6.02·N + 1.76 dB assumes a full-scale sine; quieter or busier signals measure lower "
                       "({diff:+.1f} dB here). Each extra bit adds about 6 dB.").format(diff=diff)

    def play_original(self) -> None:
        r = self.current()
        if r is not None:
            self.player.play(r.source.samples, r.source.rate, "original")

    def play_quantized(self) -> None:
        r = self.current()
        if r is not None:
            self.player.play(r.quantized.samples, r.source.rate, "quantized")

    def play_error(self) -> None:
        r = self.current()
        if r is not None:
            self.player.play(r.quantized.error, r.source.rate, "error")

    def restyle(self) -> None:
        for plot in (self.signal_plot, self.error_plot, self.hist_plot):
            plots.restyle(plot)
        for trace in (self.original_trace, self.stair_trace, self.error_trace):
            trace.restyle()
        error = style.trace_color("error")
        self.hist_bars.setOpts(brush=plots.brush(error, 170), pen=plots.pen(error, 0.5))
        for line in self.half_step:
            line.setPen(plots.pen(style.trace_color("marker"), 1.0, 255, Qt.PenStyle.DashLine))
