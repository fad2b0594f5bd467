"""Augmentation applied to whole batches on the device: flip, crop (shift), rotation, noise.

Batches never leave the GPU, so augmentation is tensor maths there too: one `grid_sample` does crop
and rotation together. Targets that live in image space follow the image: masks are resampled with
nearest-neighbour, boxes are mirrored, shifted and rotated (the box of the rotated corners).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from studio.core.errors import UserError

IMAGE_ONLY = ("flip", "crop", "rotation")


def validate_augment(config: dict[str, Any], input_kind: str) -> dict[str, Any]:
    """Normalise the toggles to {"flip": bool, "crop": pixels, "rotation": degrees, "noise": std}."""
    unknown = set(config) - {"flip", "crop", "rotation", "noise"}
    if unknown:
        raise UserError(f"unknown augmentation {', '.join(sorted(unknown))}", "use flip, crop, rotation or noise")
    out = {
        "flip": bool(config.get("flip", False)),
        "crop": int(4 if config.get("crop") is True else (config.get("crop") or 0)),
        "rotation": float(config.get("rotation") or 0.0),
        "noise": float(config.get("noise") or 0.0),
    }
    if out["crop"] < 0 or out["rotation"] < 0 or out["noise"] < 0:
        raise UserError("augmentation amounts must not be negative")
    if input_kind != "image":
        used = [k for k in IMAGE_ONLY if out[k]]
        if used:
            raise UserError(f"augmentation {', '.join(used)} works on images, but this dataset gives {input_kind} data",
                            "turn it off, or use noise")
    return out


def is_active(config: dict[str, Any]) -> bool:
    return bool(config and (config.get("flip") or config.get("crop") or config.get("rotation") or config.get("noise")))


def augment_batch(
    x: torch.Tensor, targets: dict[str, torch.Tensor], config: dict[str, Any],
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Return augmented copies of a batch; `targets` named "mask" and "box" follow the geometry."""
    if not is_active(config):
        return x, targets
    targets = dict(targets)
    n, dev = x.shape[0], x.device

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=generator, device=dev)

    if config.get("flip") and x.dim() == 4:
        flip = rand(n) < 0.5
        x = torch.where(flip.view(-1, 1, 1, 1), x.flip(-1), x)
        if "mask" in targets:
            targets["mask"] = torch.where(flip.view(-1, 1, 1), targets["mask"].flip(-1), targets["mask"])
        if "box" in targets:
            b = targets["box"]
            mirrored = torch.stack([1 - b[:, 2], b[:, 1], 1 - b[:, 0], b[:, 3]], dim=1)
            targets["box"] = torch.where(flip.view(-1, 1), mirrored, b)

    crop, rotation = int(config.get("crop") or 0), float(config.get("rotation") or 0.0)
    if (crop or rotation) and x.dim() == 4:
        h, w = x.shape[-2:]
        angle = (rand(n) * 2 - 1) * math.radians(rotation)
        # A shift of up to `crop` pixels, as random-crop-with-padding does, in [-1, 1] coordinates.
        tx = (rand(n) * 2 - 1) * (2.0 * crop / w)
        ty = (rand(n) * 2 - 1) * (2.0 * crop / h)
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
        grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        if "mask" in targets:
            m = targets["mask"].unsqueeze(1).to(x.dtype)
            m = F.grid_sample(m, grid, mode="nearest", padding_mode="zeros", align_corners=False)
            targets["mask"] = m.squeeze(1).round().long()
        if "box" in targets:
            targets["box"] = _transform_boxes(targets["box"], cos, sin, tx, ty)

    noise = float(config.get("noise") or 0.0)
    if noise and x.is_floating_point():
        x = x + noise * torch.randn(x.shape, generator=generator, device=dev, dtype=x.dtype)
    return x, targets


def _transform_boxes(box: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, tx: torch.Tensor,
                     ty: torch.Tensor) -> torch.Tensor:
    """Boxes under the inverse of the sampling map (grid_sample maps output points to input points)."""
    u0, v0, u1, v1 = (box * 2 - 1).unbind(1)
    cu = torch.stack([u0, u1, u1, u0], 1) - tx.view(-1, 1)
    cv = torch.stack([v0, v0, v1, v1], 1) - ty.view(-1, 1)
    # inverse rotation: R^T
    ou = cos.view(-1, 1) * cu + sin.view(-1, 1) * cv
    ov = -sin.view(-1, 1) * cu + cos.view(-1, 1) * cv
    out = torch.stack([ou.min(1).values, ov.min(1).values, ou.max(1).values, ov.max(1).values], 1)
    return ((out + 1) / 2).clamp(0.0, 1.0).to(box.dtype)
