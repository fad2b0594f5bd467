"""Showing RGB arrays: a picture widget that keeps pixels crisp and the array it shows at hand.

The core renders every view (overlays, filter grids, activation grids) as uint8 RGB arrays; the
panel only has to put them on screen. Small inputs (8×8 digits, 32×32 shapes) are enlarged with
nearest-neighbour so each pixel stays a visible square, never blurred.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def to_qimage(rgb: np.ndarray) -> QImage:
    """(H, W, 3) or (H, W) uint8 as a QImage that owns its bytes."""
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w = arr.shape[:2]
    if arr.ndim == 2:
        return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class Picture(QLabel):
    """An image scaled to fit a box (up to `max_side`), integer-enlarged when it is small."""

    def __init__(self, side: int = 256, max_side: int | None = None, placeholder: str = "",
                 parent: QWidget | None = None, fixed: bool = True):
        super().__init__(parent)
        self.fixed = fixed
        self.setObjectName("Picture")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side = side
        self.max_side = max_side or side
        self.rgb: np.ndarray | None = None
        self._placeholder = placeholder
        self.setMinimumSize(QSize(side, side))
        policy = QSizePolicy.Policy.Fixed if fixed else QSizePolicy.Policy.Preferred
        self.setSizePolicy(policy, policy)
        self.setWordWrap(True)
        self.clear_picture()

    def clear_picture(self, text: str | None = None) -> None:
        self.rgb = None
        self.setPixmap(QPixmap())
        self.setText(self._placeholder if text is None else text)

    def show_rgb(self, rgb: np.ndarray) -> None:
        self.rgb = np.ascontiguousarray(rgb)
        h, w = self.rgb.shape[:2]
        box = self.max_side
        factor = max(1, min(box // max(h, 1), box // max(w, 1)))
        image = to_qimage(self.rgb)
        if factor > 1:
            image = image.scaled(w * factor, h * factor, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.FastTransformation)
        elif max(h, w) > box:
            image = image.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.setText("")
        self.setPixmap(QPixmap.fromImage(image))
        if self.fixed:
            self.setFixedSize(QSize(max(self.side, image.width() + 12), max(self.side, image.height() + 12)))
        else:
            self.setMinimumSize(QSize(max(self.side, image.width() + 12), max(self.side, image.height() + 12)))
