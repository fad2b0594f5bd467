"""The recipe's checks and verdict on the course's Transformer language model (the template, real
checks on the CPU, the built-in text: V = 59 characters, a unigram model of it scores 19.5).

Measured on 2 busy CPU cores: loss at init 4.219 per token against ln 59 = 4.078 (x30 on the
decoder's weights: 36.8); overfitting 10 windows 4.17 -> 0.14 in 90 steps; after 40 steps
perplexity 11.1 on real tokens, 19.8 on zeroed ones (the unigram's 19.5); the LR range test
suggests 2.5e-3 for the template's Adam at 2e-3.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.core.recipe import checks, probes
from studio.core.recipe.diagnosis import diagnose_events
from studio.core.recipe.subject import RecipeSubject, text_unigram_perplexity
from studio.core.resources import TEMPLATES
from studio.core.train.trainer import run_training

V = 59


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread, as the Train panel runs the checks: on a shared 2-core machine two
    threads fighting other processes made these tests ten times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def lm_project(**training):
    project = load_project(TEMPLATES / "transformer_lm.studio.json")
    project.training.update(training)
    return project


@pytest.fixture(scope="module")
def lm() -> RecipeSubject:
    return RecipeSubject.from_project(lm_project())


def too_confident(subject: RecipeSubject, factor: float = 30.0) -> RecipeSubject:
    """The LM with the weights of its last Linear (the decoder feeding the head) scaled up."""
    base = subject.make_model

    def make():
        model = base()
        with torch.no_grad():
            model.decoder.weight.mul_(factor)
        return model

    return dataclasses.replace(subject, make_model=make)


def test_the_checks_start_the_lm_from_the_courses_uniform_init_like_the_run(lm):
    model = lm.build()
    with torch.no_grad():
        assert float(model.decoder.weight.abs().max()) <= 0.1
        assert float(model.decoder.bias.abs().max()) == 0.0
        assert float(model.embed.weight.abs().max()) <= 0.1  # PyTorch's N(0, 1) table would reach ~4


def test_loss_at_init_is_ln_v_and_a_too_confident_init_fails_saying_so(lm):
    good = checks.init_loss(lm)
    assert good is not None and good.status == "pass", good.measured
    assert good.details["expected"] == pytest.approx(math.log(V))
    assert abs(good.details["loss"] - math.log(V)) < 0.1 * math.log(V)
    assert f"ln({V}) = {math.log(V):.4f}" in good.expected and "perplexity" in good.measured
    bad = checks.init_loss(too_confident(lm))
    assert bad.status == "fail"
    assert bad.details["loss"] > 2 * math.log(V)
    assert "too confident" in bad.advice and "init_range" in bad.advice


def test_final_bias_says_in_one_sentence_that_it_does_not_apply(lm):
    result = checks.final_bias(lm)
    assert result is not None and result.status == "n/a"
    assert result.measured.startswith("Does not apply to a language model") and result.measured.count(". ") == 0
    dynamics = probes.prediction_dynamics(lm)
    assert dynamics is not None and dynamics.status == "n/a" and "sample text" in dynamics.measured


def test_overfitting_one_batch_of_text_windows(lm):
    result = probes.overfit_batch(lm)
    assert result.status == "pass", result.measured
    assert result.title == "Overfit one batch (10 text windows)"
    start, final = result.details["curve"][0][1], result.details["curve"][-1][1]
    assert start == pytest.approx(math.log(V), rel=0.1)
    assert final < probes.OVERFIT_LOSS * start
    assert "perplexity" in result.measured


def test_zeroed_tokens_are_worse_and_leave_only_counting_characters(lm):
    result = probes.input_independent(lm)
    assert result.status == "pass", result.measured
    d = result.details
    assert d["real"] < probes.BASELINE_MARGIN * d["zeroed"]
    assert d["unigram_perplexity"] == pytest.approx(19.5, abs=0.1)
    # a model that cannot see its tokens learns their frequencies: about the unigram's perplexity
    assert abs(d["zeroed_perplexity"] - d["unigram_perplexity"]) < 0.15 * d["unigram_perplexity"]
    assert d["real_perplexity"] < d["unigram_perplexity"]
    assert "zeroed tokens" in result.measured


def test_lr_range_test_on_the_lms_own_optimizer(lm):
    assert type(lm.make_optimizer(lm.build())) is torch.optim.Adam and lm.config.grad_clip == 1.0
    result = probes.lr_range(lm)
    assert result.status == "pass", (result.measured, result.advice)
    d = result.details
    assert d["losses"][0] == pytest.approx(checks.init_loss(lm).details["loss"], rel=0.1)  # the course's init
    assert d["suggested_lr"] / 10 <= lm.lr <= d["lr_at_min"]


def _short_lm_run(tmp_path, lr: float, stride: int):
    """Three quick epochs of the template (fewer windows, no sample text): its events."""
    project = lm_project(lr=lr, epochs=3, device="cpu")
    project.data["options"]["stride"] = stride
    project.graph.node("head").params["sample_tokens"] = 0
    events: list[dict] = []
    done = run_training(project, tmp_path / "run", emit=events.append)
    assert done["event"] == "done", done
    return project, events


def test_an_lm_no_better_than_counting_characters_is_flagged(tmp_path):
    project, events = _short_lm_run(tmp_path, lr=1e-4, stride=64)
    unigram = text_unigram_perplexity(project.data)
    assert unigram == pytest.approx(19.5, abs=0.1)
    ppl = [e["val_perplexity"] for e in events if e["event"] == "epoch"]
    assert min(ppl) > unigram
    verdict = diagnose_events(events, unigram)
    assert verdict.name == "no_better_than_unigram"
    assert verdict.title == "No better than counting characters"
    assert f"{min(ppl):.3g}" in verdict.evidence and f"{unigram:.3g}" in verdict.evidence
    assert "counts how often each token occurs" in verdict.evidence


def test_diagnose_cli_reads_an_lm_run_in_perplexity(tmp_path, capsys):
    project, events = _short_lm_run(tmp_path, lr=2e-3, stride=48)
    path = tmp_path / "lm.studio.json"
    save_project(project, path)
    assert main(["diagnose", str(path), "--run", str(tmp_path / "run"), "--checks", "init_loss,final_bias",
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    init, bias = report["checks"]
    assert init["status"] == "pass" and init["expected"].startswith(f"ln({V})")
    assert bias["status"] == "n/a" and report["status"] == "pass"
    ppl = [e["val_perplexity"] for e in events if e["event"] == "epoch"]
    verdict = report["verdict"]
    assert verdict["name"] in ("still_improving", "healthy"), verdict
    assert ppl[-1] < 19.5
    assert f"perplexity {ppl[-1]:.3g}" in verdict["evidence"]
