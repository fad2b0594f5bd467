"""Become one with the data: the batch entering the net is the trainer's, and the hints are true."""

from __future__ import annotations

import torch
from recipe_builders import digits_mlp, make_project

from studio.core.data import load_dataset
from studio.core.data.bundle import DatasetBundle, TargetInfo
from studio.core.recipe.data_insight import (
    OUTLIER_Z,
    batch_stats,
    data_facts,
    denormalised,
    entering_batch,
    tensor_grid,
)
from studio.core.train.trainer import Trainer


def test_the_batch_shown_is_exactly_the_trainers_first_batch_with_augmentation(tmp_path):
    project = make_project(digits_mlp(), {"augment": {"noise": 0.3, "crop": 1, "flip": True}}, batch_size=16, seed=7)
    trainer = Trainer(project, tmp_path / "run")
    trainer._setup()
    trainer.augment = True
    perm = torch.randperm(trainer.bundle.n_train, generator=trainer.generator)
    x_trainer, y_trainer = trainer._batch(perm[:16])
    x_trainer2, _ = trainer._batch(perm[16:32])
    bundle = load_dataset(project.data)
    x, y, idx = entering_batch(bundle, 16, 7)
    assert torch.equal(idx, perm[:16])
    assert torch.equal(x, x_trainer) and torch.equal(y["label"], y_trainer["label"])
    x2, _, _ = entering_batch(bundle, 16, 7, batch_index=1)
    assert torch.equal(x2, x_trainer2)
    plain = bundle.x_train.index_select(0, idx)
    assert not torch.equal(x, plain)  # augmentation really is in what the net gets


def test_batch_is_normalised_and_rendered_with_its_own_value_range():
    bundle = load_dataset({"dataset": "digits", "options": {}, "val_fraction": 0.2})
    x, _, _ = entering_batch(bundle, 256, 0)
    stats = batch_stats(x)
    assert abs(stats["mean"]) < 0.15 and 0.8 < stats["std"] < 1.2  # what normalisation promises
    grid, (lo, hi) = tensor_grid(x[:8], cols=4)
    assert lo == float(x[:8].min()) and hi == float(x[:8].max())
    assert grid.shape == (2 * 9 + 1, 4 * 9 + 1, 3) and grid.dtype.name == "uint8"
    raw = denormalised(bundle, x)
    assert float(raw.min()) >= -1e-5 and float(raw.max()) <= 1 + 1e-5  # back in the 0..1 pixel units


def _bundle(x_train, y_train, x_val, y_val, classes=3):
    return DatasetBundle("toy", "classification", "image", x_train, {"label": y_train}, x_val, {"label": y_val},
                         {"label": TargetInfo("class", classes)}, [f"c{i}" for i in range(classes)])


def test_hints_find_duplicates_leaks_outliers_and_imbalance():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 1, 4, 4, generator=g)
    x[10] = x[3]  # a duplicate inside the training set
    x[50] = 40.0  # an outlier
    y = torch.cat([torch.zeros(150), torch.ones(40), torch.full((10,), 2)]).long()
    xv = torch.randn(20, 1, 4, 4, generator=g)
    xv[5] = x[7]  # a validation example that is also a training example
    facts = data_facts(_bundle(x, y, xv, torch.zeros(20).long()))
    assert [3, 10] in facts.duplicate_groups
    assert (5, 7) in facts.leaked
    assert facts.outliers[0][0] == 50 and facts.outliers[0][1] > OUTLIER_Z
    assert facts.train_counts == [150, 40, 10]
    text = " ".join(facts.hints())
    assert "imbalanced" in text and "'c0' has 150" in text
    assert "duplicate" in text and "validation examples also appear" in text and "outliers" in text


def test_clean_balanced_data_says_so():
    g = torch.Generator().manual_seed(1)
    x = torch.rand(90, 1, 4, 4, generator=g)
    y = torch.arange(90) % 3
    facts = data_facts(_bundle(x, y, torch.rand(9, 1, 4, 4, generator=g), torch.arange(9) % 3))
    assert facts.hints() == ["no duplicates, leaks, outliers or class imbalance found"]
