"""`studio diagnose PROJECT [--dataset NAME] [--json]`: Karpathy's recipe checks, headless.

Runs the recipe's checks on the project's model and data (docs/recipe.md) and reads the learning
curves of its latest run (or of `--run RUN_DIR`; PROJECT may itself be a run folder) for a verdict:
diverging, overfitting, underfitting, still improving or healthy (a language model's also no better
than counting characters: a unigram model of its text; a GAN's from D(x), D(G(z)), the FID-like
distance and the collapse warning: mode collapse, the discriminator wins, still improving, balanced
or unsettled). The LR range test sharpens it
(recipe/evidence.py): a diverging run is advised its suggested lr, and a project not trained yet
whose configured lr the test fails is diverging already. Exit status 0 whatever the checks say: a
failing check is a finding, not an error of the command.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from studio.core.errors import UserError

MARKS = {"pass": "ok  ", "warn": "warn", "fail": "FAIL", "n/a": "n/a "}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file (*.studio.json) or a run folder")
    parser.add_argument("--dataset", help="check on this dataset instead of the project's")
    parser.add_argument("--run", metavar="RUN_DIR", help="read the learning curves of this run (default: the "
                                                           "project's newest run under ./runs)")
    parser.add_argument("--checks", help="comma-separated subset (fixed_seed, init_loss, final_bias, "
                                         "input_independent, overfit_batch, batch_independence, lr_range, "
                                         "prediction_dynamics, first_layer_filters); 'cheap' for the instant ones")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="cpu",
                        help="where the checks run (default cpu: they are small)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _resolve(args: argparse.Namespace):
    from studio.app.run_store import RunStore
    from studio.core.project import load_project
    from studio.core.recipe.report import latest_run
    from studio.core.train.run_layout import RunLayout

    store = RunStore()
    path = Path(args.project)
    run_dir = Path(args.run) if args.run else None
    if path.is_dir():
        if not RunLayout(path).project.is_file():
            raise UserError(f"{path} is neither a project file nor a run folder (no project.json)",
                            "pass a *.studio.json file or a folder written by `studio train`")
        project = store.open(path).project
        run_dir = run_dir or path
    else:
        project = load_project(path)
        run_dir = run_dir or latest_run(path)
    if run_dir is not None and not store.open(run_dir).has_metrics:
        raise UserError(f"run folder {run_dir} has no metrics.jsonl", "pass a folder written by `studio train`")
    return project, run_dir


def _names(text: str | None):
    from studio.core.recipe.report import CHEAP

    if not text:
        return None
    if text.strip() == "cheap":
        return CHEAP
    return tuple(n.strip() for n in text.split(",") if n.strip())


def _run_lr(run_dir: Path, default: float) -> float:
    """The lr the run trained with (its project.json), which the advice compares with the range test's."""
    from studio.app.run_store import RunStore
    from studio.core.train.config import TrainConfig

    try:
        return float(TrainConfig.from_dict(RunStore().open(run_dir).project.training).lr)
    except (UserError, ValueError, TypeError):
        return default


def run(args: argparse.Namespace) -> int:
    from studio.core.recipe.diagnosis import Verdict
    from studio.core.recipe.evidence import verdict_with_checks
    from studio.core.recipe.report import report_dict, run_checks, run_verdict
    from studio.core.recipe.subject import RecipeSubject, unigram_perplexity

    project, run_dir = _resolve(args)
    subject = RecipeSubject.from_project(project, args.dataset, args.device)

    def show(result) -> None:
        if not args.json:
            print(f"[{MARKS[result.status]}] {result.title}: {result.measured}", flush=True)
            if result.status != "pass" and result.advice:
                print(f"       -> {result.advice}", flush=True)

    if not args.json:
        print(f"recipe checks for {project.name} on {subject.bundle.name} "
              f"({subject.bundle.n_train} training examples)", flush=True)
    results = run_checks(subject, _names(args.checks), on_result=show)
    if run_dir is not None:
        # a language model's curves are judged against counting its text's tokens too
        verdict = run_verdict(run_dir, unigram_perplexity=unigram_perplexity(subject.data, subject.bundle))
        lr = _run_lr(run_dir, subject.lr)
    else:
        verdict = Verdict("not_trained", "train the project (studio train PROJECT), then run diagnose again to read "
                                         "its learning curves")
        lr = subject.lr
    # the range test is better evidence than the curves' lr/10, and than "not trained" (recipe/evidence.py)
    verdict = verdict_with_checks(verdict, results, lr)
    if args.json:
        print(json.dumps(report_dict(results, verdict, run_dir)))
        return 0
    where = f" (run {run_dir})" if run_dir else ""
    at = f", from epoch {verdict.epoch}" if verdict.epoch else ""
    print(f"\nverdict{where}: {verdict.title}{at}")
    if verdict.evidence:
        print(f"  evidence: {verdict.evidence}")
    if verdict.actions and verdict.name == "overfitting":
        print("  regularise, in this order:")
        for i, step in enumerate(verdict.actions, 1):
            print(f"    {i}. {step}")
    else:
        print(f"  advice: {verdict.advice}")
    return 0
