"""The panel follows the theme: its own colours (verdict, drop zone, bars) switch with light and dark."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from studio.ui import theme
from studio.ui.common.style import VERDICT_COLORS


def test_switching_to_dark_recolours_the_verdict_and_back(qtbot, panel):
    app = QApplication.instance()
    try:
        theme.apply_theme(app, "dark")
        qtbot.wait(50)
        sheet = panel.widget().styleSheet()
        assert VERDICT_COLORS["dark"]["pass_bg"] in sheet
        assert theme.colors("dark")["surface"] in sheet
        assert VERDICT_COLORS["light"]["pass_bg"] not in sheet
    finally:
        theme.apply_theme(app, "light")
        qtbot.wait(50)
    assert VERDICT_COLORS["light"]["pass_bg"] in panel.widget().styleSheet()
