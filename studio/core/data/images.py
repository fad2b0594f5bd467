"""Opening images a user hands us, and sizing what decoding them will cost, before it costs it.

Every picture that comes from outside Studio (the files of an image-folder data set, `studio cam
--image`, an image dropped on the Explain panel or on the Export panel's inference view) goes
through `open_user_image`, so a broken, truncated or gigantic file gets the same one-line answer
everywhere: the file, what is wrong with it and what to do. Nothing here is Qt.

Why a pixel limit of our own: Pillow only *warns* between 89.5 and 179 megapixels and then decodes
(a 10000x10000 scan is 300 MB as RGB, a few GB once it becomes float tensors), and above that it
raises an error that names neither the file nor its size. We read the size from the file's header
first (a few hundred bytes) and refuse anything above the warning threshold, so Pillow never warns
and nothing large is decoded.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studio.core.errors import UserError

PIXEL_LIMIT = 89_478_485
"""The most pixels one user image may have: Pillow's default `MAX_IMAGE_PIXELS` (about 9459x9459)."""

IMAGE_SIZE_RANGE = (4, 4096)
"""Sides (in pixels) a data set's `image_size` may ask for."""

MEMORY_SHARE = 4
"""A decoded data set may use at most 1/MEMORY_SHARE of the machine's memory: loading briefly holds
about three copies (the decoded tensor, the train/validation split, the normalised training part)."""


def _header_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from the file's header, without decoding pixels or Pillow's size check.

    Runs Pillow's format detectors the way `Image.open` does, but stops after the header; returns
    None when no format recognises the file (opening it properly then says why).
    """
    from PIL import Image

    Image.init()
    with open(path, "rb") as fh:
        prefix = fh.read(16)
        for fmt in Image.ID:
            factory, accept = Image.OPEN[fmt]
            try:
                accepted = accept(prefix) if accept is not None else True
                if isinstance(accepted, str) or not accepted:  # a str is Pillow's "almost this format"
                    continue
                fh.seek(0)
                im = factory(fh, str(path))
            except (SyntaxError, IndexError, TypeError, ValueError, struct.error, OSError, EOFError):
                continue
            size = tuple(im.size)
            return int(size[0]), int(size[1])
    return None


def header_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(width, height) of an image file from its header alone (nothing decoded); None when the file
    cannot be read or no format knows it (decoding it says why, with the file's name)."""
    try:
        return _header_size(Path(path))
    except OSError:
        return None


def _reason(exc: BaseException) -> str:
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "not a picture format Pillow knows, or its header is broken"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__


def check_pixels(path: Path, width: int, height: int) -> None:
    """Refuse a picture larger than `PIXEL_LIMIT`, naming the file and its size."""
    pixels = int(width) * int(height)
    if pixels > PIXEL_LIMIT:
        raise UserError(
            f"image {path} is {width}×{height} pixels ({pixels / 1e6:.1f} megapixels), above Studio's limit of "
            f"{PIXEL_LIMIT / 1e6:.1f} megapixels for one image",
            "scale it down (e.g. to 4096 pixels on its long side) and try again")


def open_user_image(path: str | os.PathLike[str], fix: str = "replace or remove the file") -> Any:
    """The decoded PIL image of a user's file (pixels loaded, file closed), or a one-line UserError.

    `fix` is what the caller's user should do with an unreadable file (a data set's "replace or
    remove the file", an explanation's "use a PNG or JPEG file").
    """
    from PIL import Image

    path = Path(path)
    if not path.exists():
        raise UserError(f"image {path} does not exist", "check the path")
    if path.is_dir():
        raise UserError(f"image {path} is a folder, not an image file", "give the path of an image file")
    try:
        size = _header_size(path)
    except OSError as exc:
        raise UserError(f"cannot read image {path} ({exc.strerror or exc})", fix) from None
    if size is not None:
        check_pixels(path, *size)
    try:
        with Image.open(path) as img:
            check_pixels(path, *img.size)  # a format whose header we could not read alone
            img.load()
            return img
    except UserError:
        raise
    except MemoryError:
        raise UserError(f"image {path} does not fit in memory when decoded", "scale it down and try again") from None
    except Exception as exc:  # a user's file can fail to decode in many ways; all mean the same to them
        raise UserError(f"{path} is not an image Studio can read ({_reason(exc)})", fix) from None


def total_memory() -> int | None:
    """Bytes of physical memory (None where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def check_dataset_memory(dataset: str, n: int, channels: int, height: int, width: int, setting: str,
                         fix: str) -> None:
    """Refuse a data set whose decoded float32 tensor would take more than its share of memory.

    Called before anything is allocated, so a typo such as image_size=100000 costs a message, not
    a machine brought to its knees by swapping or the OOM killer.
    """
    need = int(n) * int(channels) * int(height) * int(width) * 4
    total = total_memory()
    if total is None or need <= total / MEMORY_SHARE:
        return
    raise UserError(
        f"dataset '{dataset}': the data set would need {need / 2**30:.1f} GiB at {setting} "
        f"({n} images of {channels}×{height}×{width} float32), more than a {_share_word()} of this machine's "
        f"{total / 2**30:.0f} GiB of memory", fix)


def _share_word() -> str:
    return {2: "half", 3: "third", 4: "quarter"}.get(MEMORY_SHARE, f"1/{MEMORY_SHARE}")


def parse_image_size(value: Any, dataset: str) -> tuple[int, int]:
    """`image_size` as (height, width): one whole number for a square, or [height, width]."""
    lo, hi = IMAGE_SIZE_RANGE
    fix = f"set data.options.image_size to a whole number of pixels from {lo} to {hi}, or [height, width]"
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        sides = list(value)
        if len(sides) != 2:
            raise UserError(f"dataset '{dataset}': option image_size={sides!r} is not a size", fix)
    else:
        sides = [value, value]
    out = []
    for side in sides:
        if isinstance(side, bool) or not isinstance(side, (int, str)):
            raise UserError(f"dataset '{dataset}': option image_size={value!r} is not a whole number", fix)
        try:
            number = int(side)
        except ValueError:
            raise UserError(f"dataset '{dataset}': option image_size={value!r} is not a whole number", fix) from None
        if not lo <= number <= hi:
            raise UserError(f"dataset '{dataset}': option image_size={value!r} is out of range", fix)
        out.append(number)
    return out[0], out[1]
