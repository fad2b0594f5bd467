"""Turning maps and images into RGB pixels: colormaps, heatmap overlays, tiled grids, PNG files.

Only numpy and torch are needed (matplotlib's colormaps are used when it happens to be installed,
for names we do not ship). Colormaps are 256-entry lookup tables built by linear interpolation
between a few anchor colours of the well-known maps; close enough to read a heatmap, small enough to
live here. Every function returns uint8 RGB arrays shaped (H, W, 3), what Qt's QImage and PNG want.
"""

from __future__ import annotations

import os
import struct
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

_ANCHORS: dict[str, list[tuple[int, int, int]]] = {
    "viridis": [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
                (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)],
    "inferno": [(0, 0, 4), (31, 12, 72), (85, 15, 109), (136, 34, 106), (186, 54, 85),
                (227, 89, 51), (249, 140, 10), (249, 201, 50), (252, 255, 164)],
    "jet": [(0, 0, 128), (0, 0, 255), (0, 128, 255), (0, 255, 255), (128, 255, 128),
            (255, 255, 0), (255, 128, 0), (255, 0, 0), (128, 0, 0)],
    "hot": [(11, 0, 0), (128, 0, 0), (255, 0, 0), (255, 128, 0), (255, 255, 0), (255, 255, 128), (255, 255, 255)],
    "gray": [(0, 0, 0), (255, 255, 255)],
    "coolwarm": [(59, 76, 192), (98, 130, 234), (141, 176, 254), (184, 208, 249), (221, 221, 221),
                 (245, 196, 173), (244, 154, 123), (222, 96, 77), (180, 4, 38)],
}
COLORMAPS = tuple(_ANCHORS)
DIVERGING_DEFAULT = "coolwarm"


@lru_cache(maxsize=32)
def colormap_lut(name: str) -> np.ndarray:
    """A (256, 3) uint8 lookup table for colormap `name`."""
    anchors = _ANCHORS.get(name)
    if anchors is None:
        try:
            from matplotlib import colormaps  # optional; only for names we do not ship
        except ImportError:
            raise ValueError(f"unknown colormap {name!r}; choose one of {', '.join(COLORMAPS)}") from None
        try:
            cmap = colormaps[name]
        except KeyError:
            raise ValueError(f"unknown colormap {name!r}; choose one of {', '.join(COLORMAPS)}") from None
        return (np.asarray(cmap(np.linspace(0, 1, 256)))[:, :3] * 255 + 0.5).astype(np.uint8)
    table = np.asarray(anchors, dtype=np.float64)
    positions = np.linspace(0.0, 1.0, len(table))
    t = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(t, positions, table[:, c]) for c in range(3)], axis=1)
    return (lut + 0.5).astype(np.uint8)


def apply_colormap(values: np.ndarray, name: str = "jet", lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """Values in [lo, hi] (clipped) to RGB uint8, shape (..., 3)."""
    values = np.asarray(values, dtype=np.float32)
    span = hi - lo if hi > lo else 1.0
    idx = np.clip((values - lo) / span, 0.0, 1.0)
    idx = np.nan_to_num(idx, nan=0.0)
    return colormap_lut(name)[(idx * 255 + 0.5).astype(np.intp)]


def as_numpy(a) -> np.ndarray:
    if isinstance(a, torch.Tensor):
        return a.detach().float().cpu().numpy()
    return np.asarray(a)


def to_rgb_float(image) -> np.ndarray:
    """An image as (H, W, 3) float32 in [0, 1]: from (H, W), (H, W, C), or a (C, H, W) tensor."""
    chw = isinstance(image, torch.Tensor) and image.dim() == 3
    arr = as_numpy(image)
    if arr.dtype == np.uint8:
        arr = arr.astype(np.float32) / 255.0
    arr = arr.astype(np.float32)
    if arr.ndim == 3 and chw:
        arr = np.transpose(arr, (1, 2, 0))
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    elif arr.shape[2] != 3:
        arr = np.repeat(arr.mean(axis=2, keepdims=True), 3, axis=2)
    return np.clip(arr, 0.0, 1.0)


def denormalise(x: torch.Tensor, mean: list[float] | None, std: list[float] | None) -> torch.Tensor:
    """Undo the dataset's per-channel normalisation of one image (C, H, W), then min-max to [0, 1]
    when no statistics are known (so any input can be shown)."""
    x = x.detach().float().cpu()
    if mean is not None and std is not None:
        m = torch.as_tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        s = torch.as_tensor(std, dtype=torch.float32).view(-1, 1, 1)
        return (x * s + m).clamp(0.0, 1.0)
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else torch.zeros_like(x)


def resize(arr: np.ndarray, size: tuple[int, int], smooth: bool) -> np.ndarray:
    """(H, W) or (H, W, C) float array to `size` (rows, cols): bilinear when smooth, else nearest."""
    if tuple(arr.shape[:2]) == tuple(size):
        return arr
    t = torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32))
    t = t.unsqueeze(2) if t.dim() == 2 else t
    t = t.permute(2, 0, 1).unsqueeze(0)
    if smooth:
        out = F.interpolate(t, size=size, mode="bilinear", align_corners=False)
    else:
        out = F.interpolate(t, size=size, mode="nearest")
    out = out.squeeze(0).permute(1, 2, 0).numpy()
    return out[:, :, 0] if arr.ndim == 2 else out


