"""Run folders as the window and the commands open them: the one door to a trained run.

Explain shows a run's model, Export lists runs, the Train panel compares an earlier run's curves,
a run folder dropped on the window opens its project, `studio cam` and `studio diagnose` read one.
Each of them used to spell the folder's files and the best-or-last rule for itself; now they open
the run here and ask it. The names and the rule live in `studio.core.train.run_layout`, the reading
and the vetting in `run_folder` (so the core's own exporters share them); this module adds what a
session needs on top: one object per opened run that reads its project and each checkpoint once.

    run = RunStore().open("runs/digits-20250101-120000")  # UserError if it is not a run folder
    run.checkpoint_file("best")   # best.pt, or checkpoint.pt while there is no best yet
    run.checkpoint("best")        # the vetted dict (weights_only), read once per version of the file
    run.summary().status.status   # "finished", "interrupted" (its process is gone), ...
    run.metrics(2000)             # streamed, the step curve decimated to about 2000 points
    run.project                   # the project the run trained, as a Project

Nothing here imports Qt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.train.run_layout import RunLayout

if TYPE_CHECKING:  # the torch-heavy modules are imported when a run is read, not with this module
    from studio.core.explain.runs import ExplainRun
    from studio.core.project import Project
    from studio.core.train.run_folder import RunStatus


@dataclass(frozen=True)
class RunSummary:
    """What a run's run.json says, with a "running" whose process is gone read as "interrupted"."""

    status: RunStatus
    """Status, message, fix and whether it can be resumed."""
    project_name: str | None
    epochs_done: Any
    best_val_accuracy: float | None
    total_params: int | None
    dataset: dict[str, Any] = field(default_factory=dict)
    """How the training data was prepared (input shape, mean and std, class names)."""

    @property
    def record(self) -> dict[str, Any]:
        """run.json as written ({} when there is none or it cannot be read)."""
        return self.status.summary


class OpenRun:
    """One run folder, opened: its files by name, its project, weights, summary and curves.

    The project snapshot never changes once written and is read once. A checkpoint is read once per
    version of its file (path, inode, modification time and size): asking again for weights that
    training has since replaced (atomically: a new file) reads the new file."""

    def __init__(self, layout: RunLayout):
        self.layout = layout
        self._project: Project | None = None
        self._checkpoints: dict[tuple[Path, int, int, int], dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"OpenRun({str(self.path)!r})"

    @property
    def path(self) -> Path:
        return self.layout.path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def has_weights(self) -> bool:
        return self.layout.has_weights()

    @property
    def has_metrics(self) -> bool:
        return self.layout.metrics.is_file()

    @property
    def project(self) -> Project:
        """The project as the run trained it; a caller that edits it should edit a `.copy()`."""
        if self._project is None:
            from studio.core.project import load_project

            self._project = load_project(self.layout.project)
        return self._project

    def checkpoint_file(self, which: str = "best") -> Path:
        """best.pt for "best" (checkpoint.pt while there is no best yet), checkpoint.pt for "last";
        a UserError when the run has no such weights."""
        from studio.core.train.run_folder import checkpoint_file

        return checkpoint_file(self.path, which)

    def checkpoint(self, which: str = "best") -> dict[str, Any]:
        """The checkpoint dict, loaded with weights_only=True on the CPU and vetted (a corrupt,
        foreign, unsafe or newer file is refused with its own message). Shared: read, do not change it."""
        from studio.core.export.checkpoint import load_studio_checkpoint

        file = self.checkpoint_file(which)
        stat = file.stat()
        version = (file, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if version not in self._checkpoints:
            data = load_studio_checkpoint(file)
            self._checkpoints = {k: v for k, v in self._checkpoints.items() if k[0] != file}
            self._checkpoints[version] = data
        return self._checkpoints[version]

    def model(self, which: str = "best"):
        """A fresh copy of the run's network with the `which` weights, in eval mode, on the CPU."""
        from studio.core.train.run_folder import model_from_checkpoint

        return model_from_checkpoint(self.project, self.checkpoint(which), self.path)

    def explain(self, which: str = "best") -> ExplainRun:
        """The run as Explain and `studio cam` need it (`studio.core.explain.runs.ExplainRun`)."""
        from studio.core.explain.runs import ExplainRun

        return ExplainRun(self.path, self.project, self.model(which), dict(self.summary().dataset))

    def summary(self) -> RunSummary:
        """Read now: a run that is training rewrites its run.json at every epoch."""
        from studio.core.train.run_folder import run_status

        state = run_status(self.path)
        record = state.summary
        accuracy, params = record.get("best_val_accuracy"), record.get("total_params")
        dataset = record.get("dataset")
        return RunSummary(
            status=state, project_name=str(record["project"]) if record.get("project") else None,
            epochs_done=record.get("epochs_done"),
            best_val_accuracy=accuracy if isinstance(accuracy, (int, float)) else None,
            total_params=params if isinstance(params, int) else None,
            dataset=dict(dataset) if isinstance(dataset, dict) else {})

    def metrics(self, max_points: int | None = None) -> list[dict[str, Any]]:
        """The run's events, streamed from metrics.jsonl with the step curve decimated to at most
        `max_points` points (`metrics_stream.DEFAULT_MAX_POINTS` when None): bounded memory however
        long the run. A torn last line (the run was killed mid-write) is left out."""
        from studio.core.train.metrics_stream import DEFAULT_MAX_POINTS, read_metrics_decimated

        return read_metrics_decimated(self.path, DEFAULT_MAX_POINTS if max_points is None else max_points)

    def events(self) -> Iterator[dict[str, Any]]:
        """Every complete event of metrics.jsonl, one at a time (nothing is kept)."""
        from studio.core.train.metrics_stream import iter_events

        return iter_events(self.path)

    def modified(self) -> float:
        """When the run's weights last changed (the folder's time while it has none)."""
        times = [f.stat().st_mtime for f in (self.layout.best, self.layout.last) if f.exists()]
        return max(times, default=self.path.stat().st_mtime)


class RunStore:
    """The runs under some roots (runs/ folders), and the one way to open any run folder."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]] = ()):
        self.roots = [Path(root) for root in roots]

    def open(self, path: str | os.PathLike[str]) -> OpenRun:
        """The run in folder `path`; a UserError saying so when it is missing, a file, or holds no
        project.json."""
        from studio.core.train.run_folder import open_run_folder

        return OpenRun(open_run_folder(path))

    def run_at(self, path: str | os.PathLike[str]) -> OpenRun | None:
        """The trained run that `path` is, or is a file of (a dropped checkpoint or project.json);
        None when that folder has no project snapshot or no weights."""
        path = Path(path)
        layout = RunLayout(path if path.is_dir() else path.parent)
        return OpenRun(layout) if layout.has_weights() else None

    def runs(self, extra: Iterable[str | os.PathLike[str]] = ()) -> Iterator[OpenRun]:
        """The folders in `extra` and directly under the roots that hold a run's project snapshot or
        its curves, resolved, each once; a root that cannot be read is skipped. Trained or not: ask
        `has_weights` (to explain or export it) or `has_metrics` (to compare its curves)."""
        seen: set[Path] = set()
        for path in self._candidates(extra):
            resolved = path.resolve()
            layout = RunLayout(resolved)
            if resolved in seen or not (layout.project.is_file() or layout.metrics.is_file()):
                continue
            seen.add(resolved)
            yield OpenRun(layout)

    def _candidates(self, extra: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
        yield from (Path(p) for p in extra)
        for root in self.roots:
            try:
                children = [p for p in root.iterdir() if p.is_dir()]
            except OSError:
                continue
            yield from children
