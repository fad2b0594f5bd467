"""What a block is: its typed parameters, ports, shape rule and builder, as plain data.

A block is described once, as data plus two small functions, and everything else is derived from
that description: the palette (category, doc), the property editor (ParamSpec kinds, ranges,
choices), shape inference (`rule`), the compiled module and the generated code (`construct`, which
names a class and its arguments, so the compiled module and the exported code are built the same
way and their `state_dict` keys cannot drift apart).

This module imports neither the catalogue nor a module that defines blocks: the block modules
(blocks_basic, blocks_sequence, heads) and the catalogue (registry) both depend on it, and only
the catalogue imports the block modules, so there is no import circle. Shapes here never include
the batch dimension; `infer.py` adds the "N" for display.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

PARAM_KINDS = ("int", "float", "bool", "choice", "shape", "str")


@dataclass(frozen=True)
class ParamSpec:
    """One typed parameter of a block, as the property editor shows it."""

    name: str
    kind: str
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] | None = None
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"parameter {self.name}: unknown kind {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"parameter {self.name}: a choice needs choices")
        if self.choices is not None and not isinstance(self.choices, tuple):
            object.__setattr__(self, "choices", tuple(self.choices))

    def coerce(self, value: Any) -> Any:
        """The value as this parameter's type, or ValueError with a message a user can act on."""
        if value is None:
            if self.default is None:
                return None
            raise ValueError("needs a value")
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) != int(value):
                raise ValueError(f"must be a whole number, not {value!r}")
            value = int(value)
        elif self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"must be a number, not {value!r}")
            value = float(value)
        elif self.kind == "bool":
            if isinstance(value, bool):
                pass
            elif isinstance(value, int) and value in (0, 1):
                value = bool(value)
            else:
                raise ValueError(f"must be true or false, not {value!r}")
        elif self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"must be one of {', '.join(map(str, self.choices))}, not {value!r}")
        elif self.kind == "shape":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = [value]
            if not isinstance(value, (list, tuple)) or not value:
                raise ValueError(f"must be a list of whole numbers, not {value!r}")
            out = []
            for v in value:
                if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v):
                    raise ValueError(f"must be a list of whole numbers, not {value!r}")
                out.append(int(v))
            value = tuple(out)
            if self.min is not None and any(v < self.min and v != -1 for v in value):
                raise ValueError(f"entries must be at least {self.min:g}")
            return value
        elif self.kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"must be text, not {value!r}")
        if self.kind in ("int", "float"):
            if self.min is not None and value < self.min:
                raise ValueError(f"must be at least {self.min:g}, not {value:g}")
            if self.max is not None and value > self.max:
                raise ValueError(f"must be at most {self.max:g}, not {value:g}")
        return value

    def suggestion(self, value: Any) -> Any:
        """A valid value close to an invalid one (clamped into range), else the default."""
        if self.kind in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
            v = value
            if self.min is not None:
                v = max(v, self.min)
            if self.max is not None:
                v = min(v, self.max)
            v = int(round(v)) if self.kind == "int" else float(v)
            try:
                return self.coerce(v)
            except ValueError:
                pass
        return list(self.default) if isinstance(self.default, tuple) else self.default

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind,
                               "default": list(self.default) if isinstance(self.default, tuple) else self.default}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.choices is not None:
            out["choices"] = list(self.choices)
        out["help"] = self.help
        return out


@dataclass(frozen=True)
class TensorSpec:
    """A tensor flowing along an edge: its shape without the batch dimension, and its dtype."""

    shape: tuple[int, ...]
    dtype: str = "float32"

    @property
    def rank(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        return math.prod(self.shape)

    def shown(self) -> str:
        """The shape as users read it, batch first: (N, 64, 14, 14)."""
        return "(" + ", ".join(["N", *map(str, self.shape)]) + ")"


@dataclass(frozen=True)
class Construct:
    """How to build a node's module: `cls(*args, **kwargs)`.

    `defaults` lists keyword values that equal the class's defaults, so generated code can leave
    them out and stay readable.
    """

    cls: type
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    def build(self):
        return self.cls(*self.args, **self.kwargs)


@dataclass
class ShapeResult:
    """What a shape rule computes for one node (per sample, batch excluded)."""

    out: TensorSpec | dict[str, TensorSpec]
    params: int = 0
    flops: int = 0
    derived: dict[str, Any] = field(default_factory=dict)
    """Sizes taken from upstream shapes (in_features, in_channels, ...) that the builder needs."""


class ShapeError(Exception):
    """A node cannot accept what flows into it; carries the message and a machine-applicable fix."""

    def __init__(self, message: str, fix: Any = None):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass
class RuleContext:
    """What a shape rule sees: the node, its validated parameters and its input tensors."""

    node_id: str
    block: str
    p: dict[str, Any]
    inputs: dict[str, TensorSpec | list[TensorSpec] | None]
    sources: dict[str, Any]
    """For each input port, the incoming Edge (or list of edges for a variadic port)."""

    @property
    def name(self) -> str:
        return f"{self.block} {self.node_id}"

    def x(self, port: str = "in") -> TensorSpec:
        return self.inputs[port]  # type: ignore[return-value]

    def fail(self, message: str, fix: Any = None) -> ShapeError:
        return ShapeError(message, fix)

    def expect_rank(self, port: str, ranks: Sequence[int], layout: str, fix: Any = None) -> TensorSpec:
        """Refuse inputs of the wrong rank with the course's phrasing: expects (N, F) but gets ..."""
        t = self.inputs[port]
        assert isinstance(t, TensorSpec)
        if t.rank not in ranks:
            raise ShapeError(f"{self.name} expects {layout} but gets {t.shown()}", fix)
        return t

    def expect_float(self, port: str = "in") -> TensorSpec:
        t = self.inputs[port]
        assert isinstance(t, TensorSpec)
        if t.dtype.startswith("int"):
            from studio.core.graph.fixes import Fix

            src = self.sources.get(port)
            fix = None
            if src is not None:
                fix = Fix("insert_block", f"insert Embedding between {src.src} and {self.node_id}",
                          {"block": "Embedding", "params": {}, "src": src.src, "src_port": src.src_port,
                           "dst": self.node_id, "dst_port": src.dst_port})
            raise ShapeError(f"{self.name} expects real-valued features but gets integer ids {t.shown()}", fix)
        return t


@dataclass(frozen=True)
class BlockSpec:
    """A block of the palette. `rule` infers shapes; `construct` names the module to build."""

    name: str
    category: str
    doc: str
    params: tuple[ParamSpec, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    rule: Callable[[RuleContext], ShapeResult] | None = None
    construct: Callable[[dict[str, Any], dict[str, Any]], Construct] | None = None
    variadic: tuple[str, ...] = ()
    """Input ports that take two or more edges (Add, Concat, Multiply), in edge order."""
    optional: tuple[str, ...] = ()
    """Input ports that may stay unconnected (always after the required ones)."""
    head: str | None = None
    """For heads: "classification", "regression", "segmentation" or "embedding"."""
    source: str = "builtin"

    def param(self, name: str) -> ParamSpec:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: (list(p.default) if isinstance(p.default, tuple) else p.default) for p in self.params}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "category": self.category,
            "doc": self.doc,
            "params": [p.to_dict() for p in self.params],
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
            "variadic": list(self.variadic),
            "optional": list(self.optional),
            "head": self.head,
            "source": self.source,
        }


CATEGORIES = ("Input", "Convolution", "Pooling", "Normalization", "Regularization", "Linear", "Shape",
              "Activation", "Recurrent", "Attention", "Merge", "Head")
