"""`detection_folder`: the user's own detection data, a folder of images with YOLO or COCO-JSON labels.

Two layouts, told apart by `format` (auto: YOLO when ROOT has images/ and labels/, else COCO when
ROOT holds one .json file, or ROOT is that file):

* YOLO: ROOT/images/**/NAME.png and ROOT/labels/**/NAME.txt at the same relative place, one line
  `class cx cy w h` per object, centre and size as fractions of the image side. An empty label
  file is an image with no objects. Class names come from ROOT/classes.txt (one name a line) or
  from the `names:` entry of a data.yaml written as plain text (`names: [a, b]`, a list of `- a`
  lines or `0: a` lines); the file is read as text, never run or loaded as YAML. Without a names
  file the classes are 0 .. the highest id seen, named by their numbers.
* COCO: one JSON file (read with the json module) with `images` (id, file_name), `annotations`
  (image_id, category_id, bbox [x, y, w, h] in pixels) and `categories` (id, name); the image files
  lie beside the JSON file or in an images/ folder next to it. Categories are numbered in the order
  of their ids. An image with no annotations has no objects.

Every image is resized to `image_size` (the boxes, fractions of the side, stay where they were) and
given `channels`. The targets are those of `shapes_multi`: `boxes` (N, M, 5) rows (class, x0, y0,
x1, y1), class -1 for padding, M the most objects of any image; and `count` (N,).

Bad input is named with its file and line (YOLO) or annotation (COCO), never a crash:

* a box that crosses the image's edge by more than rounding is CLIPPED to the image, and the data
  set's notes say how many were; a box wholly outside the image, or with no area, is refused;
* a line that is not five numbers, a class id that is not a whole number or not one of the
  classes, an annotation naming an unknown category: refused;
* an image without a label file (YOLO) is refused: an image with no objects needs an empty .txt,
  so a forgotten label file is not read as "nothing here"; a label file without an image is refused
  too (a misnamed image);
* an unreadable image: refused by `open_user_image`, naming the file.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.data.images import check_dataset_memory, open_user_image, parse_image_size
from studio.core.errors import UserError

NAME = "detection_folder"
FORMATS = ("auto", "yolo", "coco")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}
EDGE_TOLERANCE = 1e-3
"""How far (a fraction of the side) a corner may stray outside the image and count as rounding."""
NAMES_FILES = ("classes.txt", "classes.names", "obj.names", "data.yaml", "dataset.yaml")


def _fail(message: str, fix: str | None = None) -> UserError:
    return UserError(f"dataset '{NAME}': {message}", fix)


# --- class names ----------------------------------------------------------------------------

def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _names_from_yaml_text(path: Path, text: str) -> list[str]:
    """The `names:` of a YAML-like file, read as plain text: an inline [a, b] list, or the `- a` /
    `0: a` lines indented under it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^names\s*:\s*(.*)$", line.split("#", 1)[0].rstrip())
        if not m:
            continue
        rest = m.group(1).strip()
        if rest.startswith("["):
            if not rest.endswith("]"):
                raise _fail(f"{path} line {i + 1}: names list is not closed with ']'",
                            "write names: [circle, square] on one line")
            return [_unquote(p) for p in rest[1:-1].split(",") if p.strip()]
        if rest:
            raise _fail(f"{path} line {i + 1}: cannot read names {rest!r}",
                        "write names: [a, b] or one '- name' line per class under names:")
        names: dict[int, str] = {}
        listed: list[str] = []
        for j in range(i + 1, len(lines)):
            item = lines[j].split("#", 1)[0].rstrip()
            if not item.strip():
                continue
            if not item[:1].isspace():
                break
            item = item.strip()
            if item.startswith("-"):
                listed.append(_unquote(item[1:]))
                continue
            km = re.match(r"^(\d+)\s*:\s*(.+)$", item)
            if not km:
                raise _fail(f"{path} line {j + 1}: cannot read class name {item!r}",
                            "write '- name' or 'ID: name' lines under names:")
            names[int(km.group(1))] = _unquote(km.group(2))
        if names:
            if sorted(names) != list(range(len(names))):
                raise _fail(f"{path}: class ids under names: are {sorted(names)}, not 0 to {len(names) - 1}",
                            "number the classes 0, 1, 2, ... without gaps")
            return [names[k] for k in range(len(names))]
        return listed
    raise _fail(f"{path} has no names: entry", "add names: [a, b, ...] or use a classes.txt, one name a line")


