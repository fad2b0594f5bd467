"""The training form edits project.training (and augmentation, dropout) through undoable steps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_builders import make_project

from studio.ui.training.config_form import ConfigForm


def form_for(qtbot, state):
    form = ConfigForm(state)
    qtbot.addWidget(form)
    form.show()
    return form


def test_form_shows_the_project_and_every_edit_is_one_undo_step(qtbot, state):
    form = form_for(qtbot, state)
    assert form.optimizer.currentData() == "adam" and form.batch_size.value() == 64
    form.optimizer.setCurrentIndex(form.optimizer.findData("sgd"))
    form.batch_size.setValue(128)
    form.schedule.setCurrentIndex(form.schedule.findData("cosine"))
    assert state.project.training["optimizer"] == "sgd"
    assert state.project.training["batch_size"] == 128
    assert state.project.training["schedule"] == "cosine"
    assert state.dirty
    state.undo_stack.undo()
    assert "schedule" not in state.project.training and form.schedule.currentData() == "constant"
    state.undo_stack.undo()
    assert state.project.training["batch_size"] == 64 and form.batch_size.value() == 64
    state.undo_stack.redo()
    assert form.batch_size.value() == 128


def test_typing_a_learning_rate_commits_on_enter_and_rejects_nonsense(qtbot, state):
    form = form_for(qtbot, state)
    form.lr.clear()
    qtbot.keyClicks(form.lr, "3e-4")
    qtbot.keyClick(form.lr, Qt.Key.Key_Return)
    assert state.project.training["lr"] == 3e-4
    form.lr.setText("fast please")
    form.lr.editingFinished.emit()
    assert state.project.training["lr"] == 3e-4
    assert "border" in form.lr.styleSheet()
    for endless in ("inf", "nan"):  # a saved inf could never be opened again (training.lr must be finite)
        form.lr.setText(endless)
        form.lr.editingFinished.emit()
        assert state.project.training["lr"] == 3e-4
    state.undo_stack.undo()
    assert form.lr.text() == "0.003"


def test_repeated_spins_of_one_field_merge_into_one_undo_step(qtbot, state):
    form = form_for(qtbot, state)
    for epochs in (4, 5, 6, 7):
        form.epochs.setValue(epochs)
    assert state.undo_stack.count() == 1
    state.undo_stack.undo()
    assert state.project.training["epochs"] == 3


def test_regularisers_ema_and_early_stopping_reach_the_trainer_config(qtbot, state):
    form = form_for(qtbot, state)
    form.weight_decay.setValue(5e-4)
    form.label_smoothing.setValue(0.1)
    form.ema.setValue(0.999)
    form.early_stopping.setValue(3)
    form.amp.setCurrentText("bf16")
    cfg = form.config()
    assert (cfg.weight_decay, cfg.label_smoothing, cfg.ema, cfg.early_stopping, cfg.amp) == (5e-4, 0.1, 0.999, 3, "bf16")


def test_augmentation_toggles_edit_the_data_section(qtbot, state):
    form = form_for(qtbot, state)
    form.aug_flip.setChecked(True)
    form.aug_noise.setValue(0.1)
    assert state.project.data["augment"] == {"flip": True, "noise": 0.1}
    state.undo_stack.undo()
    state.undo_stack.undo()
    assert state.project.data["augment"] == {}
    assert not form.aug_flip.isChecked()


def test_dropout_sets_every_dropout_block_and_is_disabled_without_one(qtbot, state):
    form = form_for(qtbot, state)
    assert form.dropout.isEnabled() and abs(form.dropout.value() - 0.2) < 1e-9
    form.dropout.setValue(0.5)
    ps = [n.params["p"] for n in state.project.graph.nodes if n.block == "Dropout"]
    assert ps == [0.5, 0.5]
    state.undo_stack.undo()
    assert [n.params["p"] for n in state.project.graph.nodes if n.block == "Dropout"] == [0.2, 0.2]
    from ui_builders import digits_mlp

    state.replace(make_project(digits_mlp(dropout=None)), None)
    assert not form.dropout.isEnabled()
    assert "no Dropout" in form.dropout.toolTip()


def test_opening_another_project_refreshes_the_form_without_new_edits(qtbot, state):
    form = form_for(qtbot, state)
    state.replace(make_project(epochs=42, batch_size=16, optimizer="rmsprop"), None)
    assert (form.epochs.value(), form.batch_size.value(), form.optimizer.currentData()) == (42, 16, "rmsprop")
    assert state.undo_stack.count() == 0 and not state.dirty


def test_transfer_learning_fields_wait_for_a_frozen_block_then_edit_the_project(qtbot, state):
    """The two-phase schedule's keys (unfreeze_at_epoch, backbone_lr_scale) are in the form, enabled
    once Build has frozen a block, each edit one undo step."""
    import dataclasses

    from studio.core.graph.model import Graph

    form = form_for(qtbot, state)
    assert not form.unfreeze_at_epoch.isEnabled() and "No block is frozen" in form.unfreeze_at_epoch.toolTip()
    project = state.project
    first = next(n for n in project.graph.nodes if n.block != "Input")
    nodes = [dataclasses.replace(n, frozen=True) if n.id == first.id else n for n in project.graph.nodes]
    project.graph = Graph(nodes=nodes, edges=list(project.graph.edges), networks=project.graph.networks)
    state.replace(project, None)
    assert form.unfreeze_at_epoch.isEnabled() and form.backbone_lr_scale.isEnabled()
    assert "1 frozen blocks" in form.unfreeze_at_epoch.toolTip()
    assert form.unfreeze_at_epoch.value() == 0 and form.backbone_lr_scale.value() == 0.1
    form.unfreeze_at_epoch.setValue(2)
    form.backbone_lr_scale.setValue(0.25)
    assert state.project.training["unfreeze_at_epoch"] == 2
    assert state.project.training["backbone_lr_scale"] == 0.25
    assert state.train_config.unfreeze_at_epoch == 2
    state.undo_stack.undo()
    assert "backbone_lr_scale" not in state.project.training and form.backbone_lr_scale.value() == 0.1
