"""What a run folder is: the names of its files, which file holds the weights asked for, where runs go.

    runs/<project>-<YYYYmmdd-HHMMSS>/   one training run (beside the project file, or where `studio train` ran)
        project.json      the project as it was trained (a snapshot; later edits do not change it)
        checkpoint.pt     last state: model, optimizer, EMA, counters (resume from here)
        best.pt           the weights that scored best on validation
        metrics.jsonl     every event, one JSON object per line
        run.json          the summary: status, epochs done, best scores, how the data was prepared
        diagnostics.json  what `studio diagnose` found
        exports/          where exports of the run are suggested to go

The trainer writes these (`run_folder.RunFolder`); explaining, exporting, diagnosing, the run lists,
drops and the write guards (`safe_paths`) read or protect them. Every name is spelled here once, so a
reader and the writer cannot disagree on where a run keeps its weights. The module reads no file's
contents (no torch, no JSON): `safe_paths` and the run lists use it without importing the trainer.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import UserError

PROJECT = "project.json"
LAST = "checkpoint.pt"
BEST = "best.pt"
METRICS = "metrics.jsonl"
SUMMARY = "run.json"
DIAGNOSTICS = "diagnostics.json"
EXPORTS = "exports"
RECORD = frozenset({PROJECT, LAST, BEST, METRICS, SUMMARY, DIAGNOSTICS})
"""The files that make up a run's record: no command writes over them, only training changes a run."""

CHECKPOINT_KEY = "studio_checkpoint"
"""Marks a checkpoint dict as Studio's; its value is the format version."""
CHECKPOINT_FORMAT = 1
"""The newest checkpoint format this Studio writes and reads."""
CHOICES = ("best", "last")
RUNS = "runs"
"""The folder that holds a project's runs, beside the project file."""


@dataclass(frozen=True)
class RunLayout:
    """The paths of one run folder's files (they need not exist)."""

    path: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))

    @property
    def project(self) -> Path:
        return self.path / PROJECT

    @property
    def last(self) -> Path:
        return self.path / LAST

    @property
    def best(self) -> Path:
        return self.path / BEST

    @property
    def metrics(self) -> Path:
        return self.path / METRICS

    @property
    def summary(self) -> Path:
        return self.path / SUMMARY

    @property
    def diagnostics(self) -> Path:
        return self.path / DIAGNOSTICS

    @property
    def exports(self) -> Path:
        return self.path / EXPORTS

    def checkpoint(self, which: str = "best") -> Path | None:
        """The file that holds the `which` ("best" or "last") weights, or None while there is none.

        "best" falls back to the last weights: a run stopped before its first validation has only
        checkpoint.pt, and those weights are all there is. "last" never falls back to best.pt, which
        lacks the optimizer state and counters a resume needs.
        """
        if which not in CHOICES:
            raise UserError(f"unknown checkpoint {which!r}", "use best or last")
        if which == "best" and self.best.is_file():
            return self.best
        return self.last if self.last.is_file() else None

    def holds_run(self) -> bool:
        """Written by training: the project snapshot plus a summary or a metrics log (weights or not)."""
        return self.project.is_file() and (self.summary.is_file() or self.metrics.is_file())

    def has_weights(self) -> bool:
        """The project snapshot plus best.pt or checkpoint.pt: a run that can be explained or exported."""
        return self.project.is_file() and (self.best.is_file() or self.last.is_file())


def checkpoint_choice(file: str | os.PathLike[str]) -> str:
    """Which weights a run's checkpoint file holds: "last" for checkpoint.pt, else "best"."""
    return "last" if Path(file).name == LAST else "best"


def project_stem(project_file: str | os.PathLike[str]) -> str:
    """A project file's name without its suffix: the first part of its runs' folder names."""
    return Path(project_file).name.removesuffix(".studio.json").removesuffix(".json")


def runs_root(project_file: str | os.PathLike[str]) -> Path:
    """Where the runs of a saved project go: runs/ beside its file."""
    return Path(project_file).parent / RUNS


def new_run_dir(root: str | os.PathLike[str], stem: str) -> Path:
    """A free folder name for a new run under `root`: <stem>-<YYYYmmdd-HHMMSS>, then -2, -3, ... when taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = Path(root) / f"{stem}-{stamp}"
    n = 1
    while path.exists():
        n += 1
        path = Path(root) / f"{stem}-{stamp}-{n}"
    return path
