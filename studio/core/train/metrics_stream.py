"""Reading a run's metrics.jsonl line by line, with the step curve decimated to a bounded size.

A long run writes a million lines or more. Loading them all as dicts (`read_metrics`) costs seconds
and gigabytes, yet a plot is a few thousand pixels wide and the recipe's verdict reads the epochs
plus the shape of the step loss. `read_metrics_decimated` therefore streams the file: each line is
parsed and dropped, every event other than `step` and `layers` is kept as it is (`start`, `epoch`,
`done`, `error`, `paused`, ...), and the step points go through a min/max ("M4") decimation:

* the points are grouped in buckets of `width` consecutive steps, and of each bucket only the first
  point, the last point, the point of smallest loss, the point of largest loss and the first
  non-finite loss (NaN/Inf) survive. So spikes, the global minimum and maximum, the first loss, the
  last loss and the step where the loss first became NaN are all still there, exactly, and the
  drawn line keeps its envelope; a stride (every k-th point) would step over spikes.
* The total is not known while reading, so `width` starts at 1 and doubles whenever more than
  `max_points // 5` buckets exist; two neighbouring buckets' survivors reduce to the same survivors
  their union would have had, so the result is that of one pass with the final width. Memory stays
  bounded by `max_points` plus one chunk of raw points (`CHUNK`), whatever the file's length.

`layers` events (per-layer statistics and histograms, a few kB each) are thinned by a stride that
also doubles, to at most `max_layer_events`, keeping the last one (the "latest histogram").

A fresh `start` (one that does not resume) begins a new curve in the same file: every reader of
events (the Train panel's series, the recipe's diagnosis) drops the steps before it, so the
decimators start again there too. As in `read_metrics`, a torn last line (the run was killed while
writing it) ends the stream and a corrupt line is skipped.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from itertools import repeat
from typing import Any

import numpy as np

from studio.core.train.run_layout import RunLayout

DEFAULT_MAX_POINTS = 10_000
DEFAULT_MAX_LAYER_EVENTS = 1_000
CHUNK = 65_536
"""Raw step points gathered before they are folded into the decimated set (a few MB)."""
BLOCK_CHARS = 1 << 20
"""The file is read ~1 MB at a time: each bulk step on a block (a regex scan, a numpy conversion)
then holds the interpreter for a few milliseconds at most, so a GUI thread next to this reader
keeps running."""
PER_BUCKET = 5
"""Survivors per bucket at most: first, last, min, max, first non-finite."""

_COLUMNS = ("ordinal", "seq", "step", "epoch", "loss", "grad_norm", "lr")
_STEP_PREFIX = '{"event":"step",'
_NOT_STEP = re.compile(r'\n(?!\{"event":"step",)')
"""The newline before each line that is not a step event (the trainer writes keys in this order)."""
_FIELDS = {"first": re.compile(r'"first_step":(-?\d+)[,}]'), "epoch": re.compile(r'"epoch":(-?\d+)[,}]'),
           "loss": re.compile(r'"losses":\[([^\]\[]*)\]'), "grad_norm": re.compile(r'"grad_norms":\[([^\]\[]*)\]'),
           "lr": re.compile(r'"lrs":\[([^\]\[]*)\]')}
"""One pattern per field with one group each: findall then returns plain strings, which the
garbage collector does not track (tuples it does: a million of them, promoted while alive, set off
full collections of the whole GUI process that held the interpreter for 200-400 ms)."""


def iter_blocks(run_dir: str | os.PathLike[str], block_chars: int = BLOCK_CHARS) -> Iterator[str]:
    """The text of a run's metrics.jsonl, about `block_chars` at a time, each block made of whole
    lines ending in a newline; a torn last line (no newline: the run was killed while writing it)
    is left out. Nothing without a metrics.jsonl."""
    path = RunLayout(run_dir).metrics
    if not path.is_file():
        return
    carry: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        while True:
            data = fh.read(block_chars)
            if not data:
                return
            cut = data.rfind("\n") + 1
            if not cut:  # inside one long line: keep reading
                carry.append(data)
                continue
            yield "".join((*carry, data[:cut]))
            carry = [data[cut:]] if cut < len(data) else []


def _parse(line: str) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return None
    return event if isinstance(event, dict) else None


def iter_events(run_dir: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The complete events of a run one by one (nothing is kept); none when there is no metrics.jsonl.
    A torn last line ends the stream; a line that is not a JSON object is skipped."""
    for block in iter_blocks(run_dir):
        for line in block.split("\n")[:-1]:
            event = _parse(line)
            if event is not None:
                yield event


