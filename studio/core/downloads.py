"""Fetching a published file over HTTP: streamed, checked, and put in place whole or not at all.

One downloader for every file Studio fetches on the user's behalf (the Whisper model, the MNIST /
Fashion-MNIST / CIFAR-10 files, torchvision's pretrained weights), so each gets the same care:

* the bytes stream into a hidden temporary file in the target's own folder, so the final
  `os.replace` is an atomic rename on the same file system: a dropped connection, a cancel or a
  checksum mismatch never leaves a file under the real name;
* each file's size is checked against Content-Length, and its checksum (md5 or sha256, the whole
  digest or a published prefix such as torchvision's weight names carry) against the published one
  before it is renamed into place; a mismatch names the file and which checksum failed;
* `progress(name, done_bytes, total_bytes)` is called as bytes arrive and a `cancel` event stops the
  copy between two chunks;
* an existing file is never overwritten: one that matches its checksum is kept (nothing is fetched),
  one that does not is named in the message, for the user to remove.

`download_errors` turns what urllib, http.client and the disk raise into one-line `UserError`s that
say whether the machine looks offline (naming the URL), the server refused, the connection broke
off, or the folder cannot be written. No Qt here: the GUI runs these in a background job.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import UserError

ProgressFn = Callable[[str, int, int], None]
"""progress(file name, bytes done over the whole download, total bytes over the whole download)."""

CHUNK = 1 << 16
TIMEOUT_S = 30.0
USER_AGENT = "studio-download/1"


class DownloadCancelled(UserError):
    """The user stopped a download; nothing of it was left in place."""

    def __init__(self, what: str = "file", fix: str = "start it again when you want the files"):
        super().__init__(f"the {what} download was cancelled", fix)


class NetworkError(UserError):
    """Nothing (or not all) came from the server: offline, refused, broke off. Another mirror may do."""


class ChecksumMismatch(UserError):
    """The bytes are not the published file's (corrupted on the way, or a different file)."""


@dataclass(frozen=True)
class Checksum:
    """A published digest: `algorithm` is "md5" or "sha256"; `hexdigest` may be a prefix (torchvision
    names its weight files after the first 8 hex digits of their sha256)."""

    algorithm: str
    hexdigest: str

    def matches(self, digest: str) -> bool:
        want = self.hexdigest.lower()
        return digest.lower() == want if len(want) >= 32 else digest.lower().startswith(want)

    def describe(self) -> str:
        whole = len(self.hexdigest) >= 32
        return f"{'its published' if whole else 'the published prefix of its'} {self.algorithm} {self.hexdigest}"


def request(url: str, method: str = "GET") -> urllib.request.Request:
    return urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def stream(url: str, out: Path, *, name: str, expected_size: int = 0, done: int = 0, total: int = 0,
           progress: ProgressFn | None = None, cancel: threading.Event | None = None,
           what: str = "file", algorithms: tuple[str, ...] = ("sha256",)) -> tuple[int, dict[str, str], object]:
    """Copy `url` into `out` (created or truncated), hashing as it goes.

    Returns (bytes received, {algorithm: hexdigest}, the reply's headers). `done` and `total` place
    this file within a larger download for `progress`; a known `expected_size` (or the reply's
    Content-Length) that the bytes fall short of raises "stopped after".
    """
    digests = {a: hashlib.new(a) for a in algorithms}
    got = 0
    with urllib.request.urlopen(request(url), timeout=TIMEOUT_S) as reply, Path(out).open("wb") as fh:
        headers = reply.headers
        length = headers.get("Content-Length")
        if not expected_size and length and length.isdigit():
            expected_size = int(length)
        if progress is not None:
            progress(name, done, max(total, done + expected_size))
        while chunk := reply.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled(what)
            fh.write(chunk)
            for digest in digests.values():
                digest.update(chunk)
            got += len(chunk)
            if progress is not None:
                progress(name, done + got, max(total, done + expected_size, done + got))
    if expected_size and got != expected_size:
        raise NetworkError(f"the download of {name} stopped after {got:,} of {expected_size:,} bytes",
                        "check the connection and try again")
    return got, {a: d.hexdigest() for a, d in digests.items()}, headers


def temporary_beside(target: Path) -> Path:
    """A fresh hidden file in `target`'s folder (same file system, so the rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    return Path(tmp)


def check_existing(target: Path, checksum: Checksum | None) -> bool:
    """True when `target` is already the published file (keep it); False when it is absent. A file
    there that does not match is never overwritten: the user is told to remove it."""
    if not target.is_file():
        return False
    if checksum is None or checksum.matches(file_digest(target, checksum.algorithm)):
        return True
    raise ChecksumMismatch(f"{target} is already there but does not match {checksum.describe()}",
                           "remove or move it away, then download again")


def fetch_file(url: str, target: Path, checksum: Checksum | None = None, *, done: int = 0, total: int = 0,
               expected_size: int = 0, progress: ProgressFn | None = None, cancel: threading.Event | None = None,
               what: str = "file") -> int:
    """Download `url` to `target`, verified against `checksum` before it is renamed into place.

    Returns the bytes fetched (0 when a good copy was already there). On any failure the temporary
    file is removed and `target` is as it was.
    """
    target = Path(target)
    if check_existing(target, checksum):
        return 0
    tmp = temporary_beside(target)
    try:
        algorithms = (checksum.algorithm,) if checksum else ()
        got, digests, _ = stream(url, tmp, name=target.name, expected_size=expected_size, done=done, total=total,
                                 progress=progress, cancel=cancel, what=what, algorithms=algorithms)
        if checksum is not None and not checksum.matches(digests[checksum.algorithm]):
            raise ChecksumMismatch(f"the downloaded {target.name} does not match {checksum.describe()} "
                                   f"(got {digests[checksum.algorithm][:12]}…); nothing was put in {target.parent}",
                                   "try the download again; if it keeps failing, the server sends another file")
        os.chmod(tmp, 0o644)
        if target.exists():  # appeared meanwhile (another download): keep the one already there
            return 0
        os.replace(tmp, target)
        return got
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def download_errors(what: str, url: str, folder: Path, *, offline_fix: str,
                    server_fix: str = "check the address, or try again later",
                    disk_fix: str = "free some disk space, or choose a folder you can write") -> Iterator[None]:
    """Turn network and disk failures inside the block into one-line UserErrors about `what`."""
    try:
        yield
    except UserError:
        raise
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"the server answered {exc.code} for {exc.url} ({what})", server_fix) from None
    except http.client.HTTPException as exc:  # e.g. IncompleteRead: the connection dropped mid-file
        raise NetworkError(f"the {what} download broke off ({type(exc).__name__})",
                        "check the connection and try again") from None
    except urllib.error.URLError as exc:  # no route, refused, DNS: nothing reached the server
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise NetworkError(f"cannot download the {what} from {url} ({reason}); this machine seems offline",
                        offline_fix) from None
    except (TimeoutError, ConnectionError) as exc:  # the server went quiet or away mid-file
        raise NetworkError(f"the {what} download broke off ({type(exc).__name__})",
                        "check the connection and try again") from None
    except OSError as exc:  # the other side of the copy: our disk (full, read-only, not a folder)
        raise UserError(f"cannot write the {what} into {folder} ({exc.strerror or exc})", disk_fix) from None
