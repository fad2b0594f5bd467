"""Real faulty disks for the fault tests: a tiny tmpfs that fills up, a folder that refuses writes.

A real file system is the honest test of "disk full" and "read-only": the kernel returns ENOSPC or
EROFS from the very write call the code makes, wherever it makes it. Mounting needs root (or
CAP_SYS_ADMIN); where it is not allowed the fixture skips and says so, and the monkeypatched
variants in the same test files still cover the code paths.

Tests run as root here, and root ignores mode bits: `chmod 0o555` does not stop root from writing,
so a read-only folder is a tmpfs mounted read-only (and for a non-root user, a plain chmod).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True, text=True, timeout=20)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip() or 'mount failed'}); "
                    "the monkeypatched variant covers this path")


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=20)


@contextlib.contextmanager
def small_disk(target: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` KiB mounted at `target` for the duration."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the monkeypatched variant covers this path")
    _mount(target, f"size={size_kb}k,mode=0777")
    try:
        yield target
    finally:
        _umount(target)


def fill(disk: Path, leave_kb: int) -> None:
    """Fill `disk` with a filler file so that about `leave_kb` KiB stay free."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    size = max(0, free - leave_kb * 1024)
    with open(disk / "filler.bin", "wb") as fh:
        fh.write(b"\0" * size)


@contextlib.contextmanager
def read_only_dir(target: Path) -> Iterator[Path]:
    """A folder no file can be created in, even by root: a read-only tmpfs (chmod for non-root)."""
    if os.geteuid() != 0:
        target.mkdir(parents=True, exist_ok=True)
        target.chmod(0o555)
        try:
            yield target
        finally:
            target.chmod(0o755)
        return
    _mount(target, "ro,size=64k")
    try:
        yield target
    finally:
        _umount(target)


def hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (relative names), to prove nothing changed."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
