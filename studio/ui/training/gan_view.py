"""The live picture of a GAN: what the generator draws from the same noise, and the duel with D.

A GAN run (studio/core/train/gan.py) sends, besides the usual events, per-step series of the two
networks in its step events (`series`: loss_d, loss_g, d_real, d_fake), the epoch's FID-like
distance and recognised share in its epoch events, and a `gan` event per epoch: 64 samples from a
fixed noise batch, the figures, and a mode-collapse warning with the course's advice. This view
shows

* the grid of samples (nearest-neighbour scaled, on the theme's surface), the epoch it is from and,
  for a conditional GAN, the class asked for: left of each row when a row holds one class, else
  in each tile's corner (the trainer's grid runs through the classes across the rows);
* D(x) and D(G(z)) per step with a dashed line at 0.5, where both meet when G fools D half the
  time, and the two losses per step;
* the FID-like distance per epoch and the recognised share / classes / diversity as text;
* the collapse warning in a banner, hidden while there is none.

The per-step curves are peak-decimated to about two points per pixel column (as the loss curves
are), so a redraw costs the same at step 100 and at step 100,000, and are handed to the plots only
while the tab shows (when it is hidden, they are drawn once it shows again).
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio.ui.common.plots import curve, follow_data, legend_text, make_plot, pen, set_title, show_empty
from studio.ui.common.widgets import VerdictBanner
from studio.ui.theme import current_colors, follow_theme
from studio.ui.training.data_view import PixmapLabel
from studio.ui.training.plots import PALETTE
from studio.ui.training.series import Growing, peak_decimate

TILE_TARGET_PX = 56
"""A tile is the image scaled by the whole factor that brings it nearest this size (28 x 28 digits
become 56, 8 x 8 ones too): nearest-neighbour at a whole factor keeps every pixel square."""
TABS_HEIGHT = 560
"""The curves' tab area grows to this height while a GAN run shows: the 8 x 8 grid needs it."""
GAP_PX = 2
ROW_LABEL_PX = 22
"""Room left of each row for its class (conditional GAN)."""
DECIMATE_ABOVE = 4000
"""Per-step curves longer than this are peak-decimated before drawing."""
COLLAPSE_COLOR = "#e8590c"
"""The orange of the curves' warning verdicts (overfitting, underfitting)."""
STEP_KEYS = ("loss_d", "loss_g", "d_real", "d_fake")


def tile_px(height: int) -> int:
    """The tile size of an image `height` pixels tall: a whole multiple (at least 1) near TILE_TARGET_PX."""
    return max(1, round(TILE_TARGET_PX / max(1, height))) * max(1, height)


