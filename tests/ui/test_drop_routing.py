"""Files dropped on the main window reach the panel that handles them (issue 5's desktop drops)."""

from __future__ import annotations

import json

import pytest
from ui_env import drop_file

from studio.core.project import load_project
from studio.core.resources import default_example_path
from studio.ui import drops


def _drop(window, path) -> bool:
    return all(drop_file(window, path))


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A real run folder: the MLP template trained for a few steps on digits by Studio's trainer."""
    from studio.core.train.trainer import run_training

    project = load_project(default_example_path().with_name("mlp.studio.json"))
    project.name = "Dropped MLP"
    run_dir = tmp_path_factory.mktemp("drops") / "runs" / "mlp"
    event = run_training(project, run_dir, {"max_steps": 8})
    assert event["event"] == "done", event
    return run_dir


def test_classify_drop_names_each_kind(tmp_path, tiny_run):
    (tmp_path / "a.studio.json").write_text("{}")
    (tmp_path / "m.onnx").write_bytes(b"")
    (tmp_path / "cat.PNG").write_bytes(b"")
    (tmp_path / "s.wav").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("")
    assert drops.classify_drop(tmp_path / "a.studio.json") == drops.PROJECT
    assert drops.classify_drop(tmp_path / "m.onnx") == drops.ONNX
    assert drops.classify_drop(tmp_path / "cat.PNG") == drops.IMAGE
    assert drops.classify_drop(tmp_path / "s.wav") == drops.WAV
    assert drops.classify_drop(tmp_path / "notes.txt") is None
    assert drops.classify_drop(tmp_path) is None, "a plain folder is not a run"
    assert drops.classify_drop(tiny_run) == drops.RUN
    assert drops.classify_drop(tiny_run / "best.pt") == drops.RUN


def test_dropping_a_checkpoint_opens_its_project_with_the_trained_weights(launch, qtbot, tiny_run):
    window = launch()
    assert _drop(window, tiny_run / "checkpoint.pt")
    qtbot.waitUntil(lambda: window.state.project.name == "Dropped MLP", timeout=5000)
    assert window.state.path is None, "the run's snapshot opens as an untitled copy, never written over"
    assert json.loads((tiny_run / "project.json").read_text())["name"] == "Dropped MLP"
    assert tiny_run.resolve() in window.panels["explain"].extra_runs
    assert tiny_run.resolve() in window.panels["export"].extra_runs
    assert window.panels["explain"].source.checkpoint.value() == "last"


def test_dropping_an_onnx_file_opens_the_export_inference_view(launch, qtbot, tiny_run, tmp_path):
    from studio.core.export.pipeline import ExportOptions, export_run

    out = tmp_path / "mlp.onnx"
    assert export_run(tiny_run, ExportOptions(out=out, latency=False))["passed"]
    window = launch()
    assert _drop(window, out)
    inference = window.panels["export"].inference
    qtbot.waitUntil(lambda: inference.model is not None, timeout=10000)
    assert inference.model.path == out
    assert out.name in inference.file_label.text()
    assert not window.docks["export"].isHidden()


def test_a_run_folder_on_the_command_line_opens_as_if_dropped(launch, qtbot, tiny_run, tmp_path):
    """`studio gui RUN_FOLDER` (and `python main.py RUN_FOLDER`) opens the run's project with its
    weights in Explain and Export, instead of refusing a folder that is not a project file."""
    window = launch(str(tiny_run))
    assert window.open_error is None
    assert window.state.project.name == "Dropped MLP" and window.state.path is None
    assert tiny_run.resolve() in window.panels["export"].extra_runs
    assert json.loads((tiny_run / "project.json").read_text())["name"] == "Dropped MLP", "the run is not written"

    plain = tmp_path / "plain"
    plain.mkdir()
    window = launch(str(plain))
    assert window.open_error is not None and "folder" in window.open_error.one_line()
