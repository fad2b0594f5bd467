"""Shape inference and validation, re-run on every edit of the canvas.

`infer_graph` walks the graph in topological order applying each block's symbolic shape rule, so
no tensor is ever allocated: a 200-node graph takes a few milliseconds, well inside the 100 ms that
keeps the canvas live. A valid graph whose parameters would not fit this machine's memory gets a
warning from the same counts (graph/memory.py). Every problem is reported as a `GraphIssue` naming the node (and the edge,
where one is at fault) with a machine-applicable `Fix`; nodes downstream of a problem say what
they wait for instead of piling up follow-on errors.
"""

from __future__ import annotations

import heapq
import keyword
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from studio.core.graph.block_spec import BlockSpec, RuleContext, ShapeError, ShapeResult, TensorSpec
from studio.core.graph.dead_ends import groups, name_list, reachable, sinks
from studio.core.graph.fixes import Fix, apply_fix, set_param_fix
from studio.core.graph.issues import GraphIssue
from studio.core.graph.memory import memory_issues
from studio.core.graph.model import DEFAULT_OUTPUT_PORT, Edge, Graph
from studio.core.graph.networks import gan_structure, network_problems
from studio.core.graph.registry import closest_block, find_block

DTYPE_BYTES = {"float32": 4, "int64": 8}
RESERVED_IDS = frozenset(dir(nn.Module)) | {"input_nodes", "input_shapes", "heads", "graph", "report", "plan",
                                            "self", "torch", "nn", "F", "math"}


@dataclass
class NodeInfo:
    """What inference learned about one node (per sample; the batch is shown as "N")."""

    output_shape: tuple | None = None
    params: int = 0
    flops: int = 0
    activation_bytes: int = 0
    error: str | None = None
    dtype: str | None = None
    outputs: dict[str, TensorSpec] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    """The node's parameter values, validated, with defaults filled in."""
    derived: dict[str, Any] = field(default_factory=dict)
    """Sizes taken from upstream (in_features, in_channels, ...)."""


