"""The canvas scene: keeps one item per node and per edge in step with the graph and its report.

`sync` is incremental: items of unchanged nodes are kept (so the selection and the view stay
put), new nodes get items, removed ones lose theirs. The scene also runs the wiring gesture:
press on an output port, drag, release on an input port (or anywhere on a block that has a free
compatible input); only compatible ports light up while dragging.

A graph that declares several networks (a GAN's generator and discriminator) gets one frame per
network behind its blocks, kept around them as they move; a wire from one network into another
(the bridge that carries the generator's fake image) is drawn in the generator's colour and
labelled with what it carries. `network_at` tells the editor which network a new block joins; a
block dragged into another network's frame joins that network when it is dropped.

A collapsed group (studio/core/graph/groups.py) is drawn as one `GroupItem` instead of its blocks:
the wires inside it are not drawn, and a wire between a block outside and one inside ends on the
group's port for that tensor. Selecting the group selects its blocks for Delete, Copy and the like.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QGraphicsScene

from studio.core.graph import groups as grouping
from studio.core.graph.blocks_opaque import is_opaque, ports_of
from studio.core.graph.infer import GraphReport
from studio.core.graph.registry import get_block, has_block
from studio.ui.builder.canvas_style import (
    FRAME_BOTTOM,
    FRAME_PAD,
    FRAME_TOP,
    GRID,
    NODE_H,
    Palette,
    network_color,
    node_fonts,
)
from studio.ui.builder.items import EdgeItem, GroupItem, NetworkFrameItem, NodeItem, PortItem, group_tip
from studio.ui.common.style import format_count, format_shape

SCENE_MARGIN = 2000.0


class GraphScene(QGraphicsScene):
    node_activated = Signal(str)
    """A block was double-clicked (the inspector takes focus)."""
    wire_refused = Signal(str)
    """A wire was dropped where it cannot go; carries the reason for the status line."""

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.pal = Palette()
        self.fonts = node_fonts(QApplication.font())
        self.snap = False
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[object, EdgeItem] = {}
        self.frames: dict[str, NetworkFrameItem] = {}
        """One frame per declared network, by network id (none in a one-network graph)."""
        self.groups: dict[str, GroupItem] = {}
        """One box per collapsed group, by group id; the blocks it stands for have no item."""
        self.hidden: dict[str, str] = {}
        """node id -> the collapsed group that stands for it (as of the last sync)."""
        self.wiring: PortItem | None = None
        self._wire_preview: QGraphicsPathItem | None = None
        self._targets: list[PortItem] = []
        self._press_positions: dict[str, QPointF] = {}
        self._press_groups: dict[str, QPointF] = {}
        self._places: dict[str, tuple[float, float, float]] = {}
        self._boxes: list[tuple[float, float, float, float]] | None = None
        """The blocks' boxes while every wire is routed again in one go (see `block_boxes`)."""
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        editor.set_network_lookup(self.network_at)
        self.sync(editor.report)

    # --- keeping items in step with the graph --------------------------------------------
    def sync(self, report: GraphReport) -> None:
        graph = self.editor.graph
        self.hidden = grouping.hidden_by(graph)
        wanted = {n.id: n for n in graph.nodes if n.id not in self.hidden}
        for nid in [nid for nid, item in self.nodes.items()
                    if nid not in wanted or item.block != wanted[nid].block]:
            self._remove_node(nid)
        issues_by_node: dict[str, list] = {}
        for issue in report.errors:
            if issue.node:
                issues_by_node.setdefault(issue.node, []).append(issue)
        warnings = {w.node: w.message for w in report.warnings if w.node}
        for node in graph.nodes:
            if node.id in self.hidden:
                continue
            item = self.nodes.get(node.id)
            if item is None:
                item = self._add_node(node)
            pos = QPointF(node.pos[0], node.pos[1])
            if item.pos() != pos:
                # Moved without geometry notifications (no snapping, no per-move wire updates):
                # the wires are redrawn once below, after every block has moved.
                item.setFlag(item.GraphicsItemFlag.ItemSendsGeometryChanges, False)
                item.setPos(pos)
                item.setFlag(item.GraphicsItemFlag.ItemSendsGeometryChanges, True)
            item.network = node.network
            item.set_frozen(node.frozen)
            info = report.nodes.get(node.id)
            shape = format_shape(info.output_shape) if info else "—"
            params = (format_count(info.params) + " " + self.tr("params")) if info and info.params else ""
            error = None
            if node.id in issues_by_node:
                error = issues_by_node[node.id][0].message
            elif info is not None and info.error:
                error = info.error
            item.set_info(shape, params, error, warnings.get(node.id))
        self._sync_groups(report)
        self._boxes = self._measure_boxes()  # every block is in place now; the wires route around them
        try:
            fresh = self._sync_edges(report)
            self._sync_frames()
            places = {nid: (item.pos().x(), item.pos().y(), item.rect.width()) for nid, item in self.nodes.items()}
            places.update({"\u29c9" + gid: (item.pos().x(), item.pos().y(), item.rect.width())
                           for gid, item in self.groups.items()})
            if places != self._places:
                # Blocks came, went, moved or widened (a layout, an undo, a committed drag): a wire may
                # now run through a block it used to pass, so every wire picks its route again, once
                # (those made just now already did).
                self._places = places
                for edge, edge_item in self.edges.items():
                    if edge not in fresh:
                        edge_item.update_path()
        finally:
            self._boxes = None

    def _add_node(self, node) -> NodeItem:
        if has_block(node.block):
            spec = get_block(node.block)
            category, inputs, outputs = spec.category, spec.inputs, spec.outputs
            if is_opaque(node.block):  # an import's Module block: only the ports it uses
                inputs, outputs = ports_of(node.params)
        else:
            category, inputs, outputs = "", ("in",), ("out",)
        item = NodeItem(self, node.id, node.block, category, inputs, outputs)
        self.addItem(item)
        self.nodes[node.id] = item
        return item

    def _remove_node(self, nid: str) -> None:
        item = self.nodes.pop(nid)
        for edge_item in list(item.edges):
            self._remove_edge(edge_item.edge)
        self.removeItem(item)

    def block_boxes(self) -> list[tuple[float, float, float, float]]:
        """(left, top, right, bottom) of every block and group box drawn, for the wires' lanes."""
        return self._boxes if self._boxes is not None else self._measure_boxes()

    def _measure_boxes(self) -> list[tuple[float, float, float, float]]:
        return [r.getCoords() for r in (item.box() for item in (*self.nodes.values(), *self.groups.values()))]

    # --- collapsed groups --------------------------------------------------------------
    def _sync_groups(self, report: GraphReport) -> None:
        """One box per collapsed group, its ports the tensors crossing its edge, its texts from the report."""
        graph = self.editor.graph
        wanted = {}
        for group in graph.groups:
            ids = grouping.members(graph, group)
            if group.collapsed and ids:
                wanted[group.id] = (group, ids, grouping.boundary(graph, ids))
        for gid in list(self.groups):
            item = self.groups[gid]
            entry = wanted.get(gid)
            ports = None if entry is None else (tuple(_port(*p) for p in entry[2].inputs),
                                                tuple(_port(*p) for p in entry[2].outputs))
            if entry is None or ports != item.port_names or item.node_id != entry[0].title:
                self._remove_group(gid)
        for gid, (group, ids, edge) in wanted.items():
            item = self.groups.get(gid)
            if item is None:
                item = GroupItem(self, gid, group.title, tuple(_port(*p) for p in edge.inputs),
                                 tuple(_port(*p) for p in edge.outputs))
                self.addItem(item)
                self.groups[gid] = item
            x, y = grouping.anchor(graph, group)
            if item.pos() != QPointF(x, y):
                item.setFlag(item.GraphicsItemFlag.ItemSendsGeometryChanges, False)
                item.setPos(QPointF(x, y))
                item.setFlag(item.GraphicsItemFlag.ItemSendsGeometryChanges, True)
            item.network = graph.node(ids[0]).network
            inputs = ", ".join(_tensor(report, *p) for p in edge.inputs) or "—"
            outputs = ", ".join(_tensor(report, *p) for p in edge.outputs) or "—"
            total = sum(info.params for nid in ids if (info := report.nodes.get(nid)) is not None)
            params = (format_count(total) + " " + self.tr("params")) if total else ""
            inside = set(ids)
            problems = [f"{i.node}: {i.message}" for i in report.errors if i.node in inside]
            count = self.tr("{n} blocks").format(n=len(ids))
            item.set_group_info(count, f"{inputs} → {outputs}", params, problems[0] if problems else None,
                                group_tip(group.title, count, inputs, outputs))

    def _remove_group(self, gid: str) -> None:
        item = self.groups.pop(gid)
        for edge_item in list(item.edges):
            self._remove_edge(edge_item.edge)
        self.removeItem(item)

    def _ends(self, e) -> tuple[PortItem, PortItem] | None:
        """The ports a wire is drawn between: a block's, or the port of the collapsed group standing
        for it (by the tensor it carries); None for a wire inside one group or one that cannot be drawn."""
        src_group, dst_group = self.hidden.get(e.src), self.hidden.get(e.dst)
        if src_group is not None and src_group == dst_group:
            return None
        tensor = _port(e.src, e.src_port)
        src = self.groups.get(src_group) if src_group else self.nodes.get(e.src)
        dst = self.groups.get(dst_group) if dst_group else self.nodes.get(e.dst)
        if src is None or dst is None:
            return None
        out = src.outputs.get(tensor if src_group else e.src_port)
        into = dst.inputs.get(tensor if dst_group else e.dst_port)
        return None if out is None or into is None else (out, into)

    def _remove_edge(self, edge) -> None:
        item = self.edges.pop(edge, None)
        if item is not None:
            item.detach()
            self.removeItem(item)

    def _sync_edges(self, report: GraphReport) -> set:
        """Wires in step with the graph; returns the edges that got a new wire (routed already)."""
        graph = self.editor.graph
        drawable = {}
        for e in graph.edges:
            ends = self._ends(e)
            if ends is not None:
                drawable[e] = ends
        for e in [e for e, item in self.edges.items() if drawable.get(e) != (item.src, item.dst)]:
            self._remove_edge(e)
        edge_errors = {issue.edge: issue.message for issue in report.errors if issue.edge is not None}
        network_of = {n.id: n.network for n in graph.nodes}
        roles = {net.id: net.role for net in graph.networks}
        labelled: set[tuple[str, str]] = set()
        fresh = set()
        for e in drawable:
            item = self.edges.get(e)
            if item is None:
                item = EdgeItem(self, e, *drawable[e])
                self.addItem(item)
                self.edges[e] = item
                fresh.add(e)
            info = report.nodes.get(e.src)
            tensor = info.outputs.get(e.src_port) if info else None
            label = tensor.shown() if tensor is not None else ""
            # Wires leaving one port carry the same tensor: label it once, next to the port.
            first = (e.src, e.src_port) not in labelled
            labelled.add((e.src, e.src_port))
            src_net, dst_net = network_of.get(e.src), network_of.get(e.dst)
            bridge = None
            if src_net in roles and dst_net in roles and src_net != dst_net:
                bridge = self._network_color(src_net)
                first = True  # each wire between networks says what it carries
                if roles[src_net] == "generator" and roles[dst_net] == "discriminator":
                    fake = self.tr("fake image")
                    label = f"{fake} · {label}" if label else fake
            if not item.set_info(label, first, edge_errors.get(e), bridge) and e in fresh:
                item.update_path()  # again, now that it can see the blocks to route around
        return fresh

    # --- networks ----------------------------------------------------------------------
    def _network_color(self, network_id: str):
        nets = self.editor.graph.networks
        index = next((i for i, net in enumerate(nets) if net.id == network_id), 0)
        return network_color(nets[index].role if nets else "", index, self.pal.dark)

    def _sync_frames(self) -> None:
        graph = self.editor.graph
        wanted = {net.id: net for net in graph.networks}
        for nid in [nid for nid in self.frames if nid not in wanted]:
            self.removeItem(self.frames.pop(nid))
        for net in graph.networks:
            color = self._network_color(net.id)
            frame = self.frames.get(net.id)
            if frame is None:
                frame = NetworkFrameItem(self, net.id, net.title, color)
                self.addItem(frame)
                self.frames[net.id] = frame
            elif frame.title != net.title or frame.color != color:
                frame.set_look(net.title, color)
        self.update_frames()

    def _frame_rects(self, leave_out=(), pending: bool = True) -> dict[str, QRectF]:
        """Each network's frame around its blocks but those in `leave_out`; with `pending`, a block
        being dragged into another network's frame counts in that network already."""
        boxes: dict[str, QRectF] = {}
        for nid, item in self.nodes.items():
            network = (item.drop_network or item.network) if pending else item.network
            if network in self.frames and nid not in leave_out:
                box = item.box()
                boxes[network] = boxes[network].united(box) if network in boxes else box
        return {net: box.adjusted(-FRAME_PAD, -FRAME_TOP, FRAME_PAD, FRAME_BOTTOM) for net, box in boxes.items()}

    def update_frames(self) -> None:
        """Fit each network's frame around its blocks (after a sync, and while blocks are dragged)."""
        if not self.frames:
            return
        rects = self._frame_rects()
        for nid, frame in self.frames.items():
            rect = rects.get(nid)
            frame.setVisible(rect is not None)
            frame.set_rect(rect if rect is not None else QRectF())

    def _drop_networks(self, moving: list[str]) -> dict[str, str]:
        """Where blocks being dragged would join another network: each one whose centre lies in
        another network's frame (as that frame is without the dragged blocks; the smallest, where
        frames overlap) -> that network. A block in its own frame or outside every frame keeps its own."""
        rects = self._frame_rects(leave_out=set(moving), pending=False)
        found = {}
        for nid in moving:
            item = self.nodes[nid]
            if item.network not in self.frames:
                continue
            centre = item.box().center()
            inside = [(r.width() * r.height(), net) for net, r in rects.items() if r.contains(centre)]
            if inside and min(inside)[1] != item.network:
                found[nid] = min(inside)[1]
        return found

    def _show_drop_networks(self, found: dict[str, str]) -> None:
        """Preview a drag between networks: the frames fit as they will after the drop, and the
        frame that takes a block is drawn stronger."""
        changed = False
        for nid, item in self.nodes.items():
            wanted = found.get(nid)
            if item.drop_network != wanted:
                item.drop_network = wanted
                changed = True
        if changed:
            self.update_frames()
        receiving = set(found.values())
        for net, frame in self.frames.items():
            frame.set_receiving(net in receiving)

    def network_at(self, x: float, y: float) -> tuple[str | None, bool]:
        """The network a block centred at (x, y) joins, and whether that point is inside its frame:
        the frame it is in (the smallest, where frames overlap), else the nearest frame, else the
        first declared network; (None, False) in a one-network graph."""
        nets = self.editor.graph.networks
        if not nets:
            return None, False
        shown = [(nid, f.rect) for nid, f in self.frames.items() if f.isVisible() and not f.rect.isEmpty()]
        inside = [(r.width() * r.height(), nid) for nid, r in shown if r.contains(QPointF(x, y))]
        if inside:
            return min(inside)[1], True
        if not shown:
            return nets[0].id, False

        def distance(r: QRectF) -> float:
            return math.hypot(max(r.left() - x, 0.0, x - r.right()), max(r.top() - y, 0.0, y - r.bottom()))

        return min(shown, key=lambda pair: distance(pair[1]))[0], False

    def reload_theme(self) -> None:
        self.pal.reload()
        self.fonts = node_fonts(QApplication.font())
        for item in self.nodes.values():
            item.fonts = self.fonts
            item.refresh_theme()
        for item in self.edges.values():
            item.fonts = self.fonts
            item.update()
        for frame in self.frames.values():
            frame.fonts = self.fonts
        for gid in list(self.groups):  # made again, in the new look
            self._remove_group(gid)
        self.sync(self.editor.report)
        self.update()

    # --- queries -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """The selected blocks, in graph order; a selected collapsed group counts as all its blocks."""
        order = {n.id: i for i, n in enumerate(self.editor.graph.nodes)}
        ids = [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem) and not isinstance(i, GroupItem)]
        chosen = set(self.selected_groups())
        ids += [nid for nid, gid in self.hidden.items() if gid in chosen]
        return sorted(ids, key=lambda nid: order.get(nid, 0))

    def selected_groups(self) -> list[str]:
        """The ids of the selected collapsed groups."""
        return [i.group_id for i in self.selectedItems() if isinstance(i, GroupItem)]

    def selected_edges(self) -> list:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_ids(self, ids) -> None:
        """Select these blocks; one inside a collapsed group selects the group's box."""
        wanted = set(ids)
        self.clearSelection()
        for nid in wanted:
            if nid in self.nodes:
                self.nodes[nid].setSelected(True)
            elif self.hidden.get(nid) in self.groups:
                self.groups[self.hidden[nid]].setSelected(True)

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        for item in self.groups.values():
            rect = rect.united(item.sceneBoundingRect())
        for frame in self.frames.values():
            if frame.isVisible() and not frame.rect.isEmpty():
                rect = rect.united(frame.sceneBoundingRect())
        return rect

    def drop_position(self, scene_pos: QPointF) -> tuple[float, float]:
        """Where a block dropped at `scene_pos` goes: centred on the cursor, snapped if asked."""
        x, y = scene_pos.x(), scene_pos.y() - NODE_H / 2
        if self.snap:
            x, y = round(x / GRID) * GRID, round(y / GRID) * GRID
        return (float(round(x)), float(round(y)))

    # --- wiring --------------------------------------------------------------------------
    def begin_wire(self, port: PortItem, scene_pos: QPointF) -> None:
        self.wiring = port
        src = port.node.node_id
        self._targets = []
        for item in self.nodes.values():
            for p in item.inputs.values():
                ok = self.editor.connect_problem(src, port.name, item.node_id, p.name) is None
                p.highlight = ok
                if ok:
                    self._targets.append(p)
                p.update()
        self._wire_preview = QGraphicsPathItem()
        pen = QPen(self.pal.accent, 2.0, Qt.PenStyle.DashLine)
        self._wire_preview.setPen(pen)
        self._wire_preview.setZValue(3)
        self.addItem(self._wire_preview)
        self.update_wire(scene_pos)

    def _target_at(self, scene_pos: QPointF) -> PortItem | None:
        """The compatible input under the cursor: a port within reach, else a free one of the block."""
        best, best_d = None, None
        for p in self._targets:
            d = QLineF(p.scenePos(), scene_pos).length()
            if d <= 18 and (best_d is None or d < best_d):
                best, best_d = p, d
        if best is not None:
            return best
        for item in self.items(scene_pos):
            if isinstance(item, NodeItem):
                for p in item.inputs.values():
                    if p in self._targets:
                        return p
        return None

    def update_wire(self, scene_pos: QPointF) -> None:
        if self.wiring is None or self._wire_preview is None:
            return
        target = self._target_at(scene_pos)
        end = target.scenePos() if target is not None else scene_pos
        start = self.wiring.scenePos()
        path = QPainterPath(start)
        bend = max(abs(end.y() - start.y()) * 0.5, 30.0)
        path.cubicTo(QPointF(start.x(), start.y() + bend), QPointF(end.x(), end.y() - bend), end)
        self._wire_preview.setPath(path)

    def end_wire(self, scene_pos: QPointF) -> None:
        port = self.wiring
        target = self._target_at(scene_pos)
        self.cancel_wire()
        if port is None:
            return
        if target is None:
            for item in self.items(scene_pos):
                if isinstance(item, (NodeItem, PortItem)):
                    node = item if isinstance(item, NodeItem) else item.node
                    if isinstance(node, GroupItem):
                        self.wire_refused.emit(self.tr("expand {name} to wire into its blocks").format(name=node.node_id))
                        break
                    dst_port = next(iter(node.inputs), None)
                    reason = (self.editor.connect_problem(port.node.node_id, port.name, node.node_id, dst_port)
                              if dst_port else self.tr("{id} takes no input").format(id=node.node_id))
                    if reason:
                        self.wire_refused.emit(reason)
                    break
            return
        self.editor.connect(port.node.node_id, port.name, target.node.node_id, target.name)

    def cancel_wire(self) -> None:
        for p in self._targets:
            p.highlight = False
            p.update()
        self._targets = []
        if self._wire_preview is not None:
            self.removeItem(self._wire_preview)
            self._wire_preview = None
        self.wiring = None

    # --- moving --------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        self._press_positions = {i.node_id: i.pos() for i in self.nodes.values() if i.isSelected()}
        self._press_groups = {gid: i.pos() for gid, i in self.groups.items() if i.isSelected()}

    def _moved(self) -> dict[str, tuple[float, float]]:
        """The blocks the press picked up that have moved since, and where they are now."""
        moved = {}
        for nid, before in self._press_positions.items():
            item = self.nodes.get(nid)
            if item is not None and item.pos() != before:
                moved[nid] = (float(round(item.pos().x())), float(round(item.pos().y())))
        return moved

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if self.frames and self._press_positions and self.wiring is None:
            self._show_drop_networks(self._drop_networks(list(self._moved())))

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        moved = self._moved()
        groups = {gid: (float(round(i.pos().x())), float(round(i.pos().y())))
                  for gid, before in self._press_groups.items()
                  if (i := self.groups.get(gid)) is not None and i.pos() != before}
        networks = self._drop_networks(list(moved)) if self.frames and moved else {}
        self._press_positions = {}
        self._press_groups = {}
        self._show_drop_networks({})
        if moved or groups:
            self.editor.move(moved, networks, groups)

    # --- background ----------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.pal.background)
        views = self.views()
        scale = views[0].transform().m11() if views else 1.0
        step = GRID * 3 if self.snap else GRID * 6
        while step * scale < 14:
            step *= 2
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        lines = []
        x = left
        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.setPen(QPen(self.pal.grid, 0))
        painter.drawLines(lines)


def _port(node_id: str, port: str) -> str:
    """A collapsed group's port name for the tensor `node_id.port` crossing its edge."""
    return f"{node_id}.{port}"


def _tensor(report: GraphReport, node_id: str, port: str) -> str:
    """The shape of the tensor `node_id.port`, as the canvas writes shapes ("—" when unknown)."""
    info = report.nodes.get(node_id)
    tensor = info.outputs.get(port) if info is not None else None
    return format_shape(tensor.shape) if tensor is not None else "—"
