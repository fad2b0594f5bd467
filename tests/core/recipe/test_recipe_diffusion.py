"""The recipe's checks on the course's DDPM denoiser (the ddpm_digits template, real checks on the
CPU): a denoiser takes (x_t, t) and predicts the noise e, so its loss at init is about the noise's
variance (1), predicting zeros is its input-independent baseline, and it overfits one batch with
fixed t and noise.

Measured on 2 busy CPU cores: loss at init 1.015 against the noise's variance 1.005 (x50 on the
last conv's weights: 7.97); 40 steps reach 0.26 against 1.00 for predicting zeros; 10 images with
fixed t and noise go 1.00 -> 0.033 in 60 steps; the LR range test suggests 1.7e-3 for the
template's 2e-3; conv_in's filters move 19% in 60 steps.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.core.recipe import checks, probes
from studio.core.recipe.subject import RecipeSubject
from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "ddpm_digits.studio.json"


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread, as the Train panel runs the checks (two fight other processes on 2 cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def ddpm() -> RecipeSubject:
    return RecipeSubject.from_project(load_project(TEMPLATE))


def loud_output(subject: RecipeSubject, factor: float = 50.0) -> RecipeSubject:
    base = subject.make_model

    def make():
        model = base()
        with torch.no_grad():
            model.conv_out.weight.mul_(factor)
        return model

    return dataclasses.replace(subject, make_model=make)


def test_the_checks_feed_the_denoiser_noised_images_and_their_time_steps(ddpm):
    assert ddpm.paradigm == "diffusion"
    assert float(ddpm.bundle.x_train.min()) >= -1.0 and float(ddpm.bundle.x_train.max()) <= 1.0
    (x_t, t), y = next(ddpm.train_batches(16))  # DiffusionRun.training_batch, as each training step
    assert x_t.shape == (16, 1, 8, 8) and t.shape == (16, 1) and t.dtype == torch.int64
    assert 1 <= int(t.min()) and int(t.max()) <= 200
    assert set(y) == {"noise"} and y["noise"].shape == x_t.shape
    (fixed_x, fixed_t), fixed_y = ddpm.batch(10)
    (again_x, again_t), again_y = ddpm.batch(10)
    assert torch.equal(fixed_t, again_t) and torch.equal(fixed_y["noise"], again_y["noise"])


def test_loss_at_init_is_the_noise_variance_and_loud_outputs_fail(ddpm):
    good = checks.init_loss(ddpm)
    assert good is not None and good.status == "pass", good.measured
    assert good.details["expected"] == pytest.approx(1.0, abs=0.1)  # unit Gaussian noise
    assert good.details["loss"] == pytest.approx(good.details["expected"], rel=0.1)
    assert "the noise's variance" in good.expected
    bad = checks.init_loss(loud_output(ddpm))
    assert bad.status == "fail"
    assert bad.details["loss"] > 2 * bad.details["expected"]
    assert "too large" in bad.advice


def test_mean_prediction_at_init_is_the_noise_mean(ddpm):
    result = checks.final_bias(ddpm)
    assert result is not None and result.status == "pass", result.measured
    assert abs(result.details["mean_target"]) < 0.05 and "the noise's mean" in result.measured


def test_overfitting_one_batch_with_fixed_t_and_noise_goes_far_down(ddpm):
    result = probes.overfit_batch(ddpm)
    assert result.status == "pass", result.measured
    assert result.title == "Overfit one batch (10 noised images, fixed t and noise)"
    start, final = result.details["curve"][0][1], result.details["curve"][-1][1]
    assert start == pytest.approx(1.0, abs=0.15)
    assert final < probes.OVERFIT_LOSS * start


def test_the_denoiser_beats_predicting_zeros(ddpm):
    result = probes.input_independent(ddpm)
    assert result.status == "pass", result.measured
    d = result.details
    assert d["zeroed"] == pytest.approx(1.0, abs=0.1)  # predicting zeros: the noise's variance
    assert d["real"] < probes.BASELINE_MARGIN * d["zeroed"]
    assert "predicting zeros" in result.measured


def test_lr_range_test_suggests_an_lr_near_the_templates(ddpm):
    result = probes.lr_range(ddpm)
    assert result.status == "pass", (result.measured, result.advice)
    d = result.details
    assert d["losses"][0] == pytest.approx(1.0, abs=0.2)
    assert d["suggested_lr"] / 10 <= ddpm.lr <= d["lr_at_min"]


def test_diagnose_runs_the_cheap_checks_and_says_which_do_not_apply(tmp_path, capsys):
    path = tmp_path / "ddpm.studio.json"
    save_project(load_project(TEMPLATE), path)
    wanted = "fixed_seed,init_loss,final_bias,batch_independence,prediction_dynamics"
    assert main(["diagnose", str(path), "--checks", wanted, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    status = {c["check"]: c["status"] for c in report["checks"]}
    assert status == {"fixed_seed": "pass", "init_loss": "pass", "final_bias": "pass", "batch_independence": "pass",
                      "prediction_dynamics": "n/a"}
    dynamics = report["checks"][-1]
    assert dynamics["measured"].startswith("Does not apply to a denoiser") and "samples" in dynamics["measured"]
    assert report["status"] == "pass" and report["verdict"]["name"] == "not_trained"


def test_the_first_convolution_moves_when_the_denoiser_trains(ddpm):
    result = probes.first_layer_filters(ddpm)
    assert result is not None and result.status == "pass", result.measured
    assert result.details["layer"] == "conv_in" and result.details["relative_change"] > 0.05
