"""Recordings as training data: clips saved into a class-per-folder tree the `sound_folder` dataset reads.

`save_recording(root, label, samples, rate)` writes ROOT/LABEL/NNN.wav (16-bit PCM, through
`studio.core.audio.wav.save_wav`): the number after the highest one the class folder already holds
(001, 002, ...; past 999 the name simply grows), and never over an existing file. The name is
claimed with an exclusive create before the WAV is written onto it, so two saves at once (two
windows) each get a number of their own.

A label is a class name and a folder name at once: it is trimmed and put in Unicode NFC form (so
"não" typed as "a" + combining tilde and as one "ã" is the same class on every file system), and
one that could name another folder or a hidden one ("..", "a/b", ".x") or that a file system
refuses is a `UserError` saying why.

`head_for_classes(graph, n)` is the graph edit that goes with "use these recordings": the layer
feeding the classification head gets `out_features = n`, so a 10-word network trained on two
recorded words has two outputs instead of eight that no example ever teaches (and a wrong count
that the trainer would refuse).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.errors import UserError

WAV_SUFFIXES = (".wav", ".wave")
"""What `sound_folder` counts as a recording (the same suffixes its loader reads)."""
NUMBERED = re.compile(r"^(\d+)\.wav$", re.IGNORECASE)
DIGITS = 3
MAX_LABEL = 64
FORBIDDEN = set('/\\:*?"<>|')
"""Characters no class name may hold: path separators, and what Windows refuses in a name."""
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MIN_CLASSES = 2


def check_label(label: str) -> str:
    """`label` as the class folder's name (trimmed, NFC), or a UserError saying why it cannot be one."""
    name = unicodedata.normalize("NFC", str(label or "")).strip()
    fix = "use a plain word for the class, such as sim or não"
    if not name:
        raise UserError("a recording needs a class name (the label)", fix)
    if name in (".", "..") or name.startswith("."):
        raise UserError(f"class name {name!r} starts with a dot (a hidden or parent folder)", fix)
    bad = sorted({c for c in name if c in FORBIDDEN or unicodedata.category(c)[0] == "C"})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise UserError(f"class name {name!r} holds {shown}, which a folder name cannot", fix)
    if name.rstrip(" .") != name:
        raise UserError(f"class name {name!r} ends with a dot", fix)
    if name.split(".")[0].lower() in RESERVED:
        raise UserError(f"class name {name!r} is a device name on Windows", fix)
    if len(name) > MAX_LABEL:
        raise UserError(f"class name {name[:20]!r}… is longer than {MAX_LABEL} characters", fix)
    return name


def _wav_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.suffix.lower() in WAV_SUFFIXES and p.is_file()
            and not p.name.startswith(".")]


def next_number(folder: Path) -> int:
    """1 + the highest NNN of the NNN.wav files in `folder` (1 when there is none)."""
    numbers = [int(m.group(1)) for p in (folder.iterdir() if folder.is_dir() else ())
               if (m := NUMBERED.match(p.name))]
    return max(numbers, default=0) + 1


def save_recording(root: str | os.PathLike, label: str, samples: np.ndarray, rate: int) -> Path:
    """Save `samples` (mono or (frames, channels), full scale) as the next ROOT/LABEL/NNN.wav; the path."""
    from studio.core.audio.wav import save_wav

    name = check_label(label)
    x = np.asarray(samples, dtype=np.float32)
    if x.size == 0:
        raise UserError("nothing to save: the clip is empty", "record something or open a WAV file first")
    root = Path(root).expanduser()
    if not str(root).strip() or str(root) == ".":
        raise UserError("no folder chosen for the recordings", "choose the folder the classes go in")
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} is a file, not a folder", "choose a folder for the recordings")
    folder = root / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{folder}: cannot create the class folder ({exc.strerror or exc})",
                        "choose a folder you can write to") from None
    number = next_number(folder)
    while True:
        path = folder / f"{number:0{DIGITS}d}.wav"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:  # taken meanwhile (or NNNN.wav named like it): the next one
            number += 1
            continue
        except OSError as exc:
            raise UserError(f"{path}: cannot write here ({exc.strerror or exc})",
                            "choose a folder you can write to") from None
        os.close(fd)
        break
    try:
        save_wav(path, x, int(rate), "pcm16")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def class_counts(root: str | os.PathLike) -> dict[str, int]:
    """{class: number of recordings} of the class folders under `root`, by name (what `sound_folder`
    would load; a missing root has none)."""
    root = Path(root).expanduser()
    if not root.is_dir():
        return {}
    return {p.name: len(_wav_files(p)) for p in sorted(root.iterdir(), key=lambda p: p.name)
            if p.is_dir() and not p.name.startswith(".")}


