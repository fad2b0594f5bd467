"""The things drawn on the canvas: blocks (nodes), their ports, and the wires (edges) between them.

Items paint from strings prepared when the shape report changes (`NodeItem.set_info`,
`EdgeItem.set_info`), never computing anything in `paint`, so panning a 200-node graph only
blits. Data flows down: inputs sit on a block's top edge, outputs on its bottom edge.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from studio.core.graph.blocks_opaque import is_opaque
from studio.ui.builder.canvas_style import (
    FRAME_RADIUS,
    FROZEN_HATCH_ALPHA,
    GRID,
    NODE_H,
    NODE_W,
    PARAMS_GAP,
    PORT_HIT_R,
    PORT_R,
    TEXT_LEFT,
    TEXT_RIGHT,
    TITLE_GAP,
    category_color,
    lock_glyph,
    node_width,
)

Flag = QGraphicsItem.GraphicsItemFlag
Change = QGraphicsItem.GraphicsItemChange
LABEL_PAD = 4.0
WIRE_EXIT = 30.0
"""How far a wire runs straight down from an output before turning: past the shape label under it."""
WIRE_ENTRY = 14.0
"""How far a wire runs straight down into an input: the arrowhead sits on this stretch."""
LANE_GAP = 16.0
"""Distance of a wire's vertical lane from the blocks it goes round."""


