"""Building blocks the panels share: cards, field rows, segmented choices, the verdict banner and
a button of stable width.

They carry object names only; how they look comes from the page's style sheet
(`studio.ui.common.style`), so they follow the theme with the page.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui import theme


class Card(QFrame):
    """A rounded section with a title, an optional subtitle and a body column (`self.column`).

    `compact` cards keep 2 px less padding, for cards set side by side (Explain's model and input).
    """

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.setObjectName("Card")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(*((18, 14, 18, 16) if compact else (20, 16, 20, 18)))
        self.column.setSpacing(10)
        self.heading = QLabel(title)
        self.heading.setObjectName("CardTitle")
        self.column.addWidget(self.heading)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setObjectName("Muted")
            sub.setWordWrap(True)
            self.column.addWidget(sub)


class StableWidthButton(QPushButton):
    """A button whose text switches between a few (Pause / Continue) and whose width does not: it
    asks for the room of the widest, so the buttons beside it never move when the text changes."""

    def __init__(self, texts: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(texts[0], parent)
        self.texts = tuple(texts)

    def _hint_for(self, text: str) -> QSize:
        """QPushButton::sizeHint for `text`, through the style (and so the page's style sheet)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        size = self.fontMetrics().size(int(Qt.TextFlag.TextShowMnemonic), text)
        option.rect.setSize(size)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, size, self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hints = [self._hint_for(text) for text in self.texts + (self.text(),)]
        return QSize(max(h.width() for h in hints), max(h.height() for h in hints))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


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


class VerdictBanner(QFrame):
    """A verdict in one card: a mark, a headline, a detail line and, when there is any, advice.

    Hidden until the first verdict; `state()` is the verdict's state, "" before it and after `clear()`.
    Two looks, one per kind of verdict:

    * tinted (default), for a check the user asked for: "pass" tints the card green, "warn" amber,
      "fail" and "error" red (the page's style sheet), and a big mark (PASS, ▲, ✕) leads;
    * `edged`, for a verdict that keeps changing while training runs: a plain card with a coloured
      edge and the headline in the verdict's colour (`color`), which a tinted card would turn into
      flashes of colour. It restyles itself only when the colour or the theme changes: restyling
      is the expensive part of a redraw.
    """

    def __init__(self, parent: QWidget | None = None, *, edged: bool = False):
        super().__init__(parent)
        self.edged = edged
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
        if not edged:  # an edged headline is rich text with its own weight
            font = self.headline.font()
            font.setWeight(font.Weight.DemiBold)
            self.headline.setFont(font)
        self.detail = QLabel()
        self.detail.setObjectName("VerdictText")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.headline, self.detail, self.advice):
            column.addWidget(label)
        row.addLayout(column, 1)
        self._state = ""
        self._shown: tuple | None = None
        self._edge_color: str | None = None
        self.hide()
        theme.follow_theme(self, self._theme_changed)

    def _theme_changed(self) -> None:
        """An edged card carries the theme's colours in its own sheet and its headline: paint the
        shown verdict again in the new ones (it stayed a white card with light text on dark)."""
        self._edge_color = None
        shown, self._shown = self._shown, None
        if shown is not None and self.edged:
            state, mark, headline, detail, advice, note, color = shown
            self.show_verdict(state, mark, headline, detail, advice=advice, note=note, color=color)

    def state(self) -> str:
        return self._state

    def show_verdict(self, state: str, mark: str, headline: str, detail: str = "", *, advice: str = "",
                     note: str = "", color: str | None = None) -> None:
        """Show a verdict. `advice` is rich text (escape what it quotes); an edged banner writes
        `headline` in `color` (the theme's muted one when None) followed by `note` in muted text."""
        shown = (state, mark, headline, detail, advice, note, color)
        if shown == self._shown:  # the training verdict comes every second, mostly unchanged
            return
        self._shown = shown
        self._state = state
        if self.edged:
            self._show_edged(headline, note, color)
        else:
            for widget in (self, self.mark):
                widget.setProperty("verdict", state)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            self.headline.setText(headline)
        self.mark.setText(mark)
        self.mark.setVisible(bool(mark))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        self.show()

    def _show_edged(self, headline: str, note: str, color: str | None) -> None:
        colors = theme.current_colors()
        color = color or colors["muted"]
        if color != self._edge_color:
            self._edge_color = color
            self.setStyleSheet(f"QFrame#Verdict {{ border: 1px solid {color}; border-left: 5px solid {color}; "
                               f"border-radius: 8px; background: {colors['surface']}; }}")
        self.headline.setText(f"<span style='font-size:12pt;font-weight:600;color:{color}'>{escape(headline)}</span>"
                              f"<span style='color:{colors['muted']}'>{escape(note)}</span>")

    def clear(self) -> None:
        self._state = ""
        self._shown = None
        self.hide()
