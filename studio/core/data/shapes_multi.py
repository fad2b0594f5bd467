"""`shapes_multi`: several shapes per image, each with its class, box and mask, for object detection.

The multi-object sibling of the built-in `shapes` (circles, squares and triangles on a noisy
background): each image holds between `min_objects` and `max_objects` shapes (0 allowed: a
detector must learn to say "nothing here" too), placed so that their boxes do not touch, so every
box is tight around its own shape's pixels and no shape hides another. Seeded: the same options give
the same images.

Targets:
* `boxes` (N, M, 5) float32, M = max_objects: one row per object, (class, x0, y0, x1, y1) with the
  corners as fractions of the image side; unused rows have class -1 and zeros (padding, so a batch
  is one tensor);
* `mask` (N, H, W) int64: 0 for background, 1 + class for a shape's pixels (a U-Net's target);
* `count` (N,) int64: how many objects the image holds.
"""

from __future__ import annotations

from typing import Any

import torch

from studio.core.data.builtin import SHAPE_NAMES, _opt_int
from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.data.images import check_dataset_memory
from studio.core.errors import UserError

NAME = "shapes_multi"
PLACEMENT_TRIES = 30
"""Candidate positions tried per object; an object with no free place after them is left out."""


def _opt_float(options: dict[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = options.get(key, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise UserError(f"dataset '{NAME}': option {key}={value!r} is not a number") from None
    if not lo <= value <= hi:
        raise UserError(f"dataset '{NAME}': option {key}={value:g} is out of range", f"use a value from {lo:g} to {hi:g}")
    return value


def _place(count: int, slots: int, size: int, lo: float, hi: float, g: torch.Generator):
    """Centres and half-sides (N, slots) of objects whose boxes (grown by a pixel) never overlap,
    and which slots hold an object. Vectorised over the images: slots x tries small steps."""
    cx = torch.zeros(count, slots)
    cy = torch.zeros(count, slots)
    half = torch.zeros(count, slots)
    placed = torch.zeros(count, slots, dtype=torch.bool)
    for k in range(slots):
        h = (lo + (hi - lo) * torch.rand(count, PLACEMENT_TRIES, generator=g)) * size
        margin = h + 1.0
        x = margin + torch.rand(count, PLACEMENT_TRIES, generator=g) * (size - 2 * margin)
        y = margin + torch.rand(count, PLACEMENT_TRIES, generator=g) * (size - 2 * margin)
        if k:
            # does candidate t of image n overlap an object already there? (boxes +-(h+1))
            dx = (x.unsqueeze(2) - cx[:, None, :k]).abs()
            dy = (y.unsqueeze(2) - cy[:, None, :k]).abs()
            reach = h.unsqueeze(2) + half[:, None, :k] + 2.0
            clash = ((dx < reach) & (dy < reach) & placed[:, None, :k]).any(dim=2)
        else:
            clash = torch.zeros(count, PLACEMENT_TRIES, dtype=torch.bool)
        free = ~clash
        first = torch.where(free, torch.arange(PLACEMENT_TRIES), PLACEMENT_TRIES).min(dim=1).values
        ok = first < PLACEMENT_TRIES
        pick = first.clamp(max=PLACEMENT_TRIES - 1).unsqueeze(1)
        cx[:, k] = x.gather(1, pick).squeeze(1)
        cy[:, k] = y.gather(1, pick).squeeze(1)
        half[:, k] = torch.where(ok, h.gather(1, pick).squeeze(1), 0.0)
        placed[:, k] = ok
    return cx, cy, half, placed


def load_shapes_multi(options: dict[str, Any]) -> RawDataset:
    """Images with 0..max_objects circles, squares and triangles each; boxes, masks and counts."""
    size = _opt_int(options, "size", 64, 16, 256, NAME)
    count = _opt_int(options, "count", 1500, 3, 100_000, NAME)
    channels = _opt_int(options, "channels", 1, 1, 3, NAME)
    if channels == 2:
        raise UserError(f"dataset '{NAME}': channels must be 1 or 3")
    min_objects = _opt_int(options, "min_objects", 0, 0, 16, NAME)
    max_objects = _opt_int(options, "max_objects", 4, 1, 16, NAME)
    if min_objects > max_objects:
        raise UserError(f"dataset '{NAME}': min_objects {min_objects} is above max_objects {max_objects}",
                        f"set min_objects to at most {max_objects}")
    min_size = _opt_float(options, "min_size", 0.08, 0.02, 0.45)
    max_size = _opt_float(options, "max_size", 0.2, 0.02, 0.45)
    if min_size > max_size:
        raise UserError(f"dataset '{NAME}': min_size {min_size:g} is above max_size {max_size:g}",
                        f"set min_size to at most {max_size:g}")
    noise = _opt_float(options, "noise", 0.1, 0.0, 1.0)
    check_dataset_memory(NAME, count, channels, size, size, f"size {size} with count {count}",
                         "use a smaller size or count")
    g = torch.Generator().manual_seed(int(options.get("seed", 0)))
    m = max_objects

    wanted = torch.randint(min_objects, max_objects + 1, (count,), generator=g)
    label = torch.randint(0, len(SHAPE_NAMES), (count, m), generator=g)
    cx, cy, half, placed = _place(count, m, size, min_size, max_size, g)
    placed &= torch.arange(m).unsqueeze(0) < wanted.unsqueeze(1)

    coords = torch.arange(size, dtype=torch.float32) + 0.5
    yy = coords.view(1, size, 1)
    xx = coords.view(1, 1, size)
    background = 0.2 * torch.rand(count, channels, 1, 1, generator=g)
    gradient = 0.2 * torch.rand(count, channels, 1, 1, generator=g) * (xx / size).unsqueeze(1)
    image = background + gradient + noise * torch.randn(count, channels, size, size, generator=g)
    mask = torch.zeros(count, size, size, dtype=torch.long)
    boxes = torch.zeros(count, m, 5)
    boxes[..., 0] = -1.0
    idx = torch.arange(size)
    for k in range(m):
        dx = xx - cx[:, k].view(-1, 1, 1)
        dy = yy - cy[:, k].view(-1, 1, 1)
        h = half[:, k].view(-1, 1, 1)
        circle = dx * dx + dy * dy <= h * h
        square = (dx.abs() <= 0.85 * h) & (dy.abs() <= 0.85 * h)
        triangle = (dy <= h) & (dy >= -h) & (dx.abs() <= (dy + h) / 2)
        kind = label[:, k].view(-1, 1, 1)
        inside = torch.where(kind == 0, circle, torch.where(kind == 1, square, triangle))
        inside &= placed[:, k].view(-1, 1, 1)
        colour = 0.6 + 0.4 * torch.rand(count, channels, 1, 1, generator=g)
        texture = 0.5 * noise * torch.randn(count, channels, size, size, generator=g)
        image = torch.where(inside.unsqueeze(1), colour + texture, image)
        mask = torch.where(inside, label[:, k].view(-1, 1, 1) + 1, mask)
        rows, cols = inside.any(dim=2), inside.any(dim=1)
        x0 = torch.where(cols, idx, size + 1).min(dim=1).values
        x1 = torch.where(cols, idx, -1).max(dim=1).values + 1
        y0 = torch.where(rows, idx, size + 1).min(dim=1).values
        y1 = torch.where(rows, idx, -1).max(dim=1).values + 1
        present = rows.any(dim=1)  # an object too small to cover a pixel is left out
        box = torch.stack([x0, y0, x1, y1], dim=1).float() / size
        boxes[:, k] = torch.where(present.unsqueeze(1), torch.cat([label[:, k:k + 1].float(), box], dim=1),
                                  boxes[:, k])
    # objects first, padding after, in placement order
    order = torch.sort((boxes[..., 0] < 0).to(torch.int8), dim=1, stable=True).indices
    boxes = boxes.gather(1, order.unsqueeze(2).expand(-1, -1, 5))
    n_objects = (boxes[..., 0] >= 0).sum(dim=1)
    return RawDataset(
        name=NAME, task="detection", input_kind="image", x=image.clamp_(0.0, 1.0).contiguous(),
        y={"boxes": boxes.contiguous(), "mask": mask, "count": n_objects.long()},
        targets={
            "boxes": TargetInfo("boxes", len(SHAPE_NAMES), shape=(m, 5)),
            "mask": TargetInfo("mask", len(SHAPE_NAMES) + 1, shape=(size, size)),
            "count": TargetInfo("value", shape=()),
        },
        class_names=list(SHAPE_NAMES),
        notes=f"{min_objects} to {max_objects} shapes per image; boxes (class, x0, y0, x1, y1), class -1 = no object",
    )
