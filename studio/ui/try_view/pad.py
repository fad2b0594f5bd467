"""A drawing pad: thick white strokes on a black square, like the digits of MNIST, or a dropped image.

The ink lives in a fixed 280 x 280 picture (10x MNIST's side) whatever size the widget is shown at,
so a stroke is the same share of the digit on every screen; the brush is 24 of those pixels wide,
about MNIST's 2 to 3 pixels once the digit is scaled to 28 x 28. Every change of the ink (each
segment of a stroke, a clear, a picture put on the pad) emits `changed` and bumps `version`, so a
view can tell which drawing an answer belongs to.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.ui import theme
from studio.ui.common.file_drops import FileDrops
from studio.ui.drops import is_image

CANVAS = 280
BRUSH = 24
SHOWN = 280
"""The pad's side on screen, in device-independent pixels."""


class DrawingPad(FileDrops, QWidget):
    """`pixels()` is the ink as (H, W, 3) uint8; `clear()`, `set_pixels(array)`; `blank` until drawn on."""

    changed = Signal()
    stroke_finished = Signal()
    image_dropped = Signal(object)
    """The path of an image file dropped on the pad (the view opens it: errors are its to show)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("DrawingPad")
        self._ink = QImage(CANVAS, CANVAS, QImage.Format.Format_RGB32)
        self._ink.fill(QColor("black"))
        self._last: QPointF | None = None
        self._hover = False
        self.blank = True
        self.version = 0
        self.placeholder = self.tr("Draw a digit here")
        """What the blank pad says (a detection run's view asks for shapes)."""
        self.setFixedSize(SHOWN, SHOWN)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Draw here with the left mouse button; drop an image file on it to try that"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(SHOWN, SHOWN)

    # --- the ink --------------------------------------------------------------------------------
    def pixels(self) -> np.ndarray:
        """A copy of the ink, (CANVAS, CANVAS, 3) uint8 RGB."""
        bits = np.frombuffer(self._ink.constBits(), dtype=np.uint8)
        rows = bits.reshape(CANVAS, self._ink.bytesPerLine())[:, : CANVAS * 4].reshape(CANVAS, CANVAS, 4)
        return rows[:, :, 2::-1].copy()  # RGB32 is B, G, R, 0xff in memory

    def clear(self) -> None:
        self._ink.fill(QColor("black"))
        self.blank = True
        self._touched()

    def set_pixels(self, pixels: np.ndarray) -> None:
        """Put a picture on the pad, stretched to its square as the model's resize would: (H, W) grey
        or (H, W, 3) RGB uint8."""
        a = np.ascontiguousarray(pixels, dtype=np.uint8)
        if a.ndim == 2:
            a = np.ascontiguousarray(np.repeat(a[:, :, None], 3, axis=2))
        h, w = a.shape[:2]
        picture = QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        painter = QPainter(self._ink)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(0, 0, CANVAS, CANVAS), picture)
        painter.end()
        self.blank = False
        self._touched()

    def _touched(self) -> None:
        self.version += 1
        self.update()
        self.changed.emit()

    def _to_canvas(self, pos: QPointF) -> QPointF:
        return QPointF(pos.x() * CANVAS / max(1, self.width()), pos.y() * CANVAS / max(1, self.height()))

    def _draw_to(self, point: QPointF) -> None:
        painter = QPainter(self._ink)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("white"), BRUSH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        if self._last is None or self._last == point:
            painter.drawPoint(point)
        else:
            painter.drawLine(self._last, point)
        painter.end()
        self._last = point
        self.blank = False
        self._touched()

    # --- mouse ----------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._draw_to(self._to_canvas(event.position()))
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and self._last is not None:
            self._draw_to(self._to_canvas(event.position()))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._last is not None:
            self._last = None
            self.stroke_finished.emit()

    # --- dropped files (studio.ui.common.file_drops) ------------------------------------------
    single_file = True

    def accepts_file(self, path: Path) -> bool:
        return is_image(path)

    def open_file(self, path: Path) -> bool:
        self.image_dropped.emit(path)
        return True

    def show_hover(self, on: bool) -> None:
        self._hover = on
        self.update()

    # --- painting -------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802
        c = theme.current_colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(self.rect()), self._ink)
        painter.setPen(QPen(QColor(c["accent"] if self._hover else c["border"]), 3 if self._hover else 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        if self.blank and not self._hover:
            painter.setPen(QColor(160, 160, 160))
            painter.drawText(QRectF(self.rect()).adjusted(16, 16, -16, -16), Qt.AlignmentFlag.AlignCenter
                             | Qt.TextFlag.TextWordWrap, self.placeholder)
        painter.end()
