"""Which trained runs there are to explain or export: run folders under the project's and the working
folder's runs/.

`studio train` writes runs/<project>-<time>/ relative to where it was started, and the app may have
been started anywhere, so both the open project's folder and the current one are searched. A run
is offered when it has weights (`RunLayout.has_weights`); its summary (`RunStore`) gives the name,
the accuracy and the time shown in the list. The open project's runs come first, newest first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.app.run_store import OpenRun, RunStore
from studio.core.errors import UserError
from studio.core.train.run_layout import RUNS, RunLayout, runs_root

MAX_RUNS = 200


@dataclass
class RunInfo:
    path: Path
    project: str
    accuracy: float | None
    epoch: Any
    params: int | None
    status: str
    mtime: float

    @property
    def name(self) -> str:
        return self.path.name


def is_run_folder(path: Path) -> bool:
    """A run the lists offer: its project snapshot and weights to export or explain."""
    return RunLayout(path).has_weights()


def describe_run(path: Path) -> RunInfo:
    """What the list shows of a run, from its summary (no checkpoint is opened)."""
    return _info(RunStore().open(path))


def _info(run: OpenRun) -> RunInfo:
    summary = run.summary()
    project = summary.project_name
    if not project:
        try:
            project = run.project.name
        except UserError:  # an unreadable snapshot: the folder's name still tells the run apart
            project = None
    return RunInfo(run.path, str(project or run.name), summary.best_val_accuracy, summary.epochs_done,
                   summary.total_params, summary.status.status, run.modified())


def run_roots(project_path: Path | None, cwd: Path | None = None) -> list[Path]:
    """Where runs live: runs/ beside the project and in the working folder, and the config dir's
    runs/ where the Train panel puts the runs of a project that was never saved."""
    roots = []
    if project_path is not None:
        roots.append(runs_root(Path(project_path).resolve()))
    roots.append(Path(cwd or os.getcwd()).resolve() / RUNS)
    try:
        from studio.ui.config import config_dir

        roots.append(config_dir() / RUNS)
    except Exception:  # no writable config folder: no such runs either
        pass
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def find_runs(roots: list[Path], extra: list[Path] | None = None, project_name: str | None = None) -> list[RunInfo]:
    """Trained runs directly under `roots` plus the `extra` ones; the project's first, newest first."""
    found: list[RunInfo] = []
    for run in RunStore(roots).runs(extra or []):
        if not run.has_weights:
            continue
        found.append(_info(run))
        if len(found) >= MAX_RUNS:
            break
    found.sort(key=lambda r: (r.project != project_name, -r.mtime))
    return found
