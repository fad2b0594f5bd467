"""Every training key is checked against its declaration: the message names key, value and valid range.

NaN learning rates used to pass (every comparison with NaN is false) and train a model of NaNs;
strings and nulls gave tracebacks from deep inside the optimizer.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from train_builders import digits_mlp, make_project

from studio.core.data import load_dataset
from studio.core.errors import UserError
from studio.core.project import save_project
from studio.core.train.config import RUN_OPTION_SETTINGS, SETTINGS, RunOptions, TrainConfig

NAN, INF = float("nan"), float("inf")

# (key, bad value, words of the message)
BAD = [
    ("lr", NAN, "training.lr nan is not finite: use a number > 0, e.g. 0.001"),
    ("lr", INF, "training.lr inf is not finite"),
    ("lr", -INF, "training.lr -inf is not finite"),
    ("lr", 0, "training.lr 0 is out of range: use a number > 0"),
    ("lr", -1, "training.lr -1 is out of range"),
    ("lr", "fast", "training.lr 'fast' is not a number"),
    ("weight_decay", "heavy", "training.weight_decay 'heavy' is not a number: use a number >= 0, e.g. 0.0005"),
    ("weight_decay", -0.1, "training.weight_decay -0.1 is out of range"),
    ("momentum", None, "training.momentum null is not a number: use a number in [0, 1], e.g. 0.9"),
    ("momentum", 1.5, "training.momentum 1.5 is out of range: use a number in [0, 1]"),
    ("warmup_epochs", "two", "training.warmup_epochs 'two' is not a number: use a number >= 0"),
    ("warmup_steps", -3, "training.warmup_steps -3 is out of range: use an integer >= 0"),
    ("betas", "ab", "training.betas 'ab' is not two numbers: use two numbers in [0, 1), e.g. [0.9, 0.999]"),
    ("betas", [0.9], "training.betas [0.9] is not two numbers"),
    ("betas", [0.9, 1.0], "training.betas [0.9, 1.0] is out of range"),
    ("betas", [0.9, NAN], "is not finite"),
    ("seed", "x", "training.seed 'x' is not an integer: use an integer in [0, 2147483647], e.g. 0"),
    ("seed", 2**31, "training.seed 2147483648 is out of range"),
    ("seed", 1.5, "training.seed 1.5 is not a whole number"),
    ("metrics_interval_ms", "fast", "training.metrics_interval_ms 'fast' is not a number: use a number >= 0"),
    ("grad_clip", "yes", "training.grad_clip 'yes' is not a number: use a number >= 0"),
    ("epochs", 2.5, "training.epochs 2.5 is not a whole number: use an integer in [1, 1000000], e.g. 10"),
    ("epochs", 10**12, "training.epochs 1000000000000 is out of range"),
    ("epochs", 0, "training.epochs 0 is out of range: use an integer in [1, 1000000]"),
    ("epochs", True, "training.epochs true is not an integer"),
    ("epochs", INF, "training.epochs inf is not finite"),
    ("batch_size", 0, "training.batch_size 0 is out of range: use an integer in [1, 16777216], e.g. 64"),
    ("batch_size", "big", "training.batch_size 'big' is not an integer"),
    ("gamma", 0, "training.gamma 0 is out of range: use a number > 0, e.g. 0.1"),
    ("step_size", -1, "training.step_size -1 is out of range: use an integer >= 0"),
    ("early_stopping", -2, "training.early_stopping -2 is out of range: use an integer in [0, 1000000]"),
    ("early_stopping", {"patience": "x"}, "training.early_stopping.patience 'x' is not an integer"),
    ("early_stopping", {"patience": 3, "min_delta": -1}, "training.early_stopping.min_delta -1 is out of range"),
    ("min_delta", "tiny", "training.min_delta 'tiny' is not a number"),
    ("layer_stats_every", -1, "training.layer_stats_every -1 is out of range: use an integer >= 0"),
    ("max_steps", 2.5, "training.max_steps 2.5 is not a whole number"),
    ("max_seconds", NAN, "training.max_seconds nan is not finite"),
    ("min_lr_fraction", 2, "training.min_lr_fraction 2 is out of range: use a number in [0, 1]"),
    ("label_smoothing", 1.0, "training.label_smoothing 1.0 is out of range: use a number in [0, 1)"),
    ("ema", 1.5, "training.ema 1.5 is out of range: use a number in [0, 1), e.g. 0.999"),
    ("nesterov", "yes", "training.nesterov 'yes' is not true or false: use true or false"),
    ("compile", 1, "training.compile 1 is not true or false"),
    ("channels_last", None, "training.channels_last null is not true or false"),
    ("optimizer", "lion", "training.optimizer 'lion' is not a known optimizer: use one of sgd, adam, adamw, rmsprop"),
    ("optimizer", 3, "training.optimizer 3 is not a known optimizer"),
    ("schedule", "exp", "training.schedule 'exp' is not a known LR schedule: use one of constant, step, cosine"),
    ("amp", "fp8", "training.amp 'fp8' is not a known mixed-precision mode: use one of off, bf16, fp16, auto"),
    ("compile_mode", "fast", "training.compile_mode 'fast' is not a known torch.compile mode: use one of auto, "
     "default, reduce-overhead, max-autotune"),
    ("device", "gpu", "training.device 'gpu' is not a known device: use auto, cpu, cuda, cuda:N or mps"),
    ("device", "cuda:x", "training.device 'cuda:x' is not a known device"),
    ("device", None, "training.device null is not a known device"),
]


@pytest.mark.parametrize("key, value, words", [pytest.param(k, v, w, id=f"{k}={v!r}") for k, v, w in BAD])
def test_a_bad_value_names_the_key_the_value_and_the_range(key, value, words):
    with pytest.raises(UserError) as info:
        RunOptions.from_dict({key: value})  # a training section may hold run options too
        TrainConfig.from_dict({key: value})
    assert words in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_every_field_of_the_config_is_declared():
    fields = {f.name for f in dataclasses.fields(TrainConfig)} - {"extra"}
    assert set(SETTINGS) == fields
    assert set(RUN_OPTION_SETTINGS) == {f.name for f in dataclasses.fields(RunOptions)}
    for name, setting in {**SETTINGS, **RUN_OPTION_SETTINGS}.items():
        assert setting.rule(), name


GOOD = [
    ({"epochs": 10.0}, "epochs", 10),
    ({"lr": 1}, "lr", 1.0),
    ({"device": "CUDA:1"}, "device", "cuda:1"),
    ({"optimizer": "RMSprop"}, "optimizer", "rmsprop"),
    ({"amp": True}, "amp", "auto"),
    ({"amp": None}, "amp", "off"),
    ({"ema": True}, "ema", 0.999),
    ({"early_stopping": True}, "early_stopping", 5),
    ({"early_stopping": {"patience": 3, "min_delta": 0.01}}, "min_delta", 0.01),
    ({"betas": [0.5, 0.9]}, "betas", (0.5, 0.9)),
    ({"compile_mode": "max-autotune"}, "compile_mode", "max-autotune"),
    ({"momentum": 0}, "momentum", 0.0),
]


@pytest.mark.parametrize("training, key, expected", GOOD)
def test_valid_values_and_shorthands_still_work(training, key, expected):
    assert getattr(TrainConfig.from_dict(training), key) == expected


def test_a_zero_metrics_interval_is_a_valid_run_option():
    assert RunOptions.from_dict({"metrics_interval_ms": 0}).metrics_interval_ms == 0.0


def test_the_defaults_are_valid_and_changes_are_checked_too():
    assert TrainConfig().to_dict()["lr"] == 0.001
    with pytest.raises(UserError, match="training.lr nan is not finite"):
        TrainConfig.from_dict({"lr": 0.01}).replace(lr=NAN)


@pytest.mark.parametrize("value, words", [("abc", "data.val_fraction 'abc' is not a number"),
                                          (NAN, "data.val_fraction nan is not finite"),
                                          (0, "data.val_fraction 0 is out of range: use a number in (0, 1)")])
def test_val_fraction_is_checked_where_the_dataset_is_split(value, words):
    with pytest.raises(UserError) as info:
        load_dataset({"dataset": "digits", "options": {}, "val_fraction": value})
    assert words in info.value.one_line()


def _train(*args, timeout=240):
    return subprocess.run([sys.executable, "-m", "studio", "train", *args], capture_output=True, text=True,
                          timeout=timeout)


def _assert_one_line(done, words):
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("studio train: error: ")
    assert words in done.stderr


def test_cli_refuses_lr_nan_in_one_line(tmp_path):
    path = save_project(make_project(digits_mlp(), {"dataset": "digits"}), tmp_path / "p.studio.json")
    _assert_one_line(_train(str(path), "--lr", "nan", "--out", str(tmp_path / "run")),
                     "training.lr nan is not finite: use a number > 0")
    assert not (tmp_path / "run" / "checkpoint.pt").exists()


def test_cli_refuses_a_project_with_a_bad_training_value_in_one_line(tmp_path):
    path = save_project(make_project(digits_mlp(), {"dataset": "digits"}), tmp_path / "p.studio.json")
    doc = json.loads(path.read_text())
    doc["training"]["weight_decay"] = "heavy"
    path.write_text(json.dumps(doc))
    _assert_one_line(_train(str(path), "--out", str(tmp_path / "run")),
                     f"{path}: training.weight_decay 'heavy' is not a number: use a number >= 0, e.g. 0.0005")


def test_a_null_seed_asks_for_a_random_one_that_the_config_records():
    """The recipe's fixed-seed check flags `"seed": null`; training it must not crash on int(None)."""
    seeds = {TrainConfig.from_dict({"seed": None}).seed for _ in range(5)}
    assert all(isinstance(s, int) and 0 <= s <= 2**31 - 1 for s in seeds) and len(seeds) > 1
    cfg = TrainConfig.from_dict({"seed": None})
    assert cfg.to_dict()["seed"] == cfg.seed
