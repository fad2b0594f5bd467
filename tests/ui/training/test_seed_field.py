"""The seed box and `"seed": null` (issue 19): a project asking for a fresh seed per run says so in
the form (not "0", which is a fixed seed), and the user can ask for it and back with the keyboard."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from studio.core.project import save_project
from studio.ui.training.config_form import RANDOM_SEED


def _type_seed(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_null_seed_reads_random_and_a_typed_seed_is_kept(qtbot, train_panel, state, tmp_path):
    form = train_panel.form
    state.project.training["seed"] = None
    state.notify_edited("training")
    assert form.seed.text() == "random each run"

    _type_seed(qtbot, form.seed, "42")
    assert state.project.training["seed"] == 42
    assert form.seed.text() == "42"

    _type_seed(qtbot, form.seed, "0")
    assert state.project.training["seed"] == 0  # zero is a seed like any other
    qtbot.keyClick(form.seed, Qt.Key.Key_Down)  # one below: random
    assert form.seed.value() == RANDOM_SEED
    assert "seed" in state.project.training and state.project.training["seed"] is None, \
        "random must be written as null, not dropped (absent means seed 0)"
    assert form.seed.text() == "random each run"

    saved = tmp_path / "p.studio.json"
    save_project(state.project, saved)
    assert json.loads(saved.read_text())["training"]["seed"] is None
