"""The training section of a project, read once into a checked `TrainConfig`.

Every key has a default, so a project that names only `optimizer`, `lr`, `batch_size` and `epochs`
trains. Every key is declared once in `SETTINGS` (type, valid range, an example), and a value that
does not fit (a string for a number, NaN, 2.5 epochs, an unknown optimizer) is a `UserError` naming
the key, the value and the range before any work starts. The keys and what they mean are documented
in docs/training.md.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from studio.core.checks import Setting
from studio.core.errors import UserError

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULES = ("constant", "step", "cosine", "onecycle")
AMP_MODES = ("off", "bf16", "fp16", "auto")
COMPILE_MODES = ("auto", "default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs")
"""`auto` picks reduce-overhead on CUDA and default elsewhere; the rest are torch.compile's modes."""


def _amp_shorthand(value: Any) -> Any:
    if value is True:
        return "auto"
    return "off" if value is False or value is None or value == "" else value


def _ema_shorthand(value: Any) -> Any:
    if value is True:
        return 0.999
    return 0.0 if value is False or value is None else value


def _patience_shorthand(value: Any) -> Any:
    if value is True:
        return 5
    return 0 if value is False else value


def _seed_shorthand(value: Any) -> Any:
    """`"seed": null` asks for an unseeded run (the recipe's fixed-seed check flags it): draw one, so
    the run still records the seed it used (its start event) and can be repeated."""
    return secrets.randbelow(SEED_MAX + 1) if value is None else value


def _number(lo: float | None = None, hi: float | None = None, example: Any = None, *, lo_open: bool = False,
            hi_open: bool = False, prepare=None) -> Setting:
    return Setting("number", lo, hi, lo_open, hi_open, example, prepare=prepare)


def _integer(lo: int, example: int, hi: int | None = None, prepare=None) -> Setting:
    return Setting("integer", lo, hi, example=example, prepare=prepare)


SEED_MAX = 2**31 - 1
"""The largest seed: what the training form's seed box holds (torch and numpy take more)."""
COUNT_MAX = 1_000_000
"""Upper bound of epochs and patience: far beyond any real run, but a typo like 1e12 is caught."""


_BOOL = Setting("bool")

SETTINGS: dict[str, Setting] = {
    "optimizer": Setting("choice", choices=OPTIMIZERS, noun="optimizer"),
    "lr": _number(0, example=0.001, lo_open=True),
    "batch_size": _integer(1, 64, 2**24),
    "epochs": _integer(1, 10, COUNT_MAX),
    "seed": _integer(0, 0, SEED_MAX, prepare=_seed_shorthand),
    "device": Setting("pattern", noun="device", pattern=r"auto|cpu|mps|cuda(:\d+)?",
                      described="auto, cpu, cuda, cuda:N or mps"),
    "momentum": _number(0, 1, 0.9),
    "nesterov": _BOOL,
    "betas": Setting("pair", 0, 1, hi_open=True, example=(0.9, 0.999)),
    "weight_decay": _number(0, example=0.0005),
    "schedule": Setting("choice", choices=SCHEDULES, noun="LR schedule"),
    "warmup_epochs": _number(0, example=1),
    "warmup_steps": _integer(0, 100),
    "step_size": _integer(0, 10),
    "gamma": _number(0, example=0.1, lo_open=True),
    "min_lr_fraction": _number(0, 1, 0.01),
    "grad_clip": _number(0, example=1.0),
    "label_smoothing": _number(0, 1, 0.1, hi_open=True),
    "early_stopping": _integer(0, 5, COUNT_MAX, prepare=_patience_shorthand),
    "min_delta": _number(0, example=0.001),
    "ema": _number(0, 1, 0.999, hi_open=True, prepare=_ema_shorthand),
    "amp": Setting("choice", choices=AMP_MODES, noun="mixed-precision mode", prepare=_amp_shorthand),
    "compile": _BOOL,
    "compile_mode": Setting("choice", choices=COMPILE_MODES, noun="torch.compile mode"),
    "channels_last": _BOOL,
    "metrics_interval_ms": _number(0, example=100),
    "layer_stats_every": _integer(0, 100),
    "max_steps": _integer(0, 1000),
    "max_seconds": _number(0, example=60),
}
"""One declaration per key of the training section: its type, valid range and an example value."""


@dataclass
class TrainConfig:
    optimizer: str = "adam"
    lr: float = 1e-3
    batch_size: int = 64
    epochs: int = 10
    seed: int = 0
    device: str = "auto"
    momentum: float = 0.9
    nesterov: bool = False
    betas: tuple[float, float] = (0.9, 0.999)
    weight_decay: float = 0.0
    schedule: str = "constant"
    warmup_epochs: float = 0.0
    warmup_steps: int = 0
    step_size: int = 0
    """Epochs between LR drops for the step schedule (0: a third of the epochs)."""
    gamma: float = 0.1
    min_lr_fraction: float = 0.0
    grad_clip: float = 0.0
    """Clip the global gradient norm to this (0: no clipping)."""
    label_smoothing: float = 0.0
    early_stopping: int = 0
    """Patience in epochs without improvement of the monitored metric (0: off)."""
    min_delta: float = 0.0
    ema: float = 0.0
    """Decay of the exponential moving average of the weights, e.g. 0.999 (0: off)."""
    amp: str = "off"
    compile: bool = False
    compile_mode: str = "auto"
    channels_last: bool = False
    metrics_interval_ms: float = 100.0
    layer_stats_every: int = 100
    """Steps between per-layer weight/gradient statistics (0: off)."""
    max_steps: int = 0
    max_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, training: dict[str, Any], overrides: dict[str, Any] | None = None) -> TrainConfig:
        if not isinstance(training or {}, dict):
            raise UserError(f"the training section must be an object of settings (got {type(training).__name__})",
                            'write it as {"lr": 0.001, "epochs": 10, ...}')
        merged = dict(training or {})
        merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {k: v for k, v in merged.items() if k in known}
        return cls(**kwargs, extra={k: v for k, v in merged.items() if k not in known})

    def __post_init__(self) -> None:
        self._normalise()

    def _normalise(self) -> None:
        """Check every key against SETTINGS (a `UserError` naming key, value and range) and normalise."""
        if isinstance(self.early_stopping, dict):
            spec = dict(self.early_stopping)
            self.min_delta = SETTINGS["min_delta"].check("training.early_stopping.min_delta",
                                                         spec.get("min_delta", self.min_delta))
            self.early_stopping = SETTINGS["early_stopping"].check("training.early_stopping.patience",
                                                                   spec.get("patience", 0))
        for name, setting in SETTINGS.items():
            setattr(self, name, setting.check(f"training.{name}", getattr(self, name)))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        extra = out.pop("extra")
        out["betas"] = list(self.betas)
        out.update(extra)
        return out
