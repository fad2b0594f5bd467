"""The live learning curves: loss (smoothed over raw), metrics, LR, gradient norm, per-layer
update-to-data ratios, weight/gradient distributions over time and the confusion matrix.

`refresh()` redraws only what changed since the last call (the series carry a version number) and
is cheap enough to run at 10-20 Hz with 100,000 points per series: smoothing is incremental (a
streaming debiased EMA appends only the new points) and drawing clips to the view and
peak-downsamples. The slider's smoothing is TensorBoard's; NaN/Inf points are drawn as red crosses,
never smoothed.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.networks import is_gan
from studio.core.graph.registry import get_block, has_block
from studio.core.recipe.smoothing import StreamingEma, debiased_ema
from studio.ui.common import plots
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.plots import LOG, PERCENT, PlotView, curve, make_plot, pen, set_title
from studio.ui.theme import current_colors
from studio.ui.training.detection_view import TABS_HEIGHT as DETECTION_TABS_HEIGHT
from studio.ui.training.detection_view import DetectionView, is_detector
from studio.ui.training.diffusion_view import DiffusionView
from studio.ui.training.embedding_view import EmbeddingView
from studio.ui.training.gan_view import TABS_HEIGHT as GAN_TABS_HEIGHT
from studio.ui.training.gan_view import GanView
from studio.ui.training.plots import PALETTE, CellLabels, HoverReadout, nonfinite_markers
from studio.ui.training.sample_text_view import SampleTextView
from studio.ui.training.series import Growing, RunSeries, load_run_series, peak_decimate, view_slice

DECIMATE_ABOVE = 4000
TABS_HEIGHT = 340
"""The lower tabs' height (a GAN run's grid gets more: gan_view.TABS_HEIGHT)."""
DIST_REDRAW_S = 0.5
"""The histogram heat map redraws at most this often (~2 Hz) while a run streams in."""
DIST_ROWS = 64
"""Value rows of the histogram heat map."""
UPDATE_RATIO_GUIDE = -3.0
"""log10 of Karpathy's ~1e-3 update-to-data ratio."""
LOG_LOSS_DECADES = 2.0
"""A loss whose positive values span this many decades is drawn on a log axis (unless the user chose)."""


def class_figures(graph) -> tuple[bool, bool]:
    """What a run of `graph` measures, from its heads: (accuracy, a confusion matrix). A classifier
    has both; a language model an accuracy per token but no matrix; a GAN, a denoiser, an embedding
    or a segmentation net neither."""
    if is_gan(graph):
        return False, False
    kinds = {get_block(n.block).head for n in graph.nodes if has_block(n.block)}
    return bool(kinds & {"classification", "language_model"}), "classification" in kinds


