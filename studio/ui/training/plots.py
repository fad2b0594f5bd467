"""pyqtgraph items of the training curves: the curve colours, hover read-outs, NaN markers and the
numbers in a confusion matrix's cells. The plots themselves come from `studio.ui.common.plots`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from studio.ui.common.plots import PALETTE as PALETTE  # the curves' colours, shared with the Try view's boxes
from studio.ui.common.plots import pen
from studio.ui.theme import current_colors


def nonfinite_markers(plot: pg.PlotWidget) -> pg.ScatterPlotItem:
    """Red crosses where the loss was NaN/Inf (drawn at the top of the finite data: they are real points)."""
    item = pg.ScatterPlotItem(symbol="x", size=11, pen=pg.mkPen("#e03131", width=2), brush=pg.mkBrush("#e03131"),
                              name="NaN / Inf")
    plot.addItem(item)
    return item


class HoverReadout:
    """Shows the values of the plot's curves at the mouse's x in a label at the plot's top-left."""

    def __init__(self, plot: pg.PlotWidget, series: list[tuple[str, pg.PlotDataItem]], x_name: str = "step",
                 percent: bool = False):
        self.plot = plot
        self.series = series
        self.x_name = x_name
        self.percent = percent
        """Values are shares (0.65) read as percentages ("65.0%"), like the plot's axis."""
        self.label = pg.TextItem("", anchor=(0, 0))
        self.label.setZValue(100)
        self.label.hide()
        plot.addItem(self.label, ignoreBounds=True)
        self.line = pg.InfiniteLine(angle=90)
        self.line.hide()
        plot.addItem(self.line, ignoreBounds=True)
        self.restyle()
        self.last_text = ""
        plot.scene().sigMouseMoved.connect(self._moved)

    def restyle(self) -> None:
        """The read-out's card and line in the current theme's colours."""
        colors = current_colors()
        self.label.setColor(colors["text"])
        self.label.fill = pg.mkBrush(colors["surface"] + "e6")
        self.label.update()
        self.line.setPen(pen(colors["muted"], 1, 120, Qt.PenStyle.DashLine))

    def _value_text(self, value: float) -> str:
        return f"{100.0 * value:.1f}%" if self.percent and np.isfinite(value) else f"{value:.4g}"

    def _moved(self, pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(pos) or not vb.sceneBoundingRect().contains(pos):
            self.label.hide()
            self.line.hide()
            return
        point = vb.mapSceneToView(pos)
        self.show_at(point.x())

    def show_at(self, x: float) -> str:
        lines = []
        log_x = self.plot.getPlotItem().ctrl.logXCheck.isChecked()
        data_x = 10 ** x if log_x else x
        nearest_x = None
        for name, item in self.series:
            xs, ys = item.xData, item.yData
            if xs is None or len(xs) == 0 or not item.isVisible():
                continue
            i = int(np.clip(np.searchsorted(xs, data_x), 0, len(xs) - 1))
            if i > 0 and abs(xs[i - 1] - data_x) < abs(xs[i] - data_x):
                i -= 1
            nearest_x = xs[i] if nearest_x is None else nearest_x
            lines.append(f"{name}: {self._value_text(float(ys[i]))}")
        if not lines:
            self.label.hide()
            return ""
        xs_text = f"{nearest_x:.4g}" if isinstance(nearest_x, float) and not float(nearest_x).is_integer() \
            else f"{int(nearest_x)}"
        text = f"{self.x_name} {xs_text}\n" + "\n".join(lines)
        self.last_text = text
        self.label.setText(text)
        (x0, _x1), (_y0, y1) = self.plot.getPlotItem().vb.viewRange()
        self.label.setPos(x0, y1)
        self.label.show()
        self.line.setPos(np.log10(nearest_x) if log_x and nearest_x > 0 else nearest_x)
        self.line.show()
        return text


class CellLabels(pg.GraphicsObject):
    """Numbers centred in the cells of a matrix image, painted by one item (a TextItem per cell
    costs ~100 ms to build for 10 x 10 and slows every redraw)."""

    def __init__(self):
        super().__init__()
        self.values = np.zeros((0, 0))
        self.dark = np.zeros((0, 0), dtype=bool)

    def set_values(self, values: np.ndarray, dark: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.values = np.asarray(values)
        self.dark = np.asarray(dark, dtype=bool)
        self.update()

    def boundingRect(self):  # noqa: N802 - Qt's name
        from PySide6.QtCore import QRectF

        r, c = self.values.shape if self.values.ndim == 2 else (0, 0)
        return QRectF(0, 0, c, r)

    def paint(self, painter, *_args) -> None:
        from PySide6.QtCore import QRectF

        if self.values.size == 0 or self.values.shape[0] > 16:
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        for (i, j), v in np.ndenumerate(self.values):
            p = transform.map(QPointF(j + 0.5, i + 0.5))
            painter.setPen(QColor("#ffffff" if self.dark[i, j] else "#000000"))
            painter.drawText(QRectF(p.x() - 30, p.y() - 9, 60, 18), int(Qt.AlignmentFlag.AlignCenter), f"{int(v)}")
        painter.restore()
