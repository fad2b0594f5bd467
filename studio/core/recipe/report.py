"""Running the recipe: which checks, in which order, and the verdict on a run's curves.

`run_checks` is what the Train panel's "Run recipe checks" button and `studio diagnose` call; the
cheap ones (`CHEAP`) also run automatically before each training in the GUI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.recipe.checks import CHEAP_CHECKS
from studio.core.recipe.diagnosis import Verdict, diagnose_events
from studio.core.recipe.probes import PROBES
from studio.core.recipe.result import CheckResult
from studio.core.recipe.subject import RecipeSubject
from studio.core.train.run_layout import RUNS, RunLayout, project_stem

ALL_CHECKS: dict[str, Callable[..., CheckResult | None]] = {**CHEAP_CHECKS, **PROBES}
CHEAP = tuple(CHEAP_CHECKS)
ORDER = ("fixed_seed", "init_loss", "final_bias", "input_independent", "overfit_batch", "batch_independence",
         "lr_range", "prediction_dynamics", "first_layer_filters")


def run_checks(subject: RecipeSubject, names: tuple[str, ...] | list[str] | None = None,
               on_result: Callable[[CheckResult], None] | None = None,
               should_stop: Callable[[], bool] | None = None,
               on_start: Callable[[int, int, str], None] | None = None) -> list[CheckResult]:
    """Run the named checks (all by default) in the recipe's order; checks that do not apply to the
    model (no classification head, no convolution) are left out, except that a language model's or a
    denoiser's say in their result why they do not apply to it (status "n/a"). `on_start(i, n, name)` is told
    before the i-th of the n wanted checks begins (1-based), so a view can say which one runs."""
    wanted = [n for n in ORDER if names is None or n in names]
    unknown = set(names or ()) - set(ALL_CHECKS)
    if unknown:
        from studio.core.errors import UserError

        raise UserError(f"unknown recipe check(s) {', '.join(sorted(unknown))}", f"use {', '.join(ORDER)}")
    results = []
    trained: dict[str, Any] = {}
    for index, name in enumerate(wanted, 1):
        if should_stop is not None and should_stop():
            break
        if on_start is not None:
            on_start(index, len(wanted), name)
        if name == "prediction_dynamics":
            result = ALL_CHECKS[name](subject, keep_model=trained)
        elif name == "first_layer_filters" and trained:
            result = ALL_CHECKS[name](subject, model=trained["model"], initial=trained["initial"])
        else:
            result = ALL_CHECKS[name](subject)
        if result is None:
            continue
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def latest_run(project_path: str | Path, runs_root: str | Path = RUNS) -> Path | None:
    """The newest run folder `studio train` wrote for this project file (runs/<stem>-<timestamp>)."""
    root = Path(runs_root)
    if not root.is_dir():
        return None
    found = sorted((p for p in root.glob(f"{project_stem(project_path)}-*") if RunLayout(p).metrics.is_file()),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


VERDICT_POINTS = 20_000
"""Step points the verdict reads from a run's file (min/max decimated beyond that): a run of a
million lines is diagnosed in seconds and a few tens of MB instead of holding every event."""


def run_verdict(run_dir: str | Path, max_points: int = VERDICT_POINTS,
                unigram_perplexity: float | None = None) -> Verdict:
    """The verdict on a run folder's curves, read streaming (studio/core/train/metrics_stream.py):
    every epoch event, the step loss decimated keeping its first value, its extremes and its first
    NaN, which are what the rules read from the steps. `unigram_perplexity`: a language model's bar
    (its text's, `subject.unigram_perplexity`)."""
    from studio.core.train.metrics_stream import read_metrics_decimated

    return diagnose_events(read_metrics_decimated(run_dir, max_points), unigram_perplexity)


def summary_status(results: list[CheckResult]) -> str:
    """fail, else warn, else pass; a check that does not apply ("n/a") is no finding."""
    statuses = {r.status for r in results}
    return "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"


def report_dict(results: list[CheckResult], verdict: Verdict, run_dir: str | Path | None) -> dict[str, Any]:
    return {"checks": [r.to_dict() for r in results], "verdict": verdict.to_dict(),
            "status": summary_status(results), "run_dir": str(run_dir) if run_dir else None}