def overlay(image, heatmap, opacity: float = 0.5, colormap: str | None = None, signed: bool = False,
            size: tuple[int, int] | None = None) -> np.ndarray:
    """The image with the heatmap blended on top, as (H, W, 3) uint8.

    `heatmap` is in [0, 1] (or [-1, 1] when `signed`; then a diverging colormap centres zero).
    `size` renders at a display size: the image is enlarged with nearest-neighbour (pixels stay
    visible), the heatmap bilinearly (it is a smooth field).
    """
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity {opacity} must be between 0 and 1")
    rgb = to_rgb_float(image)
    heat = as_numpy(heatmap).astype(np.float32)
    if heat.ndim == 3:
        heat = heat[0]
    target = tuple(size) if size is not None else rgb.shape[:2]
    rgb = resize(rgb, target, smooth=False)
    heat = resize(heat, target, smooth=True)
    if signed:
        colours = apply_colormap(heat, colormap or DIVERGING_DEFAULT, -1.0, 1.0)
    else:
        colours = apply_colormap(heat, colormap or "jet", 0.0, 1.0)
    blended = (1.0 - opacity) * rgb + opacity * (colours.astype(np.float32) / 255.0)
    return (np.clip(blended, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)


def overlay_grid(images, heatmaps, opacity: float = 0.5, colormap: str | None = None, signed: bool = False,
                 tile_size: tuple[int, int] | None = None, cols: int | None = None) -> np.ndarray:
    """A batch of overlays in one grid image (the panel's "whole batch with predictions" view).

    `images` are display-ready (N, C, H, W) in [0, 1] (see `denormalise`), `heatmaps` (N, h, w).
    """
    tiles = [overlay(img, heat, opacity, colormap, signed, size=tile_size) for img, heat in zip(images, heatmaps, strict=True)]
    return tile(tiles, cols=cols, pad=2, background=255)


def tile(images: list[np.ndarray], cols: int | None = None, pad: int = 1, background: int = 255) -> np.ndarray:
    """Equal-sized (h, w, 3) uint8 images in a grid with `pad` pixels between them."""
    if not images:
        return np.full((1, 1, 3), background, dtype=np.uint8)
    n = len(images)
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    h, w = images[0].shape[:2]
    out = np.full((rows * h + (rows + 1) * pad, cols * w + (cols + 1) * pad, 3), background, dtype=np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        out[y:y + h, x:x + w] = img
    return out


def enlarge(rgb: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement by an integer factor (small filters become visible)."""
    if factor <= 1:
        return rgb
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)


def write_png(path: str | os.PathLike[str], rgb: np.ndarray) -> Path:
    """Write (H, W, 3) or (H, W) uint8 pixels as a PNG file (Pillow when present, else zlib)."""
    path = Path(path)
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(_png_bytes(arr))
    else:
        Image.fromarray(arr).save(path, format="PNG")
    return path


def _png_bytes(arr: np.ndarray) -> bytes:
    """A minimal PNG encoder (8-bit RGB, no filtering) for machines without Pillow."""
    h, w = arr.shape[:2]
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
