"""The recipe checks that train a little: each is a short, seeded loop on a fresh model.

* input-independent baseline: the same training with zeroed inputs must end worse;
* overfit one batch: a handful of examples must be driven to near-zero loss;
* LR range test: an exponential sweep of the learning rate, loss against LR, a suggested LR;
* prediction dynamics: how predictions on one fixed batch move while training;
* first-layer filters: what the first convolution learned, and whether it moved at all.

Each one costs a second or a few on a CPU for the course's models; steps are constants here.

A language model trains on text windows like any model (its baseline zeroes the tokens); a
denoiser trains on (x_t, t) batches drawn as the trainer draws them, and its input-independent
baseline is predicting zeros (a loss of the noise's variance, about 1). Prediction dynamics follow
class predictions, so they do not apply to either and say so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from studio.core.graph.heads import head_loss
from studio.core.recipe.bands import probe_lr
from studio.core.recipe.checks import _timed
from studio.core.recipe.result import CheckResult, not_applicable
from studio.core.recipe.smoothing import debiased_ema
from studio.core.recipe.subject import RecipeSubject, unigram_perplexity

BASELINE_STEPS = 40
BASELINE_MARGIN = 0.9
"""Real inputs must end with a validation loss below this fraction of the zeroed-input one."""
OVERFIT_EXAMPLES = 10
OVERFIT_STEPS = 300
OVERFIT_LOSS = 0.05
LR_RANGE = (1e-6, 10.0)
LR_STEPS = 100
LR_FAIL_FACTOR = 100.0
"""A configured LR this many times the sweep's suggestion (or more) is a FAIL, not a WARN.

The suggestion is a tenth of the LR at the sweep's minimum, so 100x the suggestion is 10x past the
minimum: there the sweep's loss is climbing steeply and on the course's models it blows up within
that decade (the digits MLP's loss blew up at 18x its minimum's LR). Such an LR diverges; between
the minimum and this factor the run may still learn, badly or unstably, which stays a WARN."""
DYNAMICS_STEPS = 60
DYNAMICS_SNAPSHOTS = 8
DYNAMICS_BATCH = 16
PROBE_BATCH = 16
DENOISER_SWEEP_BATCH = 64
"""Images per step of a denoiser's LR range test: each image gets its own random t, so 16 give a loss
too noisy for the sweep's slope (on the DDPM template it suggested 1e-6; 64 suggest 1.7e-3)."""


def _cycle_batches(subject: RecipeSubject, batch: int):
    """Endless batches through the training split, in a seeded order (`RecipeSubject.train_batches`)."""
    return subject.train_batches(batch)


def _ppl(loss: float) -> float:
    return math.exp(min(loss, 700.0))


def _train_step(subject: RecipeSubject, model: nn.Module, opt: torch.optim.Optimizer, x, y) -> float:
    model.train()
    loss = subject.loss(subject.outputs(model, x), y)
    if loss.requires_grad:  # a model with nothing trainable still gets measured, never crashes the check
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if subject.config.grad_clip:  # as the trainer steps
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad],
                                           float(subject.config.grad_clip))
        opt.step()
    return float(loss.detach())


def _eval_loss(subject: RecipeSubject, model: nn.Module, x, y) -> float:
    model.eval()
    with torch.no_grad():
        return float(subject.loss(subject.outputs(model, x), y))


