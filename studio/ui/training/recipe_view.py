"""The recipe's findings: the verdict on the curves, the check list, and the plots behind the checks
(LR range test, prediction dynamics on a fixed batch, first-layer filters).

Each result keeps the configuration it ran on (recipe/basis.py). Once the project's graph, data or
training config moves on, its row is greyed and a note names the earlier configuration ("lr 0.001"),
so a PASS of another configuration never reads as one of this one; the verdict takes the LR range
test's suggestion only from a sweep of the same graph, data and optimizer (recipe/evidence.py).
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.recipe.basis import Change, basis_changes, check_basis, same_but_lr
from studio.core.recipe.diagnosis import Verdict
from studio.core.recipe.evidence import fix_with_checks, verdict_with_checks
from studio.core.recipe.result import NOT_APPLICABLE, CheckResult
from studio.ui.common.plots import PlotView, curve, make_plot, pen
from studio.ui.common.widgets import VerdictBanner
from studio.ui.theme import current_colors
from studio.ui.training.plots import PALETTE, HoverReadout
from studio.ui.training.recipe_job import RUNNING

STALE_OPACITY = 0.35
"""How visible a plot of an earlier configuration stays: readable, but plainly not this one's."""

STATUS_COLORS = {"pass": "#2f9e44", "warn": "#e8590c", "fail": "#e03131", "n/a": "#868e96"}
"""Chip colours; "n/a" (a check that does not apply to this kind of model) is a quiet grey."""
DIAGNOSIS_COLORS = {"healthy": "#2f9e44", "still_improving": "#2563eb", "underfitting": "#e8590c",
                    "overfitting": "#e8590c", "no_better_than_unigram": "#e8590c", "diverging": "#e03131",
                    "balanced": "#2f9e44", "unsettled": "#e8590c", "discriminator_wins": "#e8590c",
                    "mode_collapse": "#e03131"}
"""The curves' verdicts by name; the others (too early, not trained) are muted."""


def rgb_pixmap(rgb: np.ndarray, scale: int = 1) -> QPixmap:
    rgb = np.ascontiguousarray(rgb.astype(np.uint8))
    h, w = rgb.shape[:2]
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    pix = QPixmap.fromImage(image)
    if scale > 1:
        pix = pix.scaled(w * scale, h * scale, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.FastTransformation)
    return pix


def show_diagnosis(banner: VerdictBanner, verdict: Verdict) -> None:
    """The curves' verdict on an edged banner: what, since when, why, and what to do (its texts keep
    the translation context of the banner class they were first written in; each call spells the
    context so that lupdate finds the texts)."""
    since = ""
    if verdict.epoch and verdict.name not in ("healthy", "balanced"):
        since = QCoreApplication.translate("VerdictBanner", " — since epoch {e}").format(e=verdict.epoch)
    if verdict.name == "overfitting" and verdict.actions:
        items = "".join(f"<li>{escape(a)}</li>" for a in verdict.actions)
        advice = (QCoreApplication.translate("VerdictBanner", "Regularise, in the course's order:")
                  + f"<ol style='margin:2px 0'>{items}</ol>")
    else:
        advice = escape(verdict.advice)
    banner.show_verdict(verdict.name, "", verdict.title, verdict.evidence, advice=advice, note=since,
                        color=DIAGNOSIS_COLORS.get(verdict.name))


