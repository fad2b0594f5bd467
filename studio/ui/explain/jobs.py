"""The work behind each Explain view, as plain functions run on a worker thread (no Qt here).

Each returns ready-to-show RGB arrays plus the facts the view prints, so the GUI thread only puts
pixels on screen. Model calls go through `studio.core.explain` (which holds the model's lock, puts
train/eval modes back and never writes `.grad`), or through `predict` below, which takes the same
lock so a plain forward can never fire another thread's hooks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from studio.core.explain import (
    activation_grid,
    activation_maps,
    compute_cam,
    dead_units,
    filter_grid,
    overlay,
)
from studio.core.explain.guard import explaining
from studio.core.explain.outputs import class_scores, pick_output, run_model
from studio.core.explain.render import COLORMAPS, apply_colormap, to_rgb_float
from studio.ui.explain.subject import Subject

OVERLAY_SIDE = 320
TILE_SIDE = 112
DEAD_BATCH = 256


@dataclass
class CamSettings:
    method: str = "gradcam"
    layer: str | None = None
    target: Any = "predicted"
    signed: bool = False
    opacity: float = 0.5
    colormap: str | None = None
    """None: the usual default (jet, or coolwarm for a signed map)."""


def display_size(shape: tuple[int, ...], side: int) -> tuple[int, int]:
    """Rows and columns that fit `side`, keeping the input's aspect ratio."""
    h, w = int(shape[-2]), int(shape[-1])
    scale = side / max(h, w)
    return max(1, round(h * scale)), max(1, round(w * scale))


def display_rgb(subject: Subject, x: torch.Tensor, side: int) -> np.ndarray:
    """One prepared image (C, H, W) back to uint8 RGB, enlarged with nearest-neighbour to `side`."""
    from studio.core.explain.render import resize

    rgb = to_rgb_float(subject.display(x))
    rgb = resize(rgb, display_size(x.shape, side), smooth=False)
    return (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)


def predict(subject: Subject, x: torch.Tensor) -> torch.Tensor:
    """Class probabilities (N, classes) on the CPU, under the model's explanation lock."""
    with explaining(subject.model), torch.no_grad():
        scores = class_scores(pick_output(subject.model, run_model(subject.model, x, subject.forward))).float()
    return (scores.softmax(dim=1) if scores.shape[1] > 1 else scores).cpu()


def colour_bar(colormap: str | None, signed: bool, length: int = OVERLAY_SIDE, thickness: int = 12) -> np.ndarray:
    """A horizontal legend of the heatmap's colours (low to high, or −1 to +1 when signed)."""
    name = colormap or ("coolwarm" if signed else "jet")
    values = np.linspace(-1.0 if signed else 0.0, 1.0, length, dtype=np.float32)
    row = apply_colormap(values, name, -1.0 if signed else 0.0, 1.0)
    return np.repeat(row[None, :, :], thickness, axis=0)


def visible_opacity(result: Any, index: int, settings: CamSettings) -> float:
    """The heatmap's opacity, or none at all for a flat map: one colour over the image is no result."""
    return 0.0 if result.is_flat(index) else settings.opacity


@dataclass
class CamView:
    """One image explained: the input, the overlay, and what the network said about it."""

    result: Any
    """studio.core.explain.CamResult"""
    input_rgb: np.ndarray
    overlay_rgb: np.ndarray
    legend: np.ndarray
    probabilities: list[float]
    settings: CamSettings


def explain_image(subject: Subject, x: torch.Tensor, label: int | None, settings: CamSettings,
                  progress: Callable[[int, int], None], cancel: threading.Event) -> CamView:
    result = compute_cam(subject.model, x, settings.method, settings.layer, settings.target,
                         None if label is None else [label], signed=settings.signed,
                         class_names=subject.class_names, forward=subject.forward, progress=progress, cancel=cancel)
    return render_cam(subject, x, result, predict(subject, x)[0].tolist(), settings)


def render_cam(subject: Subject, x: torch.Tensor, result: Any, probabilities: list[float], settings: CamSettings) -> CamView:
    """Draw an already computed CAM with the current opacity and colormap (no model call)."""
    size = display_size(x.shape, OVERLAY_SIDE)
    picture = subject.display(x[0])
    rgb = overlay(picture, result.heatmap[0], visible_opacity(result, 0, settings), settings.colormap, settings.signed,
                  size=size)
    return CamView(result, display_rgb(subject, x[0], OVERLAY_SIDE), rgb, colour_bar(settings.colormap, settings.signed),
                   probabilities, settings)