@_timed
def input_independent(subject: RecipeSubject, steps: int = BASELINE_STEPS) -> CheckResult:
    """Train once on real inputs and once on zeros: if zeros do as well, the net is not using its input.
    A denoiser's baseline is predicting zeros, whose loss is the noise's variance."""
    if subject.paradigm == "diffusion":
        return _denoiser_baseline(subject, steps)
    if subject.paradigm == "gan":
        from studio.core.recipe.gan_checks import not_for_gan

        return not_for_gan("input_independent")
    xv, yv = subject.batch(256, split="val")
    losses = {}
    for mode in ("real", "zeroed"):
        model = subject.build()
        opt = subject.make_optimizer(model, probe_lr(subject))
        batches = _cycle_batches(subject, PROBE_BATCH)
        for _ in range(steps):
            x, y = next(batches)
            _train_step(subject, model, opt, x if mode == "real" else torch.zeros_like(x), y)
        losses[mode] = _eval_loss(subject, model, xv if mode == "real" else torch.zeros_like(xv), yv)
    real, zero = losses["real"], losses["zeroed"]
    ok = math.isfinite(real) and real < BASELINE_MARGIN * zero
    details = {"real": real, "zeroed": zero, "steps": steps}
    if subject.paradigm == "language_model":
        unigram = unigram_perplexity(subject.data, subject.bundle)
        details.update(real_perplexity=_ppl(real), zeroed_perplexity=_ppl(zero), unigram_perplexity=unigram)
        counting = f"; zeroed tokens leave only the token frequencies to learn (unigram perplexity {unigram:.1f})" \
            if unigram else ""
        return CheckResult(
            "input_independent", "Input-independent baseline", "pass" if ok else "fail",
            f"validation loss {real:.4f} (perplexity {_ppl(real):.1f}) with real tokens vs {zero:.4f} "
            f"(perplexity {_ppl(zero):.1f}) with zeroed tokens after {steps} steps",
            f"real tokens below {BASELINE_MARGIN:g} x the zeroed-token loss{counting}",
            "" if ok else "the language model learns nothing from the tokens it reads, only how often each occurs: check "
                          "that the Input reaches the Embedding and the layers after it (wiring, a detached tensor) "
                          "and that the targets are the same text shifted by one",
            details)
    return CheckResult(
        "input_independent", "Input-independent baseline", "pass" if ok else "fail",
        f"validation loss {real:.4f} with real inputs vs {zero:.4f} with zeroed inputs after {steps} steps",
        f"real inputs below {BASELINE_MARGIN:g} x the zeroed-input loss",
        "" if ok else "the model learns nothing from its inputs: check that the input reaches the layers (wiring, a "
                      "detached tensor, a multiplication by zero) and that inputs and labels belong together",
        details)


def _denoiser_baseline(subject: RecipeSubject, steps: int) -> CheckResult:
    """A denoiser trained `steps` steps must predict the noise better than predicting zeros does
    (that loss is the noise's variance under MSE: about 1)."""
    head = subject.heads[0]
    xv, yv = subject.batch(256, split="val")
    model = subject.build()
    opt = subject.make_optimizer(model, probe_lr(subject))
    batches = _cycle_batches(subject, PROBE_BATCH)
    for _ in range(steps):
        x, y = next(batches)
        _train_step(subject, model, opt, x, y)
    real = _eval_loss(subject, model, xv, yv)
    noise = yv[head.target].float()
    zero = float(head_loss(head, torch.zeros_like(noise), noise))
    ok = math.isfinite(real) and real < BASELINE_MARGIN * zero
    return CheckResult(
        "input_independent", "Input-independent baseline", "pass" if ok else "fail",
        f"validation loss {real:.4f} after {steps} steps vs {zero:.4f} predicting zeros (the noise's variance)",
        f"below {BASELINE_MARGIN:g} x the loss of predicting zeros",
        "" if ok else "the denoiser predicts the noise no better than zeros do: it learns nothing from x_t and t; check "
                      "that the noisy image reaches the layers (wiring, a detached tensor) and that the last layer "
                      "feeds the head",
        {"real": real, "zeroed": zero, "baseline": "predicting zeros", "steps": steps})


@_timed
def overfit_batch(subject: RecipeSubject, examples: int = OVERFIT_EXAMPLES, steps: int = OVERFIT_STEPS) -> CheckResult:
    """A working model memorises a few examples; if it cannot, the model, the loss or the code is wrong.
    A GAN's discriminator must learn to tell one fixed batch of real images from generated ones."""
    if subject.paradigm == "gan":
        from studio.core.recipe import gan_checks

        return gan_checks.overfit_batch(subject)
    x, y = subject.batch(examples)
    model = subject.build()
    opt = subject.make_optimizer(model, probe_lr(subject))
    start = _eval_loss(subject, model, x, y)
    # near zero, or near the floor label smoothing puts under the trainer's loss
    target = subject.loss_floor() + (OVERFIT_LOSS if subject.primary is not None else OVERFIT_LOSS * max(start, 1e-12))
    curve = [(0, start)]
    reached = None
    for step in range(1, steps + 1):
        _train_step(subject, model, opt, x, y)
        if step % 10 == 0:
            loss = _eval_loss(subject, model, x, y)
            curve.append((step, loss))
            if not math.isfinite(loss):
                break
            if loss < target:
                reached = step
                break
    final = curve[-1][1]
    ok = reached is not None
    n = int((x[0] if isinstance(x, tuple) else x).shape[0])
    what = {"language_model": f"{n} text windows", "diffusion": f"{n} noised images, fixed t and noise"}
    ppl = f" (perplexity {_ppl(start):.1f} -> {_ppl(final):.2f})" if subject.paradigm == "language_model" else ""
    return CheckResult(
        "overfit_batch", f"Overfit one batch ({what.get(subject.paradigm, f'{n} examples')})", "pass" if ok else "fail",
        f"loss {start:.4f} -> {final:.4g}{ppl} " + (f"in {reached} steps" if ok else f"after {curve[-1][0]} steps"),
        f"below {target:.3g} within {steps} steps",
        "" if ok else "the model cannot even memorise a handful of examples: something is wrong in the model, the loss "
                      "or the code (a Softmax before the classification head, a frozen or detached layer, labels "
                      "that do not match the inputs, a far too small model)",
        {"curve": curve, "examples": n, "reached_step": reached})