class PortItem(QGraphicsItem):
    """An input (top) or output (bottom) of a block; outputs start wires, inputs receive them."""

    def __init__(self, node: NodeItem, name: str, is_output: bool, x: float):
        super().__init__(node)
        self.node = node
        self.name = name
        self.is_output = is_output
        self.highlight = False
        self.setPos(x, NODE_H if is_output else 0.0)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)
        kind = "output" if is_output else "input"
        self.setToolTip(f"{node.node_id}.{name} ({kind})")

    def boundingRect(self) -> QRectF:
        r = PORT_HIT_R + 1
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), PORT_HIT_R, PORT_HIT_R)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = self.node.pal
        color = self.node.color
        r = PORT_R + (2.5 if self.highlight else 0)
        painter.setPen(QPen(pal.accent if self.highlight else color, 2.0))
        painter.setBrush(color if self.is_output else pal.node)
        painter.drawEllipse(QPointF(0, 0), r, r)

    def mousePressEvent(self, event) -> None:
        if (event.button() == Qt.MouseButton.LeftButton and self.is_output and self.scene() is not None
                and not isinstance(self.node, GroupItem)):  # a wire starts at a block, not at a group's edge
            self.scene().begin_wire(self, event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self.scene() is not None and self.scene().wiring:
            self.scene().update_wire(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.scene() is not None and self.scene().wiring:
            self.scene().end_wire(event.scenePos())
            return
        super().mouseReleaseEvent(event)


class NodeItem(QGraphicsItem):
    """One block: category stripe, id and block type, then output shape and parameter count.

    Its position is the top-centre of the box, which is what `Node.pos` stores. The box is as wide
    as its texts need (at least NODE_W), growing about its centre, so nothing is elided.
    """

    RECT = QRectF(-NODE_W / 2, 0, NODE_W, NODE_H)
    """The box of a block whose texts fit the standard width."""

    def __init__(self, scene, node_id: str, block: str, category: str, inputs: tuple[str, ...],
                 outputs: tuple[str, ...]):
        super().__init__()
        self.node_id = node_id
        self.block = block
        self.category = category
        self.pal = scene.pal
        self.fonts = scene.fonts
        self.color = category_color(category, self.pal.dark)
        self.edges: list[EdgeItem] = []
        self.network: str | None = None
        """The id of the network the block belongs to (None in a one-network graph)."""
        self.drop_network: str | None = None
        """While the block is dragged into another network's frame: that network (it joins it on release)."""
        self.title = self.kind = self.detail = self.params_text = ""
        self.rect = QRectF(self.RECT)
        self.fields: list[tuple[str, int, QRectF, Qt.AlignmentFlag]] = []
        """What is painted as text: (text, font index into `fonts`, room in item coordinates, alignment)."""
        self.error: str | None = None
        self.warning: str | None = None
        self.frozen = False
        """Transfer learning: the block's weights do not train (drawn hatched, with a padlock)."""
        self.setFlags(Flag.ItemIsSelectable | Flag.ItemIsMovable | Flag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.inputs = {name: PortItem(self, name, False, _spread(i, len(inputs))) for i, name in enumerate(inputs)}
        self.outputs = {name: PortItem(self, name, True, _spread(i, len(outputs))) for i, name in enumerate(outputs)}

    # --- content -------------------------------------------------------------------------
    def set_info(self, shape: str, params: str, error: str | None, warning: str | None) -> None:
        key = (shape, params, error, warning, id(self.fonts), self.pal.name)
        if key == getattr(self, "_shown", None):
            return  # unchanged: skip the text measuring (most nodes, on most edits)
        self._shown = key
        self.error, self.warning = error, warning
        self.params_text = params
        width = node_width(self.fonts, self.node_id, self.block, shape if not error else "", params)
        if width != self.rect.width():
            self.prepareGeometryChange()
            self.rect = QRectF(-width / 2, 0, width, NODE_H)
        self._lay_out_texts(error or shape)
        tip = [f"<b>{self.node_id}</b> — {self.block}", f"output {shape}"] + ([params] if params else [])
        if error:
            tip.append(f"<span style='color:{self.pal.danger.name()}'>{_html(error)}</span>")
        if warning:
            tip.append(_html(warning))
        self.setToolTip("<br>".join(tip))
        self.update()

    def set_frozen(self, frozen: bool) -> None:
        if bool(frozen) != self.frozen:
            self.frozen = bool(frozen)
            self.update()

    def _lay_out_texts(self, detail: str) -> None:
        """Place the four texts in the box; only past MAX_NODE_W (or for an error) is any elided."""
        title_font, detail_font, _ = self.fonts
        fm_title, fm_detail = QFontMetricsF(title_font), QFontMetricsF(detail_font)
        r = self.rect
        left, right = r.left() + TEXT_LEFT, r.right() - TEXT_RIGHT
        inner = right - left
        left_v = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right_v = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        kind_w = fm_detail.horizontalAdvance(self.block)
        self.title = fm_title.elidedText(self.node_id, Qt.TextElideMode.ElideRight,
                                         max(inner - TITLE_GAP - min(kind_w, inner / 2), inner / 2))
        title_w = fm_title.horizontalAdvance(self.title)
        kind_room = inner - title_w - TITLE_GAP
        self.kind = fm_detail.elidedText(self.block, Qt.TextElideMode.ElideRight, kind_room)
        params_w = fm_detail.horizontalAdvance(self.params_text) if self.params_text else 0.0
        detail_room = inner - (params_w + PARAMS_GAP if self.params_text else 0.0)
        self.detail = fm_detail.elidedText(detail, Qt.TextElideMode.ElideRight, detail_room)
        top, bottom = r.top() + 6, r.top() + 28
        self.fields = [(self.title, 0, QRectF(left, top, title_w + 1, 20), left_v),
                       (self.kind, 1, QRectF(left + title_w + TITLE_GAP, top, kind_room, 20), left_v),
                       (self.detail, 1, QRectF(left, bottom, detail_room, 20), left_v)]
        if self.params_text:
            self.fields.append((self.params_text, 1, QRectF(right - params_w - 1, bottom, params_w + 1, 20), right_v))

    def refresh_theme(self) -> None:
        self.color = category_color(self.category, self.pal.dark)
        self.update()
        for port in (*self.inputs.values(), *self.outputs.values()):
            port.update()

    # --- geometry ------------------------------------------------------------------------
    def box(self) -> QRectF:
        """The block's box in scene coordinates (what wires route around)."""
        return self.rect.translated(self.pos())

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect, 7, 7)
        return path

    def itemChange(self, change, value):
        if change == Change.ItemPositionChange and self.scene() is not None and self.scene().snap:
            return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == Change.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
            if self.network is not None and self.scene() is not None:
                self.scene().update_frames()  # its network's frame follows it
        # Not super().itemChange: PySide6 mis-counts references to None on that path.
        return value

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = self.pal
        r = self.rect
        selected = self.isSelected()
        border = pal.danger if self.error else pal.accent if selected else pal.node_border
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        opaque = is_opaque(self.block)  # an imported Module block: dashed, apart from native blocks
        pen = QPen(border, 2.2 if (selected or self.error) else 1.6 if opaque else 1.2)
        if opaque:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = QColor(pal.node)
        if self.error:
            fill = QColor(pal.danger)
            fill.setAlpha(28)
            painter.setBrush(pal.node)
            painter.drawRoundedRect(r, 7, 7)
        painter.setBrush(fill)
        painter.drawRoundedRect(r, 7, 7)
        if self.frozen:  # frozen weights: hatched, and a padlock in the top-right corner
            hatch = QColor(pal.muted)
            hatch.setAlpha(FROZEN_HATCH_ALPHA)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(r, 7, 7)
            body, shackle = lock_glyph(r.right(), r.top())
            painter.setBrush(pal.muted)
            painter.drawPath(body)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(pal.muted, 1.4))
            painter.drawPath(shackle)
        # Category stripe down the left side.
        stripe = QPainterPath()
        stripe.addRoundedRect(QRectF(r.left() + 1, r.top() + 1, 8, r.height() - 2), 6, 6)
        stripe_clip = QPainterPath()
        stripe_clip.addRect(QRectF(r.left() + 1, r.top() + 1, 6, r.height() - 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color)
        painter.drawPath(stripe.intersected(stripe_clip))

        colours = [pal.text, pal.muted, pal.danger if self.error else pal.text, pal.muted]
        for (text, font, room, align), colour in zip(self.fields, colours, strict=False):  # params optional
            painter.setFont(self.fonts[font])
            painter.setPen(colour)
            painter.drawText(room, align, text)
        if self.warning and not self.error:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.warning)
            painter.drawEllipse(QPointF(r.right() - 9, r.top() + (27 if self.frozen else 9)), 3.5, 3.5)

    # --- input ---------------------------------------------------------------------------
    def mouseDoubleClickEvent(self, event) -> None:
        if self.scene() is not None:
            self.scene().node_activated.emit(self.node_id)
        super().mouseDoubleClickEvent(event)


class GroupItem(NodeItem):
    """A collapsed group (studio/core/graph/groups.py): one box standing for its blocks, drawn as a
    stack of cards. First line: the group's name and how many blocks it holds; second line: the
    shapes going in and coming out, and its parameter count. One input port per tensor coming in
    from outside and one output port per tensor going out, so the outside wires end on it.
    Moving it moves its blocks; double-clicking it expands it."""

    STACK = 5.0
    """How far the card behind the box shows, right and down."""

    def __init__(self, scene, group_id: str, title: str, inputs: tuple[str, ...], outputs: tuple[str, ...]):
        super().__init__(scene, title, "", "", inputs, outputs)
        self.group_id = group_id
        self.color = QColor(self.pal.accent)
        self.port_names = (inputs, outputs)

    def set_group_info(self, count: str, shapes: str, params: str, error: str | None, tip: str) -> None:
        if count != self.block:
            self.block = count
            self._shown = None  # the first line changed: measure again
        self.set_info(shapes, params, error, None)
        self.setToolTip(tip)

    def refresh_theme(self) -> None:
        super().refresh_theme()
        self.color = QColor(self.pal.accent)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-3, -3, 3 + self.STACK, 3 + self.STACK)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.pal.node_border, 1.2))
        painter.setBrush(self.pal.node)
        painter.drawRoundedRect(self.rect.translated(self.STACK, self.STACK), 7, 7)
        super().paint(painter, option, widget)

    def mouseDoubleClickEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None:  # later: expanding removes this item, which is inside its own event now
            gid = self.group_id
            QTimer.singleShot(0, scene, lambda: scene.editor.expand_groups([gid]))
        event.accept()


