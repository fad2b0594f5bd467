"""The recipe checks train with the run's optimizer and loss, so what they suggest holds for the run."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from recipe_builders import chain, subject

from studio.core.recipe import probes


def _hyper(opt: torch.optim.Optimizer) -> dict:
    return {k: v for k, v in opt.param_groups[0].items() if k != "params"}


def test_adamw_with_its_decay_and_betas_is_the_optimizer_the_checks_train_with():
    s = subject(optimizer="adamw", lr=2e-3, weight_decay=0.05, betas=[0.8, 0.99])
    opt = s.make_optimizer(s.build())
    assert type(opt) is torch.optim.AdamW
    hyper = _hyper(opt)
    assert hyper["lr"] == 2e-3
    assert hyper["weight_decay"] == 0.05
    assert tuple(hyper["betas"]) == (0.8, 0.99)


def test_sgd_keeps_the_projects_momentum_and_nesterov_at_every_lr_the_sweep_tries():
    s = subject(optimizer="sgd", lr=0.05, momentum=0.7, nesterov=True, weight_decay=1e-4)
    for lr in (None, 1e-6, 3.0):  # the configured lr, and two the LR range test sets
        opt = s.make_optimizer(s.build(), lr)
        assert type(opt) is torch.optim.SGD
        hyper = _hyper(opt)
        assert (hyper["momentum"], hyper["nesterov"], hyper["weight_decay"]) == (0.7, True, 1e-4)
        assert hyper["lr"] == (0.05 if lr is None else lr)


def test_the_checks_loss_is_the_runs_with_head_weights_and_label_smoothing():
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                  ("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {"weight": 2.0}))
    s = subject(graph, label_smoothing=0.1)
    model = s.build()
    x, y = s.batch(32)
    with torch.no_grad():
        (logits,) = s.outputs(model, x)
    expected = 2.0 * F.cross_entropy(logits, y["label"].long(), label_smoothing=0.1)
    assert float(s.loss((logits,), y)) == pytest.approx(float(expected), rel=1e-6)


def test_overfitting_one_batch_passes_under_label_smoothing():
    """Smoothed targets keep the loss above their entropy (0.50 for ten classes at 0.1), so the
    check aims just above that floor instead of at a zero it can never reach."""
    s = subject(label_smoothing=0.1)
    c, eps = 10, 0.1
    entropy = -((1 - eps + eps / c) * math.log(1 - eps + eps / c) + (c - 1) * (eps / c) * math.log(eps / c))
    assert s.loss_floor() == pytest.approx(entropy)
    result = probes.overfit_batch(s)
    assert result.status == "pass", result.measured
    assert entropy < result.details["curve"][-1][1] < entropy + probes.OVERFIT_LOSS


def test_the_checks_clip_gradients_when_the_run_does():
    """SGD at lr 1 steps by lr x the gradient: clipped to norm 1e-3, the weights move by at most 1e-3."""
    moved = {}
    for clip in (0.0, 1e-3):
        s = subject(optimizer="sgd", lr=1.0, grad_clip=clip)
        model = s.build()
        before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
        x, y = s.batch(32)
        probes._train_step(s, model, s.make_optimizer(model), x, y)
        moved[clip] = float((torch.cat([p.detach().flatten() for p in model.parameters()]) - before).norm())
    assert moved[1e-3] <= 1e-3 * 1.001
    assert moved[0.0] > 100 * moved[1e-3]
