"""The recipe's checks for a GAN (a generator and a discriminator in one graph, train/gan.py).

A GAN has no fixed target to fit, so the classifier's checks become what the course asks of its
two networks, measured with the run's own pieces (`GanRun.generate` / `discriminate`, its BCE,
its step and optimizer groups, images in [-1, 1]):

* loss at init: a discriminator that knows nothing says 0.5 to every image, so its loss
  BCE(D(x), 1) + BCE(D(G(z)), 0) starts at 2 ln 2 = 1.386 and the generator's BCE(D(G(z)), 1) at
  ln 2 = 0.693; far above means D is confidently wrong from the start (it says "real", or "fake",
  to everything), which saturates one of the two losses before anything is learned;
* overfit one batch: D alone learns to tell one fixed batch of real images from one fixed batch
  of generated ones (G frozen at its init): its loss must fall far below 2 ln 2, the course's
  sanity check that D can learn at all;
* fixed seed: three GAN steps (D then G) twice from the same seed must agree exactly;
* batch independence: the gradient of D(G(z_i)) with respect to z_j, j != i, must be zero (both
  networks end to end), BatchNorm excepted as for any model.

The final-layer bias, the input-independent baseline, the LR range test and the prediction
dynamics do not apply and say why (`NOT_APPLICABLE`).
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any

import torch
from torch import nn

from studio.core.recipe.bands import probe_lr, ratio_status
from studio.core.recipe.result import CheckResult, not_applicable
from studio.core.recipe.subject import RecipeSubject

INIT_SAMPLES = 256
"""Real images (the validation split's first) and generated ones the loss at init is measured on."""
OVERFIT_IMAGES = 64
"""Real and generated images of the overfit check's fixed batch (each)."""
OVERFIT_STEPS = 300
OVERFIT_FRACTION = 0.05
"""D's loss must fall below this fraction of its loss at init (2 ln 2 x 0.05 = 0.069 from the start)."""
D_INIT = 2 * math.log(2)
G_INIT = math.log(2)

NOT_APPLICABLE_WHY = {
    "final_bias": "Does not apply to a GAN: the discriminator sees real and generated images in equal shares, so its "
                  "right starting verdict is 0.5 for both, which the loss at initialisation checks (2 ln 2).",
    "input_independent": "Does not apply to a GAN: with its images zeroed the discriminator cannot tell real from "
                         "generated at all and the generator has no target to compare with; the overfit check shows "
                         "that D learns from the images.",
    "lr_range": "Does not apply to a GAN: its two losses pull against each other, so neither falls steadily as the lr "
                "rises and the sweep's minimum suggests nothing; start from the course's Adam lr 2e-4 with betas "
                "(0.5, 0.999).",
    "prediction_dynamics": "Does not apply to a GAN: it follows a classifier's class predictions; watch D(x), D(G(z)) "
                           "and the samples drawn from the same noise at each epoch end instead.",
}
TITLES = {"final_bias": "Final-layer bias at init", "input_independent": "Input-independent baseline",
          "lr_range": "Learning-rate range test", "prediction_dynamics": "Prediction dynamics on a fixed batch"}


def not_for_gan(check: str) -> CheckResult:
    return not_applicable(check, TITLES[check], NOT_APPLICABLE_WHY[check])


def _noise(run, n: int, seed: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor | None]:
    """A fixed batch of noise (and class labels for a conditional GAN), drawn from `seed`."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn((n, *run.z_shape), generator=gen).to(device)
    labels = torch.randint(0, run.num_classes, (n,), generator=gen).to(device) if run.conditional else None
    return z, labels


def _real(subject: RecipeSubject, n: int, split: str = "val") -> tuple[torch.Tensor, torch.Tensor | None]:
    x, y = subject.batch(n, split=split)
    return x.float(), y.get("label")


def _input_noise(run, x: torch.Tensor, gen: torch.Generator | None = None) -> torch.Tensor:
    """D's input noise as the run adds it (training d_input_noise), seeded here."""
    if run.d_input_noise <= 0:
        return x
    return x + run.d_input_noise * torch.randn(tuple(x.shape), generator=gen).to(x.device, x.dtype)


def _status(loss: float, expected: float) -> str:

    return ratio_status(loss, loss / expected)


def init_loss(subject: RecipeSubject) -> CheckResult:
    """D's loss on real and generated images at init against 2 ln 2, G's against ln 2 (the first
    step's losses: training mode, D's input noise as configured)."""
    model = subject.build()
    run = subject.gan(model)
    model.train()
    x, real_labels = _real(subject, INIT_SAMPLES)
    n = int(x.shape[0])
    z, fake_labels = _noise(run, n, (subject.seed or 0) + 101, subject.device)
    gen = torch.Generator().manual_seed((subject.seed or 0) + 102)
    with torch.no_grad():
        fake = run.generate(model, z, fake_labels)
        d_real = run.discriminate(model, _input_noise(run, x, gen), real_labels if run.conditional else None)
        d_fake = run.discriminate(model, _input_noise(run, fake, gen), fake_labels)
        loss_d = float(run._bce(d_real, True) + run._bce(d_fake, False))
        loss_g = float(run._bce(d_fake, True))
        p_real, p_fake = float(run._verdict(d_real).mean()), float(run._verdict(d_fake).mean())
    status_d, status_g = _status(loss_d, D_INIT), _status(loss_g, G_INIT)
    order = ("pass", "warn", "fail")
    status = max(status_d, status_g, key=order.index)
    advice = ""
    if status != "pass":
        if p_real > 0.75 and p_fake > 0.75:
            advice = (f"the untrained discriminator is too confident: it calls every image real (D(x) {p_real:.2f}, "
                      f"D(G(z)) {p_fake:.2f} where 0.5 is knowing nothing), so its loss on generated images starts "
                      f"at {loss_d:.2f} instead of 2 ln 2 and the generator's near 0, with almost no gradient; start "
                      f"the discriminator's last layer small (bias 0, small weights)")
        elif p_real < 0.25 and p_fake < 0.25:
            advice = (f"the untrained discriminator is too confident: it calls every image fake (D(x) {p_real:.2f}, "
                      f"D(G(z)) {p_fake:.2f} where 0.5 is knowing nothing), so its loss on real images starts high "
                      f"and the generator's at {loss_g:.2f} instead of ln 2; start the discriminator's last layer "
                      f"small (bias 0, small weights)")
        elif p_real - p_fake > 0.25:
            advice = (f"the untrained discriminator already tells real from generated (D(x) {p_real:.2f}, D(G(z)) "
                      f"{p_fake:.2f}): the untrained generator's images differ from the data in an obvious way; "
                      f"check that the generator ends in a Tanh, as the run's images are in [-1, 1]")
        else:
            advice = (f"the untrained discriminator is far from unsure (D(x) {p_real:.2f}, D(G(z)) {p_fake:.2f}, "
                      f"0.5 expected): check its last layers' initialisation and the Sigmoid before a bce GANHead")
    return CheckResult(
        "init_loss", "Loss at initialisation", status,
        f"D {loss_d:.4f}, G {loss_g:.4f} (D(x) {p_real:.2f}, D(G(z)) {p_fake:.2f} on {n} real and {n} generated images)",
        f"D: 2 ln 2 = {D_INIT:.4f} (real -> 1 and fake -> 0 with D saying 0.5 to both); G: ln 2 = {G_INIT:.4f}",
        advice,
        {"loss": loss_d, "expected": D_INIT, "ratio": loss_d / D_INIT, "loss_g": loss_g, "expected_g": G_INIT,
         "ratio_g": loss_g / G_INIT, "d_real": p_real, "d_fake": p_fake, "status_d": status_d, "status_g": status_g,
         "images": n})


def overfit_batch(subject: RecipeSubject, images: int = OVERFIT_IMAGES, steps: int = OVERFIT_STEPS) -> CheckResult:
    """D alone (its optimizer group, G frozen at init) on one fixed batch of real images and one of
    generated ones: its loss must fall far below 2 ln 2."""
    model = subject.build()
    run = subject.gan(model)
    model.train()
    x, real_labels = _real(subject, images, split="train")
    n = int(x.shape[0])
    z, fake_labels = _noise(run, n, (subject.seed or 0) + 103, subject.device)
    with torch.no_grad():
        fake = run.generate(model, z, fake_labels).detach()
    real_labels = real_labels if run.conditional else None
    opt = subject.gan_optimizer(run, only="discriminator")
    clip = float(subject.config.grad_clip or 0.0)
    gen = torch.Generator().manual_seed((subject.seed or 0) + 104)

    def loss_of(noisy: bool) -> torch.Tensor:
        xr = _input_noise(run, x, gen) if noisy else x
        xf = _input_noise(run, fake, gen) if noisy else fake
        return run._bce(run.discriminate(model, xr, real_labels), True) + \
            run._bce(run.discriminate(model, xf, fake_labels), False)

    def measure() -> float:
        with torch.no_grad():
            return float(loss_of(False))

    start = measure()
    target = OVERFIT_FRACTION * start
    curve = [(0, start)]
    reached = None
    for step in range(1, steps + 1):
        loss = loss_of(True)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(run.d_params, clip)
        opt.step()
        if step % 10 == 0:
            value = measure()
            curve.append((step, value))
            if not math.isfinite(value):
                break
            if value < target:
                reached = step
                break
    with torch.no_grad():
        p_real = float(run._verdict(run.discriminate(model, x, real_labels)).mean())
        p_fake = float(run._verdict(run.discriminate(model, fake, fake_labels)).mean())
    final = curve[-1][1]
    ok = reached is not None
    d_lr = float(opt.param_groups[0]["lr"])
    return CheckResult(
        "overfit_batch", f"Overfit one batch (D: {n} real vs {n} generated images)", "pass" if ok else "fail",
        f"D's loss {start:.4f} -> {final:.4g} " + (f"in {reached} steps" if ok else f"after {curve[-1][0]} steps")
        + f" (D(x) {p_real:.2f}, D(G(z)) {p_fake:.2f}; lr {d_lr:g})",
        f"below {target:.3g} ({OVERFIT_FRACTION:g} x its start) within {steps} steps",
        "" if ok else "the discriminator cannot even tell one fixed batch of real images from one of generated ones: "
                      "check that the images reach it (the generator's output wire into its first block), that no "
                      "layer of it is frozen or detached, and that its verdict feeds the GANHead (a Sigmoid before a "
                      "bce head, none before bce_logits)",
        {"curve": curve, "examples": n, "reached_step": reached, "d_real": p_real, "d_fake": p_fake, "lr": d_lr})


def three_steps(subject: RecipeSubject) -> tuple[list[float], torch.Tensor]:
    """Three of the run's GAN steps (D then G) on one batch: the losses and the final weights."""
    model = subject.build()
    run = subject.gan(model)
    model.train()
    opt = subject.gan_optimizer(run)
    x, y = subject.batch(32)
    losses = []
    for _ in range(3):
        loss, _, _ = run.step(model, x.float(), y, opt, nullcontext, float(subject.config.grad_clip or 0.0))
        losses.append(float(loss))
    flat = torch.cat([p.detach().flatten().cpu() for p in model.parameters()])
    return losses, flat


def train_briefly(subject: RecipeSubject, steps: int) -> tuple[nn.Module, list[torch.Tensor]]:
    """A fresh GAN trained `steps` of the run's steps (for the first-layer filters: the discriminator's
    first convolution), and its initial weights."""
    model = subject.build()
    run = subject.gan(model)
    model.train()
    initial = [p.detach().clone() for p in model.parameters()]

    opt = subject.gan_optimizer(run, probe_lr(subject))  # the probes' lr, as other models' filters train
    batches = subject.train_batches(min(64, subject.bundle.n_train))
    for _ in range(steps):
        x, y = next(batches)
        run.step(model, x.float(), y, opt, nullcontext, float(subject.config.grad_clip or 0.0))
    return model, initial


def cross_example_leak(subject: RecipeSubject, model: nn.Module, n: int, i: int) -> float:
    """max |d D(G(z_i)) / d z_j| over j != i relative to j = i: both networks, end to end."""
    run: Any = subject.gan(model)
    z, labels = _noise(run, n, (subject.seed or 0) + 105, subject.device)
    z = z.requires_grad_(True)
    out = run.discriminate(model, run.generate(model, z, labels), labels)
    (grad,) = torch.autograd.grad(out[i].float().sum(), [z])
    g = grad.abs().reshape(n, -1).amax(1)
    own = float(g[i]) or 1e-30
    return float(torch.cat([g[:i], g[i + 1:]]).max()) / own
