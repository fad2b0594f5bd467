"""Panels in one window work together: a run trained in Train is offered by Explain and Export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def _combo_paths(combo) -> list[Path]:
    return [Path(combo.itemData(i)) for i in range(combo.count()) if combo.itemData(i)]


def test_a_run_trained_in_the_train_panel_is_offered_by_explain_and_export(launch, qtbot, tmp_path):
    window = launch()
    project = load_project(TEMPLATES / "mlp.studio.json")
    project.training.update(epochs=1, device="cpu")
    path = tmp_path / "mlp.studio.json"
    window.state.replace(project, None)
    window.write_to(path)

    train, export, explain = window.panels["train"], window.panels["export"], window.panels["explain"]
    assert not _combo_paths(export.export_section.runs.combo), "no runs before training"
    started: list[Path] = []
    window.state.run_started.connect(started.append)
    window.show_panel("train")
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    assert train.controller.state == "finished"
    run_dir = train.controller.run_dir
    assert started == [run_dir] and run_dir.parent == tmp_path / "runs"
    qtbot.waitUntil(lambda: run_dir.resolve() in _combo_paths(export.export_section.runs.combo), timeout=5000)
    assert run_dir.resolve() in _combo_paths(explain.source.runs.combo)
    train.controller.shutdown()
