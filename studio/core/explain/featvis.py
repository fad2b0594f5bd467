"""Feature visualisation: the input image that a chosen channel responds to most.

Starting from noise, gradient ascent changes the *image* (never the weights) to raise the
channel's mean activation. Left alone, ascent produces high-frequency noise that exploits the
network; small random jitters, rescalings and rotations at every step (so only patterns that
survive being moved count), a little weight decay, an occasional blur and clamping to the range of
real (normalised) pixels give pictures a person can read.

Two choices keep the picture about a *pattern*. The objective of a map is the mean of the
channel's rectified activation, how strongly it fires: the plain mean of a convolution's output is
linear in the image, so only the image's brightness could move it. And the image's mean (per
colour channel) is held where it started, at the data's average: many channels of a small CNN fire
most for an image that is darker (or brighter) everywhere, and ascent then drove every pixel to
the clamp, a picture of one value (pure black for `conv2` and `pool1` of the MNIST CNN, while the
reported activation rose from 0.04 to 1.6). With the brightness held, the picture shows where the channel wants
light and dark. The start noise (half the data's spread) lets a channel that is silent on faint
noise fire somewhere; one that still fires nowhere is pushed at its highest cell until it does, and
is reported `silent` if it never does.

The model's weights and `.grad` are untouched: the gradient is taken with `torch.autograd.grad`
with respect to the image only, and the optimiser owns nothing but the image.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.guard import explaining, model_device
from studio.core.explain.layers import SpatialLayer, find_module, first_tensor, probe_spatial_layers
from studio.core.explain.outputs import run_model
from studio.core.explain.render import denormalise, to_rgb_float

START_NOISE = 0.5
"""Spread of the starting image, in normalised units (the data's own spread is 1)."""


@dataclass
class FeatureVis:
    """The optimised image for one channel, and how the activation rose."""

    layer: str
    channel: int
    image: torch.Tensor
    """(C, H, W) in the model's (normalised) input space."""
    rgb: np.ndarray
    """(H, W, 3) uint8 for display."""
    history: list[float] = field(default_factory=list)
    """The channel's mean (rectified, for a map) activation at every step."""
    cancelled: bool = False

    @property
    def silent(self) -> bool:
        """The channel never fired, not even at the cell closest to firing: the picture shows nothing it likes."""
        return bool(self.history) and max(self.history) <= 0.0


def _channel_objective(out: torch.Tensor, channel: int, layer: str, info: SpatialLayer | None) -> tuple[torch.Tensor, float]:
    """What the ascent raises, and the channel's mean activation to report: for a map's channel or
    a token grid's feature the mean of its rectified activation (see the module docstring), or,
    while it fires nowhere and that mean has no gradient, its highest cell, the place closest to
    firing; a vector's unit as it is."""
    if info is not None and info.kind == "tokens":
        out = info.to_grid(out)
    if out.dim() < 2:
        raise UserError(f"layer {layer!r} outputs a single value; pick a layer with channels or units")
    if not 0 <= channel < out.shape[1]:
        raise UserError(f"channel {channel} does not exist in layer {layer!r}", f"it has {out.shape[1]} (0..{out.shape[1] - 1})")
    picked = out[:, channel].reshape(out.shape[0], -1)
    if out.dim() == 2:
        return picked.sum(), float(picked.detach().sum())
    fired = picked.clamp_min(0).mean(dim=1).sum()
    if float(fired.detach()) > 0.0:
        return fired, float(fired.detach())
    return picked.amax(dim=1).sum(), 0.0


def _random_view(img: torch.Tensor, gen: torch.Generator, jitter: int, scale: tuple[float, float],
                 rotate_deg: float) -> torch.Tensor:
    """`img` shifted by up to `jitter` pixels, rescaled and rotated at random (differentiably)."""
    if jitter > 0:
        dy, dx = (int(v) for v in torch.randint(-jitter, jitter + 1, (2,), generator=gen))
        img = torch.roll(img, shifts=(dy, dx), dims=(2, 3))
    s = float(scale[0] + (scale[1] - scale[0]) * torch.rand((), generator=gen))
    angle = math.radians(float((torch.rand((), generator=gen) * 2 - 1) * rotate_deg))
    if s == 1.0 and angle == 0.0:
        return img
    cos, sin = math.cos(angle) / s, math.sin(angle) / s
    theta = torch.tensor([[cos, -sin, 0.0], [sin, cos, 0.0]], dtype=img.dtype, device=img.device)
    grid = F.affine_grid(theta.unsqueeze(0).expand(img.shape[0], 2, 3), list(img.shape), align_corners=False)
    return F.grid_sample(img, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def _blur(img: torch.Tensor) -> torch.Tensor:
    kernel = torch.tensor([1.0, 2.0, 1.0], dtype=img.dtype, device=img.device)
    kernel = (kernel[:, None] * kernel[None, :]) / 16.0
    c = img.shape[1]
    weight = kernel.expand(c, 1, 3, 3)
    return F.conv2d(F.pad(img, (1, 1, 1, 1), mode="replicate"), weight, groups=c)


def visualise_feature(
    model: nn.Module,
    layer: str,
    channel: int,
    input_shape: tuple[int, int, int],
    *,
    steps: int = 128,
    lr: float = 0.05,
    jitter: int = 2,
    scale: tuple[float, float] = (0.95, 1.05),
    rotate_deg: float = 5.0,
    weight_decay: float = 1e-4,
    blur_every: int = 8,
    mean: list[float] | None = None,
    std: list[float] | None = None,
    seed: int = 0,
    forward: Callable[[nn.Module, torch.Tensor], Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> FeatureVis:
    """Optimise an input of `input_shape` (C, H, W) to maximise `channel` of `layer`."""
    if len(input_shape) != 3:
        raise UserError(f"feature visualisation needs an image input (C, H, W); this model takes {tuple(input_shape)}")
    module = find_module(model, layer)
    device = model_device(model)
    layers, _ = probe_spatial_layers(model, torch.zeros((1, *input_shape), device=device), forward=forward)
    info = next((candidate for candidate in layers if candidate.name == layer), None)
    gen = torch.Generator().manual_seed(seed)
    c = input_shape[0]
    if mean is not None and std is not None:
        m = torch.as_tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
        s = torch.as_tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
        lo, hi = ((0.0 - m) / s).to(device), ((1.0 - m) / s).to(device)
    else:
        lo = torch.full((1, c, 1, 1), -3.0, device=device)
        hi = torch.full((1, c, 1, 1), 3.0, device=device)
    captured: list[torch.Tensor] = []

    def hook(mod: nn.Module, inputs: Any, output: Any) -> None:
        out = first_tensor(output)
        if out is not None:
            captured.clear()
            captured.append(out)

    history: list[float] = []
    cancelled = False
    with explaining(model) as hooks:
        hooks.forward(module, hook)
        img = (START_NOISE * torch.randn((1, *input_shape), generator=gen)).to(device)
        img = torch.maximum(torch.minimum(img, hi), lo).requires_grad_(True)
        brightness = img.detach().mean(dim=(2, 3), keepdim=True)
        optimiser = torch.optim.Adam([img], lr=lr, weight_decay=weight_decay)
        for step in range(steps):
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            captured.clear()
            run_model(model, _random_view(img, gen, jitter, scale, rotate_deg), forward)
            if not captured:
                raise UserError(f"layer {layer!r} did not run for this input")
            objective, reported = _channel_objective(captured[0], channel, layer, info)
            (grad,) = torch.autograd.grad(objective, img)
            history.append(reported)
            img.grad = -grad  # ascent
            optimiser.step()
            img.grad = None
            with torch.no_grad():
                if blur_every and (step + 1) % blur_every == 0:
                    img.copy_(_blur(img))
                img.sub_(img.mean(dim=(2, 3), keepdim=True) - brightness)
                img.copy_(torch.maximum(torch.minimum(img, hi), lo))
            if progress is not None:
                progress(step + 1, steps)
        captured.clear()
    result = img.detach()[0].cpu()
    rgb = (to_rgb_float(denormalise(result, mean, std)) * 255 + 0.5).astype(np.uint8)
    return FeatureVis(layer=layer, channel=channel, image=result, rgb=rgb, history=history, cancelled=cancelled)
