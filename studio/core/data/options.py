"""Which options each dataset kind takes: one table for the Data panel's form and the CLI's help.

Each `Option` says what kind of value it is (a folder, a file, a whole number, a number, a choice,
a switch, a column of a CSV file, a line of text), its default as the loader applies it, its
range or choices, and a one-line English help. The loaders stay the judges of a value: they refuse
a bad one with a message naming it, and the form shows that message; the table only lets the form
offer the right widget with the right range, so most bad values cannot be typed at all.

`default=None` means the option is left out of the project and the loader decides (the first
image's channels, the CSV file's last column, half the context). An option the table does not know
is kept in the project untouched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.data.images import IMAGE_SIZE_RANGE

FOLDER, FILE, INT, FLOAT, CHOICE, BOOL, COLUMN, TEXT = (
    "folder", "file", "int", "float", "choice", "bool", "column", "text")
KINDS = (FOLDER, FILE, INT, FLOAT, CHOICE, BOOL, COLUMN, TEXT)
SEED_MAX = 2**31 - 1


@dataclass(frozen=True)
class Option:
    """One option of one dataset kind (`data.options.<key>`)."""

    key: str
    kind: str
    default: Any = None
    """The value the loader uses when the option is absent; None: the loader decides (see `help`)."""
    help: str = ""
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple[Any, ...] = ()
    """For CHOICE: the values; a None among them means "leave the option out" (the loader decides)."""
    required: bool = False
    """The dataset cannot load without it (a folder or file the user must choose)."""
    suffixes: tuple[str, ...] = ()
    """For FILE: the file name endings offered first in a file chooser (".csv")."""
    of: str = ""
    """For COLUMN: the key of the FILE option whose header row lists the columns."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"option {self.key!r}: kind must be one of {KINDS}, not {self.kind!r}")


def _seed() -> Option:
    return Option("seed", INT, 0, "seed of the generator (the same seed gives the same examples)", 0, SEED_MAX)


_VISION = (
    Option("root", FOLDER, None, "folder holding the files ($STUDIO_DATA or ~/.cache/studio/datasets if unset)"),
    Option("download", BOOL, False, "download missing standard files, each checked against its published md5 (needs a network)"),
    Option("limit", INT, None, "keep only the first N examples of each split (none: all)", 1, 10_000_000),
)
_IMAGE_LO, _IMAGE_HI = IMAGE_SIZE_RANGE

DATASET_OPTIONS: dict[str, tuple[Option, ...]] = {
    "digits": (
        Option("image_size", INT, 8, "side in pixels (28 gives MNIST's shape)", 8, 64),
        Option("layout", CHOICE, "image", "image: 1×S×S pictures; rows: each image as a sequence of its rows",
               choices=("image", "rows")),
    ),
    "shapes": (
        Option("size", INT, 32, "side of the images in pixels", 8, 256),
        Option("count", INT, 1200, "number of images", 3, 200_000),
        Option("channels", CHOICE, 1, "1 (grey) or 3 (colour)", choices=(1, 3)),
        Option("noise", FLOAT, 0.15, "standard deviation of the background noise", 0.0, 1.0, 0.05),
        _seed(),
    ),
    "shapes_multi": (
        Option("size", INT, 64, "side of the images in pixels", 16, 256),
        Option("count", INT, 1500, "number of images", 3, 100_000),
        Option("channels", CHOICE, 1, "1 (grey) or 3 (colour)", choices=(1, 3)),
        Option("min_objects", INT, 0, "fewest shapes in an image (0: some images are empty)", 0, 16),
        Option("max_objects", INT, 4, "most shapes in an image (the rows of the boxes target)", 1, 16),
        Option("min_size", FLOAT, 0.08, "smallest half-side of a shape, as a fraction of the image side",
               0.02, 0.45, 0.01),
        Option("max_size", FLOAT, 0.2, "largest half-side of a shape, as a fraction of the image side",
               0.02, 0.45, 0.01),
        Option("noise", FLOAT, 0.1, "standard deviation of the background noise", 0.0, 1.0, 0.05),
        _seed(),
    ),
    "sequence": (
        Option("task", CHOICE, "majority", "what the label is: majority, first or parity",
               choices=("majority", "first", "parity")),
        Option("vocab", INT, 8, "number of distinct tokens", 2, 4096),
        Option("length", INT, 16, "tokens per sequence", 2, 4096),
        Option("count", INT, 2000, "number of sequences", 4, 1_000_000),
        Option("encoding", CHOICE, "tokens", "tokens: int64 ids; onehot: one float vector per token",
               choices=("tokens", "onehot")),
        _seed(),
    ),
    "sine": (
        Option("count", INT, 2000, "number of windows", 3, 1_000_000),
        Option("length", INT, 32, "time steps per window", 4, 4096),
        Option("channels", INT, 2, "phase-shifted series per window", 1, 64),
        Option("horizon", INT, 1, "future values to forecast per channel", 1, 256),
        Option("noise", FLOAT, 0.05, "standard deviation of the noise", 0.0, 1.0, 0.01),
        _seed(),
    ),
    "mnist": _VISION,
    "fashion_mnist": _VISION,
    "cifar10": _VISION,
    "folder": (
        Option("root", FOLDER, None, "folder with one sub-folder of images per class", required=True),
        Option("image_size", INT, 64, "every image is resized to this side in pixels", _IMAGE_LO, _IMAGE_HI),
        Option("channels", CHOICE, None, "1 (grey) or 3 (RGB); none: as the first image", choices=(None, 1, 3)),
    ),
    "detection_folder": (
        Option("root", FOLDER, None, "a YOLO folder (images/, labels/, classes.txt) or a folder holding one COCO "
               ".json file", required=True),
        Option("format", CHOICE, "auto", "auto: YOLO if root has images/ and labels/, else COCO; yolo; coco",
               choices=("auto", "yolo", "coco")),
        Option("image_size", INT, 64, "every image is resized to this side in pixels", _IMAGE_LO, _IMAGE_HI),
        Option("channels", CHOICE, None, "1 (grey) or 3 (RGB); none: as the first image", choices=(None, 1, 3)),
    ),
    "csv": (
        Option("path", FILE, None, "a table with a header row; every column but the target is numeric",
               required=True, suffixes=(".csv", ".tsv", ".txt")),
        Option("target", COLUMN, None, "the column to predict (none: the last)", of="path"),
        Option("task", CHOICE, None, "classification or regression (none: a text target or few whole numbers "
               "is a class)", choices=(None, "classification", "regression")),
        Option("encoding", TEXT, None, "the file's text encoding (none: UTF-8), e.g. latin-1 or cp1252"),
    ),
    "text": (
        Option("path", FILE, None, "a UTF-8 .txt file (none: the built-in stories)", suffixes=(".txt",)),
        Option("level", CHOICE, "char", "char: one token per character; word: words and punctuation",
               choices=("char", "word")),
        Option("context", INT, 64, "tokens per window (the Input's shape [T])", 2, 4096),
        Option("stride", INT, None, "tokens between the starts of two training windows (none: half the context)",
               1, 4096),
    ),
    "spoken_digits": (
        Option("per_voice", INT, 4, "times each of the 30 voices says each word (each at its own rate and pitch)",
               1, 40),
        Option("held_out_voices", INT, 4, "voices kept out of training: validation is measured on them", 1, 29),
        Option("features", CHOICE, "logmel", "logmel: the Audio lab's 80-band log-mel spectrogram; mfcc: its "
               "first 20 cepstral coefficients", choices=("logmel", "mfcc")),
        Option("noise", FLOAT, 0.02, "white noise added to each clip, up to this fraction of its peak", 0.0, 1.0, 0.01),
        _seed(),
    ),
    "sound_folder": (
        Option("root", FOLDER, None, "folder with one sub-folder of .wav recordings per class", required=True),
        Option("features", CHOICE, "logmel", "logmel: the Audio lab's 80-band log-mel spectrogram; mfcc: its "
               "first 20 cepstral coefficients", choices=("logmel", "mfcc")),
        Option("seconds", FLOAT, 1.0, "length of the window around each sound (padded or cut)", 0.25, 10.0, 0.25),
    ),
}


