"""The one message bar of every page (issue 19): messages are declared where they are shown, each
level has its own look in both themes, and the bar follows a theme change while it is shown."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from studio.ui import theme
from studio.ui.common.messages import ERROR, INFO, WARNING, MessageBar, Msg


def _fill(bar: MessageBar) -> QColor:
    """The colour most of the drawn bar has (its background)."""
    image = bar.grab().toImage()
    counts: dict[int, int] = {}
    for y in range(6, image.height() - 6, 2):
        for x in range(10, image.width() - 6, 3):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    return QColor.fromRgb(max(counts, key=counts.get))


@pytest.fixture
def bar(qtbot):
    widget = MessageBar((Msg("saved", INFO), Msg("odd", WARNING), Msg("failed", ERROR)), "Title")
    widget.resize(400, 60)
    qtbot.addWidget(widget)
    return widget


def test_an_undeclared_message_is_refused_and_an_empty_one_clears(bar):
    with pytest.raises(KeyError, match="not declared"):
        bar.show_message("typo", "text")
    bar.show_message("failed", "the file is gone")
    assert (bar.key(), bar.level(), bar.text()) == ("failed", ERROR, "the file is gone")
    assert not bar.isHidden()
    bar.show_message("failed", "")
    assert bar.isHidden() and bar.text() == "" and bar.key() is None
    with pytest.raises(ValueError):
        Msg("x", "fatal")


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_each_level_looks_its_own_and_follows_the_theme(bar, qtbot, theme_name):
    app = QApplication.instance()
    other = "dark" if theme_name == "light" else "light"
    theme.apply_theme(app, theme_name)
    try:
        bar.show()
        fills = {}
        for key in ("saved", "odd", "failed"):
            bar.show_message(key, "some words")
            qtbot.wait(10)
            fills[key] = _fill(bar).name()
        assert len(set(fills.values())) == 3, fills
        shown = fills["failed"]
        theme.apply_theme(app, other)
        qtbot.waitUntil(lambda: _fill(bar).name() != shown, timeout=2000)  # the error repainted in the new theme
        text = QColor(bar.label.palette().color(bar.label.foregroundRole()))
        assert abs(text.lightness() - _fill(bar).lightness()) > 100, "the message must stay readable"
    finally:
        theme.apply_theme(app, "light")


def test_every_panel_declares_the_messages_its_bars_show(launch):
    window = launch()
    bars = window.findChildren(MessageBar)
    assert len(bars) >= 4  # data, audio, explain's source and input cards, its views
    for b in bars:
        assert b.messages, "a bar with no declared message"
        owner = b.parent()
        while owner is not None and set(b.messages.values()) - set(getattr(owner, "MESSAGES", ())):
            owner = owner.parent()
        assert owner is not None, f"bar {sorted(b.messages)} shows messages no widget around it declares"
