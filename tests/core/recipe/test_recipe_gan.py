"""The recipe's checks and the curve diagnosis for a GAN (the gan_mlp_digits template, real checks
on the CPU): a discriminator that knows nothing says 0.5 to every image, so its loss at init is
2 ln 2 and the generator's ln 2; D alone learns to tell one fixed real batch from one fixed
generated one; the checks that do not apply say why; a GAN run's curves are read by its own rules
(mode collapse, the discriminator wins, still improving, balanced).

Measured on 2 busy CPU cores, one thread: D 1.372 and G 0.695 at init (D(x) 0.51, D(G(z)) 0.50);
D's last bias at +5: D 5.0 (D(x) and D(G(z)) 0.99); D's loss 1.374 -> 0.047 in 40 steps.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from torch import nn

from studio.cli import main
from studio.core.project import load_project
from studio.core.recipe import checks, probes
from studio.core.recipe.diagnosis import diagnose_events
from studio.core.recipe.report import run_verdict
from studio.core.recipe.subject import RecipeSubject
from studio.core.resources import TEMPLATES
from studio.core.train.trainer import run_training

TEMPLATE = TEMPLATES / "gan_mlp_digits.studio.json"


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread, as the Train panel runs the checks (two fight other processes on 2 cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def gan() -> RecipeSubject:
    return RecipeSubject.from_project(load_project(TEMPLATE))


def with_d_bias(subject: RecipeSubject, bias: float) -> RecipeSubject:
    """The template with the bias of D's last Linear (d_fc3, before the Sigmoid) set to `bias`."""
    base = subject.make_model

    def make() -> nn.Module:
        model = base()
        layer = [m for m in dict(model.named_modules())["d_fc3"].modules() if isinstance(m, nn.Linear)][-1]
        with torch.no_grad():
            layer.bias.fill_(bias)
        return model

    return dataclasses.replace(subject, make_model=make)


def test_the_checks_see_a_gan_with_its_images_in_the_signed_range(gan):
    assert gan.paradigm == "gan"
    assert float(gan.bundle.x_train.min()) >= -1.0 and float(gan.bundle.x_train.max()) <= 1.0
    assert float(gan.bundle.x_train.min()) < -0.9  # [-1, 1] as gan.prepare makes it, not [0, 1]


def test_loss_at_init_is_two_ln_two_for_d_and_ln_two_for_g(gan):
    result = checks.init_loss(gan)
    assert result.status == "pass", result
    d = result.details
    assert abs(d["loss"] / (2 * math.log(2)) - 1) < 0.10, d
    assert abs(d["loss_g"] / math.log(2) - 1) < 0.10, d
    assert "2 ln 2" in result.expected and "ln 2" in result.expected


def test_a_discriminator_too_confident_of_real_fails_loss_at_init_and_says_so(gan):
    result = checks.init_loss(with_d_bias(gan, 5.0))
    assert result.status == "fail", result
    assert result.details["d_real"] > 0.95 and result.details["d_fake"] > 0.95
    assert result.details["loss"] > 2 * 2 * math.log(2)
    assert "too confident" in result.advice and "real" in result.advice
    assert "bias" in result.advice


def test_the_discriminator_overfits_one_fixed_real_and_generated_batch(gan):
    result = probes.overfit_batch(gan)
    assert result.status == "pass", result
    curve = result.details["curve"]
    assert abs(curve[0][1] / (2 * math.log(2)) - 1) < 0.10
    assert curve[-1][1] < 0.1 * curve[0][1]
    assert result.details["d_real"] > 0.9 and result.details["d_fake"] < 0.1
    assert "generated" in result.title


def test_checks_that_do_not_apply_to_a_gan_say_why(gan):
    for result in (checks.final_bias(gan), probes.input_independent(gan), probes.lr_range(gan),
                   probes.prediction_dynamics(gan)):
        assert result.status == "n/a", result
        assert result.measured.startswith("Does not apply to a GAN:") and result.measured.endswith(".")