def sample_grid(samples: np.ndarray, columns: int, size: int, row_labels: list[str] | None = None,
                tile_labels: list[str] | None = None) -> QPixmap:
    """(N, C, H, W) uint8 samples as one picture: `columns` tiles a row, each `size` pixels, scaled with
    nearest-neighbour, on the theme's surface; `row_labels` are written left of their row,
    `tile_labels` (when a row holds several classes) in each tile's top-left corner."""
    colors = current_colors()
    n = samples.shape[0]
    columns = max(1, min(columns, n))
    rows = max(1, (n + columns - 1) // columns)
    left = ROW_LABEL_PX if row_labels else 0
    surface = QColor(colors["surface"])
    canvas = np.empty((rows * (size + GAP_PX) + GAP_PX, left + columns * (size + GAP_PX) + GAP_PX, 3), np.uint8)
    canvas[:] = (surface.red(), surface.green(), surface.blue())
    if n:  # nearest-neighbour in numpy for all tiles at once, one picture for Qt
        h, w = samples.shape[2:]
        rgb = np.repeat(samples[:, :1], 3, axis=1) if samples.shape[1] != 3 else samples
        tiles = rgb.transpose(0, 2, 3, 1)[:, (np.arange(size) * h) // size][:, :, (np.arange(size) * w) // size]
        for i in range(n):
            r, c = divmod(i, columns)
            x, y = left + GAP_PX + c * (size + GAP_PX), GAP_PX + r * (size + GAP_PX)
            canvas[y:y + size, x:x + size] = tiles[i]
    height, width = canvas.shape[:2]
    pix = QPixmap.fromImage(QImage(canvas.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy())
    painter = QPainter(pix)
    font = QFont(painter.font())
    font.setPointSizeF(8.5)
    painter.setFont(font)
    painter.setPen(QColor(colors["muted"]))
    if tile_labels:
        small = QFont(font)
        small.setPointSizeF(7)
        painter.setFont(small)
        box = QColor(colors["surface"])
        box.setAlpha(200)
        for i, label in enumerate(tile_labels[:n]):
            r, c = divmod(i, columns)
            x, y = left + GAP_PX + c * (size + GAP_PX), GAP_PX + r * (size + GAP_PX)
            width = painter.fontMetrics().horizontalAdvance(label) + 4
            painter.fillRect(x, y, width, 11, box)
            painter.setPen(QColor(colors["text"]))
            painter.drawText(x + 2, y, width, 11, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
        painter.setFont(font)
        painter.setPen(QColor(colors["muted"]))
    for r, label in enumerate(row_labels or []):
        painter.drawText(0, GAP_PX + r * (size + GAP_PX), left - 4, size,
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
    painter.end()
    return pix


class PeakCache:
    """Peak decimation of a growing series that only decimates the new points: the points go in
    blocks of `per` (a power of two, about n / bins), each block keeps its min and max (as
    `peak_decimate` does), the finished blocks are kept and only the unfinished tail is added raw.
    When the series doubles, `per` doubles and the cache starts again: amortised, a redraw costs the
    new points, not the whole run."""

    def __init__(self) -> None:
        self.per = 0
        self.done = 0
        self.x = np.zeros(0)
        self.y = np.zeros(0)

    def get(self, x: np.ndarray, y: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
        n = x.size
        if n <= 2 * bins:
            self.per = 0
            return x, y
        per = 1 << int(np.ceil(np.log2(n / bins)))
        if per != self.per or n < self.done:
            self.per, self.done, self.x, self.y = per, 0, np.zeros(0), np.zeros(0)
        full = (n - self.done) // per * per
        if full:
            bx, by = peak_decimate(x[self.done:self.done + full], y[self.done:self.done + full], full // per)
            self.x, self.y = np.concatenate([self.x, bx]), np.concatenate([self.y, by])
            self.done += full
        tail = self.done if self.done < n else n - 1  # the newest point always ends the curve
        if self.x.size and self.x[-1] == x[-1]:
            tail = n
        return np.concatenate([self.x, x[tail:]]), np.concatenate([self.y, y[tail:]])


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class GanView(QWidget):
    """Samples from fixed noise, D(x) / D(G(z)) and the losses per step, the FID-like distance per
    epoch, and the mode-collapse warning."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.setSpacing(10)

        pictures = QVBoxLayout()
        pictures.setSpacing(4)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.grid = PixmapLabel("")
        pictures.addWidget(self.caption)
        pictures.addWidget(self.grid)
        pictures.addStretch(1)
        row.addLayout(pictures, 0)

        right = QVBoxLayout()
        right.setSpacing(6)
        row.addLayout(right, 1)
        self.banner = VerdictBanner(edged=True)
        right.addWidget(self.banner)
        top = QHBoxLayout()
        top.setSpacing(10)
        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        right.addLayout(top, 3)
        right.addLayout(bottom, 2)
        self.d_plot = make_plot("", self.tr("D output"), self.tr("Step"), min_height=170, live=True,
                                legend_offset=None)
        self.d_real_curve = curve(self.d_plot, self.tr("D(x) on real images"), PALETTE[2], 1.4)
        self.d_fake_curve = curve(self.d_plot, self.tr("D(G(z)) on fakes"), PALETTE[1], 1.4)
        self.half_line = self._half_line()
        self.d_plot.addItem(self.half_line)
        top.addWidget(self.d_plot, 1)
        self.loss_plot = make_plot("", self.tr("Loss"), self.tr("Step"), min_height=170, live=True,
                                   legend_offset=None)
        self.loss_d_curve = curve(self.loss_plot, self.tr("D loss"), PALETTE[3], 1.4)
        self.loss_g_curve = curve(self.loss_plot, self.tr("G loss"), PALETTE[0], 1.4)
        top.addWidget(self.loss_plot, 1)
        self.fid_plot = make_plot(self.tr("FID-like distance (small digits classifier's features; lower is better)"),
                                  self.tr("FID-like"), self.tr("Epoch"), min_height=130, live=True,
                                  legend_offset=None)
        self.fid_curve = curve(self.fid_plot, None, PALETTE[5], 2.0, symbol="o")
        self.fid_plot.setMaximumHeight(230)  # the step plots above get the rest
        bottom.addWidget(self.fid_plot, 5)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.figures, 2)
        self._set_titles()

        self.steps = Growing()
        self.values: dict[str, Growing] = {k: Growing() for k in STEP_KEYS}
        self.fid_epochs = Growing(64)
        self.fid_values = Growing(64)
        self.last_event: dict[str, Any] | None = None
        self.tile_size = 0
        self._stale = False
        """New step data came while the tab was hidden: drawn when it shows."""
        follow_theme(self, self._restyle)
        self.clear()

    def _set_titles(self) -> None:
        """The two step plots' legends are written in their titles: the curves reach every corner."""
        set_title(self.d_plot, legend_text([(self.tr("D(x) on real images"), PALETTE[2]),
                                            (self.tr("D(G(z)) on fakes"), PALETTE[1])]))
        set_title(self.loss_plot, legend_text([(self.tr("D loss"), PALETTE[3]), (self.tr("G loss"), PALETTE[0])]))

    def _half_line(self):
        import pyqtgraph as pg

        muted = current_colors()["muted"]
        return pg.InfiniteLine(pos=0.5, angle=0, movable=False, pen=pen(muted, 1.2, 220, Qt.PenStyle.DashLine),
                               label=self.tr("0.5: G fools D half the time"),
                               labelOpts={"color": muted, "position": 0.25, "anchors": [(0.5, 0), (0.5, 0)]})

    # --- what the trainer sends -----------------------------------------------------------------
    def add_events(self, events: list[dict[str, Any]]) -> bool:
        """Take a batch of events; returns whether any was a GAN run's (a `gan` event or a step with
        the GAN series). Only the newest `gan` event of the batch is drawn."""
        gan = False
        newest = None
        for ev in events:
            kind = ev.get("event")
            if kind == "start":
                resumed = ev.get("resumed_from_step")
                if resumed:
                    self._rewind(int(resumed))
                else:
                    self.clear()
            elif kind == "step":
                series = ev.get("series")
                if not series or "d_real" not in series:
                    continue
                n = len(series["d_real"])
                if ev.get("steps") is not None:
                    self.steps.extend(ev["steps"])
                else:
                    first = int(ev.get("first_step", int(ev.get("step", n)) - n + 1))
                    self.steps.extend(np.arange(first, first + n))
                for key in STEP_KEYS:
                    values = series.get(key) or [None] * n
                    self.values[key].extend([_float(v) for v in values])
                gan = True
            elif kind == "epoch" and "val_fid_like" in ev:
                self.fid_epochs.append(_float(ev.get("epoch")))
                self.fid_values.append(_float(ev.get("val_fid_like")))
                gan = True
            elif kind == "gan":
                newest = ev
                gan = True
        if newest is not None:
            self.show_event(newest)
        if gan:
            self.redraw()
        return gan

    def _rewind(self, step: int) -> None:
        n = int(np.searchsorted(self.steps.values, step, side="right"))
        self.steps.keep(n)
        for values in self.values.values():
            values.keep(n)
        self._peaks = {k: PeakCache() for k in STEP_KEYS}

    def show_event(self, event: dict[str, Any]) -> None:
        """Draw a `gan` event: the grid, its caption, the figures and the collapse banner."""
        self.last_event = event
        shape = [int(v) for v in (event.get("shape") or [1, 28, 28])]
        samples = np.asarray(event.get("samples") or [], dtype=np.uint8).reshape(-1, *shape)
        columns = int(event.get("columns") or 8)
        labels = event.get("labels")
        names = list(event.get("class_names") or [])
        row_labels = tile_labels = None
        if labels:
            named = [names[int(k)] if int(k) < len(names) else str(int(k)) for k in labels]
            rows = [named[r:r + columns] for r in range(0, len(named), columns)]
            if all(len(set(row)) == 1 for row in rows):  # a class a row
                row_labels = [row[0] for row in rows]
            else:  # the classes run across the rows: each tile says its own
                tile_labels = named
        self.tile_size = tile_px(shape[1])
        self._samples, self._columns = samples, columns
        self._row_labels, self._tile_labels = row_labels, tile_labels
        self._draw_grid()
        if row_labels:
            caption = self.tr("Epoch {epoch}: {n} samples from the same noise; left: the class asked "
                              "for").format(epoch=event.get("epoch"), n=len(samples))
        elif tile_labels:
            caption = self.tr("Epoch {epoch}: {n} samples from the same noise; corner: the class asked "
                              "for").format(epoch=event.get("epoch"), n=len(samples))
        else:
            caption = self.tr("Epoch {epoch}: {n} samples from the same noise each epoch").format(
                epoch=event.get("epoch"), n=len(samples))
        self.caption.setText(caption)
        self.figures.setText(self._figures_text(event))
        self._show_collapse(event.get("collapse"), list(event.get("advice") or []))

    def _draw_grid(self) -> None:
        self._grid_pixmap = sample_grid(self._samples, self._columns, self.tile_size, self._row_labels,
                                        self._tile_labels)
        self.grid.setPixmap(self._grid_pixmap)

    @property
    def grid_image(self) -> QImage | None:
        """The grid as drawn (None before the first `gan` event), for reading its pixels back."""
        return None if self._grid_pixmap is None else self._grid_pixmap.toImage()

    def _figures_text(self, event: dict[str, Any]) -> str:
        parts = []
        recognised = event.get("recognised")
        if recognised is not None:
            parts.append(self.tr("Recognised: {share}% of 256 samples (classifier confidence at least 0.9)").format(
                share=f"{100 * float(recognised):.0f}"))
        if event.get("classes") is not None:
            parts.append(self.tr("Classes covered: {classes} of {total}").format(
                classes=int(event["classes"]), total=event.get("num_classes") or "?"))
        if event.get("diversity") is not None:
            parts.append(self.tr("Diversity: {share}% of the real images' spread").format(
                share=f"{100 * float(event['diversity']):.0f}"))
        if event.get("d_real") is not None and event.get("d_fake") is not None:
            parts.append(self.tr("Validation: D(x) {real}, D(G(z)) {fake}").format(
                real=f"{float(event['d_real']):.2f}", fake=f"{float(event['d_fake']):.2f}"))
        return "<br>".join(escape(p) for p in parts)

    def _show_collapse(self, collapse: str | None, advice: list[str]) -> None:
        if not collapse:
            self.banner.clear()
            return
        lines = "".join(f"<li>{escape(a)}</li>" for a in advice)
        self.banner.show_verdict("warn", "", collapse,
                                 advice=(self.tr("What helps:") + f"<ul style='margin:0'>{lines}</ul>") if lines else "",
                                 color=COLLAPSE_COLOR)

    # --- drawing ----------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Hand the curves their data (decimated); while the tab is hidden this waits for it to show."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        x = self.steps.values
        if x.size or self.fid_epochs.n:
            for plot in (self.loss_plot, self.fid_plot):
                follow_data(plot)
            self.d_plot.getPlotItem().enableAutoRange(axis="x")
        for item, key, plot in ((self.d_real_curve, "d_real", self.d_plot), (self.d_fake_curve, "d_fake", self.d_plot),
                                (self.loss_d_curve, "loss_d", self.loss_plot),
                                (self.loss_g_curve, "loss_g", self.loss_plot)):
            self._set_step_data(item, plot, x, self.values[key].values, self._peaks[key])
        self.fid_curve.setData(self.fid_epochs.values, self.fid_values.values, connect="finite")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.redraw()

    @staticmethod
    def _set_step_data(item, plot, x: np.ndarray, y: np.ndarray, peaks: PeakCache) -> None:
        if x.size > DECIMATE_ABOVE:
            width = max(200, int(plot.getPlotItem().vb.width()) or 600)
            x, y = peaks.get(x, y, width)
        item.setData(x, y, connect="finite")

    def curve_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of a curve as drawn ("d_real", "d_fake", "loss_d", "loss_g", "fid")."""
        item = {"d_real": self.d_real_curve, "d_fake": self.d_fake_curve, "loss_d": self.loss_d_curve,
                "loss_g": self.loss_g_curve, "fid": self.fid_curve}[name]
        x, y = item.getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))

    def clear(self) -> None:
        self.last_event = None
        self._grid_pixmap: QPixmap | None = None
        self._samples, self._columns = np.zeros((0, 1, 1, 1), dtype=np.uint8), 8
        self._row_labels = self._tile_labels = None
        self.steps = Growing()
        self.values = {k: Growing() for k in STEP_KEYS}
        self._peaks = {k: PeakCache() for k in STEP_KEYS}
        self.fid_epochs, self.fid_values = Growing(64), Growing(64)
        self.caption.setText(self.tr("Samples from the generator appear here after the first epoch."))
        self.grid.clear()
        self.figures.setText("")
        self.banner.clear()
        for item in (self.d_real_curve, self.d_fake_curve, self.loss_d_curve, self.loss_g_curve, self.fid_curve):
            item.setData([], [])
        show_empty(self.d_plot)  # D's verdicts are probabilities: the axis stays 0 to 1
        self.d_plot.getPlotItem().setYRange(0.0, 1.0, padding=0.02)
        show_empty(self.loss_plot)
        show_empty(self.fid_plot, (1.0, 2.0))

    def _restyle(self) -> None:
        """A theme change repaints the grid's surface and the 0.5 line (the plots repaint themselves)."""
        self._set_titles()
        muted = current_colors()["muted"]
        self.half_line.setPen(pen(muted, 1.2, 220, Qt.PenStyle.DashLine))
        self.half_line.label.setColor(muted)
        if self.last_event is not None:
            self._draw_grid()
            self._show_collapse(self.last_event.get("collapse"), list(self.last_event.get("advice") or []))
