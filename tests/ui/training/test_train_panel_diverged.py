"""The Train panel says when a finished run diverged (a loss that ended far above where it began)."""

from __future__ import annotations


def test_a_finished_but_diverged_run_shows_the_warning_and_the_verdict(qtbot, train_panel, state, tmp_path):
    state.project.training.update(lr=1e9, optimizer="adam", epochs=1)
    train_panel.start_training(tmp_path / "run", {"max_steps": 8}, cheap_checks=False)
    qtbot.waitUntil(lambda: train_panel.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    qtbot.waitUntil(lambda: train_panel.verdict_task.settled, timeout=30_000)
    assert train_panel.controller.state == "finished"
    text = train_panel.error_label.text()
    assert train_panel.error_label.isVisible() and "training diverged" in text and "try 1e+07" in text
    assert train_panel.verdict.state() == "diverging"


def test_a_healthy_run_shows_no_divergence_warning(qtbot, train_panel, state, tmp_path):
    state.project.training.update(lr=3e-3, optimizer="adam", epochs=1)
    train_panel.start_training(tmp_path / "run", {"max_steps": 20}, cheap_checks=False)
    qtbot.waitUntil(lambda: train_panel.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    assert train_panel.controller.state == "finished"
    assert not train_panel.error_label.isVisible()
