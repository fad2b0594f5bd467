"""The verdict on the curves, sharpened by what the recipe checks measured.

The curves alone know only the lr that ran, so a diverging run used to be told "try lr/10" even
when the LR range test had measured a good lr for this model and optimizer; and a project not
trained yet got "not trained" even when that test showed its configured lr blowing up. The range
test is the better evidence on both counts, so:

* a diverging verdict advises the range test's suggestion (lr/10 only when there is none, or when
  the run diverged at an lr already below it);
* no verdict yet (not trained, or too early to tell) becomes a diverging one when the configured
  lr is one the range test fails (`probes.judge_lr`: past the sweep's blow-up or 100x its
  suggestion): the run will diverge, and the advice is the suggestion.

Callers pass only results that belong to the configuration being judged (the GUI leaves out
results of an earlier graph, data or optimizer: recipe/basis.py); `lr` is the lr being judged,
which may differ from the one the sweep was run with (the sweep sets its own lrs).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

from studio.core.recipe.diagnosis import Verdict
from studio.core.recipe.probes import judge_lr
from studio.core.recipe.result import CheckResult


def range_test(results: Iterable[CheckResult]) -> CheckResult | None:
    """The LR range test's result among `results`, when it learned and suggested an lr (a sweep in
    which no lr made the loss fall suggests nothing)."""
    for result in results:
        d = result.details
        if result.check == "lr_range" and d.get("suggested_lr") and d.get("learned", True):
            return result
    return None


def suggestion_advice(suggested: float) -> str:
    return (f"lower the learning rate to ~{suggested:.2g}, the LR range test's suggestion "
            "(or clip gradients)")


def fix_with_checks(fix: str, results: Iterable[CheckResult], lr: float | None) -> str:
    """The fix a diverged run's trainer wrote (lr/10, lr/100), or the range test's lr when there is
    one below the lr that diverged."""
    sweep = range_test(results)
    if sweep is None or (lr is not None and math.isfinite(lr) and sweep.details["suggested_lr"] >= lr):
        return fix
    return suggestion_advice(float(sweep.details["suggested_lr"]))


def verdict_with_checks(verdict: Verdict, results: Iterable[CheckResult], lr: float | None) -> Verdict:
    """`verdict`, its advice (or the verdict itself) taken from the range test when one is in `results`."""
    sweep = range_test(results)
    if sweep is None:
        return verdict
    d = sweep.details
    suggested = float(d["suggested_lr"])
    if verdict.name == "diverging":
        if lr is not None and math.isfinite(lr) and suggested >= lr:
            return verdict  # it diverged at or below the suggestion: lowering to it is no advice
        advice = suggestion_advice(suggested)
        return dataclasses.replace(verdict, advice=advice, actions=[advice])
    if verdict.name not in ("not_trained", "too_early") or lr is None or not math.isfinite(lr):
        return verdict
    status, _ = judge_lr(float(lr), suggested, d.get("lr_at_min"), d.get("blew_up_at"))
    if status != "fail":
        return verdict
    blew = d.get("blew_up_at")
    where = (f"its loss blew up at lr {blew:.2g}" if blew is not None and lr > blew
             else f"{lr / suggested:,.0f}x its suggestion")
    trained = "not trained yet, but " if verdict.name == "not_trained" else ""
    advice = f"use ~{suggested:.2g}, the range test's suggestion"
    return Verdict("diverging", advice,
                   f"{trained}the configured lr {lr:g} diverges in the LR range test ({where}): use ~{suggested:.2g}",
                   None, None, [advice])
