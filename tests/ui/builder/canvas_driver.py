"""Real mouse and drag-and-drop events on the builder's canvas, addressed in scene coordinates."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def viewport_point(panel, scene_pos: QPointF) -> QPoint:
    return panel.view.mapFromScene(scene_pos)


def center_on(panel, scene_pos: QPointF) -> QPoint:
    panel.view.centerOn(scene_pos)
    QApplication.processEvents()
    return viewport_point(panel, scene_pos)


def click_node(panel, node_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    item = panel.scene.nodes[node_id]
    point = center_on(panel, item.sceneBoundingRect().center())
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, point)


def drag(panel, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """Press at scene point `start`, move in steps, release at `end` (real mouse events)."""
    viewport = panel.view.viewport()
    a, b = viewport_point(panel, start), viewport_point(panel, end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        p = a + (b - a) * (i / steps)
        QTest.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def drop_block(panel, block: str, scene_pos: QPointF) -> None:
    """Drop what the palette's drag carries for `block` on the canvas at `scene_pos`."""
    item = panel.palette.items[block]
    mime: QMimeData = panel.palette.tree.mimeData([item])
    viewport = panel.view.viewport()
    point = QPointF(viewport_point(panel, scene_pos))
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted(), "the canvas accepts a block dragged from the palette"
    QApplication.sendEvent(viewport, QDragMoveEvent(point.toPoint(), actions, mime, buttons, mods))
    drop = QDropEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()


def delete_wire(panel, src: str, dst: str) -> None:
    """Click the wire src -> dst on the canvas and press Delete."""
    edge, item = next((e, i) for e, i in panel.scene.edges.items() if e.src == src and e.dst == dst)
    middle = item.mapToScene(item.path.pointAtPercent(0.5))
    panel.view.centerOn(middle)
    QApplication.processEvents()
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     viewport_point(panel, middle))
    assert panel.scene.selected_edges() == [edge], f"the click selects the wire {src} -> {dst}"
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Delete)
    assert edge not in panel.state.project.graph.edges
