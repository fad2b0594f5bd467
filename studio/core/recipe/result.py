"""One check's outcome, in the shape `studio diagnose --json` prints for each check (docs/recipe.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("pass", "warn", "fail", "n/a")
NOT_APPLICABLE = "n/a"
"""The status of a check that does not apply to the model's paradigm: its `measured` says why in one
sentence. It is no finding, so a report's overall status ignores it."""


@dataclass
class CheckResult:
    check: str
    title: str
    status: str
    measured: str
    expected: str
    advice: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    """Numbers behind the result (series for plots, per-class values); JSON-friendly."""
    seconds: float = 0.0
    artifacts: dict[str, Any] = field(default_factory=dict, repr=False)
    """Large in-memory results for the views (e.g. the filter grid image); never serialised."""

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "title": self.title, "status": self.status, "measured": self.measured,
                "expected": self.expected, "advice": self.advice, "details": _finite(self.details),
                "seconds": round(self.seconds, 3)}


def not_applicable(check: str, title: str, why: str, instead: str = "") -> CheckResult:
    """The result of a check that does not apply to this kind of model, saying so (and what to look at instead)."""
    return CheckResult(check, title, NOT_APPLICABLE, why, instead)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
