"""Issue 16: "Use as dataset" in the Audio lab's Training sample row also gives the model's
classification head one output per recorded class (the 10-word network recorded with two words gets
2 outputs, not 10), in the same undo step as the data set, and says so in the row; a project with no
classification head is told so and its graph is left alone. The recordings are real WAV files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.core.data.recordings import save_recording
from studio.core.project import load_project
from studio.core.resources import resource_path

RATE = 16000


def record(root: Path, label: str, freq: float, n: int = 4) -> None:
    t = np.arange(RATE) / RATE
    for i in range(n):
        tone = 0.3 * np.sin(2 * np.pi * (freq + 15 * i) * t) * np.hanning(t.size)
        save_recording(root, label, tone.astype(np.float32), RATE)


@pytest.fixture
def make_panel(qtbot, monkeypatch, tmp_path):
    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))  # the sound features' cache
    made = []

    def make(project):
        widget = AudioPanel(AppState(project))
        qtbot.addWidget(widget)
        widget.resize(1300, 820)
        widget.show()
        qtbot.waitExposed(widget)
        made.append(widget)
        return widget

    yield make
    for widget in made:
        widget.shutdown()


def use(qtbot, panel, root: Path) -> None:
    box = panel.samples
    box.root.setText(str(root))
    box.root.editingFinished.emit()
    assert box.use_button.isEnabled()
    qtbot.mouseClick(box.use_button, Qt.MouseButton.LeftButton)
    assert panel.message.key() == "samples_used", panel.message.text()


def test_two_recorded_classes_make_a_10_output_head_2_undo_restores_10_and_it_trains(qtbot, make_panel, tmp_path):
    from studio.core.train.trainer import run_training

    root = tmp_path / "rec"
    record(root, "sim", 300.0)
    record(root, "não", 1500.0)
    panel = make_panel(load_project(resource_path("templates", "spoken_digits_cnn1d.studio.json")))
    state = panel.state
    assert state.project.graph.node("fc").params["out_features"] == 10
    use(qtbot, panel, root)
    assert state.project.data["dataset"] == "sound_folder"
    assert state.project.graph.node("fc").params["out_features"] == 2
    note = panel.samples.head_note
    assert note.isVisible() and note.text() == "head: 10 → 2 outputs"
    assert "fc" in note.toolTip() and "Undo" in note.toolTip()
    if os.environ.get("STUDIO_SHOT_DIR"):
        panel.grab().save(os.path.join(os.environ["STUDIO_SHOT_DIR"], "audio-use-as-dataset.png"))

    state.undo_stack.undo()  # one step: the data set and the head together
    assert state.project.graph.node("fc").params["out_features"] == 10
    assert state.project.data["dataset"] == "spoken_digits"
    assert not note.isVisible(), "what the row said is undone"
    state.undo_stack.redo()
    assert state.project.graph.node("fc").params["out_features"] == 2 and note.isVisible()

    state.project.training.update({"device": "cpu", "batch_size": 4, "epochs": 1})
    final = run_training(state.project, tmp_path / "run", {"max_steps": 2})
    assert final["event"] == "done", final


def test_a_project_without_a_classification_head_is_told_and_its_graph_kept(qtbot, make_panel, tmp_path):
    root = tmp_path / "rec"
    record(root, "a", 400.0, 2)
    record(root, "b", 900.0, 2)
    project = load_project(resource_path("templates", "unet.studio.json"))
    panel = make_panel(project)
    before = panel.state.project.graph.to_dict()
    use(qtbot, panel, root)
    assert panel.state.project.data["dataset"] == "sound_folder"
    assert panel.state.project.graph.to_dict() == before
    note = panel.samples.head_note
    assert note.isVisible() and note.text() == "no classification head"
    assert "2 outputs" in note.toolTip()
