"""The verdict takes the LR range test's evidence (recipe/evidence.py), and only a sweep that learned."""

from __future__ import annotations

from studio.core.recipe.diagnosis import Verdict
from studio.core.recipe.evidence import fix_with_checks, verdict_with_checks
from studio.core.recipe.result import CheckResult


def sweep(learned: bool = True, suggested: float = 0.0025, blew_up_at: float | None = 0.3) -> CheckResult:
    return CheckResult("lr_range", "Learning-rate range test", "pass" if learned else "fail", "", "", "",
                       {"suggested_lr": suggested, "lr_at_min": suggested * 10, "blew_up_at": blew_up_at,
                        "learned": learned})


DIVERGING = Verdict("diverging", "lower the learning rate (try 5, or run the LR range test), or clip gradients",
                    "the loss became NaN/Inf at step 2", 1, 2)


def test_a_diverging_run_is_advised_the_suggestion_below_its_lr():
    v = verdict_with_checks(DIVERGING, [sweep()], 50.0)
    assert v.advice == "lower the learning rate to ~0.0025, the LR range test's suggestion (or clip gradients)"
    assert (v.name, v.evidence, v.epoch, v.step) == ("diverging", DIVERGING.evidence, 1, 2)  # the curves' own
    assert v.actions == [v.advice]
    assert verdict_with_checks(DIVERGING, [], 50.0) == DIVERGING  # no sweep: lr/10 it is
    assert verdict_with_checks(DIVERGING, [sweep(learned=False)], 50.0) == DIVERGING  # nothing learned: no lr
    assert verdict_with_checks(DIVERGING, [sweep()], 0.001) == DIVERGING  # diverged below the suggestion


def test_no_verdict_yet_becomes_diverging_only_for_an_lr_the_sweep_fails():
    not_trained = Verdict("not_trained", "train the project")
    v = verdict_with_checks(not_trained, [sweep()], 50.0)
    assert v.name == "diverging" and v.epoch is None
    assert "not trained yet, but the configured lr 50 diverges in the LR range test" in v.evidence
    assert "its loss blew up at lr 0.3" in v.evidence and v.advice.startswith("use ~0.0025")
    far = verdict_with_checks(not_trained, [sweep(blew_up_at=None)], 1.0)  # 400x, no blow-up seen
    assert far.name == "diverging" and "400x its suggestion" in far.evidence
    assert verdict_with_checks(not_trained, [sweep()], 0.003) == not_trained  # a sane lr: still not trained
    too_early = Verdict("too_early", "wait")
    assert verdict_with_checks(too_early, [sweep()], 50.0).name == "diverging"
    healthy = Verdict("healthy", "converged")
    assert verdict_with_checks(healthy, [sweep()], 50.0) == healthy  # the curves had their say


def test_a_diverged_runs_fix_takes_the_suggestion_too():
    trainer = "lower lr (try 5) or set grad_clip to 1.0"
    assert fix_with_checks(trainer, [sweep()], 50.0).startswith("lower the learning rate to ~0.0025")
    assert fix_with_checks(trainer, [sweep(learned=False)], 50.0) == trainer
    assert fix_with_checks(trainer, [sweep()], 0.002) == trainer
