"""Pictures of a detection event's images with boxes on them (the Train panel's strip and IoU / NMS
lesson, and the Try view's answer for a detection run).

An image is scaled by a whole factor (nearest-neighbour, every pixel square) and the boxes are drawn
over it in image fractions times the picture's side: true boxes dashed, predicted boxes solid with
their class and score on a small card, in the class's colour (PALETTE, the curves' colours). The
lesson adds the S×S grid and the anchor shapes centred on a cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap

from studio.ui.common.plots import PALETTE
from studio.ui.theme import current_colors

GAP_PX = 6


def class_color(k: int) -> QColor:
    return QColor(PALETTE[int(k) % len(PALETTE)])


def class_name(names: Sequence[str], k: int) -> str:
    return names[k] if 0 <= k < len(names) else str(k)


def image_pixmap(image: np.ndarray, size: int) -> QPixmap:
    """(C, H, W) uint8 as an RGB picture `size` pixels on a side, nearest-neighbour."""
    c, h, w = image.shape
    rgb = np.repeat(image[:1], 3, axis=0) if c != 3 else image
    rgb = rgb.transpose(1, 2, 0)[(np.arange(size) * h) // size][:, (np.arange(size) * w) // size]
    rgb = np.ascontiguousarray(rgb)
    return QPixmap.fromImage(QImage(rgb.data, size, size, 3 * size, QImage.Format.Format_RGB888).copy())


def _rect(box: Sequence[float], size: int) -> QRectF:
    x0, y0, x1, y1 = (float(v) * size for v in box)
    return QRectF(x0, y0, max(1.0, x1 - x0), max(1.0, y1 - y0))


def draw_label(painter: QPainter, x: float, y: float, text: str, color: QColor, limit: int) -> None:
    """A small card with `text` just above (x, y), or inside the box's top when there is no room."""
    metrics = painter.fontMetrics()
    w, h = metrics.horizontalAdvance(text) + 6, metrics.height() + 1
    top = y - h if y - h >= 0 else y
    left = min(max(0.0, x), max(0.0, limit - w))
    painter.fillRect(QRectF(left, top, w, h), color)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(left, top, w, h), int(Qt.AlignmentFlag.AlignCenter), text)


def draw_boxes(pix: QPixmap, true: Sequence[Sequence[float]] = (), pred: Sequence[Sequence[float]] = (),
               names: Sequence[str] = (), labels: bool = True, faint: Sequence[Sequence[float]] = (),
               numbers: Sequence[int] | None = None, class_in_label: bool = True) -> QPixmap:
    """Boxes drawn over `pix` (square): `true` rows [class, x0, y0, x1, y1] dashed; `pred` rows
    [class, score, x0, y0, x1, y1] solid, labelled "name score" ("score" without
    `class_in_label`, "#n" with `numbers`);
    `faint` rows like `pred`, thin and grey (suppressed boxes)."""
    size = pix.width()
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(painter.font())
    font.setPointSizeF(7.5)
    painter.setFont(font)
    muted = QColor(current_colors()["muted"])
    for row in faint:
        p = QPen(muted, 1.0, Qt.PenStyle.DotLine)
        painter.setPen(p)
        painter.drawRect(_rect(row[2:6], size))
    for row in true:
        p = QPen(class_color(int(row[0])), 1.6, Qt.PenStyle.DashLine)
        painter.setPen(p)
        painter.drawRect(_rect(row[1:5], size))
    for i, row in reversed(list(enumerate(pred))):  # the best-scored box last: its label on top
        color = class_color(int(row[0]))
        painter.setPen(QPen(color, 2.0))
        rect = _rect(row[2:6], size)
        painter.drawRect(rect)
        if labels:
            text = f"#{numbers[i]}" if numbers is not None else f"{float(row[1]):.2f}"
            if numbers is None and class_in_label:
                text = f"{class_name(names, int(row[0]))} {text}"
            draw_label(painter, rect.left(), rect.top(), text, color, size)
    painter.end()
    return pix


def draw_grid(pix: QPixmap, rows: int, cols: int, anchors: Sequence[Sequence[float]] = (),
              cell: tuple[int, int] | None = None) -> QPixmap:
    """The S_y × S_x grid over `pix`; with `cell`, that cell outlined and the anchors' shapes centred on it."""
    size = pix.width()
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    line = QColor("#ffd43b")
    line.setAlpha(110)
    painter.setPen(QPen(line, 1.0))
    for r in range(1, rows):
        painter.drawLine(0, round(r * size / rows), size, round(r * size / rows))
    for c in range(1, cols):
        painter.drawLine(round(c * size / cols), 0, round(c * size / cols), size)
    if cell is not None:
        r, c = cell
        cx, cy = (c + 0.5) / cols, (r + 0.5) / rows
        painter.setPen(QPen(QColor("#ffd43b"), 2.0))
        painter.drawRect(QRectF(c * size / cols, r * size / rows, size / cols, size / rows))
        anchor = QColor("#ffd43b")
        anchor.setAlpha(200)
        painter.setPen(QPen(anchor, 1.2, Qt.PenStyle.DashDotLine))
        for w, h in anchors:
            painter.drawRect(_rect((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), size))
    painter.end()
    return pix


def tiles(pictures: Sequence[QPixmap], columns: int, captions: Sequence[str] = ()) -> QPixmap:
    """Pictures of one size in rows of `columns` on the theme's surface, a caption under each."""
    colors = current_colors()
    if not pictures:
        return QPixmap()
    side = pictures[0].width()
    columns = max(1, min(columns, len(pictures)))
    rows = (len(pictures) + columns - 1) // columns
    caption_h = 16 if captions else 0
    out = QPixmap(columns * (side + GAP_PX) + GAP_PX, rows * (side + caption_h + GAP_PX) + GAP_PX)
    out.fill(QColor(colors["surface"]))
    painter = QPainter(out)
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    painter.setPen(QColor(colors["muted"]))
    for i, pic in enumerate(pictures):
        r, c = divmod(i, columns)
        x, y = GAP_PX + c * (side + GAP_PX), GAP_PX + r * (side + caption_h + GAP_PX)
        painter.drawPixmap(x, y, pic)
        if i < len(captions):
            painter.drawText(QRectF(x, y + side, side, caption_h), int(Qt.AlignmentFlag.AlignCenter), captions[i])
    painter.end()
    return out
