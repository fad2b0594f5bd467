"""Few-shot from the window (issue 15): the Explain panel's Few-shot tab on a trained Siamese digits run
shows the same 5-way 1-shot and 5-way 5-shot figures as `studio few-shot` for the same seed, above
chance; a folder with fewer classes than N, bad settings and a classifier run each say why, and the
tab goes on working after them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch
from explain_ui_support import settle
from PySide6.QtCore import Qt


@pytest.fixture(scope="module")
def siamese_run(tmp_path_factory) -> Path:
    """The shipped Siamese embedding template after 2 epochs on the built-in digits (about 3 s)."""
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES
    from studio.core.train.trainer import run_training

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    run_dir = tmp_path_factory.mktemp("few-shot-ui") / "runs" / "siamese"
    project = load_project(TEMPLATES / "siamese_embedding.studio.json")
    done = run_training(project, run_dir, {"device": "cpu", "epochs": 2}, lambda e: None)
    assert done["event"] == "done", done
    return run_dir


def digit_folder(root: Path, digits: range, per_class: int = 20) -> Path:
    """An image folder of real digits, one sub-folder per class, named so the run never saw them."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    data = load_digits()
    for digit in digits:
        folder = root / f"glyph{digit}"
        folder.mkdir(parents=True)
        for i, image in enumerate(data.images[data.target == digit][:per_class]):
            Image.fromarray((image * 255 / 16).astype(np.uint8)).save(folder / f"{i}.png")
    return root


def few_shot_tab(make_panel, run, qtbot):
    panel = make_panel()
    panel.open_run(run)
    settle(qtbot, panel)
    assert panel.context.subject is not None, panel.source.error.label.text()
    panel.tabs.setCurrentWidget(panel.few_shot)
    settle(qtbot, panel)
    return panel, panel.few_shot


def press_run(pane, panel, qtbot) -> None:
    qtbot.mouseClick(pane.run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)


def table(pane) -> list[list[str]]:
    return [[pane.table.item(r, c).text() for c in range(pane.table.columnCount())]
            for r in range(pane.table.rowCount())]


def test_the_few_shot_tab_shows_the_commands_figures_above_chance(make_panel, siamese_run, qtbot, capsys):
    from studio.cli import main

    panel, pane = few_shot_tab(make_panel, siamese_run, qtbot)
    assert pane.run_button.isEnabled() and not pane.error.isVisible()
    stages = []
    pane.worker.progress.connect(lambda values: stages.append(values[0]))
    pane.seed.setValue(3)
    press_run(pane, panel, qtbot)

    assert not pane.error.isVisible(), pane.error.label.text()
    assert stages == [0, 1, 2, 3] and not pane.bar.isVisible() and pane.run_button.isEnabled()
    rows = table(pane)
    assert [r[0] for r in rows] == ["5-way 1-shot", "5-way 5-shot"]
    assert [r[2] for r in rows] == ["20.0 %", "20.0 %"] and [r[3] for r in rows] == ["200", "200"]
    shown = pane.outcome.report.settings
    for setting, row in zip(shown, rows, strict=True):
        assert row[1] == f"{100 * setting.accuracy:.1f} % ± {100 * setting.ci95:.1f}"
        assert setting.accuracy > setting.chance + 0.3  # far above chance: the embedding learned the digits
    assert "digits validation split: 359 samples, 10 classes" in pane.facts.text()
    assert "seen in training" in pane.facts.text()
    if os.environ.get("STUDIO_SCREENSHOTS"):
        panel.grab().save(str(Path(os.environ["STUDIO_SCREENSHOTS"]) / "explain_few_shot.png"))

    capsys.readouterr()
    assert main(["few-shot", str(siamese_run), "--way", "5", "--shot", "1", "5", "--seed", "3", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert [(s["way"], s["shot"], s["accuracy"], s["ci95"]) for s in cli["settings"]] == \
        [(s.way, s.shot, round(s.accuracy, 6), round(s.ci95, 6)) for s in shown]


def test_wrong_inputs_say_why_and_the_tab_keeps_working(make_panel, siamese_run, shapes_run, qtbot, tmp_path):
    panel, pane = few_shot_tab(make_panel, siamese_run, qtbot)
    three = digit_folder(tmp_path / "three-glyphs", range(3))
    pane.choose_folder(three)
    press_run(pane, panel, qtbot)
    message = pane.error.label.text()
    assert pane.error.isVisible() and str(three) in message and "has 3 classes" in message, message
    assert "fewer than N = 5" in message and pane.table.rowCount() == 0 and not pane.table.isVisible()

    pane.way.setText("3")  # the fix the message names: lower N-way
    press_run(pane, panel, qtbot)
    assert not pane.error.isVisible(), pane.error.label.text()
    assert [r[0] for r in table(pane)] == ["3-way 1-shot", "3-way 5-shot"]
    assert [r[2] for r in table(pane)] == ["33.3 %", "33.3 %"]
    assert pane.outcome.report.held_out and "never saw in training: glyph0, glyph1, glyph2" in pane.facts.text()

    pane.way.setText("1")
    press_run(pane, panel, qtbot)
    assert "N-way takes whole numbers of 2 or more" in pane.error.label.text()
    pane.way.setText("5")
    pane.choose_folder(tmp_path / "no-such-folder")
    press_run(pane, panel, qtbot)
    assert "no-such-folder is not a folder" in pane.error.label.text()

    panel.open_run(shapes_run)  # a classifier: no embedding output to compare
    settle(qtbot, panel)
    message = pane.error.label.text()
    assert pane.error.isVisible() and "has no embedding output (its outputs: classification)" in message, message
    assert not pane.run_button.isEnabled() and pane.table.rowCount() == 0

    panel.open_run(siamese_run)  # the window survived all of it: the embedding run evaluates again
    settle(qtbot, panel)
    pane.choose_folder(None)
    assert pane.run_button.isEnabled() and not pane.error.isVisible()
    press_run(pane, panel, qtbot)
    assert [r[0] for r in table(pane)] == ["5-way 1-shot", "5-way 5-shot"] and panel.isVisible()
