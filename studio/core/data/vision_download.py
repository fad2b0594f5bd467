"""Downloading MNIST, Fashion-MNIST and CIFAR-10's standard files into a data root, checked by md5.

The files, their mirrors and their md5s are the ones torchvision's dataset classes publish
(torchvision.datasets.MNIST / FashionMNIST / CIFAR10 `resources`, `url`, `tgz_md5`, `train_list`,
`test_list`, `meta`); a test compares this table with the installed torchvision, so a typo cannot
hide. They are written here so that reading and downloading need neither torchvision's dataset
classes nor their quirks (they extract into place without checking each file first).

Where the files go is where `vision_files` reads them: <root>/MNIST/raw/*.gz (kept compressed: the
reader opens .gz), <root>/FashionMNIST/raw/*.gz, and for CIFAR-10 the archive
<root>/cifar-10-python.tar.gz (as torchvision keeps it) with its seven batch files taken out into
<root>/cifar-10-batches-py, each checked against its own md5 before it is renamed into place. Only
those named members are read from the archive, so a crafted archive cannot write elsewhere.

$STUDIO_DATASETS_URL points at a mirror instead (files under <mirror>/<dataset>/<file name>), which
is how the tests serve files from 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from studio.core import downloads
from studio.core.downloads import Checksum, ProgressFn
from studio.core.errors import UserError

URL_ENV = "STUDIO_DATASETS_URL"


@dataclass(frozen=True)
class PublishedFile:
    name: str
    md5: str

    @property
    def checksum(self) -> Checksum:
        return Checksum("md5", self.md5)


@dataclass(frozen=True)
class VisionSource:
    """Where one data set's files come from and where they go under the root."""

    dataset: str
    """The dataset's name in a project ("mnist")."""
    title: str
    folder: str
    """Under the root: where the loader reads the files."""
    mirrors: tuple[str, ...]
    """Base URLs, tried in order; a file is at mirror + name."""
    files: tuple[PublishedFile, ...] = ()
    """Downloaded as they are into `folder`."""
    archive: PublishedFile | None = None
    """Downloaded into the root, then `members` are taken out of it into `folder`."""
    members: tuple[PublishedFile, ...] = ()

    def needed(self) -> tuple[PublishedFile, ...]:
        return self.members if self.archive else self.files

    def urls(self) -> list[str]:
        names = [self.archive.name] if self.archive else [f.name for f in self.files]
        return [self.mirrors[0] + n for n in names]


_MNIST_MIRRORS = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/")

SOURCES: dict[str, VisionSource] = {
    "mnist": VisionSource("mnist", "MNIST", "MNIST/raw", _MNIST_MIRRORS, files=(
        PublishedFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        PublishedFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        PublishedFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        PublishedFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    )),
    "fashion_mnist": VisionSource("fashion_mnist", "Fashion-MNIST", "FashionMNIST/raw",
                                  ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",), files=(
        PublishedFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        PublishedFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        PublishedFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        PublishedFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    )),
    "cifar10": VisionSource("cifar10", "CIFAR-10", "cifar-10-batches-py", ("https://www.cs.toronto.edu/~kriz/",),
                            archive=PublishedFile("cifar-10-python.tar.gz", "c58f30108f718f92721af3b95e74349a"),
                            members=(
        PublishedFile("data_batch_1", "c99cafc152244af753f735de768cd75f"),
        PublishedFile("data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"),
        PublishedFile("data_batch_3", "54ebc095f3ab1f0389bbae665268c751"),
        PublishedFile("data_batch_4", "634d18415352ddfa80567beed471001a"),
        PublishedFile("data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"),
        PublishedFile("test_batch", "40351d587109b95175f43aff81a1287e"),
        PublishedFile("batches.meta", "5ff9c542aee3614f3951f8cda6e48888"),
    )),
}


def source_for(name: str) -> VisionSource:
    """`name`'s source, its mirrors replaced by $STUDIO_DATASETS_URL/<name>/ when that is set."""
    if name not in SOURCES:
        raise UserError(f"dataset '{name}' has no standard files to download", f"use one of {', '.join(SOURCES)}")
    source = SOURCES[name]
    mirror = os.environ.get(URL_ENV)
    if mirror:
        from dataclasses import replace

        source = replace(source, mirrors=(f"{mirror.rstrip('/')}/{name}/",))
    return source


def _present(folder: Path, file: PublishedFile) -> bool:
    """The loader's view: a .gz file counts when it or its unpacked form is there."""
    unpacked = file.name[:-3] if file.name.endswith(".gz") else None
    return (folder / file.name).is_file() or (unpacked is not None and (folder / unpacked).is_file())


def missing_files(name: str, root: Path) -> list[str]:
    """The names of `name`'s standard files not yet under `root` (empty: ready to load)."""
    source = source_for(name)
    folder = Path(root) / source.folder
    return [f.name for f in source.needed() if not _present(folder, f)]


