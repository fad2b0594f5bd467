"""The frame every panel page shares: a scrollable column with a title, a lede and sections.

A panel is a widget class with a `KEY` (used for settings, `--panel` and object names), a
translated `title()`, and a constructor `Panel(state, parent=None)` taking the shared `AppState`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.ui.state import AppState


class PanelPage(QScrollArea):
    """A page of one panel; subclasses fill `self.body` (a QVBoxLayout) in their constructor."""

    KEY = "panel"

    @classmethod
    def title(cls) -> str:
        raise NotImplementedError

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"{self.KEY}Panel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("PanelBody")
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.setSpacing(0)
        # A readable measure: the column grows with the window up to ~1000 px, then stays left.
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        column.setMaximumWidth(1000)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.body = QVBoxLayout(column)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(14)
        row.addWidget(column, 1)
        row.addStretch(0)
        outer.addLayout(row)
        outer.addStretch(1)
        self.setWidget(inner)

    # --- building blocks for page bodies ------------------------------------------------------
    def add_header(self, title: str, lede: str) -> QLabel:
        row = QHBoxLayout()
        row.setSpacing(12)
        heading = QLabel(title)
        heading.setObjectName("PanelTitle")
        row.addWidget(heading)
        row.addStretch(1)
        self.body.addLayout(row)
        lede_label = QLabel(lede)
        lede_label.setObjectName("PanelLede")
        lede_label.setWordWrap(True)
        self.body.addWidget(lede_label)
        return heading

    def add_section(self, title: str) -> QLabel:
        label = QLabel(title)
        label.setObjectName("SectionTitle")
        self.body.addSpacing(12)
        self.body.addWidget(label)
        return label

    def add_bullets(self, items: list[str]) -> QLabel:
        label = QLabel("".join(f"<p style='margin:0 0 6px 0'>•&nbsp;&nbsp;{item}</p>" for item in items))
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        self.body.addWidget(label)
        return label

    def add_facts(self) -> QFormLayout:
        """A two-column card of label: value rows (values come from the open project)."""
        card = QFrame()
        card.setObjectName("PanelCard")
        form = QFormLayout(card)
        form.setContentsMargins(18, 14, 18, 14)
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(card)
        return form

    def add_hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("Hint")
        label.setWordWrap(True)
        self.body.addWidget(label)
        return label


def fact_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    return label


def value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label
