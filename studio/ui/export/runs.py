"""Which trained runs there are to export: run folders under the project's and the working folder's runs/.

`studio train` writes runs/<project>-<time>/ relative to where it was started, and the app may have
been started anywhere, so both the open project's folder and the current one are searched. A run
is a folder with project.json and a checkpoint; its run.json (when present) gives the name, the
accuracy and the time shown in the list. The open project's runs come first, newest first.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    return path.is_dir() and (path / "project.json").is_file() and (
        (path / "best.pt").is_file() or (path / "checkpoint.pt").is_file())


def describe_run(path: Path) -> RunInfo:
    """What the list shows of a run, read from run.json and project.json (no checkpoint is opened)."""
    summary: dict[str, Any] = {}
    try:
        summary = json.loads((path / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    project = summary.get("project")
    if not project:
        try:
            project = json.loads((path / "project.json").read_text(encoding="utf-8")).get("name")
        except (OSError, ValueError):
            project = None
    files = [path / n for n in ("best.pt", "checkpoint.pt") if (path / n).exists()]
    mtime = max((f.stat().st_mtime for f in files), default=path.stat().st_mtime)
    accuracy = summary.get("best_val_accuracy")
    return RunInfo(path, str(project or path.name), accuracy if isinstance(accuracy, (int, float)) else None,
                   summary.get("epochs_done"), summary.get("total_params"), str(summary.get("status") or ""), mtime)


def run_roots(project_path: Path | None, cwd: Path | None = None) -> list[Path]:
    """Where runs live: runs/ beside the project and in the working folder, and the config dir's
    runs/ where the Train panel puts the runs of a project that was never saved."""
    roots = []
    if project_path is not None:
        roots.append(Path(project_path).resolve().parent / "runs")
    roots.append(Path(cwd or os.getcwd()).resolve() / "runs")
    try:
        from studio.ui.config import config_dir

        roots.append(config_dir() / "runs")
    except Exception:  # no writable config folder: no such runs either
        pass
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def find_runs(roots: list[Path], extra: list[Path] | None = None, project_name: str | None = None) -> list[RunInfo]:
    """Run folders directly under `roots` plus the `extra` ones; the project's first, newest first."""
    seen: set[Path] = set()
    found: list[RunInfo] = []
    candidates: list[Path] = [Path(p) for p in extra or []]
    for root in roots:
        try:
            candidates += [p for p in root.iterdir() if p.is_dir()]
        except OSError:
            continue
    for path in candidates:
        resolved = path.resolve()
        if resolved in seen or not is_run_folder(resolved):
            continue
        seen.add(resolved)
        found.append(describe_run(resolved))
        if len(found) >= MAX_RUNS:
            break
    found.sort(key=lambda r: (r.project != project_name, -r.mtime))
    return found
