"""Check results belong to the configuration they ran on (issue 20, item 8a): once the lr changes
they are greyed under a note naming the earlier lr, never left green PASS; run again, they are
this configuration's (and lr 50 is a red FAIL, item 8c)."""

from __future__ import annotations

import math

import pytest
from recipe_ui import SWEEP_GRAPH_HIDDEN, chip, chip_colour, close, run_checks_by_click, type_lr
from ui_builders import digits_mlp, make_project

from studio.ui.state import AppState
from studio.ui.theme import current_colors
from studio.ui.training.recipe_view import STATUS_COLORS


@pytest.fixture
def state(qtbot):
    return AppState(make_project(digits_mlp(SWEEP_GRAPH_HIDDEN, dropout=None), lr=3e-3, epochs=1))


def test_results_of_an_earlier_lr_are_greyed_with_a_note_until_run_again(qtbot, train_panel, state):
    recipe = train_panel.recipe
    run_checks_by_click(qtbot, train_panel)
    rows = recipe.rows
    assert close(chip_colour(rows["fixed_seed"]), STATUS_COLORS["pass"])
    type_lr(qtbot, train_panel, "50")
    assert state.train_config.lr == 50.0
    grey = current_colors()["border"]
    for name, row in rows.items():
        assert close(chip_colour(row), grey), name  # no PASS left green
    assert recipe.stale_note.isVisible()
    assert "from an earlier configuration (lr 0.003)" in recipe.stale_note.text()
    assert all(row.stale for row in rows.values())
    assert recipe.configured_line.value() == pytest.approx(math.log10(50.0))  # "yours" is the lr now
    assert recipe.configured_line.label.format == "yours 50"

    state.undo_stack.undo()  # back at lr 0.003: they are this configuration's again
    assert not any(row.stale for row in rows.values()) and not recipe.stale_note.isVisible()
    assert close(chip_colour(rows["fixed_seed"]), STATUS_COLORS["pass"])
    state.undo_stack.redo()
    assert all(row.stale for row in rows.values())

    run_checks_by_click(qtbot, train_panel)  # run again at lr 50
    assert not any(row.stale for row in recipe.rows.values())
    assert not recipe.stale_note.isVisible()
    lr_row = recipe.rows["lr_range"]
    assert chip(lr_row).text() == "FAIL" and close(chip_colour(lr_row), STATUS_COLORS["fail"])
    assert "it will diverge" in lr_row.label.text()
