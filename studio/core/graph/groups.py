"""Groups of blocks that the canvas can fold into one box: a view of the graph, never a change of it.

A large import (torchvision's resnet18 is 71 blocks, efficientnet_b0 251) is easier to read as its
stages: `layer1`, `layer2`, ... or `features.3`. A `Group` names some nodes of the graph; a
collapsed one is drawn as a single box with the group's name, how many blocks it holds, its input
and output shapes, and one port per tensor entering or leaving it. The nodes, their parameters and
their wires stay exactly as they are, so shape inference, training, codegen and export see the same
graph whether a group is collapsed or not. Groups live in the project file as `graph.groups`
(optional, written only when there are some; docs/project-format.md), so a reopened project shows
the same stages folded.

Collapsing folds the rows the group's blocks take into one: blocks below the group move up by the
group's height, and expanding moves them down again, so collapse then expand puts every block back
where it was. While collapsed, a group's box sits at its members' anchor (its first block's x, their top
y) and moving the box moves its members with it.

`suggest_stages` finds the stages of an imported model from its node ids, which the importers
build from the model's module paths (`layer1.0.conv1` -> `layer1_0_conv1`).

Pure data, no Qt: the canvas (studio/ui/builder) draws what this decides. The `Group` record
itself lives in model.py with the graph it belongs to (and is re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.graph.model import Graph, Group

__all__ = ["Boundary", "Group", "add_group", "anchor", "boundary", "collapse", "expand", "find", "group_of",
           "height", "hidden_by", "members", "move_collapsed", "prune", "rename_member", "suggest_stages"]

MIN_STAGE = 2
"""A stage of fewer blocks than this is not worth a group."""


# --- queries -------------------------------------------------------------------------------------
def find(graph: Graph, group_id: str) -> Group | None:
    return next((g for g in graph.groups if g.id == group_id), None)


def members(graph: Graph, group: Group) -> list[str]:
    """The group's nodes that the graph holds, in graph order."""
    wanted = set(group.nodes)
    return [n.id for n in graph.nodes if n.id in wanted]


def group_of(graph: Graph) -> dict[str, str]:
    """node id -> the id of the group it is in (a node named by two groups belongs to the first)."""
    out: dict[str, str] = {}
    for g in graph.groups:
        for nid in g.nodes:
            out.setdefault(nid, g.id)
    return out


def hidden_by(graph: Graph) -> dict[str, str]:
    """node id -> the collapsed group whose box stands for it (the nodes the canvas does not draw)."""
    collapsed = {g.id for g in graph.groups if g.collapsed}
    if not collapsed:
        return {}
    present = {n.id for n in graph.nodes}
    return {nid: gid for nid, gid in group_of(graph).items() if gid in collapsed and nid in present}


def _positions(graph: Graph, group: Group) -> list[tuple[float, float]]:
    """The members' positions, in graph order (one pass over the nodes, not one lookup per member)."""
    wanted = set(group.nodes)
    return [n.pos for n in graph.nodes if n.id in wanted]


def anchor(graph: Graph, group: Group) -> tuple[float, float]:
    """Where a collapsed group's box goes (its top-centre): under its first block (where the data
    comes in, usually on the graph's main column), at its members' top y."""
    pts = _positions(graph, group)
    if not pts:
        return (0.0, 0.0)
    return (float(pts[0][0]), float(min(p[1] for p in pts)))


def height(graph: Graph, group: Group) -> float:
    """How many canvas units the expanded group's rows take beyond the one row of its box."""
    ys = [p[1] for p in _positions(graph, group)]
    return float(max(ys) - min(ys)) if ys else 0.0


@dataclass(frozen=True)
class Boundary:
    """What crosses a group's edge: the tensors coming in (by their source) and going out."""

    inputs: list[tuple[str, str]]
    """(source node, its output port) of every tensor fed into the group from outside, in edge order."""
    outputs: list[tuple[str, str]]
    """(member node, its output port) of every tensor the group gives to a block outside."""


def boundary(graph: Graph, node_ids) -> Boundary:
    inside = set(node_ids)
    inputs: list[tuple[str, str]] = []
    outputs: list[tuple[str, str]] = []
    for e in graph.edges:
        if e.dst in inside and e.src not in inside and (e.src, e.src_port) not in inputs:
            inputs.append((e.src, e.src_port))
        if e.src in inside and e.dst not in inside and (e.src, e.src_port) not in outputs:
            outputs.append((e.src, e.src_port))
    return Boundary(inputs, outputs)


