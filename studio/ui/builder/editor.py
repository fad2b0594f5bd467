"""Every edit the builder can make, as one undoable step each, plus the live shape report.

The canvas, the inspector, the palette, the problems list and the keyboard all edit through one
`GraphEditor`, so each edit is validated the same way and lands on the shared undo stack. After
any change of the project (an edit, undo, redo, opening a file) the editor re-runs shape
inference once and emits `report_changed`; views redraw from that single report.

In a graph of several networks every block the editor adds joins one: the block it is wired
after, else the network whose frame it lands in (the canvas's `network_at`), else
the nearest; `set_network` moves a block to another network, and so does `move` for a block
dragged into another network's frame.
"""

from __future__ import annotations

import copy
import json
import re
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Signal

from studio.core.errors import UserError
from studio.core.graph import groups as grouping
from studio.core.graph.fixes import Fix, apply_fix
from studio.core.graph.infer import GraphReport, infer_graph
from studio.core.graph.model import Edge, Graph, Node
from studio.core.graph.registry import get_block, has_block
from studio.core.train.freeze import upstream_of
from studio.ui.builder.canvas_style import NODE_H, ROW
from studio.ui.builder.commands import MERGE_PARAM, GraphCommand
from studio.ui.builder.layout import layout_with_groups

NODES_MIME = "application/x-studio-nodes"
PASTE_OFFSET = (40.0, 40.0)


def id_stem(text: str) -> str:
    """`MaxPool2d` -> `maxpool`, `conv12` -> `conv`: the prefix for a new node's id."""
    stem = re.sub(r"\d+d$", "", text) if text[:1].isupper() else re.sub(r"\d+$", "", text)
    stem = re.sub(r"[^0-9a-zA-Z_]", "_", stem).lower().strip("_") or "node"
    return stem if stem[0].isalpha() else "n" + stem


