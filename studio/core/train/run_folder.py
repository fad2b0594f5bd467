"""A run folder: what one training run leaves behind, written and read back (docs/training.md).

Its files are named in `run_layout`. The metrics log is appended and flushed line by line, the
summary rewritten atomically at each epoch and at the end. Checkpoints hold only tensors, numbers,
strings, lists and dicts so they load with `torch.load(path, weights_only=True)` (vetted by
`studio.core.export.checkpoint`): opening a run never executes code from the file.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from studio import __version__
from studio.core.atomic import atomic_replace
from studio.core.errors import UserError
from studio.core.project import Project, atomic_write_text, dumps, load_project
from studio.core.safe_paths import as_write_error, write_error
from studio.core.train.run_layout import CHECKPOINT_FORMAT, CHECKPOINT_KEY, RunLayout


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
    """Writes one run's files. Metrics are appended and flushed per line, so a killed run keeps them.

    Every write that fails (a full disk, a folder made read-only) raises a `WriteError` naming the
    file, and leaves what was there: checkpoints and the summary are replaced atomically, and a
    metrics line that did not fit is cut off again so metrics.jsonl stays whole JSON lines.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.layout = RunLayout(self.path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(exc, self.path) from exc
        self._metrics: int | None = None

    def write_project(self, project: Project) -> None:
        text = dumps(project)
        try:
            atomic_write_text(self.layout.project, text)
        except OSError as exc:
            raise write_error(exc, self.layout.project, len(text)) from exc

    def append(self, event: dict[str, Any]) -> None:
        """One line, written straight to the file (no buffer a crash could lose). On a write error
        the file is cut back to where the line began, so no torn line is left for the next one."""
        data = (json_line(event) + "\n").encode("utf-8")
        try:
            if self._metrics is None:
                flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
                self._metrics = os.open(self.layout.metrics, flags, 0o666)
                _drop_torn_tail(self._metrics)
            start = os.lseek(self._metrics, 0, os.SEEK_END)
        except OSError as exc:
            raise write_error(exc, self.layout.metrics, len(data)) from exc
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._metrics, view):]
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(self._metrics, start)
            raise write_error(exc, self.layout.metrics, len(data)) from exc

    def close(self) -> None:
        if self._metrics is not None:
            with contextlib.suppress(OSError):
                os.close(self._metrics)
            self._metrics = None

    def save_checkpoint(self, which: str, payload: dict[str, Any]) -> Path:
        """Save atomically (temp file + rename) so a crash mid-save leaves the previous checkpoint.

        torch.save writes through a Python file object here, so a full disk raises an OSError with its
        errno (given a path, torch's C++ writer only says "unexpected pos"); torch may still wrap it in a
        RuntimeError when it closes the archive, which `as_write_error` looks through."""
        target = self.layout.best if which == "best" else self.layout.last
        data = {CHECKPOINT_KEY: CHECKPOINT_FORMAT, "studio_version": __version__, **payload}
        try:
            with atomic_replace(target) as tmp:  # keeps checkpoint.pt's mode (mkstemp would make it 0600)
                with open(tmp, "wb") as fh:
                    torch.save(data, fh)
        except Exception as exc:  # torch's zip writer may replace the OSError by a RuntimeError of its own
            problem = as_write_error(exc, target, _tensor_bytes(data))
            if problem is None:
                raise
            raise problem from exc
        return target

    def write_summary(self, summary: dict[str, Any]) -> None:
        text = json.dumps(_json_safe(summary), indent=2) + "\n"
        try:
            atomic_write_text(self.layout.summary, text)
        except OSError as exc:
            raise write_error(exc, self.layout.summary, len(text)) from exc


