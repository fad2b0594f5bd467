"""Blocks cut off from every head, and the one missing link that would reconnect them.

Editing passes through states where part of the network leads nowhere: cut one wire (or delete
one block) in the middle of a chain and everything above the cut no longer reaches a head. Those
blocks are the user's network, not dead weight, so what to offer is the missing link (connect the
last cut-off block to the input left empty), never their deletion. This module answers the graph
questions behind that: what reaches a head, which cut-off blocks belong together, and which block
a free input should be wired from. Plain functions over edges, so infer.py's checker stays about
checking.
"""

from __future__ import annotations

from collections.abc import Iterable

from studio.core.graph.model import Edge

MAX_NAMED = 5
"""Cut-off blocks named one by one in a warning; a longer list is summarised with a count."""


def reachable(edges: Iterable[Edge], start: Iterable[str], forward: bool = True) -> set[str]:
    """Every node reached from `start` along `edges` (downstream, or upstream when not `forward`),
    `start` included."""
    step: dict[str, list[str]] = {}
    for e in edges:
        a, b = (e.src, e.dst) if forward else (e.dst, e.src)
        step.setdefault(a, []).append(b)
    seen = set(start)
    stack = list(seen)
    while stack:
        for nxt in step.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def groups(members: list[str], edges: Iterable[Edge]) -> list[list[str]]:
    """`members` split into the groups that wires join (in either direction), each in `members`' order."""
    inside = set(members)
    near: dict[str, set[str]] = {m: set() for m in members}
    for e in edges:
        if e.src in inside and e.dst in inside:
            near[e.src].add(e.dst)
            near[e.dst].add(e.src)
    found: list[list[str]] = []
    placed: set[str] = set()
    for m in members:
        if m in placed:
            continue
        group = reachable([Edge(a, b) for a, bs in near.items() for b in bs], [m])
        placed |= group
        found.append([x for x in members if x in group])
    return found


def sinks(group: list[str], edges: Iterable[Edge]) -> list[str]:
    """The blocks of `group` whose output goes nowhere: where the missing link starts."""
    feeding = {e.src for e in edges}
    return [nid for nid in group if nid not in feeding]


def name_list(ids: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`; past MAX_NAMED, the first few and how many more."""
    if len(ids) > MAX_NAMED:
        shown = ids[:MAX_NAMED - 2]
        return f"{', '.join(shown)}, … and {len(ids) - len(shown)} more blocks"
    if len(ids) == 1:
        return ids[0]
    return f"{', '.join(ids[:-1])} and {ids[-1]}"
