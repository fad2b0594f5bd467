"""Atomic file replacement that keeps the file's permissions.

Readers must see the old file or the new one, never a mix: we write a temporary file next to the
target, flush and fsync it, then rename it over the target (rename is atomic on POSIX and Windows).

`tempfile.mkstemp` would create that temporary file with mode 0600, and the rename would then turn a
project that a group or the web server could read (0644, 0640) into one only its owner can read.
So the temporary file is created with `os.open(..., 0o666)`, which the kernel narrows by the umask
exactly as for any new file, and when a file is being replaced its own mode is copied over first.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, empty, uniquely named file next to `path`, with the umask-derived mode for new files."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {path}")


def _keep_mode(tmp: Path, path: Path) -> None:
    """Give the temporary file the mode of the file it replaces (if there is one)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_replace(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write in full; on success it is fsynced and renamed over `path`.

    On any failure (including KeyboardInterrupt) the temporary file is removed and `path` is left
    as it was. Used for project files, summaries and checkpoints (`torch.save(data, tmp)`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path)
    os.close(fd)
    try:
        _keep_mode(tmp, path)
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix."""
    with atomic_replace(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` (UTF-8) to `path` so that readers see the old file or the new one, never a mix."""
    atomic_write_bytes(path, text.encode("utf-8"))
