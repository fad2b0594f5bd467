"""How the canvas looks: sizes, colours by block category (light and dark) and the node fonts.

Sizes are in scene units, which are the units of `Node.pos` in the project file. Templates put
rows 90 apart and columns 220 apart, so a node is narrower than a column and shorter than a row,
leaving the gap below each node for the edge and its shape label.

A block is NODE_W wide unless its texts need more (`node_width`): its id and block type on the
first line and its output shape and parameter count on the second are always shown in full at
100 % zoom, in every language, never cut to "Conv…".
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath

from studio.ui import theme
from studio.ui.common.style import is_dark

NODE_W = 200.0
NODE_H = 54.0
MAX_NODE_W = 480.0
"""Past this width (an id of 40 letters) the texts are elided after all; the tooltip has them."""
TEXT_LEFT = 16.0
"""From a block's left edge to its text: the category stripe and a margin."""
TEXT_RIGHT = 14.0
"""From the text to the block's right edge: room for the warning dot."""
TITLE_GAP = 8.0
"""Between the id and the block type, and (PARAMS_GAP) between the shape and the parameter count."""
PARAMS_GAP = 12.0
ROW = 90.0
COLUMN = 220.0
GRID = 10.0
PORT_R = 5.5
PORT_HIT_R = 11.0
"""Ports are drawn small but caught within this radius, so wiring does not need a steady hand."""

CATEGORY_COLORS = {
    "Input": "#475569",
    "Convolution": "#2563eb",
    "Pooling": "#0891b2",
    "Normalization": "#7c3aed",
    "Regularization": "#b45309",
    "Linear": "#16a34a",
    "Shape": "#6b7280",
    "Activation": "#ea580c",
    "Recurrent": "#db2777",
    "Attention": "#c026d3",
    "Merge": "#0d9488",
    "Head": "#ca8a04",
}
FALLBACK_COLOR = "#64748b"


def category_color(category: str, dark: bool | None = None) -> QColor:
    """The category's hue; lifted a little on dark backgrounds so it stays legible."""
    color = QColor(CATEGORY_COLORS.get(category, FALLBACK_COLOR))
    if dark is None:
        dark = is_dark()
    return color.lighter(135) if dark else color


class Palette:
    """The theme colours the canvas paints with, read once per theme change (not per paint)."""

    def __init__(self) -> None:
        self.reload()

    def reload(self) -> None:
        c = theme.current_colors()
        self.name = theme.current_theme()
        self.dark = self.name == "dark"
        self.background = QColor(c["surface_alt"] if not self.dark else c["window"])
        self.grid = QColor(c["border"])
        self.grid.setAlpha(110 if self.dark else 150)
        self.node = QColor(c["surface"])
        self.node_border = QColor(c["border"])
        self.text = QColor(c["text"])
        self.muted = QColor(c["muted"])
        self.accent = QColor(c["accent"])
        self.danger = QColor(c["danger"])
        self.edge = QColor(c["muted"])
        self.edge.setAlpha(200)
        self.label_bg = QColor(self.background)
        self.label_bg.setAlpha(235)
        self.warning = QColor("#b45309" if not self.dark else "#f5a524")


def node_fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """Title (bold), detail and small fonts derived from the application font."""
    size = max(base.pointSizeF(), 9.0)
    title = QFont(base)
    title.setPointSizeF(size)
    title.setWeight(QFont.Weight.DemiBold)
    detail = QFont(base)
    detail.setPointSizeF(size - 1)
    small = QFont(base)
    small.setPointSizeF(size - 1.5)
    return title, detail, small


def node_width(fonts: tuple[QFont, QFont, QFont], node_id: str, block: str, shape: str = "", params: str = "") -> float:
    """The width a block needs to show its id and type, and its shape and parameters, in full."""
    title, detail = QFontMetricsF(fonts[0]), QFontMetricsF(fonts[1])
    first = title.horizontalAdvance(node_id) + TITLE_GAP + detail.horizontalAdvance(block)
    second = detail.horizontalAdvance(shape) + (PARAMS_GAP + detail.horizontalAdvance(params) if params else 0)
    need = math.ceil(max(first, second) + TEXT_LEFT + TEXT_RIGHT)
    need += need % 2  # even, so the centred box sits on whole units
    return float(min(MAX_NODE_W, max(NODE_W, need)))


# --- networks (a GAN's generator and discriminator drawn as groups) ------------------------
FRAME_PAD = 26.0
"""From a network's outermost blocks to the sides of its frame."""
FRAME_TOP = 48.0
"""Above a network's first block: its label, and under it the run of a wire coming into the block."""
FRAME_BOTTOM = 36.0
"""Below a network's last block: room for the shape label under its output."""
FRAME_RADIUS = 14.0
NETWORK_COLORS = {"generator": "#0d9488", "discriminator": "#7c3aed"}
"""A network's hue by role; others take the next of NETWORK_FALLBACK in the graph's order."""
NETWORK_FALLBACK = ("#0284c7", "#db2777", "#65a30d", "#b45309")


def network_color(role: str, index: int, dark: bool) -> QColor:
    """The hue of a network's frame and label: teal for a generator, violet for a discriminator."""
    color = QColor(NETWORK_COLORS.get(role, NETWORK_FALLBACK[index % len(NETWORK_FALLBACK)]))
    return color.lighter(140) if dark else color


FROZEN_HATCH_ALPHA = 60
"""How strongly a frozen block's diagonal hatching shows over its fill (0-255): visible, text still legible."""


def lock_glyph(right: float, top: float) -> tuple[QPainterPath, QPainterPath]:
    """A padlock in the top-right corner of a block whose box ends at `right` and starts at `top`:
    (its body, filled; its shackle, stroked). It fits in the margin right of the texts (TEXT_RIGHT)."""
    body = QPainterPath()
    body.addRoundedRect(QRectF(right - 12.5, top + 8.5, 9.0, 7.0), 1.5, 1.5)
    shackle = QPainterPath()
    shackle.moveTo(right - 10.5, top + 8.5)
    shackle.lineTo(right - 10.5, top + 6.5)
    shackle.arcTo(QRectF(right - 10.5, top + 3.5, 5.0, 6.0), 180.0, -180.0)
    shackle.lineTo(right - 5.5, top + 8.5)
    return body, shackle
