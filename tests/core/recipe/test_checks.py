"""Each recipe check passes on a correct model and fails on one broken the way it is meant to catch."""

from __future__ import annotations

import math

import pytest
from recipe_builders import (
    BatchMixer,
    Blind,
    UnseededNoise,
    digits_cnn,
    digits_mlp,
    frozen,
    frozen_first_conv,
    loud_last_layer,
    skewed_bias,
    subject,
)

from studio.core.recipe import checks, probes


def test_fixed_seed_repeats_exactly_and_catches_unseeded_randomness():
    good = checks.fixed_seed(subject())
    assert good.status == "pass"
    assert good.details["losses_a"] == good.details["losses_b"]
    bad = checks.fixed_seed(subject(wrap=UnseededNoise))
    assert bad.status == "fail"
    assert bad.details["losses_a"] != bad.details["losses_b"]
    missing = checks.fixed_seed(subject(seed=None))
    assert missing.status == "fail" and "seed" in missing.advice


def test_loss_at_init_is_log_c_and_a_loud_last_layer_is_caught():
    good = checks.init_loss(subject())
    assert good.status == "pass"
    assert good.details["expected"] == pytest.approx(math.log(10))
    assert abs(good.details["loss"] - math.log(10)) < 0.2 * math.log(10)
    bad = checks.init_loss(subject(wrap=loud_last_layer))
    assert bad.status == "fail"
    assert bad.details["loss"] > 2 * math.log(10)
    assert "confidently wrong" in bad.advice


def test_final_bias_matches_class_frequencies_and_a_skewed_bias_gets_the_log_prior_hint():
    good = checks.final_bias(subject())
    assert good.status == "pass"
    bad = checks.final_bias(subject(wrap=skewed_bias))
    assert bad.status == "fail"
    assert bad.details["mean_prediction"][0] > 0.5  # class 0 swallows the predictions
    # The hint is log(class frequency): about log(1/10) for the balanced digits.
    assert all(abs(b - math.log(0.1)) < 0.2 for b in bad.details["suggested_bias"])


def test_batch_independence_passes_fails_on_mixing_and_explains_batchnorm():
    assert checks.batch_independence(subject()).status == "pass"
    mixed = checks.batch_independence(subject(wrap=BatchMixer))
    assert mixed.status == "fail"
    assert mixed.details["leak_train"] > 1e-3
    bn = checks.batch_independence(subject(digits_mlp(batchnorm=True)))
    assert bn.status == "warn"
    assert bn.details["leak_train"] > 1e-6 and bn.details["leak_eval"] <= 1e-6
    assert "BatchNorm" in bn.advice and "running" in bn.advice


def test_input_independent_baseline_does_worse_unless_the_model_ignores_its_input():
    good = probes.input_independent(subject())
    assert good.status == "pass"
    assert good.details["real"] < 0.9 * good.details["zeroed"]
    blind = probes.input_independent(subject(wrap=Blind))
    assert blind.status == "fail"
    assert "input" in blind.advice


def test_overfit_one_batch_reaches_near_zero_but_not_through_a_double_softmax():
    good = probes.overfit_batch(subject())
    assert good.status == "pass"
    assert good.details["curve"][-1][1] < probes.OVERFIT_LOSS
    bad = probes.overfit_batch(subject(digits_mlp(softmax_before_head=True)), steps=150)
    assert bad.status == "fail"
    assert bad.details["curve"][-1][1] > 0.5  # cross-entropy over softmax outputs cannot go near zero
    assert "Softmax" in bad.advice


def test_lr_range_suggests_a_learning_rate_and_fails_when_nothing_learns():
    good = probes.lr_range(subject())
    assert good.status in ("pass", "warn")
    d = good.details
    assert d["suggested_lr"] is not None and d["suggested_lr"] < d["lr_at_min"]
    assert min(d["smoothed"]) < 0.8 * d["smoothed"][0]
    assert d["lrs"] == sorted(d["lrs"]) and d["lrs"][-1] / d["lrs"][0] > 1e3  # an exponential sweep
    dead = probes.lr_range(subject(wrap=frozen), steps=60)
    assert dead.status == "fail"


def test_lr_range_fails_an_lr_that_will_diverge_and_warns_one_moderately_high():
    # lr 50 on the digits MLP: thousands of times the suggestion (the 20,000x was only WARN)
    high = probes.lr_range(subject(lr=50.0))
    d = high.details
    assert d["suggested_lr"] and 50.0 / d["suggested_lr"] > probes.LR_FAIL_FACTOR
    assert high.status == "fail"
    assert "diverge" in high.advice and f"use ~{d['suggested_lr']:.2g}" in high.advice
    past = probes.lr_range(subject(lr=5.0))  # above where the sweep's own loss blew up
    assert past.details["blew_up_at"] is not None and 5.0 > past.details["blew_up_at"]
    assert past.status == "fail" and "blew up" in past.advice
    # the same sweep judges other LRs: a few times past the minimum is a WARN, the suggestion a PASS
    s, lo, up = d["suggested_lr"], d["lr_at_min"], d["blew_up_at"]
    moderate = min(3 * lo, 0.5 * probes.LR_FAIL_FACTOR * s, 0.9 * up)
    assert lo < moderate
    assert probes.judge_lr(moderate, s, lo, up)[0] == "warn"
    assert probes.judge_lr(probes.LR_FAIL_FACTOR * s, s, lo, None)[0] == "fail"
    assert probes.judge_lr(s, s, lo, up) == ("pass", "")
    assert probes.judge_lr(s / 20, s, lo, up)[0] == "warn"


def test_prediction_dynamics_move_towards_the_truth_and_freeze_when_frozen():
    good = probes.prediction_dynamics(subject())
    assert good.status == "pass"
    snaps = good.details["snapshots"]
    assert snaps[0]["step"] == 0 and len(snaps) >= 5
    assert sum(snaps[-1]["p_true"]) > sum(snaps[0]["p_true"])
    still = probes.prediction_dynamics(subject(wrap=frozen))
    assert still.status == "fail"
    assert still.details["snapshots"][0]["pred"] == still.details["snapshots"][-1]["pred"]


def test_first_layer_filters_move_when_trained_and_not_when_frozen():
    good = probes.first_layer_filters(subject(digits_cnn(), lr=3e-3))
    assert good.status == "pass"
    assert good.details["relative_change"] > 0.05
    assert good.details["grid_shape"][2] == 3
    bad = probes.first_layer_filters(subject(digits_cnn(), wrap=frozen_first_conv))
    assert bad.status == "fail" and "conv1" in bad.advice
    assert probes.first_layer_filters(subject()) is None  # no convolution, nothing to show
