"""Project files from the window: save/open through the dialog code paths, recent files, drops,
unreadable files, and the unsaved-changes question."""

from __future__ import annotations

import json

from ui_env import drop_file

from studio.core.project import load_project
from studio.core.resources import default_example_path
from studio.ui.prompts import CANCEL, DISCARD, SAVE


def test_save_as_then_open_round_trips(launch, prompter, tmp_path):
    window = launch()
    window.state.edit_field("name", "Round trip")
    target = tmp_path / "mine"  # the suffix is added, as the real dialog does
    prompter.save_answers.append(target)
    window.action_save.trigger()  # untitled: Save asks where, like Save as
    saved = tmp_path / "mine.studio.json"
    assert saved.exists()
    assert load_project(saved).name == "Round trip"
    assert load_project(saved).graph.to_dict() == load_project(default_example_path()).graph.to_dict()
    assert window.state.path == saved.resolve()
    assert not window.isWindowModified()
    assert "mine.studio.json" in window.windowTitle()

    window.action_new.trigger()
    assert window.state.project.graph.nodes == []
    prompter.open_answers.append(saved)
    window.action_open.trigger()
    assert window.state.project.name == "Round trip"
    assert window.panels["build"].node_table.rowCount() == len(window.state.project.graph.nodes) > 0
    assert window.panels["build"].name_edit.text() == "Round trip"


def test_save_writes_back_to_the_open_file_and_template_is_never_touched(launch, prompter, example_copy):
    template_bytes = default_example_path().read_bytes()
    window = launch(str(example_copy))
    window.state.edit_field("description", "edited")
    window.action_save.trigger()
    assert prompter.asked == [], "a titled project saves in place without asking"
    assert load_project(example_copy).description == "edited"
    window.template_menu.actions()[0].trigger()
    assert window.state.path is None
    window.state.edit_field("name", "From template")
    prompter.save_answers.append(example_copy.parent / "copy.studio.json")
    window.action_save.trigger()
    assert default_example_path().read_bytes() == template_bytes


def test_recent_files_persist_and_reopen(launch, prompter, example_copy, tmp_path):
    window = launch()
    prompter.open_answers.append(example_copy)
    window.action_open.trigger()
    window.close()
    again = launch()
    again.recent_menu.aboutToShow.emit()
    recent = [a for a in again.recent_menu.actions() if a.data()]
    assert [a.data() for a in recent] == [str(example_copy.resolve())]
    recent[0].trigger()
    assert again.state.path == example_copy.resolve()


def test_a_vanished_recent_file_is_reported_and_dropped(launch, prompter, example_copy):
    window = launch()
    window.open_path(example_copy)
    example_copy.unlink()
    window.recent_menu.aboutToShow.emit()
    [entry] = [a for a in window.recent_menu.actions() if a.data()]
    entry.trigger()
    assert "no longer exists" in prompter.errors[-1]
    window.recent_menu.aboutToShow.emit()
    assert not [a for a in window.recent_menu.actions() if a.data()]


def _assert_refused(window, prompter, bad, expected_words):
    before_bytes = bad.read_bytes()
    before_name = window.state.project.name
    prompter.open_answers.append(bad)
    window.action_open.trigger()
    assert prompter.errors, "the user is told why"
    for word in expected_words:
        assert word in prompter.errors[-1]
    assert window.state.project.name == before_name, "the current project stays open"
    window.state.edit_field("name", "still editing")
    window.action_save.trigger()
    assert bad.read_bytes() == before_bytes, "an unreadable file is never overwritten"


def test_corrupt_file_shows_the_reason_and_is_left_alone(launch, prompter, example_copy, tmp_path):
    window = launch(str(example_copy))
    bad = tmp_path / "broken.studio.json"
    bad.write_text('{"format_version": 1, "name": "half', encoding="utf-8")
    _assert_refused(window, prompter, bad, ["corrupt", "broken.studio.json", "line 1"])
    assert load_project(example_copy).name == "still editing"


def test_newer_file_shows_the_reason_and_is_left_alone(launch, prompter, example_copy, tmp_path):
    window = launch(str(example_copy))
    newer = json.loads(example_copy.read_text())
    newer["format_version"] = 99
    bad = tmp_path / "future.studio.json"
    bad.write_text(json.dumps(newer), encoding="utf-8")
    _assert_refused(window, prompter, bad, ["newer Studio", "format 99", "update Studio"])


def test_opening_a_bad_file_at_launch_says_so_and_falls_back_to_the_example(launch, tmp_path):
    bad = tmp_path / "broken.studio.json"
    bad.write_text("not json", encoding="utf-8")
    window = launch(str(bad))
    assert "corrupt" in window.open_error.one_line()
    assert window.state.project.name == load_project(default_example_path()).name
    assert bad.read_text() == "not json"


def test_dropping_a_project_file_opens_it(launch, qtbot, example_copy):
    window = launch()
    data = json.loads(example_copy.read_text())
    data["name"] = "Dropped in"
    example_copy.write_text(json.dumps(data))
    entered, dropped = drop_file(window, example_copy)
    assert entered and dropped
    qtbot.waitUntil(lambda: window.state.path == example_copy.resolve(), timeout=3000)
    assert window.state.project.name == "Dropped in"
    assert window.panels["build"].name_edit.text() == "Dropped in"


def test_dropping_something_else_is_refused(launch, tmp_path):
    window = launch()
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    entered, _ = drop_file(window, other)
    assert not entered


def test_unsaved_changes_are_confirmed_before_they_are_dropped(launch, prompter, tmp_path):
    window = launch()
    window.state.edit_field("name", "Precious")
    prompter.unsaved_answers.append(CANCEL)
    window.action_new.trigger()
    assert window.state.project.name == "Precious"
    assert prompter.asked[-1] == ("unsaved", "Precious")

    prompter.unsaved_answers.append(CANCEL)
    window.close()
    assert window.isVisible(), "cancel keeps the window open"

    prompter.unsaved_answers.append(SAVE)
    prompter.save_answers.append(tmp_path / "precious.studio.json")
    window.action_new.trigger()
    assert load_project(tmp_path / "precious.studio.json").name == "Precious"
    assert window.state.project.graph.nodes == []

    window.state.edit_field("name", "Throwaway")
    prompter.unsaved_answers.append(DISCARD)
    window.close()
    assert not window.isVisible()
