"""What a convolution layer has learned, read straight from its weights.

The first layer's filters are the one place where weights look like pictures: edge and colour
detectors in a trained network, noise in an untrained one. Deeper layers' filters mix many input
channels; we show one tile per (filter, input channel) pair, capped so the grid stays readable.

Zero weight is mid-grey; positive is light, negative dark (or, for three-channel filters, each
colour channel on the same scale). The scale is per filter (every tile uses its full contrast: shapes
are easy to see) or shared (one scale for the whole layer: which filters are strong is easy to see).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.layers import find_module
from studio.core.explain.render import apply_colormap, enlarge, tile

CONV_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
SCALES = ("filter", "shared")
MIN_TILE_PIXELS = 24


@dataclass
class FilterGrid:
    """A layer's filters laid out as one RGB image."""

    layer: str
    image: np.ndarray
    """(H, W, 3) uint8."""
    filters_shown: int
    channels_shown: int
    out_channels: int
    in_channels: int
    kernel: tuple[int, ...]
    colour: bool
    """True when each tile shows a 3-channel (RGB) filter in colour."""
    scale: str
    max_abs: float
    """The largest weight magnitude in the layer (the shared scale's full range)."""


def conv_layers(model: nn.Module) -> list[str]:
    """Names of the convolution layers, in the order the model registers them."""
    return [name for name, m in model.named_modules() if name and isinstance(m, CONV_TYPES)]


def conv_weight(model: nn.Module, layer: str | None) -> tuple[str, torch.Tensor]:
    """The named (or first) convolution's weight as (out, in, kh, kw), on the CPU."""
    names = conv_layers(model)
    if layer is None:
        if not names:
            raise UserError("the model has no convolution layer whose filters could be shown")
        layer = names[0]
    module = find_module(model, layer)
    if not isinstance(module, CONV_TYPES):
        raise UserError(f"layer {layer!r} is a {type(module).__name__}, not a convolution",
                        f"choose one of {', '.join(names) or 'none (the model has no convolutions)'}")
    w = module.weight.detach().float().cpu()
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        w = w.transpose(0, 1)  # stored as (in, out, ...); show per output filter
    if w.dim() == 3:
        w = w.unsqueeze(2)
    elif w.dim() == 5:
        w = w[:, :, w.shape[2] // 2]  # the middle slice of a 3-D kernel
    return layer, w


def _grey_tiles(values: torch.Tensor, scale_per_tile: bool, shared: float) -> list[np.ndarray]:
    out = []
    for t in values:
        top = float(t.abs().max()) if scale_per_tile else shared
        v = 0.5 + 0.5 * (t / top).numpy() if top > 0 else np.full(t.shape, 0.5, dtype=np.float32)
        out.append(apply_colormap(v, "gray"))
    return out


def filter_grid(model: nn.Module, layer: str | None = None, scale: str = "filter", max_tiles: int = 256,
                zoom: int | None = None, background: int = 255) -> FilterGrid:
    """The filters of `layer` (default: the first convolution) as one image.

    `background` is the grey level between tiles (a dark theme wants a dark one, not a white frame).
    """
    if scale not in SCALES:
        raise UserError(f"unknown filter scale {scale!r}", f"choose one of {', '.join(SCALES)}")
    layer, w = conv_weight(model, layer)
    out_ch, in_ch, kh, kw = w.shape
    shared = float(w.abs().max())
    per_tile = scale == "filter"
    if in_ch == 3:
        shown = min(out_ch, max_tiles)
        tiles = []
        for f in w[:shown]:
            top = float(f.abs().max()) if per_tile else shared
            v = 0.5 + 0.5 * (f / top) if top > 0 else torch.full_like(f, 0.5)
            tiles.append((v.permute(1, 2, 0).clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8))
        cols, channels = None, 3
    else:
        channels = min(in_ch, max_tiles)
        shown = max(1, min(out_ch, max_tiles // channels))
        tiles = _grey_tiles(w[:shown, :channels].reshape(-1, kh, kw), per_tile, shared)
        cols = None if channels == 1 else channels
    factor = zoom if zoom is not None else max(1, MIN_TILE_PIXELS // max(kh, kw))
    image = tile([enlarge(t, factor) for t in tiles], cols=cols, pad=1, background=background)
    return FilterGrid(layer=layer, image=image, filters_shown=shown, channels_shown=channels, out_channels=out_ch,
                      in_channels=in_ch, kernel=(kh, kw), colour=in_ch == 3, scale=scale, max_abs=shared)
