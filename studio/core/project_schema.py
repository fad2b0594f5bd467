"""The shape of a project file as a JSON Schema, and the first problem in a document, in words.

A project file is often edited by hand, so any part of it can have the wrong type ("nodes": "x",
"training": [1, 2], a node that is a number). The schema below declares the shape once; the loader
asks `first_problem` before it builds anything and turns the answer into a one-line ProjectError
such as "graph.nodes must be a list (got a string)", with the fix.

Each subschema may carry two words of its own next to the standard keywords: `x-rule` (what a valid
value is, as the message says it) and `x-fix` (what to write instead). Keys the schema does not name
stay allowed everywhere: the format keeps them in a round trip. Values inside the sections (the lr,
val_fraction, a block's parameters) are checked by their own tables (studio.core.checks) and by
shape inference; this file is about the document's structure.

jsonschema is imported on first use, so importing studio.core.project stays cheap. A headless box
with only torch and numpy may lack it (`studio train` must still run there): then the shape is not
checked here, and the loader reports what it cannot build as a malformed file instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from studio.core.checks import show

TEXT_FIX = "write it as text in double quotes"


def _text(rule: str = "text", fix: str = TEXT_FIX, **more: Any) -> dict[str, Any]:
    return {"type": "string", "x-rule": rule, "x-fix": fix, **more}


def _object(rule: str, fix: str, **more: Any) -> dict[str, Any]:
    return {"type": "object", "x-rule": rule, "x-fix": fix, **more}


_FINITE = {"type": "number", "finite": True, "x-rule": "a finite number", "x-fix": "write a number such as 90"}

NODE = _object(
    "an object with an id and a block",
    'write each node as {"id": "conv1", "block": "Conv2d", "params": {...}, "pos": [x, y]}',
    required=["id", "block"],
    properties={
        "id": _text("a non-empty text id", 'give the node a text id such as "conv1"', minLength=1),
        "block": _text("a block name", 'name a block of `studio blocks` in quotes, e.g. "Conv2d"', minLength=1),
        "params": _object("an object of block parameters", 'write them as {"name": value, ...}, or {} for none'),
        "pos": {"type": "array", "items": _FINITE, "minItems": 2, "maxItems": 2,
                "x-rule": "two numbers [x, y]", "x-fix": "write the canvas position as [x, y], e.g. [0, 90]"},
        "network": _text("a network id (text)", 'name one of graph.networks in quotes, e.g. "generator"', minLength=1),
        "frozen": {"type": "boolean", "x-rule": "true or false", "x-fix": "write true or false, without quotes"},
    },
)

NETWORK = _object(
    "an object with an id",
    'write each network as {"id": "generator", "role": "generator", "label": "Generator"}',
    required=["id"],
    properties={
        "id": _text("a non-empty text id", 'give the network a text id such as "generator"', minLength=1),
        "role": {"enum": ["", "generator", "discriminator"], "x-rule": "generator or discriminator",
                 "x-fix": 'write "generator" or "discriminator"'},
        "label": _text(),
    },
)

GROUP = _object(
    "an object with an id and nodes",
    'write each group as {"id": "layer1", "label": "layer1", "nodes": ["layer1_0_conv1", ...], "collapsed": true}',
    required=["id"],
    properties={
        "id": _text("a non-empty text id", 'give the group a text id such as "layer1"', minLength=1),
        "label": _text(),
        "nodes": {"type": "array", "items": _text("a node id (text)", "write the node's id in quotes"),
                  "x-rule": "a list of node ids", "x-fix": 'write "nodes": ["conv1", "relu1"]'},
        "collapsed": {"type": "boolean", "x-rule": "true or false", "x-fix": "write true or false, without quotes"},
    },
)
"""A group of blocks the canvas shows as one box (optional; studio/core/graph/groups.py)."""

_PORT = _text("a port name", 'write the port name in quotes, e.g. "out" or "in"')

EDGE = _object(
    "an object with from and to",
    'write each edge as {"from": "conv1", "to": "relu1"} (ports optional)',
    required=["from", "to"],
    properties={
        "from": _text("a node id (text)", "write the source node's id in quotes"),
        "to": _text("a node id (text)", "write the destination node's id in quotes"),
        "from_port": _PORT,
        "to_port": _PORT,
    },
)

_AMOUNT = {"type": "number", "finite": True, "minimum": 0, "x-rule": "a number >= 0",
           "x-fix": "write an amount such as 0.1, or 0 for off"}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "x-rule": "a JSON object",
    "x-fix": "a project file is one JSON object {...}",
    "properties": {
        "format_version": {"type": "integer", "x-rule": "an integer", "x-fix": "write 2"},
        "name": _text(),
        "description": _text(),
        "graph": _object(
            "an object with nodes and edges", 'write "graph": {"nodes": [...], "edges": [...]}',
            properties={
                "nodes": {"type": "array", "items": NODE, "x-rule": "a list",
                          "x-fix": 'write "nodes": [{"id": ..., "block": ...}, ...]'},
                "edges": {"type": "array", "items": EDGE, "x-rule": "a list",
                          "x-fix": 'write "edges": [{"from": ..., "to": ...}, ...]'},
                "networks": {"type": "array", "items": NETWORK, "x-rule": "a list",
                             "x-fix": 'write "networks": [{"id": "generator", "role": "generator"}, ...]'},
                "groups": {"type": "array", "items": GROUP, "x-rule": "a list",
                           "x-fix": 'write "groups": [{"id": "layer1", "nodes": [...]}, ...], or leave it out'},
            },
        ),
        "data": _object(
            "an object of data settings", 'write "data": {"dataset": "digits", "options": {}, ...}',
            properties={
                "dataset": _text("a dataset name", 'name it in quotes, e.g. "digits"'),
                "options": _object("an object of dataset options", 'write "options": {"image_size": 28}, or {}'),
                "augment": _object(
                    "an object of augmentations", 'write "augment": {"flip": true, "noise": 0.1}, or {}',
                    properties={
                        "flip": {"type": "boolean", "x-rule": "true or false", "x-fix": "write true or false"},
                        "crop": {"type": ["integer", "boolean"], "minimum": 0, "maximum": 1024,
                                 "x-rule": "a whole number of pixels in [0, 1024]",
                                 "x-fix": "write e.g. 4 (or true for 4)"},
                        "rotation": {"type": "number", "minimum": 0, "maximum": 360,
                                     "x-rule": "degrees in [0, 360]", "x-fix": "write e.g. 10, or 0 for off"},
                        "noise": _AMOUNT,
                    },
                ),
            },
        ),
        "training": _object("an object of training settings", 'write "training": {"lr": 0.001, "epochs": 10, ...}'),
    },
}

_TYPE_WORDS = {"object": "an object", "array": "a list", "string": "text", "number": "a number",
               "integer": "an integer", "boolean": "true or false", "null": "null"}


def describe(value: Any) -> str:
    """What a JSON value is, for "(got ...)": a string, a list of 1, 3.5, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return show(value)
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def json_path(parts) -> str:
    """graph.nodes[2].pos from the parts ("graph", "nodes", 2, "pos")."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    """e.g. "graph.nodes must be a list (got a string)"."""
    fix: str | None


_VALIDATOR = None


def _validator():
    """The schema's validator, built once; adds the `finite` keyword (JSON allows NaN and Infinity).

    False when jsonschema is not installed."""
    global _VALIDATOR
    if _VALIDATOR is None:
        try:
            from jsonschema import Draft202012Validator, ValidationError, validators
        except ImportError:
            _VALIDATOR = False
            return _VALIDATOR

        def finite(validator, wanted, instance, schema):
            if wanted and isinstance(instance, float) and not math.isfinite(instance):
                yield ValidationError(f"{instance!r} is not finite")

        cls = validators.extend(Draft202012Validator, {"finite": finite})
        _VALIDATOR = cls(SCHEMA)
    return _VALIDATOR


def _node_label(document: Any, parts: list) -> str:
    """" (node 'conv1')" when the path runs through a node that has a text id, to find it faster."""
    if len(parts) >= 3 and parts[:2] == ["graph", "nodes"] and isinstance(parts[2], int):
        try:
            node_id = document["graph"]["nodes"][parts[2]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            return ""
        if isinstance(node_id, str) and node_id and len(parts) > 3:
            return f" (node {node_id!r})"
    return ""


def first_problem(document: Any) -> Problem | None:
    """The first place where `document` does not have a project's shape, or None (also when
    jsonschema is not installed)."""
    validator = _validator()
    if validator is False:
        return None
    error = next(iter(validator.iter_errors(document)), None)
    if error is None:
        return None
    parts = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = json_path(parts) + _node_label(document, parts)
    rule = schema.get("x-rule") or _TYPE_WORDS.get(str(schema.get("type")), "valid")
    fix = schema.get("x-fix")
    kind = error.validator
    if kind == "required":
        missing = next((k for k in schema.get("required", []) if k not in error.instance), "?")
        message = f"{where} has no {missing!r}"
        fix = fix or schema.get("properties", {}).get(missing, {}).get("x-fix")
    elif kind == "minLength":
        message = f"{where} must be {rule} (got empty text)"
    else:
        message = f"{where} must be {rule} (got {describe(error.instance)})"
    return Problem(json_path(parts), message, fix)