def by_hand(name: str, root: Path) -> str:
    """Where to get the files and put them when this machine cannot download them."""
    source = source_for(name)
    root = Path(root)
    if source.archive is not None:
        return (f"download {source.archive.name} from {source.mirrors[0]} on a machine that is online and put it "
                f"in {root} (Download then unpacks it without a network), or unpack it there yourself")
    names = ", ".join(f.name for f in source.files)
    return (f"download {names} from {source.mirrors[0]} on a machine that is online and put them in "
            f"{root / source.folder}")


def _size(url: str) -> int:
    with urllib.request.urlopen(downloads.request(url, "HEAD"), timeout=downloads.TIMEOUT_S) as reply:
        length = reply.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else 0


def _from_mirrors(source: VisionSource, name: str, root: Path, attempt) -> object:
    """Run `attempt(base_url)` on each mirror in turn; the first mirror's failure is reported when all fail."""
    first: downloads.NetworkError | None = None
    for base in source.mirrors:
        try:
            with downloads.download_errors(f"{source.title} files", base + name, root,
                                           offline_fix=by_hand(source.dataset, root)):
                return attempt(base)
        except downloads.NetworkError as exc:
            first = first or exc
    assert first is not None
    raise first


def download_vision(name: str, root: Path, progress: ProgressFn | None = None,
                    cancel: threading.Event | None = None) -> Path:
    """Fetch `name`'s missing standard files into `root` (see the module doc); returns the folder the
    loader reads. Files already there are kept (checked first where they are the published ones)."""
    source = source_for(name)
    root = Path(root).expanduser()
    folder = root / source.folder
    what = f"{source.title} files"
    if not missing_files(name, root):
        if progress is not None:
            progress(source.needed()[-1].name, 1, 1)
        return folder
    if source.archive is not None:
        _download_archive(source, root, folder, progress, cancel, what)
        return folder
    for file in source.files:  # a file already under the published name must be the published one
        downloads.check_existing(folder / file.name, file.checksum)
    todo = [f for f in source.files if not _present(folder, f)]
    sizes = {f.name: _from_mirrors(source, f.name, root, lambda base, f=f: _size(base + f.name)) for f in todo}
    total = sum(sizes.values())
    done = 0
    for file in todo:
        done += _from_mirrors(source, file.name, root, lambda base, file=file, done=done: downloads.fetch_file(
            base + file.name, folder / file.name, file.checksum, done=done, total=total,
            expected_size=sizes[file.name], progress=progress, cancel=cancel, what=what)) or sizes[file.name]
    return folder


def _download_archive(source: VisionSource, root: Path, folder: Path, progress: ProgressFn | None,
                      cancel: threading.Event | None, what: str) -> None:
    archive = source.archive
    assert archive is not None
    target = root / archive.name
    if not downloads.check_existing(target, archive.checksum):
        size = _from_mirrors(source, archive.name, root, lambda base: _size(base + archive.name))
        _from_mirrors(source, archive.name, root, lambda base: downloads.fetch_file(
            base + archive.name, target, archive.checksum, total=size, expected_size=size, progress=progress,
            cancel=cancel, what=what))
    with downloads.download_errors(what, str(target), folder, offline_fix=by_hand(source.dataset, root)):
        _extract_members(source, target, folder, cancel, what)
    if progress is not None:
        progress(archive.name, 1, 1)


def _extract_members(source: VisionSource, archive: Path, folder: Path, cancel: threading.Event | None,
                     what: str) -> None:
    """Take each missing batch file out of the archive into `folder`, md5-checked, renamed into place."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, EOFError) as exc:
        raise UserError(f"{archive} is not a readable .tar.gz ({exc})", "remove it and download again") from None
    with tar:
        for file in source.members:
            target = folder / file.name
            if downloads.check_existing(target, file.checksum):
                continue
            if cancel is not None and cancel.is_set():
                raise downloads.DownloadCancelled(what)
            try:
                member = tar.getmember(f"{source.folder}/{file.name}")
            except KeyError:
                raise UserError(f"{archive} holds no {source.folder}/{file.name}",
                                "remove it and download again") from None
            reader = tar.extractfile(member) if member.isfile() else None
            if reader is None:
                raise UserError(f"{archive}: {source.folder}/{file.name} is not a plain file",
                                "remove it and download again")
            tmp = downloads.temporary_beside(target)
            try:
                digest = hashlib.md5()
                with reader, tmp.open("wb") as out:
                    while chunk := reader.read(downloads.CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                if not file.checksum.matches(digest.hexdigest()):
                    raise downloads.ChecksumMismatch(
                        f"{file.name} in {archive.name} does not match {file.checksum.describe()}; nothing was put "
                        f"in {folder}", f"remove {archive} and download again")
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
