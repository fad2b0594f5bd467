"""Layered auto-layout: data flows down the canvas, one row per layer, branches side by side.

Pure Python over `Graph` (no Qt), so it is cheap to test and to undo (the command stores the
positions before and after). The steps are the classic Sugiyama ones, kept small:

1. layer = longest path from a source (edges that close a cycle are ignored);
2. order within a layer by the mean position of the neighbours, a few sweeps down and up,
   starting from the user's own left-to-right order so a re-layout does not shuffle needlessly;
3. x = the mean x of the predecessors, then pushed apart to one column per node, and the layer
   recentred; y = layer * row.

A graph of several networks (a GAN) is laid out one network at a time, each to the right of the
one before and starting a row below the blocks that feed it (the generator's output), so each
network's frame on the canvas holds its own blocks only and the bridge runs downward.
"""

from __future__ import annotations

from collections import defaultdict

from studio.core.graph import groups as grouping
from studio.core.graph.model import Edge, Graph, Node

ROW = 90.0
COLUMN = 220.0
SWEEPS = 4
NETWORK_GAP = 140.0
"""Beyond one column between the blocks of neighbouring networks: room for both frames' sides."""


def layers_of(graph: Graph) -> dict[str, int]:
    """Longest-path layer of every node; nodes on a cycle come after what feeds them."""
    ids = [n.id for n in graph.nodes]
    known = set(ids)
    preds: dict[str, list[str]] = {i: [] for i in ids}
    succs: dict[str, list[str]] = {i: [] for i in ids}
    for e in graph.edges:
        if e.src in known and e.dst in known and e.src != e.dst:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)
    indeg = {i: len(preds[i]) for i in ids}
    ready = [i for i in ids if indeg[i] == 0]
    layer: dict[str, int] = {}
    done: set[str] = set()
    while True:
        while ready:
            nid = ready.pop(0)
            done.add(nid)
            layer[nid] = max((layer[p] + 1 for p in preds[nid] if p in layer), default=0)
            for s in succs[nid]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    ready.append(s)
        rest = [i for i in ids if i not in done]
        if not rest:
            return layer
        # A cycle: release the first stuck node as if its back edge did not exist.
        ready.append(rest[0])
        indeg[rest[0]] = 0


def auto_layout(graph: Graph, row: float = ROW, column: float = COLUMN) -> dict[str, tuple[float, float]]:
    """New positions for every node (top-centre of its box), leaving the graph untouched.

    An edge that skips layers gets a placeholder in each layer it crosses, so the straight wire
    runs in a lane of its own instead of through the blocks of a parallel branch.
    """
    if not graph.nodes:
        return {}
    if graph.networks:
        return _layout_networks(graph, row, column)
    layer = layers_of(graph)
    old_x = {n.id: n.pos[0] for n in graph.nodes}
    first_seen = {n.id: i for i, n in enumerate(graph.nodes)}
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    lay = dict(layer)
    hint = {nid: (old_x[nid], first_seen[nid]) for nid in layer}
    for k, e in enumerate(graph.edges):
        if e.src not in layer or e.dst not in layer or layer[e.src] >= layer[e.dst]:
            continue
        prev = e.src
        for d in range(layer[e.src] + 1, layer[e.dst]):
            dummy = f"~{k}:{d}"
            lay[dummy] = d
            hint[dummy] = (old_x[e.src], first_seen[e.src])
            preds[dummy].append(prev)
            succs[prev].append(dummy)
            prev = dummy
        preds[e.dst].append(prev)
        succs[prev].append(e.dst)
    depth = max(lay.values()) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for nid in sorted(lay, key=lambda i: hint[i]):
        rows[lay[nid]].append(nid)
    index = {nid: i for r in rows for i, nid in enumerate(r)}

    def sweep(rng, neighbours) -> None:
        for d in rng:
            def key(nid: str) -> tuple[float, int]:
                ns = neighbours[nid]
                return (sum(index[n] for n in ns) / len(ns) if ns else index[nid], index[nid])
            rows[d].sort(key=key)
            for i, nid in enumerate(rows[d]):
                index[nid] = i

    for _ in range(SWEEPS):
        sweep(range(1, depth), preds)
        sweep(range(depth - 2, -1, -1), succs)

    x: dict[str, float] = {}
    for nodes in rows:
        want = []
        for i, nid in enumerate(nodes):
            ps = [x[p] for p in preds[nid] if p in x]
            want.append(sum(ps) / len(ps) if ps else (i - (len(nodes) - 1) / 2) * column)
        placed: list[float] = []
        for w in want:
            placed.append(max(w, placed[-1] + column) if placed else w)
        # Recentre so the layer sits where its nodes wanted to be, on average.
        shift = (sum(want) - sum(placed)) / len(placed)
        for nid, px in zip(nodes, placed, strict=True):
            x[nid] = px + shift
    left = min(x[nid] for nid in layer)
    base = min(old_x.values())
    return {nid: (float(round(x[nid] - left + base)), layer[nid] * row) for nid in layer}


