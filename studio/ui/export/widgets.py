"""Small building blocks of the Export panel: cards, field rows and segmented choices."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class Card(QFrame):
    """A rounded section with a title, an optional subtitle and a body column."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ExportCard")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(20, 16, 20, 18)
        self.column.setSpacing(10)
        heading = QLabel(title)
        heading.setObjectName("CardTitle")
        self.column.addWidget(heading)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setObjectName("Muted")
            sub.setWordWrap(True)
            self.column.addWidget(sub)


class FieldGrid(QGridLayout):
    """Label / editor rows with the labels in one muted column."""

    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalSpacing(14)
        self.setVerticalSpacing(10)
        self.setColumnStretch(1, 1)

    def add_row(self, label: str, *widgets: QWidget | QHBoxLayout, stretch: bool = True) -> QLabel:
        row = self.rowCount()
        caption = QLabel(label)
        caption.setObjectName("FieldLabel")
        self.addWidget(caption, row, 0)
        line = QHBoxLayout()
        line.setSpacing(8)
        for w in widgets:
            if isinstance(w, QHBoxLayout):
                line.addLayout(w)
            else:
                line.addWidget(w)
        if stretch:
            line.addStretch(1)
        self.addLayout(line, row, 1)
        return caption


class Segmented(QWidget):
    """Mutually exclusive choices shown as joined buttons (for a handful of options)."""

    changed = Signal(str)

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in choices:
            button = QPushButton(text)
            button.setObjectName("Segment")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setProperty("key", key)
            self.group.addButton(button)
            line.addWidget(button)
            self.buttons[key] = button
            button.toggled.connect(lambda on, k=key: on and self.changed.emit(k))
        first = next(iter(self.buttons.values()))
        first.setChecked(True)

    def value(self) -> str:
        button = self.group.checkedButton()
        return str(button.property("key")) if button else ""

    def set_value(self, key: str) -> None:
        self.buttons[key].setChecked(True)
