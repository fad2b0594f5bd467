"""Real projects and models for the recipe tests, and models broken the way each check catches."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from studio.core.graph.compile import compile_graph
from studio.core.graph.model import Graph
from studio.core.project import Project
from studio.core.recipe.subject import RecipeSubject


def chain(*layers: tuple[str, str, dict[str, Any]]) -> Graph:
    return Graph.chain(layers)


def digits_mlp(hidden: int = 32, softmax_before_head: bool = False, batchnorm: bool = False) -> Graph:
    layers = [("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
              ("fc1", "Linear", {"out_features": hidden})]
    if batchnorm:
        layers.append(("bn", "BatchNorm1d", {}))
    layers += [("act", "ReLU", {}), ("fc2", "Linear", {"out_features": 10})]
    if softmax_before_head:
        layers.append(("soft", "Softmax", {}))
    layers.append(("head", "ClassificationHead", {}))
    return chain(*layers)


def digits_cnn() -> Graph:
    return chain(("input", "Input", {"shape": [1, 8, 8]}),
                 ("conv1", "Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1}), ("relu1", "ReLU", {}),
                 ("pool", "MaxPool2d", {"kernel_size": 2}), ("flat", "Flatten", {}),
                 ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {}))


def tiny_bottleneck() -> Graph:
    """A model too small for ten classes: everything squeezed through one unit."""
    return chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                 ("fc1", "Linear", {"out_features": 1}), ("fc2", "Linear", {"out_features": 10}),
                 ("head", "ClassificationHead", {}))


def make_project(graph: Graph, data: dict[str, Any] | None = None, **training: Any) -> Project:
    base = {"optimizer": "adam", "lr": 1e-3, "batch_size": 32, "epochs": 3, "seed": 0, "device": "cpu",
            "layer_stats_every": 0}
    base.update(training)
    return Project(name="recipe-test", graph=graph,
                   data={"dataset": "digits", "val_fraction": 0.2, "augment": {}, "options": {}, **(data or {})},
                   training=base)


def subject(graph: Graph | None = None, wrap: Callable[[nn.Module], nn.Module] | None = None,
            **training: Any) -> RecipeSubject:
    """The recipe subject of a digits project; `wrap` turns each fresh model into a broken one."""
    s = RecipeSubject.from_project(make_project(graph or digits_mlp(), **training))
    if wrap is not None:
        g = graph or digits_mlp()
        s = dataclasses.replace(s, make_model=lambda: wrap(compile_graph(g)))
    return s


# --- broken on purpose ---------------------------------------------------------------------------

class Wrapped(nn.Module):
    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner


class UnseededNoise(Wrapped):
    """Adds noise from its own generator, seeded from the OS: runs from the same seed differ."""

    def __init__(self, inner: nn.Module):
        super().__init__(inner)
        self.gen = torch.Generator()
        self.gen.seed()

    def forward(self, x):
        return self.inner(x + 0.5 * torch.randn(x.shape, generator=self.gen))


class Blind(Wrapped):
    """Multiplies its input by zero: the classic wiring bug where the data never reaches the net."""

    def forward(self, x):
        return self.inner(x * 0)


class BatchMixer(Wrapped):
    """Flattens (batch, features) transposed, as a wrong `view` does: each row holds others' pixels."""

    def forward(self, x):
        b = x.shape[0]
        mixed = x.reshape(b, -1).t().reshape(b, -1)
        return self.inner(mixed.reshape(x.shape))


def frozen(model: nn.Module) -> nn.Module:
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def frozen_first_conv(model: nn.Module) -> nn.Module:
    model.conv1.weight.requires_grad_(False)
    model.conv1.bias.requires_grad_(False)
    return model


def loud_last_layer(model: nn.Module) -> nn.Module:
    with torch.no_grad():
        model.fc2.weight.mul_(40.0)
    return model


def skewed_bias(model: nn.Module) -> nn.Module:
    with torch.no_grad():
        model.fc2.bias[0] += 6.0
    return model