def dataset_problem(root: str | os.PathLike) -> str | None:
    """Why `root` cannot be trained on yet as a `sound_folder` data set (None: it can)."""
    counts = class_counts(root)
    if len(counts) < MIN_CLASSES:
        return (f"{len(counts)} class(es) recorded; a classifier needs at least {MIN_CLASSES}: record samples of "
                "another class")
    empty = [name for name, n in counts.items() if n == 0]
    if empty:
        return f"class {empty[0]} has no recordings: record some, or remove its folder"
    return None


def dataset_section(root: str | os.PathLike, current: dict | None = None) -> dict:
    """The project's data section that trains on the recordings under `root`: `sound_folder` with that
    root, keeping the current section's other keys (and its sound options when it already is one)."""
    out = {k: v for k, v in dict(current or {}).items() if k not in ("dataset", "options")}
    options = dict((current or {}).get("options") or {}) if (current or {}).get("dataset") == "sound_folder" else {}
    options["root"] = str(Path(root).expanduser())
    out["dataset"] = "sound_folder"
    out["options"] = options
    return out


@dataclass(frozen=True)
class HeadChange:
    """What `head_for_classes` found: the edited graph, or why nothing was changed."""

    graph: Any | None
    """The graph with the head's outputs set (None: nothing to change, see `problem`)."""
    head: str | None = None
    layer: str | None = None
    """The layer whose `out_features` are the head's outputs."""
    before: int | None = None
    after: int | None = None
    problem: str | None = None
    """Why the outputs were not set (no classification head, a head fed by a layer without
    out_features); None when they were, or already were right."""


def head_for_classes(graph: Any, num_classes: int) -> HeadChange:
    """`graph` with its classification head's outputs set to `num_classes` (a copy; `graph` is kept).

    The head adds no weights: its outputs are the `out_features` of the layer wired into it (a Linear).
    The first classification head learning the labels is the one meant; a graph without one, or whose
    head is fed by a layer without `out_features`, is left alone and `problem` says so.
    """
    from studio.core.graph.registry import get_block, has_block

    heads = [n for n in graph.nodes if has_block(n.block) and get_block(n.block).head == "classification"]
    heads.sort(key=lambda n: str(n.params.get("target", "label")) != "label")
    if not heads:
        return HeadChange(None, after=num_classes, problem="the project has no classification head")
    head = heads[0]
    edges = graph.incoming(head.id)
    if not edges:
        return HeadChange(None, head.id, after=num_classes, problem=f"nothing is wired into head '{head.id}'")
    layer = graph.node(edges[0].src)
    spec = get_block(layer.block) if has_block(layer.block) else None
    if spec is None or "out_features" not in {p.name for p in spec.params}:
        return HeadChange(None, head.id, layer.id, after=num_classes,
                          problem=f"head '{head.id}' gets its scores from '{layer.id}' ({layer.block}), which has "
                                  "no out_features to set")
    before = int(layer.params.get("out_features", spec.param("out_features").default))
    if before == num_classes:
        return HeadChange(None, head.id, layer.id, before, num_classes)
    edited = graph.copy()
    edited.node(layer.id).params["out_features"] = int(num_classes)
    return HeadChange(edited, head.id, layer.id, before, num_classes)
