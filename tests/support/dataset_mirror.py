"""A dataset mirror on 127.0.0.1 for download tests: real HTTP, no internet.

`DatasetMirror(folder)` serves `folder` (laid out <dataset>/<file>, as $STUDIO_DATASETS_URL expects)
from a ThreadingHTTPServer in a thread. `cut_after` sends only that many bytes of every GET while
promising the whole file (a connection that breaks off); `seconds_per_chunk` slows the copy so a
GUI test can see and cancel a download in progress.

`write_mnist_files(folder)` writes four small but real idx .gz files and returns their md5s, so a
test can stand them in for the published checksums of `vision_download.SOURCES`.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import struct
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np

MNIST_NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        server = self.server
        if server.cut_after is not None:
            outputfile.write(source.read(server.cut_after))  # promise the whole file, send part, hang up
            return
        while chunk := source.read(16 * 1024):
            outputfile.write(chunk)
            if server.seconds_per_chunk:
                time.sleep(server.seconds_per_chunk)


class DatasetMirror:
    def __init__(self, folder: Path, cut_after: int | None = None, seconds_per_chunk: float = 0.0):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
        self.server.cut_after, self.server.seconds_per_chunk = cut_after, seconds_per_chunk
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def md5(path: Path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def _idx(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.tobytes()


def write_mnist_files(folder: Path, n_train: int = 300, n_test: int = 60, seed: int = 0) -> dict[str, str]:
    """Four idx .gz files in `folder` (random pixels, labels i % 10); {name: md5}. The images are
    noise, so gzip hardly shrinks them: the train file is ~235 kB, many chunks of progress."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    arrays = {
        MNIST_NAMES[0]: rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        MNIST_NAMES[1]: (np.arange(n_train) % 10).astype(np.uint8),
        MNIST_NAMES[2]: rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        MNIST_NAMES[3]: (np.arange(n_test) % 10).astype(np.uint8),
    }
    for name, array in arrays.items():
        (folder / name).write_bytes(gzip.compress(_idx(array), mtime=0))
    return {name: md5(folder / name) for name in MNIST_NAMES}
