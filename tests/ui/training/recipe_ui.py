"""Shared by the recipe-view tests: a panel over a model whose LR sweep learns, and what a user sees
of a check row (its chip's colour)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

SWEEP_GRAPH_HIDDEN = 64
"""A 64-unit MLP without dropout: its LR range test on digits learns and suggests an lr."""


def chip(row) -> QLabel:
    return row.findChild(QLabel, "statusChip")


def chip_colour(row) -> QColor:
    """The chip's fill, read off the screen left of its text."""
    image = chip(row).grab().toImage()
    return image.pixelColor(5, image.height() // 2)


def close(a: QColor, hex_colour: str, tol: int = 12) -> bool:
    b = QColor(hex_colour)
    return all(abs(x - y) <= tol for x, y in zip((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()),
                                                  strict=True))


def run_checks_by_click(qtbot, panel, timeout: int = 60_000) -> None:
    """Click "Run recipe checks" and wait for the last result on the GUI thread: the button comes
    back when the job's end is delivered, after every result (`runner.busy` turns False on the
    worker thread, possibly before they arrive)."""
    qtbot.mouseClick(panel.checks_button, Qt.MouseButton.LeftButton)
    assert not panel.checks_button.isEnabled()
    qtbot.waitUntil(panel.checks_button.isEnabled, timeout=timeout)
    assert not panel.runner.busy and "lr_range" in panel.recipe.rows


def type_lr(qtbot, panel, text: str) -> None:
    """Type a learning rate into the form as a user does: select the field, type, press Enter."""
    edit = panel.form.lr
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
