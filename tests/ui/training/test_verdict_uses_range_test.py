"""The Diverging verdict advises the LR range test's lr when the checks ran one (issue 20, item 9a):
lr 50 diverges, and the banner says "~0.015, the LR range test's suggestion", not "try 5"."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from recipe_ui import SWEEP_GRAPH_HIDDEN, chip_colour, close, run_checks_by_click, type_lr
from ui_builders import digits_mlp, make_project

from studio.core.recipe.diagnosis import Verdict
from studio.ui.state import AppState
from studio.ui.theme import current_colors


@pytest.fixture
def state(qtbot):
    return AppState(make_project(digits_mlp(SWEEP_GRAPH_HIDDEN, dropout=None), lr=3e-3, epochs=1))


def test_a_diverging_run_is_advised_the_range_tests_lr(qtbot, train_panel, state):
    recipe = train_panel.recipe
    run_checks_by_click(qtbot, train_panel)  # at lr 0.003
    suggested = recipe.rows["lr_range"].result.details["suggested_lr"]
    assert suggested and suggested < 1
    type_lr(qtbot, train_panel, "50")
    qtbot.mouseClick(train_panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train_panel.controller.state in ("finished", "stopped", "error"), timeout=60_000)
    qtbot.waitUntil(train_panel.checks_button.isEnabled, timeout=30_000)  # the cheap checks' end, delivered
    qtbot.waitUntil(lambda: train_panel.verdict.state() == "diverging", timeout=10_000)
    advice = html.unescape(train_panel.verdict.advice.text())  # rich text
    assert f"~{suggested:.2g}, the LR range test's suggestion" in advice
    assert "try 5" not in advice
    error = train_panel.error_label  # the run's own message ("training diverged: ...") gives the same lr
    assert error.isVisible() and f"~{suggested:.2g}, the LR range test's suggestion" in error.text()
    assert "(lr/100)" not in error.text() and "try 5" not in error.text()
    # under the red banner, the sweep of lr 0.003 is greyed (the cheap checks re-ran for lr 50)
    assert recipe.rows["lr_range"].stale and close(chip_colour(recipe.rows["lr_range"]), current_colors()["border"])
    assert not recipe.rows["fixed_seed"].stale


def test_a_sweep_of_another_optimizer_is_not_used(qtbot, train_panel, state):
    run_checks_by_click(qtbot, train_panel)
    index = train_panel.form.optimizer.findData("sgd")
    train_panel.form.optimizer.setCurrentIndex(index)  # what choosing it in the combo does
    assert state.train_config.optimizer == "sgd"
    verdict = train_panel.recipe.verdict_with_evidence(Verdict("diverging", "lower the learning rate (try 5)"))
    assert verdict.advice == "lower the learning rate (try 5)"
