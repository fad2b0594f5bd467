"""Which edits make a check result one of an earlier configuration (recipe/basis.py)."""

from __future__ import annotations

from recipe_builders import digits_cnn, digits_mlp, make_project

from studio.core.recipe.basis import basis_changes, check_basis, same_but_lr


def test_lr_optimizer_batch_graph_and_data_changes_are_named_and_run_options_are_not():
    project = make_project(digits_mlp(32), lr=1e-3)
    before = check_basis(project)
    assert basis_changes(before, check_basis(project)) == []
    project.training.update(epochs=30, device="cuda", layer_stats_every=7)  # how long / where: no check reads it
    project.graph.nodes[1].pos = (400.0, 10.0)  # a block moved on the canvas
    assert basis_changes(before, check_basis(project)) == []
    project.training["lr"] = 50.0
    changes = basis_changes(before, check_basis(project))
    assert [(c.key, c.old, c.new) for c in changes] == [("lr", 1e-3, 50.0)]
    assert same_but_lr(before, check_basis(project))
    project.training.update(optimizer="sgd", batch_size=16)
    keys = [c.key for c in basis_changes(before, check_basis(project))]
    assert keys == ["batch_size", "lr", "optimizer"] and not same_but_lr(before, check_basis(project))
    other = make_project(digits_cnn(), lr=1e-3)
    assert [c.key for c in basis_changes(before, check_basis(other))] == ["graph"]
    other = make_project(digits_mlp(32), data={"val_fraction": 0.3}, lr=1e-3)
    assert [c.key for c in basis_changes(before, check_basis(other))] == ["data"]
