"""Step one of the recipe, "become one with the data", as numbers the Data panel draws.

Class balance, per-channel statistics before and after normalisation, exact and near-duplicate
examples (and, worse, validation examples that also sit in the training set), outliers, and the
batch entering the net: the exact tensors the trainer's first step sees, gathered and augmented
the way `Trainer._batch` does it on the CPU (same generator, same order of random draws).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from studio.core.data.augment import augment_batch
from studio.core.data.bundle import DatasetBundle

OUTLIER_Z = 4.0
NEAR_DECIMALS = 2
"""Values are rounded to this many decimals (in normalised units) before hashing for near-duplicates."""


@dataclass
class DataFacts:
    class_names: list[str]
    train_counts: list[int]
    val_counts: list[int]
    raw_mean: list[float] | None
    raw_std: list[float] | None
    norm_mean: list[float]
    norm_std: list[float]
    duplicate_groups: list[list[int]] = field(default_factory=list)
    """Groups of training indices holding (nearly) the same example."""
    leaked: list[tuple[int, int]] = field(default_factory=list)
    """(validation index, training index) pairs with the same example: validation is not unseen."""
    outliers: list[tuple[int, float]] = field(default_factory=list)
    """(training index, z-score of its norm) beyond OUTLIER_Z."""

    def hints(self) -> list[str]:
        out = []
        counts = np.asarray(self.train_counts, dtype=float)
        if counts.size and counts.min() > 0 and counts.max() / counts.min() > 1.5:
            lo, hi = int(counts.argmin()), int(counts.argmax())
            out.append(f"classes are imbalanced: '{self.class_names[hi]}' has {int(counts[hi])} training examples, "
                       f"'{self.class_names[lo]}' {int(counts[lo])}; initialise the last bias to log(frequency) "
                       "and watch per-class accuracy")
        if counts.size and (counts == 0).any():
            missing = [self.class_names[i] for i in np.flatnonzero(counts == 0)]
            out.append(f"no training examples for class(es) {', '.join(missing)}")
        if self.duplicate_groups:
            n = sum(len(g) - 1 for g in self.duplicate_groups)
            out.append(f"{n} training examples duplicate others ({len(self.duplicate_groups)} groups, e.g. indices "
                       f"{self.duplicate_groups[0][:4]})")
        if self.leaked:
            out.append(f"{len(self.leaked)} validation examples also appear in the training set (e.g. validation "
                       f"{self.leaked[0][0]} = training {self.leaked[0][1]}): validation scores will be optimistic")
        if self.outliers:
            shown = ", ".join(f"{i} (z {z:.1f})" for i, z in self.outliers[:5])
            out.append(f"{len(self.outliers)} outliers by input norm beyond {OUTLIER_Z:g} standard deviations: {shown}")
        if not out:
            out.append("no duplicates, leaks, outliers or class imbalance found")
        return out


def _row_hashes(x: torch.Tensor, decimals: int | None) -> list[bytes]:
    flat = x.reshape(x.shape[0], -1)
    if flat.is_floating_point() and decimals is not None:
        flat = torch.round(flat.float() * 10**decimals)
    arr = np.ascontiguousarray(flat.cpu().numpy())
    return [hashlib.blake2b(row.tobytes(), digest_size=12).digest() for row in arr]


def data_facts(bundle: DatasetBundle, target: str = "label") -> DataFacts:
    x = bundle.x_train
    info = bundle.targets.get(target)
    c = info.num_classes if info and info.num_classes else 0
    names = list(bundle.class_names) or [str(i) for i in range(c)]
    if c and target in bundle.y_train and bundle.y_train[target].dim() == 1:
        train_counts = torch.bincount(bundle.y_train[target].long(), minlength=c)[:c].tolist()
        val_counts = torch.bincount(bundle.y_val[target].long(), minlength=c)[:c].tolist()
    else:
        train_counts, val_counts = [], []
    if x.is_floating_point() and x.dim() >= 2:
        dims = (0, *range(2, x.dim())) if bundle.input_kind == "image" else tuple(range(x.dim()))
        norm_mean = x.mean(dim=dims).reshape(-1).tolist()
        norm_std = x.std(dim=dims).reshape(-1).tolist()
    else:
        norm_mean, norm_std = [], []
    groups: dict[bytes, list[int]] = {}
    for i, h in enumerate(_row_hashes(x, NEAR_DECIMALS)):
        groups.setdefault(h, []).append(i)
    dup = [g for g in groups.values() if len(g) > 1]
    leaked = []
    for j, h in enumerate(_row_hashes(bundle.x_val, NEAR_DECIMALS)):
        if h in groups:
            leaked.append((j, groups[h][0]))
    outliers: list[tuple[int, float]] = []
    if x.is_floating_point():
        norms = x.reshape(x.shape[0], -1).float().norm(dim=1)
        z = (norms - norms.mean()) / norms.std().clamp_min(1e-12)
        idx = torch.nonzero(z.abs() > OUTLIER_Z).reshape(-1)
        outliers = sorted(((int(i), float(z[i])) for i in idx), key=lambda t: -abs(t[1]))
    return DataFacts(names, train_counts, val_counts, bundle.mean, bundle.std, norm_mean, norm_std,
                     dup, leaked, outliers)


def entering_batch(bundle: DatasetBundle, batch_size: int, seed: int, batch_index: int = 0
                   ) -> tuple[torch.Tensor, dict[str, torch.Tensor], torch.Tensor]:
    """(x, targets, indices) of batch `batch_index` of the first epoch, exactly as the trainer feeds it
    on the CPU: a seeded permutation, a gather, then augmentation from the same generator."""
    n = bundle.n_train
    bs = min(int(batch_size), n)
    gen = torch.Generator().manual_seed(int(seed))
    perm = torch.randperm(n, generator=gen)
    x = y = idx = None
    for b in range(batch_index + 1):
        idx = perm[b * bs:(b + 1) * bs]
        if idx.numel() == 0:
            break
        x = bundle.x_train.index_select(0, idx)
        y = {k: v.index_select(0, idx) for k, v in bundle.y_train.items()}
        x, y = augment_batch(x, y, bundle.augment, gen)
    return x, y, idx


def tensor_grid(x: torch.Tensor, cols: int = 8, pad: int = 1, lo: float | None = None, hi: float | None = None,
                scale: int = 1) -> tuple[np.ndarray, tuple[float, float]]:
    """An RGB uint8 mosaic of a batch of images (N, C, H, W) mapped linearly from [lo, hi] (the batch's
    own range by default) to black..white: the values the net gets, not a prettified copy. Other
    inputs are drawn as one heat row per example."""
    t = x.detach().float().cpu()
    lo = float(t.min()) if lo is None else lo
    hi = float(t.max()) if hi is None else hi
    span = max(hi - lo, 1e-12)
    if t.dim() == 4 and t.shape[1] in (1, 3):
        n, c, h, w = t.shape
        cols = max(1, min(cols, n))
        rows = (n + cols - 1) // cols
        canvas = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, 3), 255, dtype=np.uint8)
        img = ((t - lo) / span).clamp(0, 1).mul(255).round().to(torch.uint8).numpy()
        for i in range(n):
            r, k = divmod(i, cols)
            tile = img[i].transpose(1, 2, 0)
            if c == 1:
                tile = np.repeat(tile, 3, axis=2)
            y0, x0 = pad + r * (h + pad), pad + k * (w + pad)
            canvas[y0:y0 + h, x0:x0 + w] = tile
    else:
        flat = t.reshape(t.shape[0], -1)
        img = ((flat - lo) / span).clamp(0, 1).mul(255).round().to(torch.uint8).numpy()
        canvas = np.repeat(img[:, :, None], 3, axis=2)
    if scale > 1:
        canvas = canvas.repeat(scale, axis=0).repeat(scale, axis=1)
    return canvas, (lo, hi)


def denormalised(bundle: DatasetBundle, x: torch.Tensor) -> torch.Tensor:
    """Inputs back in their original units (undo the per-channel normalisation) for a sample gallery."""
    if bundle.mean is None or bundle.std is None or not x.is_floating_point():
        return x
    shape = [1] * x.dim()
    if bundle.input_kind == "image" and x.dim() >= 2:
        shape[1] = -1
    elif bundle.input_kind == "table":
        shape[-1] = -1
    mean = torch.tensor(bundle.mean, dtype=x.dtype).reshape(shape)
    std = torch.tensor(bundle.std, dtype=x.dtype).reshape(shape)
    return x * std + mean


def batch_stats(x: torch.Tensor) -> dict[str, Any]:
    t = x.detach().float()
    return {"shape": list(t.shape), "dtype": str(x.dtype).replace("torch.", ""), "min": float(t.min()),
            "max": float(t.max()), "mean": float(t.mean()), "std": float(t.std()) if t.numel() > 1 else 0.0}
