"""The input level meter: RMS bar, peak tick, a clip light that stays lit for a second.

It paints what `studio.core.audio.levels.LevelMeter` computed from every captured frame since the
last poll, so a clip shorter than one refresh still lights it. The scale is dBFS from -60 to 0,
the range where speech into a microphone lives.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.core.audio.levels import SILENCE_DB, Levels
from studio.ui import theme

FLOOR_DB = -60.0
CLIP_WIDTH = 44


class LevelMeterBar(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audioLevelMeter")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(180)
        self.levels = Levels(0.0, 0.0, SILENCE_DB, SILENCE_DB, False, 0, 0)
        self.setToolTip(self.tr("Input level (dBFS): bar = RMS, tick = peak. CLIP lights when a sample "
                                "reaches full scale and stays lit for a second."))

    def sizeHint(self) -> QSize:
        return QSize(260, 26)

    def set_levels(self, levels: Levels) -> None:
        self.levels = levels
        self.update()

    @property
    def clipping(self) -> bool:
        return self.levels.clipping

    def _fraction(self, db: float) -> float:
        return min(1.0, max(0.0, (db - FLOOR_DB) / -FLOOR_DB))

    def paintEvent(self, _event) -> None:
        c = theme.current_colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = self.height()
        bar = QRectF(0.5, 3.5, self.width() - CLIP_WIDTH - 8, h - 7)
        p.setPen(QColor(c["border"]))
        p.setBrush(QColor(c["surface_alt"]))
        p.drawRoundedRect(bar, 4, 4)
        inner = bar.adjusted(2, 2, -2, -2)
        rms_w = inner.width() * self._fraction(self.levels.rms_db)
        if rms_w > 0:
            db = self.levels.rms_db
            hue = "#16a34a" if db < -12 else ("#ca8a04" if db < -3 else c["danger"])
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(hue))
            p.drawRoundedRect(QRectF(inner.left(), inner.top(), rms_w, inner.height()), 3, 3)
        peak_x = inner.left() + inner.width() * self._fraction(self.levels.peak_db)
        if self.levels.peak_db > FLOOR_DB:
            p.setPen(QColor(c["text"]))
            p.drawLine(int(peak_x), int(inner.top()), int(peak_x), int(inner.bottom()))
        # -12 and -3 dB ticks so the user can aim for a healthy level
        p.setPen(QColor(c["muted"]))
        for mark in (-12.0, -3.0):
            x = inner.left() + inner.width() * self._fraction(mark)
            p.drawLine(int(x), int(inner.bottom()) - 3, int(x), int(inner.bottom()))
        clip = QRectF(self.width() - CLIP_WIDTH + 0.5, 3.5, CLIP_WIDTH - 1, h - 7)
        lit = self.levels.clipping
        p.setPen(QColor(c["danger"]) if lit else QColor(c["border"]))
        p.setBrush(QColor(c["danger"]) if lit else QColor(c["surface_alt"]))
        p.drawRoundedRect(clip, 4, 4)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 2))
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#ffffff") if lit else QColor(c["muted"]))
        p.drawText(clip, Qt.AlignmentFlag.AlignCenter, self.tr("CLIP"))
        p.end()
