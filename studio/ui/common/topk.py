"""Top-k classes as horizontal bars: the name, a bar as long as the probability, and the percentage.

Shared by the Export panel's ONNX inference view and the Try view of a trained run.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.ui import theme

ROW_H = 30
LABEL_W = 110
VALUE_W = 64


class TopKBars(QWidget):
    """Painted bars; `set_entries([(class_name, probability), ...])` best first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._entries: list[tuple[str, float]] = []
        self._truth: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(260)

    def set_entries(self, entries: list[tuple[str, float]], truth: str | None = None) -> None:
        self._entries = [(str(n), float(p)) for n, p in entries]
        self._truth = truth
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def entries(self) -> list[tuple[str, float]]:
        return list(self._entries)

    def sizeHint(self) -> QSize:
        return QSize(360, max(1, len(self._entries)) * ROW_H + 4)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        c = theme.current_colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        label_w = min(LABEL_W, max([metrics.horizontalAdvance(n) for n, _ in self._entries] + [40]) + 12)
        track_w = max(40.0, self.width() - label_w - VALUE_W)
        for i, (name, prob) in enumerate(self._entries):
            top = i * ROW_H + 2
            text_rect = QRectF(0, top, label_w - 8, ROW_H - 4)
            painter.setPen(QColor(c["text"]))
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, shown)
            track = QRectF(label_w, top + 6, track_w, ROW_H - 16)
            path = QPainterPath()
            path.addRoundedRect(track, 4, 4)
            painter.fillPath(path, QColor(c["surface_alt"] if theme.current_theme() == "light" else c["header"]))
            bar = QRectF(track.left(), track.top(), max(2.0, track.width() * max(0.0, min(1.0, prob))), track.height())
            color = QColor(c["accent"] if i == 0 else c["muted"])
            if i:
                color.setAlpha(150)
            path = QPainterPath()
            path.addRoundedRect(bar, 4, 4)
            painter.fillPath(path, color)
            painter.setPen(QColor(c["text"] if i == 0 else c["muted"]))
            painter.drawText(QRectF(label_w + track_w + 8, top, VALUE_W - 8, ROW_H - 4),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, f"{100 * prob:.1f}%")
        painter.end()
