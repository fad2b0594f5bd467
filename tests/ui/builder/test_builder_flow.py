"""The builder the way a student uses it, with real mouse and keyboard events on the canvas."""

from __future__ import annotations

from canvas_driver import click_node, drag, drop_block
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from studio.core.project import load_project, save_project


def _label(panel, src: str, dst: str) -> str:
    return next(item.label for e, item in panel.scene.edges.items() if e.src == src and e.dst == dst)


def test_drop_wire_edit_fix_undo_redo_save_and_reopen(make_panel, qtbot, tmp_path):
    panel = make_panel()
    state, scene = panel.state, panel.scene
    start = state.project.graph.to_dict()
    assert _label(panel, "conv1", "relu1") == "(N, 32, 28, 28)"

    # Drop a block from the palette on free canvas to the right of the chain.
    drop_at = QPointF(400, 300)
    drop_block(panel, "Dropout", drop_at)
    assert state.project.graph.has_node("dropout1")
    node = state.project.graph.node("dropout1")
    assert abs(node.pos[0] - 400) <= 1 and abs(node.pos[1] + 27 - 300) <= 1, "lands centred under the cursor"
    assert "dropout1" in scene.nodes and scene.nodes["dropout1"].isSelected()

    # Wire it: drag from relu1's output port to the new block's input port.
    drag(panel, scene.nodes["relu1"].outputs["out"].scenePos(), scene.nodes["dropout1"].inputs["in"].scenePos())
    edge = next(e for e in state.project.graph.edges if e.dst == "dropout1")
    assert (edge.src, edge.src_port, edge.dst_port) == ("relu1", "out", "in")
    assert scene.edges[edge].label == "(N, 32, 28, 28)"
    assert scene.nodes["dropout1"].detail == "(N, 32, 28, 28)", "the new block shows its output shape"

    # Delete flatten with the keyboard: fc1 now gets no input and turns red with the core's message.
    click_node(panel, "flatten")
    QTest.keyClick(panel.view.viewport(), Qt.Key.Key_Delete)
    assert not state.project.graph.has_node("flatten")
    fc1 = scene.nodes["fc1"]
    assert fc1.error and "not connected" in fc1.error

    # Wire drop1 -> fc1 by hand: now Linear sees (N, 64, 14, 14) and says so, offering a Flatten.
    drag(panel, scene.nodes["drop1"].outputs["out"].scenePos(), fc1.inputs["in"].scenePos())
    assert fc1.error and "(N, 64, 14, 14)" in fc1.error
    bad_edge = next(e for e in scene.edges if e.dst == "fc1")
    assert scene.edges[bad_edge].error, "the offending wire is red too"
    row = next(r for r in panel.problems.rows if r.issue.node == "fc1")
    assert row.fix_button is not None and "Flatten" in row.fix_button.text()
    qtbot.mouseClick(row.fix_button, Qt.MouseButton.LeftButton)
    assert scene.nodes["fc1"].error is None
    flat = next(n for n in state.project.graph.nodes if n.block == "Flatten")
    assert _label(panel, flat.id, "fc1") == "(N, 12544)"
    assert "shapes check out" in panel.status.text()

    # Edit a parameter in the inspector by typing: shapes downstream update.
    click_node(panel, "conv1")
    assert panel.inspector.node_id == "conv1"
    spin = panel.inspector.editor_for("out_channels")
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "16")
    assert state.project.graph.node("conv1").params["out_channels"] == 16
    assert _label(panel, "conv1", "relu1") == "(N, 16, 28, 28)"
    assert scene.nodes["conv2"].params_text.startswith("9.28k"), "conv2 now has 16*9*64+64 weights"
    edited = state.project.graph.to_dict()

    # Undo everything, back to the template; redo everything, back to the edit.
    stack = state.undo_stack
    steps = stack.count()
    assert steps == 6, [stack.text(i) for i in range(stack.count())]  # drop, wire, delete, wire, fix, 1 param
    while stack.canUndo():
        stack.undo()
    assert state.project.graph.to_dict() == start
    assert _label(panel, "conv1", "relu1") == "(N, 32, 28, 28)"
    assert "dropout1" not in scene.nodes
    while stack.canRedo():
        stack.redo()
    assert state.project.graph.to_dict() == edited

    # Save and reopen: the canvas shows the same graph.
    path = tmp_path / "edited.studio.json"
    save_project(state.project, path)
    state.mark_saved(path)
    state.replace(load_project(path), path)
    assert state.project.graph.to_dict() == edited
    assert set(scene.nodes) == {n["id"] for n in edited["nodes"]}
    assert _label(panel, "conv1", "relu1") == "(N, 16, 28, 28)"
    assert not state.dirty


