"""File > Import model… and a dropped model file: a model made elsewhere opens as a new project (issue 15)."""

from __future__ import annotations

import json

import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from torch import nn
from ui_env import drop_file


def _dialog(window, qtbot):
    qtbot.waitUntil(lambda: window.findChild(QDialog, "importModelDialog") is not None, timeout=3000)
    dialog = window.findChild(QDialog, "importModelDialog")
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    return dialog


def test_import_resnet18_from_the_menu_opens_it_on_the_canvas(launch, qtbot, prompter, tmp_path):
    window = launch()
    out = tmp_path / "r18.studio.json"
    prompter.save_answers.append(out)
    window.action_import_model.trigger()
    dialog = _dialog(window, qtbot)
    assert dialog.from_list.isChecked()
    qtbot.waitUntil(lambda: dialog.list.count() > 50, timeout=15000)  # torchvision's names come from a job
    assert dialog.list.currentItem().text() == "resnet18", "the list starts on a familiar architecture"
    qtbot.waitUntil(lambda: "11.7 million" in dialog.count_label.text(), timeout=5000)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.path == out.resolve(), timeout=20000)
    assert prompter.asked[-1][0] == "save" and prompter.asked[-1][1].endswith("resnet18.studio.json")
    assert (tmp_path / "r18.weights.pt").is_file()
    assert json.loads(out.read_text())["graph"]["weights"] == "r18.weights.pt"
    build = window.panels["build"]
    graph = window.state.project.graph
    assert len(graph.nodes) > 60
    assert set(build.scene.nodes) == {n.id for n in graph.nodes}, "every imported block is on the canvas"
    assert sum(n.block == "Conv2d" for n in graph.nodes) == 20
    depth = len({n.pos[1] for n in graph.nodes})
    assert depth < 30 and len({n.pos[0] for n in graph.nodes}) > 4, "the long chain is folded into bands"
    qtbot.waitUntil(lambda: build.view.zoom() > 0.25, timeout=3000)  # fitted: blocks large enough to read
    assert not window.state.dirty
    qtbot.waitUntil(lambda: window.findChild(QDialog, "importModelDialog") is None, timeout=3000)  # closed, deleted
    assert "Imported r18.studio.json" in window.statusBar().currentMessage()


def test_a_pickled_module_is_refused_and_the_open_project_stays(launch, qtbot, prompter, tmp_path, example_copy):
    whole = tmp_path / "whole.pt"
    torch.save(nn.Linear(2, 2), whole)
    window = launch(str(example_copy))
    before = window.state.project.graph.to_dict()
    prompter.open_answers.append(whole)
    prompter.save_answers.append(tmp_path / "whole.studio.json")
    window.action_import_model.trigger()
    dialog = _dialog(window, qtbot)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.from_file.isChecked() and dialog.file_edit.text() == str(whole)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(prompter.errors), timeout=10000)
    assert "whole.pt was refused: it holds a pickled Python object" in prompter.errors[-1]
    assert "torch.nn.modules.linear.Linear" in prompter.errors[-1]
    assert prompter.errors[-1] in dialog.status.text()
    assert window.state.path == example_copy.resolve()
    assert window.state.project.graph.to_dict() == before
    assert not (tmp_path / "whole.studio.json").exists() and not (tmp_path / "whole.weights.pt").exists()
    assert dialog.isVisible(), "the dialog stays open to choose another model"


def test_a_dropped_torchscript_file_imports(launch, qtbot, prompter, tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
    scripted = tmp_path / "tiny.pt"
    torch.jit.save(torch.jit.script(model), str(scripted))
    existing = tmp_path / "tiny.studio.json"
    existing.write_text("{}")
    window = launch()
    assert all(drop_file(window, scripted))
    dialog = _dialog(window, qtbot)
    assert dialog.from_file.isChecked() and dialog.file_edit.text() == str(scripted)
    assert dialog.arch_combo.isHidden(), "TorchScript carries its own architecture"
    dialog.shape_edit.setText("1,8,8")
    prompter.save_answers.extend([existing, existing])
    prompter.confirm_answers.extend([False, True])
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert prompter.asked[-1][0] == "confirm" and "tiny.studio.json" in prompter.asked[-1][1]
    assert existing.read_text() == "{}", "an existing file is never replaced unasked"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.path == existing.resolve(), timeout=10000)
    # torch.nn layers in TorchScript come back as Studio's own blocks
    blocks = [n.block for n in window.state.project.graph.nodes]
    assert blocks == ["Input", "Conv2d", "ReLU", "Flatten", "Linear", "ClassificationHead"], blocks
    assert (tmp_path / "tiny.weights.pt").is_file()
    assert set(window.panels["build"].scene.nodes) == {n.id for n in window.state.project.graph.nodes}
