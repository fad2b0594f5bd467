"""The Train panel over a real worker process: Start, progress, curves, verdict, Pause/Stop/Resume,
errors, recipe checks. Each training is tiny (digits, a small MLP, a few epochs)."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt
from ui_builders import make_project

from studio.core.train.run_folder import read_metrics


def wait_done(qtbot, panel, timeout=120_000):
    qtbot.waitUntil(lambda: panel.controller.state in ("finished", "stopped", "error"), timeout=timeout)
    qtbot.waitUntil(lambda: panel.verdict_task.settled, timeout=30_000)  # its verdict shown, not just computed


def test_start_trains_for_real_and_fills_curves_progress_and_verdict(qtbot, train_panel, state, tmp_path):
    state.mark_saved(tmp_path / "proj.studio.json")
    qtbot.mouseClick(train_panel.start_button, Qt.MouseButton.LeftButton)
    assert not train_panel.start_button.isEnabled() and not train_panel.form.isEnabled()
    qtbot.waitUntil(lambda: train_panel.curves.series.step.n > 0, timeout=120_000)
    wait_done(qtbot, train_panel)
    assert train_panel.controller.state == "finished"
    run_dir = train_panel.controller.run_dir
    assert run_dir.parent == tmp_path / "runs" and (run_dir / "best.pt").is_file()
    epochs = [e for e in read_metrics(run_dir) if e["event"] == "epoch"]
    assert len(epochs) == 3
    n_layers = sum(e["event"] == "layers" for e in read_metrics(run_dir))
    curves = train_panel.curves
    curves.dist_layer.setCurrentText("fc1.weight")
    assert n_layers > 0 and curves.dist_image.image.shape[0] == n_layers  # a histogram column per layers event
    s = train_panel.curves.series
    assert s.epoch.n == 3 and list(s.epoch_values["val_loss"].values) == [e["val_loss"] for e in epochs]
    assert train_panel.progress.value() == 1000
    assert "samples/s" in train_panel.progress_label.text()
    assert train_panel.verdict.state() in ("still_improving", "healthy")
    assert train_panel.curves._marker is not None  # the epoch where the verdict's evidence begins
    assert train_panel.start_button.isEnabled() and train_panel.form.isEnabled()
    # The cheap recipe checks ran next to the training, off the GUI thread.
    qtbot.waitUntil(lambda: train_panel.runner.settled, timeout=60_000)
    assert set(train_panel.recipe.statuses()) == {"fixed_seed", "init_loss", "final_bias", "batch_independence"}
    assert set(train_panel.recipe.statuses().values()) <= {"pass", "warn"}
    # The finished run is offered for comparison next time.
    train_panel._list_earlier_runs()
    assert train_panel.curves.compare.count() == 1  # the current run itself is not listed


def test_pause_stop_and_resume_run_continue_the_same_curve(qtbot, train_panel, state, tmp_path):
    state.project.training.update(epochs=400, layer_stats_every=0)
    run = train_panel.start_training(tmp_path / "run", cheap_checks=False)
    qtbot.waitUntil(lambda: train_panel.controller.state == "running" and train_panel.curves.series.step.n > 0,
                    timeout=120_000)
    qtbot.mouseClick(train_panel.pause_button, Qt.MouseButton.LeftButton)
    assert train_panel.pause_button.text() == "Continue"
    qtbot.waitUntil(lambda: any(e["event"] == "paused" for e in read_metrics(run)), timeout=60_000)
    qtbot.wait(400)
    n_paused = train_panel.curves.series.step.n
    qtbot.wait(600)
    assert train_panel.curves.series.step.n == n_paused  # nothing trains while paused
    qtbot.mouseClick(train_panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train_panel.curves.series.step.n > n_paused, timeout=60_000)
    qtbot.mouseClick(train_panel.stop_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, train_panel)
    assert train_panel.controller.state == "stopped" and (run / "checkpoint.pt").is_file()
    assert train_panel.resume_button.isEnabled()
    stopped_at = train_panel.curves.series.step.values[-1]
    state.project.training["epochs"] = 1  # edits after the stop do not change the resumed run
    qtbot.mouseClick(train_panel.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train_panel.curves.series.step.values[-1] > stopped_at, timeout=120_000)
    qtbot.mouseClick(train_panel.stop_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, train_panel)
    starts = [e for e in read_metrics(run) if e["event"] == "start"]
    assert len(starts) == 2 and starts[1]["resumed_from_step"] == int(stopped_at)
    steps = train_panel.curves.series.step.values
    assert np.all(np.diff(steps) > 0)  # one curve, continued, not restarted


def test_a_diverging_run_shows_its_error_and_the_diverging_verdict(qtbot, train_panel, state, tmp_path):
    state.project.training.update(lr=1e4, optimizer="sgd", momentum=0.9, epochs=2)
    train_panel.start_training(tmp_path / "run", cheap_checks=False)
    wait_done(qtbot, train_panel)
    assert train_panel.controller.state == "error"
    assert train_panel.error_label.isVisible() and "NaN" in train_panel.error_label.text()
    assert train_panel.verdict.state() == "diverging"
    assert "lower the learning rate" in train_panel.verdict.advice.text()
    assert train_panel.start_button.isEnabled()


def test_run_all_recipe_checks_and_take_the_suggested_lr(qtbot, train_panel, state):
    qtbot.mouseClick(train_panel.checks_button, Qt.MouseButton.LeftButton)
    assert not train_panel.checks_button.isEnabled()
    qtbot.waitUntil(lambda: not train_panel.runner.busy and "prediction_dynamics" in train_panel.recipe.rows,
                    timeout=180_000)
    statuses = train_panel.recipe.statuses()
    assert {"overfit_batch", "input_independent", "lr_range", "prediction_dynamics"} <= set(statuses)
    assert statuses["overfit_batch"] == "pass" and statuses["input_independent"] == "pass"
    assert len(train_panel.recipe.lr_smooth.xData) > 20 and train_panel.recipe.suggested_line.isVisible()
    assert train_panel.recipe.dyn_image.image.shape[1] == 16  # one column per example of the fixed batch
    suggested = float(f"{train_panel.recipe.suggested_lr:.2g}")
    qtbot.mouseClick(train_panel.recipe.use_lr_button, Qt.MouseButton.LeftButton)
    assert state.project.training["lr"] == suggested
    state.undo_stack.undo()
    assert state.project.training["lr"] == 3e-3


def test_export_buttons_write_png_and_csv(qtbot, train_panel, tmp_path, monkeypatch):
    from studio.core.train.trainer import run_training

    run_training(make_project(epochs=1), tmp_path / "run")
    train_panel.curves.add_events(read_metrics(tmp_path / "run"))
    train_panel.curves.refresh()
    answers = {"png": str(tmp_path / "out.png"), "csv": str(tmp_path / "csv")}
    monkeypatch.setattr(train_panel, "choose_export_path", lambda kind, suggested: answers[kind])
    qtbot.mouseClick(train_panel.curves.export_png, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(train_panel.curves.export_csv, Qt.MouseButton.LeftButton)
    assert (tmp_path / "out.png").stat().st_size > 5000
    assert (tmp_path / "csv" / "curves_steps.csv").is_file()


def test_facts_for_the_shell_follow_the_project(train_panel, state):
    facts = train_panel.fact_texts()
    assert facts["Batch size"] == "64" and facts["Optimizer"] == "Adam"
    state.replace(make_project(batch_size=8), None)
    assert train_panel.fact_texts()["Batch size"] == "8"
    assert json.dumps(facts)


