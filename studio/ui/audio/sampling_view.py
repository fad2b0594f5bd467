"""Sampling: pick a rate and see (and hear) what taking a sample every 1/f seconds keeps.

Top: the original signal as a line, the samples at the new rate as stems, and the band-limited
reconstruction from those samples (dashed): above f/2 it is a different, lower tone. Bottom: the
spectrum (tone, recording) or the spectrogram (sweep) after sampling, with f/2 marked; without the
anti-aliasing filter a tone above f/2 folds back to |f - f_s·round(f/f_s)|, which is marked too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.audio.sampling import ROLLOFF, resample
from studio.core.audio.signals import alias_frequency, sweep_frequency_at
from studio.core.audio.spectrum import Spectrum, magnitude_spectrum
from studio.ui.audio.images import ImagePlot, spectrogram_db
from studio.ui.audio.lesson_view import LessonView
from studio.ui.audio.playback import Player
from studio.ui.audio.source import SWEEP_RANGE_HZ, SWEEP_SECONDS, SourcePicker, SourceSignal
from studio.ui.audio.traces import SampledTrace
from studio.ui.common import plots, style

TARGET_RATES = (4000, 8000, 16000, 22050, 44100, 48000)
SPECTRUM_FFT = 1 << 15
"""At most this many source samples go into the spectrum pane (0.68 s at 48 kHz, 4.1 s at 8 kHz)."""
FLOOR_DB = -120.0
"""The spectrum pane's floor: digital silence is drawn here, inside the visible range."""
SILENCE_PEAK = 1e-5
"""A recording whose peak stays below this (a third of a 16-bit step) is digital silence."""


def loudest_window(samples: np.ndarray, n: int) -> int:
    """Start of the `n`-sample stretch of `samples` with the most energy.

    A recording usually begins with a pause (Record is pressed, then the user speaks): its spectrum
    must come from the sound, not from the first seconds of silence.
    """
    if samples.shape[0] <= n:
        return 0
    energy = np.concatenate([[0.0], np.cumsum(np.square(samples, dtype=np.float64))])
    return int(np.argmax(energy[n:] - energy[:-n]))


def is_silent(samples: np.ndarray) -> bool:
    return samples.shape[0] == 0 or float(np.abs(samples).max()) < SILENCE_PEAK


@dataclass(frozen=True)
class SamplingResult:
    source: SourceSignal
    target_rate: int
    antialias: bool
    resampled: np.ndarray
    reconstructed: np.ndarray
    """The resampled signal interpolated back to the source rate: what a DAC would play."""
    expected_hz: float | None
    """Tone only: where the tone should appear after sampling (alias_frequency), None if removed."""
    measured_hz: float | None
    measured_db: float | None


def compute_sampling(source: SourceSignal, target_rate: int, antialias: bool) -> SamplingResult:
    y = resample(source.samples, source.rate, target_rate, antialias=antialias)
    back = resample(y, target_rate, source.rate, antialias=False)
    expected = measured = level = None
    if source.kind == "tone" and y.shape[0] > 8:
        f = source.freq_hz
        folded = float(alias_frequency(f, target_rate))
        removed = antialias and target_rate < source.rate and f > 0.5 * target_rate * ROLLOFF
        expected = None if removed else folded
        spec = magnitude_spectrum(y, target_rate)
        measured, level = spec.peak_hz(), float(spec.db.max())
    return SamplingResult(source, target_rate, antialias, y, back, expected, measured, level)


def spectrum_length(source: SourceSignal) -> int:
    return min(source.samples.shape[0], SPECTRUM_FFT)


def spectra(r: SamplingResult) -> tuple[Spectrum, Spectrum]:
    """The spectra of the original and of the sampled signal over the same stretch of time: the
    loudest stretch of a recording, the start of a generated signal (the same all along)."""
    src = r.source
    n = spectrum_length(src)
    start = loudest_window(src.samples, n) if src.kind == "recording" else 0
    ratio = r.target_rate / src.rate
    m = max(2, int(n * ratio))
    sampled_start = int(round(start * ratio))
    original = magnitude_spectrum(src.samples[start:start + n], src.rate, n_fft=max(2, n))
    sampled = magnitude_spectrum(r.resampled[sampled_start:sampled_start + m], r.target_rate, n_fft=m)
    return original, sampled


