"""Machine-applicable fixes for graph errors, so the GUI can offer each one as a single click.

A `Fix` is plain data (an action name, a sentence for people, and the arguments) and
`apply_fix(graph, fix)` performs it on a copy of the graph. Keeping fixes as data lets the command
line print them, the GUI apply them, and tests check that applying one really clears the error.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from studio.core.errors import UserError
from studio.core.graph.model import DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT, Edge, Graph, Node

ACTIONS = ("insert_block", "set_param", "remove_param", "remove_edge", "add_edge", "remove_node", "add_node",
           "rename_node", "set_block")
ROW_GAP = 90.0
"""Vertical spacing of templates; an inserted block pushes what is below it down by one row."""


@dataclass(frozen=True)
class Fix:
    """One edit that resolves an issue: `action` with `args`, described in `description`."""

    action: str
    description: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "description": self.description, **copy.deepcopy(self.args)}

    def __str__(self) -> str:
        return self.description


def set_param_fix(node: str, param: str, value: Any, why: str = "") -> Fix:
    shown = list(value) if isinstance(value, tuple) else value
    text = f"set {param} of {node} to {shown}" + (f" ({why})" if why else "")
    return Fix("set_param", text, {"node": node, "param": param, "value": shown})


def insert_fix(block: str, edge: Edge, params: dict[str, Any] | None = None, text: str | None = None) -> Fix:
    return Fix("insert_block", text or f"insert {block} between {edge.src} and {edge.dst}",
               {"block": block, "params": dict(params or {}), "src": edge.src, "src_port": edge.src_port,
                "dst": edge.dst, "dst_port": edge.dst_port})


def _stem(block: str) -> str:
    """`MaxPool2d` -> `maxpool`, `Flatten` -> `flatten`: the prefix of a new node's id."""
    return re.sub(r"\d+d$", "", block).lower() or "node"


def apply_fix(graph: Graph, fix: Fix | dict[str, Any]) -> Graph:
    """A copy of `graph` with `fix` applied; UserError when it no longer applies."""
    if isinstance(fix, dict):
        data = dict(fix)
        fix = Fix(str(data.pop("action")), str(data.pop("description", "")), data)
    g = graph.copy()
    a = fix.args
    try:
        if fix.action == "set_param":
            node = g.node(a["node"])
            if a.get("value") is None:
                node.params.pop(a["param"], None)
            else:
                node.params[a["param"]] = copy.deepcopy(a["value"])
        elif fix.action == "remove_param":
            g.node(a["node"]).params.pop(a["param"], None)
        elif fix.action == "remove_edge":
            edge = Edge(a["src"], a["dst"], a.get("src_port", DEFAULT_OUTPUT_PORT), a.get("dst_port", DEFAULT_INPUT_PORT))
            if edge not in g.edges:
                raise UserError(f"cannot apply fix: there is no edge {edge.label()}")
            g.disconnect(edge)
        elif fix.action == "add_edge":
            g.node(a["src"]), g.node(a["dst"])
            g.connect(a["src"], a["dst"], a.get("src_port", DEFAULT_OUTPUT_PORT), a.get("dst_port", DEFAULT_INPUT_PORT))
        elif fix.action == "remove_node":
            g.node(a["node"])
            g.remove_node(a["node"])
        elif fix.action == "set_block":
            g.node(a["node"]).block = a["block"]
        elif fix.action == "rename_node":
            _rename(g, a["node"], a["new_id"])
        elif fix.action == "insert_block":
            _insert(g, a)
        elif fix.action == "add_node":
            _add(g, a)
        else:
            raise UserError(f"cannot apply fix: unknown action {fix.action!r}")
    except KeyError as exc:
        raise UserError(f"cannot apply fix ({fix.description}): node {exc.args[0]!r} is gone") from None
    return g


def _rename(g: Graph, old: str, new: str) -> None:
    if g.has_node(new):
        raise UserError(f"cannot rename {old} to {new}: that id is taken")
    g.node(old).id = new
    g.edges = [Edge(new if e.src == old else e.src, new if e.dst == old else e.dst, e.src_port, e.dst_port)
               for e in g.edges]


def _push_down(g: Graph, from_y: float) -> None:
    for n in g.nodes:
        if n.pos[1] >= from_y - 1e-6:
            n.pos = (n.pos[0], n.pos[1] + ROW_GAP)


def _insert(g: Graph, a: dict[str, Any]) -> None:
    edge = Edge(a["src"], a["dst"], a.get("src_port", DEFAULT_OUTPUT_PORT), a.get("dst_port", DEFAULT_INPUT_PORT))
    src, dst = g.node(edge.src), g.node(edge.dst)
    new = Node(g.unique_id(a.get("stem") or _stem(a["block"])), a["block"], copy.deepcopy(a.get("params") or {}))
    if dst.pos[1] > src.pos[1]:
        new.pos = (dst.pos[0], dst.pos[1])
        _push_down(g, dst.pos[1])
    else:
        new.pos = ((src.pos[0] + dst.pos[0]) / 2, (src.pos[1] + dst.pos[1]) / 2)
    g.add_node(new)
    if edge in g.edges:
        idx = g.edges.index(edge)
        g.edges[idx:idx + 1] = [Edge(edge.src, new.id, edge.src_port, DEFAULT_INPUT_PORT),
                                Edge(new.id, edge.dst, DEFAULT_OUTPUT_PORT, edge.dst_port)]
    else:
        raise UserError(f"cannot apply fix: there is no edge {edge.label()}")


def _add(g: Graph, a: dict[str, Any]) -> None:
    """Add a node, wired after `after` (its output) and/or before `before` (an input port)."""
    new = Node(g.unique_id(a.get("stem") or _stem(a["block"])), a["block"], copy.deepcopy(a.get("params") or {}))
    after, before = a.get("after"), a.get("before")
    if after:
        ref = g.node(after)
        new.pos = (ref.pos[0], ref.pos[1] + ROW_GAP)
    elif before:
        ref = g.node(before)
        new.pos = (ref.pos[0], ref.pos[1] - ROW_GAP)
    g.add_node(new)
    if after:
        g.connect(after, new.id, a.get("after_port", DEFAULT_OUTPUT_PORT), DEFAULT_INPUT_PORT)
    if before:
        g.connect(new.id, before, DEFAULT_OUTPUT_PORT, a.get("before_port", DEFAULT_INPUT_PORT))
