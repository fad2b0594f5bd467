"""Themed pyqtgraph plots, the one way every panel builds them.

pyqtgraph draws with its own colours, not the Qt style sheet, so a plot takes the theme's colours
when `make_plot` builds it and repaints itself when the theme changes (`follow_theme`: Qt tells every
widget with a palette or style change, and the plot restyles once the new theme is in place).
`restyle` repaints one by hand. Two kinds of plot:

* a figure redrawn whole (the audio lab's signals and spectra): a light grid, no context menu;
* a `live` plot of series that grow while training runs, up to 100,000 points: it clips to the
  visible range and peak-downsamples (pyqtgraph's `setClipToView` and `setDownsampling(mode="peak")`),
  so a long series costs what the pixels need and spikes stay visible when many points share a
  pixel; it keeps the context menu (log axes, export) and lets the wheel scroll the page.

Axes speak in the quantity's own units: an axis without units never gets pyqtgraph's scale
multiplier ("650 (x0.001)"), a `percent` axis writes 0.65 as "65%", a `log` axis spaces decades
evenly and writes them as plain numbers ("0.001", "1e12"). An empty plot shows the quantity's
usual range (`show_empty`), not whatever the last data left.
"""

from __future__ import annotations

from math import ceil, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from studio.ui import theme
from studio.ui.common.style import is_dark
from studio.ui.theme import follow_theme

VALUE, PERCENT, LOG = "value", "percent", "log"
"""How a plot's value axis writes its numbers (see `ValueAxis`)."""

EMPTY_RANGE = {VALUE: (0.0, 1.0), PERCENT: (0.0, 1.0), LOG: (-4.0, 0.0)}
"""The y range an empty plot shows, per kind (a log axis in decades: 1e-4 … 1)."""

PALETTE = ("#2563eb", "#e8590c", "#2f9e44", "#ae3ec9", "#f59f00", "#0c8599", "#e03131", "#5f3dc4", "#74b816",
           "#d6336c")
"""The colours of curves, and of classes (a class is the same colour in every panel)."""


def pen(color: str | QColor, width: float = 1.6, alpha: int = 255, style=Qt.PenStyle.SolidLine):
    c = QColor(color)
    c.setAlpha(alpha)
    p = pg.mkPen(c, width=width)
    p.setStyle(style)
    p.setCosmetic(True)
    return p


def brush(color: str | QColor, alpha: int = 255):
    c = QColor(color)
    c.setAlpha(alpha)
    return pg.mkBrush(c)


def plain_number(value: float, places: int | None = None) -> str:
    """1.5e+08 -> '1.5e8', 0.25 -> '0.25'; `places` fixes the decimals of mid-sized numbers."""
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5 or places is None:
        text = f"{value:.3g}"
    else:
        text = f"{value:.{places}f}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


class ValueAxis(pg.AxisItem):
    """An axis that writes numbers in the quantity's units: no SI scale factor in the title, "65%"
    on a `percent` axis, decades as plain numbers on a log one."""

    def __init__(self, orientation: str, kind: str = VALUE, **kwargs):
        super().__init__(orientation, **kwargs)
        self.kind = kind
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if self.logMode:
            return [self._decade_text(v) for v in values]
        if self.kind == PERCENT:
            places = max(0, ceil(-log10(spacing * 100))) if spacing > 0 else 0
            return [f"{v * 100:.{places}f}%" for v in values]
        places = max(0, ceil(-log10(spacing * scale))) if spacing > 0 else 0
        return [plain_number(v * scale, places) for v in values]


    def _decade_text(self, exponent: float) -> str:
        """A log axis names 1, 2 and 5 times each power of ten when it shows less than two decades,
        only the powers when it shows more; the other minor ticks stay unnamed (named, they overlap)."""
        value = float(10.0 ** exponent)
        mantissa = round(value / 10.0 ** np.floor(exponent + 1e-9), 6)
        span = abs(self.range[1] - self.range[0])
        named = (1.0,) if span >= 2 else (1.0, 2.0, 5.0)
        return plain_number(value) if mantissa in named else ""


class PlotView(pg.PlotWidget):
    """A plot inside a scrolling page: the wheel scrolls the page; Ctrl+wheel zooms the plot. It
    follows the theme, and its axes write plain numbers (`ValueAxis`) unless given others."""

    def __init__(self, *args, axisItems=None, **kwargs):  # noqa: N803 - pyqtgraph's name
        axes = axisItems or {"left": ValueAxis("left"), "bottom": ValueAxis("bottom")}
        super().__init__(*args, axisItems=axes, **kwargs)
        follow_theme(self, lambda: restyle(self))

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
        else:
            event.ignore()  # an ignored wheel event goes on to the parent: the page scrolls


def make_plot(title: str = "", left: str = "", bottom: str = "", *, left_units: str | None = None,
              bottom_units: str | None = None, min_height: int = 150, live: bool = False,
              legend_offset: tuple[int, int] | None = (-10, 10), y_kind: str = VALUE) -> pg.PlotWidget:
    """A plot with labelled axes in the theme's colours that follows the theme; a `live` one comes
    with its legend at `legend_offset` (None: no legend; other plots add theirs with `add_legend`
    where their curves leave room). `y_kind` (VALUE, PERCENT, LOG) says how the value axis reads."""
    colors = theme.current_colors()
    axes = {"left": ValueAxis("left", y_kind), "bottom": ValueAxis("bottom")}
    plot = PlotView(background=colors["surface"], axisItems=axes) if live else pg.PlotWidget(axisItems=axes)
    plot.y_kind = y_kind
    plot.setMinimumHeight(min_height)
    item = plot.getPlotItem()
    if title:
        set_title(plot, title)
    for side, text, units in (("left", left, left_units), ("bottom", bottom, bottom_units)):
        if units:  # a unit gets its SI prefix (ms, kHz); a bare number never gets a scale factor
            item.getAxis(side).enableAutoSIPrefix(True)
        if text:
            item.setLabel(side, text, units=units)
    if y_kind == LOG:
        item.setLogMode(y=True)
    if live:
        # No grid: pyqtgraph draws it into the axis picture with alpha blending, which made each redraw
        # 4x slower in software rendering (bench_ui: 80 ms vs 20 ms per refresh).
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        if legend_offset is not None:
            add_legend(plot, legend_offset, framed=False)
    else:
        plot.setMenuEnabled(False)
        plot.hideButtons()
        item.showGrid(x=True, y=True)
    restyle(plot)
    if not live:  # a PlotView follows the theme by itself
        follow_theme(plot, lambda: restyle(plot))
    return plot