@dataclass
class GraphReport:
    nodes: dict[str, NodeInfo]
    errors: list[GraphIssue]
    warnings: list[GraphIssue]
    order: list[str]
    """Node ids in a valid execution order (nodes in cycles or with bad wiring left out)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(n.params for n in self.nodes.values())

    @property
    def total_flops(self) -> int:
        return sum(n.flops for n in self.nodes.values())

    @property
    def total_activation_bytes(self) -> int:
        return sum(n.activation_bytes for n in self.nodes.values())

    def errors_for(self, node_id: str) -> list[GraphIssue]:
        return [e for e in self.errors if e.node == node_id]


def _shown(t: TensorSpec) -> tuple:
    return ("N", *t.shape)


class _Checker:
    def __init__(self, graph: Graph):
        self.g = graph
        self.errors: list[GraphIssue] = []
        self.warnings: list[GraphIssue] = []
        self.info: dict[str, NodeInfo] = {n.id: NodeInfo() for n in graph.nodes}
        self.specs: dict[str, BlockSpec] = {}
        self.bad: set[str] = set()
        self.blocked_by: dict[str, str] = {}

    def error(self, node: str | None, message: str, fix: Fix | None = None, edge: Edge | None = None,
              mark: bool = True) -> None:
        """Record an issue; `mark` flags the node itself as broken (not so for graph-level issues)."""
        self.errors.append(GraphIssue(node, edge, message, fix))
        if mark and node is not None and node in self.info:
            self.bad.add(node)
            if self.info[node].error is None:
                self.info[node].error = message

    def warn(self, node: str | None, message: str, fix: Fix | None = None, edge: Edge | None = None,
             advice: str | None = None) -> None:
        self.warnings.append(GraphIssue(node, edge, message, fix, "warning", advice))

    # --- nodes ---------------------------------------------------------------------------
    def check_nodes(self) -> None:
        seen: set[str] = set()
        for node in self.g.nodes:
            nid = node.id
            if nid in seen:
                self.error(nid, f"two nodes share the id {nid!r}",
                           Fix("rename_node", f"rename the second {nid} to {self.g.unique_id(nid)}",
                               {"node": nid, "new_id": self.g.unique_id(nid)}))
                continue
            seen.add(nid)
            if not nid.isidentifier() or keyword.iskeyword(nid) or nid in RESERVED_IDS or nid.startswith("_"):
                stem = "".join(c if c.isalnum() or c == "_" else "_" for c in nid).strip("_") or "node"
                new = self.g.unique_id(stem if stem[0].isalpha() else "n" + stem)
                self.error(nid, f"node id {nid!r} cannot name a module attribute (use letters, digits, _; "
                                f"not a Python keyword or reserved name)",
                           Fix("rename_node", f"rename {nid} to {new}", {"node": nid, "new_id": new}))
            spec = find_block(node.block)
            if spec is None:
                close = closest_block(node.block)
                fix = Fix("set_block", f"use block {close}", {"node": nid, "block": close}) if close else None
                self.error(nid, f"node {nid} uses unknown block {node.block!r}", fix)
                continue
            self.specs[nid] = spec
            self.check_params(node.id, node.params, spec)

    def check_params(self, nid: str, params: dict[str, Any], spec: BlockSpec) -> None:
        known = {p.name for p in spec.params}
        config: dict[str, Any] = {}
        for name in params:
            if name not in known:
                import difflib

                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.error(nid, f"{spec.name} {nid} has no parameter {name!r}{hint}",
                           Fix("remove_param", f"remove {name} from {nid}", {"node": nid, "param": name}))
        for ps in spec.params:
            raw = params.get(ps.name, ps.default)
            try:
                config[ps.name] = ps.coerce(raw)
            except ValueError as exc:
                self.error(nid, f"{spec.name} {nid}: {ps.name} {exc}",
                           set_param_fix(nid, ps.name, ps.suggestion(raw)))
                config[ps.name] = ps.coerce(ps.default) if ps.default is not None else None
        self.info[nid].config = config

    # --- edges ---------------------------------------------------------------------------
    def check_edges(self) -> dict[str, dict[str, list[Edge]]]:
        wired: dict[str, dict[str, list[Edge]]] = {nid: {} for nid in self.specs}
        seen: set[Edge] = set()
        for e in self.g.edges:
            if e in seen:
                continue
            seen.add(e)
            for end, port, ports_of in ((e.src, e.src_port, "outputs"), (e.dst, e.dst_port, "inputs")):
                if end not in self.info:
                    self.error(None, f"edge {e.label()} refers to a missing node {end!r}",
                               Fix("remove_edge", f"remove the edge {e.label()}", _edge_args(e)), e)
                    break
                spec = self.specs.get(end)
                if spec is not None and port not in getattr(spec, ports_of):
                    valid = ", ".join(getattr(spec, ports_of)) or "none"
                    kind = "output" if ports_of == "outputs" else "input"
                    self.error(end, f"{spec.name} {end} has no {kind} port {port!r} (it has: {valid})",
                               Fix("remove_edge", f"remove the edge {e.label()}", _edge_args(e)), e)
                    break
            else:
                if e.src == e.dst:
                    self.error(e.dst, f"node {e.dst} is wired to itself", Fix(
                        "remove_edge", f"remove the edge {e.label()}", _edge_args(e)), e)
                elif e.dst in wired and e.src in self.specs:
                    wired[e.dst].setdefault(e.dst_port, []).append(e)
        for nid, spec in self.specs.items():
            ports = wired[nid]
            for port in spec.inputs:
                edges = ports.get(port, [])
                name = f"{spec.name} {nid}"
                if port in spec.variadic:
                    if len(edges) < 2:
                        self.error(nid, f"{name} needs at least two inputs on port {port!r}, has {len(edges)}",
                                   self._connect_fix(nid, port, cut_off_only=True))
                elif len(edges) > 1:
                    extra = edges[1]
                    self.error(nid, f"{name} port {port!r} has {len(edges)} incoming edges; it takes one "
                                    f"(merge them with Add or Concat first)",
                               Fix("remove_edge", f"remove the edge {extra.label()}", _edge_args(extra)), extra)
                elif not edges and port not in spec.optional:
                    self.error(nid, f"{name} input port {port!r} is not connected",
                               self._connect_fix(nid, port))
        return wired

    def _connect_fix(self, nid: str, port: str, cut_off_only: bool = False) -> Fix | None:
        """The wire a user would drag into `nid`'s empty `port`.

        First choice: a block that reaches no head and whose output goes nowhere. After a wire is cut
        or a block deleted, that is the other end of the missing link, wherever it has been dragged.
        Else (unless `cut_off_only`) the nearest block above with a free output. Never a block
        downstream of `nid`: wiring it in would close a loop."""
        me = self.g.node(nid)
        edges = [e for e in self.g.edges if e.src in self.specs and e.dst in self.specs]
        downstream = reachable(edges, [nid])
        heads = [h for h, spec in self.specs.items() if spec.head]
        reaches_head = reachable(edges, heads, forward=False)
        used = {e.src for e in self.g.edges}
        free = [n for n in self.g.nodes if n.id in self.specs and self.specs[n.id].outputs
                and n.id not in used and n.id not in downstream]
        cut_off = [n for n in free if n.id not in reaches_head]
        above = [] if cut_off_only else [n for n in free if n.pos[1] < me.pos[1]]
        pool = cut_off or above
        if not pool:
            return None
        best = min(pool, key=lambda n: (n.pos[1] >= me.pos[1], abs(me.pos[1] - n.pos[1]) + abs(me.pos[0] - n.pos[0])))
        e = Edge(best.id, nid, DEFAULT_OUTPUT_PORT, port)
        return Fix("add_edge", f"connect {best.id} to {nid}", _edge_args(e))

    # --- order ---------------------------------------------------------------------------
    def topo_order(self, wired: dict[str, dict[str, list[Edge]]]) -> list[str]:
        preds: dict[str, set[str]] = {nid: set() for nid in wired}
        succs: dict[str, list[str]] = {nid: [] for nid in wired}
        for nid, ports in wired.items():
            for edges in ports.values():
                for e in edges:
                    if e.src in preds and e.src not in preds[nid]:
                        preds[nid].add(e.src)
                        succs[e.src].append(nid)
        indeg = {nid: len(p) for nid, p in preds.items()}
        # Among ready nodes, take the one listed first in the graph: generated code then follows
        # the user's own order and keeps each branch together.
        rank = {n.id: i for i, n in enumerate(self.g.nodes)}
        ready = [(rank[nid], nid) for nid in wired if indeg[nid] == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            _, nid = heapq.heappop(ready)
            order.append(nid)
            for s in succs[nid]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    heapq.heappush(ready, (rank[s], s))
        stuck = [nid for nid in wired if indeg[nid] > 0]
        if stuck:
            cycle = _find_cycle(stuck, preds)
            # The edge to cut is the one that runs back up the canvas (drawn last, most likely wrong).
            y = {n.id: n.pos[1] for n in self.g.nodes}
            cut = max(range(len(cycle)), key=lambda i: y[cycle[i]] - y[cycle[(i + 1) % len(cycle)]])
            cycle = cycle[cut + 1:] + cycle[:cut + 1]
            back = next((e for ports in wired[cycle[0]].values() for e in ports if e.src == cycle[-1]), None)
            path = " -> ".join([*cycle, cycle[0]])
            fix = Fix("remove_edge", f"remove the edge {back.label()}", _edge_args(back)) if back else None
            self.error(cycle[0], f"the graph has a cycle: {path}", fix, back)
            for nid in stuck:
                self.bad.add(nid)
                self.info[nid].error = self.info[nid].error or f"is part of or after the cycle {path}"
        return order

    # --- shapes --------------------------------------------------------------------------
    def infer(self, order: list[str], wired: dict[str, dict[str, list[Edge]]]) -> None:
        for nid in order:
            spec = self.specs[nid]
            info = self.info[nid]
            if nid in self.bad:
                continue
            inputs: dict[str, Any] = {}
            sources: dict[str, Any] = {}
            waiting = None
            for port in spec.inputs:
                edges = wired[nid].get(port, [])
                tensors = []
                for e in edges:
                    t = self.info[e.src].outputs.get(e.src_port)
                    if t is None:
                        waiting = e.src
                        break
                    tensors.append(t)
                if waiting:
                    break
                if port in spec.variadic:
                    inputs[port], sources[port] = tensors, edges
                else:
                    inputs[port] = tensors[0] if tensors else None
                    sources[port] = edges[0] if edges else None
            if waiting:
                # Name the node that is actually broken, not the nearest one waiting on it.
                root = self.blocked_by.get(waiting, waiting)
                self.blocked_by[nid] = root
                info.error = f"waits for {root}"
                continue
            ctx = RuleContext(nid, spec.name, info.config, inputs, sources)
            try:
                result: ShapeResult = spec.rule(ctx)  # type: ignore[misc]
            except ShapeError as exc:
                edge = sources.get("in") if isinstance(sources.get("in"), Edge) else None
                self.error(nid, exc.message, self._working_fix(spec, ctx, exc), edge)
                continue
            except Exception as exc:  # a plugin's rule must not take inference down
                self.error(nid, f"{spec.name} {nid}: shape rule failed ({type(exc).__name__}: {exc})")
                continue
            outs = result.out if isinstance(result.out, dict) else {spec.outputs[0] if spec.outputs else
                                                                    DEFAULT_OUTPUT_PORT: result.out}
            info.outputs = outs
            main = next(iter(outs.values()))
            info.output_shape = _shown(main)
            info.dtype = main.dtype
            info.params = int(result.params)
            info.flops = int(result.flops)
            info.activation_bytes = sum(t.numel() * DTYPE_BYTES.get(t.dtype, 4) for t in outs.values())
            info.derived = dict(result.derived)

    @staticmethod
    def _working_fix(spec: BlockSpec, ctx: RuleContext, exc: ShapeError) -> Fix | None:
        """The rule's fix, if it works: a parameter change on the node itself is tried on the spot
        (the rule run again with the new value) and dropped if the same error comes back. A button
        that "fixes" nothing is worse than none; a different error (the next of two steps) is fine."""
        fix = exc.fix
        if fix is None or fix.action != "set_param" or fix.args.get("node") != ctx.node_id:
            return fix
        ps = next((p for p in spec.params if p.name == fix.args.get("param")), None)
        if ps is None:
            return None
        try:
            trial = {**ctx.p, ps.name: ps.coerce(fix.args.get("value"))}
            spec.rule(RuleContext(ctx.node_id, ctx.block, trial, ctx.inputs, ctx.sources))  # type: ignore[misc]
        except ShapeError as again:
            return None if again.message == exc.message else fix
        except Exception:  # a value the parameter refuses, or a rule that breaks on it
            return None
        return fix

    # --- whole-graph checks --------------------------------------------------------------
    def check_roles(self, wired: dict[str, dict[str, list[Edge]]]) -> None:
        inputs = [nid for nid, s in self.specs.items() if s.name == "Input"]
        heads = [nid for nid, s in self.specs.items() if s.head]
        if not inputs:
            first = next((n.id for n in sorted(self.g.nodes, key=lambda n: n.pos[1])
                          if n.id in self.specs and self.specs[n.id].inputs
                          and not wired[n.id].get(self.specs[n.id].inputs[0])), None)
            fix = (Fix("add_node", f"add an Input before {first}", {"block": "Input", "params": {}, "before": first})
                   if first else None)
            self.error(first, "the graph has no Input", fix, mark=False)
        if not heads:
            feeds = {e.src for e in self.g.edges}
            last = [n.id for n in self.g.nodes if n.id in self.specs and self.specs[n.id].outputs and n.id not in feeds]
            fix = None
            if last:
                target = max(last, key=lambda nid: self.g.node(nid).pos[1])
                fix = Fix("add_node", f"add a ClassificationHead after {target}",
                          {"block": "ClassificationHead", "params": {}, "after": target})
            self.error(last[-1] if last else None, "the graph has no output head (a Head block marks what the "
                                                   "network predicts and its loss)", fix, mark=False)
        # Nodes that feed no head are dead weight; warn, since editing passes through such states.
        feeds_head: set[str] = set(heads)
        stack = list(heads)
        preds: dict[str, list[str]] = {}
        for nid, ports in wired.items():
            for edges in ports.values():
                for e in edges:
                    preds.setdefault(nid, []).append(e.src)
        while stack:
            for p in preds.get(stack.pop(), []):
                if p not in feeds_head:
                    feeds_head.add(p)
                    stack.append(p)
        if heads:
            self.warn_cut_off(feeds_head)
        for nid in self.specs:
            spec = self.specs[nid]
            if spec.name == "Softmax" and any(self.specs.get(e.dst) is not None and self.specs[e.dst].head == "classification"
                                              for e in self.g.outgoing(nid)):
                edge = self.g.incoming(nid)[0] if self.g.incoming(nid) else None
                self.warn(nid, f"Softmax {nid} feeds a classification head whose cross-entropy already "
                               f"applies softmax; training will be slow", Fix("remove_node", f"delete {nid} and "
                                                                               f"reconnect", {"node": nid}), edge)
            if spec.name in ("RNN", "LSTM", "GRU"):
                c = self.info[nid].config
                if c.get("dropout", 0) > 0 and c.get("num_layers", 1) == 1:
                    self.warn(nid, f"{spec.name} {nid}: dropout only acts between stacked layers; with one layer "
                                   f"it does nothing", set_param_fix(nid, "num_layers", 2))

    def check_networks(self) -> None:
        """A multi-network graph's nodes each in a declared network; a GAN's networks joined by one
        bridge (graph/networks.py). A shape error on the block the bridge feeds also says that it
        takes the generator's output, which is where the fix usually is."""
        for problem in network_problems(self.g):
            self.errors.append(GraphIssue(problem.node, None, problem.message, None, advice=problem.advice))
        gan = gan_structure(self.g)
        if gan is None:
            return
        dst = gan.bridge.dst
        for issue in self.errors:
            if issue.node == dst and "generator" not in issue.message:
                issue.message += f" (it takes the generator's output, {gan.output_node})"
                if self.info[dst].error is not None:
                    self.info[dst].error = issue.message

    def warn_cut_off(self, feeds_head: set[str]) -> None:
        """One warning per group of wired-together blocks that reach no head.

        Where an empty input elsewhere is waiting for this group (its error offers to connect the
        group's last block), the warning names that missing link and offers the same edit. Otherwise
        it says what to do in words: deleting blocks is never offered, since they are most often
        the user's network half-way through an edit."""
        edges = [e for e in self.g.edges if e.src in self.specs and e.dst in self.specs]
        cut_off = [n.id for n in self.g.nodes if n.id in self.specs and n.id not in feeds_head]
        links = {e.fix.args["src"]: e.fix for e in self.errors if e.fix is not None and e.fix.action == "add_edge"}
        for group in groups(cut_off, edges):
            ends = sinks(group, edges) or group[-1:]
            one = len(group) == 1
            who = f"{self.g.node(group[0]).block} {group[0]}" if one else name_list(group)
            verb = "does" if one else "do"
            link = next((links[end] for end in ends if end in links), None)
            if link is not None:
                src, dst = link.args["src"], link.args["dst"]
                self.warn(src, f"{who} {verb} not lead to any head: the link {src} -> {dst} is missing", link)
            else:
                end = ends[-1]
                self.warn(end, f"{who} {verb} not lead to any head, so {'it has' if one else 'they have'} no effect",
                          advice=f"wire {end}'s output on toward a head, or delete {'it' if one else 'them'} "
                                 f"if not needed")


