"""The user's own data: an image folder (one sub-folder per class) and a CSV table."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.errors import UserError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}


def _path_option(name: str, options: dict[str, Any], key: str) -> Path:
    value = options.get(key)
    if not value:
        raise UserError(f"dataset '{name}' needs option {key}", f"set data.options.{key} to a path")
    return Path(str(value)).expanduser()


def load_folder(options: dict[str, Any]) -> RawDataset:
    """Images in ROOT/<class>/*.png; every image is resized to `image_size` and given `channels`."""
    from PIL import Image

    root = _path_option("folder", options, "root")
    if not root.is_dir():
        raise UserError(f"dataset 'folder': {root} is not a folder", "set data.options.root to a folder of class folders")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise UserError(f"dataset 'folder': {root} has {len(classes)} class sub-folder(s)",
                        "make one sub-folder per class (at least 2) holding its images")
    files: list[tuple[Path, int]] = []
    for index, cls in enumerate(classes):
        for path in sorted((root / cls).rglob("*")):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                files.append((path, index))
    if not files:
        raise UserError(f"dataset 'folder': no images found under {root}",
                        f"put images ({', '.join(sorted(IMAGE_SUFFIXES))}) in the class folders")
    size = int(options.get("image_size", 64))
    channels = options.get("channels")
    if channels is None:
        with Image.open(files[0][0]) as first:
            channels = 1 if first.mode in ("L", "1", "I;16", "I") else 3
    channels = int(channels)
    if channels not in (1, 3):
        raise UserError(f"dataset 'folder': channels must be 1 or 3, not {channels}")
    mode = "L" if channels == 1 else "RGB"
    x = np.empty((len(files), size, size, channels), dtype=np.uint8)
    for i, (path, _) in enumerate(files):
        try:
            with Image.open(path) as img:
                img = img.convert(mode).resize((size, size), Image.BILINEAR)
                x[i] = np.asarray(img).reshape(size, size, channels)
        except OSError as exc:
            raise UserError(f"dataset 'folder': cannot read image {path} ({exc})",
                            "remove or replace the file") from exc
    tensor = torch.from_numpy(x).permute(0, 3, 1, 2).float().div_(255.0).contiguous()
    labels = torch.tensor([c for _, c in files], dtype=torch.long)
    return RawDataset(
        name="folder", task="classification", input_kind="image", x=tensor, y={"label": labels},
        targets={"label": TargetInfo("class", len(classes))}, class_names=classes,
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def load_csv(options: dict[str, Any]) -> RawDataset:
    """A table with a header row: numeric feature columns and one target column.

    The target is a class (label) when it is text or a whole number with few distinct values,
    otherwise a value to regress; `task` can force "classification" or "regression".
    """
    path = _path_option("csv", options, "path")
    if not path.is_file():
        raise UserError(f"dataset 'csv': file {path} does not exist", "set data.options.path to a CSV file")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
    if len(rows) < 3:
        raise UserError(f"dataset 'csv': {path} has fewer than 2 data rows", "add a header row and data rows")
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    target_col = str(options.get("target", header[-1]))
    if target_col not in header:
        raise UserError(f"dataset 'csv': column {target_col!r} is not in {path}",
                        f"set data.options.target to one of {', '.join(header)}")
    t_index = header.index(target_col)
    for n, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise UserError(f"dataset 'csv': {path} line {n} has {len(row)} fields, the header has {len(header)}")
    features = [i for i in range(len(header)) if i != t_index]
    x = np.empty((len(body), len(features)), dtype=np.float32)
    for n, row in enumerate(body, start=2):
        for j, i in enumerate(features):
            cell = row[i].strip()
            if not _is_number(cell):
                raise UserError(f"dataset 'csv': {path} line {n}, column {header[i]!r} is not a number ({cell!r})",
                                "feature columns must be numeric; encode text columns or drop them")
            x[n - 2, j] = float(cell)
    raw_target = [row[t_index].strip() for row in body]
    task = options.get("task")
    numeric = all(_is_number(v) for v in raw_target)
    if task is None:
        whole = numeric and all(float(v).is_integer() for v in raw_target)
        task = "classification" if (not numeric or (whole and len(set(raw_target)) <= 20)) else "regression"
    if task == "classification":
        keys = sorted(set(raw_target), key=lambda v: (float(v), v) if numeric else (0.0, v))
        index = {k: i for i, k in enumerate(keys)}
        y = {"label": torch.tensor([index[v] for v in raw_target], dtype=torch.long)}
        targets = {"label": TargetInfo("class", len(keys))}
        names = keys
    elif task == "regression":
        if not numeric:
            raise UserError(f"dataset 'csv': target column {target_col!r} is not numeric, so it cannot be regressed",
                            "set data.options.task to classification")
        y = {"target": torch.tensor([[float(v)] for v in raw_target], dtype=torch.float32)}
        targets = {"target": TargetInfo("value", shape=(1,))}
        names = []
    else:
        raise UserError(f"dataset 'csv': unknown task {task!r}", "use classification or regression")
    return RawDataset(
        name="csv", task=str(task), input_kind="table", x=torch.from_numpy(x), y=y, targets=targets,
        class_names=names, notes=f"features: {', '.join(header[i] for i in features)}",
    )
