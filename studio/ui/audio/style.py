"""How the audio lab's plots look in the light and dark themes.

pyqtgraph draws with its own colours, not the Qt style sheet, so every plot is built through
`make_plot` and repainted by `restyle` when the theme changes (the panel listens for palette
changes). Trace colours are fixed hues lifted a little on dark backgrounds.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from studio.ui import theme

TRACE_HUES = {
    "signal": "#2563eb",
    "second": "#ea580c",
    "third": "#16a34a",
    "error": "#b42318",
    "marker": "#7c3aed",
}


def is_dark() -> bool:
    return theme.current_theme() == "dark"


def trace_color(name: str) -> QColor:
    color = QColor(TRACE_HUES[name])
    return color.lighter(140) if is_dark() else color


def pen(name: str, width: float = 1.5, alpha: int = 255, dashed: bool = False):
    color = trace_color(name)
    color.setAlpha(alpha)
    p = pg.mkPen(color, width=width)
    if dashed:
        from PySide6.QtCore import Qt

        p.setStyle(Qt.PenStyle.DashLine)
    return p


def brush(name: str, alpha: int = 255):
    color = trace_color(name)
    color.setAlpha(alpha)
    return pg.mkBrush(color)


def make_plot(x_label: str = "", x_units: str | None = None, y_label: str = "", y_units: str | None = None,
              title: str | None = None, min_height: int = 150) -> pg.PlotWidget:
    """A themed plot: no right-click menu, a light grid, labelled axes."""
    plot = pg.PlotWidget()
    plot.setMinimumHeight(min_height)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    item = plot.getPlotItem()
    if x_label:
        item.setLabel("bottom", x_label, units=x_units)
    if y_label:
        item.setLabel("left", y_label, units=y_units)
    if title:
        item.setTitle(title)
    restyle(plot)
    return plot


def restyle(plot: pg.PlotWidget) -> None:
    c = theme.current_colors()
    plot.setBackground(QColor(c["surface"]))
    item = plot.getPlotItem()
    axis_pen = pg.mkPen(QColor(c["border"]))
    text_pen = pg.mkPen(QColor(c["muted"]))
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(axis_pen)
        axis.setTextPen(text_pen)
    item.showGrid(x=True, y=True, alpha=0.25 if is_dark() else 0.18)
    title = item.titleLabel
    if title is not None and title.text:
        title.setText(title.text, color=c["text"])


def add_legend(plot: pg.PlotWidget) -> pg.LegendItem:
    """A legend in the top-right corner on a translucent card, so curves under it stay readable."""
    c = theme.current_colors()
    fill = QColor(c["surface"])
    fill.setAlpha(215)
    legend = plot.getPlotItem().addLegend(offset=(-8, 6), brush=pg.mkBrush(fill), pen=pg.mkPen(QColor(c["border"])),
                                          labelTextColor=QColor(c["text"]))
    return legend


def marker_line(angle: int, label: str | None = None) -> pg.InfiniteLine:
    """A fixed vertical (90) or horizontal (0) line with an optional label at its top/right end."""
    # vertical lines: the label hangs just right of the line near the top; horizontal: above it at the right
    opts = {"position": 0.96, "anchors": [(0, 0), (0, 0)], "movable": False} if angle == 90 else {
        "position": 0.98, "anchors": [(1, 1), (1, 1)], "movable": False}
    line = pg.InfiniteLine(angle=angle, movable=False, label=label, labelOpts=opts if label else None)
    return line