def test_fixed_seed_and_batch_independence_go_through_the_gan_step(gan):
    seed = checks.fixed_seed(gan)
    assert seed.status == "pass" and len(seed.details["losses_a"]) == 3, seed
    assert abs(seed.details["losses_a"][0] - 3 * math.log(2)) < 0.3  # D's 2 ln 2 plus G's ln 2 at step 1
    independence = checks.batch_independence(gan)
    assert independence.status == "pass" and "D(G(z" in independence.expected, independence


# --- the curve diagnosis ------------------------------------------------------------------------

def gan_events(d_real, d_fake, fid, collapse=None, diversity=None):
    """A GAN run's events: a start, one step event per epoch, and epoch events with the run's figures."""
    events = [{"event": "start"}]
    for i, (r, f, q) in enumerate(zip(d_real, d_fake, fid, strict=True), 1):
        events.append({"event": "step", "epoch": i, "step": 23 * i, "first_step": 23 * (i - 1) + 1,
                       "losses": [2.0 + 0.01 * k for k in range(23)]})  # the sum of two losses that pull apart
        events.append({"event": "epoch", "epoch": i, "step": 23 * i, "train_loss": 2.0 + 0.1 * i,
                       "val_loss": 2.0 + 0.1 * i, "lr": 2e-4, "val_d_real": r, "val_d_fake": f, "val_fid_like": q,
                       "val_diversity": 0.8 if diversity is None else diversity[i - 1],
                       "collapse": None if collapse is None else collapse[i - 1]})
    return events


def test_a_discriminator_that_wins_is_told_to_slow_down_and_get_input_noise():
    v = diagnose_events(gan_events([0.7, 0.85, 0.93, 0.96], [0.3, 0.15, 0.07, 0.04], [900, 880, 870, 868]))
    assert v.name == "discriminator_wins" and v.title == "The discriminator wins", v
    assert v.epoch == 2
    assert "d_lr" in v.advice and "d_input_noise" in v.advice and "0.0001, half of lr 0.0002" in v.advice
    assert "D(x) 0.96" in v.evidence and "D(G(z)) 0.04" in v.evidence


def test_the_runs_collapse_warning_is_mode_collapse():
    warning = "mode collapse: the generated images are alike (their spread is 21% of the real images')"
    v = diagnose_events(gan_events([0.6, 0.6, 0.6], [0.4, 0.4, 0.4], [900, 700, 650],
                                   collapse=[None, warning, warning], diversity=[0.8, 0.21, 0.21]))
    assert v.name == "mode_collapse" and v.epoch == 2, v
    assert warning in v.evidence and "d_input_noise" in v.advice


def test_a_falling_fid_like_distance_is_still_improving():
    v = diagnose_events(gan_events([0.7, 0.65, 0.6, 0.6], [0.4, 0.45, 0.45, 0.48], [2300, 1800, 1500, 1200]))
    assert v.name == "still_improving", v
    assert "FID-like" in v.evidence and "1200" in v.evidence


def test_verdicts_near_one_half_and_a_flat_fid_like_distance_are_balanced():
    v = diagnose_events(gan_events([0.6, 0.55, 0.52, 0.51], [0.4, 0.45, 0.47, 0.49], [400, 300, 301, 300]))
    assert v.name == "balanced" and v.title == "Balanced", v
    assert "D(x) 0.51" in v.evidence and "flat" in v.evidence


def test_a_real_short_run_is_read_by_the_gan_rules(tmp_path, capsys, monkeypatch):
    from studio.core.train import gan as gan_training

    full = gan_training.train_feature_net  # the FID-like figure's classifier: 150 of its 600 steps (12 s saved)
    monkeypatch.setattr(gan_training, "train_feature_net", lambda *a, **k: full(*a, **{**k, "steps": 150}))
    project = load_project(TEMPLATE)
    project.data["val_fraction"] = 0.75  # 449 training digits: three short epochs
    final = run_training(project, tmp_path / "run", {"epochs": 3, "device": "cpu"})
    assert final["event"] == "done"
    verdict = run_verdict(tmp_path / "run")
    assert verdict.name in ("still_improving", "balanced", "unsettled", "discriminator_wins"), verdict
    assert "D(x)" in verdict.evidence and "D(G(z))" in verdict.evidence
    assert main(["diagnose", str(tmp_path / "run"), "--checks", "init_loss", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checks"][0]["status"] == "pass" and report["verdict"]["name"] == verdict.name
