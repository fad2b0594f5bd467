"""The messages a page shows, declared where they are shown and drawn one way everywhere.

A widget that can tell the user something (a data set that will not load, a missing microphone, a
file Explain cannot read) declares those messages in its `MESSAGES`: a key and a level each, the way
a panel declares what it accepts. Its `MessageBar` shows one of them at a time; asking a bar for a
message nobody declared is a programming error, raised at once, so a test finds it.

Three levels, one look each, in the theme's colours (the bar repaints when the theme changes):

* `INFO`: a quiet card ("Saved b.wav");
* `WARNING`: amber, for what works but should be looked at;
* `ERROR`: red edge and tint, for what did not happen and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from studio.ui import theme
from studio.ui.common.style import colors

INFO, WARNING, ERROR = "info", "warning", "error"
LEVELS = (INFO, WARNING, ERROR)


@dataclass(frozen=True)
class Msg:
    """One message a widget may show: its `key` (what the code asks for) and its `level`."""

    key: str
    level: str

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"message {self.key!r}: level must be one of {LEVELS}, not {self.level!r}")


class MessageBar(QFrame):
    """Shows one declared message at a time (with the bar's `title` above it, if it has one);
    hidden while there is none. The text is selectable, so a path in it can be copied."""

    def __init__(self, messages: Iterable[Msg], title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.messages = {m.key: m for m in messages}
        """The messages this bar may show, by key."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setObjectName("MessageTitle")
        self.title.setVisible(bool(title))
        self.label = QLabel()
        self.label.setObjectName("MessageText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.label)
        self._key: str | None = None
        self.hide()
        theme.follow_theme(self, self._paint)

    def show_message(self, key: str, text: str) -> None:
        """Show the message `key` with `text` (an empty text clears the bar)."""
        if key not in self.messages:
            raise KeyError(f"message {key!r} is not declared here (declared: {sorted(self.messages)})")
        if not text:
            self.clear()
            return
        self._key = key
        self.label.setText(text)
        self._paint()
        self.show()

    def clear(self) -> None:
        self._key = None
        self.label.setText("")
        self.hide()

    def key(self) -> str | None:
        """The key of the message shown, None when the bar is hidden."""
        return self._key

    def level(self) -> str | None:
        return self.messages[self._key].level if self._key else None

    def text(self) -> str:
        """The text shown ("" when hidden)."""
        return self.label.text() if self._key else ""

    def _paint(self) -> None:
        """The bar's colours for its level in the current theme: set on the bar itself, so it looks
        the same on every page whatever that page's own style sheet says."""
        c = v = colors()
        level = self.level() or INFO
        if level == ERROR:
            frame = (f"background: {v['fail_bg']}; border: 1px solid {v['fail_border']}; "
                     f"border-left: 4px solid {c['danger']};")
            text, title = v["error_fg"], v["fail_fg"]
        elif level == WARNING:
            frame = (f"background: {v['warn_bg']}; border: 1px solid {v['warn_border']}; "
                     f"border-left: 4px solid {v['warn_fg']};")
            text, title = c["text"], v["warn_fg"]
        else:
            frame = f"background: {c['surface_alt']}; border: 1px solid {c['border']};"
            text, title = c["text"], c["text"]
        self.setProperty("level", level)
        self.setStyleSheet(f"QFrame#MessageBar {{ {frame} border-radius: 8px; }}"
                           f"QLabel#MessageText {{ color: {text}; background: transparent; border: none; }}"
                           f"QLabel#MessageTitle {{ color: {title}; font-weight: 600; background: transparent;"
                           f" border: none; }}")