# --- edits (in place: the editor applies them to a copy it then pushes as one undo step) ---------
def unique_group_id(graph: Graph, stem: str) -> str:
    taken = {g.id for g in graph.groups}
    stem = re.sub(r"[^0-9a-zA-Z_.]", "_", stem) or "group"
    if stem not in taken:
        return stem
    i = 2
    while f"{stem}_{i}" in taken:
        i += 1
    return f"{stem}_{i}"


def add_group(graph: Graph, node_ids, label: str = "") -> Group:
    """A new (expanded) group of `node_ids`; they leave any group they were in."""
    present = {n.id for n in graph.nodes}
    ids = [nid for nid in dict.fromkeys(node_ids) if nid in present]
    chosen = set(ids)
    for g in graph.groups:
        g.nodes = [nid for nid in g.nodes if nid not in chosen]
    graph.groups = [g for g in graph.groups if g.nodes]
    if not label:
        label = common_stage(ids) or "group"
    group = Group(unique_group_id(graph, label), ids, label)
    graph.groups.append(group)
    return group


SIDE_REACH = 330.0
"""How far sideways of a group's blocks (a column and a half) a block below still counts as below
it: a side branch does, a block in another band of an import's folded layout (bands side by side,
at least 400 apart) stays put."""


def _shift_below(graph: Graph, group: Group, top: float, dy: float) -> None:
    """Move what lies lower than `top` and under the group down by `dy`. Another group moves as one
    (by its anchor, collapsed or not), so its blocks keep their arrangement; other blocks one by one."""
    xs = [p[0] for p in _positions(graph, group)]
    left, right = min(xs) - SIDE_REACH, max(xs) + SIDE_REACH
    owner = group_of(graph)
    units = {g.id: anchor(graph, g) for g in graph.groups if g.id != group.id}
    for n in graph.nodes:
        gid = owner.get(n.id)
        if gid == group.id:
            continue
        x, y = units[gid] if gid in units else n.pos
        if y > top and left <= x <= right:
            n.pos = (n.pos[0], n.pos[1] + dy)


def collapse(graph: Graph, group: Group) -> bool:
    """Fold the group into one box; the blocks below it move up by its height. False if it already was."""
    ys = [p[1] for p in _positions(graph, group)]
    if group.collapsed or not ys:
        return False
    _shift_below(graph, group, max(ys), -height(graph, group))
    group.collapsed = True
    return True


def expand(graph: Graph, group: Group) -> bool:
    """Unfold the group; the blocks below its box move down by its height again. False if it was not collapsed."""
    if not group.collapsed:
        return False
    group.collapsed = False
    if members(graph, group):
        top = anchor(graph, group)[1]
        _shift_below(graph, group, top, height(graph, group))
    return True


def move_collapsed(graph: Graph, group: Group, pos: tuple[float, float]) -> None:
    """Put a collapsed group's box at `pos`: its members move by as much, keeping their arrangement."""
    ax, ay = anchor(graph, group)
    dx, dy = pos[0] - ax, pos[1] - ay
    wanted = set(group.nodes)
    for node in graph.nodes:
        if node.id in wanted:
            node.pos = (float(round(node.pos[0] + dx)), float(round(node.pos[1] + dy)))


def prune(graph: Graph) -> None:
    """Drop ids of deleted nodes and the groups left empty (after a delete)."""
    present = {n.id for n in graph.nodes}
    for g in graph.groups:
        g.nodes = [nid for nid in g.nodes if nid in present]
    graph.groups = [g for g in graph.groups if g.nodes]


def rename_member(graph: Graph, old: str, new: str) -> None:
    for g in graph.groups:
        g.nodes = [new if nid == old else nid for nid in g.nodes]


# --- stages of an imported model ------------------------------------------------------------------
_NUMBERED = re.compile(r"^[A-Za-z]+\d+$")


def stage_key(node_id: str) -> str | None:
    """The top-level module an imported node's id comes from, or None for a top-level layer.

    `layer1_0_conv1` -> `layer1`, `features_3_block_0_0` -> `features_3`,
    `encoder_layers_encoder_layer_0_ln_1` -> `encoder_layers_encoder_layer_0`; `conv1`, `fc`,
    `add_1` and `features_0` (a layer of a flat Sequential) have none.
    """
    parts = node_id.split("_")
    for i, part in enumerate(parts[:-1]):
        if part.isdigit() and i > 0 or _NUMBERED.match(part) and i == 0:
            return "_".join(parts[: i + 1])
    return None


