"""The canvas view: wheel zoom around the cursor, pan, fit (F), rubber band, keyboard, drops.

Pan with the middle mouse button, with Space + drag, or with the scroll bars; a left drag on
empty canvas draws a rubber band. Blocks dropped from the palette land under the cursor. The
right-click menu folds blocks into a group and opens groups again (studio/core/graph/groups.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QTransform
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView, QMenu

from studio.core.graph import groups as grouping
from studio.ui import theme
from studio.ui.builder.editor import GraphEditor
from studio.ui.builder.items import GroupItem, NodeItem
from studio.ui.builder.palette import BLOCK_MIME
from studio.ui.builder.scene import GraphScene

MIN_ZOOM = 0.05
MAX_ZOOM = 3.0
FIT_MAX_ZOOM = 1.25
FIT_MARGIN = 30.0
"""Scene units of canvas kept around the blocks by Fit, so the outer ports and labels show."""


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)
    message = Signal(str)

    def __init__(self, scene: GraphScene, editor: GraphEditor, parent=None):
        super().__init__(scene, parent)
        self.editor = editor
        self.setObjectName("builderCanvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # set_zoom anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._panning: QPointF | None = None
        self._space = False
        self._keep_fitted = False
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.actionTriggered.connect(self._user_scrolled)
        self.update_scene_rect()

    # --- zoom and pan --------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to `factor` keeping the scene point at viewport point `anchor` (default: the centre) in place.

        Done by hand rather than with Qt's AnchorUnderMouse, which reads the global cursor and the
        last mouse move instead of the wheel event's position, so the graph drifted off-centre.
        """
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        if abs(factor / self.zoom() - 1) < 1e-6:
            return
        self._keep_fitted = False
        self._zoom_to(factor, QPointF(self.viewport().rect().center()) if anchor is None else QPointF(anchor))
        self.zoom_changed.emit(self.zoom())

    def _zoom_to(self, factor: float, anchor: QPointF) -> None:
        pinned = self.viewportTransform().inverted()[0].map(anchor)
        self.setTransform(QTransform.fromScale(factor, factor))
        self.update_scene_rect()
        self._move_to(pinned, anchor)

    def _move_to(self, scene_pos: QPointF, viewport_pos: QPointF) -> None:
        """Scroll so that `scene_pos` is drawn at `viewport_pos`."""
        off = self.viewportTransform().map(scene_pos) - viewport_pos
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(off.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(off.y()))

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # Shift + wheel scrolls sideways, like elsewhere
            return
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.set_zoom(self.zoom() * (1.0015 ** delta), event.position())
        event.accept()

    def update_scene_rect(self) -> None:
        """Room to pan around the content, so the edge of the graph can reach the middle.

        The rect is kept larger than what the viewport shows at the present zoom (and always holds
        what it shows now): a scene rect smaller than the viewport is centred by Qt, which would
        override both the zoom anchor and Fit's centring.
        """
        content = self.scene().content_rect()
        if content.isEmpty():
            content = QRectF(-400, -300, 800, 600)
        zoom = max(self.zoom(), MIN_ZOOM)
        pad = max(content.width(), content.height(), 1200,
                  self.viewport().width() / zoom, self.viewport().height() / zoom)
        rect = content.adjusted(-pad, -pad, pad, pad)
        rect = rect.united(self.mapToScene(self.viewport().rect()).boundingRect())
        self.setSceneRect(rect)

    def fit(self) -> None:
        """Show every block (F), centred; never zooms in past a comfortable reading size.

        Until the user zooms or pans, the view stays fitted when the window is resized.
        """
        content = self.scene().content_rect()
        if content.isEmpty():
            self.centerOn(0, 0)
            return
        target = content.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        vp = self.viewport().rect()
        factor = min(vp.width() / target.width(), vp.height() / target.height(), FIT_MAX_ZOOM)
        factor = max(MIN_ZOOM, factor)
        self.setTransform(QTransform.fromScale(factor, factor))
        self.update_scene_rect()
        self._move_to(content.center(), QPointF(vp.center()))
        self._keep_fitted = True
        self.zoom_changed.emit(self.zoom())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.update_scene_rect()
        if self._keep_fitted:
            self.fit()

    def _user_scrolled(self, _action: int) -> None:
        self._keep_fitted = False

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._panning = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self._keep_fitted = False
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._panning is not None:
            self._panning = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- keyboard ------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        scene: GraphScene = self.scene()
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if key == Qt.Key.Key_Escape and scene.wiring is not None:
            scene.cancel_wire()
            return
        if key == Qt.Key.Key_D and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            # Checked before Delete: on X11 Qt's standard Delete binding also includes Ctrl+D.
            self.duplicate()
        elif event.matches(QKeySequence.StandardKey.Delete) or key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            for item in (*scene.nodes.values(), *scene.groups.values()):
                item.setSelected(True)
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.matches(QKeySequence.StandardKey.Cut):
            self.copy_selection()
            self.delete_selection()
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.editor.state.undo_stack.undo()  # reached only when no window-wide Undo took the key
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.editor.state.undo_stack.redo()
        elif key == Qt.Key.Key_F and not event.modifiers():
            self.fit()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self.zoom() * 1.25)
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self.zoom() / 1.25)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    # --- edit actions --------------------------------------------------------------------
    def delete_selection(self) -> bool:
        scene: GraphScene = self.scene()
        return self.editor.delete(scene.selected_ids(), scene.selected_edges())

    def copy_selection(self) -> bool:
        ids = self.scene().selected_ids()
        if not ids:
            return False
        QApplication.clipboard().setMimeData(self.editor.mime_data(ids))
        return True

    def paste(self) -> list[str]:
        payload = GraphEditor.payload_from_mime(QApplication.clipboard().mimeData())
        if not payload:
            return []
        new = self.editor.paste(payload)
        self.scene().select_ids(new)
        return new

    def duplicate(self) -> list[str]:
        new = self.editor.duplicate(self.scene().selected_ids())
        self.scene().select_ids(new)
        return new

    # --- groups (the right-click menu) ---------------------------------------------------
    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(self.mapToScene(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())
        event.accept()

    def context_menu(self, scene_pos: QPointF) -> QMenu:
        """The right-click menu at `scene_pos`; right-clicking an unselected block selects it first."""
        scene: GraphScene = self.scene()
        hit = next((i for i in scene.items(scene_pos) if isinstance(i, NodeItem)), None)
        if hit is not None and not hit.isSelected():
            scene.clearSelection()
            hit.setSelected(True)
        menu = QMenu(self)
        blocks = [i.node_id for i in scene.selectedItems() if isinstance(i, NodeItem) and not isinstance(i, GroupItem)]
        picked = scene.selected_groups()
        graph = self.editor.graph
        if len(blocks) >= 2:
            menu.addAction(self.tr("Collapse into group"), self.collapse_selection)
        stages = graph.groups or grouping.suggest_stages(graph)  # an import's stages, offered as they are
        titles = {g.id: g.title for g in stages}
        owners = {nid: g.id for g in reversed(stages) for nid in g.nodes}
        open_groups = list(dict.fromkeys(owners[nid] for nid in blocks if nid in owners))
        for gid in open_groups[:3]:
            menu.addAction(self.tr("Collapse {name}").format(name=titles[gid]),
                           lambda gid=gid: self.editor.collapse_groups([gid]))
        if picked:
            menu.addAction(self.tr("Expand group") if len(picked) == 1 else self.tr("Expand groups"),
                           lambda: self.editor.expand_groups(picked))
        if not menu.isEmpty():
            menu.addSeparator()
        if any(not g.collapsed for g in stages):
            menu.addAction(self.tr("Collapse every stage"), self.editor.collapse_stages)
        if any(g.collapsed for g in graph.groups):
            menu.addAction(self.tr("Expand every group"), self.editor.expand_all)
        return menu

    def collapse_selection(self) -> str | None:
        """Fold the selected blocks into one group; returns its id."""
        gid = self.editor.collapse_into_group(self.scene().selected_ids())
        if gid is not None and gid in self.scene().groups:
            self.scene().clearSelection()
            self.scene().groups[gid].setSelected(True)
        return gid

    # --- drops from the palette -----------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(BLOCK_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(BLOCK_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(BLOCK_MIME):
            super().dropEvent(event)
            return
        block = bytes(mime.data(BLOCK_MIME)).decode("utf-8")
        pos = self.scene().drop_position(self.mapToScene(event.position().toPoint()))
        nid = self.editor.add_block(block, pos)
        self.scene().select_ids([nid])
        event.acceptProposedAction()
        self.setFocus()

    # --- theme ---------------------------------------------------------------------------
    def _follow_theme(self) -> None:
        if self.scene() is not None and self.scene().pal.name != theme.current_theme():
            self.scene().reload_theme()

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.ApplicationPaletteChange):
            # The theme module records its new name after Qt has announced the change: look later.
            QTimer.singleShot(0, self, self._follow_theme)
        super().changeEvent(event)
