"""Choosing what to explain: run folders good and bad, a training's latest checkpoint, torchvision models."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
import torch
from explain_ui_support import settle

from studio.core.errors import UserError
from studio.ui.explain.subject import load_torchvision_subject


def test_a_missing_run_folder_shows_the_core_message(make_panel, qtbot, tmp_path):
    panel = make_panel()
    assert not panel.add_run(tmp_path / "no-such-run")
    settle(qtbot, panel)
    assert panel.source.error.isVisible()
    assert "does not exist" in panel.source.error.label.text()
    assert panel.context.subject is None


def test_a_folder_that_is_not_a_run_shows_the_core_message(make_panel, qtbot, tmp_path):
    folder = tmp_path / "holiday photos"
    folder.mkdir()
    (folder / "beach.txt").write_text("sand")
    panel = make_panel()
    panel.open_file(folder)
    settle(qtbot, panel)
    assert "is not a run folder (no project.json)" in panel.source.error.label.text()


def test_a_corrupt_checkpoint_shows_the_core_message(make_panel, shapes_run, qtbot, tmp_path):
    broken = tmp_path / "broken-run"
    shutil.copytree(shapes_run, broken)
    (broken / "best.pt").write_bytes(b"not a checkpoint")
    panel = make_panel()
    panel.open_run(broken)
    settle(qtbot, panel)
    assert "best.pt is corrupt" in panel.source.error.label.text()


def test_runs_of_the_project_are_listed_and_load(make_panel, shapes_run, qtbot, monkeypatch):
    monkeypatch.chdir(shapes_run.parent.parent)  # the folder holding runs/
    panel = make_panel()
    settle(qtbot, panel)
    assert panel.source.runs.path() == shapes_run.resolve()
    assert panel.context.subject is not None and panel.context.subject.run_dir == shapes_run.resolve()
    assert "3 classes" in panel.source.facts.text() and "input 1×24×24" in panel.source.facts.text()
    assert panel.cam.view is not None


def test_a_hidden_panel_loads_its_run_only_when_shown(shapes_run, qtbot, monkeypatch):
    """The app builds every panel at start; Explain must not load models until someone looks at it."""
    from explain_ui_support import tiny_shapes_project

    from studio.ui.panels.explain import ExplainPanel
    from studio.ui.state import AppState

    monkeypatch.chdir(shapes_run.parent.parent)
    panel = ExplainPanel(AppState(tiny_shapes_project()))
    qtbot.addWidget(panel)
    qtbot.wait(100)
    assert panel.source.runs.path() == shapes_run.resolve()
    assert panel.context.subject is None and not panel.source.worker.busy
    panel.show()
    qtbot.waitUntil(lambda: panel.context.subject is not None, timeout=30000)
    settle(qtbot, panel)
    assert panel.cam.view is not None


def test_follow_training_picks_up_a_newer_checkpoint(make_panel, shapes_run, qtbot, tmp_path):
    """A training that is still running rewrites checkpoint.pt each epoch; the panel reloads it, input kept."""
    from explain_ui_support import tiny_shapes_project

    from studio.core.train.trainer import run_training

    run = tmp_path / "running"
    shutil.copytree(shapes_run, run)
    summary = json.loads((run / "run.json").read_text())
    summary["status"] = "running"
    (run / "run.json").write_text(json.dumps(summary))
    panel = make_panel()
    panel.open_run(run, "last")
    settle(qtbot, panel)
    assert "training now" in panel.source.facts.text()
    panel.inputs.show_sample(4)
    settle(qtbot, panel)
    old_scores = panel.cam.view.result.target_scores
    panel.source.follow.setChecked(True)
    assert not panel.source.check_for_newer()  # nothing new yet

    # The training goes on: resume it for a few more steps, which rewrites checkpoint.pt.
    before = (run / "checkpoint.pt").stat().st_mtime
    event = run_training(tiny_shapes_project(), run, {"epochs": 6}, resume=True)
    assert event["event"] == "done", event
    if (run / "checkpoint.pt").stat().st_mtime <= before:  # coarse file-system clocks
        os.utime(run / "checkpoint.pt", (time.time() + 2, time.time() + 2))
    assert panel.source.check_for_newer()
    settle(qtbot, panel)
    assert panel.context.sample_index == 4  # the input stayed
    assert panel.context.subject.samples is not None
    state = torch.load(run / "checkpoint.pt", weights_only=True)["model"]
    assert torch.equal(panel.context.subject.model.state_dict()["conv1.weight"], state["conv1.weight"])
    assert panel.cam.view.result.target_scores != old_scores


def test_torchvision_model_with_random_weights_explains_a_dropped_image(make_panel, qtbot, tmp_path):
    from studio.core.explain import write_png

    panel = make_panel()
    panel.source.kind.set_value("torchvision")
    panel.source.tv_model.setCurrentIndex(panel.source.tv_model.findData("resnet18"))
    panel.source.tv_weights.set_value("random")
    panel.source.tv_load.click()
    settle(qtbot, panel)
    subject = panel.context.subject
    assert subject is not None, panel.source.error.label.text()
    assert subject.num_classes == 1000 and subject.class_names[1] == "goldfish"
    assert subject.default_layer == "layer4"
    assert "RANDOM weights" in panel.source.facts.text()
    assert not panel.cam.mode.buttons["batch"].isEnabled()  # no data set to make a batch from
    rng = torch.Generator().manual_seed(0)
    image = (torch.rand(64, 80, 3, generator=rng) * 255).byte().numpy()
    path = write_png(tmp_path / "photo.png", image)
    assert panel.open_file(path)
    settle(qtbot, panel)
    view = panel.cam.view
    assert view is not None and view.result.layer == "layer4"
    assert tuple(view.result.heatmap.shape) == (1, 224, 224)


def test_pretrained_weights_offline_say_so():
    from torchvision import models

    weights = models.get_model_weights("resnet18").DEFAULT
    cached = os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(weights.url))
    if os.path.exists(cached):
        pytest.skip("the pretrained weights are cached on this machine")
    with pytest.raises(UserError) as err:
        load_torchvision_subject("resnet18", pretrained=True, download=False)
    assert "not on this machine" in str(err.value) and "random weights" in err.value.one_line()
