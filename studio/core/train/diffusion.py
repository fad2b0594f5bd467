"""The diffusion paradigm (DDPM toy): noise schedules, the forward process, ancestral sampling.

A diffusion run trains a denoiser: a network whose inputs are a noisy image x_t and its time step t
(an Input with source "timestep") and whose DiffusionHead predicts the noise that was added. For each
batch the trainer draws t ~ U{1..T} and e ~ N(0, I), builds x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) e
and minimises MSE(pred, e) (Ho et al. 2020, "simple" loss). The images are mapped to [-1, 1] first,
so that x_T is indistinguishable from the N(0, I) noise that sampling starts from.

Time steps run 1..T; index t - 1 into the schedule's tensors. Everything here is plain torch so the
CLI, the worker and the tests share it; the trainer's hooks call `DiffusionRun`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from studio.core.data.bundle import DatasetBundle
from studio.core.errors import UserError
from studio.core.graph.heads import NOISE_SCHEDULES

SCHEDULES = NOISE_SCHEDULES
COSINE_S = 0.008
"""The cosine schedule's small offset s (Nichol & Dhariwal 2021), so beta_1 is not vanishingly small."""
MAX_BETA = 0.999
"""Cosine betas are clipped here: near t = T the formula's beta goes to 1 (a singular last step)."""
STRIP_SAMPLES = 8
FORWARD_POINTS = 8


# --- schedules --------------------------------------------------------------------------------

def betas(schedule: str, timesteps: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """beta_1 .. beta_T (float64) of a named schedule.

    linear:    beta_t evenly from beta_start to beta_end (DDPM).
    quadratic: sqrt(beta_t) evenly from sqrt(beta_start) to sqrt(beta_end).
    cosine:    ab_t = f(t) / f(0) with f(t) = cos((t/T + s) / (1 + s) * pi/2)^2, beta_t = 1 - ab_t / ab_(t-1),
               clipped to MAX_BETA (beta_start and beta_end are not used).
    """
    T = int(timesteps)
    if T < 1:
        raise ValueError("a schedule needs at least one time step")
    if schedule == "linear":
        return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)
    if schedule == "quadratic":
        return torch.linspace(math.sqrt(beta_start), math.sqrt(beta_end), T, dtype=torch.float64) ** 2
    if schedule == "cosine":
        t = torch.arange(T + 1, dtype=torch.float64)
        f = torch.cos((t / T + COSINE_S) / (1 + COSINE_S) * math.pi / 2) ** 2
        ab = f / f[0]
        return (1 - ab[1:] / ab[:-1]).clamp(max=MAX_BETA)
    raise ValueError(f"unknown noise schedule {schedule!r} (use one of {', '.join(SCHEDULES)})")


def alpha_bar(beta: torch.Tensor) -> torch.Tensor:
    """ab_t = prod_(s<=t) (1 - beta_s): how much of x0 is left in x_t (its signal fraction is sqrt(ab_t))."""
    return torch.cumprod(1 - beta, dim=0)


def alpha_bar_curve(schedule: str, timesteps: int, beta_start: float = 1e-4, beta_end: float = 0.02,
                    points: int = 100) -> tuple[list[int], list[float]]:
    """(t, ab_t) at up to `points` steps from 1 to T, for the plot of the chosen schedule."""
    ab = alpha_bar(betas(schedule, timesteps, beta_start, beta_end))
    T = int(timesteps)
    k = min(int(points), T)
    steps = sorted({int(round(1 + i * (T - 1) / max(1, k - 1))) for i in range(k)})
    return steps, [round(float(ab[t - 1]), 6) for t in steps]


@dataclass
class Schedule:
    """A schedule's tensors (float32, on one device), indexed by t - 1."""

    name: str
    timesteps: int
    beta: torch.Tensor
    alpha_bar: torch.Tensor

    @classmethod
    def make(cls, name: str, timesteps: int, beta_start: float = 1e-4, beta_end: float = 0.02,
             device: torch.device | str = "cpu") -> Schedule:
        b = betas(name, timesteps, beta_start, beta_end)
        return cls(name, int(timesteps), b.float().to(device), alpha_bar(b).float().to(device))

    @classmethod
    def from_head(cls, params: dict[str, Any], device: torch.device | str = "cpu") -> Schedule:
        return cls.make(str(params.get("schedule", "linear")), int(params.get("timesteps", 1000)),
                        float(params.get("beta_start", 1e-4)), float(params.get("beta_end", 0.02)), device)


def q_sample(x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor, schedule: Schedule) -> torch.Tensor:
    """x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) e for a batch, t (N,) in 1..T."""
    ab = schedule.alpha_bar.index_select(0, t.reshape(-1) - 1).view(-1, *([1] * (x0.dim() - 1)))
    return ab.sqrt() * x0 + (1 - ab).sqrt() * noise


def strip_steps(timesteps: int, points: int = FORWARD_POINTS) -> list[int]:
    """0 (x0 itself) and points - 1 steps spread up to T, for the forward strip."""
    return sorted({int(round(i * timesteps / max(1, points - 1))) for i in range(points)})


