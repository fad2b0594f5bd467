"""A run folder opened in the window shows its recorded curves in the Train panel: the epochs it
trained, its paradigm's tab (a GAN's sample grid), how it ended and the verdict, instead of empty
plots; a run killed before its end says so; a stopped (or killed) run can be resumed from there."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from studio.core.project import load_project
from studio.core.resources import TEMPLATES


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp("recorded") / "runs" / "gan"
    final = run_training(load_project(TEMPLATES / "gan_mlp_digits.studio.json"), run, {"epochs": 2, "device": "cpu"})
    assert final["event"] == "done", final
    return run


def _opened(launch, qtbot, run):
    window = launch(str(run))
    panel = window.panels["train"]
    qtbot.waitUntil(lambda: panel.status_label.text() == f"Recorded run {run.name}", timeout=20_000)
    return window, panel


def test_an_opened_run_shows_its_recorded_curves_and_gan_grid(launch, qtbot, gan_run):
    window, panel = _opened(launch, qtbot, gan_run)
    curves = panel.curves.series.curves()
    assert [e["epoch"] for e in curves.epochs] == [1, 2]
    assert len(curves.loss) > 0 and curves.step[-1] == json.loads(
        (gan_run / "metrics.jsonl").read_text().splitlines()[-1])["global_step"]
    assert panel.curves.tabs.isTabVisible(panel.curves.gan_tab)
    grid = panel.curves.gan_view.grid_image
    assert grid is not None and not grid.isNull()
    assert "finished after 2 epochs" in panel.progress_label.text()
    assert panel.progress.value() == 1000
    assert not panel.config_toggle.isChecked(), "the configuration folds away so the curves show"
    assert window.state.project.name == load_project(gan_run / "project.json").name


def test_a_run_killed_before_its_end_says_so(launch, qtbot, gan_run, tmp_path):
    killed = tmp_path / "killed"
    shutil.copytree(gan_run, killed)
    lines = (killed / "metrics.jsonl").read_text().splitlines()
    (killed / "metrics.jsonl").write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:20])  # no done, a torn line
    _window, panel = _opened(launch, qtbot, killed)
    assert [e["epoch"] for e in panel.curves.series.curves().epochs] == [1, 2]
    assert "2 epochs recorded, no end" in panel.progress_label.text()
    assert panel.resume_button.isEnabled(), "its checkpoint is whole: it can go on"


def test_a_stopped_run_opened_from_disk_resumes_on_the_same_curve(launch, qtbot, tmp_path):
    """Stopped after epoch 1 of 3 (in another session, say), opened in the window: Resume run goes on
    from its checkpoint and the curve continues to epoch 3, in the same folder."""
    from studio.core.train.control import Control
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    run = tmp_path / "runs" / "stopped"
    control = Control()

    def stop_after_first_epoch(event):
        if event.get("event") == "epoch":
            control.stop()

    project = load_project(TEMPLATES / "mlp.studio.json")
    final = run_training(project, run, {"epochs": 3, "device": "cpu"}, emit=stop_after_first_epoch, control=control)
    assert final["event"] == "done" and final["stopped"], final
    window, panel = _opened(launch, qtbot, run)
    assert [e["epoch"] for e in panel.curves.series.curves().epochs] == [1]
    assert panel.resume_button.isEnabled(), "a stopped run opened from disk can go on"
    panel.resume_button.click()
    qtbot.waitUntil(lambda: panel.controller.state == "finished", timeout=60_000)
    assert [e["epoch"] for e in panel.curves.series.curves().epochs] == [1, 2, 3]
    lines = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [e["epoch"] for e in lines if e.get("event") == "epoch"] == [1, 2, 3]
    assert not panel.resume_button.isEnabled()


def test_a_finished_run_opened_from_disk_offers_no_resume(launch, qtbot, gan_run):
    _window, panel = _opened(launch, qtbot, gan_run)
    assert not panel.resume_button.isEnabled() and panel.start_button.isEnabled()