@dataclass
class BatchTile:
    index: int
    rgb: np.ndarray
    true: int | None
    predicted: int
    probability: float
    target: int
    empty: bool = False
    """The map has nothing to point at (see CamResult.empty); the tile shows the image alone."""


@dataclass
class BatchView:
    tiles: list[BatchTile] = field(default_factory=list)
    layer: str = ""
    method: str = ""
    accuracy: float | None = None


def explain_batch(subject: Subject, indices: list[int], settings: CamSettings,
                  progress: Callable[[int, int], None], cancel: threading.Event) -> BatchView:
    """A CAM for each sample in `indices`, in one call, with the network's prediction for each."""
    assert subject.samples is not None
    x = subject.samples[indices]
    labels = subject.labels[indices] if subject.labels is not None else None
    result = compute_cam(subject.model, x, settings.method, settings.layer, settings.target, labels,
                         signed=settings.signed, class_names=subject.class_names, forward=subject.forward,
                         progress=progress, cancel=cancel)
    probs = predict(subject, x)
    size = display_size(x.shape, TILE_SIDE)
    tiles = []
    for i, index in enumerate(indices):
        if cancel.is_set():
            raise InterruptedError("batch cancelled")
        rgb = overlay(subject.display(x[i]), result.heatmap[i], visible_opacity(result, i, settings), settings.colormap,
                      settings.signed, size=size)
        pred = int(result.predicted[i])
        tiles.append(BatchTile(index, rgb, None if labels is None else int(labels[i]), pred, float(probs[i, pred]),
                               int(result.targets[i]), bool(result.empty[i])))
    known = [t for t in tiles if t.true is not None]
    accuracy = sum(t.true == t.predicted for t in known) / len(known) if known else None
    return BatchView(tiles, result.layer, result.method, accuracy)


@dataclass
class FiltersView:
    grid: Any
    """studio.core.explain.FilterGrid"""


def show_filters(subject: Subject, layer: str | None, scale: str, background: int = 255) -> FiltersView:
    return FiltersView(filter_grid(subject.model, layer, scale, background=background))


@dataclass
class ActivationsView:
    layer: str
    rgb: np.ndarray
    channels: int
    grid: tuple[int, int]
    dead: list[int]
    dead_on: str
    """"batch" when dead means never active on validation images, "image" for this image only."""
    batch_size: int


def show_activations(subject: Subject, x: torch.Tensor, layer: str | None, scale: str, colormap: str,
                     background: int = 255) -> ActivationsView:
    acts = activation_maps(subject.model, x, layer, forward=subject.forward)
    dead_on, batch = "image", 1
    if subject.samples is not None and len(subject.samples):
        batch_x = subject.samples[:DEAD_BATCH]
        found = dead_units(subject.model, batch_x, acts.layer, forward=subject.forward)
        if found.units == acts.channels:
            mask = torch.zeros(acts.channels, dtype=torch.bool)
            mask[found.dead] = True
            acts.dead = mask
            dead_on, batch = "batch", int(batch_x.shape[0])
    rgb = activation_grid(acts, colormap if colormap in COLORMAPS else "viridis", scale,
                          zoom=max(1, 48 // max(acts.maps.shape[1:])), background=background)
    dead = [int(i) for i in torch.nonzero(acts.dead).flatten().tolist()]
    return ActivationsView(acts.layer, rgb, acts.channels, tuple(acts.maps.shape[1:]), dead, dead_on, batch)


def select_batch(subject: Subject, start: int, n: int, mistakes_first: bool) -> list[int]:
    """`n` sample indices from `start` on (wrapping); with `mistakes_first`, misclassified ones lead."""
    assert subject.samples is not None
    total = int(subject.samples.shape[0])
    n = min(n, total)
    if not mistakes_first or subject.labels is None:
        start = max(0, min(start, total - n))
        return list(range(start, start + n))
    order = [*range(start, total), *range(0, start)]
    predicted = torch.cat([predict(subject, subject.samples[i:i + 256]).argmax(dim=1)
                           for i in range(0, total, 256)])
    wrong = set((predicted != subject.labels).nonzero().flatten().tolist())
    return ([i for i in order if i in wrong] + [i for i in order if i not in wrong])[:n]
