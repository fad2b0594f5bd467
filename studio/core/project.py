"""The project file (`*.studio.json`): load, save (atomic), migrate.

A project is versioned JSON holding the graph, the data config and the training config; the format
is documented in docs/project-format.md. Two promises matter to users:

* a save never leaves a half-written file: we write a temporary file next to the target, flush and
  fsync it, then rename it over the target (rename is atomic on POSIX and Windows);
* a file we cannot read (corrupt, of the wrong shape, or written by a newer Studio) raises
  `ProjectError` with a one-line message naming the JSON path of the first problem and the fix, and
  nothing here ever writes over it.

The shape of the document is declared as a JSON Schema in `studio.core.project_schema`; the values
of the training and data sections are declared key by key (`studio.core.train.config.SETTINGS`,
`DATA_SETTINGS` below). Saving keeps the file's permissions (`studio.core.atomic`).
"""

from __future__ import annotations

import copy
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.atomic import atomic_write_text
from studio.core.checks import Setting
from studio.core.errors import UserError
from studio.core.graph.model import Graph
from studio.core.project_schema import first_problem
from studio.core.train.config import RunOptions, TrainConfig

__all__ = ["DATA_SETTINGS", "FORMAT_VERSION", "MAX_DEPTH", "SUFFIX", "Project", "ProjectError", "atomic_write_text",
           "dumps", "load_project", "loads", "migrate", "save_project"]

FORMAT_VERSION = 2
"""2 added the graph's networks (a GAN's generator and discriminator); version-1 files are migrated on reading."""
SUFFIX = ".studio.json"

DEFAULT_DATA: dict[str, Any] = {"dataset": "digits", "options": {}, "val_fraction": 0.2, "augment": {}}
DATA_SETTINGS: dict[str, Setting] = {
    "val_fraction": Setting("number", 0, 1, lo_open=True, hi_open=True, example=0.2),
    "split_seed": Setting("integer", 0, example=0),
    "normalize": Setting("bool"),
}
"""Values of the data section checked on load and by the dataset loader (its shape is in the schema)."""
MAX_DEPTH = 100
"""Lists and objects nested deeper than this are refused: a project is a few levels deep, and a
pathological file must not reach the recursion limit of json, copy or the schema validator."""
DEFAULT_TRAINING: dict[str, Any] = {key: value for key, value in TrainConfig().to_dict().items()
                                    if key in ("optimizer", "lr", "batch_size", "epochs", "seed", "device")}
"""The training keys a new project's file spells out (the ones a user looks for first); their values
are `TrainConfig`'s defaults, and every key left out of a file takes its default there too."""


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
    def from_dict(cls, data: dict[str, Any], source: str = "project", check: bool = True) -> Project:
        """Build a project from a file's dict; with `check` (the default) refuse one of the wrong
        shape or with a bad training/data value, naming the first problem (see `validate`)."""
        data = migrate(data, source)
        if check:
            validate(data, source)
        try:
            graph = Graph.from_dict(data.get("graph") or {})
        except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise ProjectError(f"{source}: the graph section is malformed ({exc})",
                               "open it in a text editor or restore a backup") from exc
        known = {"format_version", "name", "description", "graph", "data", "training"}
        merged_data = copy.deepcopy(DEFAULT_DATA)
        merged_training = copy.deepcopy(DEFAULT_TRAINING)
        try:  # only reached with a bad shape when jsonschema is absent (see project_schema)
            merged_data.update(data.get("data") or {})
            merged_training.update(data.get("training") or {})
        except (TypeError, ValueError) as exc:
            raise ProjectError(f"{source}: the data or training section is not an object ({exc})",
                               "open it in a text editor or restore a backup") from exc
        return cls(
            name=str(data.get("name") or "Untitled"),
            description=str(data.get("description") or ""),
            graph=graph,
            data=merged_data,
            training=merged_training,
            extra={k: v for k, v in data.items() if k not in known},
        )

    def copy(self) -> Project:
        # An in-memory project was checked when it was read; its values are checked again where used.
        return Project.from_dict(self.to_dict(), check=False)


