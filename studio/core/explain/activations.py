"""What each channel of a layer responds to in an input, and which channels never respond at all.

Activation maps are the layer's output for one image, one small map per channel. A *dead* unit is a
channel (or, for a Linear layer, a neuron) that is never positive on any of the inputs given: after a
ReLU it outputs zero everywhere, passes no gradient, and has stopped learning. A handful is normal;
a large fraction points at too high a learning rate or a bad initialisation, which is why the
panel highlights them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.guard import explaining, model_device
from studio.core.explain.layers import (
    describe_output,
    find_module,
    first_tensor,
    probe_spatial_layers,
    resolve_layer,
)
from studio.core.explain.outputs import run_model
from studio.core.explain.render import apply_colormap, enlarge, tile


@dataclass
class ActivationMaps:
    """One image's activations at a spatial layer."""

    layer: str
    maps: torch.Tensor
    """(C, h, w) float32 CPU."""
    dead: torch.Tensor
    """(C,) bool: channels with no positive value on this image."""

    @property
    def channels(self) -> int:
        return int(self.maps.shape[0])


@dataclass
class DeadUnits:
    """Which units of a layer never fired on a batch of inputs."""

    layer: str
    dead: list[int]
    units: int
    peak: torch.Tensor
    """(units,) the largest activation each unit reached."""

    @property
    def fraction(self) -> float:
        return len(self.dead) / self.units if self.units else 0.0


def capture_output(model: nn.Module, x: torch.Tensor, layer: str, forward=None) -> torch.Tensor:
    """The output of `layer` for inputs `x` (eval mode, no gradients), as the model produced it."""
    module = find_module(model, layer)
    seen: list[torch.Tensor] = []

    def hook(mod: nn.Module, inputs: Any, output: Any) -> None:
        out = first_tensor(output)
        if out is not None:
            seen.clear()
            seen.append(out.detach().clone())  # a later in-place op must not change what we saw

    with explaining(model) as hooks, torch.no_grad():
        hooks.forward(module, hook)
        run_model(model, x.detach().to(model_device(model)), forward)
    if not seen:
        raise UserError(f"layer {layer!r} did not run for this input")
    return seen[0].float().cpu()


def activation_maps(model: nn.Module, x: torch.Tensor, layer: str | None = None, forward=None) -> ActivationMaps:
    """Per-channel maps of one image at `layer` (default: the first spatial layer after the input)."""
    if x.dim() == 3:
        x = x.unsqueeze(0)
    x = x[:1]
    if layer is None:
        layers, _ = probe_spatial_layers(model, x, forward=forward)
        computed = [item for item in layers if not item.is_input and item.same_as is None]
        if not computed:
            raise UserError("the model has no layer with a spatial output to show")
        layer = computed[0].name
    spatial = resolve_layer(model, x, layer, forward=forward)
    maps = spatial.to_grid(capture_output(model, x, spatial.name, forward))[0]
    return ActivationMaps(layer=spatial.name, maps=maps, dead=maps.flatten(1).amax(dim=1) <= 0)


def activation_grid(acts: ActivationMaps, colormap: str = "viridis", scale: str = "channel", cols: int | None = None,
                    max_channels: int = 256, zoom: int | None = None, highlight_dead: bool = True,
                    background: int = 255) -> np.ndarray:
    """All channel maps tiled into one RGB image; dead channels get a red frame (`background` between tiles)."""
    maps = acts.maps[:max_channels].numpy()
    if scale == "shared":
        lo, hi = float(maps.min()), float(maps.max())
        spans = [(lo, hi)] * len(maps)
    else:
        spans = [(float(m.min()), float(m.max())) for m in maps]
    factor = zoom if zoom is not None else max(1, 32 // max(maps.shape[1:]))
    tiles = []
    for m, (lo, hi), dead in zip(maps, spans, acts.dead[:max_channels].tolist(), strict=True):
        rgb = enlarge(apply_colormap(m, colormap, lo, hi if hi > lo else lo + 1.0), factor)
        if highlight_dead and dead:
            rgb = rgb.copy()
            rgb[0, :], rgb[-1, :], rgb[:, 0], rgb[:, -1] = (220, 30, 30), (220, 30, 30), (220, 30, 30), (220, 30, 30)
        tiles.append(rgb)
    return tile(tiles, cols=cols, pad=2, background=background)


def dead_units(model: nn.Module, x: torch.Tensor, layer: str, threshold: float = 0.0, forward=None,
               batch_size: int = 256) -> DeadUnits:
    """Units of `layer` (channels of a map, features of a vector) never above `threshold` on `x`."""
    peak = None
    for start in range(0, int(x.shape[0]), batch_size):
        out = capture_output(model, x[start:start + batch_size], layer, forward)
        info = describe_output(layer, find_module(model, layer), out, out.shape[0]) if out.dim() == 3 else None
        if info is not None and info.kind == "tokens":
            per_unit = out.flatten(0, 1).amax(dim=0)  # tokens: channels are the last dimension
        elif out.dim() >= 3:
            per_unit = out.transpose(0, 1).flatten(1).amax(dim=1)
        elif out.dim() == 2:
            per_unit = out.amax(dim=0)
        else:
            raise UserError(f"layer {layer!r} outputs one value per input; it has no units to inspect")
        peak = per_unit if peak is None else torch.maximum(peak, per_unit)
    assert peak is not None
    dead = [int(i) for i in torch.nonzero(peak <= threshold).flatten().tolist()]
    return DeadUnits(layer=layer, dead=dead, units=int(peak.numel()), peak=peak)
