"""The Train panel's recipe view on the two generative paradigms: a denoiser's checks run (no refusal)
and the ones that do not apply say so on a grey N/A row; a language model that learned no more than
its text's character counts gets the orange "No better than counting characters" banner."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from recipe_ui import chip, chip_colour, close, run_checks_by_click

from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.ui.state import AppState
from studio.ui.training.recipe_view import DIAGNOSIS_COLORS, STATUS_COLORS


def _template(name: str, **training):
    project = load_project(TEMPLATES / f"{name}.studio.json")
    project.training.update({"device": "cpu", **training})
    return project


def _text(row) -> str:
    return html.unescape(row.label.text())  # rich text


@pytest.fixture
def state(qtbot, request):
    return AppState(request.param)


@pytest.mark.parametrize("state", [_template("ddpm_digits")], indirect=True)
def test_a_denoisers_checks_run_and_those_that_do_not_apply_say_so(qtbot, train_panel, state):
    run_checks_by_click(qtbot, train_panel, timeout=120_000)
    rows = train_panel.recipe.rows
    assert chip(rows["init_loss"]).text() == "PASS" and "the noise's variance" in _text(rows["init_loss"])
    assert chip(rows["lr_range"]).text() == "PASS"
    dynamics = rows["prediction_dynamics"]
    assert chip(dynamics).text() == "N/A" and close(chip_colour(dynamics), STATUS_COLORS["n/a"])
    assert "Does not apply to a denoiser" in _text(dynamics) and "expected:" not in _text(dynamics)
    assert train_panel.recipe.filter_image.pixmap() is not None and not train_panel.recipe.filter_image.pixmap().isNull()


def _lm_that_barely_learns():
    project = _template("transformer_lm", lr=1e-4, epochs=3)
    project.data["options"]["stride"] = 128  # 3 steps an epoch
    project.graph.node("head").params["sample_tokens"] = 0
    return project


@pytest.mark.parametrize("state", [_lm_that_barely_learns()], indirect=True)
def test_an_lm_no_better_than_counting_characters_gets_its_banner(qtbot, train_panel, state):
    qtbot.mouseClick(train_panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train_panel.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    assert train_panel.controller.state == "finished"
    qtbot.waitUntil(lambda: train_panel.verdict.state() == "no_better_than_unigram", timeout=15_000)
    banner = train_panel.verdict
    assert "No better than counting characters" in banner.headline.text()
    assert "19.5" in banner.detail.text() and "perplexity" in banner.detail.text()
    assert DIAGNOSIS_COLORS["no_better_than_unigram"] == STATUS_COLORS["warn"]
    qtbot.waitUntil(train_panel.checks_button.isEnabled, timeout=60_000)  # the cheap checks, run at Start
    assert chip(train_panel.recipe.rows["final_bias"]).text() == "N/A"
