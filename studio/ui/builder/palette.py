"""The block palette: every registered block grouped by category, with a search box.

Drag a block onto the canvas, or double-click it (Enter works too) to add it under the selected
block, wired to it. The search matches names, categories and the block's help text.

The palette is as wide as its longest name needs in the language shown (measured with the tree's
fonts, its indentation, icons and scroll bar), so "Regularização" or "TransformerEncoderLayer" is
never cut, and the search field's placeholder fits too (issue 20).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.registry import all_blocks
from studio.ui.builder.canvas_style import category_color
from studio.ui.builder.inspector import line_edit_room

BLOCK_MIME = "application/x-studio-block"
BLOCK_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_TEXT_GAP = 4
"""Space the item delegate leaves between an item's icon and its text."""
SLACK = 4
"""A few pixels more than the sums, for rounding in the style's own metrics."""


def _dot(color: QColor, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(color))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


class BlockTree(QTreeWidget):
    """The tree itself; its drag carries the block name under BLOCK_MIME."""

    def mimeTypes(self) -> list[str]:
        return [BLOCK_MIME]

    def text_width(self) -> int:
        """The width the widest item needs: its indentation, icon and text in its own font."""
        style = self.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        icon = self.iconSize().width() if self.iconSize().isValid() else \
            style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        widest = 0
        it = QTreeWidgetItemIterator(self)
        while it.value() is not None:
            item = it.value()
            depth, up = 0, item.parent()
            while up is not None:
                depth, up = depth + 1, up.parent()
            indent = self.indentation() * (depth + (1 if self.rootIsDecorated() else 0))
            taken = margin + (icon + ICON_TEXT_GAP if not item.icon(0).isNull() else 0)
            text = QFontMetrics(item.font(0)).horizontalAdvance(item.text(0))
            widest = max(widest, indent + taken + text)
            it += 1
        return widest

    def needed_width(self) -> int:
        """The tree's width with room for every item next to a vertical scroll bar."""
        bar = self.verticalScrollBar().sizeHint().width()
        return self.text_width() + 2 * self.frameWidth() + bar + SLACK

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        names = [i.data(0, BLOCK_ROLE) for i in items if i.data(0, BLOCK_ROLE)]
        if names:
            mime.setData(BLOCK_MIME, names[0].encode("utf-8"))
            mime.setText(names[0])
        return mime


class BlockPalette(QWidget):
    block_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("blockPalette")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.search = QLineEdit()
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText(self.tr("Search blocks…"))
        self.search.setClearButtonEnabled(True)
        self.tree = BlockTree()
        self.tree.setObjectName("paletteTree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.categories: dict[str, QTreeWidgetItem] = {}
        self.populate()
        self.search.textChanged.connect(self.filter)
        self.tree.itemActivated.connect(self._activated)
        self.fit_width()

    def category_labels(self) -> dict[str, str]:
        """The built-in categories in the user's language (a plugin's own category shows as it is)."""
        return {"Activation": self.tr("Activation"), "Attention": self.tr("Attention"),
                  "Convolution": self.tr("Convolution"), "Head": self.tr("Head"), "Input": self.tr("Input"),
                  "Linear": self.tr("Linear"), "Merge": self.tr("Merge"), "Normalization": self.tr("Normalization"),
                  "Pooling": self.tr("Pooling"), "Recurrent": self.tr("Recurrent"),
                  "Regularization": self.tr("Regularization"), "Shape": self.tr("Shape")}

    def populate(self) -> None:
        self.tree.clear()
        self.items.clear()
        self.categories.clear()
        labels = self.category_labels()
        for spec in all_blocks():
            if spec.source == "import":
                continue  # made by `studio import` only (the Module block), never placed by hand
            category = labels.get(spec.category, spec.category)
            group = self.categories.get(spec.category)
            if group is None:
                group = QTreeWidgetItem([category])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setIcon(0, _dot(category_color(spec.category)))
                self.tree.addTopLevelItem(group)
                self.categories[spec.category] = group
            item = QTreeWidgetItem([spec.name])
            item.setData(0, BLOCK_ROLE, spec.name)
            item.setToolTip(0, f"<b>{spec.name}</b> ({spec.category})<br>{spec.doc}")
            item.setStatusTip(0, spec.doc)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            # search matches the English category and the shown one
            words = f"{spec.name} {spec.category} {category} {spec.doc}"
            item.setData(0, Qt.ItemDataRole.UserRole + 2, words.lower())
            group.addChild(item)
            self.items[spec.name] = item
        self.tree.expandAll()

    def fit_width(self) -> None:
        """Be as wide as the longest name and the search placeholder need, in the current fonts."""
        placeholder = QFontMetrics(self.search.font()).horizontalAdvance(self.search.placeholderText())
        chrome = self.search.width() - line_edit_room(self.search)  # frame, padding, Qt's margins
        self.tree.setMinimumWidth(self.tree.needed_width())
        self.search.setMinimumWidth(placeholder + chrome + SLACK)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_width()  # a theme's style sheet may change fonts, paddings and the scroll bar

    def filter(self, text: str) -> None:
        words = text.lower().split()
        for group in self.categories.values():
            shown = 0
            for i in range(group.childCount()):
                child = group.child(i)
                hay = child.data(0, Qt.ItemDataRole.UserRole + 2)
                name = child.text(0).lower()
                hit = all(w in hay for w in words)
                child.setHidden(not hit)
                shown += hit
                if hit and words and words[0] in name and not self.tree.currentItem():
                    self.tree.setCurrentItem(child)
            group.setHidden(shown == 0)
            group.setExpanded(True)

    def visible_blocks(self) -> list[str]:
        return [name for name, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, BLOCK_ROLE)
        if name:
            self.block_activated.emit(name)