def _too_deep(document: Any) -> bool:
    """Whether lists/objects nest deeper than MAX_DEPTH (iterative: deep input must not recurse)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _nested_too_deeply(source: str) -> ProjectError:
    return ProjectError(f"{source} is nested too deeply (more than {MAX_DEPTH} levels of lists and objects)",
                        "the file is damaged or not a Studio project; restore it from a backup")


def validate(data: dict[str, Any], source: str = "project") -> None:
    """Refuse a document that is not a project's shape, or whose training or data values are bad.

    The message names the JSON path of the first problem, e.g. "p.studio.json: graph.nodes must
    be a list (got a string): write ...". Unknown keys are allowed everywhere (kept on save).
    """
    if _too_deep(data):
        raise _nested_too_deeply(source)
    problem = first_problem(data)
    if problem is not None:
        raise ProjectError(f"{source}: {problem.message}", problem.fix)
    training, section = data.get("training", {}), data.get("data", {})
    try:
        if isinstance(training, dict):
            TrainConfig.from_dict(training)
            RunOptions.from_dict(training)
        if isinstance(section, dict):
            for key, setting in DATA_SETTINGS.items():
                if key in section:
                    setting.check(f"data.{key}", section[key])
    except UserError as exc:
        raise ProjectError(f"{source}: {exc.message}", exc.fix) from exc


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
    for step in range(version, FORMAT_VERSION):
        data = MIGRATIONS[step](data)
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 lets a graph declare several networks (`graph.networks`, `node.network`). A
    version-1 graph is one network, which version 2 writes by declaring none: nothing else
    changes, so the migrated project trains, checks and exports exactly as before. The caller's
    dict is not changed (the file on disk is rewritten only when the user saves)."""
    migrated = dict(data)
    migrated["format_version"] = 2
    return migrated


MIGRATIONS = {1: _v1_to_v2}
"""MIGRATIONS[v] turns a version-v document into version v + 1."""


def dumps(project: Project) -> str:
    return json.dumps(project.to_dict(), indent=2, sort_keys=False) + "\n"


def loads(text: str, source: str = "project") -> Project:
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise _nested_too_deeply(source) from exc
    except json.JSONDecodeError as exc:
        raise ProjectError(
            f"{source} is corrupt: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "restore it from a backup or the autosave; the file was left untouched",
        ) from exc
    return Project.from_dict(data, source)


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(mode):
        raise ProjectError(f"{path} is not a regular file (it is a {_file_kind(mode)})",
                           "pass the path of a saved *.studio.json file")


def _read_regular_file(path: Path) -> str:
    """The file's text; anything that is not a regular file (a FIFO, a device, a folder) is refused
    before a byte is read, so a named pipe cannot hang the command and /dev/zero cannot fill memory."""
    _refuse_special(path, os.stat(path).st_mode)
    # O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        _refuse_special(path, os.fstat(fh.fileno()).st_mode)
        return fh.read().decode("utf-8")


def _file_kind(mode: int) -> str:
    for test, word in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return word
    return "special file"


def load_project(path: str | os.PathLike[str]) -> Project:
    path = Path(path)
    try:
        text = _read_regular_file(path)
    except FileNotFoundError as exc:
        raise ProjectError(f"project file {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise ProjectError(f"{path} is a folder, not a project file") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path} is corrupt: not UTF-8 text",
                           "restore it from a backup; the file was left untouched") from exc
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from exc
    project = loads(text, source=str(path))
    if project.graph.weights:  # an imported model's weights file, named relative to the project
        from studio.core.graph.importers.weights import resolve

        project.graph.weights = resolve(project.graph.weights, path.parent)
    return project


def save_project(project: Project, path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if project.graph.weights:  # written relative when it lies next to the project
        from studio.core.graph.importers.weights import relative

        project = project.copy()
        project.graph.weights = relative(project.graph.weights, path.parent)
    atomic_write_text(path, dumps(project))
    return path