def stage_label(key: str) -> str:
    """`features_3` -> `features.3`: the module path as the model's code spells it; a long one keeps
    its last words (`encoder_layers_encoder_layer_0` -> `encoder_layer.0`)."""
    parts = key.split("_")
    if len(parts) > 3 and parts[-1].isdigit():
        parts = parts[-3:]
    return re.sub(r"_(\d+)(?=_|$)", r".\1", "_".join(parts))


def common_stage(node_ids) -> str | None:
    """The stage label all the ids that name a stage share (`add` and the like name none), else None."""
    keys = {stage_key(nid) for nid in node_ids} - {None}
    return stage_label(keys.pop()) if len(keys) == 1 else None


def suggest_stages(graph: Graph) -> list[Group]:
    """One (expanded) group per stage of an imported model, in graph order, none of under MIN_STAGE blocks.

    A node's stage comes from its id. Layers the tracer names after the function they call (`add`,
    `mul`, `stochastic_depth`: the residual sum of a block, a squeeze-excitation product) have no
    module in their id; such a node joins the stage it sits inside: it lies on a path between two
    blocks of the stage, or it is the sum or product that closes the stage (it takes only the
    stage's values and what feeds the stage), or it leads straight into that one.
    """
    stage: dict[str, str] = {}
    for n in graph.nodes:
        key = stage_key(n.id)
        if key is not None and n.block != "Input":
            stage[n.id] = key
    if not stage:
        return []
    preds: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    succs: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        if e.src in preds and e.dst in preds:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)
    _inside_paths(graph, stage, preds, succs)
    feeders: dict[str, set[str]] = {}
    for nid, key in stage.items():
        for p in preds[nid]:
            if stage.get(p) != key:
                feeders.setdefault(key, set()).add(p)

    def closes(nid: str, key: str, also: frozenset[str] = frozenset()) -> bool:
        """Whether `nid` sums (or multiplies) the stage's values with what feeds the stage."""
        ps = preds[nid]

        def own(p: str) -> bool:
            return stage.get(p) == key or p in also

        return len(ps) >= 2 and any(own(p) for p in ps) and all(own(p) or p in feeders.get(key, ()) for p in ps)

    index = {n.id: i for i, n in enumerate(graph.nodes)}
    for n in graph.nodes:  # graph order is topological: a closing sum follows what it sums
        nid = n.id
        if nid in stage or n.block == "Input" or not preds[nid]:
            continue
        staged = [p for p in preds[nid] if p in stage]
        if not staged:
            continue
        key = stage[max(staged, key=index.__getitem__)]  # the stage of the latest block it takes
        if closes(nid, key) or (len(preds[nid]) == 1 and succs[nid]
                                and all(s not in stage and closes(s, key, frozenset([nid])) for s in succs[nid])):
            stage[nid] = key
    by_key: dict[str, list[str]] = {}
    for n in graph.nodes:
        if n.id in stage:
            by_key.setdefault(stage[n.id], []).append(n.id)
    return [Group(key, ids, stage_label(key)) for key, ids in by_key.items() if len(ids) >= MIN_STAGE]


def _inside_paths(graph: Graph, stage: dict[str, str], preds, succs) -> None:
    """Give each stage-less node the stage it lies between: reached from one of the stage's nodes
    and reaching another of them (a residual `add` in the middle of a stage)."""
    order = [n.id for n in graph.nodes]
    reached: dict[str, set[str]] = {nid: set() for nid in order}
    for nid in order:  # stages whose nodes come before
        for p in preds[nid]:
            reached[nid] |= reached[p] | ({stage[p]} if p in stage else set())
    reaches: dict[str, set[str]] = {nid: set() for nid in order}
    for nid in reversed(order):  # stages whose nodes come after
        for s in succs[nid]:
            reaches[nid] |= reaches[s] | ({stage[s]} if s in stage else set())
    for nid in order:
        if nid not in stage:
            both = reached[nid] & reaches[nid]
            if len(both) == 1:
                stage[nid] = both.pop()