def show_empty(plot: pg.PlotWidget, x_range: tuple[float, float] = (0.0, 1.0)) -> None:
    """Show the range of a plot with nothing to show: its quantity's usual one. It stops auto-range:
    the owner calls `follow_data` when data comes."""
    y0, y1 = EMPTY_RANGE.get(getattr(plot, "y_kind", VALUE), EMPTY_RANGE[VALUE])
    plot.getPlotItem().setRange(xRange=x_range, yRange=(y0, y1), padding=0)


def follow_data(plot: pg.PlotWidget) -> None:
    """Let the plot's range follow its data again (after `show_empty`)."""
    vb = plot.getPlotItem().vb
    if not all(vb.state["autoRange"]):
        vb.enableAutoRange()


def set_title(plot: pg.PlotWidget, text: str) -> None:
    """A plot's title in the theme's text colour (`restyle` repaints it)."""
    plot.getPlotItem().setTitle(text, color=theme.current_colors()["text"], size="10pt", bold=True)


def restyle(plot: pg.PlotWidget) -> None:
    """Paint a plot in the current theme's colours: background, axes (tick numbers muted, titles in
    the text colour), grid, title and legend."""
    c = theme.current_colors()
    plot.setBackground(QColor(c["surface"]))
    item = plot.getPlotItem()
    axis_pen = pg.mkPen(QColor(c["border"]))
    text_pen = pg.mkPen(QColor(c["muted"]))
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(axis_pen)
        axis.setTextPen(text_pen)
        axis.labelStyle["color"] = c["text"]  # the axis title reads like text, the numbers stay quiet
        axis.labelStyle.setdefault("font-size", "10pt")
        axis._updateLabel()
    if item.ctrl.xGridCheck.isChecked():
        item.showGrid(x=True, y=True, alpha=0.25 if is_dark() else 0.18)
    title = item.titleLabel
    if title is not None and title.text:  # also a title set after make_plot (the audio lab names its plots)
        title.setText(title.text, color=c["text"])
    legend = item.legend
    if legend is not None:
        _paint_legend(legend, getattr(legend, "framed", True))


def _paint_legend(legend: pg.LegendItem, framed: bool) -> None:
    c = theme.current_colors()
    fill = QColor(c["surface"])
    fill.setAlpha(215 if framed else 0xCC)
    legend.setBrush(pg.mkBrush(fill))
    legend.setPen(pg.mkPen(QColor(c["border"])) if framed else pg.mkPen(None))
    legend.setLabelTextColor(QColor(c["text"] if framed else c["muted"]))
    for _sample, label in legend.items:
        label.setText(label.text)  # a label keeps its old colour until drawn again


def add_legend(plot: pg.PlotWidget, offset: tuple[int, int] = (-8, 6), framed: bool = True) -> pg.LegendItem:
    """A legend in the top-right corner. `framed`: on a bordered, nearly opaque card in the text colour,
    for curves that run under it; otherwise quiet (muted names, a lighter fill, no border)."""
    legend = plot.getPlotItem().addLegend(offset=offset)
    legend.framed = framed
    _paint_legend(legend, framed)
    return legend


def legend_text(entries: list[tuple[str, str]]) -> str:
    """A legend written into a title ("■ train  ■ validation"): for plots whose data fills every
    corner, where a legend box would hide some of it."""
    return "&nbsp;&nbsp;".join(f"<span style='color:{color}'>&#9632;</span>&nbsp;{name}" for name, color in entries)


def curve(plot: pg.PlotWidget, name: str | None, color: str, width: float = 1.6, alpha: int = 255,
          style=Qt.PenStyle.SolidLine, symbol: str | None = None) -> pg.PlotDataItem:
    """A named curve that breaks at NaN (a missing value is a gap, not a drop to zero)."""
    item = plot.plot([], [], name=name, pen=pen(color, width, alpha, style), connect="finite")
    if symbol:
        item.setSymbol(symbol)
        item.setSymbolSize(6)
        item.setSymbolBrush(pg.mkBrush(color))
        item.setSymbolPen(pg.mkPen(color))
    return item


def marker_line(angle: int, label: str | None = None) -> pg.InfiniteLine:
    """A fixed vertical (90) or horizontal (0) line with an optional label at its top/right end."""
    # vertical lines: the label hangs just right of the line near the top; horizontal: above it at the right
    opts = {"position": 0.96, "anchors": [(0, 0), (0, 0)], "movable": False} if angle == 90 else {
        "position": 0.98, "anchors": [(1, 1), (1, 1)], "movable": False}
    line = pg.InfiniteLine(angle=angle, movable=False, label=label, labelOpts=opts if label else None)
    return line


def finite_span_decades(values: np.ndarray) -> float:
    """How many decades the positive finite values span (0 when fewer than two)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size < 2:
        return 0.0
    return float(np.log10(v.max() / v.min()))