def suggest_lr(lrs: np.ndarray, smooth: np.ndarray) -> tuple[float | None, float | None]:
    """(suggested LR, LR at the minimum): a tenth of the LR where the smoothed loss bottoms out, and
    never more than the LR of its steepest fall."""
    if smooth.size < 5 or not np.isfinite(smooth).any():
        return None, None
    i_min = int(np.nanargmin(smooth))
    lr_min = float(lrs[i_min])
    slope = np.gradient(smooth[: i_min + 1], np.log10(lrs[: i_min + 1])) if i_min >= 2 else None
    steepest = float(lrs[int(np.nanargmin(slope))]) if slope is not None else lr_min / 10
    return min(lr_min / 10, steepest), lr_min


def judge_lr(lr: float, suggested: float | None, lr_at_min: float | None,
             blew_up_at: float | None) -> tuple[str, str]:
    """(status, advice) for training at `lr` given a sweep that learned: FAIL when the sweep's own
    loss blew up below `lr`, or `lr` is `LR_FAIL_FACTOR` times the suggestion or more (the run will
    diverge); WARN when it is past the minimum or below a tenth of the suggestion; else PASS.

    The verdicts reuse it to judge the configured LR against an earlier sweep (recipe/evidence.py)."""
    if suggested is None:
        return "pass", ""
    ratio = lr / suggested
    if blew_up_at is not None and lr > blew_up_at:
        return "fail", (f"the configured lr {lr:g} is above where the loss blew up in the sweep ({blew_up_at:.2g}), "
                        f"{ratio:,.0f}x its suggestion: it will diverge; use ~{suggested:.2g}")
    if ratio >= LR_FAIL_FACTOR:
        return "fail", (f"the configured lr {lr:g} is {ratio:,.0f}x the sweep's suggestion {suggested:.2g}: "
                        f"it will diverge; use ~{suggested:.2g}")
    if not (suggested / 10 <= lr <= (lr_at_min or suggested)):
        return "warn", f"the configured lr {lr:g} is far from the sweep's suggestion {suggested:.2g}: try it"
    return "pass", ""


