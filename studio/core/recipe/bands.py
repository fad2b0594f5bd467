"""What the recipe checks share and compare against: the loss-at-init bands and the probes' learning
rate. Its own module so that the paradigm-specific checks (gan_checks) and the general ones
(checks, probes) both read them without importing each other."""

from __future__ import annotations

import math

from studio.core.recipe.subject import RecipeSubject

INIT_LOSS_PASS = (0.8, 1.25)
INIT_LOSS_WARN = (0.6, 1.6)
"""Measured over expected loss at init: inside PASS passes, inside WARN warns, else it fails."""


def ratio_status(loss: float, ratio: float) -> str:
    lo, hi = INIT_LOSS_PASS
    wlo, whi = INIT_LOSS_WARN
    if not math.isfinite(loss):
        return "fail"
    return "pass" if lo <= ratio <= hi else "warn" if wlo <= ratio <= whi else "fail"


def probe_lr(subject: RecipeSubject) -> float:
    """A learning rate the probes can rely on: the project's, kept within a sane band for its optimizer."""
    if subject.optimizer == "sgd":
        return min(max(subject.lr, 1e-2), 0.1)
    return min(max(subject.lr, 1e-3), 3e-3)