def read_class_names(root: Path) -> tuple[list[str] | None, Path | None]:
    """The class names of a YOLO folder and the file they came from (None, None without one)."""
    for name in NAMES_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"cannot read {path} ({exc})", "save it as UTF-8 text") from None
        if path.suffix in (".yaml", ".yml"):
            names = _names_from_yaml_text(path, text)
        else:
            names = [line.strip() for line in text.splitlines() if line.strip()]
        if not names:
            raise _fail(f"{path} lists no class names", "write one class name a line")
        return names, path
    return None, None


# --- YOLO -------------------------------------------------------------------------------------

def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _corners(where: str, x0: float, y0: float, x1: float, y1: float, clipped: list[str]) -> list[float]:
    """The box clipped to the image (noted), or a refusal when nothing of it is inside."""
    if x1 <= x0 or y1 <= y0:
        raise _fail(f"{where}: the box has no area (x0, y0, x1, y1) = "
                    f"({x0:.4g}, {y0:.4g}, {x1:.4g}, {y1:.4g})", "give boxes a positive width and height")
    c = [min(max(v, 0.0), 1.0) for v in (x0, y0, x1, y1)]
    if c[2] <= c[0] or c[3] <= c[1]:
        raise _fail(f"{where}: the box lies wholly outside the image (x0, y0, x1, y1) = "
                    f"({x0:.4g}, {y0:.4g}, {x1:.4g}, {y1:.4g}), but coordinates are fractions of the image side "
                    "in [0, 1]", "fix or delete the line (pixel coordinates must be divided by the image size)")
    if any(abs(a - b) > EDGE_TOLERANCE for a, b in zip(c, (x0, y0, x1, y1), strict=True)):
        clipped.append(where)
    return c


