"""Where a command may write, and what to say when the disk will not take it.

A mistyped `--out` must never cost a user their work, so every command that writes files goes
through the same two rules:

1. It never replaces a file it did not create in the same call unless asked to (`--force` for
   export, `--overwrite` for train). Asked to replace, it moves the old file aside first and
   restores it if the new one cannot be written, so a failed export loses nothing either.
2. It never writes over a run folder's own files (project.json, checkpoint.pt, best.pt,
   metrics.jsonl, run.json, diagnostics.json of a folder that holds a run), not even with
   `--force`: only training itself (`--resume`) changes a run. Paths are resolved first, so
   `RUN/exports/../best.pt` or a symbolic link into a run is caught the same way.

Writing errors (a full disk, a read-only or foreign folder) become a `WriteError`, a `UserError`
whose one-line message names the path and the cause ("no space left on ...", "cannot write to
... (permission denied)") instead of an OSError traceback or a wrong diagnosis.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from studio.core.errors import UserError
from studio.core.train.run_layout import RECORD, RunLayout

DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})
NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class WriteError(UserError):
    """A file could not be written (disk full, read-only, no permission); `errno` says which."""

    def __init__(self, message: str, fix: str | None, code: int | None, path: Path):
        super().__init__(message, fix)
        self.errno = code
        self.path = path

    @property
    def disk_full(self) -> bool:
        return self.errno in DISK_FULL


class OutputExists(UserError):
    """The output is already there and replacing it was not asked for; `path` is the one in the way."""

    def __init__(self, message: str, fix: str | None, path: Path):
        super().__init__(message, fix)
        self.path = path


def resolve(path: str | os.PathLike[str]) -> Path:
    """The absolute path with `..` and symbolic links resolved (what a write would really touch)."""
    return Path(path).expanduser().resolve()


def _run_file_error(shown: str | os.PathLike[str], target: Path, option: str) -> UserError:
    return UserError(f"{option} {shown} is {target.name} of the run folder {target.parent}; "
                     "a run's own files are never written over",
                     f"write somewhere else, e.g. {RunLayout(target.parent).exports / ('model' + target.suffix)}")


def check_new_output(path: str | os.PathLike[str], force: bool = False, option: str = "--out",
                     how_to_replace: str = "add --force to replace it") -> Path:
    """The resolved `path` if a command may write a new file there; else a one-line UserError.

    Refused: a file of a run folder (always), a folder, and an existing file unless `force`.
    """
    target = resolve(path)
    if target.name in RECORD and RunLayout(target.parent).holds_run():
        raise _run_file_error(path, target, option)
    if target.is_dir():
        raise UserError(f"{option} {path} is a folder, not a file", "give a file name inside it")
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputExists(f"{option} {path} already exists", f"choose a new name, or {how_to_replace}", target)
    return target


def check_new_folder(path: str | os.PathLike[str], force: bool = False, option: str = "--out",
                     how_to_replace: str = "add --force to write into it") -> Path:
    """The resolved `path` if a command may fill it with new files: a new or empty folder, or with
    `force` any folder that is not a run folder."""
    target = resolve(path)
    if target.exists() and not target.is_dir():
        raise UserError(f"{option} {path} is a file, not a folder", "choose a new folder name")
    if RunLayout(target).holds_run():
        raise UserError(f"{option} {path} is a run folder; writing into it would replace the run's own files",
                        f"write somewhere else, e.g. {RunLayout(target).exports / 'state'}")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputExists(f"{option} {path} already exists and is not empty",
                           f"choose a new folder, or {how_to_replace}", target)
    return target


def ensure_writable_dir(folder: str | os.PathLike[str]) -> Path:
    """Create `folder` if needed and prove a file can be made in it (as root, mode bits do not say)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".studio-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise write_error(exc, folder) from exc
    return folder


def _mount_point(path: Path) -> Path:
    p = path if path.exists() else next((q for q in path.parents if q.exists()), Path("/"))
    p = p.resolve()
    while not os.path.ismount(p) and p.parent != p:
        p = p.parent
    return p


def _free_bytes(path: Path) -> int | None:
    p = next((q for q in (path, *path.parents) if q.exists()), None)
    try:
        return shutil.disk_usage(p).free if p is not None else None
    except OSError:
        return None


def _mb(n: int | float) -> str:
    mb = n / 1e6
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:,.0f} MB"


