"""MNIST, Fashion-MNIST and CIFAR-10 from their standard files, downloaded (md5-checked) when asked.

We read the files ourselves (idx for the MNISTs, the pickled batches for CIFAR-10) rather than
through torchvision's dataset classes: that keeps `studio train` working on a box with only torch and
numpy, and it reads small test fixtures written by the tests (torchvision's CIFAR class insists on
the official checksums). Missing files are fetched by `vision_download` (option download=true, or
the Data panel's Download button, which shows its progress).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.data.safe_unpickle import load_data_pickle
from studio.core.errors import UserError

FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                 "Ankle boot"]
CIFAR_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

# dataset name -> (torchvision class name, folder under root holding the files)
_SOURCES = {
    "mnist": ("MNIST", "MNIST/raw"),
    "fashion_mnist": ("FashionMNIST", "FashionMNIST/raw"),
    "cifar10": ("CIFAR10", "cifar-10-batches-py"),
}
_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def default_root() -> Path:
    """Where downloaded data sets live: $STUDIO_DATA, else ~/.cache/studio/datasets."""
    env = os.environ.get("STUDIO_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "studio" / "datasets"


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def read_idx(path: Path) -> np.ndarray:
    """Parse an idx file (the MNIST format): magic with dtype code and rank, big-endian dims, data."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        data = fh.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise UserError(f"{path} is not an idx file (bad magic number)", "replace it with the original file")
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if data[2] not in dtypes:
        raise UserError(f"{path}: unknown idx data type 0x{data[2]:02x}")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    offset = 4 + 4 * rank
    array = np.frombuffer(data, dtype=dtypes[data[2]], offset=offset)
    expected = int(np.prod(dims)) if dims else 1
    if array.size != expected:
        raise UserError(f"{path} is truncated ({array.size} values, header says {expected})",
                        "download it again")
    return array.reshape(dims)


def _missing(name: str, root: Path, folder: Path, files: list[str]) -> UserError:
    from studio.core.data.vision_download import by_hand

    return UserError(
        f"dataset '{name}' is not available offline: {', '.join(files)} not found in {folder}",
        f"press Download in the Data panel or set option download=true (needs a network), or "
        f"{by_hand(name, root)}",
    )


def _try_download(name: str, root: Path) -> None:
    """The standard files, md5-checked, from their mirrors (see `vision_download`)."""
    from studio.core.data.vision_download import download_vision

    download_vision(name, root)


def _limit(x: np.ndarray, y: np.ndarray, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    return (x[:limit], y[:limit]) if limit else (x, y)


def load_vision(name: str, options: dict[str, Any]) -> RawDataset:
    """Train on the training files; validate on the official test files."""
    root = Path(options.get("root") or default_root()).expanduser()
    folder = root / _SOURCES[name][1]
    download = bool(options.get("download", False))
    limit = options.get("limit")
    limit = int(limit) if limit else None
    if name == "cifar10":
        return _load_cifar(folder, root, download, limit)

    needed = [f for pair in _IDX_FILES.values() for f in pair]
    if any(_find(folder, f) is None for f in needed):
        if not download:
            raise _missing(name, root, folder, [f for f in needed if _find(folder, f) is None])
        _try_download(name, root)
    arrays = {}
    for split, (images, labels) in _IDX_FILES.items():
        x = read_idx(_find(folder, images))
        y = read_idx(_find(folder, labels))
        if x.ndim != 3 or y.ndim != 1 or x.shape[0] != y.shape[0]:
            raise UserError(f"dataset '{name}': {images} and {labels} in {folder} do not match "
                            f"(images {list(x.shape)}, labels {list(y.shape)})")
        arrays[split] = _limit(x, y, limit)
    names = FASHION_NAMES if name == "fashion_mnist" else [str(i) for i in range(10)]

    def to_x(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(a.astype(np.float32) / 255.0).unsqueeze(1)

    return RawDataset(
        name=name, task="classification", input_kind="image",
        x=to_x(arrays["train"][0]), y={"label": torch.from_numpy(arrays["train"][1].astype(np.int64))},
        x_val=to_x(arrays["test"][0]), y_val={"label": torch.from_numpy(arrays["test"][1].astype(np.int64))},
        targets={"label": TargetInfo("class", 10)}, class_names=names,
    )


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One pickled batch, read with the allow-list unpickler: a crafted file in a project's data
    root must not run code when the project trains, is diagnosed or is opened."""
    batch = load_data_pickle(path, "a CIFAR-10 batch file")
    try:
        data = np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(batch["labels"], dtype=np.int64)
    except (TypeError, KeyError, ValueError, IndexError) as exc:
        raise UserError(f"{path} is not a CIFAR-10 batch file (no 3x32x32 'data' with 'labels')",
                        "download it again") from exc
    if labels.shape != (data.shape[0],):
        raise UserError(f"{path} is not a CIFAR-10 batch file ({data.shape[0]} images, {labels.size} labels)",
                        "download it again")
    return data, labels


def _load_cifar(folder: Path, root: Path, download: bool, limit: int | None) -> RawDataset:
    train_files = [f"data_batch_{i}" for i in range(1, 6)]
    needed = [*train_files, "test_batch"]
    if not (folder / "test_batch").is_file() or not (folder / "data_batch_1").is_file():
        if not download:
            raise _missing("cifar10", root, folder, [f for f in needed if not (folder / f).is_file()])
        _try_download("cifar10", root)
    parts = [_read_cifar_batch(folder / f) for f in train_files if (folder / f).is_file()]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    xv, yv = _read_cifar_batch(folder / "test_batch")
    x, y = _limit(x, y, limit)
    xv, yv = _limit(xv, yv, limit)
    names = CIFAR_NAMES
    meta = folder / "batches.meta"
    if meta.is_file():
        info = load_data_pickle(meta, "a CIFAR-10 batches.meta file")
        label_names = info.get("label_names") if isinstance(info, dict) else None
        if isinstance(label_names, (list, tuple)) and len(label_names) == len(CIFAR_NAMES):
            names = [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in label_names]
    return RawDataset(
        name="cifar10", task="classification", input_kind="image",
        x=torch.from_numpy(x.astype(np.float32) / 255.0), y={"label": torch.from_numpy(y)},
        x_val=torch.from_numpy(xv.astype(np.float32) / 255.0), y_val={"label": torch.from_numpy(yv)},
        targets={"label": TargetInfo("class", 10)}, class_names=names,
    )
