"""A run's numbers as growing numpy arrays, fed from training events (no Qt here).

The plots read slices of these arrays; appending is amortised O(1) (capacity doubles), so a run
of a million steps costs a few reallocations, and redrawing never rebuilds Python lists.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.train.metrics_stream import as_float


class Growing:
    """A 1-D float64 array that grows by chunks."""

    def __init__(self, capacity: int = 1024):
        self._data = np.empty(capacity, dtype=np.float64)
        self.n = 0

    def extend(self, values) -> None:
        v = np.asarray(values, dtype=np.float64).reshape(-1)
        need = self.n + v.size
        if need > self._data.size:
            new = np.empty(max(need, 2 * self._data.size), dtype=np.float64)
            new[: self.n] = self._data[: self.n]
            self._data = new
        self._data[self.n:need] = v
        self.n = need

    def append(self, value: float) -> None:
        self.extend([value])

    def keep(self, n: int) -> None:
        """Drop everything after the first `n` values."""
        self.n = max(0, min(self.n, int(n)))

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.n]

    def __len__(self) -> int:
        return self.n


EPOCH_KEYS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "val_top5", "lr", "time_s")
STAND_INS = {"val_accuracy": "val_token_accuracy"}
"""An epoch key read from another when the run has no value of its own: a language model's
accuracy is per token, drawn on the same accuracy plot."""
LAYER_KEYS = ("weight_mean", "weight_std", "grad_mean", "grad_std", "update_ratio_log10", "grad_norm")


class LayerHistograms:
    """One layer's weight and gradient histograms over time: a row of counts and the range's half
    width m (the bins span [-m, m]) per layers event."""

    def __init__(self) -> None:
        self.step = Growing(64)
        self.counts: dict[str, list[np.ndarray]] = {"weight": [], "grad": []}
        self.half_range: dict[str, Growing] = {"weight": Growing(64), "grad": Growing(64)}

    def add(self, step: float, row: dict[str, Any]) -> None:
        self.step.append(step)
        for kind in ("weight", "grad"):
            self.counts[kind].append(np.asarray(row[f"{kind}_hist"], dtype=np.float64))
            lo, hi = (row.get(f"{kind}_range") or (math.nan, math.nan))[:2]
            self.half_range[kind].append(max(abs(as_float(lo)), abs(as_float(hi))))

    def __len__(self) -> int:
        return self.step.n

    def image(self, kind: str, rows: int = 64) -> tuple[np.ndarray, float]:
        """(columns x rows) counts resampled onto one value axis [-M, M], M the largest range of the
        run, and M: each column's bins fall into the rows holding their centres."""
        counts = self.counts[kind]
        m = self.half_range[kind].values
        finite = m[np.isfinite(m)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        img = np.zeros((len(counts), rows))
        if not counts:
            return img, top
        c = np.vstack(counts)
        bins = c.shape[1]
        mm = np.where(np.isfinite(m), m, 0.0)[:, None]
        centres = mm * ((np.arange(bins) + 0.5) * 2.0 / bins - 1.0)
        idx = np.clip(((centres + top) / (2 * top) * rows).astype(np.int64), 0, rows - 1)
        cols = np.broadcast_to(np.arange(len(counts))[:, None], idx.shape)
        np.add.at(img, (cols, idx), c)
        return img, top


class RunSeries:
    """Everything the curves show for one run."""

    def __init__(self) -> None:
        self.step = Growing()
        self.step_epoch = Growing()
        self.loss = Growing()
        self.grad_norm = Growing()
        self.lr = Growing()
        self.epoch = Growing(64)
        self.epoch_step = Growing(64)
        self.epoch_values: dict[str, Growing] = {k: Growing(64) for k in EPOCH_KEYS}
        self.layers: dict[str, dict[str, Growing]] = {}
        self.layer_step: dict[str, Growing] = {}
        self.hists: dict[str, LayerHistograms] = {}
        """Per layer, the weight/gradient histograms of the layers events that carried them."""
        self.confusion: list[list[int]] | None = None
        self.per_class_accuracy: list[float | None] | None = None
        self.start: dict[str, Any] = {}
        self.final: dict[str, Any] | None = None
        self.epoch_events: list[dict[str, Any]] = []
        """The epoch events themselves (few; without the confusion matrix), for the diagnosis."""
        self.version = 0
        """Bumped on every change: views redraw only when it moved."""

    def add_events(self, events: list[dict[str, Any]]) -> None:
        for ev in events:
            kind = ev.get("event")
            if kind == "start":
                if not ev.get("resumed_from_step"):
                    self.__init__()
                else:
                    self._rewind(int(ev["resumed_from_step"]))
                self.start = ev
            elif kind == "step":
                losses = ev.get("losses") or [ev.get("loss")]
                n = len(losses)
                if ev.get("steps") is not None:  # decimated points, packed (metrics_stream, packed=True)
                    self.step.extend(ev["steps"])
                    self.step_epoch.extend(ev["epochs"])
                else:
                    first = int(ev.get("first_step", int(ev.get("step", n)) - n + 1))
                    self.step.extend(np.arange(first, first + n))
                    self.step_epoch.extend(np.full(n, float(ev.get("epoch", 1))))
                self.loss.extend([as_float(v) for v in losses])
                self.grad_norm.extend([as_float(v) for v in (ev.get("grad_norms") or [ev.get("grad_norm")] * n)])
                self.lr.extend([as_float(v) for v in (ev.get("lrs") or [ev.get("lr")] * n)])
            elif kind == "epoch":
                self.epoch_events.append({k: v for k, v in ev.items() if k not in ("confusion", "heads")})
                self.epoch.append(float(ev["epoch"]))
                self.epoch_step.append(float(ev.get("step", self.step.values[-1] if self.step.n else 0)))
                for key in EPOCH_KEYS:
                    value = ev.get(key)
                    if value is None and key in STAND_INS:
                        value = ev.get(STAND_INS[key])
                    self.epoch_values[key].append(as_float(value))
                if ev.get("confusion") is not None:
                    self.confusion = ev["confusion"]
                    self.per_class_accuracy = ev.get("per_class_accuracy")
            elif kind == "layers":
                for row in ev.get("layers", []):
                    name = row["name"]
                    if name not in self.layers:
                        self.layers[name] = {k: Growing(64) for k in LAYER_KEYS}
                        self.layer_step[name] = Growing(64)
                    self.layer_step[name].append(float(ev["step"]))
                    for key in LAYER_KEYS:
                        self.layers[name][key].append(as_float(row.get(key)))
                    if row.get("weight_hist") is not None and row.get("grad_hist") is not None:
                        self.hists.setdefault(name, LayerHistograms()).add(float(ev["step"]), row)
            elif kind in ("done", "error"):
                self.final = ev
            else:
                continue
            self.version += 1

    def _rewind(self, step: int) -> None:
        """A run resumed from its checkpoint at `step` redoes what came after it (a crash lost that
        part): drop it, so the curve goes on from the checkpoint instead of folding back on itself."""
        n = int(np.searchsorted(self.step.values, step, side="right"))
        for series in (self.step, self.step_epoch, self.loss, self.grad_norm, self.lr):
            series.keep(n)
        e = int(np.searchsorted(self.epoch_step.values, step, side="right"))
        for series in (self.epoch, self.epoch_step, *self.epoch_values.values()):
            series.keep(e)
        del self.epoch_events[e:]
        for name, steps in self.layer_step.items():
            k = int(np.searchsorted(steps.values, step, side="right"))
            steps.keep(k)
            for series in self.layers[name].values():
                series.keep(k)
        for hist in self.hists.values():
            k = int(np.searchsorted(hist.step.values, step, side="right"))
            hist.step.keep(k)
            for kind in ("weight", "grad"):
                del hist.counts[kind][k:]
                hist.half_range[kind].keep(k)

    def curves(self):
        """A snapshot for `studio.core.recipe.diagnosis.diagnose` (copies: safe to hand to a thread)."""
        from studio.core.recipe.diagnosis import Curves

        nan_error = self.final if self.final and self.final.get("event") == "error" and \
            self.final.get("kind") == "nan" else None
        return Curves(self.step.values.astype(np.int64), self.loss.values.copy(),
                      self.step_epoch.values.astype(np.int64), list(self.epoch_events), nan_error)

    @property
    def class_names(self) -> list[str]:
        return list((self.start.get("dataset") or {}).get("class_names") or [])

    def write_csv(self, folder: str | Path, stem: str = "curves") -> list[Path]:
        """steps.csv (step, loss, grad_norm, lr), epochs.csv (epoch, step and the epoch metrics) and,
        when layer statistics came in, layers.csv; returns the files written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        path = folder / f"{stem}_steps.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["step", "loss", "grad_norm", "lr"])
            for row in zip(self.step.values.astype(int), self.loss.values, self.grad_norm.values, self.lr.values,
                           strict=False):
                w.writerow([row[0], *(f"{v:.8g}" for v in row[1:])])
        out.append(path)
        path = folder / f"{stem}_epochs.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["epoch", "step", *EPOCH_KEYS])
            for i in range(self.epoch.n):
                w.writerow([int(self.epoch.values[i]), int(self.epoch_step.values[i]),
                            *(f"{self.epoch_values[k].values[i]:.8g}" for k in EPOCH_KEYS)])
        out.append(path)
        if self.layers:
            path = folder / f"{stem}_layers.csv"
            with open(path, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["layer", "step", *LAYER_KEYS])
                for name, cols in self.layers.items():
                    steps = self.layer_step[name].values
                    for i in range(len(steps)):
                        w.writerow([name, int(steps[i]), *(f"{cols[k].values[i]:.8g}" for k in LAYER_KEYS)])
            out.append(path)
        return out


COMPARE_POINTS = 10_000
"""Step points of an earlier run read for "Compare with" (min/max decimated beyond that)."""


def load_run_series(run_dir: str | Path, max_points: int = COMPARE_POINTS) -> RunSeries:
    """An earlier run's series from its metrics.jsonl, read streaming with the step curve decimated
    (studio/core/train/metrics_stream.py): a million lines cost seconds and a few tens of MB instead
    of gigabytes of dicts. Qt-free, so it runs on a worker thread."""
    from studio.core.train.metrics_stream import read_metrics_decimated

    series = RunSeries()
    series.add_events(read_metrics_decimated(run_dir, max_points, packed=True))
    return series


def view_slice(x: np.ndarray, lo: float, hi: float, margin: int = 1) -> slice:
    """Indices of sorted `x` inside [lo, hi] plus a point each side (clipping to the view)."""
    a = max(0, int(np.searchsorted(x, lo, side="left")) - margin)
    b = min(x.size, int(np.searchsorted(x, hi, side="right")) + margin)
    return slice(a, b)


def peak_decimate(x: np.ndarray, y: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ~2*bins points keeping each bin's min and max (spikes survive, as on an oscilloscope).
    Non-finite values are left to the caller (they are drawn separately)."""
    n = x.size
    if n <= 2 * bins or bins <= 0:
        return x, y
    per = n // bins
    m = per * bins
    yb = y[:m].reshape(bins, per)
    xb = x[:m].reshape(bins, per)
    with np.errstate(invalid="ignore"):
        finite = np.where(np.isfinite(yb), yb, np.nan)
        all_nan = np.isnan(finite).all(axis=1)
        safe = np.where(all_nan[:, None], 0.0, finite)
        imin = np.nanargmin(np.where(np.isnan(safe), np.inf, safe), axis=1)
        imax = np.nanargmax(np.where(np.isnan(safe), -np.inf, safe), axis=1)
    lo_first = imin <= imax
    i1 = np.where(lo_first, imin, imax)
    i2 = np.where(lo_first, imax, imin)
    rows = np.arange(bins)
    xs = np.stack([xb[rows, i1], xb[rows, i2]], axis=1).reshape(-1)
    ys = np.stack([yb[rows, i1], yb[rows, i2]], axis=1).reshape(-1)
    if m < n:
        xs = np.concatenate([xs, x[m:]])
        ys = np.concatenate([ys, y[m:]])
    return xs, ys
