"""Learning-rate schedules as the LR curve the user sees; config validation as the user's errors."""

from __future__ import annotations

import math

import pytest
import torch

from studio.core.errors import UserError
from studio.core.train.config import TrainConfig
from studio.core.train.optim import LRSchedule, make_optimizer


def _lrs(steps_per_epoch=10, **training):
    cfg = TrainConfig.from_dict({"lr": 0.1, "epochs": 10, **training})
    sched = LRSchedule(cfg, steps_per_epoch)
    return [sched.lr(s) for s in range(sched.total)]


def test_constant_with_linear_warmup():
    lrs = _lrs(warmup_steps=5)
    assert lrs[:5] == pytest.approx([0.02, 0.04, 0.06, 0.08, 0.1])
    assert set(lrs[5:]) == {0.1}


def test_step_decay_every_third_of_the_run():
    lrs = _lrs(schedule="step", gamma=0.5)
    assert lrs[0] == 0.1 and lrs[29] == 0.1 and lrs[30] == pytest.approx(0.05) and lrs[99] == pytest.approx(0.0125)


def test_cosine_after_warmup_falls_to_the_floor():
    lrs = _lrs(schedule="cosine", warmup_epochs=1, min_lr_fraction=0.1)
    assert lrs[9] == pytest.approx(0.1)
    assert all(a >= b for a, b in zip(lrs[10:], lrs[11:], strict=False))
    assert lrs[-1] == pytest.approx(0.01, rel=0.05)
    mid = 10 + (100 - 10) // 2
    assert lrs[mid] == pytest.approx(0.1 * (0.1 + 0.9 * 0.5), rel=0.05)


def test_one_cycle_rises_then_anneals():
    lrs = _lrs(schedule="onecycle")
    peak = max(range(len(lrs)), key=lrs.__getitem__)
    assert 25 <= peak <= 31 and lrs[peak] == pytest.approx(0.1, rel=1e-3)
    assert lrs[0] == pytest.approx(0.1 / 25) and lrs[-1] < 1e-4


def test_optimizers_and_their_options():
    params = [torch.nn.Parameter(torch.zeros(3))]
    sgd = make_optimizer(params, TrainConfig.from_dict({"optimizer": "sgd", "nesterov": True, "weight_decay": 1e-4}),
                         torch.device("cpu"))
    assert isinstance(sgd, torch.optim.SGD) and sgd.defaults["nesterov"] and sgd.defaults["momentum"] == 0.9
    adamw = make_optimizer(params, TrainConfig.from_dict({"optimizer": "adamw"}), torch.device("cpu"))
    assert isinstance(adamw, torch.optim.AdamW) and adamw.defaults["weight_decay"] == 0.01
    adamw_said_none = TrainConfig.from_dict({"optimizer": "AdamW", "weight_decay": 0})
    assert adamw_said_none.weight_decay == 0.0  # what the form shows is what trains
    assert make_optimizer(params, adamw_said_none, torch.device("cpu")).defaults["weight_decay"] == 0.0
    assert TrainConfig.from_dict({"optimizer": "adamw"}).weight_decay == 0.01  # shown in the form too
    rms = make_optimizer(params, TrainConfig.from_dict({"optimizer": "RMSprop", "lr": 0.01}), torch.device("cpu"))
    assert isinstance(rms, torch.optim.RMSprop) and math.isclose(rms.defaults["lr"], 0.01)


@pytest.mark.parametrize("training,words", [
    ({"optimizer": "lion"}, "optimizer 'lion' is not a known optimizer"),
    ({"schedule": "exp"}, "schedule 'exp' is not a known LR schedule"),
    ({"lr": -1}, "lr -1 is out of range"),
    ({"batch_size": "big"}, "batch_size 'big' is not an integer"),
    ({"amp": "fp8"}, "amp 'fp8' is not a known mixed-precision mode"),
    ({"ema": 1.5}, "ema 1.5 is out of range"),
])
def test_bad_training_config_is_a_user_error(training, words):
    with pytest.raises(UserError, match=words):
        TrainConfig.from_dict(training)
