"""Class activation maps: where in the image does the network find evidence for a class?

Notation: A is the explained layer's activation (N, K, h, w) for K channels, G = d score_c / d A its
gradient for the target class c. The methods differ in how they weigh the K channels:

* Grad-CAM:   w_k = mean_ij G_kij;                       map = ReLU(sum_k w_k A_k)
* Grad-CAM++: w_k = sum_ij a_kij ReLU(G_kij), with a = G^2 / (2 G^2 + sum_ij(A_k) G^3)
* XGrad-CAM:  w_k = sum_ij(G_kij A_kij) / sum_ij(A_kij)
* HiRes-CAM:  map = ReLU(sum_k G_k * A_k), element-wise, no averaging
* Layer-CAM:  map = ReLU(sum_k ReLU(G_k) * A_k)
* Score-CAM:  no gradients. Each channel, upsampled and scaled to [0, 1], masks the input; its weight
  is how much the masked image raises the class probability over a blank (all-zero, i.e. the data
  mean once normalised) image. The K masked images are run in batches.
* Eigen-CAM:  no gradients, no class: the projection of A on its first principal component.

`signed=True` keeps the map before the final ReLU, so evidence *against* the class shows as negative.

A map with no cell above zero (every channel weighs against the class everywhere), or with one
value everywhere, is *empty*: there is nothing to point at. Scaling it to [0, 1] would draw one flat
colour and its argmax would name an arbitrary cell as the peak, so an empty map carries no peak and
its heatmap is zero (signed maps keep the evidence against, which is still worth drawing).

Everything runs inside `guard.explaining`, so it is safe from a worker thread, under the caller's
`no_grad`/`inference_mode`, and between training steps (see guard.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.guard import explaining, fresh_input, model_device
from studio.core.explain.layers import SpatialLayer, find_module, first_tensor, resolve_layer
from studio.core.explain.outputs import class_scores, pick_output, resolve_targets, run_model

GRADIENT_METHODS = ("gradcam", "gradcam++", "xgradcam", "hirescam", "layercam")
METHODS = (*GRADIENT_METHODS, "scorecam", "eigencam")
METHOD_TITLES = {
    "gradcam": "Grad-CAM", "gradcam++": "Grad-CAM++", "xgradcam": "XGrad-CAM", "hirescam": "HiRes-CAM",
    "layercam": "Layer-CAM", "scorecam": "Score-CAM", "eigencam": "Eigen-CAM",
}
_ALIASES = {"grad-cam": "gradcam", "grad-cam++": "gradcam++", "gradcampp": "gradcam++", "xgrad-cam": "xgradcam",
            "hires-cam": "hirescam", "layer-cam": "layercam", "score-cam": "scorecam", "eigen-cam": "eigencam"}
EPS = 1e-7

Progress = Callable[[int, int], None]
"""Called with (done, total) units of work; the panel drives a progress bar with it."""


@dataclass
class CamResult:
    """Maps for a batch of images, at the layer's resolution and at the input's."""

    method: str
    layer: str
    targets: list[int]
    target_scores: list[float]
    predicted: list[int]
    raw: torch.Tensor
    """(N, h, w) float32 CPU: the map at the layer's resolution, before ReLU and scaling."""
    heatmap: torch.Tensor
    """(N, H, W) float32 CPU at the input's size: in [0, 1], or in [-1, 1] when signed."""
    signed: bool = False
    peaks: list[tuple[int, int] | None] = field(default_factory=list)
    """(row, col) in input pixels of the centre of each map's hottest cell; None for an empty map."""
    empty: list[bool] = field(default_factory=list)
    """Per map: nothing at this layer raises the score (no cell above zero, or one value everywhere)."""

    def is_flat(self, index: int = 0) -> bool:
        """The heatmap as drawn is one value everywhere: an empty map, unless signed evidence against remains."""
        heat = self.heatmap[index]
        return bool(heat.max() <= heat.min())

    def to_json(self, index: int = 0) -> dict[str, Any]:
        """The facts of one map; an empty map says so and names no peak."""
        report: dict[str, Any] = {"method": self.method, "layer": self.layer, "target": self.targets[index],
                                  "empty": self.empty[index]}
        if self.peaks[index] is not None:
            report["peak"] = list(self.peaks[index])
        return report


def normalise_method(method: str) -> str:
    key = method.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key.replace("-", ""))
    if key not in METHODS:
        raise UserError(f"unknown CAM method {method!r}", f"choose one of {', '.join(METHODS)}")
    return key


def combine(method: str, acts: torch.Tensor, grads: torch.Tensor) -> torch.Tensor:
    """The signed (pre-ReLU) map (N, h, w) of a gradient method from A and G, both (N, K, h, w)."""
    if method == "gradcam":
        weights = grads.mean(dim=(2, 3), keepdim=True)
        return (weights * acts).sum(dim=1)
    if method == "gradcam++":
        g2 = grads.pow(2)
        g3 = g2 * grads
        sum_a = acts.sum(dim=(2, 3), keepdim=True)
        alpha = g2 / (2 * g2 + sum_a * g3 + EPS)
        alpha = torch.where(grads != 0, alpha, torch.zeros_like(alpha))
        weights = (alpha * grads.clamp_min(0)).sum(dim=(2, 3), keepdim=True)
        return (weights * acts).sum(dim=1)
    if method == "xgradcam":
        weights = (grads * acts).sum(dim=(2, 3), keepdim=True) / (acts.sum(dim=(2, 3), keepdim=True) + EPS)
        return (weights * acts).sum(dim=1)
    if method == "hirescam":
        return (grads * acts).sum(dim=1)
    if method == "layercam":
        return (grads.clamp_min(0) * acts).sum(dim=1)
    raise ValueError(method)


