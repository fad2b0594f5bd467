"""The Try view's side of a detection run: the score threshold the user moves, and the picture with boxes.

The boxes are drawn by the Train panel's detection painter (`studio.ui.common.detection_draw`:
the class's colour, "name score" on a small card), over the picture the network saw, scaled by
a whole factor so every pixel stays square. The threshold is a slider in hundredths; each move asks
the view for a new answer (NMS at that threshold, exactly what `studio predict` does).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from studio.ui.common.detection_draw import draw_boxes, image_pixmap

DEFAULT_SCORE = 0.30
"""The threshold the view starts at: the Train panel's strip draws the boxes scoring at least this."""
MIN_SCORE, MAX_SCORE = 0.01, 0.95
BOXES_SIDE = 264
"""The side of the picture with boxes, in pixels (the largest whole multiple of the input's side that fits)."""
MAX_BARS = 8
"""Boxes listed as bars under the answer (the picture shows them all)."""


def boxes_pixmap(picture: np.ndarray, rows: list[list[float]], names: list[str], side: int = BOXES_SIDE) -> QPixmap:
    """(C, H, W) uint8 `picture` scaled by a whole factor to at most `side`, with `rows`
    ([class, score, x0, y0, x1, y1], fractions) drawn over it, each labelled "name score"."""
    size = max(1, side // max(picture.shape[1:])) * max(picture.shape[1:])
    return draw_boxes(image_pixmap(picture, size), pred=rows, names=names)


class ScoreThreshold(QWidget):
    """"Score at least [slider] 0.30": `changed(value)` as the slider moves; `value()` in [0.01, 0.95]."""

    changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.caption = QLabel(self.tr("Score at least"))
        row.addWidget(self.caption)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("tryScoreThreshold")
        self.slider.setRange(round(100 * MIN_SCORE), round(100 * MAX_SCORE))
        self.slider.setSingleStep(1)
        self.slider.setPageStep(5)
        self.slider.setValue(round(100 * DEFAULT_SCORE))
        self.slider.setToolTip(self.tr("Boxes scoring less than this are not shown (the score is the objectness "
                                       "times the class probability; overlapping boxes of a class are merged by NMS)"))
        self.slider.valueChanged.connect(self._moved)
        row.addWidget(self.slider, 1)
        self.number = QLabel()
        self.number.setMinimumWidth(self.number.fontMetrics().horizontalAdvance("0.00") + 4)
        row.addWidget(self.number)
        self._moved(self.slider.value())

    def value(self) -> float:
        return self.slider.value() / 100.0

    def set_value(self, score: float) -> None:
        self.slider.setValue(round(100 * score))

    def _moved(self, hundredths: int) -> None:
        self.number.setText(f"{hundredths / 100:.2f}")
        self.changed.emit(hundredths / 100.0)