def _layout_networks(graph: Graph, row: float, column: float) -> dict[str, tuple[float, float]]:
    """Each network laid out on its own, left to right in the declared order (blocks in no declared
    network last), each one starting a row below the lowest block that feeds it."""
    declared = [net.id for net in graph.networks]
    groups = [[n for n in graph.nodes if n.network == nid] for nid in declared]
    groups.append([n for n in graph.nodes if n.network not in declared])
    out: dict[str, tuple[float, float]] = {}
    right = None
    for nodes in groups:
        if not nodes:
            continue
        ids = {n.id for n in nodes}
        part = Graph(nodes=[Node(n.id, n.block, n.params, n.pos) for n in nodes],
                     edges=[e for e in graph.edges if e.src in ids and e.dst in ids])
        placed = auto_layout(part, row, column)
        feeders = [out[e.src][1] for e in graph.edges if e.dst in ids and e.src in out]
        top = max(feeders) + row if feeders else 0.0
        left = min(x for x, _ in placed.values())
        shift = 0.0 if right is None else right + column + NETWORK_GAP - left
        for nid, (x, y) in placed.items():
            out[nid] = (float(round(x + shift)), y + top)
        right = max(x for x, _ in out.values())
    return out


GROUP_KEY = "\u29c9"
"""Prefix of the stand-in node of a collapsed group in `layout_with_groups` (not an id character)."""


def layout_with_groups(graph: Graph, row: float = ROW, column: float = COLUMN) -> dict[str, tuple[float, float]]:
    """`auto_layout` of what the canvas shows, each collapsed group as one block; the blocks inside
    a collapsed group are laid out among themselves under its box, so expanding it shows them tidy."""
    hidden = grouping.hidden_by(graph)
    if not hidden:
        return auto_layout(graph, row, column)
    shown = {n.id: n.id for n in graph.nodes if n.id not in hidden}
    shown.update({nid: GROUP_KEY + gid for nid, gid in hidden.items()})
    nodes = [Node(n.id, n.block, {}, n.pos, n.network) for n in graph.nodes if n.id not in hidden]
    boxes = {}
    for g in graph.groups:
        if g.collapsed and grouping.members(graph, g):
            boxes[GROUP_KEY + g.id] = g
            network = next(n.network for n in graph.nodes if hidden.get(n.id) == g.id)
            nodes.append(Node(GROUP_KEY + g.id, "Group", {}, grouping.anchor(graph, g), network))
    first_seen = {key: i for i, key in reversed(list(enumerate(shown[n.id] for n in graph.nodes)))}
    nodes.sort(key=lambda n: first_seen.get(n.id, 0))  # a group where its first block was
    edges = list(dict.fromkeys(Edge(shown[e.src], shown[e.dst]) for e in graph.edges
                               if e.src in shown and e.dst in shown and shown[e.src] != shown[e.dst]))
    placed = auto_layout(Graph(nodes=nodes, edges=edges, networks=graph.networks), row, column)
    out = {nid: pos for nid, pos in placed.items() if nid not in boxes}
    for key, g in boxes.items():
        ids = set(grouping.members(graph, g))
        inside = Graph(nodes=[Node(n.id, n.block, {}, n.pos) for n in graph.nodes if n.id in ids],
                       edges=[e for e in graph.edges if e.src in ids and e.dst in ids])
        inner = auto_layout(inside, row, column)
        # Where the box's anchor falls in the inner layout (first block's x, top row) goes to the box.
        first = inside.nodes[0].id
        dx = placed[key][0] - inner[first][0]
        dy = placed[key][1] - min(y for _x, y in inner.values())
        out.update({nid: (float(round(x + dx)), float(round(y + dy))) for nid, (x, y) in inner.items()})
    return out