def eigen_map(acts: torch.Tensor) -> torch.Tensor:
    """Projection of each image's activation on its first principal component, signed (N, h, w).

    A principal component's sign is arbitrary; we orient it so the map agrees with the plain sum
    of the channels, so "hot" means "strongly active" as in the other methods.
    """
    n, k, h, w = acts.shape
    flat = acts.reshape(n, k, h * w).transpose(1, 2)  # (N, hw, K)
    centred = flat - flat.mean(dim=1, keepdim=True)
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    proj = (centred @ vh[:, 0, :].unsqueeze(2)).squeeze(2)  # (N, hw)
    energy = flat.sum(dim=2)
    agree = ((proj - proj.mean(1, keepdim=True)) * (energy - energy.mean(1, keepdim=True))).sum(dim=1)
    proj = proj * torch.where(agree < 0, -1.0, 1.0).unsqueeze(1)
    return proj.reshape(n, h, w)


def other_choices(method: str, layer: str, default_layer: str | None) -> tuple[str | None, str]:
    """What to try when a map is empty: the default layer (when another one was explained) and
    another method: Layer-CAM weighs each cell by its own positive gradient instead of a channel's
    mean, so it is rarely empty where Grad-CAM is; Eigen-CAM, which needs no gradient, when it was
    Layer-CAM."""
    return (default_layer if default_layer and default_layer != layer else None,
            "eigencam" if method == "layercam" else "layercam")


