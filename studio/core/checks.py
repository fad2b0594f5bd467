"""Declared settings: one `Setting` per key (its kind, valid range and an example) checks a value.

Settings come from hand-edited project files and command-line options, so every value may be of
the wrong type (`"heavy"` for a number), out of range, or NaN. Declaring each key once, as data,
keeps the rule, the check and the message in step: the message names the key and the value and
says what to write instead, e.g. "training.weight_decay 'heavy' is not a number: use a number
>= 0, e.g. 0.0005". No torch here: the project loader uses it before anything heavy is imported.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.core.errors import UserError

KINDS = ("number", "integer", "bool", "choice", "pair", "pattern")


def show(value: Any) -> str:
    """A value the way the user wrote it (JSON words for None/True/False), kept short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _num(x: float) -> str:
    """0 not 0.0, 2147483647 not 2.14748e+09, 0.001 as it is."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else format(x, "g")


@dataclass(frozen=True)
class Setting:
    """How one key is checked; `check` returns the value normalised (ints as int, floats as float)."""

    kind: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    """The lower bound itself is not allowed (lr > 0)."""
    hi_open: bool = False
    example: Any = None
    choices: tuple[str, ...] = ()
    noun: str = "value"
    """What a choice or pattern names ("optimizer", "device"), for "is not a known optimizer"."""
    pattern: str = ""
    described: str = ""
    """The rule in words where the kind cannot say it (a pattern's "auto, cpu, cuda, cuda:N or mps")."""
    prepare: Callable[[Any], Any] | None = None
    """Maps accepted shorthands (e.g. `true` for an EMA decay of 0.999) before the check."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown setting kind {self.kind!r}")

    # --- the rule in words ----------------------------------------------------------------------
    def _range(self) -> str:
        if self.lo is not None and self.hi is not None:
            left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
            return f" in {left}{_num(self.lo)}, {_num(self.hi)}{right}"
        if self.lo is not None:
            return f" {'>' if self.lo_open else '>='} {_num(self.lo)}"
        if self.hi is not None:
            return f" {'<' if self.hi_open else '<='} {_num(self.hi)}"
        return ""

    def rule(self) -> str:
        """What a valid value is, e.g. "a number in [0, 1], e.g. 0.9"."""
        if self.kind == "bool":
            text = "true or false"
        elif self.kind == "choice":
            text = "one of " + ", ".join(self.choices)
        elif self.kind == "pattern":
            text = self.described
        elif self.kind == "pair":
            text = "two numbers" + self._range()
        else:
            text = ("a number" if self.kind == "number" else "an integer") + self._range()
        if self.example is not None:
            example = list(self.example) if isinstance(self.example, tuple) else self.example
            text += f", e.g. {show(example) if not isinstance(example, str) else example}"
        return text

    # --- checking -------------------------------------------------------------------------------
    def _fail(self, name: str, value: Any, problem: str) -> UserError:
        return UserError(f"{name} {show(value)} is {problem}", f"use {self.rule()}")

    def _in_range(self, x: float) -> bool:
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        return not (self.hi is not None and (x > self.hi or (self.hi_open and x == self.hi)))

    def _number(self, name: str, value: Any, original: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self._fail(name, original, "not a number")
        x = float(value)
        if not math.isfinite(x):
            raise self._fail(name, original, "not finite")
        if not self._in_range(x):
            raise self._fail(name, original, "out of range")
        return x

    def check(self, name: str, value: Any) -> Any:
        """The value normalised, or a `UserError` naming `name`, the value and the valid range."""
        original = value
        if self.prepare is not None:
            value = self.prepare(value)
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise self._fail(name, original, "not true or false")
            return value
        if self.kind in ("choice", "pattern"):
            if not isinstance(value, str):
                raise self._fail(name, original, f"not a known {self.noun}")
            value = value.strip().lower()
            ok = value in self.choices if self.kind == "choice" else re.fullmatch(self.pattern, value)
            if not ok:
                raise self._fail(name, original, f"not a known {self.noun}")
            return value
        if self.kind == "pair":
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
                raise self._fail(name, original, "not two numbers")
            return tuple(self._number(name, v, original) for v in value)
        if self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise self._fail(name, original, "not an integer")
            if isinstance(value, float) and not math.isfinite(value):
                raise self._fail(name, original, "not finite")
            if int(value) != value:
                raise self._fail(name, original, "not a whole number")
            if not self._in_range(int(value)):
                raise self._fail(name, original, "out of range")
            return int(value)
        return self._number(name, value, original)