@_timed
def lr_range(subject: RecipeSubject, steps: int = LR_STEPS, lr_range_: tuple[float, float] = LR_RANGE) -> CheckResult:
    """Raise the LR exponentially each step and record the loss; stop once it blows up (4x its best)."""
    if subject.paradigm == "gan":
        from studio.core.recipe.gan_checks import not_for_gan

        return not_for_gan("lr_range")
    lo, hi = lr_range_
    model = subject.build()
    opt = subject.make_optimizer(model, lo)
    batches = _cycle_batches(subject, DENOISER_SWEEP_BATCH if subject.paradigm == "diffusion" else PROBE_BATCH)
    factor = (hi / lo) ** (1.0 / max(1, steps - 1))
    lrs, losses = [], []
    lr = lo
    for _ in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr
        x, y = next(batches)
        loss = _train_step(subject, model, opt, x, y)
        lrs.append(lr)
        losses.append(loss)
        smooth = debiased_ema(losses, 0.9)
        if not math.isfinite(loss) or (len(losses) > 10 and smooth[-1] > 4 * np.nanmin(smooth)):
            break
        lr *= factor
    lrs_a, smooth = np.asarray(lrs), debiased_ema(losses, 0.9)
    suggested, lr_at_min = suggest_lr(lrs_a, smooth)
    first = float(smooth[0])
    best = float(np.nanmin(smooth)) if np.isfinite(smooth).any() else math.nan
    blew_up_at = float(lrs_a[-1]) if len(lrs) < steps else None
    learned = math.isfinite(best) and best < 0.8 * first
    if learned:
        status, advice = judge_lr(subject.lr, suggested, lr_at_min, blew_up_at)
    else:
        status = "fail"
        advice = ("no learning rate made the loss fall: the gradients do not reach the weights or the loss does not "
                  "depend on them (frozen or detached layers, a loss on the wrong output)")
    measured = (f"loss fell from {first:.3g} to {best:.3g} (lowest at lr {lr_at_min:.2g}); suggested lr {suggested:.2g}"
                if learned and suggested else f"loss {first:.3g} -> best {best:.3g}: no fall")
    return CheckResult("lr_range", "Learning-rate range test", status, measured,
                       f"a clear dip; configured lr {subject.lr:g} within [suggested/10, lr at the minimum]", advice,
                       {"lrs": lrs, "losses": losses, "smoothed": smooth.tolist(), "suggested_lr": suggested,
                        "lr_at_min": lr_at_min, "blew_up_at": blew_up_at, "configured_lr": subject.lr,
                        "learned": learned})