def _edge_args(e: Edge) -> dict[str, Any]:
    return {"src": e.src, "src_port": e.src_port, "dst": e.dst, "dst_port": e.dst_port}


def _find_cycle(stuck: list[str], preds: dict[str, set[str]]) -> list[str]:
    """One cycle among the stuck nodes, in forward (data-flow) order."""
    stuck_set = set(stuck)
    start = stuck[0]
    path = [start]
    seen = {start: 0}
    cur = start
    while True:
        nxt = next(p for p in sorted(preds[cur]) if p in stuck_set)
        if nxt in seen:
            cycle = path[seen[nxt]:]
            return list(reversed(cycle))
        seen[nxt] = len(path)
        path.append(nxt)
        cur = nxt


def infer_graph(graph: Graph, machine: dict[str, Any] | None = None) -> GraphReport:
    """Validate `graph` and infer every node's output shape, parameters, FLOPs and activation size.

    `machine` ({"ram_bytes", "gpu_bytes", "gpu_name"}, default this one's, see graph/memory.py) is
    what a valid graph's memory needs are compared with."""
    c = _Checker(graph)
    c.check_nodes()
    wired = c.check_edges()
    order = c.topo_order(wired)
    c.infer(order, wired)
    c.check_roles(wired)
    c.check_networks()
    order = [nid for nid in order if nid not in c.bad]
    report = GraphReport(c.info, c.errors, c.warnings, order)
    if report.ok:
        report.warnings.extend(memory_issues(report, machine))  # arithmetic on the counts: nothing is allocated
    return report


__all__ = ["GraphIssue", "GraphReport", "NodeInfo", "Fix", "apply_fix", "infer_graph"]