class CurvesView(QWidget):
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series = RunSeries()
        self.overlay: RunSeries | None = None
        self.overlay_name = ""
        self._drawn_version = -1
        self._smooth_weight = 0.6
        self._ema = StreamingEma(self._smooth_weight)
        self._smoothed = Growing()
        self._smoothed_for = 0
        self._layer_names: list[str] = []
        self._marker: pg.InfiniteLine | None = None
        self._marked: tuple = (None, "", None, None)
        self.refresh_count = 0
        self._in_refresh = False
        colors = current_colors()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        bar = QHBoxLayout()
        bar.setSpacing(10)
        bar.addWidget(QLabel(self.tr("Smoothing")))
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("smoothingSlider")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(int(self._smooth_weight * 100))
        self.smoothing.setFixedWidth(140)
        self.smoothing_value = QLabel(f"{self._smooth_weight:.2f}")
        self.smoothing_value.setMinimumWidth(32)
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_value)
        self.log_scale = QCheckBox(self.tr("Log scale"))
        self.log_scale.setObjectName("logScale")
        self.log_scale.setToolTip(self.tr("On by itself when the loss spans decades (a diverging run); "
                                          "your choice wins once you click it"))
        self._log_chosen = False
        """The user clicked Log scale: the automatic choice stops."""
        bar.addWidget(self.log_scale)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Compare with")))
        self.compare = QComboBox()
        self.compare.setObjectName("compareRuns")
        self.compare.setMinimumWidth(180)
        self.compare.addItem(self.tr("no earlier run"), None)
        bar.addWidget(self.compare)
        self.compare_note = QLabel("")
        self.compare_note.setObjectName("Muted")
        bar.addWidget(self.compare_note)
        self.compare_task = QtJobRunner("compare-run", parent=self)
        self.compare_task.result.connect(self._compare_loaded)
        self.compare_task.error.connect(self._compare_failed)
        bar.addStretch(1)
        self.export_png = QPushButton(self.tr("Export PNG…"))
        self.export_csv = QPushButton(self.tr("Export CSV…"))
        bar.addWidget(self.export_png)
        bar.addWidget(self.export_csv)
        outer.addLayout(bar)

        top = QHBoxLayout()
        top.setSpacing(10)
        self.loss_plot = make_plot(self.tr("Loss"), self.tr("Loss"), self.tr("Step"), min_height=280, live=True)
        self.raw_loss = curve(self.loss_plot, self.tr("train (raw)"), PALETTE[0], 1.0, 60)
        self.smooth_loss = curve(self.loss_plot, self.tr("train (smoothed)"), PALETTE[0], 2.0)
        self.val_loss = curve(self.loss_plot, self.tr("validation"), PALETTE[1], 2.0, symbol="o")
        self.overlay_train = curve(self.loss_plot, None, colors["muted"], 1.4, 200, Qt.PenStyle.DashLine)
        self.overlay_val = curve(self.loss_plot, None, PALETTE[1], 1.4, 140, Qt.PenStyle.DashLine)
        self.nan_marks = nonfinite_markers(self.loss_plot)
        self.loss_hover = HoverReadout(self.loss_plot, [(self.tr("train"), self.raw_loss),
                                                        (self.tr("smoothed"), self.smooth_loss),
                                                        (self.tr("validation"), self.val_loss)],
                                       self.tr("step"))
        top.addWidget(self.loss_plot, 3)
        self.metric_plot = make_plot(self.tr("Accuracy"), self.tr("Accuracy"), self.tr("Step"), min_height=280,
                                     live=True, legend_offset=(-10, -30), y_kind=PERCENT)
        self.train_acc = curve(self.metric_plot, self.tr("train"), PALETTE[0], 2.0, symbol="o")
        self.val_acc = curve(self.metric_plot, self.tr("validation"), PALETTE[1], 2.0, symbol="o")
        self.overlay_acc = curve(self.metric_plot, None, PALETTE[1], 1.4, 140, Qt.PenStyle.DashLine)
        self.metric_hover = HoverReadout(self.metric_plot, [(self.tr("train"), self.train_acc),
                                                            (self.tr("validation"), self.val_acc)],
                                         self.tr("step"), percent=True)
        top.addWidget(self.metric_plot, 2)
        # detection: mAP@0.5 in the Accuracy plot's place, the boxes and the NMS lesson in a tab
        self.detection_view = DetectionView()
        top.addWidget(self.detection_view.map_plot, 2)
        outer.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("curveTabs")
        self.lr_plot = make_plot(self.tr("Learning rate"), self.tr("Learning rate"), self.tr("Step"), min_height=220,
                                 live=True, legend_offset=None, y_kind=LOG)
        self.lr_curve = curve(self.lr_plot, None, PALETTE[2])
        self.lr_hover = HoverReadout(self.lr_plot, [("lr", self.lr_curve)], self.tr("step"))
        self.tabs.addTab(self.lr_plot, self.tr("Learning rate"))
        self.grad_plot = make_plot(self.tr("Gradient norm (global, before clipping)"), self.tr("Gradient norm"),
                                   self.tr("Step"), min_height=220, live=True, legend_offset=None)
        self.grad_curve = curve(self.grad_plot, None, PALETTE[3], 1.0, 160)
        self.grad_hover = HoverReadout(self.grad_plot, [(self.tr("grad norm"), self.grad_curve)], self.tr("step"))
        self.tabs.addTab(self.grad_plot, self.tr("Gradient norm"))
        self.ratio_plot = make_plot(self.tr("Update-to-data ratio per layer (log10 of lr·std(grad)/std(w))"),
                                    self.tr("log10 ratio"), self.tr("Step"), min_height=220, live=True)
        self.ratio_guide = guide = pg.InfiniteLine(pos=UPDATE_RATIO_GUIDE, angle=0, pen=pen(colors["danger"], 1.2, 200, Qt.PenStyle.DashLine),
                                label="1e-3", labelOpts={"color": colors["danger"], "position": 0.05})
        self.ratio_plot.addItem(guide)
        self.ratio_curves: dict[str, pg.PlotDataItem] = {}
        self.tabs.addTab(self.ratio_plot, self.tr("Update ratio"))

        dist = QWidget()
        dl = QVBoxLayout(dist)
        dl.setContentsMargins(0, 6, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Layer")))
        self.dist_layer = QComboBox()
        self.dist_layer.setObjectName("distLayer")
        self.dist_layer.setMinimumWidth(160)
        row.addWidget(self.dist_layer)
        self.dist_kind = QComboBox()
        self.dist_kind.addItem(self.tr("weights"), "weight")
        self.dist_kind.addItem(self.tr("gradients"), "grad")
        row.addWidget(self.dist_kind)
        row.addStretch(1)
        dl.addLayout(row)
        plot_row = QHBoxLayout()
        plot_row.setSpacing(10)
        self.dist_plot = make_plot(self.tr("Histogram over time (colour: log count), mean line"), self.tr("Value"),
                                   self.tr("Step"), min_height=220, live=True)
        self.dist_image = pg.ImageItem(axisOrder="col-major")
        self.dist_image.setColorMap(pg.colormap.get("viridis"))
        self.dist_image.setZValue(-10)
        self.dist_plot.addItem(self.dist_image)
        self.dist_mean = curve(self.dist_plot, self.tr("mean"), colors["danger"], 1.4)
        self._bands = []
        for k, alpha in ((2, 40), (1, 80)):
            hi = curve(self.dist_plot, None, PALETTE[0], 0.5, 90)
            lo = curve(self.dist_plot, None, PALETTE[0], 0.5, 90)
            fill = pg.FillBetweenItem(hi, lo, brush=pg.mkBrush(QColorA(PALETTE[0], alpha)))
            self.dist_plot.addItem(fill)
            self._bands.append((k, hi, lo, fill))
        plot_row.addWidget(self.dist_plot, 3)
        self.dist_latest_plot = make_plot(self.tr("Latest histogram"), self.tr("Count"), self.tr("Value"),
                                          min_height=220, live=True, legend_offset=None)
        self.dist_latest = self.dist_latest_plot.plot([], [], stepMode="center", fillLevel=0,
                                                      pen=pen(PALETTE[0], 1.4),
                                                      brush=pg.mkBrush(QColorA(PALETTE[0], 110)))
        plot_row.addWidget(self.dist_latest_plot, 1)
        dl.addLayout(plot_row)
        self._dist_key: tuple | None = None
        self._dist_drawn_at = 0.0
        self._dist_pending = False
        self.tabs.addTab(dist, self.tr("Distributions"))

        self.confusion_plot = PlotView(background=colors["surface"])
        self.confusion_plot.setMinimumHeight(260)
        self.confusion_plot.setAspectLocked(True)
        set_title(self.confusion_plot, self.tr("Confusion matrix (rows: true class, share of row)"))
        plots.restyle(self.confusion_plot)
        self.confusion_plot.getPlotItem().invertY(True)
        self.confusion_image = pg.ImageItem()
        self.confusion_image.setColorMap(pg.colormap.get("viridis"))
        self.confusion_plot.addItem(self.confusion_image)
        self.confusion_labels = CellLabels()
        self.confusion_plot.addItem(self.confusion_labels)
        self._confusion_drawn = None
        self._confusion_size = 0
        self.confusion_tab = self.tabs.addTab(self.confusion_plot, self.tr("Confusion"))
        self.figures = (True, True)
        """Whether the run shown has (an accuracy, a confusion matrix): see show_figures."""
        # metric learning: the validation embeddings in 2-D, a tab only for runs that send them
        self.embedding_view = EmbeddingView()
        self.embedding_tab = self.tabs.addTab(self.embedding_view, self.tr("Embeddings"))
        self.tabs.setTabVisible(self.embedding_tab, False)
        # language models: what the model writes from its prompt, a tab only for runs that send it
        self.sample_view = SampleTextView()
        self.sample_tab = self.tabs.addTab(self.sample_view, self.tr("Text samples"))
        self.tabs.setTabVisible(self.sample_tab, False)
        # diffusion: samples from noise, the forward process and the schedule, only for denoisers
        self.diffusion_view = DiffusionView()
        self.diffusion_tab = self.tabs.addTab(self.diffusion_view, self.tr("Diffusion"))
        self.tabs.setTabVisible(self.diffusion_tab, False)
        # GANs: samples from fixed noise, D(x) / D(G(z)), FID-like, collapse warning; only for GAN runs
        self.gan_view = GanView()
        self.gan_tab = self.tabs.addTab(self.gan_view, self.tr("GAN"))
        self.tabs.setTabVisible(self.gan_tab, False)
        self.detection_tab = self.tabs.addTab(self.detection_view, self.tr("Detection"))
        self.tabs.setTabVisible(self.detection_tab, False)
        self.tabs.setMaximumHeight(TABS_HEIGHT)
        outer.addWidget(self.tabs)

        for plot in (self.loss_plot, self.lr_plot, self.grad_plot):
            plot.getPlotItem().vb.sigXRangeChanged.connect(self._zoomed)
        self.smoothing.valueChanged.connect(self._smoothing_changed)
        self.log_scale.toggled.connect(self._log_toggled)
        self.log_scale.clicked.connect(self._log_clicked)  # clicked: the user's hand only, not setChecked
        self.dist_layer.currentIndexChanged.connect(lambda *_: self._draw_distribution(force=True))
        self.dist_kind.currentIndexChanged.connect(lambda *_: self._draw_distribution(force=True))
        self.export_png.clicked.connect(lambda: self.export_requested.emit("png"))
        self.export_csv.clicked.connect(lambda: self.export_requested.emit("csv"))
        self._showing_empty = False
        self._show_empty()
        plots.follow_theme(self, self.restyle)

    def _value_plots(self) -> tuple[pg.PlotWidget, ...]:
        return (self.loss_plot, self.metric_plot, self.lr_plot, self.grad_plot, self.ratio_plot, self.dist_plot,
                self.dist_latest_plot)

    def _show_empty(self) -> None:
        """No run yet (or a new one starting): every plot shows its quantity's usual range instead of
        the last run's or pyqtgraph's ±0.5 around nothing."""
        self._showing_empty = True
        for plot in self._value_plots():
            plots.show_empty(plot)

    def _follow_data(self) -> None:
        if self._showing_empty:
            self._showing_empty = False
            for plot in self._value_plots():
                plots.follow_data(plot)

    def restyle(self) -> None:
        """Repaint what this view drew in theme colours (the plots repaint themselves)."""
        colors = current_colors()
        plots.restyle(self.confusion_plot)
        self.overlay_train.setPen(pen(colors["muted"], 1.4, 200, Qt.PenStyle.DashLine))
        self.dist_mean.setPen(pen(colors["danger"], 1.4))
        self.ratio_guide.setPen(pen(colors["danger"], 1.2, 200, Qt.PenStyle.DashLine))
        self.ratio_guide.label.setColor(colors["danger"])
        for hover in (self.loss_hover, self.metric_hover, self.lr_hover, self.grad_hover):
            hover.restyle()
        marked, self._marked = self._marked, (None, "", None, None)
        self.mark_epoch(*marked)  # the marker's label sits on a card of the old surface colour

    # --- inputs ---------------------------------------------------------------------------------
    def add_events(self, events: list[dict]) -> None:
        before = self.series.start
        self.series.add_events(events)
        latest = next((e for e in reversed(events) if e.get("event") == "embeddings"), None)
        if latest is not None:  # only the newest projection of a batch of events is drawn
            self.tabs.setTabVisible(self.embedding_tab, True)
            self.embedding_view.show_event(latest)
        newest = next((e for e in reversed(events) if e.get("event") == "diffusion"), None)
        if newest is not None:
            self.tabs.setTabVisible(self.diffusion_tab, True)
            self.diffusion_view.show_event(newest)
            self.show_figures(False, False)
        if self.gan_view.add_events(events) and not self.tabs.isTabVisible(self.gan_tab):
            self.tabs.setTabVisible(self.gan_tab, True)
            self.tabs.setMaximumHeight(GAN_TABS_HEIGHT)
            self.show_figures(False, False)
        if self.detection_view.add_events(events) and not self.tabs.isTabVisible(self.detection_tab):
            self.tabs.setTabVisible(self.detection_tab, True)
            self.tabs.setMaximumHeight(DETECTION_TABS_HEIGHT)
            self.detection_view.map_plot.show()
            self.show_figures(False, False)
        for e in events:
            if e.get("event") == "epoch" and not all(self.figures):  # measured: it has them after all
                accuracy = any(e.get(k) is not None for k in ("train_accuracy", "val_accuracy", "val_token_accuracy"))
                self.show_figures(self.figures[0] or accuracy, self.figures[1] or e.get("confusion") is not None)
        samples = [e for e in events if e.get("event") == "sample"]
        if samples:
            self.tabs.setTabVisible(self.sample_tab, True)
            for e in samples:
                self.sample_view.show_event(e)
        if self.series.start is not before and not self.series.start.get("resumed_from_step"):
            self._reset_smoothing()

    def reset(self, graph=None) -> None:
        """Empty the curves for a new run; with the `graph` it trains, show what that kind of run has
        from the start (see show_figures)."""
        self.series = RunSeries()
        self.embedding_view.clear()
        self.tabs.setTabVisible(self.embedding_tab, False)
        self.sample_view.clear()
        self.tabs.setTabVisible(self.sample_tab, False)
        self.diffusion_view.clear()
        self.tabs.setTabVisible(self.diffusion_tab, False)
        self.gan_view.clear()
        self.tabs.setTabVisible(self.gan_tab, False)
        self.detection_view.clear()
        self.tabs.setTabVisible(self.detection_tab, False)
        self.detection_view.map_plot.setVisible(graph is not None and is_detector(graph))
        self.tabs.setMaximumHeight(TABS_HEIGHT)
        self.show_figures(*(class_figures(graph) if graph is not None else (True, True)))
        self._reset_smoothing()
        self.mark_epoch(None)
        if not self._log_chosen:
            self._set_log(False)
        self._show_empty()
        self.refresh(force=True)

    def show_figures(self, accuracy: bool, confusion: bool) -> None:
        """Show the Accuracy plot and the Confusion tab only for a run that has them: a GAN, a
        denoiser (or an embedding net) measures neither, so the loss takes the Accuracy plot's room
        and the Confusion tab goes. The Train panel says it at Start from the graph's heads
        (`reset(graph)`, `class_figures`); the events say it by themselves too (a GAN's step series
        or a `diffusion` event: neither; an epoch with an accuracy or a matrix: that one), so a
        replayed run needs no graph. A run not known yet has both."""
        if (accuracy, confusion) == self.figures:
            return
        self.figures = (accuracy, confusion)
        self.metric_plot.setVisible(accuracy)
        self.tabs.setTabVisible(self.confusion_tab, confusion)

    def set_smoothing(self, weight: float) -> None:
        self.smoothing.setValue(int(round(weight * 100)))

    def _smoothing_changed(self, value: int) -> None:
        self._smooth_weight = value / 100.0
        self.smoothing_value.setText(f"{self._smooth_weight:.2f}")
        self._reset_smoothing()
        self.refresh(force=True)

    def _reset_smoothing(self) -> None:
        self._ema = StreamingEma(self._smooth_weight)
        self._smoothed = Growing()
        self._smoothed_for = 0
        if self.series.loss.n:
            self._smoothed.extend(debiased_ema(self.series.loss.values, self._smooth_weight))
            self._ema = StreamingEma(self._smooth_weight)
            self._ema.extend(self.series.loss.values)
            self._smoothed_for = self.series.loss.n

    def _zoomed(self, view_box, *_args) -> None:
        """The user zoomed or panned: re-clip and re-decimate for the new range (auto-range follows
        the data by itself and needs nothing)."""
        if self.series.step.n > DECIMATE_ABOVE and not self._in_refresh and not view_box.state["autoRange"][0]:
            self.refresh(force=True)

    def _log_toggled(self, on: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=on)
        self.loss_plot.y_kind = LOG if on else plots.VALUE
        self.refresh(force=True)

    def _log_clicked(self, _on: bool) -> None:
        self._log_chosen = True

    def _set_log(self, on: bool) -> None:
        """Switch the loss axis without the redraw a toggle asks for (called inside a redraw)."""
        if self.log_scale.isChecked() != on:
            self.log_scale.blockSignals(True)
            self.log_scale.setChecked(on)
            self.log_scale.blockSignals(False)
            self.loss_plot.getPlotItem().setLogMode(y=on)
            self.loss_plot.y_kind = LOG if on else plots.VALUE

    def _choose_loss_scale(self, loss: np.ndarray) -> None:
        """A loss spanning LOG_LOSS_DECADES or more (a run that blew up to 1e12, or fell from 2 to
        0.001) reads on a log axis; on a linear one everything below the peak is a flat line at 0."""
        if not self._log_chosen and not self.log_scale.isChecked():
            if plots.finite_span_decades(loss) >= LOG_LOSS_DECADES:
                self._set_log(True)

    def compare_run(self, run_dir: str | Path | None) -> None:
        """Overlay an earlier run's curves, read on a worker thread (decimated, bounded memory): a run
        of a million lines takes seconds there while the GUI keeps running, and shows when ready.
        None removes the overlay; a newer choice drops a load still under way. The plots keep what
        they show until the new curves arrive: a redraw while the reader thread runs would wait on
        it for the interpreter, where one after it is as quick as ever."""
        if not run_dir:
            self.set_overlay(None)
            self.compare_note.setText("")
            self.compare_task.cancel()  # drops a load still in flight
            return
        self.compare_note.setText(self.tr("loading…"))
        path = str(run_dir)
        self.compare_task.submit(lambda _job: (path, load_run_series(path)))

    def _compare_loaded(self, result: tuple[str, RunSeries]) -> None:
        path, series = result
        self.compare_note.setText("")
        self.set_overlay(series, Path(path).name)

    def _compare_failed(self, message: str, _user_error: bool) -> None:
        self.compare_note.setText(self.tr("could not read that run: {m}").format(m=message.splitlines()[0]))

    def set_overlay(self, series: RunSeries | None, name: str = "") -> None:
        if series is not None:
            self._follow_data()  # an earlier run's curves show even before this run has any
        self.overlay = series
        self.overlay_name = name
        self._draw_overlay()

    def mark_epoch(self, epoch: int | None, text: str = "", color: str | None = None,
                   step: int | None = None) -> None:
        """A vertical line where the verdict's evidence begins on the loss and accuracy plots, in the
        verdict's colour (red only for bad news): at `step` when the verdict names one (its text
        says "from step 2": the line is at step 2 and its label says so), else at the end of `epoch`."""
        if (epoch, text, color, step) == self._marked:
            return
        self._marked = (epoch, text, color, step)
        for plot in (self.loss_plot, self.metric_plot):
            for item in list(plot.getPlotItem().items):
                if getattr(item, "_verdict_marker", False):
                    plot.removeItem(item)
        self._marker = None
        if epoch is None and step is None:
            return
        if step is not None:
            self._draw_marker(float(step), self.tr("{verdict} · step {step}").format(verdict=text, step=step), color)
            return
        epochs = self.series.epoch.values
        steps = self.series.epoch_step.values
        idx = np.flatnonzero(epochs == epoch)
        if idx.size:
            x = float(steps[idx[0]])
        elif self.series.step.n:
            per = float(self.series.start.get("steps_per_epoch") or 1)
            x = per * epoch
        else:
            return
        self._draw_marker(x, text or self.tr("epoch {e}").format(e=epoch), color)

    def _draw_marker(self, x: float, label: str, color: str | None) -> None:
        danger = color or current_colors()["danger"]
        for plot in (self.loss_plot, self.metric_plot):
            line = pg.InfiniteLine(pos=x, angle=90, pen=pen(danger, 1.5, 220, Qt.PenStyle.DashLine),
                                   label=label,
                                   labelOpts={"color": danger, "position": 0.6, "movable": False,
                                              "fill": current_colors()["surface"]})
            line._verdict_marker = True
            plot.addItem(line)
        self._marker = x

    # --- drawing --------------------------------------------------------------------------------
    def refresh(self, force: bool = False) -> bool:
        """Redraw if the data changed; returns whether anything was drawn."""
        s = self.series
        if not force and s.version == self._drawn_version:
            if self._dist_pending:  # a histogram redraw held back by the ~2 Hz limit
                self._draw_distribution()
                return not self._dist_pending
            return False
        self._drawn_version = s.version
        if force:
            self._dist_key = None
        self.refresh_count += 1
        self._in_refresh = True
        try:
            self._redraw()
        finally:
            self._in_refresh = False
        return True

    def _redraw(self) -> None:
        s = self.series
        steps, loss = s.step.values, s.loss.values
        if s.loss.n < self._smoothed_for:  # rewound: a run resumed from a checkpoint older than its last step
            self._reset_smoothing()
        if s.loss.n > self._smoothed_for:
            self._smoothed.extend(self._ema.extend(loss[self._smoothed_for:]))
            self._smoothed_for = s.loss.n
        smooth = self._smoothed.values
        if s.step.n or s.epoch.n:
            self._follow_data()
        self._choose_loss_scale(loss)
        finite = np.isfinite(loss)
        log = self.log_scale.isChecked()
        raw_y = np.where(finite & (loss > 0), loss, np.nan) if log else np.where(finite, loss, np.nan)
        self._set_step_data(self.raw_loss, self.loss_plot, steps, raw_y)
        smooth_y = np.where(np.isfinite(smooth), smooth, np.nan)
        if log:
            smooth_y = np.where(smooth_y > 0, smooth_y, np.nan)
        self._set_step_data(self.smooth_loss, self.loss_plot, steps, smooth_y)
        if finite.all():
            self.nan_marks.setData([], [])
        else:
            top = float(np.nanmax(raw_y)) if np.isfinite(raw_y).any() else 1.0
            y = np.log10(top) if log and top > 0 else top
            bad = steps[~finite]
            self.nan_marks.setData(bad, np.full(bad.size, y))
        ep_x = s.epoch_step.values
        self.val_loss.setData(ep_x, self._positive(s.epoch_values["val_loss"].values, log), connect="finite")
        self.train_acc.setData(ep_x, s.epoch_values["train_accuracy"].values, connect="finite")
        self.val_acc.setData(ep_x, s.epoch_values["val_accuracy"].values, connect="finite")
        lr = np.where(s.lr.values > 0, s.lr.values, np.nan)  # a log axis: a warm-up's lr 0 is a gap
        self._set_step_data(self.lr_curve, self.lr_plot, steps, lr)
        if s.step.n:
            self._keep_flat_visible(self.lr_plot, lr)
        self._set_step_data(self.grad_curve, self.grad_plot, steps, s.grad_norm.values)
        self._draw_ratios()
        self._sync_layers()
        self._draw_distribution()
        self._draw_confusion()

    def _set_step_data(self, item: pg.PlotDataItem, plot: pg.PlotWidget, x: np.ndarray, y: np.ndarray) -> None:
        """Hand pyqtgraph only what the view shows, peak-decimated to ~2 points per pixel column:
        the cost of a redraw then depends on the plot's width, not on the length of the run."""
        if x.size > DECIMATE_ABOVE:
            vb = plot.getPlotItem().vb
            if not vb.state["autoRange"][0]:
                (x0, x1), _ = vb.viewRange()
                sl = view_slice(x, x0, x1)
                x, y = x[sl], y[sl]
            width = max(200, int(vb.width()) or 800)
            x, y = peak_decimate(x, y, width)
        item.setData(x, y, connect="finite")

    @staticmethod
    def _keep_flat_visible(plot: pg.PlotWidget, values: np.ndarray) -> None:
        """A constant series (a constant LR) gets a range around its value instead of pyqtgraph's +-huge:
        half its value each way, or a decade each way on a log axis."""
        finite = values[np.isfinite(values)]
        if finite.size and finite.max() - finite.min() <= 1e-12 * max(1.0, abs(finite.max())):
            v = float(finite[0])
            if getattr(plot, "y_kind", None) == LOG and v > 0:
                plot.getPlotItem().setYRange(np.log10(v) - 1.0, np.log10(v) + 1.0, padding=0)
                return
            span = abs(v) if v else 1.0
            plot.getPlotItem().setYRange(v - 0.5 * span, v + 0.5 * span, padding=0)
        else:
            plot.getPlotItem().enableAutoRange(axis="y")

    @staticmethod
    def _positive(values: np.ndarray, log: bool) -> np.ndarray:
        return np.where(values > 0, values, np.nan) if log else values

    def _draw_ratios(self) -> None:
        s = self.series
        for i, (name, cols) in enumerate(s.layers.items()):
            item = self.ratio_curves.get(name)
            if item is None:
                item = curve(self.ratio_plot, name, PALETTE[i % len(PALETTE)], 1.4)
                self.ratio_curves[name] = item
            item.setData(s.layer_step[name].values, cols["update_ratio_log10"].values, connect="finite")

    def _sync_layers(self) -> None:
        names = list(self.series.layers)
        if names != self._layer_names:
            current = self.dist_layer.currentText()
            self.dist_layer.blockSignals(True)
            self.dist_layer.clear()
            self.dist_layer.addItems(names)
            if current in names:
                self.dist_layer.setCurrentText(current)
            self.dist_layer.blockSignals(False)
            self._layer_names = names

    def _draw_distribution(self, force: bool = False) -> None:
        """The chosen layer's weight or gradient histograms over time as a heat map (x: step, y: value,
        colour: log(1 + count)) under the mean, and the latest histogram beside it. Redrawn only when
        that layer got a new layers event, and at most every DIST_REDRAW_S while training runs."""
        name = self.dist_layer.currentText()
        kind = self.dist_kind.currentData() or "weight"
        cols = self.series.layers.get(name)
        hists = self.series.hists.get(name)
        n = len(self.series.layer_step[name]) if cols else 0
        key = (name, kind, n, len(hists) if hists else 0)
        if key == self._dist_key and not force:
            self._dist_pending = False
            return
        now = time.monotonic()
        if (not force and self._dist_key is not None and key[:2] == self._dist_key[:2]
                and self.series.final is None and now - self._dist_drawn_at < DIST_REDRAW_S):
            self._dist_pending = True
            return
        self._dist_key, self._dist_drawn_at, self._dist_pending = key, now, False
        if not cols:
            self.dist_mean.setData([], [])
            self.dist_latest.setData([], [])
            self.dist_image.clear()
            for _k, hi, lo, _fill in self._bands:
                hi.setData([], [])
                lo.setData([], [])
            return
        x = self.series.layer_step[name].values
        mean, std = cols[f"{kind}_mean"].values, cols[f"{kind}_std"].values
        self.dist_mean.setData(x, mean, connect="finite")
        if hists:  # true histograms; the ±σ bands only for runs recorded before them
            for _k, hi, lo, fill in self._bands:
                hi.setData([], [])
                lo.setData([], [])
                fill.setVisible(False)
            img, top = hists.image(kind, DIST_ROWS)
            steps = hists.step.values
            dx = float(np.median(np.diff(steps))) if steps.size > 1 else 1.0
            logc = np.log1p(img)
            self.dist_image.setImage(logc, levels=(0.0, max(1.0, float(logc.max()))))
            self.dist_image.setRect(QRectF(float(steps[0]) - dx / 2, -top, dx * steps.size, 2 * top))
            counts = hists.counts[kind][-1]
            m = hists.half_range[kind].values[-1]
            m = float(m) if np.isfinite(m) else 0.0
            self.dist_latest.setData(np.linspace(-m, m, counts.size + 1), counts)
            set_title(self.dist_latest_plot, self.tr("Latest histogram (step {step})").format(step=int(steps[-1])))
        else:
            self.dist_image.clear()
            self.dist_latest.setData([], [])
            for k, hi, lo, fill in self._bands:
                fill.setVisible(True)
                hi.setData(x, mean + k * std)
                lo.setData(x, mean - k * std)

    def _draw_confusion(self) -> None:
        """Redrawn only when a new epoch brought a new matrix; the cell labels are reused, not rebuilt."""
        cm = self.series.confusion
        if not cm or cm is self._confusion_drawn:
            return
        self._confusion_drawn = cm
        m = np.asarray(cm, dtype=np.float64)
        rows = m.sum(1, keepdims=True)
        share = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
        self.confusion_image.setImage(share.T, levels=(0.0, 1.0))
        c = m.shape[0]
        if c != self._confusion_size:
            self._confusion_size = c
            names = self.series.class_names or [str(i) for i in range(c)]
            ticks = [(i + 0.5, names[i] if i < len(names) else str(i)) for i in range(c)]
            item = self.confusion_plot.getPlotItem()
            item.getAxis("bottom").setTicks([ticks])
            item.getAxis("left").setTicks([ticks])
            item.getAxis("bottom").setLabel(self.tr("predicted"))
            item.getAxis("left").setLabel(self.tr("true"))
        self.confusion_labels.set_values(m, share < 0.6)

    def _draw_overlay(self) -> None:
        o = self.overlay
        if o is None:
            for item in (self.overlay_train, self.overlay_val, self.overlay_acc):
                item.setData([], [])
            return
        x = o.epoch_step.values
        self.overlay_train.setData(x, o.epoch_values["train_loss"].values, connect="finite")
        self.overlay_val.setData(x, o.epoch_values["val_loss"].values, connect="finite")
        self.overlay_acc.setData(x, o.epoch_values["val_accuracy"].values, connect="finite")
        for item, what in ((self.overlay_train, "train"), (self.overlay_val, "val")):
            item.opts["name"] = f"{self.overlay_name} ({what})"

    # --- export ---------------------------------------------------------------------------------
    def save_png(self, path: str | Path) -> Path:
        path = Path(path)
        self.grab().save(str(path), "PNG")
        return path

    def save_csv(self, folder: str | Path, stem: str = "curves") -> list[Path]:
        return self.series.write_csv(folder, stem)


def QColorA(color: str, alpha: int):  # noqa: N802 - reads like the QColor it builds
    from PySide6.QtGui import QColor

    c = QColor(color)
    c.setAlpha(alpha)
    return c
