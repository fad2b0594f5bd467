"""A hand-edited project of the wrong shape, opened from the command line or File → Open.

Such files used to raise AttributeError/TypeError/RecursionError out of the loader, and the app
exited before a window appeared. Now the user sees the one-line reason and keeps a window.
"""

from __future__ import annotations

import copy
import json
import subprocess

import pytest
from ui_env import PYTHON, REPO, studio_env

from studio.core.project import load_project
from studio.core.resources import default_example_path

EXAMPLE = json.loads(default_example_path().read_text(encoding="utf-8"))


def _nodes_text(d):
    d["graph"]["nodes"] = "x"


def _training_list(d):
    d["training"] = [1, 2]


def _lr_nan(d):
    d["training"]["lr"] = float("nan")


def _pos_short(d):
    d["graph"]["nodes"][1]["pos"] = [1]


# Two kinds each way (windows are slow to build); tests/test_project_schema.py covers every shape.
AT_LAUNCH = [
    pytest.param(_nodes_text, "graph.nodes must be a list (got a string)", id="nodes-text"),
    pytest.param(_lr_nan, "training.lr nan is not finite", id="lr-nan"),
]
FROM_MENU = [
    pytest.param(_training_list, "training must be an object", id="training-list"),
    pytest.param(_pos_short, "graph.nodes[1].pos (node 'conv1') must be two numbers", id="pos-short"),
]


def _write(tmp_path, edit) -> tuple:
    doc = copy.deepcopy(EXAMPLE)
    edit(doc)
    path = tmp_path / "bad.studio.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, path.read_bytes()


@pytest.mark.parametrize("edit, words", AT_LAUNCH)
def test_a_bad_file_on_the_command_line_opens_the_example_and_says_why(launch, tmp_path, edit, words):
    path, before = _write(tmp_path, edit)
    window = launch(str(path))
    assert window.isVisible()
    assert words in window.open_error.one_line() and str(path) in window.open_error.one_line()
    assert window.state.project.name == load_project(default_example_path()).name
    assert window.state.path is None, "the example opens as an untitled copy"
    assert path.read_bytes() == before


def test_deep_nesting_on_the_command_line_opens_the_example(launch, tmp_path):
    path = tmp_path / "deep.studio.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    window = launch(str(path))
    assert window.isVisible() and "nested too deeply" in window.open_error.one_line()
    assert window.state.project.graph.nodes


@pytest.mark.parametrize("edit, words", FROM_MENU)
def test_file_open_of_a_bad_file_keeps_the_current_project(launch, prompter, example_copy, tmp_path, edit, words):
    window = launch(str(example_copy))
    window.state.edit_field("name", "Mine")
    path, before = _write(tmp_path, edit)
    prompter.open_answers.append(path)
    window.action_open.trigger()
    assert prompter.errors and words in prompter.errors[-1]
    assert words in window.statusBar().currentMessage()
    assert window.state.project.name == "Mine" and window.state.path == example_copy.resolve()
    assert path.read_bytes() == before


def test_studio_gui_with_a_bad_file_shows_the_window_and_the_message(config_dir, tmp_path):
    """The real launch path (`studio gui BAD.json`), in a process: no traceback, a window, a dialog."""
    path, before = _write(tmp_path, _nodes_text)
    report = tmp_path / "report.json"
    done = subprocess.run([PYTHON, "-m", "studio", "gui", str(path), "--test-report", str(report)], cwd=REPO,
                          env=studio_env(config_dir), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"studio gui: error: {path}: graph.nodes must be a list (got a string)" in done.stderr
    seen = json.loads(report.read_text())
    assert len(seen["errors"]) == 1 and "graph.nodes must be a list" in seen["errors"][0]
    assert seen["project_name"] == EXAMPLE["name"] and seen["path"] is None
    assert path.read_bytes() == before