# --- room for new blocks ---------------------------------------------------------------------
Box = tuple[float, float, float, float]
"""left, top, right, bottom in scene units."""
CLEAR_X = 12.0
CLEAR_Y = 26.0
"""Free canvas kept around a placed block: a little sideways, and below/above room for a wire's
arrow and its shape label (a label is about 15 units tall)."""
REACH = 8
"""How many columns (and rows) away from where it was wanted a block may be moved."""


def box_at(pos: tuple[float, float], size: tuple[float, float]) -> Box:
    """The box of a block whose top-centre is `pos` (what `Node.pos` stores)."""
    x, y = pos
    w, h = size
    return (x - w / 2, y, x + w / 2, y + h)


def _clash(a: Box, b: Box) -> bool:
    return a[0] < b[2] + CLEAR_X and b[0] < a[2] + CLEAR_X and a[1] < b[3] + CLEAR_Y and b[1] < a[3] + CLEAR_Y


def clear_offset(fixed: list[Box], moving: list[Box], column: float = COLUMN, row: float = ROW) -> tuple[float, float]:
    """The shortest shift that takes all of `moving` (together) clear of every box of `fixed`.

    Shifts are whole columns sideways and half rows up or down, so a placed block stays on the
    templates' grid; the nearest wins, and on a tie right before left and down before up (data
    flows down, and a new block usually follows what is above it). Past `REACH` the blocks go
    to the right of everything.
    """
    steps = [(i * column, j * row / 2) for i in range(-REACH, REACH + 1) for j in range(-2 * REACH, 2 * REACH + 1)]
    steps.sort(key=lambda s: (s[0] ** 2 + s[1] ** 2, s[0] < 0, s[1] < 0))
    for dx, dy in steps:
        if not any(_clash((m[0] + dx, m[1] + dy, m[2] + dx, m[3] + dy), f) for m in moving for f in fixed):
            return (dx, dy)
    right = max(f[2] for f in fixed)
    return (right + CLEAR_X + column - min(m[0] for m in moving), 0.0)


def settle_new_blocks(before: Graph, after: Graph, size) -> None:
    """Move the blocks `after` adds to `before` (together, in place) where no other block is.

    The one rule for every edit that adds blocks (an inserted Flatten, a block added below the
    selection, a drop, a paste), so a new block never lands on top of another. A block that only
    changed its id (a rename) is not new. `size(node)` gives a block's (width, height).
    """
    old_ids = {n.id for n in before.nodes}
    old_spots = {(n.block, tuple(n.pos)) for n in before.nodes}
    new = [n for n in after.nodes if n.id not in old_ids and (n.block, tuple(n.pos)) not in old_spots]
    if not new:
        return
    new_ids = {n.id for n in new}
    fixed = [box_at(n.pos, size(n)) for n in after.nodes if n.id not in new_ids]
    if not fixed:
        return
    dx, dy = clear_offset(fixed, [box_at(n.pos, size(n)) for n in new])
    for n in new:
        n.pos = (float(round(n.pos[0] + dx)), float(round(n.pos[1] + dy)))
