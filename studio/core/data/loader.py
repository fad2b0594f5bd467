"""`load_dataset(data_config)`: pick the source, split train/validation, compute normalisation."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import torch

from studio.core.data import builtin, sound, spoken_digits, text, user_files, vision_files
from studio.core.data.augment import validate_augment
from studio.core.data.bundle import DatasetBundle, RawDataset
from studio.core.data.detection_folder import load_detection_folder
from studio.core.data.shapes_multi import load_shapes_multi
from studio.core.errors import UserError
from studio.core.project import DATA_SETTINGS

LOADERS: dict[str, Callable[[dict[str, Any]], RawDataset]] = {
    "digits": builtin.load_digits,
    "shapes": builtin.load_shapes,
    "shapes_multi": load_shapes_multi,
    "sequence": builtin.load_sequence,
    "sine": builtin.load_sine,
    "mnist": lambda o: vision_files.load_vision("mnist", o),
    "fashion_mnist": lambda o: vision_files.load_vision("fashion_mnist", o),
    "cifar10": lambda o: vision_files.load_vision("cifar10", o),
    "folder": user_files.load_folder,
    "csv": user_files.load_csv,
    "text": text.load_text,
    "spoken_digits": spoken_digits.load_spoken_digits,
    "sound_folder": sound.load_sound_folder,
    "detection_folder": load_detection_folder,
}
ALIASES = {"fashion-mnist": "fashion_mnist", "fashionmnist": "fashion_mnist", "cifar-10": "cifar10", "image_folder": "folder"}


def dataset_names() -> list[str]:
    return list(LOADERS)


def data_warnings(data_config: dict[str, Any]) -> list[user_files.DataWarning]:
    """What about the project's data set works but should be looked at (an image folder of mixed
    sizes with no image size chosen), for `studio check`, `studio train` and the Data panel. Cheap
    (file headers at most) and never raises: a data set that does not load says why when loaded."""
    name = str((data_config or {}).get("dataset", "digits")).lower()
    options = dict((data_config or {}).get("options") or {})
    if ALIASES.get(name, name) != "folder":
        return []
    try:
        found = user_files.mixed_size_warning(options)
    except (OSError, ValueError, UserError):
        return []
    return [found] if found else []


def _split(raw: RawDataset, val_fraction: float, seed: int):
    if raw.x_val is not None:
        return raw.x, raw.y, raw.x_val, raw.y_val or {}
    n = int(raw.x.shape[0])
    if not 0.0 < val_fraction < 1.0:
        raise UserError(f"val_fraction {val_fraction} must be between 0 and 1 (exclusive)",
                        "use e.g. 0.2 to keep a fifth of the data for validation")
    n_val = max(1, int(round(n * val_fraction)))
    if n - n_val < 1:
        raise UserError(f"dataset '{raw.name}' has {n} samples: too few to split", "use more samples")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    val_idx, train_idx = order[:n_val], order[n_val:]
    return (raw.x[train_idx], {k: v[train_idx] for k, v in raw.y.items()},
            raw.x[val_idx], {k: v[val_idx] for k, v in raw.y.items()})


def _stat_shape(kind: str, x: torch.Tensor) -> tuple[tuple[int, ...], list[int]]:
    """Dims to reduce and the broadcast shape: per channel for images, per column for tables, one
    scalar for sequences (their features, e.g. image rows, share one scale)."""
    if kind == "image":
        shape = [1] * x.dim()
        shape[1] = -1
        return (0, *range(2, x.dim())), shape
    if kind == "table":
        return (0,), [1, -1]
    return tuple(range(x.dim())), [1] * x.dim()


def load_dataset(data_config: dict[str, Any]) -> DatasetBundle:
    """Load the dataset a project's `data` section names, split and normalised, on the CPU."""
    config = copy.deepcopy(data_config or {})
    name = str(config.get("dataset", "digits")).lower()
    name = ALIASES.get(name, name)
    if name not in LOADERS:
        raise UserError(f"unknown dataset {name!r}", f"use one of {', '.join(LOADERS)}")
    split = {k: DATA_SETTINGS[k].check(f"data.{k}", config[k]) for k in ("val_fraction", "split_seed") if k in config}
    options = dict(config.get("options") or {})
    if name == "text" and "val_fraction" in split:  # split by position inside the loader
        options.setdefault("val_fraction", split["val_fraction"])
    raw = LOADERS[name](options)
    augment = validate_augment(config.get("augment") or {}, raw.input_kind)
    x_train, y_train, x_val, y_val = _split(raw, split.get("val_fraction", 0.2), split.get("split_seed", 0))
    mean = std = None
    if raw.normalise and config.get("normalize", True) and x_train.is_floating_point():
        dims, shape = _stat_shape(raw.input_kind, x_train)
        mean_t = x_train.mean(dim=dims).reshape(-1)
        std_t = x_train.std(dim=dims).reshape(-1).clamp_min(1e-6)
        x_train = (x_train - mean_t.view(shape)).contiguous()
        x_train.div_(std_t.view(shape))
        x_val = ((x_val - mean_t.view(shape)) / std_t.view(shape)).contiguous()
        mean, std = mean_t.tolist(), std_t.tolist()
    return DatasetBundle(
        name=raw.name, task=raw.task, input_kind=raw.input_kind,
        x_train=x_train.contiguous(), y_train={k: v.contiguous() for k, v in y_train.items()},
        x_val=x_val.contiguous(), y_val={k: v.contiguous() for k, v in y_val.items()},
        targets=raw.targets, class_names=raw.class_names, mean=mean, std=std,
        vocab_size=raw.vocab_size, augment=augment, notes=raw.notes,
    )
