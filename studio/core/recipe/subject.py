"""What the recipe checks examine: a way to build the model fresh, the data, and the loss.

Checks build new models (seeded) instead of touching a training run's weights, so running them
never changes a project or a run. `RecipeSubject.from_project` is what the CLI and the GUI use;
tests pass their own `make_model` to hand the checks a model broken on purpose.

The checks that train a little train the way the run will: the optimizer comes from the trainer's
`make_optimizer` with the project's config (AdamW's decay, SGD's momentum and Nesterov, betas) and
the loss is the trainer's (head weights, label smoothing), so the lr the LR range test suggests is
one for the run's own optimizer and objective.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.data.bundle import DatasetBundle
from studio.core.errors import UserError
from studio.core.train import optim
from studio.core.train.config import TrainConfig
from studio.core.train.loss import SMOOTHED_KINDS, total_loss, training_heads


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@dataclass
class RecipeSubject:
    make_model: Callable[[], nn.Module]
    bundle: DatasetBundle
    heads: list[Any]
    """HeadInfo of each model output, in output order, as the run trains them (`training_heads`)."""
    seed: int | None = 0
    config: TrainConfig = field(default_factory=TrainConfig)
    """The project's training config: the optimizer and its hyper-parameters the checks train with."""
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @classmethod
    def from_project(cls, project, dataset: str | None = None, device: str = "cpu") -> RecipeSubject:
        from studio.core.data import load_dataset
        from studio.core.data.compat import check_model_fits_data
        from studio.core.graph.compile import compile_graph
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
        if any(h.kind == "diffusion" for h in probe.heads):
            # the checks feed the data's tensor to every Input and judge class predictions; a denoiser
            # takes (x_t, t) and predicts noise, so their verdicts would be about another network
            raise UserError("the recipe checks do not cover diffusion models yet (a denoiser takes a noisy "
                            "image and a time step, and predicts noise)",
                            "train it with studio train and read its loss curve and samples in the Train panel")
        check_model_fits_data(graph, probe, bundle)
        seed = project.training.get("seed")
        return cls(make_model=lambda: compile_graph(graph), bundle=bundle, heads=training_heads(probe.heads, cfg),
                   seed=None if seed is None else int(seed), config=cfg, device=resolve_device(device))

    @property
    def lr(self) -> float:
        return float(self.config.lr)

    @property
    def optimizer(self) -> str:
        return self.config.optimizer

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
        """The trainer's loss (`total_loss`) on these outputs."""
        return total_loss(self.heads, outputs, y)

    def loss_floor(self) -> float:
        """The lowest loss a perfect fit reaches: 0, except that label smoothing keeps a head's
        cross-entropy at or above the entropy of its smoothed targets."""
        floor = 0.0
        for head in self.heads:
            eps = float(head.params.get("label_smoothing", 0.0)) if head.kind in SMOOTHED_KINDS else 0.0
            c = self.bundle.targets[head.target].num_classes if eps else None
            if c and c > 1:
                true, other = 1.0 - eps + eps / c, eps / c
                floor += float(head.weight) * -(true * math.log(true) + (c - 1) * other * math.log(other))
        return floor

    def batch(self, n: int, offset: int = 0, split: str = "train") -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The first `n` examples of a split (a fixed batch: the same every call)."""
        x = self.bundle.x_train if split == "train" else self.bundle.x_val
        y = self.bundle.y_train if split == "train" else self.bundle.y_val
        n = min(n, int(x.shape[0]) - offset)
        sl = slice(offset, offset + n)
        return x[sl].to(self.device), {k: v[sl].to(self.device) for k, v in y.items()}

    def make_optimizer(self, model: nn.Module, lr: float | None = None) -> torch.optim.Optimizer:
        """The run's optimizer (the trainer's `make_optimizer` and config) for `model`, at `lr` if given.

        A model with nothing trainable gets one on a dummy tensor, so a check still measures it."""
        cfg = self.config if lr is None else dataclasses.replace(self.config, lr=float(lr))
        params = [p for p in model.parameters() if p.requires_grad]
        if not params:
            params = [torch.zeros(1, device=self.device, requires_grad=True)]
        return optim.make_optimizer(params, cfg, self.device)


def chance_loss(num_classes: int) -> float:
    """Cross-entropy of a uniform guess: -log(1/C) = log C."""
    return math.log(num_classes)