def test_only_compatible_ports_accept_a_wire(make_panel):
    panel = make_panel()
    scene, graph = panel.scene, panel.state.project.graph
    before = graph.to_dict()
    # relu2 -> conv1 would close a cycle; conv2 -> relu2's taken input is refused; both leave the graph alone.
    drag(panel, scene.nodes["relu2"].outputs["out"].scenePos(), scene.nodes["conv1"].inputs["in"].scenePos())
    assert graph.to_dict() == before
    assert "cycle" in panel.status.text()
    drag(panel, scene.nodes["input"].outputs["out"].scenePos(), scene.nodes["relu2"].inputs["in"].scenePos())
    assert graph.to_dict() == before
    assert "already connected" in panel.status.text()
    # While a wire is being drawn, only free inputs that would not make a cycle light up.
    scene.begin_wire(scene.nodes["fc2"].outputs["out"], scene.nodes["fc2"].outputs["out"].scenePos())
    lit = {p.node.node_id for p in scene._targets}
    scene.cancel_wire()
    assert lit == set(), "every input above fc2 is taken or upstream of it"
    panel.editor.add_block("ReLU", (400, 0))
    scene.begin_wire(scene.nodes["fc2"].outputs["out"], scene.nodes["fc2"].outputs["out"].scenePos())
    lit = {p.node.node_id for p in scene._targets}
    scene.cancel_wire()
    assert lit == {"relu4"}


def test_moving_a_block_is_one_undo_step_and_snaps_when_asked(make_panel):
    panel = make_panel()
    scene, state = panel.scene, panel.state
    item = scene.nodes["relu3"]
    start = QPointF(item.scenePos().x() - 60, item.scenePos().y() + 15)
    drag(panel, start, start + QPointF(233, 17))
    x, y = state.project.graph.node("relu3").pos
    assert (round(x), round(y)) != (0, 810)
    assert state.undo_stack.count() == 1
    state.undo_stack.undo()
    assert state.project.graph.node("relu3").pos == (0.0, 810.0)
    assert scene.nodes["relu3"].pos() == QPointF(0, 810)
    panel.snap_check.setChecked(True)
    item = scene.nodes["relu3"]
    start = QPointF(item.scenePos().x() - 60, item.scenePos().y() + 15)
    drag(panel, start, start + QPointF(233, 17))
    x, y = state.project.graph.node("relu3").pos
    assert x % 10 == 0 and y % 10 == 0 and x > 100


def test_keyboard_copy_paste_duplicate_select_all_delete_and_fit(make_panel):
    panel = make_panel()
    view, scene, graph = panel.view, panel.scene, panel.state.project.graph
    n = len(graph.nodes)
    click_node(panel, "conv1")
    click_node(panel, "relu1", Qt.KeyboardModifier.ControlModifier)
    assert scene.selected_ids() == ["conv1", "relu1"]
    QTest.keyClick(view.viewport(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(view.viewport(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(graph.nodes) == n + 2
    pasted = scene.selected_ids()
    assert pasted == ["conv3", "relu4"]
    assert graph.node("conv3").params == graph.node("conv1").params
    assert any(e.src == "conv3" and e.dst == "relu4" for e in graph.edges), "wires inside the copy come along"
    QTest.keyClick(view.viewport(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(graph.nodes) == n + 4
    QTest.keyClick(view.viewport(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(scene.selected_ids()) == n + 4
    view.set_zoom(3.0)
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert view.zoom() < 3.0 and visible.intersects(scene.content_rect())
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert graph.nodes == [] and graph.edges == []
    panel.state.undo_stack.undo()
    assert len(graph.nodes) == n + 4
