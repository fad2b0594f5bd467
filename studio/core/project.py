"""The project file (`*.studio.json`): load, save (atomic), migrate.

A project is versioned JSON holding the graph, the data config and the training config; the format
is documented in docs/project-format.md. Two promises matter to users:

* a save never leaves a half-written file: we write a temporary file next to the target, flush and
  fsync it, then rename it over the target (rename is atomic on POSIX and Windows);
* a file we cannot read (corrupt, or written by a newer Studio) raises `ProjectError` with a clear
  message, and nothing here ever writes over it.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import UserError
from studio.core.graph.model import Graph

FORMAT_VERSION = 1
SUFFIX = ".studio.json"

DEFAULT_DATA: dict[str, Any] = {"dataset": "digits", "options": {}, "val_fraction": 0.2, "augment": {}}
DEFAULT_TRAINING: dict[str, Any] = {
    "optimizer": "adam",
    "lr": 1e-3,
    "batch_size": 64,
    "epochs": 10,
    "seed": 0,
    "device": "auto",
}


class ProjectError(UserError):
    """A project file that cannot be opened as it is; the message says why and what to do."""


@dataclass
class Project:
    """A user's project: the graph plus how to feed and train it."""

    name: str = "Untitled"
    description: str = ""
    graph: Graph = field(default_factory=Graph)
    data: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULT_DATA))
    training: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULT_TRAINING))
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys of the file we do not know; kept so that a round trip loses nothing."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "description": self.description,
            "graph": self.graph.to_dict(),
            "data": copy.deepcopy(self.data),
            "training": copy.deepcopy(self.training),
        }
        for key, value in self.extra.items():
            out.setdefault(key, copy.deepcopy(value))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "project") -> Project:
        data = migrate(data, source)
        try:
            graph = Graph.from_dict(data.get("graph") or {})
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ProjectError(f"{source}: the graph section is malformed ({exc})",
                               "open it in a text editor or restore a backup") from exc
        known = {"format_version", "name", "description", "graph", "data", "training"}
        merged_data = copy.deepcopy(DEFAULT_DATA)
        merged_data.update(data.get("data") or {})
        merged_training = copy.deepcopy(DEFAULT_TRAINING)
        merged_training.update(data.get("training") or {})
        return cls(
            name=str(data.get("name") or "Untitled"),
            description=str(data.get("description") or ""),
            graph=graph,
            data=merged_data,
            training=merged_training,
            extra={k: v for k, v in data.items() if k not in known},
        )

    def copy(self) -> Project:
        return Project.from_dict(self.to_dict())


def migrate(data: Any, source: str = "project") -> dict[str, Any]:
    """Bring an older file's dict up to FORMAT_VERSION; refuse newer or foreign files."""
    if not isinstance(data, dict):
        raise ProjectError(f"{source} is not a Studio project (expected a JSON object)")
    version = data.get("format_version")
    if not isinstance(version, int):
        raise ProjectError(f"{source} is not a Studio project (no integer format_version)")
    if version > FORMAT_VERSION:
        raise ProjectError(
            f"{source} was written by a newer Studio (format {version}; this one reads up to {FORMAT_VERSION})",
            "update Studio to open it; the file was left untouched",
        )
    if version < 1:
        raise ProjectError(f"{source} has an unknown format_version {version}")
    # Version 1 is the first format; future migrations go here, one step per version.
    return data


def dumps(project: Project) -> str:
    return json.dumps(project.to_dict(), indent=2, sort_keys=False) + "\n"


def loads(text: str, source: str = "project") -> Project:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(
            f"{source} is corrupt: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "restore it from a backup or the autosave; the file was left untouched",
        ) from exc
    return Project.from_dict(data, source)


def load_project(path: str | os.PathLike[str]) -> Project:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProjectError(f"project file {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise ProjectError(f"{path} is a folder, not a project file") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path} is corrupt: not UTF-8 text",
                           "restore it from a backup; the file was left untouched") from exc
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from exc
    return loads(text, source=str(path))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_project(project: Project, path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    atomic_write_text(path, dumps(project))
    return path
