"""The project file: round trips, atomic saves, and clear refusals that never overwrite."""

from __future__ import annotations

import json
import os

import pytest

from studio.core import project as projmod
from studio.core.project import FORMAT_VERSION, Project, ProjectError, load_project, save_project
from studio.core.resources import default_example_path


def test_default_example_loads_and_round_trips(tmp_path):
    example = load_project(default_example_path())
    assert example.name == "MNIST CNN"
    assert example.graph.node("fc1").params["out_features"] == 128
    assert example.data["dataset"] == "digits"
    out = save_project(example, tmp_path / "copy.studio.json")
    again = load_project(out)
    assert again.to_dict() == example.to_dict()


def test_unknown_keys_survive_a_round_trip(tmp_path):
    data = Project(name="x").to_dict()
    data["notes_from_a_plugin"] = {"keep": [1, 2, 3]}
    path = tmp_path / "p.studio.json"
    path.write_text(json.dumps(data))
    save_project(load_project(path), path)
    assert json.loads(path.read_text())["notes_from_a_plugin"] == {"keep": [1, 2, 3]}


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a Studio project"),
        ('{"name": "no version"}', "format_version"),
        (json.dumps({"format_version": FORMAT_VERSION + 1, "graph": {}}), "newer Studio"),
        (json.dumps({"format_version": 1, "graph": {"nodes": [{"block": "Linear"}]}}), "graph section"),
    ],
)
def test_bad_files_give_a_clear_error_and_stay_untouched(tmp_path, content, words):
    path = tmp_path / "bad.studio.json"
    path.write_text(content)
    before = path.read_bytes()
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)
    assert path.read_bytes() == before


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        load_project(tmp_path / "nope.studio.json")


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "p.studio.json"
    save_project(Project(name="old"), path)
    before = path.read_text()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(projmod.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_project(Project(name="new"), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.studio.json"], "temporary file left behind"


def test_save_replaces_atomically_via_rename(tmp_path, monkeypatch):
    path = tmp_path / "p.studio.json"
    save_project(Project(name="old"), path)
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((os.path.dirname(src) == str(tmp_path), json.loads(open(src).read())["name"]))
        return real_replace(src, dst)

    monkeypatch.setattr(projmod.os, "replace", spy)
    save_project(Project(name="new"), path)
    assert seen == [(True, "new")]
    assert load_project(path).name == "new"
