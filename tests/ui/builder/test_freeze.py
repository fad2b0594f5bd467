"""Freeze / unfreeze from the inspector (issue 15, transfer learning): the Frozen check box and
"Freeze up to here" change the node, are drawn on the canvas (hatched, with a padlock), and each is
one undo step."""

from __future__ import annotations

from canvas_driver import click_node
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def _inked(panel, node_id: str, corner: bool) -> int:
    """Pixels of the shown canvas darker than the block's fill: in its top-right corner (where the
    padlock goes), or in the empty right part of its first line (where only the hatching draws)."""
    box = panel.scene.nodes[node_id].box()
    area = (QRectF(box.right() - 14, box.top() + 2, 12, 16) if corner else
            QRectF(box.right() - 60, box.top() + 4, 40, 16))
    view = panel.view
    view.ensureVisible(box, 10, 10)
    _settle()
    shown = view.viewport().grab().toImage()
    rect = view.mapFromScene(area).boundingRect()
    fill = panel.scene.pal.node.lightness()
    return sum(QColor(shown.pixel(x, y)).lightness() < fill - 25
               for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom()))


def test_frozen_and_freeze_up_to_here_change_the_node_the_drawing_and_undo_one_step_each(make_panel):
    panel = make_panel()
    graph, inspector, stack = panel.state.project.graph, panel.inspector, panel.state.undo_stack
    click_node(panel, "conv2")
    _settle()
    assert inspector.freeze_row.isVisible() and not inspector.frozen_check.isChecked()
    plain_corner, plain_middle = _inked(panel, "conv2", True), _inked(panel, "conv2", False)

    inspector.frozen_check.click()
    _settle()
    assert graph.node("conv2").frozen and panel.scene.nodes["conv2"].frozen
    assert _inked(panel, "conv2", True) > plain_corner + 8, "a frozen block shows a padlock"
    assert _inked(panel, "conv2", False) > plain_middle + 8, "and is hatched"
    assert stack.undoText() == "Freeze conv2"
    stack.undo()
    _settle()
    assert not graph.node("conv2").frozen and not panel.scene.nodes["conv2"].frozen
    assert not inspector.frozen_check.isChecked()
    assert _inked(panel, "conv2", True) == plain_corner

    click_node(panel, "pool1")
    _settle()
    inspector.freeze_up_button.click()
    _settle()
    frozen = [n.id for n in graph.nodes if n.frozen]
    assert frozen == ["conv1", "relu1", "conv2", "relu2", "pool1"], frozen  # the Input has no weights
    assert inspector.frozen_check.isChecked()
    assert all(panel.scene.nodes[n].frozen for n in frozen) and not panel.scene.nodes["fc1"].frozen
    assert stack.undoText() == "Freeze everything up to pool1"
    stack.undo()
    _settle()
    assert not any(n.frozen for n in graph.nodes) and not any(item.frozen for item in panel.scene.nodes.values())
    click_node(panel, "input")
    _settle()
    assert not inspector.freeze_row.isVisible()
