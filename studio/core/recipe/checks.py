"""The cheap recipe checks: no training beyond three steps, so they run before every training.

* fixed seed: the same seed must give the same weights and the same first losses;
* loss at init: a fresh classifier should be unsure, so its loss should be close to -log(1/C); a
  language model's close to ln V (a uniform guess over its V tokens); a denoiser's close to the
  variance of the noise it predicts (the MSE of predicting zeros, 1 for unit Gaussian noise);
* final-layer bias: at init the mean prediction should match the class frequencies (or the mean
  target, the noise's mean for a denoiser), else the first iterations are spent learning the bias;
  it does not apply to a language model, whose output bias the course starts at 0;
* batch independence: the gradient of example i's output with respect to input j != i must be
  zero; anything else mixes examples (a wrong view/transpose, a mean over the batch) unless it is
  BatchNorm, which mixes them by design in training mode.
"""

from __future__ import annotations

import math
import time

import torch
from torch import nn

from studio.core.graph.heads import head_loss
from studio.core.recipe.bands import ratio_status
from studio.core.recipe.result import CheckResult, not_applicable
from studio.core.recipe.subject import RecipeSubject, chance_loss, seed_everything

BIAS_KL_PASS = 0.05
BIAS_KL_WARN = 0.3
INDEPENDENCE_TOL = 1e-6


def _timed(fn):
    def wrapper(subject: RecipeSubject, *args, **kwargs):
        t0 = time.perf_counter()
        result = fn(subject, *args, **kwargs)
        if result is not None:
            result.seconds = time.perf_counter() - t0
        return result
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def final_layer(model: nn.Module, width: int | None) -> nn.Module | None:
    """The last Linear/Conv producing `width` outputs (the layer feeding the head)."""
    found = None
    for module in model.modules():
        if isinstance(module, nn.Linear) and (width is None or module.out_features == width):
            found = module
        elif isinstance(module, (nn.Conv1d, nn.Conv2d)) and (width is None or module.out_channels == width):
            found = module
    return found


def _three_steps(subject: RecipeSubject) -> tuple[list[float], torch.Tensor]:
    if subject.paradigm == "gan":  # three of the run's D-then-G steps
        from studio.core.recipe import gan_checks

        return gan_checks.three_steps(subject)
    model = subject.build()
    model.train()
    opt = subject.make_optimizer(model)
    x, y = subject.batch(32)
    losses = []
    for _ in range(3):
        loss = subject.loss(subject.outputs(model, x), y)
        if loss.requires_grad:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        losses.append(float(loss.detach()))
    flat = torch.cat([p.detach().flatten().cpu() for p in model.parameters()]) if any(
        True for _ in model.parameters()) else torch.zeros(0)
    return losses, flat


@_timed
def fixed_seed(subject: RecipeSubject) -> CheckResult:
    """Two runs from the same seed must agree exactly; otherwise no comparison between runs means anything."""
    title = "Fixed random seed"
    if subject.seed is None:
        return CheckResult("fixed_seed", title, "fail", "no seed in the training config", "a fixed seed",
                           "set training.seed (e.g. 0) so runs repeat and differences mean something")
    a_losses, a_params = _three_steps(subject)
    b_losses, b_params = _three_steps(subject)
    loss_diff = max((abs(a - b) for a, b in zip(a_losses, b_losses, strict=False)), default=0.0)
    param_diff = float((a_params - b_params).abs().max()) if a_params.numel() else 0.0
    same = loss_diff == 0.0 and param_diff == 0.0
    return CheckResult(
        "fixed_seed", title, "pass" if same else "fail",
        f"seed {subject.seed}: loss difference {loss_diff:.3g}, weight difference {param_diff:.3g} after 3 steps",
        "identical losses and weights from the same seed",
        "" if same else "something draws randomness outside the seeded generators (an unseeded generator, "
                        "os entropy, a non-deterministic kernel): make it use torch's seeded RNG",
        {"losses_a": a_losses, "losses_b": b_losses, "max_weight_difference": param_diff})


def _init_probabilities(subject: RecipeSubject, n: int = 256) -> tuple[torch.Tensor, torch.Tensor, nn.Module]:
    model = subject.build()
    model.eval()
    x, y = subject.batch(n)
    with torch.no_grad():
        out = subject.outputs(model, x)[subject.primary]
    return out, y[subject.heads[subject.primary].target], model