def group_tip(title: str, count: str, inputs: str, outputs: str) -> str:
    """The tooltip of a collapsed group: what it is, what goes in and out, how to open it."""
    return "<br>".join([f"<b>{_html(title)}</b> — {_html(count)}",
                        QCoreApplication.translate("GroupItem", "in: {shapes}").format(shapes=_html(inputs)),
                        QCoreApplication.translate("GroupItem", "out: {shapes}").format(shapes=_html(outputs)),
                        QCoreApplication.translate("GroupItem", "Double-click to expand")])


class EdgeItem(QGraphicsItem):
    """A wire from an output port down to an input port, labelled with the tensor it carries."""

    def __init__(self, scene, edge, src: PortItem, dst: PortItem):
        super().__init__()
        self.edge = edge
        self.src = src
        self.dst = dst
        self.pal = scene.pal
        self.fonts = scene.fonts
        self.label = ""
        self.show_label = True
        self.error: str | None = None
        self.bridge: QColor | None = None
        """Set on a wire from one network into another (a GAN's fake image): the colour it is drawn in."""
        self.path = QPainterPath()
        self._hit = QPainterPath()
        self._label_rect = QRectF()
        self._arrow = QPolygonF()
        self._bounds = QRectF()
        self.setFlags(Flag.ItemIsSelectable)
        self.setZValue(0)
        self.setAcceptHoverEvents(True)
        src.node.edges.append(self)
        dst.node.edges.append(self)
        self.update_path()

    def detach(self) -> None:
        for node in (self.src.node, self.dst.node):
            if self in node.edges:
                node.edges.remove(self)

    def set_info(self, label: str, show_label: bool, error: str | None, bridge: QColor | None = None) -> bool:
        """Show what the wire carries; returns whether that changed (and so the wire was routed again)."""
        if ((label, show_label, error, bridge) == (self.label, self.show_label, self.error, self.bridge)
                and not self.path.isEmpty()):
            return False
        self.label, self.show_label, self.error, self.bridge = label, show_label, error, bridge
        tip = f"{self.edge.label()}  {label}"
        self.setToolTip(tip + (f"\n{error}" if error else ""))
        self.update_path()
        return True

    def update_path(self) -> None:
        p1 = self.src.scenePos()
        p2 = self.dst.scenePos()
        path = self._route(p1, p2)
        self.prepareGeometryChange()
        self.path = path
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        self._hit = stroker.createStroke(path)
        self._arrow = QPolygonF([p2 + QPointF(0, -PORT_R), p2 + QPointF(-4.5, -PORT_R - 8),
                                 p2 + QPointF(4.5, -PORT_R - 8)])
        if self.show_label and self.label:
            fm = QFontMetricsF(self.fonts[1] if self.bridge is not None else self.fonts[2])
            w = fm.horizontalAdvance(self.label) + 2 * LABEL_PAD
            h = fm.height() + 2
            self._label_rect = QRectF(p1.x() + 7, p1.y() + PORT_R + 3, w, h)
        else:
            self._label_rect = QRectF()
        self._bounds = path.boundingRect().adjusted(-8, -8, 8, 8).united(self._label_rect)
        self.update()

    # --- routing -----------------------------------------------------------------------
    def _route(self, p1: QPointF, p2: QPointF) -> QPainterPath:
        """The wire's path: the first candidate that passes through no block, else the one through fewest.

        A wire leaves its output downwards and enters its input from above. Down the canvas the
        plain S-curve is tried first; then routes along a vertical lane (under the source, over
        the target, between the two, or beside the blocks in the way) with rounded corners, the
        horizontal runs kept in the gaps under the source and over the target.
        """
        candidates: list[QPainterPath] = []
        if p2.y() - p1.y() > 2 * WIRE_ENTRY:
            candidates.append(_s_curve(p1, p2))
        for lane in self._lanes(p1, p2):
            candidates.append(_lane_route(p1, p2, lane))
        if len(candidates) == 1 or self.scene() is None:
            return candidates[0]
        best, fewest = candidates[0], None
        for path in candidates:
            n = self._crossings(path)
            if n == 0:
                return path
            if fewest is None or n < fewest:
                best, fewest = path, n
        return best

    def _lanes(self, p1: QPointF, p2: QPointF) -> list[float]:
        a, b = self.src.node.box(), self.dst.node.box()
        lanes = []
        if p2.y() - p1.y() > WIRE_EXIT + WIRE_ENTRY:
            lanes += [p1.x(), p2.x()]  # down, then across over the target / across, then down
        if a.right() + 2 * LANE_GAP < b.left() or b.right() + 2 * LANE_GAP < a.left():
            lanes.append((p1.x() + p2.x()) / 2)  # in the gap between the two columns
        lanes += [max(a.right(), b.right()) + LANE_GAP, min(a.left(), b.left()) - LANE_GAP]
        scene = self.scene()
        if scene is not None:
            top, bottom = min(p1.y(), p2.y()), max(p1.y(), p2.y())
            boxes = scene.block_boxes() if hasattr(scene, "block_boxes") else []
            between = [r for r in boxes if r[3] > top and r[1] < bottom]
            if between:
                lanes += [max(r[2] for r in between) + LANE_GAP, min(r[0] for r in between) - LANE_GAP]
        return lanes

    def _crossings(self, path: QPainterPath) -> int:
        """How many blocks (the wire's own included, bar its ports) the path runs through."""
        stroker = QPainterPathStroker()
        stroker.setWidth(2)
        stroke = stroker.createStroke(path)
        n = 0
        for item in self.scene().items(stroke.boundingRect()):
            if isinstance(item, NodeItem) and stroke.intersects(item.box().adjusted(3, 3, -3, -3)):
                n += 1
        return n

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._hit

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = self.pal
        color = pal.danger if self.error else pal.accent if self.isSelected() else \
            self.bridge if self.bridge is not None else pal.edge
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        wide = self.isSelected() or self.error or self.bridge is not None
        painter.setPen(QPen(color, 2.6 if wide else 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(self._arrow)
        if not self._label_rect.isEmpty():
            painter.setBrush(QBrush(pal.label_bg))
            if self.bridge is not None:  # the fake image's label: framed in the wire's colour, larger
                painter.setPen(QPen(color, 1.2))
            painter.drawRoundedRect(self._label_rect, 4, 4)
            painter.setFont(self.fonts[1] if self.bridge is not None else self.fonts[2])
            painter.setPen(pal.danger if self.error else color if self.bridge is not None else pal.muted)
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)


class NetworkFrameItem(QGraphicsItem):
    """One network of a multi-network graph: a rounded, translucent frame behind its blocks, its
    label in the top-left corner. The scene sets its rect from the blocks' boxes whenever they
    move; it takes no mouse buttons, so a drag on it still draws a rubber band."""

    def __init__(self, scene, network_id: str, title: str, color: QColor):
        super().__init__()
        self.network_id = network_id
        self.title = title
        self.color = color
        self.pal = scene.pal
        self.fonts = scene.fonts
        self.rect = QRectF()
        self.receiving = False
        """Whether a block dragged from another network would join this one if dropped now."""
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_look(self, title: str, color: QColor) -> None:
        self.title, self.color = title, color
        self.update()

    def set_receiving(self, receiving: bool) -> None:
        if receiving != self.receiving:
            self.receiving = receiving
            self.update()

    def set_rect(self, rect: QRectF) -> None:
        if rect == self.rect:
            return
        self.prepareGeometryChange()
        self.rect = QRectF(rect)
        self.update()

    def label_rect(self) -> QRectF:
        """Where the label is drawn, in scene coordinates."""
        fm = QFontMetricsF(self.fonts[0])
        return QRectF(self.rect.left() + 14, self.rect.top() + 9, fm.horizontalAdvance(self.title) + 2, fm.height())

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if self.rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self.color)
        fill.setAlpha((34 if self.pal.dark else 22) * (2 if self.receiving else 1))
        border = QColor(self.color)
        border.setAlpha(255 if self.receiving else 170 if self.pal.dark else 150)
        painter.setPen(QPen(border, 3.0 if self.receiving else 1.6))
        painter.setBrush(fill)
        painter.drawRoundedRect(self.rect, FRAME_RADIUS, FRAME_RADIUS)
        painter.setFont(self.fonts[0])
        painter.setPen(self.color if self.pal.dark else self.color.darker(125))
        painter.drawText(self.label_rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)