def time_view_start(source: SourceSignal, span: float) -> float:
    """Where the time pane's window of `span` seconds begins: on the loudest stretch of a recording
    (not in the pause before the speech), a quarter in for a sweep, just after the start of a tone."""
    if source.kind == "tone":
        return 0.1
    if source.kind == "recording" and not is_silent(source.samples):
        return loudest_window(source.samples, max(2, int(span * source.rate))) / source.rate
    return 0.25 * source.samples.shape[0] / source.rate


def format_rate(rate: float) -> str:
    return f"{rate / 1000:g} kHz"


class SamplingView(LessonView):
    def __init__(self, player: Player, parent: QWidget | None = None):
        super().__init__(player, parent)
        self.setObjectName("audioSamplingView")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        controls = QHBoxLayout()
        controls.setSpacing(14)
        self.source = SourcePicker(default="tone", freq_hz=7000.0)
        controls.addWidget(self.source)
        controls.addWidget(QLabel(self.tr("Sample at")))
        self.rate = QComboBox()
        self.rate.setObjectName("audioTargetRate")
        for r in TARGET_RATES:
            self.rate.addItem(format_rate(r), r)
        self.rate.setCurrentIndex(self.rate.findData(8000))
        controls.addWidget(self.rate)
        self.antialias = QCheckBox(self.tr("Anti-aliasing filter"))
        self.antialias.setObjectName("audioAntialias")
        self.antialias.setToolTip(self.tr("Low-pass the signal below the new f/2 before sampling, as every "
                                          "real converter does. Off: frequencies above f/2 fold back."))
        controls.addWidget(self.antialias)
        controls.addStretch(1)
        self.play_a = QPushButton(self.tr("▶ A: original"))
        self.play_b = QPushButton(self.tr("▶ B: sampled"))
        self.play_a.setObjectName("audioPlayOriginal")
        self.play_b.setObjectName("audioPlaySampled")
        controls.addWidget(self.play_a)
        controls.addWidget(self.play_b)
        layout.addLayout(controls)

        self.info = QLabel()
        self.info.setObjectName("audioSamplingInfo")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.info)

        self.time_plot = plots.make_plot(left=self.tr("amplitude"), bottom=self.tr("time"), bottom_units="s", min_height=170)
        self.time_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        plots.add_legend(self.time_plot)
        self.original = SampledTrace(self.time_plot, "second", stem_limit=0, name=self.tr("original"), width=1.2)
        self.rebuilt = SampledTrace(self.time_plot, "signal", stem_limit=0, name=self.tr("rebuilt from the samples"),
                                    width=1.2, alpha=170)
        self.reconstructed = self.rebuilt.curve
        self.samples = SampledTrace(self.time_plot, "signal", stem_limit=600, line=False,
                                    name=self.tr("samples"), symbol_size=7.0)
        layout.addWidget(self.time_plot, 3)

        self.freq_plot = plots.make_plot(left=self.tr("level"), left_units="dBFS", bottom=self.tr("frequency"), bottom_units="Hz",
                                         min_height=170)
        self.freq_plot.getPlotItem().setMouseEnabled(x=True, y=False)
        self.freq_legend = plots.add_legend(self.freq_plot)
        self.spectrum_original = pg.PlotDataItem(name=self.tr("original"))
        self.spectrum_sampled = pg.PlotDataItem(name=self.tr("after sampling"))
        self.freq_plot.addItem(self.spectrum_original)
        self.freq_plot.addItem(self.spectrum_sampled)
        self.image = ImagePlot(self.freq_plot)
        self.nyquist_line = plots.marker_line(90, " f/2")
        self.alias_line = plots.marker_line(90, " alias")
        self.nyquist_h = plots.marker_line(0, "f/2 ")
        self.track = pg.PlotDataItem()
        self.fold_track = pg.PlotDataItem()
        for item in (self.nyquist_line, self.alias_line, self.nyquist_h, self.track, self.fold_track):
            self.freq_plot.addItem(item)
        layout.addWidget(self.freq_plot, 3)
        self.restyle()

        self.source.changed.connect(self.invalidate)
        self.rate.currentIndexChanged.connect(self.invalidate)
        self.antialias.toggled.connect(self.invalidate)
        self.play_a.clicked.connect(self.play_original)
        self.play_b.clicked.connect(self.play_sampled)

    # -- state -------------------------------------------------------------------------------------
    def set_target_rate(self, rate: int) -> None:
        self.rate.setCurrentIndex(self.rate.findData(rate))

    # -- drawing -----------------------------------------------------------------------------------
    def recompute(self) -> None:
        self._dirty = False
        source = self.source.signal()
        if source is None:
            self.result = None
            for trace in (self.original, self.samples):
                trace.set_data(np.zeros(0, np.float32), 1.0)
            self.rebuilt.set_data(np.zeros(0, np.float32), 1.0)
            self.spectrum_original.setData([], [])
            self.spectrum_sampled.setData([], [])
            self.image.set_image(np.zeros((0, 0)), (0, 1), (0, 1), (0, 1))
            self.info.setText(self.tr("No recording yet: press Record or open a WAV file, or pick a tone."))
            return
        result = compute_sampling(source, int(self.rate.currentData()), self.antialias.isChecked())
        self.result = result
        self._draw_time(result)
        self._draw_frequency(result)
        self.info.setText(self.describe(result))

    def _draw_time(self, r: SamplingResult) -> None:
        src = r.source
        self.original.set_data(src.samples, src.rate)
        self.rebuilt.set_data(r.reconstructed, src.rate)
        self.samples.set_data(r.resampled, r.target_rate)
        if src.kind == "tone":
            shown = r.expected_hz or src.freq_hz
            span = float(np.clip(3.0 / max(min(shown, src.freq_hz), 1.0), 24.0 / r.target_rate, 0.05))
        else:
            span = float(np.clip(60.0 / r.target_rate, 0.004, 0.03))
        start = time_view_start(src, span)
        self.time_plot.getPlotItem().setXRange(start, start + span, padding=0)
        self.time_plot.getPlotItem().setYRange(-1.05, 1.05, padding=0)

    def _draw_frequency(self, r: SamplingResult) -> None:
        src = r.source
        nyquist = 0.5 * r.target_rate
        top = 0.5 * src.rate
        sweep_mode = src.kind == "sweep"
        for item in (self.spectrum_original, self.spectrum_sampled, self.alias_line, self.nyquist_line):
            item.setVisible(not sweep_mode)
        for item in (self.track, self.fold_track, self.nyquist_h):
            item.setVisible(sweep_mode)
        self.image.image.setVisible(sweep_mode)
        self.freq_legend.setVisible(not sweep_mode)
        item = self.freq_plot.getPlotItem()
        if sweep_mode:
            db, seconds = spectrogram_db(r.reconstructed, src.rate)
            self.image.set_image(db, (0.0, seconds), (0.0, top), (-80.0, 0.0))
            t = np.linspace(0.0, SWEEP_SECONDS, 400)
            f = sweep_frequency_at(t, *SWEEP_RANGE_HZ, SWEEP_SECONDS)
            self.track.setData(t, f)
            self.fold_track.setData(t, alias_frequency(f, r.target_rate))
            self.fold_track.setVisible(not r.antialias and nyquist < top)
            self.nyquist_h.setPos(nyquist)
            item.setLabel("bottom", self.tr("time"), units="s")
            item.setLabel("left", self.tr("frequency"), units="Hz")
            item.setXRange(0.0, seconds, padding=0)
            item.setYRange(0.0, top, padding=0)
            return
        a, b = spectra(r)
        self.spectrum_original.setData(a.freqs, np.maximum(a.db, FLOOR_DB))
        self.spectrum_sampled.setData(b.freqs, np.maximum(b.db, FLOOR_DB))
        self.nyquist_line.setPos(nyquist)
        self.alias_line.setVisible(r.expected_hz is not None)
        if r.expected_hz is not None:
            self.alias_line.setPos(r.expected_hz)
        item.setLabel("bottom", self.tr("frequency"), units="Hz")
        item.setLabel("left", self.tr("level"), units="dBFS")
        item.setXRange(0.0, max(top, nyquist), padding=0.01)
        item.setYRange(FLOOR_DB - 5.0, 5.0, padding=0)

    def describe(self, r: SamplingResult) -> str:
        rate = format_rate(r.target_rate)
        half = format_rate(r.target_rate / 2)
        head = self.tr("Sampling at <b>{rate}</b>: one sample every {us:.1f} µs; it can hold frequencies "
                       "up to f/2 = <b>{half}</b>.").format(rate=rate, us=1e6 / r.target_rate, half=half)
        src = r.source
        if src.kind == "tone":
            f = src.freq_hz
            if f <= 0.5 * r.target_rate:
                tail = self.tr("The {f:,.0f} Hz tone is below f/2 and survives (measured peak {m:,.0f} Hz)."
                               ).format(f=f, m=r.measured_hz or 0.0)
            elif r.expected_hz is None:
                tail = self.tr("The {f:,.0f} Hz tone is above f/2: the anti-aliasing filter removed it "
                               "(what is left peaks at {db:.0f} dBFS).").format(f=f, db=r.measured_db or -120.0)
            else:
                tail = self.tr("The {f:,.0f} Hz tone is above f/2 and folds back to <b>{a:,.0f} Hz</b> "
                               "(|f − f<sub>s</sub>·round(f/f<sub>s</sub>)|; measured peak {m:,.0f} Hz)."
                               ).format(f=f, a=r.expected_hz, m=r.measured_hz or 0.0)
        elif src.kind == "sweep":
            tail = (self.tr("Without the filter the sweep folds back at f/2 (dashed): it is heard going down "
                            "while it really goes up.") if not r.antialias
                    else self.tr("The filter silences the sweep above f/2 instead of folding it."))
        elif is_silent(src.samples):
            tail = self.tr("The recording is silent (every sample is 0): its spectrum lies on the floor. "
                           "Check the input device and watch the level meter while recording.")
        else:
            tail = self.tr("Recording at {orig}: listen to B for what is lost. The spectrum shows its loudest "
                           "{seconds:.1f} s.").format(orig=format_rate(src.rate),
                                                      seconds=spectrum_length(src) / src.rate)
        return f"{head} {tail}"

    def play_original(self) -> None:
        src = self.source.signal()
        if src is not None:
            self.player.play(src.samples, src.rate, "original")

    def play_sampled(self) -> None:
        r = self.current()
        if r is not None:
            self.player.play(r.reconstructed, r.source.rate, "sampled")

    def restyle(self) -> None:
        for plot in (self.time_plot, self.freq_plot):
            plots.restyle(plot)
        self.original.restyle()
        self.samples.restyle()
        self.reconstructed.setPen(plots.pen(style.trace_color("signal"), 1.2, 170, Qt.PenStyle.DashLine))
        self.rebuilt.stems.setPen(plots.pen(style.trace_color("signal"), 1.0, 0))
        self.spectrum_original.setPen(plots.pen(style.trace_color("second"), 1.0, 140))
        self.spectrum_sampled.setPen(plots.pen(style.trace_color("signal"), 1.6))
        for line, color in ((self.nyquist_line, "marker"), (self.alias_line, "error"), (self.nyquist_h, "marker")):
            dash = Qt.PenStyle.DashLine if color == "marker" else Qt.PenStyle.SolidLine
            line.setPen(plots.pen(style.trace_color(color), 1.3, 255, dash))
            if line.label is not None:
                line.label.setColor(style.trace_color(color))
        self.track.setPen(plots.pen(style.trace_color("second"), 1.0, 150, Qt.PenStyle.DashLine))
        self.fold_track.setPen(plots.pen(style.trace_color("error"), 1.2, 200, Qt.PenStyle.DashLine))