@_timed
def init_loss(subject: RecipeSubject) -> CheckResult | None:
    """A fresh classifier should spread its bets: loss close to log C. Far above means confidently wrong.
    A language model should spread them over its vocabulary (ln V); a denoiser should predict
    little, so its loss is the variance of the noise (checks `_lm_init_loss`, `_denoiser_init_loss`)."""
    if subject.paradigm == "language_model":
        return _lm_init_loss(subject)
    if subject.paradigm == "diffusion":
        return _denoiser_init_loss(subject)
    if subject.paradigm == "gan":  # D's loss against 2 ln 2, G's against ln 2
        from studio.core.recipe import gan_checks

        return gan_checks.init_loss(subject)
    if subject.primary is None:
        return None
    c = subject.num_classes
    logits, target, _ = _init_probabilities(subject)
    loss = float(torch.nn.functional.cross_entropy(logits.float(), target.long()))
    expected = chance_loss(c)
    ratio = loss / expected
    status = ratio_status(loss, ratio)
    advice = ""
    if status != "pass":
        if ratio > 1:
            advice = ("the untrained network is confidently wrong: its output logits are too large; scale the last "
                      "layer's weights down (e.g. x0.01), check the initialisation and the input normalisation")
        else:
            advice = "the untrained network already scores better than chance: check that labels do not leak into inputs"
    return CheckResult("init_loss", "Loss at initialisation", status, f"{loss:.4f}",
                       f"-log(1/{c}) = {expected:.4f}", advice, {"loss": loss, "expected": expected, "ratio": ratio})


INIT_WINDOWS = 128
"""Text windows a language model's loss at init is measured on (128 x T next tokens)."""


def _lm_init_loss(subject: RecipeSubject) -> CheckResult:
    """Mean next-token cross-entropy of the untrained LM (with the course's init, as the run starts)
    against ln V: much higher means the init is too confident (scores far from equal)."""
    i = subject.language_model
    head = subject.heads[i]
    v = subject.vocab_size
    model = subject.build()
    model.eval()
    x, y = subject.batch(INIT_WINDOWS)
    with torch.no_grad():
        scores = subject.outputs(model, x)[i].float()
    target = y[head.target].reshape(-1).long()
    loss = float(torch.nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), target))
    expected = chance_loss(v)
    ratio = loss / expected
    status = ratio_status(loss, ratio)
    advice = ""
    if status != "pass" and ratio > 1:
        advice = (f"the untrained language model is too confident: its next-token scores are too large, so it bets "
                  f"on a few tokens before it has learned any and starts {ratio:.1f}x above a uniform guess; start "
                  f"the Linear feeding the head small (the course's uniform init: the head's init_range, 0.1) and "
                  f"check the Embedding's scale")
    elif status != "pass":
        advice = ("the untrained language model already scores better than a uniform guess over the vocabulary: its "
                  "output layer starts favouring some tokens (the course starts it uniform in +-init_range, bias 0)")
    perplexity = math.exp(min(loss, 700.0))
    return CheckResult("init_loss", "Loss at initialisation", status,
                       f"{loss:.4f} per token (perplexity {perplexity:.3g})",
                       f"ln({v}) = {expected:.4f}, a uniform guess over the {v} tokens (perplexity {v})", advice,
                       {"loss": loss, "expected": expected, "ratio": ratio, "perplexity": perplexity,
                        "vocab_size": v, "tokens": int(target.numel())})


def _denoiser_init_loss(subject: RecipeSubject) -> CheckResult:
    """The untrained denoiser's loss on a fixed validation batch of noised images against the loss of
    predicting zeros: the noise's variance under MSE (mean |e| under L1), about 1 for unit noise."""
    head = subject.heads[0]
    model = subject.build()
    model.eval()
    x, y = subject.batch(256, split="val")
    with torch.no_grad():
        pred = subject.outputs(model, x)[0].float()
    noise = y[head.target].float()
    loss = float(head_loss(head, pred, noise))
    expected = float(head_loss(head, torch.zeros_like(pred), noise))
    ratio = loss / expected if expected > 0 else math.inf
    status = ratio_status(loss, ratio)
    spread = float(pred.pow(2).mean())
    advice = ""
    if status != "pass" and ratio > 1:
        advice = (f"the untrained denoiser's predicted noise is too large (mean square {spread:.3g}): it adds to the "
                  f"loss on top of the noise's own variance; scale the last layer's weights down (x0.01, or start "
                  f"them at zero)")
    elif status != "pass":
        advice = ("the untrained denoiser already predicts part of the noise: an input wired (nearly) straight to the "
                  "output passes x_t on, which is mostly noise at large t; fine when that is meant, else check the wiring")
    what = ("the noise's variance (the MSE of predicting zeros; 1 for unit Gaussian noise)" if head.loss != "l1" else
            "the noise's mean |e| (the L1 loss of predicting zeros; 0.80 for unit Gaussian noise)")
    return CheckResult("init_loss", "Loss at initialisation", status, f"{loss:.4f}", f"{expected:.4f}, {what}",
                       advice, {"loss": loss, "expected": expected, "ratio": ratio, "prediction_mean_square": spread})