class CheckRow(QFrame):
    """One check: a status chip and its numbers; greyed (chip included) once it is stale."""

    def __init__(self, result: CheckResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.basis = result.artifacts.get("basis")
        """The configuration the check ran on (None: unknown, never called stale)."""
        self.stale = False
        self.setObjectName("checkRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(12)
        self.chip = QLabel(result.status.upper())
        self.chip.setObjectName("statusChip")
        self.chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chip.setFixedWidth(48)
        layout.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label, 1)
        self._render()

    def set_stale(self, stale: bool, earlier: str = "") -> None:
        """Grey the row (`earlier` names the configuration it ran on) or give it its colours back."""
        if stale != self.stale or (stale and earlier != self._earlier):
            self.stale = stale
            self._earlier = earlier
            self._render()

    _earlier = ""

    def chip_color(self) -> str:
        """The chip's fill: its status colour, or the theme's quiet border grey once stale."""
        return current_colors()["border"] if self.stale else STATUS_COLORS[self.result.status]

    def _render(self) -> None:
        colors = current_colors()
        result = self.result
        text_color = colors["muted"] if self.stale else "white"
        self.chip.setStyleSheet(f"background:{self.chip_color()};color:{text_color};border-radius:9px;"
                                "padding:2px 0;font-weight:600;font-size:8pt")
        title_color = colors["muted"] if self.stale else colors["text"]
        advice_color = colors["muted"] if self.stale else STATUS_COLORS[result.status]
        advice = f"<br><span style='color:{advice_color}'>{escape(result.advice)}</span>" \
            if result.advice and result.status != "pass" else ""
        expected = (f"<br><span style='color:{colors['muted']}'>expected: {escape(result.expected)}</span>"
                    if result.expected else "")  # a check that does not apply says why, and expects nothing
        self.label.setText(f"<b style='color:{title_color}'>{escape(result.title)}</b> &nbsp;"
                           f"<span style='color:{colors['muted']}'>{escape(result.measured)}</span>"
                           f"{expected}{advice}")
        tip = result.advice or result.expected or result.measured
        if self.stale:
            tip = self.tr("From an earlier configuration ({what}): run the checks again.").format(
                what=self._earlier) + "\n" + tip
        self.label.setToolTip(tip)
        self.chip.setToolTip(tip)


class ChecksProgress(QWidget):
    """Beside the "Run recipe checks" button while checks run: which one, of how many."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.bar = QProgressBar()
        self.bar.setObjectName("checksProgressBar")
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(90, 8)
        self.label = QLabel("")
        self.label.setObjectName("Muted")
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.running = False
        self.hide()

    def set_running(self, running: bool) -> None:
        """Shown (busy until the first check starts) while checks run; hidden when they end."""
        if running == self.running:
            return
        self.running = running
        if running:
            self.bar.setRange(0, 0)  # loading the data: no count yet
            self.label.setText(self.tr("preparing the checks…"))
        self.setVisible(running)

    def step(self, index: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(index - 1)
        self.label.setText(self.tr("running check {i} of {n}…").format(i=index, n=total))


class RecipeView(QWidget):
    """Check rows plus the LR range plot, the prediction-dynamics strip and the filter grid.

    Given the app's `state`, it follows the project: rows of an earlier configuration are marked
    stale, and the filter pane says whether this model has a convolution to show. Given
    `progress` (the widget beside the panel's button), `job_progress` tells it which check runs."""

    use_lr = Signal(float)

    def __init__(self, state=None, progress: ChecksProgress | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.progress = progress
        colors = current_colors()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.stale_note = QLabel("")
        self.stale_note.setObjectName("staleNote")
        self.stale_note.setWordWrap(True)
        self.stale_note.setStyleSheet(f"color:{STATUS_COLORS['warn']};font-weight:600")
        self.stale_note.hide()
        layout.addWidget(self.stale_note)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        self.placeholder = QLabel(self.tr("No checks run yet. The cheap ones run by themselves when you press "
                                          "Start; “Run recipe checks” runs all of them (a few seconds)."))
        self.placeholder.setObjectName("Hint")
        self.placeholder.setWordWrap(True)
        self.rows_box.addWidget(self.placeholder)
        layout.addLayout(self.rows_box)
        self.rows: dict[str, CheckRow] = {}

        plots = QGridLayout()
        plots.setHorizontalSpacing(10)
        self.lr_plot = make_plot(self.tr("LR range test"), self.tr("loss"), self.tr("learning rate"), min_height=230,
                                 live=True)
        self.lr_plot.getPlotItem().setLogMode(x=True)
        self.lr_raw = curve(self.lr_plot, self.tr("loss"), PALETTE[0], 1.0, 80)
        self.lr_smooth = curve(self.lr_plot, self.tr("smoothed"), PALETTE[0], 2.0)
        self.lr_hover = HoverReadout(self.lr_plot, [(self.tr("loss"), self.lr_raw), (self.tr("smoothed"), self.lr_smooth)],
                                     "lr")
        self.suggested_line = pg.InfiniteLine(angle=90, pen=pen(PALETTE[2], 1.6, 230, Qt.PenStyle.DashLine),
                                              label="suggested", labelOpts={"color": PALETTE[2], "position": 0.9,
                                                                          "fill": colors["surface"]})
        self.configured_line = pg.InfiniteLine(angle=90, pen=pen(colors["muted"], 1.2, 200, Qt.PenStyle.DotLine),
                                               label="yours", labelOpts={"color": colors["muted"], "position": 0.75,
                                                                           "fill": colors["surface"]})
        for line in (self.suggested_line, self.configured_line):
            line.hide()
            self.lr_plot.addItem(line, ignoreBounds=True)
        lr_box = QVBoxLayout()
        lr_box.addWidget(self.lr_plot)
        self.use_lr_button = QPushButton(self.tr("Use the suggested learning rate"))
        self.use_lr_button.setObjectName("useSuggestedLr")
        self.use_lr_button.setEnabled(False)
        self.use_lr_button.clicked.connect(self._use_lr)
        lr_box.addWidget(self.use_lr_button, 0, Qt.AlignmentFlag.AlignLeft)
        plots.addLayout(lr_box, 0, 0)

        self.dyn_plot = PlotView(background=colors["surface"])
        self.dyn_plot.setMinimumHeight(230)
        self.dyn_plot.getPlotItem().setTitle(
            f"<span style='color:{colors['text']};font-weight:600'>"
            f"{self.tr('Prediction dynamics: p(true class) per example over training')}</span>", size="10pt")
        self.dyn_plot.getPlotItem().invertY(True)
        self.dyn_image = pg.ImageItem()
        # p(true class): red where the net is wrong and sure, white when unsure, green when right.
        self.dyn_image.setColorMap(pg.ColorMap([0.0, 0.5, 1.0], ["#e03131", "#f8f9fa", "#2f9e44"]))
        self.dyn_plot.addItem(self.dyn_image)
        self.dyn_plot.getPlotItem().getAxis("bottom").setLabel(self.tr("training step"), color=colors["muted"])
        self.dyn_plot.getPlotItem().getAxis("left").setLabel(self.tr("example (true class)"), color=colors["muted"])
        plots.addWidget(self.dyn_plot, 0, 1)
        filt = QVBoxLayout()
        self.filter_title = QLabel(self.tr("First-layer filters"))
        self.filter_title.setObjectName("SectionTitle")
        self.filter_image = QLabel("")
        self.filter_image.setObjectName("Hint")
        self.filter_image.setWordWrap(True)
        self.filter_image.setMinimumHeight(120)
        self.filter_image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        filt.addWidget(self.filter_title)
        filt.addWidget(self.filter_image, 1)
        plots.addLayout(filt, 1, 0, 1, 2)
        plots.setColumnStretch(0, 1)
        plots.setColumnStretch(1, 1)
        layout.addLayout(plots)
        self.suggested_lr: float | None = None
        self._filters_shown = False
        self._conv_of: tuple[str, bool | None] | None = None
        self._show_filter_hint()
        if state is not None:
            state.project_edited.connect(self._project_edited)
            state.project_replaced.connect(self._project_edited)

    def clear(self) -> None:
        """No results: the rows go, and the plots and filters of the ones that went with them."""
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows = {}
        self.placeholder.show()
        self.stale_note.hide()
        for item in (self.lr_raw, self.lr_smooth):
            item.setData([], [])
        for line in (self.suggested_line, self.configured_line):
            line.hide()
        self.suggested_lr = None
        self.use_lr_button.setEnabled(False)
        self.use_lr_button.setText(self.tr("Use the suggested learning rate"))
        self.dyn_image.clear()
        self.filter_image.clear()
        self.filter_title.setText(self.tr("First-layer filters"))
        self._filters_shown = False
        self._show_filter_hint()
        self._refresh_stale()

    def job_progress(self, values: tuple) -> None:
        """A report of the checks' job: a check about to start, or one finished (its result)."""
        if values and values[0] == RUNNING:
            if self.progress is not None:
                self.progress.step(int(values[1]), int(values[2]))
        elif values:
            self.add_result(values[0])

    # --- which results belong to this configuration ----------------------------------------------
    def current_basis(self) -> dict | None:
        return check_basis(self.state.project) if self.state is not None else None

    def _project_edited(self, part: str = "") -> None:
        if part in ("", "graph", "data", "training"):
            self._refresh_stale()
        if part in ("", "graph"):
            self._show_filter_hint()

    def _describe(self, changes: list[Change]) -> str:
        """The earlier configuration, by what differs: "lr 0.001", "another graph", "optimizer adam"."""
        names = {"lr": self.tr("lr"), "batch_size": self.tr("batch"), "optimizer": self.tr("optimizer")}
        parts = []
        for change in changes[:3]:
            if change.key == "graph":
                parts.append(self.tr("another graph"))
            elif change.key == "data":
                parts.append(self.tr("other data"))
            else:
                old = f"{change.old:g}" if isinstance(change.old, float) else str(change.old)
                parts.append(f"{names.get(change.key, change.key)} {old}")
        return ", ".join(parts)

    def _refresh_stale(self) -> None:
        """Grey the rows (and plots) of an earlier configuration and say which one it was."""
        current = self.current_basis()
        earlier = ""
        for name, row in self.rows.items():
            changes = basis_changes(row.basis, current)
            what = self._describe(changes) if changes else ""
            row.set_stale(bool(changes), what)
            if changes and (not earlier or name == "lr_range"):
                earlier = what
        stale = [row for row in self.rows.values() if row.stale]
        if stale:
            text = (self.tr("These results are from an earlier configuration ({what}): run the recipe checks again "
                            "for this one.") if len(stale) == len(self.rows) else
                    self.tr("The greyed results are from an earlier configuration ({what}): run the recipe checks "
                            "again for this one."))
            self.stale_note.setText(text.format(what=earlier))
        self.stale_note.setVisible(bool(stale))
        self._restyle_plots(current)

    def _restyle_plots(self, current: dict | None) -> None:
        """The LR sweep holds across an lr change ("yours" moves to the new lr), not across others;
        the dynamics and the filters belong to their check's configuration."""
        lr_row = self.rows.get("lr_range")
        sweep_holds = lr_row is None or not lr_row.stale or same_but_lr(lr_row.basis, current)
        for item in (self.lr_raw, self.lr_smooth, self.suggested_line):
            item.setOpacity(1.0 if sweep_holds else STALE_OPACITY)
        self.use_lr_button.setEnabled(bool(self.suggested_lr) and sweep_holds)
        if lr_row is not None and self.configured_line.isVisible() and current is not None:
            self._place_configured(float(current["training"].get("lr") or lr_row.result.details["configured_lr"]))
        dyn_row = self.rows.get("prediction_dynamics")
        self.dyn_image.setOpacity(STALE_OPACITY if dyn_row is not None and dyn_row.stale else 1.0)
        filt_row = self.rows.get("first_layer_filters")
        self.filter_image.setEnabled(filt_row is None or not filt_row.stale)  # a disabled pixmap is drawn grey

    def fresh_results(self, lr_may_differ: bool = False) -> list[CheckResult]:
        """Results of the configuration shown now (with `lr_may_differ`: also of one that differs
        only in its lr, which an LR sweep does not depend on)."""
        current = self.current_basis()
        return [row.result for row in self.rows.values()
                if not row.stale or (lr_may_differ and same_but_lr(row.basis, current))]

    def verdict_with_evidence(self, verdict: Verdict) -> Verdict:
        """The verdict, its advice taken from this configuration's LR range test when there is one."""
        lr = self.state.train_config.lr if self.state is not None else None
        return verdict_with_checks(verdict, self.fresh_results(lr_may_differ=True), lr)

    def run_fix(self, final: dict) -> str:
        """The fix to show for a run that ended diverged (its `done` or NaN `error` event): the
        trainer's lr/10 or lr/100, or this configuration's range-test lr when there is one."""
        fix = str(final.get("fix") or "")
        if not (final.get("diverged") or final.get("kind") == "nan"):
            return fix
        lr = (final.get("diagnosis") or {}).get("lr")
        if lr is None and self.state is not None:
            lr = self.state.train_config.lr
        return fix_with_checks(fix, self.fresh_results(lr_may_differ=True), lr)

    # --- the first-layer filters ----------------------------------------------------------------
    def _has_convolution(self) -> bool | None:
        if self.state is None:
            return None
        from studio.core.recipe.probes import graph_has_convolution

        graph = self.state.project.graph
        key = repr(check_basis(self.state.project)["graph"])  # blocks and wires; moving one changes nothing
        if self._conv_of is None or self._conv_of[0] != key:
            self._conv_of = (key, graph_has_convolution(graph))
        return self._conv_of[1]

    def _show_filter_hint(self) -> None:
        """Until the checks show filters: say they will, or that this model has none to show."""
        if self._filters_shown:
            return
        if self._has_convolution() is False:
            self.filter_image.setText(self.tr("This model has no convolution, so it has no first-layer filters to "
                                              "show."))
        else:
            self.filter_image.setText(self.tr("Run the recipe checks to see the first layer's filters."))

    def add_result(self, result: CheckResult) -> None:
        self.placeholder.hide()
        old = self.rows.pop(result.check, None)
        row = CheckRow(result)
        if old is not None:
            index = self.rows_box.indexOf(old)
            old.setParent(None)
            old.deleteLater()
            self.rows_box.insertWidget(index, row)
        else:
            self.rows_box.addWidget(row)
        self.rows[result.check] = row
        if result.status == NOT_APPLICABLE:
            pass  # nothing to plot: the row says why the check does not apply
        elif result.check == "lr_range":
            self._show_lr_range(result)
        elif result.check == "prediction_dynamics":
            self._show_dynamics(result)
        elif result.check == "first_layer_filters":
            self._show_filters(result)
        self._refresh_stale()

    def statuses(self) -> dict[str, str]:
        return {name: row.result.status for name, row in self.rows.items()}

    def _show_lr_range(self, result: CheckResult) -> None:
        d = result.details
        self.lr_plot.getPlotItem().enableAutoRange(x=True)  # an earlier "yours" may have widened it
        lrs = np.asarray(d["lrs"], dtype=float)
        self.lr_raw.setData(lrs, np.asarray(d["losses"], dtype=float), connect="finite")
        self.lr_smooth.setData(lrs, np.asarray(d["smoothed"], dtype=float), connect="finite")
        smooth = np.asarray(d["smoothed"], dtype=float)
        finite = smooth[np.isfinite(smooth)]
        if finite.size:  # the blow-up at the end would flatten the interesting part: clip to 1.5x the start
            low = float(np.nanmin(np.asarray(d["losses"], dtype=float)))
            self.lr_plot.getPlotItem().setYRange(min(low, float(finite.min())) * 0.9, float(finite[0]) * 1.5,
                                                 padding=0)
        self.suggested_lr = d.get("suggested_lr")
        self.suggested_line.hide()
        self.use_lr_button.setEnabled(False)
        if self.suggested_lr:
            self.suggested_line.setPos(np.log10(self.suggested_lr))
            self.suggested_line.label.setFormat(self.tr("suggested {lr}").format(lr=f"{self.suggested_lr:.2g}"))
            self.suggested_line.label.valueChanged()
            self.suggested_line.show()
            self.use_lr_button.setEnabled(True)
            self.use_lr_button.setText(self.tr("Use lr = {lr}").format(lr=f"{self.suggested_lr:.2g}"))
        if d.get("configured_lr"):
            self.configured_line.show()
            self._place_configured(float(d["configured_lr"]))

    def _place_configured(self, lr: float) -> None:
        """The "yours" line at `lr`, the sweep widened to show it when it lies beyond (lr 50)."""
        if not lr or lr <= 0:
            return
        x = float(np.log10(lr))
        self.configured_line.setPos(x)
        self.configured_line.label.setFormat(self.tr("yours {lr}").format(lr=f"{lr:g}"))
        self.configured_line.label.valueChanged()
        lrs = self.lr_raw.xData  # the lrs themselves; the view's x is their log10 (log mode)
        item = self.lr_plot.getPlotItem()
        if lrs is not None and len(lrs):
            lo, hi = float(np.log10(np.min(lrs))), float(np.log10(np.max(lrs)))
            if lo <= x <= hi:
                item.enableAutoRange(x=True)
            else:
                item.setXRange(min(lo, x - 0.3), max(hi, x + 0.3), padding=0.02)

    def _use_lr(self) -> None:
        if self.suggested_lr:
            self.use_lr.emit(float(f"{self.suggested_lr:.2g}"))

    def _show_dynamics(self, result: CheckResult) -> None:
        snaps = result.details["snapshots"]
        p = np.asarray([s["p_true"] for s in snaps], dtype=float)  # (snapshots, examples)
        classes = int(result.details.get("num_classes") or 0)
        if classes > 1:  # white where the net guesses (p = 1/C), red below, green above
            self.dyn_image.setColorMap(pg.ColorMap([0.0, 1.0 / classes, 1.0], ["#e03131", "#f8f9fa", "#2f9e44"]))
        self.dyn_image.setImage(p, levels=(0.0, 1.0))
        labels = result.details.get("labels", [])
        steps = [s["step"] for s in snaps]
        axis = self.dyn_plot.getPlotItem()
        axis.getAxis("bottom").setTicks([[(i + 0.5, str(st)) for i, st in enumerate(steps)]])
        axis.getAxis("left").setTicks([[(j + 0.5, str(lab)) for j, lab in enumerate(labels)]])

    def _show_filters(self, result: CheckResult) -> None:
        image = result.artifacts.get("filter_image")
        if image is None:
            return
        scale = max(1, min(6, 360 // max(1, image.shape[0])))
        self._filters_shown = True
        self.filter_image.setPixmap(rgb_pixmap(image, scale))
        self.filter_title.setText(self.tr("First-layer filters ({layer}): {measured}").format(
            layer=result.details.get("layer"), measured=result.measured))
