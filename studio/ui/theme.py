"""Light and dark themes: a Fusion palette plus one style sheet filled from a colour table.

Colours live in resources/styles/themes.json and the rules in resources/styles/studio.qss, so a
designer can adjust the look without touching Python. Panels that draw their own colours (plots,
the canvas) read `current_colors()` and repaint through `follow_theme` when the theme changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from string import Template

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from studio.core.resources import resource_path

THEMES = ("light", "dark")
DEFAULT_THEME = "light"
_current = {"name": DEFAULT_THEME}


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, str]]:
    return json.loads(resource_path("styles", "themes.json").read_text(encoding="utf-8"))


def colors(name: str) -> dict[str, str]:
    return dict(_tables()[name])


def current_theme() -> str:
    return _current["name"]


def current_colors() -> dict[str, str]:
    return colors(current_theme())


def style_sheet(name: str) -> str:
    template = Template(resource_path("styles", "studio.qss").read_text(encoding="utf-8"))
    return template.substitute(colors(name))


def _palette(c: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    for r, key in [
        (role.Window, "window"), (role.WindowText, "text"), (role.Base, "surface"),
        (role.AlternateBase, "surface_alt"), (role.Text, "text"), (role.Button, "surface"),
        (role.ButtonText, "text"), (role.Highlight, "accent"), (role.HighlightedText, "accent_text"),
        (role.ToolTipBase, "surface"), (role.ToolTipText, "text"), (role.PlaceholderText, "muted"),
        (role.Link, "accent"), (role.Mid, "border"), (role.Midlight, "header"),
    ]:
        pal.setColor(r, QColor(c[key]))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["muted"]))
    return pal


def apply_theme(app: QApplication, name: str) -> str:
    """Apply `name` (falls back to the default for unknown names) and return the one applied."""
    if name not in THEMES:
        name = DEFAULT_THEME
    # Record the name first: panels that redraw on the palette-change event read current_theme().
    _current["name"] = name
    app.setStyle("Fusion")
    c = colors(name)
    app.setPalette(_palette(c))
    app.setStyleSheet(style_sheet(name))
    return name


def base_font(app: QApplication) -> QFont:
    """A readable base size: Qt's default 9 pt is cramped for tables of parameters."""
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    return font


THEME_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)
"""What Qt sends a widget when `apply_theme` sets the palette and the style sheet."""


class _ThemeWatcher(QObject):
    """Calls `callback` once after the theme changed (Qt sends several events per change)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]):
        super().__init__(widget)
        self.callback = callback
        self.theme_shown = current_theme()
        self.queued = False
        widget.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in THEME_EVENTS and not self.queued:
            self.queued = True
            QTimer.singleShot(0, self, self._run)  # apply_theme sets the palette, then the style sheet
        return False

    def _run(self) -> None:
        self.queued = False
        if current_theme() != self.theme_shown:
            self.theme_shown = current_theme()
            self.callback()


def follow_theme(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run `callback` (a repaint in the new colours) after each change of the app's theme: for what
    the style sheet cannot reach (pyqtgraph plots, colours baked into a widget's own sheet or into
    rich text). The callback runs once per change, after the palette and the sheet are both set."""
    _ThemeWatcher(widget, callback)
