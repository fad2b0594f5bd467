"""Wires stay on their ports when blocks move for any reason: auto layout, a drag, undo, redo
(issue 20, item 4: on the U-Net they were left 15-80 px away after Auto layout)."""

from __future__ import annotations

from canvas_driver import drag
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtTest import QTest

SLACK = 1.5


def _misplaced(panel) -> list[str]:
    """Wires whose drawn ends are not on the ports they join, with how far off they are."""
    bad = []
    for edge, item in panel.scene.edges.items():
        path = item.path
        start, end = path.pointAtPercent(0.0), path.pointAtPercent(1.0)
        off_start = QLineF(start, item.src.scenePos()).length()
        off_end = QLineF(end, item.dst.scenePos()).length()
        if off_start > SLACK or off_end > SLACK:
            bad.append(f"{edge.src}->{edge.dst} off by {off_start:.0f} / {off_end:.0f} px")
    return bad


def test_wires_sit_on_their_ports_after_auto_layout_drag_and_undo(make_panel, qtbot):
    panel = make_panel("unet")
    assert _misplaced(panel) == []
    qtbot.mouseClick(panel.layout_button, Qt.MouseButton.LeftButton)
    assert panel.state.undo_stack.undoText() == "Auto layout", "the layout moved blocks"
    assert _misplaced(panel) == []

    # Drag a block of the decoder sideways with the mouse.
    item = panel.scene.nodes["dec2"]
    panel.view.centerOn(item)
    start = item.sceneBoundingRect().center() + QPointF(-40, 0)
    before = item.pos()
    drag(panel, start, start + QPointF(160, 30))
    assert item.pos() != before
    assert _misplaced(panel) == []

    panel.view.setFocus()
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the drag
    assert item.pos() == before
    assert _misplaced(panel) == []
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the layout
    assert _misplaced(panel) == []
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _misplaced(panel) == []


def test_every_template_keeps_its_wires_on_ports_after_auto_layout(make_panel):
    from studio.core.resources import TEMPLATES

    for path in sorted(TEMPLATES.glob("*.studio.json")):
        panel = make_panel(path.name.removesuffix(".studio.json"), size=(1280, 720))
        panel.layout_button.click()
        assert _misplaced(panel) == [], path.name
        panel.close()
