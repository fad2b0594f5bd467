"""While the recipe checks run, the button says so and the count shows beside it (issue 20, item 8b)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt


def test_the_checks_button_says_it_runs_and_the_count_shows_beside_it(qtbot, train_panel):
    button, progress = train_panel.checks_button, train_panel.checks_progress
    width = button.width()
    seen: set[str] = set()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled() and button.text() == "Running checks…"
    assert progress.isVisible()
    # beside the button, on its row
    assert progress.geometry().left() >= button.geometry().right()
    assert abs(progress.geometry().center().y() - button.geometry().center().y()) <= 4

    def counting() -> bool:
        seen.add(progress.label.text())
        return bool(re.fullmatch(r"running check [3-9] of 9…", progress.label.text()))

    qtbot.waitUntil(counting, timeout=60_000)
    assert progress.bar.maximum() == 9 and progress.bar.value() >= 2
    # the end reaches the GUI thread after the last result (runner.busy turns False on the worker first)
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=60_000)
    assert not train_panel.runner.busy and "prediction_dynamics" in train_panel.recipe.rows
    assert button.isEnabled() and button.text() == "Run recipe checks"
    assert button.width() == width  # the text changed, the row did not move
    assert any(re.fullmatch(r"running check \d of 9…", text) for text in seen)