class GraphEditor(QObject):
    report_changed = Signal(object)
    """Emitted with the fresh `GraphReport` after every change of the project's graph."""

    def __init__(self, state, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.report: GraphReport = infer_graph(state.project.graph)
        self._network_at: weakref.WeakMethod | None = None
        state.project_replaced.connect(self.refresh)
        state.project_edited.connect(self._on_edited)

    def set_network_lookup(self, lookup: Callable[[float, float], tuple[str | None, bool]]) -> None:
        """The canvas's `network_at`: (x, y) of a block's centre -> (the network there or nearest,
        whether inside its frame). Held weakly: the canvas already holds the editor."""
        self._network_at = weakref.WeakMethod(lookup)

    # --- the report ----------------------------------------------------------------------
    @property
    def graph(self) -> Graph:
        return self.state.project.graph

    def _on_edited(self, what: str) -> None:
        if what == "graph":
            self.refresh()

    def refresh(self) -> None:
        self.report = infer_graph(self.graph)
        self.report_changed.emit(self.report)

    # --- the one way to change the graph -------------------------------------------------
    def _push(self, text: str, after: Graph, merge_key: tuple | None = None, merge_id: int = -1) -> bool:
        before = self.graph
        if after.to_dict() == before.to_dict():
            return False
        self.state.undo_stack.push(GraphCommand(self.state, text, before, after, merge_key, merge_id))
        return True

    # --- nodes ---------------------------------------------------------------------------
    def add_block(self, block: str, pos: tuple[float, float], after: str | None = None) -> str:
        """Add a block at `pos`; with `after`, wire that node's first output into it."""
        spec = get_block(block)
        g = self.graph.copy()
        node = Node(g.unique_id(id_stem(block)), block, {}, (float(pos[0]), float(pos[1])))
        wired = g.node(after).network if after and g.has_node(after) else None
        node.network = wired if self._declares(g, wired) else self._network_for(g, node.pos)
        g.add_node(node)
        if after and g.has_node(after) and spec.inputs:
            src_spec = get_block(g.node(after).block) if has_block(g.node(after).block) else None
            if src_spec and src_spec.outputs:
                g.connect(after, node.id, src_spec.outputs[0], spec.inputs[0])
        self._push(self.tr("Add {block}").format(block=block), g)
        return node.id

    @staticmethod
    def _declares(g: Graph, network: str | None) -> bool:
        return network is not None and any(net.id == network for net in g.networks)

    def _network_for(self, g: Graph, pos: tuple[float, float], wanted: str | None = None) -> str | None:
        """The network a block added at `pos` joins: the one whose frame holds it, else `wanted`
        (where it came from, if this graph declares it), else the nearest; None in a one-network graph."""
        if not g.networks:
            return None
        lookup = self._network_at() if self._network_at is not None else None
        found, inside = lookup(pos[0], pos[1] + NODE_H / 2) if lookup is not None else (None, False)
        if inside and self._declares(g, found):
            return found
        if self._declares(g, wanted):
            return wanted
        return found if self._declares(g, found) else g.networks[0].id

    def set_network(self, node_id: str, network_id: str) -> bool:
        """Move a block to another network, one undoable step; it goes under that network's lowest
        block, so each frame keeps to its own blocks (its wires stay as they are)."""
        if not self.graph.has_node(node_id) or not self._declares(self.graph, network_id):
            return False
        g = self.graph.copy()
        node = g.node(node_id)
        if node.network == network_id:
            return False
        members = [n for n in g.nodes if n.network == network_id and n.id != node_id]
        if members:
            low = max(members, key=lambda n: (n.pos[1], -n.pos[0]))
            node.pos = (low.pos[0], low.pos[1] + ROW)
        node.network = network_id
        title = g.network(network_id).title
        return self._push(self.tr("Move {id} to {network}").format(id=node_id, network=title), g)

    def delete(self, node_ids: list[str] = (), edges: list[Edge] = ()) -> bool:
        g = self.graph.copy()
        for e in edges:
            g.disconnect(e)
        for nid in node_ids:
            g.remove_node(nid)
        grouping.prune(g)
        n = len(node_ids)
        text = (self.tr("Delete {id}").format(id=node_ids[0]) if n == 1 else
                self.tr("Delete {n} blocks").format(n=n) if n else self.tr("Delete connection"))
        return self._push(text, g)

    def move(self, positions: dict[str, tuple[float, float]], networks: dict[str, str] | None = None,
             groups: dict[str, tuple[float, float]] | None = None) -> bool:
        """Move blocks; `networks` (node id -> network id) also moves some of them into another
        network (a block dragged into another network's frame), in the same undo step; `groups`
        (group id -> where its box goes) moves collapsed groups with all their blocks."""
        g = self.graph.copy()
        for nid, pos in positions.items():
            if g.has_node(nid):
                g.node(nid).pos = (float(pos[0]), float(pos[1]))
        for gid, pos in (groups or {}).items():
            group = grouping.find(g, gid)
            if group is not None and group.collapsed:
                grouping.move_collapsed(g, group, pos)
        joined = {nid: net for nid, net in (networks or {}).items()
                  if g.has_node(nid) and self._declares(g, net) and g.node(nid).network != net}
        for nid, net in joined.items():
            g.node(nid).network = net
        text = self.tr("Move")
        if joined:
            title = g.network(next(iter(joined.values()))).title
            text = (self.tr("Move {id} to {network}").format(id=next(iter(joined)), network=title) if len(joined) == 1
                    else self.tr("Move {n} blocks to {network}").format(n=len(joined), network=title)
                    if len(set(joined.values())) == 1 else self.tr("Move {n} blocks").format(n=len(joined)))
        return self._push(text, g)

    def set_frozen(self, node_ids: list[str] | str, frozen: bool) -> bool:
        """Freeze or unfreeze blocks (transfer learning: their weights do not train), one undoable step."""
        ids = [node_ids] if isinstance(node_ids, str) else list(node_ids)
        g = self.graph.copy()
        for nid in ids:
            if g.has_node(nid):
                g.node(nid).frozen = bool(frozen)
        if len(ids) == 1:
            text = (self.tr("Freeze {id}") if frozen else self.tr("Unfreeze {id}")).format(id=ids[0])
        else:
            text = (self.tr("Freeze {n} blocks") if frozen else self.tr("Unfreeze {n} blocks")).format(n=len(ids))
        return self._push(text, g)

    def freeze_up_to(self, node_id: str) -> bool:
        """Freeze `node_id` and every block that feeds it (Inputs aside), one undoable step."""
        if not self.graph.has_node(node_id):
            return False
        g = self.graph.copy()
        for nid in upstream_of(g, node_id):
            g.node(nid).frozen = True
        return self._push(self.tr("Freeze everything up to {id}").format(id=node_id), g)

    def set_param(self, node_id: str, name: str, value: Any) -> bool:
        """Set one parameter; successive values for the same parameter merge into one undo step."""
        g = self.graph.copy()
        node = g.node(node_id)
        node.params[name] = copy.deepcopy(list(value) if isinstance(value, tuple) else value)
        return self._push(self.tr("Set {param} of {id}").format(param=name, id=node_id), g,
                          ("param", node_id, name), MERGE_PARAM)

    def rename(self, node_id: str, new_id: str) -> str | None:
        """Rename a node (its wires follow); returns why not, or None when done."""
        new_id = new_id.strip()
        if new_id == node_id:
            return None
        if not new_id.isidentifier():
            return self.tr("an id uses letters, digits and _ and does not start with a digit")
        if self.graph.has_node(new_id):
            return self.tr("{id} is already taken").format(id=new_id)
        g = apply_fix(self.graph, Fix("rename_node", "", {"node": node_id, "new_id": new_id}))
        grouping.rename_member(g, node_id, new_id)
        self._push(self.tr("Rename {old} to {new}").format(old=node_id, new=new_id), g)
        return None

    # --- edges ---------------------------------------------------------------------------
    def connect_problem(self, src: str, src_port: str, dst: str, dst_port: str) -> str | None:
        """Why this wire cannot be drawn (None when it can): same node, taken port, cycle."""
        g = self.graph
        if src == dst:
            return self.tr("a block cannot feed itself")
        if not (g.has_node(src) and g.has_node(dst)) or not has_block(g.node(dst).block):
            return self.tr("unknown block")
        spec = get_block(g.node(dst).block)
        if dst_port not in spec.inputs:
            return self.tr("{id} has no input {port}").format(id=dst, port=dst_port)
        if Edge(src, dst, src_port, dst_port) in g.edges:
            return self.tr("already connected")
        if self._reaches(dst, src):
            return self.tr("that wire would make a cycle")
        if dst_port not in spec.variadic and any(e.dst == dst and e.dst_port == dst_port for e in g.edges):
            return self.tr("input {port} of {id} is already connected").format(port=dst_port, id=dst)
        return None

    def _reaches(self, start: str, goal: str) -> bool:
        succs: dict[str, list[str]] = {}
        for e in self.graph.edges:
            succs.setdefault(e.src, []).append(e.dst)
        stack, seen = [start], {start}
        while stack:
            nid = stack.pop()
            if nid == goal:
                return True
            for s in succs.get(nid, []):
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return False

    def connect(self, src: str, src_port: str, dst: str, dst_port: str) -> bool:
        if self.connect_problem(src, src_port, dst, dst_port):
            return False
        g = self.graph.copy()
        g.connect(src, dst, src_port, dst_port)
        return self._push(self.tr("Connect {src} to {dst}").format(src=src, dst=dst), g)

    # --- fixes and layout ----------------------------------------------------------------
    def apply_fix(self, fix: Fix) -> str | None:
        """Apply a fix the core suggested; returns why it could not be applied, or None."""
        try:
            g = apply_fix(self.graph, fix)
        except UserError as exc:
            return exc.one_line() if hasattr(exc, "one_line") else str(exc)
        self._push(fix.description[:1].upper() + fix.description[1:], g)
        return None

    def auto_layout(self) -> bool:
        """Lay out what the canvas shows: a collapsed group is one block (its blocks move with it)."""
        positions = layout_with_groups(self.graph)
        g = self.graph.copy()
        for n in g.nodes:
            n.pos = positions[n.id]
        return self._push(self.tr("Auto layout"), g)

    # --- groups (a view: the graph's blocks and wires stay as they are) -------------------
    def collapse_into_group(self, node_ids: list[str], label: str = "") -> str | None:
        """Make a group of the blocks and fold it into one box, one undoable step; returns its id."""
        ids = [nid for nid in node_ids if self.graph.has_node(nid)]
        if len(ids) < 2:
            return None
        g = self.graph.copy()
        group = grouping.add_group(g, ids, label)
        grouping.collapse(g, group)
        self._push(self.tr("Collapse {name}").format(name=group.title), g)
        return group.id

    def collapse_groups(self, group_ids: list[str]) -> bool:
        """Fold groups (expanded) into their boxes, one undoable step; a graph with no groups yet
        takes its stages as groups first (`suggest_stages`), so a stage collapses by its id."""
        g = self.graph.copy()
        if not g.groups:
            g.groups = grouping.suggest_stages(g)
        done = [group.title for gid in group_ids if (group := grouping.find(g, gid)) and grouping.collapse(g, group)]
        return bool(done) and self._push(self._group_text(True, done), g)

    def expand_groups(self, group_ids: list[str]) -> bool:
        """Unfold collapsed groups (their blocks come back where they were), one undoable step."""
        g = self.graph.copy()
        # Bottom-up, so each one's height moves down what lies below it, the lower groups included.
        chosen = [grouping.find(g, gid) for gid in group_ids]
        chosen = sorted((c for c in chosen if c is not None and c.collapsed),
                        key=lambda c: -grouping.anchor(g, c)[1])
        done = [group.title for group in chosen if grouping.expand(g, group)]
        return bool(done) and self._push(self._group_text(False, done), g)

    def collapse_stages(self) -> bool:
        """Fold every stage of an imported model (layer1, features.3, ...) into its box and lay out
        what is left to see, one undoable step; the stages are found from the node ids when the
        graph has no groups yet. (An import's bands of layers side by side would leave the boxes
        scattered; laid out, resnet18 reads as one column of 13, and each stage expands tidy.)"""
        g = self.graph.copy()
        if not g.groups:
            g.groups = grouping.suggest_stages(g)
        # Bottom-up, like expand_groups: each one moves up what lies below it.
        todo = sorted((grp for grp in g.groups if not grp.collapsed), key=lambda grp: -grouping.anchor(g, grp)[1])
        done = [grp.title for grp in todo if grouping.collapse(g, grp)]
        if not done:
            return False
        for nid, pos in layout_with_groups(g).items():
            g.node(nid).pos = pos
        return self._push(self._group_text(True, done), g)

    def expand_all(self) -> bool:
        return self.expand_groups([grp.id for grp in self.graph.groups if grp.collapsed])

    def _group_text(self, collapse: bool, titles: list[str]) -> str:
        if len(titles) == 1:
            return (self.tr("Collapse {name}") if collapse else self.tr("Expand {name}")).format(name=titles[0])
        return (self.tr("Collapse {n} groups") if collapse else self.tr("Expand {n} groups")).format(n=len(titles))

    # --- copy and paste ------------------------------------------------------------------
    def payload(self, node_ids: list[str]) -> dict[str, Any]:
        """The selected nodes and the wires among them, as plain data."""
        chosen = set(node_ids)
        return {"nodes": [n.to_dict() for n in self.graph.nodes if n.id in chosen],
                "edges": [e.to_dict() for e in self.graph.edges if e.src in chosen and e.dst in chosen]}

    def mime_data(self, node_ids: list[str]) -> QMimeData:
        text = json.dumps(self.payload(node_ids), indent=1)
        mime = QMimeData()
        mime.setData(NODES_MIME, text.encode("utf-8"))
        mime.setText(text)
        return mime

    @staticmethod
    def payload_from_mime(mime: QMimeData | None) -> dict[str, Any] | None:
        if mime is None or not mime.hasFormat(NODES_MIME):
            return None
        try:
            data = json.loads(bytes(mime.data(NODES_MIME)).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("nodes") else None

    def paste(self, payload: dict[str, Any], offset: tuple[float, float] = PASTE_OFFSET) -> list[str]:
        """Add copies of the payload's nodes (fresh ids, shifted by `offset`); returns the new ids."""
        g = self.graph.copy()
        renamed: dict[str, str] = {}
        new_ids = []
        for data in payload.get("nodes", []):
            node = Node.from_dict(data)
            renamed[node.id] = g.unique_id(id_stem(node.id))
            node.id = renamed[node.id]
            node.pos = (node.pos[0] + offset[0], node.pos[1] + offset[1])
            node.network = self._network_for(g, node.pos, node.network)
            g.add_node(node)
            new_ids.append(node.id)
        for data in payload.get("edges", []):
            e = Edge.from_dict(data)
            if e.src in renamed and e.dst in renamed:
                g.connect(renamed[e.src], renamed[e.dst], e.src_port, e.dst_port)
        n = len(new_ids)
        self._push(self.tr("Paste {id}").format(id=new_ids[0]) if n == 1 else self.tr("Paste {n} blocks").format(n=n), g)
        return new_ids

    def duplicate(self, node_ids: list[str]) -> list[str]:
        return self.paste(self.payload(node_ids)) if node_ids else []