def _yolo_rows(path: Path, num_classes: int | None, clipped: list[str]) -> list[list[float]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read label file {path} ({exc})", "save it as UTF-8 text") from None
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        parts = line.split()
        values = [_number(p) for p in parts]
        if len(parts) != 5 or any(v is None for v in values):
            raise _fail(f"{where} is not 'class cx cy w h' (five numbers): {line.strip()!r}",
                        "write one object a line: class id, then centre x, centre y, width, height as fractions")
        cls, cx, cy, w, h = values
        if cls != int(cls) or cls < 0:
            raise _fail(f"{where}: class {parts[0]!r} is not a whole number 0 or above", "use the class's index")
        if num_classes is not None and cls >= num_classes:
            raise _fail(f"{where}: class {int(cls)} is not one of the {num_classes} classes (0 to {num_classes - 1})",
                        "fix the label, or add the class to the names file")
        if w <= 0 or h <= 0:
            raise _fail(f"{where}: width and height must be above 0, not {parts[3]} {parts[4]}",
                        "give boxes a positive width and height")
        rows.append([cls, *_corners(where, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, clipped)])
    return rows


def _images_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _load_yolo(root: Path, clipped: list[str]) -> tuple[list[Path], list[list[list[float]]], list[str], str]:
    images_dir, labels_dir = root / "images", root / "labels"
    for d in (images_dir, labels_dir):
        if not d.is_dir():
            raise _fail(f"{root} has no {d.name}/ folder", "a YOLO folder holds images/ and labels/ side by side")
    images = _images_under(images_dir)
    if not images:
        raise _fail(f"no images found under {images_dir}", f"put images ({', '.join(sorted(IMAGE_SUFFIXES))}) there")
    names, _ = read_class_names(root)
    wanted = {(p.relative_to(images_dir).with_suffix(".txt")): p for p in images}
    for label in sorted(labels_dir.rglob("*.txt")):
        if label.relative_to(labels_dir) not in wanted:
            raise _fail(f"label file {label} has no image of the same name under {images_dir}",
                        "rename the image or the label file so their names match, or remove the label file")
    rows = []
    for image in images:
        label = labels_dir / image.relative_to(images_dir).with_suffix(".txt")
        if not label.is_file():
            raise _fail(f"image {image} has no label file {label}",
                        "add it; an image with no objects gets an empty .txt file")
        rows.append(_yolo_rows(label, len(names) if names else None, clipped))
    if names is None:
        top = max((int(r[0]) for image_rows in rows for r in image_rows), default=0)
        names = [str(i) for i in range(top + 1)]
    return images, rows, names, "yolo"


# --- COCO -------------------------------------------------------------------------------------

def _coco_file(root: Path) -> Path:
    if root.is_file():
        return root
    found = sorted(p for p in root.glob("*.json") if p.is_file())
    if len(found) != 1:
        raise _fail(f"{root} holds {len(found)} .json files: cannot tell which is the COCO annotations file"
                    + (f" ({', '.join(p.name for p in found)})" if found else ""),
                    "set data.options.root to the annotations .json file itself")
    return found[0]


def _pixel_size(path: Path) -> tuple[float, float]:
    """(width, height) of an image from its header; an unreadable file is named by open_user_image."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            width, height = im.size
    except Exception:  # Pillow raises many types for a bad file; open_user_image names it properly
        width, height = open_user_image(path).size
    return float(width), float(height)


def _load_coco(root: Path, clipped: list[str]) -> tuple[list[Path], list[list[list[float]]], list[str], str]:
    path = _coco_file(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise _fail(f"{path} line {exc.lineno} column {exc.colno} is not valid JSON ({exc.msg})",
                    "fix the file, or export the annotations again") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read {path} ({exc})", "check the file") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) for k in ("images", "annotations",
                                                                                     "categories")):
        raise _fail(f"{path} is not a COCO annotations file: it needs the lists images, annotations and categories")
    categories: dict[Any, str] = {}
    for i, cat in enumerate(data["categories"]):
        if not isinstance(cat, dict) or "id" not in cat:
            raise _fail(f"{path}: categories[{i}] has no id", "give each category an id and a name")
        categories[cat["id"]] = str(cat.get("name", cat["id"]))
    if not categories:
        raise _fail(f"{path} lists no categories", "add the classes to categories")
    try:
        ids = sorted(categories)
    except TypeError:
        raise _fail(f"{path}: category ids mix numbers and text", "give categories whole-number ids") from None
    index = {cid: k for k, cid in enumerate(ids)}
    base = path.parent
    images: list[Path] = []
    sizes: list[tuple[float, float]] = []
    by_id: dict[Any, int] = {}
    for i, entry in enumerate(data["images"]):
        if not isinstance(entry, dict) or "id" not in entry or not entry.get("file_name"):
            raise _fail(f"{path}: images[{i}] needs an id and a file_name")
        name = str(entry["file_name"])
        candidates = [base / name, base / "images" / name]
        file = next((c for c in candidates if c.is_file()), None)
        if file is None:
            raise _fail(f"{path}: images[{i}] (id {entry['id']}) names {name}, which is neither in {base} nor in "
                        f"{base / 'images'}", "put the image there, or remove its entry")
        by_id[entry["id"]] = len(images)
        images.append(file)
        sizes.append((0.0, 0.0))
    if not images:
        raise _fail(f"{path} lists no images")
    for k, file in enumerate(images):  # the real pixel size (the JSON's width/height may be stale)
        sizes[k] = _pixel_size(file)
    rows: list[list[list[float]]] = [[] for _ in images]
    for i, ann in enumerate(data["annotations"]):
        where = f"{path} annotations[{i}]" + (f" (id {ann['id']})" if isinstance(ann, dict) and "id" in ann else "")
        if not isinstance(ann, dict):
            raise _fail(f"{where} is not an object")
        if ann.get("image_id") not in by_id:
            raise _fail(f"{where}: image_id {ann.get('image_id')!r} is not one of the images", "fix the image_id")
        if ann.get("category_id") not in index:
            raise _fail(f"{where}: category_id {ann.get('category_id')!r} is not one of the categories "
                        f"({', '.join(f'{c} {categories[c]}' for c in ids)})",
                        "fix the label, or add the category to categories")
        bbox = ann.get("bbox")
        if (not isinstance(bbox, list) or len(bbox) != 4 or
                not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in bbox)):
            raise _fail(f"{where}: bbox {bbox!r} is not [x, y, width, height] (four numbers, pixels)")
        x, y, w, h = (float(v) for v in bbox)
        k = by_id[ann["image_id"]]
        iw, ih = sizes[k]
        rows[k].append([float(index[ann["category_id"]]),
                        *_corners(where, x / iw, y / ih, (x + w) / iw, (y + h) / ih, clipped)])
    return images, rows, [categories[c] for c in ids], "coco"


# --- the data set -----------------------------------------------------------------------------

def _detect_format(root: Path, wanted: str) -> str:
    if wanted not in FORMATS:
        raise _fail(f"option format={wanted!r} is not one of {', '.join(FORMATS)}", "use auto, yolo or coco")
    if wanted != "auto":
        return wanted
    if root.is_dir() and (root / "images").is_dir() and (root / "labels").is_dir():
        return "yolo"
    if root.is_file() and root.suffix.lower() == ".json" or root.is_dir() and any(root.glob("*.json")):
        return "coco"
    raise _fail(f"{root} is neither a YOLO folder (images/ and labels/) nor holds a COCO .json file",
                "set data.options.root to such a folder, or set format")


def load_detection_folder(options: dict[str, Any]) -> RawDataset:
    """Images with YOLO or COCO boxes, resized to `image_size`; targets `boxes` and `count`."""
    from PIL import Image

    value = options.get("root")
    if not value:
        raise _fail("needs option root", "set data.options.root to a YOLO folder or a COCO .json file")
    root = Path(str(value)).expanduser()
    if not root.exists():
        raise _fail(f"{root} does not exist", "set data.options.root to a YOLO folder or a COCO .json file")
    fmt = _detect_format(root, str(options.get("format") or "auto").lower())
    clipped: list[str] = []
    images, rows, names, fmt = (_load_yolo if fmt == "yolo" else _load_coco)(root, clipped)
    raw_size = options.get("image_size", 64)
    height, width = parse_image_size(raw_size, NAME)
    channels = options.get("channels")
    if channels is not None and (isinstance(channels, bool) or str(channels).strip() not in ("1", "3")):
        raise _fail(f"option channels={channels!r} must be 1 or 3", "set it to 1 (grey) or 3 (RGB), or leave it out")
    first = open_user_image(images[0])
    channels = (1 if first.mode in ("L", "LA", "1", "I;16", "I", "F") else 3) if channels is None else int(channels)
    check_dataset_memory(NAME, len(images), channels, height, width, f"image_size {raw_size}",
                         "use a smaller image_size (e.g. 64)")
    mode = "L" if channels == 1 else "RGB"
    x = np.empty((len(images), height, width, channels), dtype=np.uint8)
    for i, path in enumerate(images):
        img = first if i == 0 else open_user_image(path)
        try:
            img = img.convert(mode).resize((width, height), Image.Resampling.BILINEAR)
        except (ValueError, OSError) as exc:
            raise _fail(f"cannot convert image {path} to {mode} ({exc})",
                        "save it as an ordinary RGB or greyscale PNG or JPEG") from None
        x[i] = np.asarray(img).reshape(height, width, channels)
    first = None
    m = max(1, max(len(r) for r in rows))
    boxes = torch.zeros(len(images), m, 5)
    boxes[..., 0] = -1.0
    for i, image_rows in enumerate(rows):
        if image_rows:
            boxes[i, : len(image_rows)] = torch.tensor(image_rows, dtype=torch.float32)
    count = (boxes[..., 0] >= 0).sum(dim=1).long()
    notes = f"{fmt} labels, {int(count.sum())} boxes in {len(images)} images; boxes (class, x0, y0, x1, y1)"
    if clipped:
        notes += f"; {len(clipped)} box(es) crossing the image's edge clipped to it (first: {clipped[0]})"
    return RawDataset(
        name=NAME, task="detection", input_kind="image",
        x=torch.from_numpy(x).permute(0, 3, 1, 2).float().div_(255.0).contiguous(),
        y={"boxes": boxes, "count": count},
        targets={"boxes": TargetInfo("boxes", len(names), shape=(m, 5)), "count": TargetInfo("value", shape=())},
        class_names=list(names), notes=notes,
    )
