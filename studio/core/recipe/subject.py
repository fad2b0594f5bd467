"""What the recipe checks examine: a way to build the model fresh, the data, and the loss.

Checks build new models (seeded) instead of touching a training run's weights, so running them
never changes a project or a run. `RecipeSubject.from_project` is what the CLI and the GUI use;
tests pass their own `make_model` to hand the checks a model broken on purpose.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.data.bundle import DatasetBundle


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@dataclass
class RecipeSubject:
    make_model: Callable[[], nn.Module]
    bundle: DatasetBundle
    heads: list[Any]
    """HeadInfo of each model output, in output order (from the compiled graph)."""
    seed: int | None = 0
    lr: float = 1e-3
    optimizer: str = "adam"
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @classmethod
    def from_project(cls, project, dataset: str | None = None, device: str = "cpu") -> RecipeSubject:
        from studio.core.data import load_dataset
        from studio.core.data.compat import check_model_fits_data
        from studio.core.graph.compile import compile_graph
        from studio.core.train.config import TrainConfig
        from studio.core.train.device import resolve_device

        data = dict(project.data)
        if dataset:
            if dataset != data.get("dataset"):
                data["options"] = {}
            data["dataset"] = dataset
        bundle = load_dataset(data)
        cfg = TrainConfig.from_dict(project.training)
        graph = project.graph
        probe = compile_graph(graph)
        check_model_fits_data(graph, probe, bundle)
        seed = project.training.get("seed")
        return cls(make_model=lambda: compile_graph(graph), bundle=bundle, heads=list(probe.heads),
                   seed=None if seed is None else int(seed), lr=float(cfg.lr), optimizer=cfg.optimizer,
                   device=resolve_device(device))

    # --- helpers the checks share ---------------------------------------------------------------
    def build(self, seed: int | None = None) -> nn.Module:
        seed_everything(self.seed if seed is None and self.seed is not None else (seed or 0))
        return self.make_model().to(self.device)

    @property
    def primary(self) -> int | None:
        return next((i for i, h in enumerate(self.heads) if h.kind == "classification"), None)

    @property
    def num_classes(self) -> int | None:
        i = self.primary
        if i is None:
            return None
        return self.bundle.targets[self.heads[i].target].num_classes

    def inputs(self, model: nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        n = len(getattr(model, "input_nodes", None) or [0])
        return (x,) * n

    def outputs(self, model: nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = model(*self.inputs(model, x))
        return tuple(out) if isinstance(out, (tuple, list)) else (out,)

    def loss(self, outputs: tuple[torch.Tensor, ...], y: dict[str, torch.Tensor]) -> torch.Tensor:
        from studio.core.graph.heads import head_loss

        total = None
        for head, out in zip(self.heads, outputs, strict=False):
            part = head_loss(head, out, y[head.target]) * float(head.weight)
            total = part if total is None else total + part
        return total

    def batch(self, n: int, offset: int = 0, split: str = "train") -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The first `n` examples of a split (a fixed batch: the same every call)."""
        x = self.bundle.x_train if split == "train" else self.bundle.x_val
        y = self.bundle.y_train if split == "train" else self.bundle.y_val
        n = min(n, int(x.shape[0]) - offset)
        sl = slice(offset, offset + n)
        return x[sl].to(self.device), {k: v[sl].to(self.device) for k, v in y.items()}

    def make_optimizer(self, model: nn.Module, lr: float | None = None) -> torch.optim.Optimizer:
        lr = self.lr if lr is None else lr
        params = [p for p in model.parameters() if p.requires_grad]
        if not params:
            return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        if self.optimizer == "sgd":
            return torch.optim.SGD(params, lr=lr, momentum=0.9)
        if self.optimizer == "rmsprop":
            return torch.optim.RMSprop(params, lr=lr)
        return torch.optim.Adam(params, lr=lr)


def chance_loss(num_classes: int) -> float:
    """Cross-entropy of a uniform guess: -log(1/C) = log C."""
    return math.log(num_classes)
