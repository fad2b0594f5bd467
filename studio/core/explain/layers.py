"""Which layers can be explained, and how their outputs become a 2-D grid.

A layer is named as `model.named_modules()` names it: the node id for a compiled Studio graph
(`conv2`), a dotted path for other models (`layer4.1`). A layer is *spatial* when its output is
an image-like map (N, C, H, W) with more than one position, or a sequence of tokens that tiles a
square grid, as in a vision transformer: (N, T, C) (or (T, N, C)) where T, or T minus one or two
leading class/distillation tokens, is a square number. Those leading tokens are dropped.

The default layer is the last spatial layer, in execution order, that the explained score
actually depends on. "Depends on" matters twice: in a ViT the final block's patch tokens never
reach the class token (their gradient is exactly zero), and in a multi-head graph the last spatial
layer may feed another head. Finding it costs one forward and backward pass, so the answer is
cached per model and input shape.

When that layer only rectifies or pools the map of a layer with weights (conv → ReLU → max-pool, as
in the MNIST CNN), the default is the layer with weights: the map before its activation. Grad-CAM
weighs rectified channels (all >= 0) by their mean gradient, and where the head is a flattened
linear layer those weights are often negative for every active channel, so the weighted sum is
negative everywhere and the map is empty after its ReLU (29 of 100 digits at `pool1` of the
MNIST CNN after 60 training steps, none at `conv2`, whose map also puts 89 % of its heat on the
strokes against 59 %). Behind a global average pool the two give the same maps. The walk stops at
a merge without weights (a residual Add, a Concat): stepping into one branch would hide the others.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.guard import explaining, fresh_input, model_device
from studio.core.explain.outputs import class_scores, pick_output, run_model

MAX_DROPPED_TOKENS = 2
PASS_ON_TYPES: tuple[type[nn.Module], ...] = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU, nn.Mish, nn.Hardswish,
    nn.Hardtanh, nn.Softplus, nn.Sigmoid, nn.Tanh,
    nn.MaxPool2d, nn.AvgPool2d, nn.LPPool2d, nn.AdaptiveMaxPool2d, nn.AdaptiveAvgPool2d,
    nn.Dropout, nn.Dropout2d, nn.AlphaDropout,
)
"""Modules that only rectify, pool or drop the map of the layer before them: the default layer
steps back over them to the layer with weights that computed the map."""


@dataclass(frozen=True)
class SpatialLayer:
    """A layer whose output can be shown as a heatmap over the input image."""

    name: str
    module_type: str
    kind: str
    """"grid" for (N, C, H, W) maps, "tokens" for transformer token sequences."""
    channels: int
    grid: tuple[int, int]
    dropped_tokens: int = 0
    sequence_first: bool = False
    """True for (T, N, C) token layouts (transformers built without batch_first)."""
    same_as: str | None = None
    """Set when this layer only passes on another layer's output unchanged (a Dropout in eval mode,
    an Identity, a Sequential around its last child): the name of the layer that stands for both."""
    is_input: bool = False
    """True for a layer that only hands on the model's input (a graph's Input node)."""

    def to_grid(self, t: torch.Tensor) -> torch.Tensor:
        """The layer's raw output (or its gradient) as (N, C, H, W)."""
        if self.kind == "grid":
            return t
        if self.sequence_first:
            t = t.transpose(0, 1)
        t = t[:, self.dropped_tokens:, :]
        h, w = self.grid
        return t.transpose(1, 2).reshape(t.shape[0], t.shape[2], h, w)


