"""Each curve verdict comes out of a real training built to produce it, pointing at where it began."""

from __future__ import annotations

import pytest
from recipe_builders import digits_mlp, make_project, tiny_bottleneck

from studio.core.recipe.diagnosis import REGULARISATION_STEPS, diagnose_events
from studio.core.train.run_folder import read_metrics
from studio.core.train.trainer import run_training


def train(tmp_path, graph, data=None, **training):
    result = run_training(make_project(graph, data, **training), tmp_path / "run")
    events = read_metrics(tmp_path / "run")
    return result, events, diagnose_events(events)


def epochs_of(events):
    return [e for e in events if e["event"] == "epoch"]


def test_far_too_high_lr_is_diverging_from_the_first_epoch(tmp_path):
    _, events, verdict = train(tmp_path, digits_mlp(64), lr=0.5, epochs=3)
    assert verdict.name == "diverging"
    assert verdict.epoch == 1 and verdict.step is not None
    assert "more than 4x" in verdict.evidence
    assert "learning rate" in verdict.advice and "0.05" in verdict.advice  # a tenth of the LR used


def test_an_oscillating_loss_above_its_start_is_diverging(tmp_path):
    _, events, verdict = train(tmp_path, digits_mlp(64), lr=3.0, optimizer="sgd", momentum=0.9, epochs=3)
    assert verdict.name == "diverging"
    assert "oscillates" in verdict.evidence
    first = next(e for e in epochs_of(events) if e["epoch"] == verdict.epoch)
    assert first["train_loss"] > 2.0


def test_nan_loss_is_diverging_with_the_step_it_happened(tmp_path):
    result, events, verdict = train(tmp_path, digits_mlp(64), lr=1e4, optimizer="sgd", momentum=0.9, epochs=2)
    assert result["event"] == "error" and result["kind"] == "nan"
    assert verdict.name == "diverging"
    assert verdict.step == result["diagnosis"]["step"]


def test_a_model_too_small_for_the_data_is_underfitting(tmp_path):
    _, events, verdict = train(tmp_path, tiny_bottleneck(), lr=1e-2, epochs=8)
    assert verdict.name == "underfitting"
    losses = [e["train_loss"] for e in epochs_of(events)]
    assert losses[-1] > 0.5 * losses[0]  # high...
    assert 1 < verdict.epoch <= len(losses)  # ...and flat since an epoch the plot can mark
    assert "bigger" in verdict.advice


def test_a_slow_learning_rate_is_still_improving(tmp_path):
    _, events, verdict = train(tmp_path, digits_mlp(32), lr=5e-3, optimizer="sgd", momentum=0.0, epochs=4)
    assert verdict.name == "still_improving"
    val = [e["val_loss"] for e in epochs_of(events)]
    assert val == sorted(val, reverse=True)
    assert "longer" in verdict.advice


def test_a_big_model_on_a_handful_of_examples_is_overfitting_with_the_ordered_remedies(tmp_path):
    _, events, verdict = train(tmp_path, digits_mlp(256), {"val_fraction": 0.97}, lr=3e-3, epochs=10, batch_size=16)
    assert verdict.name == "overfitting"
    ep = epochs_of(events)
    start = next(e for e in ep if e["epoch"] == verdict.epoch)
    assert start["train_accuracy"] - start["val_accuracy"] > 0.10
    assert verdict.actions == list(REGULARISATION_STEPS)
    assert verdict.actions[0].startswith("get more data") and verdict.actions[-1] == "try a smaller model"


@pytest.mark.slow
def test_a_sound_run_is_healthy(tmp_path):
    _, events, verdict = train(tmp_path, digits_mlp(64), lr=3e-3, epochs=10, schedule="cosine")
    assert verdict.name == "healthy"
    val = [e["val_loss"] for e in epochs_of(events)]
    assert verdict.epoch == 1 + val.index(min(val))
    assert epochs_of(events)[-1]["val_accuracy"] > 0.9


def test_too_few_epochs_say_so_instead_of_guessing(tmp_path):
    _, _, verdict = train(tmp_path, digits_mlp(32), epochs=1)
    assert verdict.name == "too_early"