def _drop_torn_tail(fd: int) -> None:
    """Cut a half-written last line (the process was killed mid-write) before appending to the log,
    so a resumed run's first event does not end up glued onto it and unreadable."""

    def read_at(offset: int, n: int) -> bytes:
        os.lseek(fd, offset, os.SEEK_SET)  # O_APPEND writes still go to the end whatever the position
        return os.read(fd, n)

    size = os.lseek(fd, 0, os.SEEK_END)
    if size == 0 or read_at(size - 1, 1) == b"\n":
        return
    pos = size
    while pos > 0:
        start = max(0, pos - 65536)
        newline = read_at(start, pos - start).rfind(b"\n")
        if newline >= 0:
            os.ftruncate(fd, start + newline + 1)
            return
        pos = start
    os.ftruncate(fd, 0)


def _tensor_bytes(value: Any) -> int:
    """Roughly how many bytes a checkpoint payload takes on disk (its tensors dominate)."""
    if isinstance(value, torch.Tensor):
        return value.numel() * value.element_size()
    if isinstance(value, dict):
        return sum(_tensor_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_tensor_bytes(v) for v in value)
    return 16


def read_metrics(run_dir: str | os.PathLike[str], max_points: int | None = None) -> list[dict[str, Any]]:
    """All complete events of a run; a torn last line (the run was killed mid-write) is skipped.

    With `max_points`, the file is streamed and its step curve decimated to at most that many
    points (`metrics_stream.read_metrics_decimated`): bounded memory for a run of millions of lines."""
    if max_points is not None:
        from studio.core.train.metrics_stream import read_metrics_decimated

        return read_metrics_decimated(run_dir, max_points)
    path = RunLayout(run_dir).metrics
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
    path = RunLayout(run_dir).summary
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is corrupt ({exc.msg})") from exc


def open_run_folder(run_dir: str | os.PathLike[str]) -> RunLayout:
    """The layout of a run folder that exists and holds its project snapshot, or the UserError saying
    which of these it is not (every way of opening a run says it in the same words)."""
    layout = RunLayout(run_dir)
    run = layout.path
    if not run.exists():
        raise UserError(f"run folder {run} does not exist", "pass the folder `studio train --out` wrote")
    if not run.is_dir():
        raise UserError(f"{run} is not a run folder (it is a file)", "pass the folder `studio train --out` wrote, not a file")
    if not layout.project.is_file():
        raise UserError(f"{run} is not a run folder (no {layout.project.name})", "pass a folder written by `studio train`")
    return layout


def load_run_project(run_dir: str | os.PathLike[str]) -> Project:
    """The project as the run trained it (its snapshot), from a folder `open_run_folder` accepts."""
    return load_project(open_run_folder(run_dir).project)


def checkpoint_file(run_dir: str | os.PathLike[str], which: str = "best") -> Path:
    """The file of a run that holds the `which` weights (`RunLayout.checkpoint`: best falls back to
    the last weights), or a UserError when the run has none yet."""
    layout = RunLayout(run_dir)
    if not layout.path.is_dir():
        raise UserError(f"run folder {layout.path} does not exist", "pass a folder written by `studio train`")
    path = layout.checkpoint(which)
    if path is None:
        missing = f"{layout.best.name} or {layout.last.name}" if which == "best" else layout.last.name
        raise UserError(f"run folder {layout.path} has no {missing}",
                        f"train the project first ({layout.last.name} is written each epoch)")
    return path


def load_checkpoint(run_dir: str | os.PathLike[str], which: str = "best") -> dict[str, Any]:
    """The checkpoint dict of a run ("best" or "last", see `checkpoint_file`), loaded safely
    (weights_only=True) on the CPU and vetted: a corrupt, foreign, unsafe or newer file is refused
    with its own message (`studio.core.export.checkpoint`)."""
    from studio.core.export.checkpoint import load_studio_checkpoint

    return load_studio_checkpoint(checkpoint_file(run_dir, which))


