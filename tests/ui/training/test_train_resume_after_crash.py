"""After the training worker is killed, the Train panel offers what its message says: Resume run."""

from __future__ import annotations

import os
import signal

import numpy as np
from PySide6.QtCore import Qt

from studio.core.train.run_folder import checkpoint_loadable, read_metrics, run_status


def test_resume_is_enabled_after_the_worker_is_killed_and_continues_the_run(qtbot, train_panel, state, tmp_path):
    state.project.training.update(epochs=400, layer_stats_every=0)
    run = train_panel.start_training(tmp_path / "run", cheap_checks=False)
    qtbot.waitUntil(lambda: checkpoint_loadable(run), timeout=120_000)  # written right after the first epoch
    os.kill(train_panel.controller.job.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: train_panel.controller.state == "error", timeout=60_000)

    assert "exited unexpectedly" in train_panel.error_label.text() and "resume" in train_panel.error_label.text()
    assert run_status(run).status == "interrupted"
    assert train_panel.resume_button.isEnabled(), "the message says resume, so the button must allow it"

    whole = (run / "checkpoint.pt").read_bytes()
    (run / "checkpoint.pt").write_bytes(whole[: len(whole) // 2])  # a checkpoint cut short cannot resume
    train_panel._sync_buttons()
    assert not train_panel.resume_button.isEnabled()
    (run / "checkpoint.pt").write_bytes(whole)
    train_panel._sync_buttons()
    assert train_panel.resume_button.isEnabled()

    steps_before = len(train_panel.curves.series.step.values)
    qtbot.mouseClick(train_panel.resume_button, Qt.MouseButton.LeftButton)
    assert not train_panel.error_label.isVisible()
    qtbot.waitUntil(lambda: len(train_panel.curves.series.step.values) > steps_before + 2, timeout=120_000)
    assert run_status(run).status == "running"
    qtbot.mouseClick(train_panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train_panel.controller.state in ("stopped", "finished", "error"), timeout=120_000)
    assert train_panel.controller.state == "stopped" and run_status(run).status == "stopped"
    starts = [e for e in read_metrics(run) if e["event"] == "start"]
    assert len(starts) == 2 and starts[1]["resumed_from_step"] > 0
    assert np.all(np.diff(train_panel.curves.series.step.values) > 0), "one curve, continued"


def test_a_run_resumed_from_an_older_checkpoint_rewinds_the_curves_to_it():
    from studio.ui.training.series import RunSeries

    def step(first, n, epoch):
        return {"event": "step", "first_step": first, "step": first + n - 1, "epoch": epoch, "losses": [1.0] * n,
                "grad_norms": [1.0] * n, "lrs": [0.1] * n}

    series = RunSeries()
    series.add_events([{"event": "start"}, step(1, 10, 1), {"event": "epoch", "epoch": 1, "step": 10},
                       step(11, 10, 2), {"event": "epoch", "epoch": 2, "step": 20}, step(21, 7, 3),
                       {"event": "layers", "step": 25, "layers": []}])
    # the worker died at step 27; its checkpoint is from the end of epoch 2 (step 20)
    series.add_events([{"event": "start", "resumed_from_step": 20}, step(21, 5, 3)])
    assert list(series.step.values) == list(range(1, 26))
    assert list(series.epoch.values) == [1.0, 2.0] and len(series.epoch_events) == 2
