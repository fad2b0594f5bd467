"""The window's state over the Qt-free open project: signals per part, undo history, refusals."""

from __future__ import annotations

import pytest

from studio.core.graph.model import Graph
from studio.core.project import Project, ProjectError
from studio.core.train.trainer import Trainer
from studio.ui.state import AppState


def _project(**training) -> Project:
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    return Project(name="state-test", graph=graph, data={"dataset": "digits", "val_fraction": 0.2, "augment": {},
                                                         "options": {}}, training={"device": "cpu", **training})


def test_an_edit_signals_its_part_only_and_a_replace_starts_a_clean_history(qtbot):
    state = AppState(_project())
    edited, replaced = [], []
    state.project_edited.connect(edited.append)
    state.project_replaced.connect(lambda: replaced.append(state.undo_stack.count()))
    state.edit_field("name", "renamed")
    assert edited == ["name"] and state.dirty and state.undo_stack.count() == 1
    state.replace(_project(), None, dirty=True)
    assert replaced == [0] and edited == ["name"] and state.dirty


def test_a_project_with_a_bad_value_is_refused_and_the_open_one_stays(qtbot):
    state = AppState(_project(lr=0.01))
    state.edit_field("name", "mine")
    with pytest.raises(ProjectError, match=r"training\.lr nan is not finite"):
        state.replace(_project(lr=float("nan")), None)
    assert state.project.name == "mine" and state.train_config.lr == 0.01 and state.undo_stack.count() == 1


def test_a_project_without_lr_shows_the_trainers_default_in_the_form_and_the_summary(qtbot, tmp_path):
    from studio.ui.panels.train import TrainPanel

    project = _project()
    state = AppState(project)
    panel = TrainPanel(state)
    qtbot.addWidget(panel)
    try:
        trainer_lr = Trainer(project, tmp_path / "run").cfg.lr
        panel.config_toggle.setChecked(False)
        assert panel.config_summary.text() == f"adam, lr {trainer_lr}, batch 64, 10 epochs"
        assert float(panel.form.lr.text()) == trainer_lr
        panel.form.lr.setText("0.02")
        panel.form.lr.editingFinished.emit()
        panel.config_toggle.setChecked(True)
        panel.config_toggle.setChecked(False)
        assert panel.config_summary.text().startswith("adam, lr 0.02,")
    finally:
        panel.controller.shutdown()
        panel.runner.cancel()
        panel.runner.wait(30)


def test_a_state_with_undo_history_is_freed_without_the_garbage_collector(qtbot):
    """A state that left a reference cycle behind was freed by Python's collector, in an order Qt
    cannot follow: its undo stack then deleted commands twice and the app (or the test run) crashed
    with a segmentation fault. Freed by reference counting, it goes the way Qt expects."""
    import gc
    import weakref

    from studio.ui.builder.commands import GraphCommand
    from studio.ui.training.commands import SetTrainingField

    gc.disable()
    try:
        state = AppState(_project())
        state.edit_field("name", "renamed")
        graph = state.project.graph
        state.undo_stack.push(GraphCommand(state, "edit", graph, graph.copy()))
        state.undo_stack.push(SetTrainingField(state, "epochs", 3))
        assert state.undo_stack.count() == 3 and state.train_config.epochs == 3
        state.undo_stack.undo()
        assert state.train_config.epochs != 3
        alive = weakref.ref(state)
        del state, graph
        assert alive() is None, "the state is kept alive by a reference cycle"
    finally:
        gc.enable()
