"""Autosave in one process: written after edits, removed by a clean save or close, and never
mistaken for a crashed session's file while its own window is still running."""

from __future__ import annotations

from studio.core.project import load_project
from studio.ui.autosave import find_orphans
from studio.ui.config import recovery_dir


def test_edits_are_autosaved_then_cleared_by_a_save(launch, qtbot, prompter, tmp_path):
    window = launch()
    recovery = window.autosaver.recovery_path
    assert recovery.parent == recovery_dir()
    window.state.edit_field("name", "Autosaved edit")
    assert not recovery.exists(), "debounced, not written on every keystroke"
    qtbot.waitUntil(recovery.exists, timeout=6000)
    assert load_project(recovery).name == "Autosaved edit"
    window.state.edit_field("name", "Second edit")
    qtbot.waitUntil(lambda: load_project(recovery).name == "Second edit", timeout=6000)

    prompter.save_answers.append(tmp_path / "kept.studio.json")
    window.action_save.trigger()
    assert not recovery.exists(), "a clean save leaves nothing to recover"


def test_undo_back_to_clean_removes_the_autosave(launch, qtbot):
    window = launch()
    recovery = window.autosaver.recovery_path
    window.state.edit_field("name", "Temporary")
    window.autosaver.write_now()
    assert recovery.exists()
    window.state.undo_stack.undo()
    qtbot.waitUntil(lambda: not recovery.exists(), timeout=6000)


def test_a_running_window_autosave_is_not_offered_but_a_closed_one_clears_it(launch, qtbot, prompter):
    window = launch()
    window.state.edit_field("name", "Live")
    window.autosaver.write_now()
    assert find_orphans(recovery_dir()) == [], "its session still holds the lock"
    assert window.offer_recovery() is False
    prompter.unsaved_answers.append("discard")
    window.close()
    assert not window.autosaver.recovery_path.exists()
    assert list(recovery_dir().iterdir()) == []
