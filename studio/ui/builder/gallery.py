"""File → New from template: a gallery of the course templates, a thumbnail and one line each.

Thumbnails are drawn from the template's own graph (boxes in category colours, wires between
them), so a template added to resources/templates shows up here with no image to maintain.
The main window calls `choose_template(parent)` and opens the path it returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.model import Graph
from studio.core.graph.registry import get_block, has_block
from studio.core.project import SUFFIX
from studio.core.resources import TEMPLATES
from studio.ui import theme
from studio.ui.builder.canvas_style import NODE_H, NODE_W, category_color

THUMB = QSize(220, 150)
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class TemplateCard:
    name: str
    line: str
    path: Path
    graph: Graph


def one_line(description: str, limit: int = 110) -> str:
    """The first sentence of a description, cut to fit a card."""
    text = " ".join(description.split())
    for stop in (". ", ": "):
        if stop in text:
            text = text.split(stop, 1)[0]
            break
    text = text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def template_cards(folder: Path = TEMPLATES) -> list[TemplateCard]:
    cards = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            graph = Graph.from_dict(data.get("graph") or {})
        except (OSError, ValueError, KeyError, TypeError):
            continue
        cards.append(TemplateCard(str(data.get("name") or path.name), one_line(str(data.get("description") or "")),
                                  path, graph))
    return sorted(cards, key=lambda c: c.name.lower())


def render_thumbnail(graph: Graph, size: QSize = THUMB, dark: bool | None = None) -> QPixmap:
    """A miniature of the graph: blocks as category-coloured bars, wires as lines."""
    colors = theme.current_colors()
    dark = theme.current_theme() == "dark" if dark is None else dark
    pix = QPixmap(size)
    pix.fill(QColor(colors["surface_alt"]))
    if not graph.nodes:
        return pix
    xs = [n.pos[0] for n in graph.nodes]
    ys = [n.pos[1] for n in graph.nodes]
    bounds = QRectF(min(xs) - NODE_W / 2, min(ys), max(xs) - min(xs) + NODE_W, max(ys) - min(ys) + NODE_H)
    margin = 10
    scale = min((size.width() - 2 * margin) / bounds.width(), (size.height() - 2 * margin) / bounds.height())
    ox = (size.width() - bounds.width() * scale) / 2 - bounds.left() * scale
    oy = (size.height() - bounds.height() * scale) / 2 - bounds.top() * scale

    def at(x: float, y: float) -> QPointF:
        return QPointF(ox + x * scale, oy + y * scale)

    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pos = {n.id: n.pos for n in graph.nodes}
    edge_pen = QPen(QColor(colors["muted"]), 1.0)
    p.setPen(edge_pen)
    for e in graph.edges:
        if e.src in pos and e.dst in pos:
            a = at(pos[e.src][0], pos[e.src][1] + NODE_H)
            b = at(pos[e.dst][0], pos[e.dst][1])
            path = QPainterPath(a)
            mid = (b.y() - a.y()) / 2
            path.cubicTo(QPointF(a.x(), a.y() + mid), QPointF(b.x(), b.y() - mid), b)
            p.drawPath(path)
    for n in graph.nodes:
        category = get_block(n.block).category if has_block(n.block) else ""
        top_left = at(n.pos[0] - NODE_W / 2, n.pos[1])
        rect = QRectF(top_left.x(), top_left.y(), NODE_W * scale, max(NODE_H * scale, 3.0))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(category_color(category, dark))
        radius = min(3.0, rect.height() / 2)
        p.drawRoundedRect(rect, radius, radius)
    p.end()
    return pix


class TemplateGallery(QDialog):
    """Pick a template: one card per shipped template; double-click or Create opens it."""

    def __init__(self, parent: QWidget | None = None, folder: Path = TEMPLATES):
        super().__init__(parent)
        self.setObjectName("templateGallery")
        self.setWindowTitle(self.tr("New from template"))
        self.resize(980, 660)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        intro = QLabel(self.tr("Start from one of the course's networks. It opens as an untitled copy; "
                               "the template itself is never changed."))
        intro.setObjectName("Muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 80, THUMB.height() + 78))
        self.list.setWordWrap(True)
        self.list.setSpacing(8)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.list, 1)
        self.cards = template_cards(folder)
        for card in self.cards:
            item = QListWidgetItem(QIcon(render_thumbnail(card.graph)), f"{card.name}\n{card.line}")
            item.setData(PATH_ROLE, str(card.path))
            item.setToolTip(f"<b>{card.name}</b><br>{card.line}<br>{len(card.graph.nodes)} blocks")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setSizeHint(self.list.gridSize() - QSize(8, 8))
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Open).setText(self.tr("Create"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        if self.cards:
            self.list.setCurrentRow(0)

    def selected_path(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None


def choose_template(parent: QWidget | None = None) -> Path | None:
    """Show the gallery modally; the chosen template's path, or None when cancelled."""
    dialog = TemplateGallery(parent)
    return dialog.selected_path() if dialog.exec() == QDialog.DialogCode.Accepted else None