def model_from_checkpoint(project: Project, checkpoint: dict[str, Any], run_dir: str | os.PathLike[str]):
    """The run's graph compiled with the checkpoint's weights, in eval mode, on the CPU."""
    from studio.core.graph.compile import compile_graph

    model = compile_graph(project.graph)
    missing, unexpected = model.load_state_dict(checkpoint["model"], strict=False)
    if missing or unexpected:
        raise UserError(f"the weights in {run_dir} do not match its project.json "
                        f"(missing {list(missing)[:3]}, unexpected {list(unexpected)[:3]})")
    model.eval()
    return model


def load_run_model(run_dir: str | os.PathLike[str], which: str = "best"):
    """(Project, GraphModule with the run's weights, in eval mode, on the CPU) for explain and export."""
    project = load_run_project(run_dir)
    return project, model_from_checkpoint(project, load_checkpoint(run_dir, which), run_dir)


# --- is a run still going? -------------------------------------------------------------------------

def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state letter, start time in clock ticks) of a process from /proc (Linux), else None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rfind(")") + 2:].split()
    try:
        return rest[0], int(rest[19])
    except (IndexError, ValueError):
        return None


def process_identity() -> dict[str, Any]:
    """What run.json records of the training process while it runs, so a reader can tell a run that
    is going from one whose process was killed (pid plus its start time: pids are reused)."""
    stat = _proc_stat(os.getpid())
    return {"pid": os.getpid(), "host": socket.gethostname(), "pid_started": stat[1] if stat else None}


def _alive(pid: int, started: int | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: assume it runs
    stat = _proc_stat(pid) if sys.platform.startswith("linux") else None
    if stat is None:
        return True
    state, start = stat
    if state in ("Z", "X"):
        return False  # killed, only waiting for its parent to collect it
    return started is None or start == started


@dataclass(frozen=True)
class RunStatus:
    """How a run stands, for every place that shows it (Explain facts, run lists, the CLI)."""

    status: str
    """running, interrupted, finished, stopped, error, or unknown (no readable run.json)."""
    message: str
    fix: str | None
    summary: dict[str, Any]

    @property
    def resumable(self) -> bool:
        return self.status in ("interrupted", "stopped", "error")


def run_status(run_dir: str | os.PathLike[str]) -> RunStatus:
    """The run's status from run.json, where a "running" whose process is gone reads "interrupted".

    The trainer records its pid, host and process start time while it runs. On the same host a pid
    that no longer exists (or is now another process) means the run was killed without a word; on
    another host, or for a run.json without a pid, "running" is all that can be said.
    """
    run = Path(run_dir)
    try:
        summary = read_summary(run)
    except UserError as exc:
        return RunStatus("unknown", exc.message, "the run's files are still there; resume or re-train it", {})
    status = str(summary.get("status") or "") or "unknown"
    resume = f"resume it (studio train --resume {run}, or Resume run in the Train panel)"
    if status == "running":
        pid, host = summary.get("pid"), summary.get("host")
        if isinstance(pid, int) and host == socket.gethostname() and not _alive(pid, summary.get("pid_started")):
            return RunStatus("interrupted", f"the training process (pid {pid}) ended without finishing the run",
                             resume, summary)
        where = f" on {host}" if host and host != socket.gethostname() else ""
        return RunStatus("running", f"training now{where}", None, summary)
    if status == "error":
        error = summary.get("error") or {}
        return RunStatus("error", str(error.get("message") or "the run failed"), error.get("fix") or resume, summary)
    if status == "stopped":
        return RunStatus("stopped", "stopped with a checkpoint", resume, summary)
    if status == "finished":
        return RunStatus("finished", "finished", None, summary)
    return RunStatus(status, status, None, summary)


def checkpoint_loadable(run_dir: str | os.PathLike[str]) -> bool:
    """Whether checkpoint.pt looks whole, cheaply (no tensors read): a torch zip archive whose
    central directory is there. A file cut short by a kill or a full disk fails this."""
    import zipfile

    path = RunLayout(run_dir).last
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.endswith("data.pkl") for name in archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
