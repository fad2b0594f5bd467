"""Downloading MNIST / CIFAR-10's standard files (issue 16): real HTTP from a mirror on 127.0.0.1.

No test reaches the internet: `DatasetMirror` serves small but real idx / CIFAR files under
$STUDIO_DATASETS_URL. Where a test wants the download to succeed, the published md5s are replaced
by the served files' own (the table is data; the download, check and rename are the real ones);
where it wants a corrupted file, the real published md5s stay and the served bytes fail them.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import tarfile
import threading

import numpy as np
import pytest
from dataset_mirror import MNIST_NAMES, DatasetMirror, md5, write_mnist_files

from studio.core.data import load_dataset, vision_download
from studio.core.data.vision_download import URL_ENV, PublishedFile, download_vision
from studio.core.downloads import ChecksumMismatch, DownloadCancelled
from studio.core.errors import UserError


@pytest.fixture
def served(tmp_path):
    """A mirror folder holding mnist/<the four files>; yields (folder, {name: md5})."""
    folder = tmp_path / "mirror"
    return folder, write_mnist_files(folder / "mnist")


@pytest.fixture
def mirror(monkeypatch):
    started = []

    def start(folder, **kwargs):
        server = DatasetMirror(folder, **kwargs)
        started.append(server)
        monkeypatch.setenv(URL_ENV, server.url)
        return server

    yield start
    for server in started:
        server.close()


def _publish(monkeypatch, name, md5s):
    """As if the served files were the published ones: the table's md5s become theirs."""
    source = vision_download.SOURCES[name]
    files = tuple(PublishedFile(f.name, md5s[f.name]) for f in source.files)
    members = tuple(PublishedFile(f.name, md5s[f.name]) for f in source.members)
    archive = PublishedFile(source.archive.name, md5s[source.archive.name]) if source.archive else None
    monkeypatch.setitem(vision_download.SOURCES, name, dataclasses.replace(
        source, files=files, members=members, archive=archive))


def _left_in(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_table_is_torchvisions_files_and_md5s():
    from torchvision import datasets

    for name, cls in [("mnist", datasets.MNIST), ("fashion_mnist", datasets.FashionMNIST)]:
        source = vision_download.SOURCES[name]
        assert [(f.name, f.md5) for f in source.files] == [tuple(r) for r in cls.resources]
        assert list(source.mirrors) == list(cls.mirrors)
    cifar = vision_download.SOURCES["cifar10"]
    tv = datasets.CIFAR10
    assert cifar.mirrors[0] + cifar.archive.name == tv.url and cifar.archive.md5 == tv.tgz_md5
    published = [tuple(x) for x in tv.train_list + tv.test_list] + [(tv.meta["filename"], tv.meta["md5"])]
    assert [(f.name, f.md5) for f in cifar.members] == published
    assert cifar.folder == tv.base_folder


def test_mnist_downloads_with_progress_to_100_percent_and_loads(served, mirror, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, "mnist", md5s)
    mirror(folder)
    seen = []
    root = tmp_path / "data"
    out = download_vision("mnist", root, progress=lambda name, done, total: seen.append((name, done, total)))

    total = sum((folder / "mnist" / n).stat().st_size for n in MNIST_NAMES)
    assert out == root / "MNIST" / "raw" and _left_in(out) == sorted(MNIST_NAMES)  # no temporary file left
    assert all(md5(out / n) == md5s[n] for n in MNIST_NAMES)
    assert seen[-1][1:] == (total, total), "progress reaches 100 %"
    assert all(t == total for _, _, t in seen), "the total is known from the start (HEAD requests)"
    dones = [d for _, d, _ in seen]
    assert dones == sorted(dones) and dones[0] == 0 and any(0 < d < total for d in dones)
    bundle = load_dataset({"dataset": "mnist", "options": {"root": str(root)}})
    assert (bundle.n_train, bundle.n_val, bundle.input_shape) == (300, 60, (1, 28, 28))

    # offline now: the files are there, nothing is asked of the network
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:9")
    assert download_vision("mnist", root) == out


def test_the_loaders_download_option_fetches_through_the_same_checked_path(served, mirror, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, "fashion_mnist", {n: md5s[n] for n in MNIST_NAMES})
    (folder / "fashion_mnist").symlink_to(folder / "mnist")
    mirror(folder)
    bundle = load_dataset({"dataset": "fashion_mnist", "options": {"root": str(tmp_path / "d"), "download": True}})
    assert bundle.n_train == 300 and bundle.class_names[0] == "T-shirt/top"


def test_a_file_that_fails_its_published_md5_is_named_and_nothing_is_left(served, mirror, tmp_path):
    folder, _ = served
    mirror(folder)  # the real published md5s: the served (made-up) files cannot match them
    root = tmp_path / "data"
    with pytest.raises(ChecksumMismatch) as err:
        download_vision("mnist", root)
    text = err.value.one_line()
    assert "train-images-idx3-ubyte.gz does not match its published md5 f68b3c2dcbeaaa9fbdd348bbdeb94873" in text
    assert _left_in(root / "MNIST" / "raw") == []


def test_an_existing_file_is_never_overwritten(served, mirror, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, "mnist", md5s)
    mirror(folder)
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / MNIST_NAMES[0]).write_bytes(b"my own file")
    with pytest.raises(ChecksumMismatch, match="is already there but does not match"):
        download_vision("mnist", tmp_path / "data")
    assert (raw / MNIST_NAMES[0]).read_bytes() == b"my own file"
    # a good copy already there is kept as it is and the rest is fetched
    (raw / MNIST_NAMES[0]).unlink()
    good = (folder / "mnist" / MNIST_NAMES[1]).read_bytes()
    (raw / MNIST_NAMES[1]).write_bytes(good)
    before = (raw / MNIST_NAMES[1]).stat().st_mtime_ns
    download_vision("mnist", tmp_path / "data")
    assert (raw / MNIST_NAMES[1]).stat().st_mtime_ns == before and _left_in(raw) == sorted(MNIST_NAMES)


