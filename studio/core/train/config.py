"""The training section of a project, read once into a checked `TrainConfig`.

Every key has a default, so a project that names only `optimizer`, `lr`, `batch_size` and `epochs`
trains; an unknown optimizer or schedule is a `UserError` before any work starts. The keys and what
they mean are documented in docs/training.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from studio.core.errors import UserError

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULES = ("constant", "step", "cosine", "onecycle")
AMP_MODES = ("off", "bf16", "fp16", "auto")


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
        merged = dict(training or {})
        merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {k: v for k, v in merged.items() if k in known}
        cfg = cls(**kwargs, extra={k: v for k, v in merged.items() if k not in known})
        cfg._normalise()
        return cfg

    def _normalise(self) -> None:
        self.optimizer = str(self.optimizer).lower()
        if self.optimizer not in OPTIMIZERS:
            raise UserError(f"unknown optimizer {self.optimizer!r}", f"use one of {', '.join(OPTIMIZERS)}")
        self.schedule = str(self.schedule).lower()
        if self.schedule not in SCHEDULES:
            raise UserError(f"unknown LR schedule {self.schedule!r}", f"use one of {', '.join(SCHEDULES)}")
        if self.amp is True:
            self.amp = "auto"
        elif self.amp in (False, None, ""):
            self.amp = "off"
        self.amp = str(self.amp).lower()
        if self.amp not in AMP_MODES:
            raise UserError(f"unknown mixed-precision mode {self.amp!r}", f"use one of {', '.join(AMP_MODES)}")
        if isinstance(self.early_stopping, dict):
            self.min_delta = float(self.early_stopping.get("min_delta", self.min_delta))
            self.early_stopping = int(self.early_stopping.get("patience", 0))
        if isinstance(self.early_stopping, bool):
            self.early_stopping = 5 if self.early_stopping else 0
        self.ema = 0.999 if self.ema is True else float(self.ema or 0.0)
        for name, lo in (("lr", 0.0), ("batch_size", 1), ("epochs", 1)):
            value = getattr(self, name)
            try:
                value = float(value) if name == "lr" else int(value)
            except (TypeError, ValueError):
                raise UserError(f"training {name} {value!r} is not a number") from None
            if value < lo or (name == "lr" and value <= 0):
                raise UserError(f"training {name} must be positive (got {value})")
            setattr(self, name, value)
        self.betas = (float(self.betas[0]), float(self.betas[1]))
        if not 0.0 <= self.ema < 1.0:
            raise UserError(f"EMA decay {self.ema} must be in [0, 1)", "use e.g. 0.999")
        if not 0.0 <= float(self.label_smoothing) < 1.0:
            raise UserError(f"label smoothing {self.label_smoothing} must be in [0, 1)", "use e.g. 0.1")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        extra = out.pop("extra")
        out["betas"] = list(self.betas)
        out.update(extra)
        return out
