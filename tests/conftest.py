"""Suite-wide test set-up: GPU tests skip where there is no CUDA, and runs stay quiet and bounded.

Also `model_hub`: a real HTTP server on 127.0.0.1 that publishes a folder of model files the way the
Hugging Face hub does (Content-Length, the sha256 of model.bin as its ETag), with faults to order
(a connection dropped mid-file, a wrong published hash, a slow line). Tests point
STUDIO_WHISPER_URL at it: downloads are real, and nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import time
from functools import partial
from pathlib import Path

import pytest

# Keep test runs on a 2-core machine predictable: one intra-op thread pool, no oversubscription
# when several test processes (or a training worker) run at once.
# Two xdist workers on two cores: one thread each.
os.environ.setdefault("OMP_NUM_THREADS", "1" if os.environ.get("PYTEST_XDIST_WORKER") else "2")


def pytest_collection_modifyitems(config, items):
    _keep_sound_tests_on_one_worker(items)
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except Exception:  # torch missing or broken: GPU tests cannot run either
        has_cuda = False
    if has_cuda:
        return
    skip_gpu = pytest.mark.skip(reason="needs an NVIDIA GPU with CUDA (none here)")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)


def _keep_sound_tests_on_one_worker(items) -> None:
    """Under pytest-xdist (./test.sh runs two workers), every test that touches the sound system runs
    on the same worker, one after another: they share one PulseAudio daemon, and a worker that ends
    its session stops the daemon the other worker's microphone test is recording from."""
    for item in items:
        path = str(item.path)
        if "/audio/" in path or "virtual_mic" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(name="sound"))


@pytest.fixture(scope="session")
def virtual_mic():
    """A real (virtual) microphone: PulseAudio with a null sink and a virtual source made the default
    input (tests/support/virtual_mic.py), so tests record real speech through real PortAudio. Skips,
    saying why, where the system tools are missing."""
    import virtual_mic as vm

    missing = vm.missing_tools()
    if missing:
        pytest.skip(f"virtual microphone needs {', '.join(missing)} (apt-get install pulseaudio "
                    "pulseaudio-utils espeak-ng)")
    try:
        started = vm.start()
    except Exception as exc:  # e.g. no permission to run a sound server in this sandbox
        pytest.skip(f"could not start the PulseAudio virtual microphone: {exc}")
    yield vm
    if started:
        vm.stop()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


class _HubLikeHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.name == "model.bin":
            digests = self.server.digests  # hash each file once, not on every HEAD and GET
            if path not in digests:
                digests[path] = file_sha256(path)
            self.send_header("ETag", f'"{self.server.wrong_sha or digests[path]}"')
        super().end_headers()

    def copyfile(self, source, outputfile):
        server = self.server
        if self.path.endswith("model.bin") and server.cut_after is not None:
            outputfile.write(source.read(server.cut_after))  # promise the whole file, send part, hang up
            return
        if not server.seconds_per_chunk:
            return super().copyfile(source, outputfile)
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            time.sleep(server.seconds_per_chunk)


@pytest.fixture
def model_hub(monkeypatch):
    """start(folder, cut_after=None, wrong_sha=None, seconds_per_chunk=0.0) -> base URL (also set
    as STUDIO_WHISPER_URL)."""
    servers = []

    def start(folder: Path, cut_after: int | None = None, wrong_sha: str | None = None,
              seconds_per_chunk: float = 0.0) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_HubLikeHandler, directory=str(folder)))
        server.cut_after, server.wrong_sha, server.seconds_per_chunk = cut_after, wrong_sha, seconds_per_chunk
        server.digests = {}
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        monkeypatch.setenv("STUDIO_WHISPER_URL", url)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def whisper_base_files(tmp_path_factory):
    """The real Whisper-base files (joined once from the installed packages) for `model_hub` to serve."""
    from studio.core.audio.recognizers import whisper_model

    if whisper_model.packaged_model_parts() is None:
        pytest.skip("the offline Whisper packages are not installed, so there is nothing to serve")
    return whisper_model.join_packaged_model(tmp_path_factory.mktemp("hub") / "whisper-base")


@pytest.fixture
def no_model_online(monkeypatch, tmp_path):
    """A fresh machine with a network: no model packages, downloads allowed, an empty cache (returned).
    Hiding the installed packages is the one stand-in: uninstalling them mid-suite is not an option."""
    from studio.core.audio.recognizers import whisper_model

    monkeypatch.setattr(whisper_model, "packaged_model_parts", lambda: None)
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STUDIO_OFFLINE", raising=False)
    monkeypatch.delenv(whisper_model.MODEL_ENV, raising=False)
    return tmp_path / "cache"