def test_offline_names_the_url_and_where_to_put_the_files(monkeypatch, tmp_path):
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(UserError, match="seems offline") as err:
        download_vision("mnist", tmp_path)
    text = err.value.one_line()
    assert "http://127.0.0.1:9/mnist/train-images-idx3-ubyte.gz" in text
    assert f"put them in {tmp_path / 'MNIST' / 'raw'}" in text
    assert _left_in(tmp_path / "MNIST" / "raw") == []


def test_a_connection_that_breaks_off_leaves_nothing(served, mirror, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, "mnist", md5s)
    mirror(folder, cut_after=5000)
    with pytest.raises(UserError, match="stopped after 5,000 of|broke off"):
        download_vision("mnist", tmp_path)
    assert _left_in(tmp_path / "MNIST" / "raw") == []


def test_cancel_stops_between_chunks_and_leaves_nothing(served, mirror, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, "mnist", md5s)
    mirror(folder)
    cancel = threading.Event()

    def progress(name, done, total):
        if done > 50_000:
            cancel.set()

    with pytest.raises(DownloadCancelled, match="MNIST files download was cancelled"):
        download_vision("mnist", tmp_path, progress=progress, cancel=cancel)
    assert _left_in(tmp_path / "MNIST" / "raw") == []


def _cifar_archive(path):
    """A small cifar-10-python.tar.gz in the real layout, plus a member that tries to escape."""
    rng = np.random.default_rng(2)
    members = {}
    for name in ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]:
        n = 8
        members[name] = pickle.dumps({"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8), "labels": list(range(n))})
    members["batches.meta"] = pickle.dumps({"label_names": ["plane", "car", "bird", "cat", "deer", "dog", "frog",
                                                            "horse", "ship", "truck"]})
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("../escaped", b"x")]:
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    md5s = {name: __import__("hashlib").md5(data).hexdigest() for name, data in members.items()}
    return {**md5s, path.name: md5(path)}


def test_cifar_archive_is_checked_and_only_its_batch_files_are_taken_out(mirror, monkeypatch, tmp_path):
    served = tmp_path / "mirror"
    md5s = _cifar_archive(served / "cifar10" / "cifar-10-python.tar.gz")
    _publish(monkeypatch, "cifar10", md5s)
    mirror(served)
    root = tmp_path / "data"
    seen = []
    folder = download_vision("cifar10", root, progress=lambda n, d, t: seen.append(d / t))
    assert seen[-1] == 1.0
    assert _left_in(folder) == sorted(f.name for f in vision_download.SOURCES["cifar10"].members)
    assert not (tmp_path / "data" / "escaped").exists() and not (tmp_path / "escaped").exists()
    bundle = load_dataset({"dataset": "cifar10", "options": {"root": str(root)}})
    assert (bundle.n_train, bundle.n_val) == (40, 8) and bundle.class_names[1] == "car"
