"""Blocks the studio places (a fix's inserted Flatten, a block added below the selection, a paste)
land on free canvas, the Summary lists blocks in data-flow order, and wires run around blocks,
never through them (issue 20, item 6)."""

from __future__ import annotations

import itertools

from canvas_driver import click_node, drag
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest

from studio.core.resources import TEMPLATES

TEMPLATE_NAMES = sorted(p.name.removesuffix(".studio.json") for p in TEMPLATES.glob("*.studio.json"))
MNIST_ORDER = ["input", "conv1", "relu1", "conv2", "relu2", "pool1", "drop1", "flatten1", "fc1", "relu3",
               "drop2", "fc2", "head"]


def _box(item) -> QRectF:
    return item.mapRectToScene(item.shape().boundingRect())


def overlapping_blocks(panel) -> list[tuple[str, str]]:
    boxes = [(nid, _box(item)) for nid, item in panel.scene.nodes.items()]
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(boxes, 2) if ra.intersects(rb)]


def wires_through_blocks(panel) -> list[str]:
    """Wires whose drawn path passes through a block's box (its own blocks included, bar the ports)."""
    found = []
    for edge, item in panel.scene.edges.items():
        points = [item.path.pointAtPercent(t / 200) for t in range(201)]
        for nid, node in panel.scene.nodes.items():
            box = _box(node).adjusted(3, 3, -3, -3)
            if any(box.contains(p) for p in points):
                found.append(f"{edge.src}->{edge.dst} crosses {nid}")
    return found


def summary_order(panel) -> list[str]:
    table = panel.summary.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def _click_fix(panel, qtbot, node: str, word: str) -> None:
    row = next(r for r in panel.problems.rows if r.issue.node == node and r.fix_button is not None
               and word in r.fix_button.text())
    qtbot.mouseClick(row.fix_button, Qt.MouseButton.LeftButton)


def test_fixes_after_deleting_flatten_place_it_clear_and_in_order(make_panel, qtbot):
    panel = make_panel()
    click_node(panel, "flatten")
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Delete)
    _click_fix(panel, qtbot, "fc1", "connect")
    _click_fix(panel, qtbot, "fc1", "Flatten")
    assert "shapes check out" in panel.status.text()
    assert overlapping_blocks(panel) == []
    assert wires_through_blocks(panel) == []
    assert summary_order(panel) == MNIST_ORDER


def test_flatten_inserted_on_a_wire_running_up_the_canvas_lands_clear(make_panel, qtbot):
    """The user dragged fc1 up beside pool1, wired drop1 to it, then took the Flatten fix."""
    panel = make_panel()
    scene, graph = panel.scene, panel.state.project.graph
    click_node(panel, "flatten")
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Delete)
    fc1 = scene.nodes["fc1"]
    panel.view.fit()
    grab = fc1.sceneBoundingRect().center() + QPointF(-50, 0)
    drag(panel, grab, grab + QPointF(300, -270))
    assert graph.node("fc1").pos[1] < graph.node("drop1").pos[1], "fc1 now sits above drop1"
    drag(panel, scene.nodes["drop1"].outputs["out"].scenePos(), fc1.inputs["in"].scenePos())
    assert wires_through_blocks(panel) == [], "a wire up the canvas goes round the blocks"
    _click_fix(panel, qtbot, "fc1", "Flatten")
    assert "shapes check out" in panel.status.text()
    assert overlapping_blocks(panel) == []
    assert wires_through_blocks(panel) == []
    assert summary_order(panel) == MNIST_ORDER


def test_a_block_added_below_the_selection_and_a_paste_land_clear(make_panel, qtbot):
    panel = make_panel()
    click_node(panel, "conv1")
    tree = panel.palette.tree
    item = panel.palette.items["Dropout"]
    tree.setFocus()
    tree.setCurrentItem(item)
    QTest.keyClick(tree, Qt.Key.Key_Return)  # Enter on a palette block adds it below the selected one
    new = panel.scene.selected_ids()
    assert len(new) == 1 and new[0].startswith("dropout")
    assert overlapping_blocks(panel) == []
    assert wires_through_blocks(panel) == []
    order = summary_order(panel)
    assert order.index("conv1") < order.index(new[0]) < order.index("conv2"), "listed as the canvas reads"
    click_node(panel, "relu2")
    click_node(panel, "pool1", Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.scene.selected_ids()) == 2
    assert overlapping_blocks(panel) == []


def test_templates_keep_wires_clear_of_blocks_and_summary_in_flow_order(make_panel):
    for name in TEMPLATE_NAMES:
        panel = make_panel(name, size=(1280, 720))
        assert wires_through_blocks(panel) == [], name
        order = summary_order(panel)
        seen = {nid: i for i, nid in enumerate(order)}
        assert sorted(order) == sorted(n.id for n in panel.state.project.graph.nodes)
        assert all(seen[e.src] < seen[e.dst] for e in panel.state.project.graph.edges), name
        panel.layout_button.click()
        assert wires_through_blocks(panel) == [], f"{name} after Auto layout"
        panel.close()