def first_tensor(value: Any) -> torch.Tensor | None:
    """The tensor a module produced (the first one, for modules returning tuples like attention)."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], torch.Tensor):
        return value[0]
    return None


def describe_output(name: str, module: nn.Module, out: torch.Tensor, batch: int) -> SpatialLayer | None:
    """A SpatialLayer when this output of a model fed `batch` images is spatial, else None."""
    shape = tuple(out.shape)
    kind = type(module).__name__
    if out.dim() == 4 and shape[0] == batch and shape[2] * shape[3] > 1:
        return SpatialLayer(name, kind, "grid", shape[1], (shape[2], shape[3]))
    if out.dim() != 3 or batch < 2:
        return None
    if shape[0] == batch and shape[1] != batch:
        tokens, channels, seq_first = shape[1], shape[2], False
    elif shape[1] == batch and shape[0] != batch:
        tokens, channels, seq_first = shape[0], shape[2], True
    else:
        return None
    for dropped in range(MAX_DROPPED_TOKENS + 1):
        side = math.isqrt(max(tokens - dropped, 0))
        if side > 1 and side * side == tokens - dropped:
            return SpatialLayer(name, kind, "tokens", channels, (side, side), dropped, seq_first)
    return None


def find_module(model: nn.Module, name: str) -> nn.Module:
    """The submodule called `name`, or a UserError listing close names."""
    modules = dict(model.named_modules())
    if name and name in modules:
        return modules[name]
    import difflib

    close = difflib.get_close_matches(name, [n for n in modules if n], n=4)
    hint = f"did you mean {', '.join(close)}?" if close else "list the layers with `studio cam --list-layers` or the Explain panel"
    raise UserError(f"no layer named {name!r} in the model", hint)


class _Probe:
    """Cached spatial layers per (input shape, head) for one model."""

    def __init__(self) -> None:
        self.layers: dict[tuple, list[SpatialLayer]] = {}
        self.default: dict[tuple, str | None] = {}


_CACHE: weakref.WeakKeyDictionary[nn.Module, _Probe] = weakref.WeakKeyDictionary()


def _probe_batch(x: torch.Tensor) -> torch.Tensor:
    """At least two images, so the batch dimension of every output can be told apart."""
    x = x[:2]
    return torch.cat([x, x]) if x.shape[0] == 1 else x


def _key(x: torch.Tensor, head: Any) -> tuple:
    return (tuple(x.shape[1:]), str(x.dtype), str(x.device), repr(head))


def probe_spatial_layers(model: nn.Module, x: torch.Tensor, head: int | str | None = None,
                         forward=None) -> tuple[list[SpatialLayer], str | None]:
    """All spatial layers in execution order, and the default one (None when there is none)."""
    key = _key(x, head)
    cached = _CACHE.get(model)
    if cached is not None and key in cached.layers:
        return cached.layers[key], cached.default[key]

    batch = _probe_batch(x.detach())
    found: dict[str, tuple[SpatialLayer, torch.Tensor, tuple]] = {}

    def recorder(name: str):
        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            out = first_tensor(output)
            if out is None:
                return
            layer = describe_output(name, module, out, batch.shape[0])
            if layer is not None:
                found.pop(name, None)  # a module called twice counts at its last call
                found[name] = (layer, out, _identity(out))
        return hook

    fed_by: dict[str, tuple] = {}  # a pass-on module's name -> the identity of the map it was given

    def feeder(name: str):
        def hook(module: nn.Module, inputs: Any) -> None:
            given = first_tensor(inputs)
            if given is not None:
                fed_by[name] = _identity(given)
        return hook

    modules = dict(model.named_modules())
    with explaining(model) as hooks:
        for name, module in modules.items():
            if name:
                hooks.forward(module, recorder(name))
                if isinstance(module, PASS_ON_TYPES):
                    hooks.pre_forward(module, feeder(name))
        inp = fresh_input(batch, model_device(model))
        result = pick_output(model, run_model(model, inp, forward), head)
        scores = class_scores(result)
        score = scores.gather(1, scores.detach().argmax(dim=1, keepdim=True)).sum()
        wanted = [(layer, out) for layer, out, _ in found.values() if out.requires_grad]
        grads = torch.autograd.grad(score, [out for _, out in wanted], allow_unused=True) if wanted else []
    useful = {layer.name for (layer, _), g in zip(wanted, grads, strict=True)
              if g is not None and bool(layer.to_grid(g).abs().sum() > 0)}
    layers, default = _group_aliases(found, modules, useful, (_identity(inp), _identity(result)))
    default = _computing_layer(default, found, modules, useful, fed_by, _identity(inp))
    probe = _CACHE.setdefault(model, _Probe())
    probe.layers[key] = layers
    probe.default[key] = default
    return layers, default


def _identity(t: torch.Tensor) -> tuple:
    """Same storage, same version, same shape: the same values, passed on rather than computed."""
    return (t.data_ptr(), t._version, tuple(t.shape), t.dtype)


def _stand_ins(found: dict[str, tuple[SpatialLayer, torch.Tensor, tuple]], modules: dict[str, nn.Module]) -> dict[str, str]:
    """Each layer's stand-in among the layers sharing its output: a container (a residual stage, a
    Sequential) stands for its children; otherwise the first one, the layer that computed the values."""
    groups: dict[tuple, list[str]] = {}
    for name, (_, _, ident) in found.items():
        groups.setdefault(ident, []).append(name)
    stand_in: dict[str, str] = {}
    for names in groups.values():
        owners = [n for n in names if any(True for _ in modules[n].children())]
        chosen = owners[-1] if owners else names[0]
        for n in names:
            stand_in[n] = chosen
    return stand_in


def _group_aliases(found: dict[str, tuple[SpatialLayer, torch.Tensor, tuple]], modules: dict[str, nn.Module],
                   useful: set[str], excluded: tuple[tuple, ...]) -> tuple[list[SpatialLayer], str | None]:
    """Mark pass-through layers with the layer that stands for them (`_stand_ins`), and pick the
    last useful one as the default. `excluded` holds the identities of the model's input and of the
    explained output: neither is ever the default.
    """
    stand_in = _stand_ins(found, modules)
    inputs = excluded[0] if excluded else None
    layers = [replace(layer, same_as=None if stand_in[name] == name else stand_in[name], is_input=ident == inputs)
              for name, (layer, _, ident) in found.items()]
    default = None
    for name, (_, _, ident) in found.items():
        if stand_in[name] == name and ident not in excluded and name in useful:
            default = name
    if default is None:  # nothing the score depends on: still offer the last computed map
        default = next((name for name, (_, _, ident) in reversed(found.items())
                        if stand_in[name] == name and ident not in excluded), None)
    return layers, default


def _computing_layer(default: str | None, found: dict[str, tuple[SpatialLayer, torch.Tensor, tuple]],
                     modules: dict[str, nn.Module], useful: set[str], fed_by: dict[str, tuple],
                     model_input: tuple) -> str | None:
    """From `default` back over rectifying, pooling and dropout modules to the layer with weights
    that computed their map; `default` itself when the walk meets anything else (see the module
    docstring for why)."""
    stand_in = _stand_ins(found, modules)
    made_by = {ident: stand_in[name] for name, (_, _, ident) in found.items()}
    name = default
    while name is not None and isinstance(modules[name], PASS_ON_TYPES):
        given = fed_by.get(name)
        name = None if given is None or given == model_input else made_by.get(given)
        if name is None or name not in useful:
            return default
        if any(True for _ in modules[name].parameters()) and not isinstance(modules[name], PASS_ON_TYPES):
            return name
    return default


def resolve_layer(model: nn.Module, x: torch.Tensor, layer: str | None = None, head: int | str | None = None,
                  forward=None) -> SpatialLayer:
    """The layer to explain: the named one (checked to be spatial) or the default."""
    if layer is not None:
        find_module(model, layer)
    layers, default = probe_spatial_layers(model, x, head, forward)
    if not layers or (layer is None and default is None):
        raise UserError("the model has no layer with a spatial output to explain",
                        "CAM needs a convolutional or vision-transformer layer (an image map or a grid of tokens)")
    name = layer if layer is not None else default
    for candidate in layers:
        if candidate.name == name:
            return candidate
    names = ", ".join(c.name for c in layers[-6:])
    raise UserError(f"layer {layer!r} has no spatial output (it is not an image map or a grid of tokens)",
                    f"choose a spatial layer, e.g. {names}")


def forget(model: nn.Module) -> None:
    """Drop cached probes (after the architecture of `model` changed in place)."""
    _CACHE.pop(model, None)
