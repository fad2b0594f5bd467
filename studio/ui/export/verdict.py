"""The PASS / FAIL banner: what the check after an export found, in green or red, with the figure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class VerdictBanner(QFrame):
    """Hidden until a verdict is shown; `state()` is "pass", "fail", "error" or "" (nothing yet)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Verdict")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 12)
        row.setSpacing(16)
        self.mark = QLabel()
        self.mark.setObjectName("VerdictMark")
        self.mark.setMinimumWidth(72)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(4)
        self.headline = QLabel()
        self.headline.setObjectName("VerdictText")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setWeight(font.Weight.DemiBold)
        self.headline.setFont(font)
        self.detail = QLabel()
        self.detail.setObjectName("VerdictText")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.headline)
        column.addWidget(self.detail)
        row.addLayout(column, 1)
        self._state = ""
        self.hide()

    def state(self) -> str:
        return self._state

    def show_verdict(self, state: str, mark: str, headline: str, detail: str = "") -> None:
        self._state = state
        for widget in (self, self.mark):
            widget.setProperty("verdict", state)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.mark.setText(mark)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.show()

    def clear(self) -> None:
        self._state = ""
        self.hide()