def _upsample(maps: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    if tuple(maps.shape[-2:]) == tuple(size):
        return maps
    return F.interpolate(maps.unsqueeze(1), size=size, mode="bilinear", align_corners=False).squeeze(1)


def scale_maps(maps: torch.Tensor, signed: bool) -> torch.Tensor:
    """ReLU and divide by the maximum ([0, 1]); or, signed, divide by the largest magnitude ([-1, 1])."""
    if not signed:
        maps = maps.clamp_min(0)
    top = maps.abs().flatten(1).amax(dim=1).clamp_min(1e-12).view(-1, 1, 1)
    return maps / top


def _tolerance(flat: torch.Tensor) -> torch.Tensor:
    """Float rounding at each map's own magnitude: differences below it are no signal."""
    return flat.abs().amax(dim=1) * 1e-6


def constant_maps(raw: torch.Tensor) -> torch.Tensor:
    """(N,) bool: maps (N, h, w) with one value everywhere."""
    flat = raw.flatten(1)
    return flat.amax(dim=1) - flat.amin(dim=1) <= _tolerance(flat)


def empty_maps(raw: torch.Tensor) -> torch.Tensor:
    """(N,) bool: maps (N, h, w) with nothing to point at: no cell above zero, or one value everywhere."""
    flat = raw.flatten(1)
    return (flat.amax(dim=1) <= _tolerance(flat)) | constant_maps(raw)


def peaks_of(raw: torch.Tensor, size: tuple[int, int], empty: torch.Tensor | None = None) -> list[tuple[int, int] | None]:
    """(row, col) in input pixels of each map's maximum: the centre of the hottest layer cell;
    None where `empty` marks a map with nothing to point at.

    Taken on the layer's own grid, not on the enlarged map: bilinear enlargement makes a flat
    plateau along the image border, where an argmax would report the first pixel (0) rather than
    the place the network points at.
    """
    h, w = raw.shape[-2:]
    rows, cols = size
    flat = raw.flatten(1).argmax(dim=1).tolist()
    skip = [False] * len(flat) if empty is None else empty.tolist()
    return [None if skipped else (min(rows - 1, int((i // w + 0.5) * rows / h)), min(cols - 1, int((i % w + 0.5) * cols / w)))
            for i, skipped in zip(flat, skip, strict=True)]


class _Capture:
    """A forward hook keeping the layer's last output, cut loose from later in-place operations.

    The hook hands the rest of the network a clone of the output, so an in-place ReLU after a
    convolution modifies the clone and the captured tensor stays the convolution's own output.
    An output that does not require grad (every layer before it frozen) is turned into a leaf that
    does, so frozen networks can be explained too.
    """

    def __init__(self) -> None:
        self.output: torch.Tensor | None = None

    def __call__(self, module: nn.Module, inputs: Any, output: Any) -> Any:
        out = first_tensor(output)
        if out is None:
            return None
        if torch.is_grad_enabled() and out.is_floating_point() and not out.requires_grad:
            out = out.detach().requires_grad_(True)
        self.output = out
        passed = out.clone()
        if isinstance(output, torch.Tensor):
            return passed
        return type(output)([passed, *output[1:]]) if isinstance(output, (tuple, list)) else None


def _score_cam(model: nn.Module, x: torch.Tensor, acts: torch.Tensor, targets: torch.Tensor, head, forward,
               batch_size: int, progress: Progress | None, cancel: threading.Event | None) -> torch.Tensor:
    """Score-CAM's signed maps (N, h, w); the masked forward passes run `batch_size` at a time."""
    n, k, h, w = acts.shape
    size = tuple(x.shape[-2:])
    total, done = n * k, 0
    maps = []

    def probabilities(batch: torch.Tensor, cls: int) -> torch.Tensor:
        scores = class_scores(pick_output(model, run_model(model, batch, forward), head)).float()
        probs = scores.softmax(dim=1) if scores.shape[1] > 1 else scores
        return probs[:, cls]

    with torch.no_grad():
        for i in range(n):
            cls = int(targets[i])
            masks = _upsample(acts[i], size)  # (K, H, W)
            low = masks.flatten(1).amin(dim=1).view(-1, 1, 1)
            high = masks.flatten(1).amax(dim=1).view(-1, 1, 1)
            span = high - low
            masks = torch.where(span > 0, (masks - low) / span.clamp_min(1e-12), torch.zeros_like(masks))
            base = probabilities(torch.zeros_like(x[i:i + 1]), cls)
            weights = torch.empty(k, device=acts.device)
            for start in range(0, k, batch_size):
                if cancel is not None and cancel.is_set():
                    raise InterruptedError("Score-CAM cancelled")
                m = masks[start:start + batch_size].unsqueeze(1).to(x.dtype)
                weights[start:start + m.shape[0]] = probabilities(x[i:i + 1] * m, cls) - base
                done += m.shape[0]
                if progress is not None:
                    progress(done, total)
            maps.append((weights.view(k, 1, 1) * acts[i]).sum(dim=0))
    return torch.stack(maps)


def compute_cam(
    model: nn.Module,
    x: torch.Tensor,
    method: str = "gradcam",
    layer: str | None = None,
    target: Any = "predicted",
    labels: Any = None,
    *,
    signed: bool = False,
    head: int | str | None = None,
    class_names: list[str] | None = None,
    forward: Callable[[nn.Module, torch.Tensor], Any] | None = None,
    batch_size: int = 64,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> CamResult:
    """Explain `model`'s score for a target class on images `x` (N, C, H, W) with one CAM method.

    `layer` is a module name (a node id for Studio graphs; default: the last spatial layer the
    score depends on). `target` is "predicted", "true" (needs `labels`), a class index or name,
    or one of those per image. `forward(model, x)` replaces `model(x)` for unusual models.
    """
    method = normalise_method(method)
    if x.dim() == 3:
        x = x.unsqueeze(0)
    if x.dim() != 4:
        raise UserError(f"CAM explains images shaped (N, C, H, W); got a tensor of shape {tuple(x.shape)}")
    spatial: SpatialLayer = resolve_layer(model, x, layer, head, forward)
    module = find_module(model, spatial.name)
    capture = _Capture()
    device = model_device(model)
    with explaining(model) as hooks:
        hooks.forward(module, capture)
        inp = fresh_input(x, device)
        if method in GRADIENT_METHODS:
            scores = class_scores(pick_output(model, run_model(model, inp, forward), head))
            targets = resolve_targets(scores, target, labels, class_names)
            picked = scores.gather(1, targets.view(-1, 1)).squeeze(1)
            if capture.output is None:
                raise UserError(f"layer {spatial.name!r} did not run for this input")
            (grad,) = torch.autograd.grad(picked.sum(), capture.output, allow_unused=True)
            if grad is None:
                raise UserError(f"the score does not depend on layer {spatial.name!r}",
                                "choose a layer on the path to the explained head")
            acts = spatial.to_grid(capture.output.detach()).float()
            raw = combine(method, acts, spatial.to_grid(grad).float())
        else:
            with torch.no_grad():
                scores = class_scores(pick_output(model, run_model(model, inp, forward), head))
            targets = resolve_targets(scores, target, labels, class_names)
            picked = scores.gather(1, targets.view(-1, 1)).squeeze(1)
            acts = spatial.to_grid(capture.output.detach()).float()
            hooks.remove()
            if method == "eigencam":
                raw = eigen_map(acts)
            else:
                raw = _score_cam(model, inp.detach(), acts, targets, head, forward, max(1, batch_size), progress, cancel)
    raw = raw.detach().float().cpu()
    heat = scale_maps(_upsample(raw, tuple(x.shape[-2:])), signed)
    empty = empty_maps(raw)
    if bool(empty.any()):  # never a flat colour that looks like a result
        heat[constant_maps(raw) if signed else empty] = 0.0
    return CamResult(
        method=method, layer=spatial.name, targets=targets.tolist(), target_scores=picked.detach().float().cpu().tolist(),
        predicted=scores.detach().argmax(dim=1).tolist(), raw=raw, heatmap=heat, signed=signed,
        peaks=peaks_of(raw, tuple(x.shape[-2:]), empty), empty=empty.tolist(),
    )