@_timed
def final_bias(subject: RecipeSubject) -> CheckResult | None:
    """At init the average prediction should be the class frequencies; else the net first learns the bias."""
    if subject.paradigm == "language_model":
        return not_applicable(
            "final_bias", "Final-layer bias at init",
            "Does not apply to a language model: the course starts its output layer's bias at 0, so the untrained "
            "model guesses uniformly (the loss at initialisation checks that) and its first steps learn the token "
            "frequencies.")
    if subject.paradigm == "diffusion":
        return _regression_bias(subject, 0)
    if subject.paradigm == "gan":
        from studio.core.recipe.gan_checks import not_for_gan

        return not_for_gan("final_bias")
    if subject.primary is None:
        return _regression_bias(subject)
    c = subject.num_classes
    target_name = subject.heads[subject.primary].target
    counts = torch.bincount(subject.bundle.y_train[target_name].reshape(-1).long().cpu(), minlength=c)[:c].double()
    prior = counts / counts.sum()
    logits, _, model = _init_probabilities(subject)
    q = torch.softmax(logits.double(), dim=1).mean(0).cpu()
    if q.dim() > 1:  # segmentation: average over pixels too
        q = q.reshape(c, -1).mean(1)
    present = prior > 0
    kl = float((prior[present] * (prior[present] / q[present].clamp_min(1e-12)).log()).sum())
    status = "pass" if kl < BIAS_KL_PASS else "warn" if kl < BIAS_KL_WARN else "fail"
    log_prior = [round(math.log(float(v)), 3) if v > 0 else None for v in prior]
    layer = final_layer(model, c)
    bias = layer.bias.detach().cpu().tolist() if layer is not None and layer.bias is not None else None
    advice = ""
    if status != "pass":
        advice = (f"initialise the final layer's bias to log(class frequency) = {log_prior} so the net starts "
                  f"predicting the base rates (its bias now is {[round(b, 2) for b in bias] if bias else 'absent'})")
    return CheckResult(
        "final_bias", "Final-layer bias at init", status,
        f"mean prediction vs class frequencies: KL {kl:.4f} nats",
        f"KL < {BIAS_KL_PASS} (mean prediction close to the frequencies)", advice,
        {"kl": kl, "class_frequency": prior.tolist(), "mean_prediction": q.tolist(), "suggested_bias": log_prior,
         "bias": bias})


def _regression_bias(subject: RecipeSubject, idx: int | None = None) -> CheckResult | None:
    """The mean prediction against the mean target: of a regression head, or of the head `idx` (a
    denoiser's, whose target is the noise: mean 0)."""
    if idx is None:
        idx = next((i for i, h in enumerate(subject.heads) if h.kind == "regression"), None)
    if idx is None:
        return None
    head = subject.heads[idx]
    model = subject.build()
    model.eval()
    x, y = subject.batch(256)
    with torch.no_grad():
        pred = subject.outputs(model, x)[idx].float()
    target = y[head.target].float().reshape(pred.shape[0], -1)
    mean_t = float(target.mean())
    std_t = float(target.std()) or 1.0
    mean_p = float(pred.mean())
    off = abs(mean_p - mean_t) / std_t
    status = "pass" if off < 0.5 else "warn"
    what = "the noise's mean" if head.kind == "diffusion" else "mean target"
    return CheckResult("final_bias", "Final-layer bias at init", status,
                       f"mean prediction {mean_p:.3g} vs {what} {mean_t:.3g} ({off:.2f} target std apart)",
                       "within 0.5 standard deviations of the mean target",
                       "" if status == "pass" else f"initialise the final layer's bias to the mean target ({mean_t:.3g})",
                       {"mean_prediction": mean_p, "mean_target": mean_t})


