"""The offline data sets that ship with Studio: digits, generated shapes, token sequences, sine series.

They are small and generated (or bundled with scikit-learn), so every example project and test runs
without a network, and each one makes a course idea tangible: `digits` at 28x28 feeds the course's
MNIST CNN unchanged, `shapes` carries a class, a box and a mask for classification, localisation,
segmentation and CAM checks, `sequence` gives RNNs and Transformers a task that needs memory, and
`sine` is the course's multi-task time-series example (forecast the next values, name the band).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.data.images import check_dataset_memory
from studio.core.errors import UserError


def _opt_int(options: dict[str, Any], key: str, default: int, lo: int, hi: int, dataset: str) -> int:
    value = options.get(key, default)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise UserError(f"dataset '{dataset}': option {key}={value!r} is not an integer") from None
    if not lo <= value <= hi:
        raise UserError(f"dataset '{dataset}': option {key}={value} is out of range",
                        f"use a value from {lo} to {hi}")
    return value


def load_digits(options: dict[str, Any]) -> RawDataset:
    """scikit-learn's 1,797 8x8 handwritten digits, optionally resized to MNIST's 28x28."""
    from sklearn.datasets import load_digits as sk_load_digits

    size = _opt_int(options, "image_size", 8, 8, 64, "digits")
    layout = str(options.get("layout", "image"))
    if layout not in ("image", "rows"):
        raise UserError(f"dataset 'digits': unknown layout {layout!r}", "use 'image' or 'rows'")
    raw = sk_load_digits()
    x = torch.from_numpy(raw.images).float().div_(16.0).unsqueeze(1)
    if size != 8:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False).clamp_(0.0, 1.0)
    y = torch.from_numpy(raw.target).long()
    kind = "image"
    if layout == "rows":
        # The course's "LSTM over rows": each image is a sequence of its rows.
        x = x[:, 0]
        kind = "sequence"
    return RawDataset(
        name="digits", task="classification", input_kind=kind, x=x.contiguous(), y={"label": y},
        targets={"label": TargetInfo("class", 10)}, class_names=[str(i) for i in range(10)],
    )


SHAPE_NAMES = ["circle", "square", "triangle"]


def load_shapes(options: dict[str, Any]) -> RawDataset:
    """Circles, squares and triangles on noisy backgrounds, with class, bounding box and mask.

    The mask holds 0 for background and 1 + class index for the shape's pixels, so a U-Net learns
    4 classes; the box is (x0, y0, x1, y1) as fractions of the image side, tight around the mask.
    """
    size = _opt_int(options, "size", 32, 8, 256, "shapes")
    count = _opt_int(options, "count", 1200, 3, 200_000, "shapes")
    channels = _opt_int(options, "channels", 1, 1, 3, "shapes")
    if channels == 2:
        raise UserError("dataset 'shapes': channels must be 1 or 3")
    check_dataset_memory("shapes", count, channels, size, size, f"size {size} with count {count}",
                         "use a smaller size or count")
    seed = int(options.get("seed", 0))
    noise = float(options.get("noise", 0.15))
    g = torch.Generator().manual_seed(seed)

    label = torch.arange(count) % 3
    label = label[torch.randperm(count, generator=g)]
    half = (0.18 + 0.17 * torch.rand(count, generator=g)) * size
    margin = half + 1.0
    cx = margin + torch.rand(count, generator=g) * (size - 2 * margin)
    cy = margin + torch.rand(count, generator=g) * (size - 2 * margin)

    coords = torch.arange(size, dtype=torch.float32) + 0.5
    yy = coords.view(1, size, 1)
    xx = coords.view(1, 1, size)
    dx = xx - cx.view(-1, 1, 1)
    dy = yy - cy.view(-1, 1, 1)
    h = half.view(-1, 1, 1)
    circle = dx * dx + dy * dy <= h * h
    square = (dx.abs() <= 0.85 * h) & (dy.abs() <= 0.85 * h)
    triangle = (dy <= h) & (dy >= -h) & (dx.abs() <= (dy + h) / 2)
    kind = label.view(-1, 1, 1)
    inside = torch.where(kind == 0, circle, torch.where(kind == 1, square, triangle))

    background = 0.2 * torch.rand(count, channels, 1, 1, generator=g)
    gradient = 0.2 * torch.rand(count, channels, 1, 1, generator=g) * (xx / size).unsqueeze(1)
    colour = 0.6 + 0.4 * torch.rand(count, channels, 1, 1, generator=g)
    image = background + gradient + noise * torch.randn(count, channels, size, size, generator=g)
    image = torch.where(inside.unsqueeze(1), colour + 0.5 * noise * torch.randn(
        count, channels, size, size, generator=g), image)
    image = image.clamp_(0.0, 1.0)

    mask = torch.where(inside, label.view(-1, 1, 1) + 1, torch.zeros((), dtype=torch.long))
    rows = inside.any(dim=2)  # (N, H): which rows hold the shape
    cols = inside.any(dim=1)  # (N, W): which columns hold the shape
    idx = torch.arange(size)
    big = size + 1
    x0 = torch.where(cols, idx, big).min(dim=1).values
    x1 = torch.where(cols, idx, -1).max(dim=1).values + 1
    y0 = torch.where(rows, idx, big).min(dim=1).values
    y1 = torch.where(rows, idx, -1).max(dim=1).values + 1
    box = torch.stack([x0, y0, x1, y1], dim=1).float() / size
    # landmarks: the box's corners clockwise from the top left, (x, y) each (a square's own corners;
    # a triangle's two base corners and the top corners beside its apex)
    corners = torch.stack([box[:, [0, 1]], box[:, [2, 1]], box[:, [2, 3]], box[:, [0, 3]]], dim=1)

    return RawDataset(
        name="shapes", task="classification", input_kind="image", x=image.contiguous(),
        y={"label": label.long(), "box": box, "mask": mask.long(), "corners": corners.contiguous()},
        targets={
            "label": TargetInfo("class", 3),
            "box": TargetInfo("box", shape=(4,)),
            "mask": TargetInfo("mask", 4, shape=(size, size)),
            "corners": TargetInfo("points", shape=(4, 2)),
        },
        class_names=list(SHAPE_NAMES),
    )


SEQUENCE_TASKS = {
    "majority": "the label is the token that occurs most often (ties go to the smaller token)",
    "first": "the label is the first token: the network must remember it to the end",
    "parity": "the label is whether token 0 occurs an odd number of times",
}


def load_sequence(options: dict[str, Any]) -> RawDataset:
    """Random token sequences whose label is a simple function of the whole sequence."""
    task = str(options.get("task", "majority"))
    if task not in SEQUENCE_TASKS:
        raise UserError(f"dataset 'sequence': unknown task {task!r}", f"use one of {', '.join(SEQUENCE_TASKS)}")
    vocab = _opt_int(options, "vocab", 8, 2, 4096, "sequence")
    length = _opt_int(options, "length", 16, 2, 4096, "sequence")
    count = _opt_int(options, "count", 2000, 4, 1_000_000, "sequence")
    encoding = str(options.get("encoding", "tokens"))
    if encoding not in ("tokens", "onehot"):
        raise UserError(f"dataset 'sequence': unknown encoding {encoding!r}", "use 'tokens' or 'onehot'")
    g = torch.Generator().manual_seed(int(options.get("seed", 0)))
    tokens = torch.randint(0, vocab, (count, length), generator=g)
    if task == "majority":
        counts = F.one_hot(tokens, vocab).sum(dim=1)
        # argmax returns the first maximum, i.e. the smaller token on ties.
        label = counts.argmax(dim=1)
        names = [f"token {i}" for i in range(vocab)]
    elif task == "first":
        label = tokens[:, 0].clone()
        names = [f"token {i}" for i in range(vocab)]
    else:
        label = (tokens == 0).sum(dim=1) % 2
        names = ["even", "odd"]
    n_classes = len(names)
    if encoding == "onehot":
        x = F.one_hot(tokens, vocab).float()
        kind = "sequence"
    else:
        x = tokens
        kind = "tokens"
    return RawDataset(
        name="sequence", task="classification", input_kind=kind, x=x.contiguous(), y={"label": label.long()},
        targets={"label": TargetInfo("class", n_classes)}, class_names=names,
        vocab_size=vocab, normalise=False, notes=SEQUENCE_TASKS[task],
    )


SINE_BANDS = ["slow", "medium", "fast"]


def load_sine(options: dict[str, Any]) -> RawDataset:
    """Windows of multi-channel sine series: forecast the next values (target) and name the band (label).

    Channel c is the same oscillation shifted by c quarter periods, so the channels share structure
    that a multi-task network can exploit (hard sharing of early layers, a head per task).
    """
    count = _opt_int(options, "count", 2000, 3, 1_000_000, "sine")
    length = _opt_int(options, "length", 32, 4, 4096, "sine")
    channels = _opt_int(options, "channels", 2, 1, 64, "sine")
    horizon = _opt_int(options, "horizon", 1, 1, 256, "sine")
    noise = float(options.get("noise", 0.05))
    g = torch.Generator().manual_seed(int(options.get("seed", 0)))
    band = torch.randint(0, 3, (count,), generator=g)
    low = torch.tensor([0.02, 0.06, 0.12])[band]
    freq = low * (1.0 + 0.4 * torch.rand(count, generator=g))
    phase = 2 * math.pi * torch.rand(count, generator=g)
    amp = 0.5 + 0.5 * torch.rand(count, generator=g)
    t = torch.arange(length + horizon, dtype=torch.float32)
    shift = torch.arange(channels, dtype=torch.float32) * (math.pi / 2)
    angle = (2 * math.pi * freq.view(-1, 1, 1) * t.view(1, -1, 1) + phase.view(-1, 1, 1) + shift.view(1, 1, -1))
    series = amp.view(-1, 1, 1) * torch.sin(angle)
    series = series + noise * torch.randn(series.shape, generator=g)
    x = series[:, :length].contiguous()
    target = series[:, length:].reshape(count, horizon * channels).contiguous()
    return RawDataset(
        name="sine", task="multitask", input_kind="sequence", x=x,
        y={"target": target, "label": band.long()},
        targets={"target": TargetInfo("value", shape=(horizon * channels,)), "label": TargetInfo("class", 3)},
        class_names=list(SINE_BANDS), normalise=False,
    )
