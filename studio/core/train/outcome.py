"""How a finished training ended: a run whose loss ends far above where it began diverged.

A NaN stops a run at once (trainer.TrainingDiverged), but a learning rate that is far too high
often keeps the loss finite: Adam at lr 1e9 on digits "finishes" at a loss of 7.8e8 and 10.9 %
accuracy (chance), and nothing said so. `LossWatch` keeps the loss of the very first step (the
loss at initialisation, before any update) and the last few step losses; `judge` compares them
when the run ends and gives the `done` event `diverged` and, when it did, a `warning` with the fix.

The rule: the mean of the last TAIL_STEPS step losses is above DIVERGE_FACTOR times the loss at
the start. For a single classification head the start is taken as at least ln(C), the loss of a
uniform guess over C classes, so a run resumed from a good checkpoint is not called diverged for
noise around a small loss: it must end worse than twice chance. The validation loss is reported
with it but not judged: a validation loss that climbs while training loss falls is overfitting,
which the recipe diagnosis names.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

DIVERGE_FACTOR = 2.0
TAIL_STEPS = 10


def _finite(values) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, (int, float)) and math.isfinite(v):
            out.append(float(v))
    return out


class LossWatch:
    """Fed every training event; keeps the first step loss, the last few and the last lr."""

    def __init__(self) -> None:
        self.initial: float | None = None
        self.tail: deque[float] = deque(maxlen=TAIL_STEPS)
        self.lr: float | None = None

    def see(self, event: dict[str, Any]) -> None:
        if event.get("event") != "step":
            return
        losses = _finite(event.get("losses") or [event.get("loss")])
        if not losses:
            return
        if self.initial is None:
            self.initial = losses[0]
        self.tail.extend(losses)
        lrs = _finite(event.get("lrs") or [event.get("lr")])
        if lrs:
            self.lr = lrs[-1]

    @property
    def final(self) -> float | None:
        return sum(self.tail) / len(self.tail) if self.tail else None


def _lower(lr: float | None) -> str:
    if lr is None or lr <= 0:
        return "lower the learning rate a lot (run the LR range test in the Train panel for a value)"
    return (f"lower the learning rate: try {lr / 100:g} (lr/100), or run the LR range test for a value; "
            "grad_clip 1.0 also guards against blow-ups")


def judge(watch: LossWatch, classes: int | None = None, optimizer: str | None = None,
          last_epoch: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fields for the `done` event: always `diverged`; when it is true also `warning`, `fix`,
    `initial_loss`, `final_loss` (and `final_val_loss` when an epoch was validated)."""
    start, end = watch.initial, watch.final
    if start is None or end is None:
        return {"diverged": False}
    reference = max(start, math.log(classes)) if classes and classes > 1 else start
    if not (end > DIVERGE_FACTOR * reference and end - reference > 1e-6):
        return {"diverged": False}
    val = (last_epoch or {}).get("val_loss")
    val_text = (f", validation loss {val:.3g}" if isinstance(val, (int, float)) and math.isfinite(val) else "")
    chance = f" (chance level ln {classes} = {math.log(classes):.3g})" if classes and classes > 1 else ""
    lr = f" {watch.lr:g}" if watch.lr is not None else ""
    opt = f" for {optimizer}" if optimizer else ""
    fix = _lower(watch.lr)
    warning = (f"training diverged: the loss ended at {end:.3g}{val_text}, {end / start:.3g}x its {start:.3g} at the "
               f"first step{chance}; the learning rate{lr} is most likely too high{opt}, and the model learnt nothing usable")
    out: dict[str, Any] = {"diverged": True, "warning": warning, "fix": fix, "initial_loss": start, "final_loss": end}
    if val_text:
        out["final_val_loss"] = float(val)
    return out


def judge_run(trainer) -> dict[str, Any]:
    """`judge` for a Trainer at the end of its run (what `Trainer.run` adds to the done event).

    The chance level applies to a lone classification head: with several heads the total loss is a
    weighted sum that no single ln(C) describes, so only the start itself is the reference then."""
    heads = list(getattr(trainer, "heads", []) or [])
    if getattr(trainer, "gan", None) is not None:
        # a GAN's losses are a contest, not a descent: loss_G rising while D learns is normal. Its
        # failures are read from D(x), D(G(z)) and the samples (the collapse warning, the recipe).
        return {"diverged": False}
    classes = None
    if len(heads) == 1 and heads[0].kind == "classification":
        target = trainer.bundle.targets.get(heads[0].target)
        classes = getattr(target, "num_classes", None)
    history = getattr(trainer, "history", None) or []
    return judge(trainer.loss_watch, classes, trainer.cfg.optimizer, history[-1] if history else None)