def forward_strip(x0: torch.Tensor, schedule: Schedule, steps: Sequence[int], seed: int = 0) -> torch.Tensor:
    """One image (C, H, W) noised to each of `steps` (0 = x0) with one noise draw: (len(steps), C, H, W)."""
    gen = torch.Generator().manual_seed(int(seed))
    noise = torch.randn(x0.shape, generator=gen).to(x0.device, x0.dtype)
    out = []
    for t in steps:
        if t <= 0:
            out.append(x0)
        else:
            out.append(q_sample(x0[None], torch.tensor([t], device=x0.device), noise[None], schedule)[0])
    return torch.stack(out)


def denoiser_inputs(model: Any, x: torch.Tensor, t: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """The graph's inputs in its order: the image Input gets x_t, the timestep Input t as (N, 1) int64."""
    sources = getattr(model, "input_sources", None) or {}
    nodes = list(getattr(model, "input_nodes", []) or sources)
    t = t.reshape(-1, 1).long()
    return tuple(t if sources.get(n) == "timestep" else x for n in nodes)


@torch.no_grad()
def sample(model: Any, schedule: Schedule, shape: Sequence[int], n: int, seed: int = 0,
           device: torch.device | str | None = None, batch: int = 256) -> torch.Tensor:
    """DDPM ancestral sampling from pure noise: n images (n, *shape) in [-1, 1], the same for the same seed.

    x_T ~ N(0, I); for t = T .. 1: x_(t-1) = (x_t - beta_t / sqrt(1 - ab_t) eps(x_t, t)) / sqrt(alpha_t)
    + sigma_t z with sigma_t^2 = beta_t (1 - ab_(t-1)) / (1 - ab_t), the posterior variance, and no
    noise at the last step. The model is put in eval mode for the call.
    """
    device = torch.device(device) if device is not None else schedule.beta.device
    gen = torch.Generator().manual_seed(int(seed))
    was_training = getattr(model, "training", False)
    model.eval()
    beta, ab = schedule.beta.to(device), schedule.alpha_bar.to(device)
    ab_prev = torch.cat([ab.new_ones(1), ab[:-1]])
    sigma = (beta * (1 - ab_prev) / (1 - ab)).clamp_min(0).sqrt()
    out = []
    try:
        for start in range(0, n, batch):
            m = min(batch, n - start)
            x = torch.randn((m, *shape), generator=gen).to(device)
            for t in range(schedule.timesteps, 0, -1):
                steps = torch.full((m,), t, device=device, dtype=torch.long)
                eps = model(*denoiser_inputs(model, x, steps)).float().reshape(x.shape)
                i = t - 1
                x = (x - beta[i] / (1 - ab[i]).sqrt() * eps) / (1 - beta[i]).sqrt()
                if t > 1:
                    x = x + sigma[i] * torch.randn((m, *shape), generator=gen).to(device)
            out.append(x.clamp(-1, 1))
    finally:
        model.train(was_training)
    return torch.cat(out)


def to_uint8(images: torch.Tensor) -> list[list[int]]:
    """Images in [-1, 1] as flat uint8 lists (C x H x W values each, row-major), for events."""
    u8 = ((images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return [row.reshape(-1).tolist() for row in u8]


def images_in_signed_range(bundle: DatasetBundle) -> DatasetBundle:
    """The bundle with its images in [-1, 1]: the data set's normalisation undone, [0, 1] -> [-1, 1].
    Generative models (a denoiser, a GAN's Tanh generator) learn and draw images in this range."""
    def scale(x: torch.Tensor) -> torch.Tensor:
        x = x.float()
        if bundle.mean is not None and bundle.std is not None:
            view = (1, -1, *([1] * (x.dim() - 2)))
            x = x * torch.tensor(bundle.std).view(view) + torch.tensor(bundle.mean).view(view)
        return (x * 2 - 1).clamp(-1, 1).contiguous()

    return DatasetBundle(**{**bundle.__dict__, "x_train": scale(bundle.x_train), "x_val": scale(bundle.x_val),
                            "mean": None, "std": None})


# --- the trainer's side -----------------------------------------------------------------------

class DiffusionRun:
    """What a run with a DiffusionHead does differently: its batches, its validation, its event."""

    def __init__(self, model: Any, head: Any, bundle: DatasetBundle, seed: int):
        self.model = model
        self.head = head
        self.seed = int(seed)
        self.schedule = Schedule.from_head(head.params)
        self.shape = tuple(int(s) for s in bundle.input_shape)
        self._val: tuple[torch.Tensor, torch.Tensor] | None = None

    @classmethod
    def for_model(cls, model: Any, bundle: DatasetBundle, seed: int) -> DiffusionRun | None:
        """None for a graph without a DiffusionHead; else the run, after checking graph and data fit."""
        heads = list(getattr(model, "heads", []))
        found = [h for h in heads if h.kind == "diffusion"]
        if not found:
            return None
        head = found[0]
        if len(heads) > 1:
            raise UserError(f"head '{head.node_id}' (diffusion) must be the graph's only head, but it has "
                            f"{len(heads)}", "remove the other heads")
        sources = dict(getattr(model, "input_sources", {}))
        images = [n for n, s in sources.items() if s == "input"]
        steps = [n for n, s in sources.items() if s == "timestep"]
        if len(images) != 1 or len(steps) != 1 or len(sources) != 2:
            raise UserError(f"a denoiser takes two inputs, the noisy image and its time step, but this graph has "
                            f"{len(images)} image and {len(steps)} timestep Input(s) among {len(sources)}",
                            "give it one image Input and one Input with shape [1], dtype int64, source timestep")
        if bundle.input_kind != "image":
            raise UserError(f"diffusion learns images, but dataset '{bundle.name}' gives {bundle.input_kind} data",
                            "pick an image dataset (digits, shapes, an image folder)")
        data_shape = tuple(int(s) for s in bundle.input_shape)
        got = tuple(int(s) for s in model.input_shapes[images[0]])
        if got != data_shape:
            raise UserError(f"dataset '{bundle.name}' gives images of shape {list(data_shape)}, but Input "
                            f"'{images[0]}' takes {list(got)}", f"set Input '{images[0]}' shape to {list(data_shape)}")
        out = tuple(int(s) for s in head.output_shape[1:])
        if math.prod(out) != math.prod(data_shape):
            raise UserError(f"head '{head.node_id}' predicts {math.prod(out)} value(s) per image, but the noise "
                            f"of a {list(data_shape)} image has {math.prod(data_shape)}",
                            "end the denoiser with a layer of the image's shape (a Conv2d with the image's channels)")
        return cls(model, head, bundle, seed)

    def prepare(self, bundle: DatasetBundle) -> DatasetBundle:
        return images_in_signed_range(bundle)

    def to(self, device: torch.device) -> None:
        self.schedule = Schedule(self.schedule.name, self.schedule.timesteps, self.schedule.beta.to(device),
                                 self.schedule.alpha_bar.to(device))

    def training_batch(self, x0: torch.Tensor) -> tuple[tuple[torch.Tensor, ...], dict[str, torch.Tensor]]:
        """(the graph's inputs (x_t, t), {target: e}) for a batch of clean images, t ~ U{1..T}."""
        n = x0.shape[0]
        t = torch.randint(1, self.schedule.timesteps + 1, (n,), device=x0.device)
        noise = torch.randn_like(x0)
        x_t = q_sample(x0, t, noise, self.schedule)
        return denoiser_inputs(self.model, x_t, t), {self.head.target: noise}

    def _val_noise(self, x_val: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Fixed (t, e) per validation image, drawn once from the run's seed: comparable across epochs."""
        if self._val is None or self._val[0].shape[0] != x_val.shape[0]:
            gen = torch.Generator().manual_seed(self.seed + 1)
            t = torch.randint(1, self.schedule.timesteps + 1, (x_val.shape[0],), generator=gen)
            e = torch.randn(tuple(x_val.shape), generator=gen)
            self._val = (t, e)
        return self._val

    @torch.no_grad()
    def evaluate(self, model: Any, x_val: torch.Tensor, device: torch.device, batch_size: int,
                 loss_fn) -> dict[str, Any]:
        """val_loss: the training objective on the validation images with their fixed t and noise."""
        t_all, e_all = self._val_noise(x_val)
        was_training = model.training
        model.eval()
        total, n = 0.0, x_val.shape[0]
        for start in range(0, n, batch_size):
            x0 = x_val[start:start + batch_size].to(device, non_blocking=True).float()
            t = t_all[start:start + batch_size].to(device)
            e = e_all[start:start + batch_size].to(device)
            pred = model(*denoiser_inputs(model, q_sample(x0, t, e, self.schedule), t))
            total += float(loss_fn(self.head, pred.float(), e)) * x0.shape[0]
        model.train(was_training)
        loss = total / max(1, n)
        return {"val_loss": loss, "heads": {self.head.node_id: {"loss": loss}}}

    def event(self, model: Any, x_val: torch.Tensor, epoch: int, step: int) -> dict[str, Any]:
        """The `diffusion` event: STRIP_SAMPLES samples from fixed noise and the forward strip of val image 0."""
        device = self.schedule.beta.device
        samples = sample(model, self.schedule, self.shape, STRIP_SAMPLES, seed=self.seed, device=device)
        steps = strip_steps(self.schedule.timesteps)
        forward = forward_strip(x_val[0].to(device).float(), self.schedule, steps, seed=self.seed)
        curve_t, curve_ab = alpha_bar_curve(self.schedule.name, self.schedule.timesteps,
                                            float(self.head.params.get("beta_start", 1e-4)),
                                            float(self.head.params.get("beta_end", 0.02)))
        return {"event": "diffusion", "epoch": epoch, "step": step, "head": self.head.node_id,
                "shape": list(self.shape), "schedule": self.schedule.name, "timesteps": self.schedule.timesteps,
                "samples": to_uint8(samples), "forward": to_uint8(forward), "forward_t": steps,
                "alpha_bar_t": curve_t, "alpha_bar": curve_ab}

