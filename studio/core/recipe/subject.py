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
    diffusion: Any = None
    """The run's `DiffusionRun` for a denoiser (its schedule and its (x_t, t) batches), else None."""
    data: dict[str, Any] | None = None
    """The project's data section (a text's unigram baseline is computed from it)."""
    gan: Any = None
    """For a GAN graph, `gan(model) -> GanRun` of a model built by `make_model` (its step, its two
    networks and their parameter groups: train/gan.py), else None."""

    @classmethod
    def from_project(cls, project, dataset: str | None = None, device: str = "cpu") -> RecipeSubject:
        from studio.core.data import load_dataset
        from studio.core.data.compat import check_model_fits_data
        from studio.core.graph.compile import compile_graph
        from studio.core.graph.heads import init_language_model
        from studio.core.train.device import resolve_device
        from studio.core.train.diffusion import DiffusionRun
        from studio.core.train.gan import GanRun

        data = dict(project.data)
        if dataset:
            if dataset != data.get("dataset"):
                data["options"] = {}
            data["dataset"] = dataset
        bundle = load_dataset(data)
        cfg = TrainConfig.from_dict(project.training)
        graph = project.graph
        probe = compile_graph(graph)
        seed = project.training.get("seed")
        heads = training_heads(probe.heads, cfg)
        # a denoiser takes (x_t, t) and learns the noise: the trainer's own checks of graph and data,
        # and its images in [-1, 1] (train/diffusion.py); every other model gets the data check
        diffusion = DiffusionRun.for_model(probe, bundle, int(seed or 0))
        # a GAN: the trainer's checks of its two networks and the data, its images in [-1, 1]
        gan_run = None if diffusion is not None else GanRun.for_model(probe, graph, bundle, int(seed or 0),
                                                                      float(cfg.d_input_noise))
        if diffusion is not None:
            bundle = diffusion.prepare(bundle)
        elif gan_run is not None:
            bundle = gan_run.prepare(bundle)
        else:
            check_model_fits_data(graph, probe, bundle)
        lm = next((h for h in heads if h.kind == "language_model"), None)

        def make_model() -> nn.Module:
            model = compile_graph(graph)
            if lm is not None:  # the course's uniform init, as the trainer applies it before step 1
                init_language_model(model, graph, lm)
            return model

        where = resolve_device(device)
        if diffusion is not None:
            diffusion.to(where)
        gan = None
        if gan_run is not None:
            def gan(model: nn.Module) -> GanRun:
                run = GanRun.for_model(model, graph, bundle, int(seed or 0), float(cfg.d_input_noise))
                assert run is not None
                return run

        return cls(make_model=make_model, bundle=bundle, heads=heads, seed=None if seed is None else int(seed),
                   config=cfg, device=where, diffusion=diffusion, data=data, gan=gan)

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

    @property
    def language_model(self) -> int | None:
        """The index of the first LanguageModelHead's output, None when there is none."""
        return next((i for i, h in enumerate(self.heads) if h.kind == "language_model"), None)

    @property
    def paradigm(self) -> str:
        """"diffusion" (a denoiser: (x_t, t) in, noise out), "gan" (a generator and a discriminator),
        "language_model" (next-token scores) or "default" (classifiers and the other heads)."""
        if self.diffusion is not None:
            return "diffusion"
        if self.gan is not None:
            return "gan"
        return "language_model" if self.language_model is not None else "default"

    @property
    def vocab_size(self) -> int | None:
        """V, the vocabulary a language model scores (its target's classes), None for other models."""
        i = self.language_model
        return None if i is None else int(self.bundle.targets[self.heads[i].target].num_classes)

    def inputs(self, model: nn.Module, x: torch.Tensor | tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        """The graph's inputs: a denoiser's batch is already (x_t, t); one tensor goes to every Input."""
        if isinstance(x, tuple):
            return x
        n = len(getattr(model, "input_nodes", None) or [0])
        return (x,) * n

    def outputs(self, model: nn.Module, x) -> tuple[torch.Tensor, ...]:
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
            smoothed = head.kind in SMOOTHED_KINDS or head.kind == "language_model"
            eps = float(head.params.get("label_smoothing", 0.0)) if smoothed else 0.0
            c = self.bundle.targets[head.target].num_classes if eps else None
            if c and c > 1:
                true, other = 1.0 - eps + eps / c, eps / c
                floor += float(head.weight) * -(true * math.log(true) + (c - 1) * other * math.log(other))
        return floor

    def batch(self, n: int, offset: int = 0, split: str = "train") -> tuple[Any, dict[str, torch.Tensor]]:
        """The first `n` examples of a split (a fixed batch: the same every call). A denoiser's are
        its noised images (x_t, t) with the noise e as the target, t and e drawn once from the seed."""
        x = self.bundle.x_train if split == "train" else self.bundle.x_val
        y = self.bundle.y_train if split == "train" else self.bundle.y_val
        n = min(n, int(x.shape[0]) - offset)
        sl = slice(offset, offset + n)
        if self.diffusion is not None:
            gen = torch.Generator().manual_seed((self.seed or 0) * 7919 + offset + (0 if split == "train" else 1))
            return self.noised(x[sl].to(self.device), gen)
        return x[sl].to(self.device), {k: v[sl].to(self.device) for k, v in y.items()}

    def noised(self, x0: torch.Tensor, generator: torch.Generator | None = None) -> tuple[Any, dict[str, torch.Tensor]]:
        """A denoiser's batch for clean images x0: ((x_t, t), {target: e}). With `generator`, t ~ U{1..T}
        and e ~ N(0, I) come from it (a fixed batch); without, from the trainer's own
        `DiffusionRun.training_batch` (fresh draws, as every training step makes)."""
        from studio.core.train.diffusion import denoiser_inputs, q_sample

        run = self.diffusion
        if generator is None:
            return run.training_batch(x0)
        n = x0.shape[0]
        t = torch.randint(1, run.schedule.timesteps + 1, (n,), generator=generator).to(x0.device)
        e = torch.randn(tuple(x0.shape), generator=generator).to(x0.device, x0.dtype)
        return denoiser_inputs(run.model, q_sample(x0, t, e, run.schedule), t), {run.head.target: e}

    def train_batches(self, batch: int):
        """Endless batches through the training split, in a seeded order (a denoiser's noised as in training)."""
        n = self.bundle.n_train
        g = torch.Generator().manual_seed(self.seed or 0)
        while True:
            order = torch.randperm(n, generator=g)
            for start in range(0, n - batch + 1 if n >= batch else 1, batch):
                idx = order[start:start + batch]
                x = self.bundle.x_train[idx].to(self.device)
                if self.diffusion is not None:
                    yield self.noised(x)
                    continue
                y = {k: v[idx].to(self.device) for k, v in self.bundle.y_train.items()}
                yield x, y

    def make_optimizer(self, model: nn.Module, lr: float | None = None) -> torch.optim.Optimizer:
        """The run's optimizer (the trainer's `make_optimizer` and config) for `model`, at `lr` if given.

        A model with nothing trainable gets one on a dummy tensor, so a check still measures it."""
        cfg = self.config if lr is None else dataclasses.replace(self.config, lr=float(lr))
        params = [p for p in model.parameters() if p.requires_grad]
        if not params:
            params = [torch.zeros(1, device=self.device, requires_grad=True)]
        return optim.make_optimizer(params, cfg, self.device)

    def gan_optimizer(self, run: Any, lr: float | None = None, only: str | None = None) -> torch.optim.Optimizer:
        """A GAN's optimizer as the trainer builds it: the project's optimizer with a group per network,
        the discriminator's at d_lr when the config sets one (`lr` replaces the config's lr, and
        d_lr keeps its ratio to it). `only="discriminator"`: that group alone (G stays as it is)."""
        cfg = self.config if lr is None else dataclasses.replace(self.config, lr=float(lr))
        scale = float(self.config.d_lr) / float(self.config.lr) if self.config.d_lr else 1.0
        groups = [g for g in run.param_groups(scale) if only is None or g["name"] == only]
        opt = optim.make_optimizer(groups, cfg, self.device)
        for group in opt.param_groups:  # as the trainer's set_lr does at every step
            group["lr"] = float(cfg.lr) * group.get("lr_scale", 1.0)
        return opt


def chance_loss(num_classes: int) -> float:
    """Cross-entropy of a uniform guess: -log(1/C) = log C."""
    return math.log(num_classes)


def unigram_perplexity(data: dict[str, Any] | None, bundle: DatasetBundle) -> float | None:
    """The perplexity of a unigram model of a text data set (each token with its add-one smoothed
    frequency in the training part, scored on the validation next tokens): what "counting characters"
    scores, the bar a language model must beat. None for data that is not a text."""
    from studio.core.data.text import TARGET, text_ids
    from studio.core.data.text import unigram_perplexity as unigram

    if not data or data.get("dataset") != "text" or TARGET not in bundle.y_val:
        return None
    options = dict(data.get("options") or {})
    if "val_fraction" in data:  # as the loader passes it (data/loader.py)
        options.setdefault("val_fraction", data["val_fraction"])
    level = str(options.get("level", "char"))
    _, ids, cut, _ = text_ids(options, level, int(options.get("context", 64)))
    return unigram(ids[:cut], bundle.y_val[TARGET], int(bundle.vocab_size or bundle.targets[TARGET].num_classes))


_UNIGRAMS: dict[str, float | None] = {}


def text_unigram_perplexity(data: dict[str, Any] | None) -> float | None:
    """`unigram_perplexity` of a project's data section, loading the data (a text loads in tens of
    milliseconds; the answer is kept per data section). None for data that is not a text or does not load."""
    import json

    from studio.core.data import load_dataset

    if not data or data.get("dataset") != "text":
        return None
    key = json.dumps(data, sort_keys=True, default=str)
    if key not in _UNIGRAMS:
        try:
            _UNIGRAMS[key] = unigram_perplexity(data, load_dataset(data))
        except UserError:
            _UNIGRAMS[key] = None
    return _UNIGRAMS[key]