@_timed
def prediction_dynamics(subject: RecipeSubject, steps: int = DYNAMICS_STEPS,
                        keep_model: dict[str, Any] | None = None) -> CheckResult | None:
    """Predictions on one fixed validation batch, snapshot during a short training: they should move
    from unsure towards right, not freeze and not thrash."""
    title = "Prediction dynamics on a fixed batch"
    if subject.paradigm == "language_model":
        return not_applicable("prediction_dynamics", title,
                              "Does not apply to a language model: it follows a classifier's class predictions; watch "
                              "the sample text written at each epoch end in the Train panel instead.")
    if subject.paradigm == "diffusion":
        return not_applicable("prediction_dynamics", title,
                              "Does not apply to a denoiser: it predicts noise, not classes; watch the samples drawn "
                              "at each epoch end in the Diffusion tab instead.")
    if subject.paradigm == "gan":
        from studio.core.recipe.gan_checks import not_for_gan

        return not_for_gan("prediction_dynamics")
    if subject.primary is None:
        return None
    head = subject.heads[subject.primary]
    xf, yf = subject.batch(DYNAMICS_BATCH, split="val")
    truth = yf[head.target].long()
    model = subject.build()
    initial = [p.detach().clone() for p in model.parameters()]
    opt = subject.make_optimizer(model, probe_lr(subject))
    batches = _cycle_batches(subject, PROBE_BATCH)
    every = max(1, steps // DYNAMICS_SNAPSHOTS)
    snapshots = []

    def snap(step: int) -> None:
        model.eval()
        with torch.no_grad():
            out = subject.outputs(model, xf)[subject.primary].float()
            prob = torch.softmax(out, dim=1)
            loss = float(torch.nn.functional.cross_entropy(out, truth))
        snapshots.append({"step": step, "pred": prob.argmax(1).tolist(),
                          "p_true": prob.gather(1, truth.view(-1, 1)).squeeze(1).tolist(), "loss": loss})

    snap(0)
    for step in range(1, steps + 1):
        x, y = next(batches)
        _train_step(subject, model, opt, x, y)
        if step % every == 0:
            snap(step)
    if keep_model is not None:
        keep_model["model"], keep_model["initial"] = model, initial
    first, last = snapshots[0], snapshots[-1]
    acc0 = float(np.mean(np.asarray(first["pred"]) == truth.cpu().numpy()))
    acc1 = float(np.mean(np.asarray(last["pred"]) == truth.cpu().numpy()))
    p0, p1 = float(np.mean(first["p_true"])), float(np.mean(last["p_true"]))
    ok = p1 > p0 + 0.05 and last["loss"] < first["loss"]
    return CheckResult(
        "prediction_dynamics", title, "pass" if ok else "fail",
        f"fixed batch of {len(first['pred'])}: accuracy {acc0:.0%} -> {acc1:.0%}, mean p(true class) "
        f"{p0:.2f} -> {p1:.2f} over {steps} steps",
        "p(true class) rising on the fixed batch",
        "" if ok else "predictions on the fixed batch do not move towards the truth: the model is not learning "
                      "(check the LR, the wiring from input to output and the labels)",
        {"labels": truth.cpu().tolist(), "snapshots": snapshots, "num_classes": subject.num_classes})


@_timed
def first_layer_filters(subject: RecipeSubject, model: nn.Module | None = None,
                        initial: list[torch.Tensor] | None = None) -> CheckResult | None:
    """The first convolution's filters after training: they should have moved from their random start
    (smooth edge/blob detectors when trained well; unchanged means the layer does not learn)."""
    from studio.core.explain.filters import conv_layers, filter_grid

    if model is None:
        holder: dict[str, Any] = {}
        if subject.paradigm == "default":
            prediction_dynamics(subject, keep_model=holder)
        model, initial = holder.get("model"), holder.get("initial")
        if model is None:
            if not conv_layers(subject.build()):
                return None
            model, initial = _train_briefly(subject, DYNAMICS_STEPS)
    names = conv_layers(model)
    if subject.paradigm == "gan":  # the filters that look at images: the discriminator's first
        d_nodes = subject.gan(model).s.discriminator_nodes
        names = [n for n in names if n.split(".")[0] in d_nodes]
    if not names:
        return None
    layer = names[0]
    module = dict(model.named_modules())[layer]
    w = module.weight.detach().float().cpu()
    if initial is None:
        w0 = dict(subject.build().named_modules())[layer].weight.detach().float().cpu()
    else:
        index = [i for i, p in enumerate(model.parameters()) if p is module.weight][0]
        w0 = initial[index].float().cpu()
    change = float((w - w0).norm() / w0.norm().clamp_min(1e-12))
    grid = filter_grid(model, layer)
    status = "pass" if change > 0.05 else "warn" if change > 0 else "fail"
    advice = {"pass": "", "warn": "the first-layer filters barely moved from their random start: train longer or with "
                                  "a higher LR, and look at them again",
              "fail": f"the first layer ({layer}) did not change at all: it is frozen, detached or gets no gradient"}
    return CheckResult("first_layer_filters", "First-layer filters", status,
                       f"{layer}: {w.shape[0]} filters moved {change:.1%} from their initial values",
                       "filters that moved (> 5%) and show structure", advice[status],
                       {"layer": layer, "relative_change": change, "grid_shape": list(grid.image.shape)},
                       artifacts={"filter_image": grid.image})


def _train_briefly(subject: RecipeSubject, steps: int) -> tuple[nn.Module, list[torch.Tensor]]:
    """A fresh model trained `steps` steps (for the filters of a model without class predictions to
    follow), and its initial parameters."""
    if subject.paradigm == "gan":  # the run's D-then-G steps
        from studio.core.recipe import gan_checks

        return gan_checks.train_briefly(subject, steps)
    model = subject.build()
    initial = [p.detach().clone() for p in model.parameters()]
    opt = subject.make_optimizer(model, probe_lr(subject))
    batches = _cycle_batches(subject, PROBE_BATCH)
    for _ in range(steps):
        x, y = next(batches)
        _train_step(subject, model, opt, x, y)
    return model, initial


def filter_image(model: nn.Module) -> tuple[str, np.ndarray] | None:
    """(layer, RGB uint8 grid) of the first convolution, for the views."""
    from studio.core.explain.filters import conv_layers, filter_grid

    names = conv_layers(model)
    if not names:
        return None
    grid = filter_grid(model, names[0])
    return names[0], grid.image


def graph_has_convolution(graph) -> bool | None:
    """Whether the graph's model has a convolution whose filters the filter check would show (the
    same test, `conv_layers`, on the compiled model); None when the graph does not compile yet."""
    from studio.core.errors import UserError
    from studio.core.explain.filters import conv_layers
    from studio.core.graph.compile import compile_graph

    try:
        return bool(conv_layers(compile_graph(graph)))
    except (UserError, ValueError, KeyError, TypeError, RuntimeError):
        return None


PROBES = {"input_independent": input_independent, "overfit_batch": overfit_batch, "lr_range": lr_range,
          "prediction_dynamics": prediction_dynamics, "first_layer_filters": first_layer_filters}

