"""Views for "become one with the data": a labelled sample gallery, the class histogram, the
per-channel statistics table and the batch entering the net."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.ui.common.plots import follow_data, legend_text, make_plot, set_title
from studio.ui.theme import current_colors
from studio.ui.training.plots import PALETTE


def labelled_grid(tiles: list[np.ndarray], labels: list[str], cols: int = 8, tile_px: int = 56,
                  label_px: int = 16) -> QPixmap:
    """Tiles (H, W, 3 uint8) scaled to `tile_px` with their label written underneath."""
    colors = current_colors()
    n = len(tiles)
    cols = max(1, min(cols, n))
    rows = max(1, (n + cols - 1) // cols)
    gap = 6
    pix = QPixmap(cols * (tile_px + gap) + gap, rows * (tile_px + label_px + gap) + gap)
    pix.fill(QColor(colors["surface"]))
    painter = QPainter(pix)
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    painter.setPen(QColor(colors["text"]))
    for i, (tile, label) in enumerate(zip(tiles, labels, strict=False)):
        r, c = divmod(i, cols)
        x, y = gap + c * (tile_px + gap), gap + r * (tile_px + label_px + gap)
        tile = np.ascontiguousarray(tile)
        h, w = tile.shape[:2]
        image = QImage(tile.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        painter.drawImage(x, y, image.scaled(tile_px, tile_px, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation))
        painter.drawText(x, y + tile_px, tile_px, label_px, Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pix


def tiles_of(x, lo: float | None = None, hi: float | None = None) -> list[np.ndarray]:
    """One RGB tile per image of a (N, C, H, W) tensor, mapped from [lo, hi]: by default the range of
    all the images together, so a dark picture looks dark beside a bright one (stretched one by one,
    every picture looked equally bright, and a flat one black). A range with no width is drawn as
    mid-grey around its value."""
    t = x.detach().float().cpu()
    if lo is None or hi is None:
        lo, hi = (float(t.min()), float(t.max())) if t.numel() else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, lo + 0.5
    out = []
    for img in t:
        u8 = ((img - lo) / (hi - lo)).clamp(0, 1).mul(255).round().byte().numpy().transpose(1, 2, 0)
        out.append(np.repeat(u8, 3, axis=2) if u8.shape[2] == 1 else u8[:, :, :3])
    return out


class PixmapLabel(QLabel):
    """Shows a text until it gets a picture; a word-wrapped QLabel would give the picture no height."""

    def __init__(self, placeholder: str, parent: QWidget | None = None):
        super().__init__(placeholder, parent)
        self.setObjectName("Hint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def setPixmap(self, pixmap: QPixmap) -> None:  # noqa: N802 - Qt's name
        self.setWordWrap(False)
        super().setPixmap(pixmap)
        self.setMinimumSize(pixmap.size())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self.setWordWrap(True)
        self.setMinimumSize(0, 0)
        self.clear()  # QLabel keeps its picture when the new text equals the old one ("" after a pixmap)
        super().setText(text)


class ClassHistogram(QWidget):
    """Train and validation bars per class. Their legend is written in the title: the bars fill the
    plot up to its corners, and a legend box in one hid the last class's bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = make_plot("", self.tr("Examples"), self.tr("Class"), min_height=220, live=True, legend_offset=None)
        self.title = self.tr("Examples per class")
        set_title(self.plot, f"{self.title}&nbsp;&nbsp;&nbsp;" + legend_text(
            [(self.tr("train"), PALETTE[0]), (self.tr("validation"), PALETTE[1])]))
        layout.addWidget(self.plot)
        self.train_bars: pg.BarGraphItem | None = None
        self.val_bars: pg.BarGraphItem | None = None
        self.counts: tuple[list[int], list[int]] = ([], [])

    def show_counts(self, names: list[str], train: list[int], val: list[int]) -> None:
        item = self.plot.getPlotItem()
        for bars in (self.train_bars, self.val_bars):
            if bars is not None:
                item.removeItem(bars)
        x = np.arange(len(train), dtype=float)
        self.train_bars = pg.BarGraphItem(x=x - 0.2, height=train, width=0.4, brush=PALETTE[0], name=self.tr("train"))
        self.val_bars = pg.BarGraphItem(x=x + 0.2, height=val, width=0.4, brush=PALETTE[1], name=self.tr("validation"))
        item.addItem(self.train_bars)
        item.addItem(self.val_bars)
        follow_data(self.plot)
        item.getAxis("bottom").setTicks([[(i, names[i] if i < len(names) else str(i)) for i in range(len(train))]])
        self.counts = (list(train), list(val))


class ChannelTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels([self.tr("Channel"), self.tr("Raw mean"), self.tr("Raw std"),
                                        self.tr("Mean fed"), self.tr("Std fed")])
        self.setToolTip(self.tr("Raw: the data as loaded. Fed: after normalisation, what the network receives "
                                "(should be close to mean 0, std 1)."))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_stats(self, raw_mean, raw_std, norm_mean, norm_std) -> None:
        n = max(len(norm_mean), len(raw_mean or []))
        shown = min(n, 16)
        self.setRowCount(shown)
        for i in range(shown):
            values = [str(i), _fmt(raw_mean, i), _fmt(raw_std, i), _fmt(norm_mean, i), _fmt(norm_std, i)]
            for j, v in enumerate(values):
                self.setItem(i, j, QTableWidgetItem(v))
        self.resizeRowsToContents()
        header = self.horizontalHeader().sizeHint().height()
        self.setFixedHeight(header + self.verticalHeader().length() + 2 * self.frameWidth() + 2)


def _fmt(values, i: int) -> str:
    if not values or i >= len(values) or values[i] is None:
        return "—"
    return f"{float(values[i]):.4f}"
