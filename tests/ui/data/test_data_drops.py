"""A folder of class folders or a .csv table dropped on the window becomes the data set: the Data panel
comes to the front, tries it, and writes it to the project (undoably) when it loads; a folder that
does not load says why there and the project is kept."""

from __future__ import annotations

import copy

from data_form_support import pictures, table
from ui_env import drop_file

from studio.ui import drops


def test_class_folders_and_csv_files_are_kinds_of_drop(tmp_path):
    pets = pictures(tmp_path / "pets", ("cats", "dogs"))
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes").mkdir()
    (tmp_path / "plain" / "notes" / "a.txt").write_text("hi")
    assert drops.classify_drop(pets) == drops.IMAGE_FOLDER
    assert drops.classify_drop(pets / "cats") is None, "a folder of images, not of class folders"
    assert drops.classify_drop(tmp_path / "plain") is None
    assert drops.classify_drop(table(tmp_path / "t.CSV")) == drops.CSV


def test_a_dropped_folder_and_csv_become_the_data_set(launch, qtbot, tmp_path, monkeypatch):
    pets = pictures(tmp_path / "pets", ("cats", "dogs"))
    csv_path = table(tmp_path / "boxes.csv")
    window = launch()
    state, panel = window.state, window.panels["data"]
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    before = copy.deepcopy(state.project.data)
    shown = []
    show_panel = window.show_panel
    monkeypatch.setattr(window, "show_panel", lambda key: shown.append(key) or show_panel(key))
    assert all(drop_file(window, pets))
    qtbot.waitUntil(lambda: shown == ["data"], timeout=5000)  # the Data panel comes to the front
    qtbot.waitUntil(lambda: state.project.data.get("dataset") == "folder" and not panel.busy, timeout=60_000)
    assert state.project.data["options"]["root"] == str(pets)
    assert panel.dataset_box.currentText() == "folder"
    assert panel.options_form.fields["root"].text() == str(pets)
    qtbot.waitUntil(lambda: panel.snapshot is not None and panel.snapshot.facts.class_names == ["cats", "dogs"],
                    timeout=60_000)

    assert all(drop_file(window, csv_path))
    qtbot.waitUntil(lambda: state.project.data.get("dataset") == "csv" and not panel.busy, timeout=60_000)
    assert state.project.data["options"] == {"path": str(csv_path)}
    state.undo_stack.undo()
    state.undo_stack.undo()
    assert state.project.data == before


def test_a_dropped_folder_with_one_class_says_why_and_keeps_the_project(launch, qtbot, tmp_path):
    one = pictures(tmp_path / "one", ("cats",))
    window = launch()
    state, panel = window.state, window.panels["data"]
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    before = copy.deepcopy(state.project.data)
    assert all(drop_file(window, one))
    qtbot.waitUntil(lambda: panel.error.key() == "load_failed" and not panel.busy, timeout=60_000)
    assert str(one) in panel.error.text() and "1 class sub-folder" in panel.error.text()
    assert state.project.data == before
