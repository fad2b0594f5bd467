"""A run folder: what one training run leaves behind (shared/DESIGN.md, docs/training.md).

    project.json      the project as it was trained (a snapshot; later edits do not change it)
    checkpoint.pt     last state: model, optimizer, EMA, counters (resume from here)
    best.pt           the weights that scored best on validation
    metrics.jsonl     every event, one JSON object per line, appended and flushed line by line
    run.json          summary, rewritten atomically at each epoch and at the end

Checkpoints hold only tensors, numbers, strings, lists and dicts so they load with
`torch.load(path, weights_only=True)`: opening a run never executes code from the file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import torch

from studio import __version__
from studio.core.errors import UserError
from studio.core.project import Project, atomic_write_text, dumps, load_project

CHECKPOINT_FORMAT = 1


def _json_safe(value: Any) -> Any:
    """NaN and infinities become null: metrics.jsonl must stay strict JSON for any reader."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def json_line(event: dict[str, Any]) -> str:
    return json.dumps(_json_safe(event), separators=(",", ":"))


class RunFolder:
    """Writes one run's files. Metrics are appended and flushed per line, so a killed run keeps them."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._metrics = None

    @property
    def checkpoint_path(self) -> Path:
        return self.path / "checkpoint.pt"

    @property
    def best_path(self) -> Path:
        return self.path / "best.pt"

    def write_project(self, project: Project) -> None:
        atomic_write_text(self.path / "project.json", dumps(project))

    def append(self, event: dict[str, Any]) -> None:
        if self._metrics is None:
            self._metrics = open(self.path / "metrics.jsonl", "a", encoding="utf-8")
        self._metrics.write(json_line(event) + "\n")
        self._metrics.flush()

    def close(self) -> None:
        if self._metrics is not None:
            self._metrics.close()
            self._metrics = None

    def save_checkpoint(self, which: str, payload: dict[str, Any]) -> Path:
        """Save atomically (temp file + rename) so a crash mid-save leaves the previous checkpoint."""
        target = self.best_path if which == "best" else self.checkpoint_path
        data = {"studio_checkpoint": CHECKPOINT_FORMAT, "studio_version": __version__, **payload}
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=self.path)
        os.close(fd)
        try:
            torch.save(data, tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def write_summary(self, summary: dict[str, Any]) -> None:
        atomic_write_text(self.path / "run.json", json.dumps(_json_safe(summary), indent=2) + "\n")


def read_metrics(run_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """All complete events of a run; a torn last line (the run was killed mid-write) is skipped."""
    path = Path(run_dir) / "metrics.jsonl"
    if not path.is_file():
        return []
    events = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


def read_summary(run_dir: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(run_dir) / "run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is corrupt ({exc.msg})") from exc


def load_checkpoint(run_dir: str | os.PathLike[str], which: str = "best") -> dict[str, Any]:
    """The checkpoint dict of a run ("best" or "last"), loaded safely (weights_only=True) on the CPU."""
    run = Path(run_dir)
    if not run.is_dir():
        raise UserError(f"run folder {run} does not exist", "pass a folder written by `studio train`")
    if which not in ("best", "last"):
        raise UserError(f"unknown checkpoint {which!r}", "use best or last")
    path = run / ("best.pt" if which == "best" else "checkpoint.pt")
    if not path.is_file():
        other = run / ("checkpoint.pt" if which == "best" else "best.pt")
        if which == "best" and other.is_file():
            path = other  # stopped before the first validation: the last weights are all there is
        else:
            raise UserError(f"run folder {run} has no {path.name}", "train the project first (it is written each epoch)")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise UserError(f"{path} cannot be read as a checkpoint ({type(exc).__name__})",
                        "it may be corrupt or from another program") from exc
    if not isinstance(data, dict) or "model" not in data or data.get("studio_checkpoint") is None:
        raise UserError(f"{path} is not a Studio checkpoint")
    if int(data["studio_checkpoint"]) > CHECKPOINT_FORMAT:
        raise UserError(f"{path} was written by a newer Studio", "update Studio to open it")
    return data


def load_run_model(run_dir: str | os.PathLike[str], which: str = "best"):
    """(Project, GraphModule with the run's weights, in eval mode, on the CPU) for explain and export."""
    from studio.core.graph.compile import compile_graph

    run = Path(run_dir)
    project_file = run / "project.json"
    if not project_file.is_file():
        raise UserError(f"{run} is not a run folder (no project.json)", "pass a folder written by `studio train`")
    project = load_project(project_file)
    data = load_checkpoint(run, which)
    model = compile_graph(project.graph)
    missing, unexpected = model.load_state_dict(data["model"], strict=False)
    if missing or unexpected:
        raise UserError(f"the weights in {run} do not match its project.json "
                        f"(missing {list(missing)[:3]}, unexpected {list(unexpected)[:3]})")
    model.eval()
    return project, model