def as_float(value: Any) -> float:
    """A metric value as a float: null, missing or non-numeric values are NaN (gaps in a curve)."""
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _numbers(text: str, total: int) -> np.ndarray | None:
    """`total` comma-separated JSON numbers (null = NaN) in one C-level conversion; None if the text
    is anything else."""
    if total == 0:
        return np.empty(0)
    try:
        values = np.fromstring(text.replace("null", "nan"), dtype=np.float64, sep=",")
    except ValueError:
        return None
    return values if values.size == total else None


def _columns(seq: np.ndarray, first: np.ndarray, epoch: np.ndarray, counts: np.ndarray,
             values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One row per step point from one row per step event (a step event carries `counts` points)."""
    total = int(counts.sum())
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return {"seq": np.repeat(seq.astype(np.float64), counts),
            "step": (np.repeat(first, counts) + within).astype(np.float64),
            "epoch": np.repeat(epoch.astype(np.float64), counts), **values}


def _fast_step_columns(text: str, seqs: np.ndarray) -> dict[str, np.ndarray] | None:
    """The step points of many step lines at once (`text`: the lines, `seqs`: their line numbers),
    read with a few regex scans and numpy conversions instead of one json.loads and one dict per
    line. Only for lines as the trainer writes them: flat objects (one "{" each) without escapes,
    so every `"key":` found is a top-level key, each line carrying first_step, epoch and equally
    long losses / grad_norms / lrs. Anything else returns None and goes through json.loads."""
    n = int(seqs.size)
    if "\\" in text or text.count("{") != n:
        return None
    pieces = {}
    for name, pattern in _FIELDS.items():
        pieces[name] = pattern.findall(text)
        if len(pieces[name]) != n:
            return None
    first, epoch = pieces.pop("first"), pieces.pop("epoch")
    counts = list(map(str.count, pieces["loss"], repeat(",")))
    if "" in pieces["loss"] or any(counts != list(map(str.count, pieces[k], repeat(","))) for k in ("grad_norm", "lr")):
        return None
    count = np.asarray(counts, dtype=np.int64) + 1
    total = int(count.sum())
    values = {}
    for name, p in pieces.items():
        v = _numbers(",".join(p), total)
        if v is None:
            return None
        values[name] = v
    first_a = _numbers(",".join(first), n)
    epoch_a = _numbers(",".join(epoch), n)
    if first_a is None or epoch_a is None:
        return None
    return _columns(seqs, first_a.astype(np.int64), epoch_a.astype(np.int64), count, values)


def _parsed_step_columns(events: list[tuple[int, dict[str, Any]]]) -> dict[str, np.ndarray]:
    """The same columns from step events already parsed as dicts (any producer, any key order)."""
    seqs, firsts, epochs, counts = [], [], [], []
    values: dict[str, list[float]] = {"loss": [], "grad_norm": [], "lr": []}
    for seq, ev in events:
        losses = ev.get("losses") or [ev.get("loss")]
        if not isinstance(losses, list) or not losses:
            continue
        n = len(losses)
        try:
            first = int(ev.get("first_step", int(ev.get("step", n)) - n + 1))
            epoch = int(ev.get("epoch", 1))
        except (TypeError, ValueError):
            continue
        seqs.append(seq)
        firsts.append(first)
        epochs.append(epoch)
        counts.append(n)
        for name, many, one in (("loss", "losses", "loss"), ("grad_norm", "grad_norms", "grad_norm"),
                                ("lr", "lrs", "lr")):
            got = ev.get(many) or [ev.get(one)]
            if not isinstance(got, list) or len(got) != n:
                got = [got[-1] if isinstance(got, list) and got else None] * n
            values[name].extend(as_float(v) for v in got)
    return _columns(np.asarray(seqs, dtype=np.int64), np.asarray(firsts, dtype=np.int64),
                    np.asarray(epochs, dtype=np.int64), np.asarray(counts, dtype=np.int64),
                    {k: np.asarray(v, dtype=np.float64) for k, v in values.items()})


def _first_per_segment(mask: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Index of the first True of `mask` inside each segment that has one."""
    where = np.flatnonzero(mask)
    if where.size == 0:
        return where
    _, first = np.unique(segment[where], return_index=True)
    return where[first]


def _m4(cols: dict[str, np.ndarray], width: int) -> tuple[dict[str, np.ndarray], int]:
    """Keep each bucket's first, last, min-loss, max-loss and first non-finite point; return the
    survivors (in order) and the number of buckets."""
    bucket = cols["ordinal"] // width
    n = bucket.size
    if n == 0:
        return cols, 0
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    lengths = np.diff(np.r_[starts, n])
    segment = np.repeat(np.arange(starts.size), lengths)
    loss = cols["loss"]
    finite = np.isfinite(loss)
    low = np.where(finite, loss, np.inf)
    high = np.where(finite, loss, -np.inf)
    mins = np.minimum.reduceat(low, starts)
    maxs = np.maximum.reduceat(high, starts)
    keep = np.unique(np.concatenate([
        starts, starts + lengths - 1,
        _first_per_segment(finite & (low == mins[segment]), segment),
        _first_per_segment(finite & (high == maxs[segment]), segment),
        _first_per_segment(~finite, segment),
    ]))
    return {k: v[keep] for k, v in cols.items()}, int(starts.size)


class StepDecimator:
    """Bounded-memory min/max decimation of a stream of step points (see the module docstring)."""

    def __init__(self, max_points: int = DEFAULT_MAX_POINTS):
        if max_points < PER_BUCKET:
            raise ValueError(f"max_points must be at least {PER_BUCKET}")
        self.max_buckets = max_points // PER_BUCKET
        self.reset()

    def reset(self) -> None:
        self.width = 1
        self.count = 0
        """Raw points seen since the last reset."""
        self._kept = {k: np.empty(0, dtype=np.float64) for k in _COLUMNS}
        self._pending: list[dict[str, np.ndarray]] = []
        self._buffered = 0

    def add(self, cols: dict[str, np.ndarray]) -> None:
        """Points in arrival order: columns seq, step, epoch, loss, grad_norm, lr of equal length."""
        n = int(cols["loss"].size)
        if n == 0:
            return
        cols = dict(cols, ordinal=np.arange(self.count, self.count + n, dtype=np.float64))
        self._pending.append(cols)
        self.count += n
        self._buffered += n
        if self._buffered >= CHUNK:
            self._fold()

    def _fold(self) -> None:
        parts = [self._kept, *self._pending]
        cols = {k: np.concatenate([p[k] for p in parts]) for k in _COLUMNS} if self._pending else self._kept
        self._pending, self._buffered = [], 0
        cols, buckets = _m4(cols, self.width)
        while buckets > self.max_buckets:
            self.width *= 2
            cols, buckets = _m4(cols, self.width)
        self._kept = cols

    def points(self) -> dict[str, np.ndarray]:
        """The surviving points as columns (ordinal, seq, step, epoch, loss, grad_norm, lr), in order."""
        self._fold()
        return self._kept


class LayerThinner:
    """Every `stride`-th layers event, the stride doubling to stay under `max_events`; plus the last."""

    def __init__(self, max_events: int = DEFAULT_MAX_LAYER_EVENTS):
        self.max_events = max(1, int(max_events))
        self.reset()

    def reset(self) -> None:
        self.stride = 1
        self.count = 0
        self._kept: list[tuple[int, int, dict[str, Any]]] = []
        self._last: tuple[int, int, dict[str, Any]] | None = None

    def add(self, seq: int, event: dict[str, Any]) -> None:
        item = (self.count, seq, event)
        if self.count % self.stride == 0:
            self._kept.append(item)
            if len(self._kept) > self.max_events:
                self.stride *= 2
                self._kept = [k for k in self._kept if k[0] % self.stride == 0]
        self._last = item
        self.count += 1

    def events(self) -> list[tuple[int, dict[str, Any]]]:
        out = [(seq, ev) for _, seq, ev in self._kept]
        if self._last is not None and (not self._kept or self._kept[-1][0] != self._last[0]):
            out.append((self._last[1], self._last[2]))
        return out


def _finite_or_none(value: float) -> float | None:
    return value if not math.isnan(value) else None


def _step_events(cols: dict[str, np.ndarray], a: int, b: int, packed: bool) -> list[dict[str, Any]]:
    """Step points a..b as events: one per point, or (packed) one carrying them all in lists."""
    if b <= a:
        return []
    steps = cols["step"][a:b].astype(np.int64).tolist()
    epochs = cols["epoch"][a:b].astype(np.int64).tolist()
    losses, grad_norms, lrs = (cols[k][a:b].tolist() for k in ("loss", "grad_norm", "lr"))
    if packed:
        return [{"event": "step", "step": steps[-1], "first_step": steps[0], "epoch": epochs[-1],
                 "loss": losses[-1], "steps": steps, "epochs": epochs, "losses": losses,
                 "grad_norms": grad_norms, "lrs": lrs}]
    out = []
    for step, epoch, loss, gnorm, lr in zip(steps, epochs, losses, grad_norms, lrs, strict=True):
        g, r = _finite_or_none(gnorm), _finite_or_none(lr)
        out.append({"event": "step", "step": step, "first_step": step, "epoch": epoch, "loss": loss,
                    "grad_norm": g, "lr": r, "losses": [loss], "grad_norms": [g], "lrs": [r]})
    return out


def read_metrics_decimated(run_dir: str | os.PathLike[str], max_points: int = DEFAULT_MAX_POINTS,
                           max_layer_events: int = DEFAULT_MAX_LAYER_EVENTS, packed: bool = False
                           ) -> list[dict[str, Any]]:
    """A run's events with at most `max_points` step points (min/max decimation of the loss, see the
    module docstring) and at most `max_layer_events` (+1) layers events; every other event is kept
    as written, in the file's order. Each surviving step point comes back as a one-step `step`
    event (`step`, `first_step`, `epoch`, `loss`, `grad_norm`, `lr` and the one-element `losses`,
    `grad_norms`, `lrs`), which the Train panel's series and the recipe's diagnosis read like the
    trainer's own. A NaN loss is a float NaN (the file's null), so the plots and the diagnosis
    still see where it happened.

    `packed=True` instead gives the points between two other events as one step event with the
    lists `steps`, `epochs`, `losses`, `grad_norms`, `lrs` (the steps not consecutive), for readers
    that know those keys (the Train panel's RunSeries): thousands of dicts fewer for the garbage
    collector of a GUI process to walk."""
    steps = StepDecimator(max_points)
    layers = LayerThinner(max_layer_events)
    others: list[tuple[int, dict[str, Any]]] = []
    seq0 = 0
    for block in iter_blocks(run_dir):
        n_lines = block.count("\n")
        # Line starts of the lines that are not step events (few: epochs, layers, start, done).
        starts = [0] if not block.startswith(_STEP_PREFIX) else []
        starts += [m.end() for m in _NOT_STEP.finditer(block, 0, len(block) - 1)]
        other_at: list[int] = []
        spans: list[tuple[int, int]] = []
        line, pos = 0, 0
        for start in starts:
            line += block.count("\n", pos, start)
            pos = start
            other_at.append(line)
            spans.append((start, block.index("\n", start) + 1))
        after = -1  # the steps before a fresh start in this block go with everything before it
        slow: list[tuple[int, dict[str, Any]]] = []
        for i, (a, b) in zip(other_at, spans, strict=True):
            ev = _parse(block[a:b])
            if ev is None:
                continue
            kind = ev.get("event")
            if kind == "step":  # a step line written another way (spaces, other key order)
                slow.append((seq0 + i, ev))
                continue
            if kind == "start" and not ev.get("resumed_from_step"):
                steps.reset()
                layers.reset()
                after, slow = i, []
            if kind == "layers":
                layers.add(seq0 + i, ev)
            else:
                others.append((seq0 + i, ev))
        step_lines = np.delete(np.arange(n_lines), other_at)
        step_lines = step_lines[step_lines > after]
        if step_lines.size or slow:
            cols = None
            if not slow:
                cut = spans[other_at.index(after)][1] if after >= 0 else 0
                pieces, pos = [], cut
                for a, b in spans:
                    if b > cut:
                        pieces.append(block[pos:a])
                        pos = b
                pieces.append(block[pos:])
                text = "".join(pieces)
                cols = _fast_step_columns(text, step_lines + seq0)
            if cols is None:
                lines = block.split("\n")
                parsed = [(seq0 + int(i), _parse(lines[int(i)])) for i in step_lines]
                parsed = [(s, ev) for s, ev in parsed if ev is not None and ev.get("event") == "step"]
                parsed += [(s, ev) for s, ev in slow if s - seq0 > after]
                parsed.sort(key=lambda item: item[0])
                cols = _parsed_step_columns(parsed)
            steps.add(cols)
        seq0 += n_lines
    cols = steps.points()
    events = sorted(others + layers.events(), key=lambda item: item[0])
    bounds = np.searchsorted(cols["seq"], np.asarray([seq for seq, _ in events], dtype=np.float64)).tolist()
    out: list[dict[str, Any]] = []
    done = 0
    for (_, ev), bound in zip(events, bounds, strict=True):
        out.extend(_step_events(cols, done, bound, packed))
        out.append(ev)
        done = bound
    out.extend(_step_events(cols, done, int(cols["seq"].size), packed))
    return out
