"""The live picture of metric learning: validation embeddings in 2-D, coloured by class.

The trainer sends an `embeddings` event at every epoch end (docs/training.md): the first validation
embeddings projected on their two principal components, with each point's class. This view draws
them as one scatter per class, so a student watches the classes pull apart into clusters while the
network trains. The legend is a line of coloured class names under the plot, not a box inside it: the
points fill the plot up to its corners and a box would hide some of them. Not wired into a panel
here: the Train panel feeds it `show_event(event)` for each `embeddings` event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.ui.common.plots import follow_data, legend_text, make_plot, show_empty
from studio.ui.theme import current_colors, follow_theme
from studio.ui.training.plots import PALETTE

SYMBOLS = ("o", "t", "s", "d")
"""Past ten classes the colours repeat with another marker shape, so two classes never look alike."""


def class_style(index: int) -> tuple[str, str]:
    """(colour, marker symbol) of class `index`: the curves' palette, then the next shape."""
    return PALETTE[index % len(PALETTE)], SYMBOLS[(index // len(PALETTE)) % len(SYMBOLS)]


class EmbeddingView(QWidget):
    """A PCA scatter of validation embeddings, one colour per class, with a caption saying which epoch,
    how many of the validation samples it shows and how much of the variance the two axes hold."""

    POINT_SIZE = 7

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.plot = make_plot(self.tr("Validation embeddings (PCA)"), self.tr("principal component 2"),
                              self.tr("principal component 1"), min_height=240)
        self.plot.getPlotItem().setAspectLocked(True)  # distances on screen are distances in the space
        layout.addWidget(self.plot, 1)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.legend)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setContentsMargins(8, 0, 8, 4)
        layout.addWidget(self.caption)
        self.scatters: dict[int, pg.ScatterPlotItem] = {}
        self.points = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.int64)
        self.classes: list[str] = []
        self.epoch: int | None = None
        follow_theme(self, self._restyle)
        self.clear()

    # --- what the trainer sends -----------------------------------------------------------------
    def show_event(self, event: dict[str, Any]) -> bool:
        """Draw an `embeddings` event; other events are ignored (False), so a panel may pass it all."""
        if event.get("event") != "embeddings":
            return False
        self.set_points(event.get("points") or [], event.get("labels") or [], event.get("classes") or [],
                        epoch=event.get("epoch"), explained=event.get("explained"), n_val=event.get("n_val"))
        return True

    def set_points(self, points: Sequence[Sequence[float]] | np.ndarray, labels: Sequence[int] | np.ndarray,
                   classes: Sequence[str] = (), *, epoch: int | None = None,
                   explained: Sequence[float] | None = None, n_val: int | None = None) -> None:
        """Show `points` (N x 2) with their class indices; `classes` names them (else their index)."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        lab = np.asarray(labels, dtype=np.int64).reshape(-1)
        if len(lab) != len(pts):
            raise ValueError(f"{len(pts)} points but {len(lab)} labels")
        self.points, self.labels, self.classes, self.epoch = pts, lab, list(classes), epoch
        present = sorted({int(v) for v in lab.tolist()})
        item = self.plot.getPlotItem()
        for index in list(self.scatters):
            if index not in present:
                item.removeItem(self.scatters.pop(index))
        for index in present:
            scatter = self.scatters.get(index)
            mine = pts[lab == index]
            if scatter is None:  # data before the plot: an empty scatter's bounds are all-NaN
                scatter = pg.ScatterPlotItem(x=mine[:, 0], y=mine[:, 1], pxMode=True, antialias=True,
                                             name=self.class_name(index))
                self.scatters[index] = scatter
                item.addItem(scatter)
            else:
                scatter.setData(x=mine[:, 0], y=mine[:, 1])
            self._paint(index, scatter)
        self.legend.setText(legend_text([(self.class_name(i), class_style(i)[0]) for i in present]))
        if len(pts):
            follow_data(self.plot)
        self.caption.setText(self._caption(len(pts), n_val, explained))

    def clear(self) -> None:
        """No picture yet: an empty plot and a line saying when one comes."""
        item = self.plot.getPlotItem()
        for scatter in self.scatters.values():
            item.removeItem(scatter)
        self.scatters.clear()
        self.points, self.labels, self.epoch = np.zeros((0, 2)), np.zeros(0, dtype=np.int64), None
        self.legend.setText("")
        self.caption.setText(self.tr("The validation embeddings appear here after the first epoch."))
        show_empty(self.plot, (-1.0, 1.0))

    # --- reading it back (tests, tooltips) ------------------------------------------------------
    def class_name(self, index: int) -> str:
        return self.classes[index] if 0 <= index < len(self.classes) else str(index)

    def class_points(self, index: int) -> np.ndarray:
        """The (x, y) of the points drawn for class `index`, as the scatter holds them."""
        scatter = self.scatters.get(index)
        if scatter is None:
            return np.zeros((0, 2))
        x, y = scatter.getData()
        return np.column_stack([x, y])

    def class_color(self, index: int) -> QColor:
        """The fill colour the points of class `index` are drawn with."""
        return QColor(class_style(index)[0])

    # --- drawing ----------------------------------------------------------------------------------
    def _caption(self, shown: int, n_val: int | None, explained: Sequence[float] | None) -> str:
        total = int(n_val) if n_val is not None else shown
        text = self.tr("Epoch {epoch}: {shown} of {total} validation samples").format(
            epoch=self.epoch if self.epoch is not None else "?", shown=shown, total=total)
        if explained is not None and len(explained) >= 2:
            text += self.tr("; the axes hold {first}% and {second}% of the variance").format(
                first=f"{100 * float(explained[0]):.0f}", second=f"{100 * float(explained[1]):.0f}")
        return text

    def _paint(self, index: int, scatter: pg.ScatterPlotItem) -> None:
        color, symbol = class_style(index)
        outline = QColor(current_colors()["surface"])
        outline.setAlpha(160)
        scatter.setSymbol(symbol)
        scatter.setSize(self.POINT_SIZE)
        scatter.setBrush(pg.mkBrush(QColor(color)))
        scatter.setPen(pg.mkPen(outline, width=0.6))

    def _restyle(self) -> None:
        """A theme change repaints the points' outlines (the fills are the class colours in both themes)."""
        for index, scatter in self.scatters.items():
            self._paint(index, scatter)