def write_error(exc: OSError, path: str | os.PathLike[str], needed_bytes: int | None = None) -> WriteError:
    """A one-line WriteError for an OSError met while writing `path` (its own filename wins)."""
    path = Path(exc.filename) if isinstance(getattr(exc, "filename", None), str) else Path(path)
    code = exc.errno
    if code in DISK_FULL:
        where = _mount_point(path)
        facts = []
        free = _free_bytes(path)
        if free is not None:
            facts.append(f"{_mb(free)} free")
        if needed_bytes:
            facts.append(f"about {_mb(needed_bytes)} needed")
        detail = f" ({', '.join(facts)})" if facts else ""
        return WriteError(f"no space left on {where} while writing {path}{detail}",
                          f"free some space on {where} or write to another disk", code, path)
    if code in NOT_WRITABLE:
        cause = "read-only file system" if code == errno.EROFS else "permission denied"
        return WriteError(f"cannot write to {path} ({cause})", "choose a folder you can write to", code, path)
    if code in (errno.ENOTDIR, errno.EEXIST):
        return WriteError(f"cannot write to {path} (a file is in the way of a folder on that path)",
                          "choose another path", code, path)
    cause = (exc.strerror or type(exc).__name__).lower()
    return WriteError(f"cannot write to {path} ({cause})", "check the path and the disk", code, path)


def as_write_error(exc: BaseException, path: str | os.PathLike[str], needed_bytes: int | None = None) -> WriteError | None:
    """The WriteError behind `exc` when it (or its cause) is an OSError from writing, else None.

    Libraries that write files (the ONNX and TorchScript exporters) wrap or replace the OSError;
    when they do, a probe of the folder (and of its free space) tells a disk problem from a model
    problem.
    """
    seen = exc
    for _ in range(5):
        if isinstance(seen, WriteError):
            return seen
        if isinstance(seen, OSError) and seen.errno is not None:
            return write_error(seen, path, needed_bytes)
        seen = seen.__cause__ or seen.__context__
        if seen is None:
            break
    folder = Path(path).parent
    try:
        ensure_writable_dir(folder)
    except WriteError as problem:
        return problem
    free = _free_bytes(folder)
    text = str(exc).lower()
    if (needed_bytes and free is not None and free < needed_bytes) or "no space left" in text:
        return write_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), path, needed_bytes)
    return None


class NewOutputs:
    """Guard the files one command writes: check them all first, set aside what `force` replaces,
    and on failure remove what was half written and put the old files back.

        with NewOutputs([out, out.with_suffix(".pt")], force) as guard:
            write(out) ...

    An OSError inside becomes a WriteError naming the path.
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], force: bool = False, option: str = "--out",
                 how_to_replace: str = "add --force to replace it", needed_bytes: int | None = None):
        self.paths = [check_new_output(p, force, option, how_to_replace) for p in paths]
        self.needed_bytes = needed_bytes
        self._aside: dict[Path, Path] = {}

    def __enter__(self) -> NewOutputs:
        for path in self.paths:
            ensure_writable_dir(path.parent)
        try:
            for path in self.paths:
                if path.exists() or path.is_symlink():
                    aside = path.with_name(f".{path.name}.replaced-{secrets.token_hex(4)}")
                    os.replace(path, aside)
                    self._aside[path] = aside
        except OSError as exc:
            self._restore()
            raise write_error(exc, self.paths[0]) from exc
        return self

    def _restore(self) -> None:
        for path in self.paths:
            if path not in self._aside:
                with contextlib.suppress(OSError):
                    path.unlink()
        for path, aside in self._aside.items():
            with contextlib.suppress(OSError):
                os.replace(aside, path)
        self._aside.clear()

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            for aside in self._aside.values():
                with contextlib.suppress(OSError):
                    aside.unlink()
            return False
        self._restore()
        if isinstance(exc, Exception) and not isinstance(exc, WriteError):
            problem = as_write_error(exc, self.paths[0], self.needed_bytes)
            if problem is not None:
                raise problem from exc
        return False


def prepare_run_dir(path: str | os.PathLike[str], overwrite: bool = False) -> Path | None:
    """Make `path` ready for a new training run; returns where old files were moved, if any.

    A missing or empty folder is fine. A non-empty one is refused unless `overwrite`, which moves
    it aside whole to `NAME.replaced-YYYYmmdd-HHMMSS` next to it (nothing is deleted).
    """
    target = Path(path)
    resolved = resolve(target)
    if resolved.exists() and not resolved.is_dir():
        raise UserError(f"--out {path} is a file, not a run folder", "choose a new folder name for --out")
    if resolved.is_dir() and any(resolved.iterdir()):
        what = "a training run" if RunLayout(resolved).holds_run() else "files"
        if not overwrite:
            raise UserError(f"--out {path} already holds {what}",
                            f"choose a new --out, continue it with --resume {path}, "
                            "or add --overwrite to move the old files aside")
        aside = resolved.with_name(f"{resolved.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while aside.exists():
            n += 1
            aside = resolved.with_name(f"{resolved.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        try:
            os.rename(resolved, aside)
        except OSError as exc:
            raise write_error(exc, resolved) from exc
        return aside
    return None  # the trainer creates the folder (and names it if it cannot)