def _has_batchnorm(model: nn.Module) -> bool:
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def _leak(subject: RecipeSubject, model: nn.Module, x, i: int) -> float:
    """max |d out_i / d x_j| over j != i, relative to |d out_i / d x_i| (0 when examples stay apart).

    `x` is one tensor or a denoiser's (x_t, t): the gradient is taken through its float inputs."""
    parts = list(x) if isinstance(x, tuple) else [x]
    floats = [k for k, part in enumerate(parts) if part.is_floating_point()]
    if floats:
        for k in floats:
            parts[k] = parts[k].clone().requires_grad_(True)
        outs = subject.outputs(model, tuple(parts) if isinstance(x, tuple) else parts[0])
        total = sum(o[i].float().sum() for o in outs)
        grads = torch.autograd.grad(total, [parts[k] for k in floats], allow_unused=True)
        per_example = [g.abs().reshape(g.shape[0], -1).amax(1) for g in grads if g is not None]
        if not per_example:
            return 0.0
        g = torch.stack(per_example).amax(0)
        own = float(g[i]) or 1e-30
        others = torch.cat([g[:i], g[i + 1:]])
        return float(others.max()) / own
    # Integer inputs (token ids) have no gradient: change the other examples and watch example i.
    seed_everything(0)
    with torch.no_grad():
        base = subject.outputs(model, x)
        x2 = x.clone()
        others = [j for j in range(x.shape[0]) if j != i]
        x2[others] = x[others].roll(1, dims=0)
        seed_everything(0)
        moved = subject.outputs(model, x2)
    diff = max(float((a[i].float() - b[i].float()).abs().max()) for a, b in zip(base, moved, strict=False))
    scale = max(float(a[i].float().abs().max()) for a in base) or 1.0
    return diff / scale


@_timed
def batch_independence(subject: RecipeSubject) -> CheckResult:
    """Backprop from one example's output: gradients must reach only that example's input (for a
    GAN: D(G(z_i)) only z_i, through both networks)."""
    model = subject.build()
    model.train()
    if subject.paradigm == "gan":
        from studio.core.recipe.gan_checks import cross_example_leak

        i = 2

        def leak(m: nn.Module) -> float:
            return cross_example_leak(subject, m, 8, i)
    else:
        x, _ = subject.batch(8)
        i = min(2, (x[0] if isinstance(x, tuple) else x).shape[0] - 1)

        def leak(m: nn.Module) -> float:
            return _leak(subject, m, x, i)
    leak_train = leak(model)
    title = "Batch independence (backprop)"
    expected = (f"d D(G(z[{i}])) / d z[j] = 0 for every j != {i}" if subject.paradigm == "gan"
                else f"d output[{i}] / d input[j] = 0 for every j != {i}")
    if leak_train <= INDEPENDENCE_TOL:
        return CheckResult("batch_independence", title, "pass", f"largest cross-example gradient {leak_train:.2g}",
                           expected, "", {"leak_train": leak_train})
    model.eval()
    leak_eval = leak(model)
    if _has_batchnorm(model) and leak_eval <= INDEPENDENCE_TOL:
        return CheckResult(
            "batch_independence", title, "warn",
            f"cross-example gradient {leak_train:.2g} in training mode, {leak_eval:.2g} in evaluation mode",
            expected,
            "BatchNorm mixes the examples of a batch by design: in training it normalises each one with the batch's "
            "mean and variance, so every output depends a little on the others. In evaluation it uses running "
            "statistics and the examples are independent again, as measured. Expected, not a bug; use LayerNorm "
            "or GroupNorm if you need independence (tiny batches, per-example gradients).",
            {"leak_train": leak_train, "leak_eval": leak_eval, "batchnorm": True})
    return CheckResult(
        "batch_independence", title, "fail", f"largest cross-example gradient {max(leak_train, leak_eval):.2g}",
        expected,
        "the model mixes information between the examples of a batch: look for a view/reshape or transpose that "
        "moves the batch dimension (reshape(-1, ...) in the wrong order, Permute including dim 0) or a reduction "
        "over dim 0",
        {"leak_train": leak_train, "leak_eval": leak_eval, "batchnorm": _has_batchnorm(model)})


CHEAP_CHECKS = {"fixed_seed": fixed_seed, "init_loss": init_loss, "final_bias": final_bias,
                "batch_independence": batch_independence}