def _s_curve(p1: QPointF, p2: QPointF) -> QPainterPath:
    path = QPainterPath(p1)
    bend = max((p2.y() - p1.y()) * 0.5, 24.0)
    path.cubicTo(QPointF(p1.x(), p1.y() + bend), QPointF(p2.x(), p2.y() - bend), p2)
    return path


def _lane_route(p1: QPointF, p2: QPointF, lane: float) -> QPainterPath:
    """Down from `p1` to below its label, across to `lane`, along it, across over `p2`, down into it."""
    below, above = p1.y() + WIRE_EXIT, p2.y() - WIRE_ENTRY
    return _rounded([p1, QPointF(p1.x(), below), QPointF(lane, below), QPointF(lane, above),
                     QPointF(p2.x(), above), p2])


def _rounded(points: list[QPointF], radius: float = 10.0) -> QPainterPath:
    """A polyline through `points` with its corners rounded (repeated and collinear points skipped)."""
    pts = [points[0]]
    for p in points[1:]:
        if QLineF(pts[-1], p).length() > 0.01:
            pts.append(p)
    path = QPainterPath(pts[0])
    for i in range(1, len(pts) - 1):
        prev, here, nxt = pts[i - 1], pts[i], pts[i + 1]
        d_in, d_out = QLineF(prev, here), QLineF(here, nxt)
        r = min(radius, d_in.length() / 2, d_out.length() / 2)
        a = here - (here - prev) * (r / d_in.length())
        b = here + (nxt - here) * (r / d_out.length())
        path.lineTo(a)
        path.quadTo(here, b)
    path.lineTo(pts[-1])
    return path


def _spread(i: int, n: int) -> float:
    """x of the i-th of n ports along a block's edge: centred, evenly spaced."""
    if n <= 1:
        return 0.0
    span = NODE_W * 0.6
    return -span / 2 + span * i / (n - 1)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
