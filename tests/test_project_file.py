"""The project file: round trips, atomic saves, and clear refusals that never overwrite."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

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
        (json.dumps({"format_version": 1, "graph": {"nodes": [{"block": "Linear"}]}}), "graph.nodes[0] has no 'id'"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
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


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mode", [pytest.param(0o644, id="0644"), pytest.param(0o640, id="0640")])
def test_saving_over_a_file_keeps_its_permissions(tmp_path, mode):
    """A temporary file from mkstemp is 0600: renamed over the project it used to hide it from the group."""
    path = tmp_path / "shared.studio.json"
    save_project(Project(name="first"), path)
    os.chmod(path, mode)
    save_project(Project(name="second"), path)
    assert load_project(path).name == "second"
    assert _mode(path) == mode


def test_a_new_file_gets_the_usual_mode_of_new_files(tmp_path):
    old = os.umask(0o022)
    try:
        save_project(Project(name="new"), tmp_path / "new.studio.json")
        os.umask(0o027)
        save_project(Project(name="private"), tmp_path / "group.studio.json")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new.studio.json") == 0o644
    assert _mode(tmp_path / "group.studio.json") == 0o640


@pytest.mark.parametrize("mode", [pytest.param(0o644, id="0644"), pytest.param(0o640, id="0640")])
def test_a_checkpoint_saved_again_keeps_its_permissions(tmp_path, mode):
    from studio.core.train.run_folder import RunFolder

    folder = RunFolder(tmp_path / "run")
    target = folder.save_checkpoint("last", {"step": 1})
    os.chmod(target, mode)
    assert folder.save_checkpoint("last", {"step": 2}) == target
    assert _mode(target) == mode
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a FIFO for reading blocks until someone writes: `studio check FIFO` used to hang."""
    fifo = tmp_path / "pipe.studio.json"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "studio", "check", str(fifo)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "not a regular file" in done.stderr and "named pipe" in done.stderr and str(fifo) in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_reading(tmp_path):
    """/dev/zero never ends: reading it as a project would fill the memory."""
    with pytest.raises(ProjectError, match="not a regular file .*character device"):
        load_project("/dev/zero")
