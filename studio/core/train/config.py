"""The training section of a project, read once into a checked `TrainConfig`, and a run's `RunOptions`.

Every key has a default, so a project that names only `optimizer`, `lr`, `batch_size` and `epochs`
trains. Every key is declared once, as a field of `TrainConfig` or `RunOptions` carrying its default
and its `Setting` (type, valid range, an example): the form, the Train panel's summary, the data
preview, the trainer and a new project's file all read the default from that one declaration. A
value that does not fit (a string for a number, NaN, 2.5 epochs, an unknown optimizer) is a
`UserError` naming the key, the value and the range before any work starts. The keys and what they
mean are documented in docs/training.md.

`RunOptions` (how often metrics are fetched, step and time limits) steer one run: the app and the
command line pass them with the run, and they never enter the project written into a run folder. A
project's own training section may still hold them (docs/training.md lists them there), and then
they are that project's defaults.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
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


ADAMW_DEFAULT_DECAY = 0.01
"""The weight decay of an AdamW section that names none (torch's AdamW default)."""

SEED_MAX = 2**31 - 1
"""The largest seed: what the training form's seed box holds (torch and numpy take more)."""
COUNT_MAX = 1_000_000
"""Upper bound of epochs and patience: far beyond any real run, but a typo like 1e12 is caught."""


_BOOL = Setting("bool")


def _key(default: Any, setting: Setting) -> Any:
    """A field with its default and its check: one declaration per key, read by `SETTINGS`."""
    return field(default=default, metadata={"setting": setting})


def _check_fields(config: Any) -> None:
    """Check every declared field of a (frozen) config and store the normalised value."""
    for f in fields(config):
        setting = f.metadata.get("setting")
        if setting is not None:
            object.__setattr__(config, f.name, setting.check(f"training.{f.name}", getattr(config, f.name)))


def _declared(cls: type) -> dict[str, Setting]:
    return {f.name: f.metadata["setting"] for f in fields(cls) if "setting" in f.metadata}


@dataclass(frozen=True)
class TrainConfig:
    """How a model is trained: every key of a project's training section except the run options.

    Frozen, so one checked config can be handed to the trainer, a background thread or a panel
    without anyone changing it under the others; `replace` makes a changed, checked copy.
    """

    optimizer: str = _key("adam", Setting("choice", choices=OPTIMIZERS, noun="optimizer"))
    lr: float = _key(1e-3, _number(0, example=0.001, lo_open=True))
    batch_size: int = _key(64, _integer(1, 64, 2**24))
    epochs: int = _key(10, _integer(1, 10, COUNT_MAX))
    seed: int = _key(0, _integer(0, 0, SEED_MAX, prepare=_seed_shorthand))
    device: str = _key("auto", Setting("pattern", noun="device", pattern=r"auto|cpu|mps|cuda(:\d+)?",
                                       described="auto, cpu, cuda, cuda:N or mps"))
    momentum: float = _key(0.9, _number(0, 1, 0.9))
    nesterov: bool = _key(False, _BOOL)
    betas: tuple[float, float] = _key((0.9, 0.999), Setting("pair", 0, 1, hi_open=True, example=(0.9, 0.999)))
    weight_decay: float = _key(0.0, _number(0, example=0.0005))
    schedule: str = _key("constant", Setting("choice", choices=SCHEDULES, noun="LR schedule"))
    warmup_epochs: float = _key(0.0, _number(0, example=1))
    warmup_steps: int = _key(0, _integer(0, 100))
    step_size: int = _key(0, _integer(0, 10))
    """Epochs between LR drops for the step schedule (0: a third of the epochs)."""
    gamma: float = _key(0.1, _number(0, example=0.1, lo_open=True))
    min_lr_fraction: float = _key(0.0, _number(0, 1, 0.01))
    grad_clip: float = _key(0.0, _number(0, example=1.0))
    """Clip the global gradient norm to this (0: no clipping)."""
    label_smoothing: float = _key(0.0, _number(0, 1, 0.1, hi_open=True))
    early_stopping: int = _key(0, _integer(0, 5, COUNT_MAX, prepare=_patience_shorthand))
    """Patience in epochs without improvement of the monitored metric (0: off)."""
    min_delta: float = _key(0.0, _number(0, example=0.001))
    ema: float = _key(0.0, _number(0, 1, 0.999, hi_open=True, prepare=_ema_shorthand))
    """Decay of the exponential moving average of the weights, e.g. 0.999 (0: off)."""
    amp: str = _key("off", Setting("choice", choices=AMP_MODES, noun="mixed-precision mode", prepare=_amp_shorthand))
    compile: bool = _key(False, _BOOL)
    compile_mode: str = _key("auto", Setting("choice", choices=COMPILE_MODES, noun="torch.compile mode"))
    channels_last: bool = _key(False, _BOOL)
    layer_stats_every: int = _key(100, _integer(0, 100))
    """Steps between per-layer weight/gradient statistics (0: off)."""
    d_lr: float = _key(0.0, _number(0, example=0.0001))
    """A GAN discriminator's own learning rate (0: the same as lr); the schedule scales both alike."""
    d_input_noise: float = _key(0.0, _number(0, 1, 0.1))
    """Standard deviation of the Gaussian noise added to a GAN discriminator's inputs, real and generated (0: none)."""
    unfreeze_at_epoch: int = _key(0, _integer(0, 2, COUNT_MAX))
    """Transfer learning: the frozen blocks train from the end of this many epochs on (0: they stay frozen)."""
    backbone_lr_scale: float = _key(0.1, _number(0, example=0.1, lo_open=True))
    """The unfrozen blocks' learning rate as a multiple of lr (the schedule scales both alike)."""
    sync_batchnorm: bool = _key(True, _BOOL)
    """On several processes: BatchNorm normalises with the whole global batch's statistics, as one
    process would (studio/core/train/sync_batchnorm.py); off: each rank with its own shard's. No
    effect on one process or on a model without BatchNorm."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Keys Studio does not know (a plugin's, a newer version's): kept so that writing back loses nothing."""

    @classmethod
    def from_dict(cls, training: Mapping[str, Any] | None) -> TrainConfig:
        """The checked config of a training section; keys it leaves out take their declared default.

        Run options in the section are not part of it (`RunOptions.from_dict` reads them)."""
        if not isinstance(training or {}, Mapping):
            raise UserError(f"the training section must be an object of settings (got {type(training).__name__})",
                            'write it as {"lr": 0.001, "epochs": 10, ...}')
        section = dict(training or {})
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {k: v for k, v in section.items() if k in known}
        if str(section.get("optimizer", "")).strip().lower() == "adamw" and "weight_decay" not in section:
            # AdamW's own default: decoupled decay is the point of choosing it. Set here, where the
            # section says whether the user wrote a decay, so the form shows what trains and an
            # explicit 0 stays 0.
            kwargs["weight_decay"] = ADAMW_DEFAULT_DECAY
        return cls(**kwargs, extra={k: v for k, v in section.items() if k not in known and k not in RUN_OPTIONS})

    def __post_init__(self) -> None:
        if isinstance(self.early_stopping, dict):  # {"patience": N, "min_delta": X}
            spec = dict(self.early_stopping)
            object.__setattr__(self, "min_delta", SETTINGS["min_delta"].check(
                "training.early_stopping.min_delta", spec.get("min_delta", self.min_delta)))
            object.__setattr__(self, "early_stopping", SETTINGS["early_stopping"].check(
                "training.early_stopping.patience", spec.get("patience", 0)))
        _check_fields(self)
        object.__setattr__(self, "extra", dict(self.extra))

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with `changes` applied, checked like a project file's values (unknown keys go to `extra`)."""
        return TrainConfig.from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """The config as a project's training section holds it (JSON types, unknown keys included)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        out["betas"] = list(self.betas)
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class RunOptions:
    """What steers one run but is not part of the trained project: passed with the run, never saved in it."""

    metrics_interval_ms: float = _key(100.0, _number(0, example=100))
    """How often step metrics are fetched from the device (the app asks for 50 ms)."""
    max_steps: int = _key(0, _integer(0, 1000))
    """Stop after this many steps (0: no limit)."""
    max_seconds: float = _key(0.0, _number(0, example=60))
    """Stop after this many seconds (0: no limit)."""

    @classmethod
    def from_dict(cls, *sources: Mapping[str, Any] | None) -> RunOptions:
        """The run options named in `sources` (a training section, then this run's overrides: later
        ones win, None values are skipped); every other key is ignored."""
        given: dict[str, Any] = {}
        for source in sources:
            given.update({k: v for k, v in (source or {}).items() if k in RUN_OPTIONS and v is not None})
        return cls(**given)

    def __post_init__(self) -> None:
        _check_fields(self)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


SETTINGS: dict[str, Setting] = _declared(TrainConfig)
"""One declaration per key of the training config: its type, valid range and an example value."""
RUN_OPTION_SETTINGS: dict[str, Setting] = _declared(RunOptions)
RUN_OPTIONS: tuple[str, ...] = tuple(RUN_OPTION_SETTINGS)
"""The keys of `RunOptions`: a run's overrides with these names steer that run and are not saved with it."""
