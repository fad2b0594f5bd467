"""Layered auto-layout: data flows down the canvas, one row per layer, branches side by side.

Pure Python over `Graph` (no Qt), so it is cheap to test and to undo (the command stores the
positions before and after). The steps are the classic Sugiyama ones, kept small:

1. layer = longest path from a source (edges that close a cycle are ignored);
2. order within a layer by the mean position of the neighbours, a few sweeps down and up,
   starting from the user's own left-to-right order so a re-layout does not shuffle needlessly;
3. x = the mean x of the predecessors, then pushed apart to one column per node, and the layer
   recentred; y = layer * row.
"""

from __future__ import annotations

from collections import defaultdict

from studio.core.graph.model import Graph

ROW = 90.0
COLUMN = 220.0
SWEEPS = 4


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
