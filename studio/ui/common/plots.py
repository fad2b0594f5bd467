"""Themed pyqtgraph plots, the one way every panel builds them.

pyqtgraph draws with its own colours, not the Qt style sheet, so a plot takes the theme's colours
when `make_plot` builds it, and `restyle` repaints one after a theme change. Two kinds of plot:

* a figure redrawn whole (the audio lab's signals and spectra): a light grid, no context menu;
* a `live` plot of series that grow while training runs, up to 100,000 points: it clips to the
  visible range and peak-downsamples (pyqtgraph's `setClipToView` and `setDownsampling(mode="peak")`),
  so a long series costs what the pixels need and spikes stay visible when many points share a
  pixel; it keeps the context menu (log axes, export) and lets the wheel scroll the page.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from studio.ui import theme
from studio.ui.common.style import is_dark


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


class PlotView(pg.PlotWidget):
    """A plot inside a scrolling page: the wheel scrolls the page; Ctrl+wheel zooms the plot."""

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
        else:
            event.ignore()  # an ignored wheel event goes on to the parent: the page scrolls


def make_plot(title: str = "", left: str = "", bottom: str = "", *, left_units: str | None = None,
              bottom_units: str | None = None, min_height: int = 150, live: bool = False,
              legend_offset: tuple[int, int] = (-10, 10)) -> pg.PlotWidget:
    """A plot with labelled axes in the theme's colours; a `live` one comes with its legend at
    `legend_offset` (other plots add theirs with `add_legend` where their curves leave room)."""
    colors = theme.current_colors()
    plot = PlotView(background=colors["surface"]) if live else pg.PlotWidget()
    plot.setMinimumHeight(min_height)
    item = plot.getPlotItem()
    if title:
        item.setTitle(f"<span style='color:{colors['text']};font-weight:600'>{title}</span>", size="10pt")
    for side, text, units in (("left", left, left_units), ("bottom", bottom, bottom_units)):
        if text:
            item.setLabel(side, text, units=units)
    if live:
        # No grid: pyqtgraph draws it into the axis picture with alpha blending, which made each redraw
        # 4x slower in software rendering (bench_ui: 80 ms vs 20 ms per refresh).
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        add_legend(plot, legend_offset, framed=False)
    else:
        plot.setMenuEnabled(False)
        plot.hideButtons()
        item.showGrid(x=True, y=True)
    restyle(plot)
    return plot


def restyle(plot: pg.PlotWidget) -> None:
    """Paint a plot made by `make_plot` in the current theme's colours."""
    c = theme.current_colors()
    plot.setBackground(QColor(c["surface"]))
    item = plot.getPlotItem()
    axis_pen = pg.mkPen(QColor(c["border"]))
    text_pen = pg.mkPen(QColor(c["muted"]))  # also the colour of the axis label
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(axis_pen)
        axis.setTextPen(text_pen)
    if item.ctrl.xGridCheck.isChecked():
        item.showGrid(x=True, y=True, alpha=0.25 if is_dark() else 0.18)
    title = item.titleLabel
    if title is not None and title.text:  # a title set after make_plot (the audio lab names its plots)
        title.setText(title.text, color=c["text"])


def add_legend(plot: pg.PlotWidget, offset: tuple[int, int] = (-8, 6), framed: bool = True) -> pg.LegendItem:
    """A legend in the top-right corner. `framed`: on a bordered, nearly opaque card in the text colour,
    for curves that run under it; otherwise quiet (muted names, a lighter fill, no border)."""
    c = theme.current_colors()
    fill = QColor(c["surface"])
    fill.setAlpha(215 if framed else 0xCC)
    if framed:
        return plot.getPlotItem().addLegend(offset=offset, brush=pg.mkBrush(fill), pen=pg.mkPen(QColor(c["border"])),
                                            labelTextColor=QColor(c["text"]))
    return plot.getPlotItem().addLegend(offset=offset, brush=pg.mkBrush(fill), labelTextColor=c["muted"])


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