def options_for(dataset: str) -> tuple[Option, ...]:
    """The options of `dataset` in the order a form shows them (none for a kind the table lacks)."""
    from studio.core.data.loader import ALIASES

    name = str(dataset).lower()
    return DATASET_OPTIONS.get(ALIASES.get(name, name), ())


def missing_required(dataset: str, options: dict[str, Any]) -> list[Option]:
    """The required options `options` leaves empty (a folder or file still to choose)."""
    return [o for o in options_for(dataset) if o.required and not str((options or {}).get(o.key) or "").strip()]


def switched_options(dataset: str, remembered: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The options to propose when the user switches to `dataset`: what they had for it before in this
    session (paths typed included), else none (the loader's defaults)."""
    return dict(remembered.get(dataset) or {})


def csv_columns(path: str | Path, encoding: str | None = None, limit: int = 1 << 20) -> list[str]:
    """The header row of a CSV file (for the target column's choices); [] when it cannot be read.

    Reads at most `limit` bytes: the loader reads the whole file and says what is wrong with it."""
    try:
        with open(Path(str(path)).expanduser(), "rb") as fh:
            data = fh.read(limit)
    except OSError:
        return []
    try:
        text = data.decode(encoding or "utf-8-sig", errors="replace")
    except LookupError:
        return []
    first = text.splitlines()[0] if text.strip() else ""
    try:
        row = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return []
    return [c.strip() for c in row if c.strip()]


def _shown_default(option: Option) -> str:
    if option.default is None:
        return "none"
    if isinstance(option.default, bool):
        return "true" if option.default else "false"
    return str(option.default)


def describe_options(dataset: str) -> list[str]:
    """One line per option: `key (kind, default): help`, for `--help` and documentation."""
    lines = []
    for o in options_for(dataset):
        what = "|".join("none" if c is None else str(c) for c in o.choices) if o.kind == CHOICE else o.kind
        if o.kind == INT and o.lo is not None:
            what = f"int {int(o.lo)}..{int(o.hi)}"
        need = ", required" if o.required else f", default {_shown_default(o)}"
        lines.append(f"{o.key} ({what}{need}): {o.help}")
    return lines


def options_help() -> str:
    """Every dataset kind and its options, as `studio train --help` prints them."""
    parts = []
    for name, opts in DATASET_OPTIONS.items():
        keys = ", ".join(o.key + ("*" if o.required else "") for o in opts)
        parts.append(f"{name}: {keys}")
    return "dataset options (* required): " + "; ".join(parts)
