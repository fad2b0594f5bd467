"""The user's own data: an image folder (one sub-folder per class) and a CSV table."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.data.images import check_dataset_memory, header_size, open_user_image, parse_image_size
from studio.core.errors import UserError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}
DEFAULT_IMAGE_SIZE = 64
"""The side every image of a folder is stretched to when the project sets no `image_size`."""
SIZE_SAMPLE = 256
"""Images per class whose size `mixed_size_warning` reads (all of them in a smaller class)."""


@dataclass(frozen=True)
class DataWarning:
    """Something about a data set that loads but should be looked at (it trains; maybe not as meant)."""

    message: str
    fix: str

    def one_line(self) -> str:
        return f"{self.message}: {self.fix}"

    def to_dict(self) -> dict[str, str]:
        return {"message": self.message, "fix": self.fix}


def _path_option(name: str, options: dict[str, Any], key: str) -> Path:
    value = options.get(key)
    if not value:
        raise UserError(f"dataset '{name}' needs option {key}", f"set data.options.{key} to a path")
    return Path(str(value)).expanduser()


def _channels(options: dict[str, Any]) -> int | None:
    value = options.get("channels")
    if value is None:
        return None
    if isinstance(value, bool) or str(value).strip() not in ("1", "3"):
        raise UserError(f"dataset 'folder': option channels={value!r} must be 1 or 3",
                        "set data.options.channels to 1 (grey) or 3 (RGB), or leave it out to follow the first image")
    return int(str(value).strip())


def _class_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _images_of(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]


def _spread(items: list[Path], most: int) -> list[Path]:
    """At most `most` of `items`, evenly spaced, the first and the last among them."""
    if len(items) <= most:
        return items
    step = (len(items) - 1) / (most - 1)
    return [items[round(i * step)] for i in range(most)]


def mixed_size_warning(options: dict[str, Any]) -> DataWarning | None:
    """A warning naming two images of different sizes when the folder's images are not all one size and
    the project sets no `image_size`: each would be stretched to the default square without the user
    having chosen it (a 640×480 photo and a 100×300 scan squashed alike). None when the sizes agree,
    `image_size` is set (resizing is then the user's choice), or the folder does not load (the loader
    says why). Reads only the files' headers, of at most `SIZE_SAMPLE` images per class spread over
    the class (about 0.2 ms each: `studio check` stays quick on a folder of 60000 pictures), and
    stops at the first size that differs.
    """
    if options.get("image_size") is not None or not options.get("root"):
        return None
    root = Path(str(options["root"])).expanduser()
    if not root.is_dir():
        return None
    first: tuple[Path, tuple[int, int]] | None = None
    for cls in _class_folders(root):
        for path in _spread(_images_of(root / cls), SIZE_SAMPLE):
            size = header_size(path)
            if size is None:
                continue
            if first is None:
                first = (path, size)
            elif size != first[1]:
                (a, (aw, ah)), (bw, bh) = first, size
                side = DEFAULT_IMAGE_SIZE
                return DataWarning(
                    f"dataset 'folder': the images in {root} are not all one size: {a.relative_to(root)} is "
                    f"{aw}×{ah}, {path.relative_to(root)} is {bw}×{bh}",
                    f"set Image size (data.options.image_size) to the size they should all have; until you do, "
                    f"each is stretched to the default {side}×{side}")
    return None


def load_folder(options: dict[str, Any]) -> RawDataset:
    """Images in ROOT/<class>/*.png; every image is resized to `image_size` and given `channels`.

    Every file goes through `open_user_image`, so a broken, truncated or gigantic picture is named
    in the error; the decoded size is checked against the machine's memory before anything is
    allocated (`image_size` 100000 would ask for hundreds of GiB). Images of different sizes load
    (each is resized); `mixed_size_warning` says so when no `image_size` was chosen.
    """
    from PIL import Image

    root = _path_option("folder", options, "root")
    if not root.is_dir():
        raise UserError(f"dataset 'folder': {root} is not a folder", "set data.options.root to a folder of class folders")
    classes = _class_folders(root)
    if len(classes) < 2:
        loose = [p for p in sorted(root.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
        where = (f" ({len(loose)} images such as {loose[0].name} lie in it directly, outside any class folder)"
                 if loose else "")
        raise UserError(f"dataset 'folder': {root} has {len(classes)} class sub-folder(s){where}",
                        "make one sub-folder per class (at least 2) holding its images")
    files: list[tuple[Path, int]] = []
    empty: list[str] = []
    for index, cls in enumerate(classes):
        found = _images_of(root / cls)
        files.extend((p, index) for p in found)
        if not found:
            empty.append(cls)
    if files and empty:  # a class no example can teach (all of them empty: the message below)
        raise UserError(f"dataset 'folder': class folder {root / empty[0]} holds no images",
                        f"put images ({', '.join(sorted(IMAGE_SUFFIXES))}) into {empty[0]}/, or remove the folder")
    if not files:
        raise UserError(f"dataset 'folder': no images found under {root}",
                        f"put images ({', '.join(sorted(IMAGE_SUFFIXES))}) in the class folders")
    raw_size = options.get("image_size", DEFAULT_IMAGE_SIZE)
    height, width = parse_image_size(raw_size, "folder")
    channels = _channels(options)
    first = None
    if channels is None:
        first = open_user_image(files[0][0])
        channels = 1 if first.mode in ("L", "LA", "1", "I;16", "I", "F") else 3
    shown = raw_size if isinstance(raw_size, (int, str)) else [height, width]
    check_dataset_memory("folder", len(files), channels, height, width, f"image_size {shown}",
                         "use a smaller image_size (e.g. 64)")
    mode = "L" if channels == 1 else "RGB"
    x = np.empty((len(files), height, width, channels), dtype=np.uint8)
    for i, (path, _) in enumerate(files):
        img = first if i == 0 and first is not None else open_user_image(path)
        try:
            img = img.convert(mode).resize((width, height), Image.Resampling.BILINEAR)
        except (ValueError, OSError) as exc:
            raise UserError(f"dataset 'folder': cannot convert image {path} to {mode} ({exc})",
                            "save it as an ordinary RGB or greyscale PNG or JPEG") from None
        x[i] = np.asarray(img).reshape(height, width, channels)
    first = None
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


_BOM = b"\xef\xbb\xbf"


def _read_text(path: Path, encoding: Any) -> str:
    """The file's text: UTF-8 (a byte-order mark, as Excel writes, is dropped) unless the project names
    another encoding. A file that is not UTF-8 is refused rather than guessed at: a guess would
    silently change the class names that runs, exports and explanations carry."""
    chosen = "utf-8" if encoding in (None, "") else str(encoding)
    try:
        codec = codecs.lookup(chosen).name
    except LookupError:
        raise UserError(f"dataset 'csv': option encoding={encoding!r} is not a text encoding Python knows",
                        "set data.options.encoding to e.g. utf-8, latin-1 or cp1252") from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"dataset 'csv': cannot read {path} ({exc.strerror or exc})", "check the file") from None
    skip = len(_BOM) if codec in ("utf-8", "utf-8-sig") and data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8" if codec == "utf-8-sig" else codec)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data.count(b"\n", 0, offset) + 1
        what = "UTF-8" if codec in ("utf-8", "utf-8-sig") else chosen
        raise UserError(f"dataset 'csv': {path} is not {what} text (byte 0x{data[offset]:02x} at offset {offset}, "
                        f"line {line})", "save it as UTF-8, or set data.options.encoding to the file's encoding "
                        "(e.g. latin-1 or cp1252)") from None


def load_csv(options: dict[str, Any]) -> RawDataset:
    """A table with a header row: numeric feature columns and one target column.

    The target is a class (label) when it is text or a whole number with few distinct values,
    otherwise a value to regress; `task` can force "classification" or "regression".
    """
    path = _path_option("csv", options, "path")
    if not path.is_file():
        raise UserError(f"dataset 'csv': file {path} does not exist", "set data.options.path to a CSV file")
    text = _read_text(path, options.get("encoding"))
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r and any(c.strip() for c in r)]
    except csv.Error as exc:
        raise UserError(f"dataset 'csv': {path} is not a CSV table ({exc})", "save it as comma-separated text") from None
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
