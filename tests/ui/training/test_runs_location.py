"""The Train panel says where runs are saved (issue 20, item 12): an untitled project's runs go to
the settings folder, and the panel names it, opens it and copies its path; once saved, runs/ beside
the project file. Driven by clicks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication


def test_an_untitled_projects_runs_folder_is_shown_opened_and_copied(qtbot, train_panel, state, config_dir,
                                                                      tmp_path, monkeypatch):
    panel = train_panel
    assert state.path is None
    where = config_dir / "runs"
    assert panel.runs_path.isVisible() and panel.runs_path.text() == str(where)
    assert "not saved" in panel.runs_note.text()

    qtbot.mouseClick(panel.copy_runs_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(where)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(panel.open_runs_button, Qt.MouseButton.LeftButton)
    assert opened == [str(where)] and where.is_dir()  # made, so the file manager has something to open

    state.project.training.update(epochs=1)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    run = panel.controller.run_dir
    assert run.parent == where  # the run went where the panel said
    assert panel.runs_path.text() == str(run)  # and now the panel names the run's own folder
    qtbot.waitUntil(lambda: panel.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    assert (run / "metrics.jsonl").is_file()


def test_a_saved_projects_runs_go_beside_it(qtbot, train_panel, state, tmp_path):
    state.mark_saved(tmp_path / "proj.studio.json")
    assert Path(train_panel.runs_path.text()) == tmp_path / "runs"
    assert train_panel.runs_note.text() == ""
    qtbot.mouseClick(train_panel.copy_runs_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(tmp_path / "runs")
