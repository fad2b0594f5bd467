"""Optimizers and learning-rate schedules (with warm-up) as the course names them.

The schedule is a pure function of the global step, so resuming a run needs only the step number,
and the GUI can draw the whole LR curve before training starts.
"""

from __future__ import annotations

import math

import torch

from studio.core.train.config import TrainConfig


def make_optimizer(params: list, cfg: TrainConfig, device: torch.device) -> torch.optim.Optimizer:
    """Build the optimizer; on CUDA Adam/AdamW use their fused kernels (one launch per step).
    `params` is a list of parameters or of parameter groups (dicts, as torch.optim takes them)."""
    decay = float(cfg.weight_decay)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=float(cfg.momentum), nesterov=bool(cfg.nesterov)
                               and float(cfg.momentum) > 0, weight_decay=decay)
    if cfg.optimizer == "rmsprop":
        # `momentum` is SGD's knob; RMSprop keeps its usual momentum-free form.
        return torch.optim.RMSprop(params, lr=cfg.lr, weight_decay=decay)
    fused = {"fused": True} if device.type == "cuda" else {}
    cls = torch.optim.AdamW if cfg.optimizer == "adamw" else torch.optim.Adam
    return cls(params, lr=cfg.lr, betas=cfg.betas, weight_decay=decay, **fused)


class LRSchedule:
    """lr(step) for the configured schedule; warm-up ramps linearly from lr/warmup to lr."""

    def __init__(self, cfg: TrainConfig, steps_per_epoch: int, max_steps: int = 0):
        """`max_steps` (a run option, 0: none) ends the run, and so the schedule, early."""
        self.base = float(cfg.lr)
        self.kind = cfg.schedule
        self.steps_per_epoch = max(1, int(steps_per_epoch))
        self.total = self.steps_per_epoch * int(cfg.epochs)
        if max_steps:
            self.total = min(self.total, int(max_steps))
        self.warmup = int(cfg.warmup_steps) or int(round(float(cfg.warmup_epochs) * self.steps_per_epoch))
        self.warmup = min(self.warmup, max(0, self.total - 1))
        self.step_size = int(cfg.step_size) or max(1, int(cfg.epochs) // 3)
        self.gamma = float(cfg.gamma)
        self.floor = float(cfg.min_lr_fraction)

    def factor(self, step: int) -> float:
        if self.kind == "onecycle":
            return self._onecycle(step)
        if step < self.warmup:
            return (step + 1) / self.warmup
        if self.kind == "constant":
            return 1.0
        if self.kind == "step":
            return self.gamma ** ((step // self.steps_per_epoch) // self.step_size)
        span = max(1, self.total - self.warmup)
        progress = min(1.0, (step - self.warmup) / span)
        return self.floor + (1.0 - self.floor) * 0.5 * (1.0 + math.cos(math.pi * progress))

    def _onecycle(self, step: int) -> float:
        """Leslie Smith's one-cycle: cosine up from lr/25 over the warm-up (30% if unset), then down to lr/1e4."""
        rise = self.warmup or max(1, int(0.3 * self.total))
        start, end = 1 / 25, 1 / 25 / 1e4
        if step < rise:
            t = step / rise
            return start + (1 - start) * 0.5 * (1 - math.cos(math.pi * t))
        t = min(1.0, (step - rise) / max(1, self.total - rise))
        return end + (1 - end) * 0.5 * (1 + math.cos(math.pi * t))

    def lr(self, step: int) -> float:
        return self.base * self.factor(step)


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Set the schedule's lr; a group with an `lr_scale` (a GAN's discriminator with its own d_lr)
    gets that multiple of it."""
    for group in optimizer.param_groups:
        group["lr"] = lr * group.get("lr_scale", 1.0)


def add_group(optimizer: torch.optim.Optimizer, params: list, name: str, lr_scale: float, lr: float) -> None:
    """Add a named parameter group mid-run (transfer learning's unfrozen blocks) with its own
    `lr_scale`, which set_lr applies from the next step on; its lr is set now too."""
    optimizer.add_param_group({"params": params, "name": name, "lr_scale": float(lr_scale)})
    optimizer.param_groups[-1]["lr"] = lr * float(lr_scale)
