"""Large imported graphs stay usable (issue 15): on the canvas, a selection of blocks collapses into
one group box and expands again, imported stages are offered in the right-click menu, each step is
one undo step, the collapsed box shows its name, block count, shapes and ports wired to the outside,
and a saved project opens with its groups still collapsed."""

from __future__ import annotations

import pytest

from studio.core.project import Project, load_project, save_project

pytest.importorskip("torchvision")


@pytest.fixture(scope="module")
def resnet18_graph():
    from studio.core.graph.importers.api import import_torchvision

    graph = import_torchvision("resnet18").graph
    graph.weights = None
    return graph


@pytest.fixture
def panel_on(qtbot):
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    def _make(project: Project):
        panel = BuildPanel(AppState(project))
        qtbot.addWidget(panel)
        panel.resize(1400, 860)
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return _make


def _positions(graph) -> dict[str, tuple[float, float]]:
    return {n.id: n.pos for n in graph.nodes}


def test_collapse_a_selection_into_a_group_and_expand_it_again(panel_on, resnet18_graph, qtbot):
    panel = panel_on(Project(name="r18", graph=resnet18_graph.copy()))
    scene, view, stack = panel.scene, panel.view, panel.state.undo_stack
    before = _positions(panel.editor.graph)
    layer1 = [nid for nid in scene.nodes if nid.startswith("layer1_")] + ["add", "add_1"]
    scene.select_ids(layer1)
    menu = [a.text() for a in view.context_menu(scene.nodes["layer1_0_conv1"].box().center()).actions()]
    assert "Collapse into group" in menu and "Collapse every stage" in menu

    assert view.collapse_selection() == "layer1"
    box = scene.groups["layer1"]
    assert box.isSelected() and not any(nid in scene.nodes for nid in layer1)
    assert (box.title, box.kind) == ("layer1", "14 blocks")
    assert box.detail == "(64, 56, 56) → (64, 56, 56)" and box.params_text.endswith("params")
    assert list(box.inputs) == ["maxpool.out"] and list(box.outputs) == ["layer1_1_relu_1.out"]
    wires_in = {(e.src.node.node_id, e.dst.node.node_id) for e in box.edges}
    assert ("maxpool", "layer1") in wires_in and ("layer1", "layer2_0_conv1") in wires_in
    assert scene.nodes["layer2_0_conv1"].pos().y() < before["layer2_0_conv1"][1]  # the rows folded up
    assert stack.undoText() == "Collapse layer1"
    assert set(scene.selected_ids()) == set(layer1)  # Delete / Copy act on the group's blocks

    stack.undo()
    assert not scene.groups and _positions(panel.editor.graph) == before and len(scene.nodes) == 71
    stack.redo()
    assert "layer1" in scene.groups
    scene.select_ids(["layer1_0_bn1"])  # a block inside (a problem's link, say) selects the box
    assert scene.selected_groups() == ["layer1"]

    menu = view.context_menu(box.box().center())
    expand = next(a for a in menu.actions() if a.text() == "Expand group")
    expand.trigger()
    assert not scene.groups and len(scene.nodes) == 71
    assert _positions(panel.editor.graph) == before  # every block back where it was
    assert all(scene.nodes[nid].pos().toTuple() == before[nid] for nid in layer1)


def test_collapsed_stages_survive_save_and_reopen(panel_on, resnet18_graph, tmp_path):
    panel = panel_on(Project(name="r18", graph=resnet18_graph.copy()))
    assert panel.editor.collapse_stages()
    assert sorted(panel.scene.groups) == ["layer1", "layer2", "layer3", "layer4"]
    assert len(panel.scene.nodes) == 71 - 62  # the stem, the pooling and the head stay blocks
    assert panel.state.undo_stack.undoText() == "Collapse 4 groups"
    path = save_project(panel.state.project, tmp_path / "r18.studio.json")

    again = panel_on(load_project(path))
    assert sorted(again.scene.groups) == ["layer1", "layer2", "layer3", "layer4"]
    assert again.scene.groups["layer4"].detail == "(256, 14, 14) → (512, 7, 7)"

    # Moving a box moves its blocks; auto-layout then lays out what is shown: nothing overlaps.
    graph = again.editor.graph
    conv = graph.node("layer3_0_conv1").pos
    box = again.scene.groups["layer3"].pos()
    assert again.editor.move({}, None, {"layer3": (box.x() + 400, box.y() + 45)})
    assert graph.node("layer3_0_conv1").pos == (conv[0] + 400, conv[1] + 45)
    assert again.scene.groups["layer3"].pos().x() == box.x() + 400
    assert again.editor.auto_layout()
    assert again.scene.groups["layer3"].pos().x() == box.x()
    shown = [*again.scene.nodes.values(), *again.scene.groups.values()]
    boxes = sorted((item.box() for item in shown), key=lambda r: r.top())
    assert all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert again.editor.expand_all() and not again.scene.groups and len(again.scene.nodes) == 71


def test_right_click_on_an_imported_block_offers_its_stage(panel_on, resnet18_graph):
    panel = panel_on(Project(name="r18", graph=resnet18_graph.copy()))
    menu = panel.view.context_menu(panel.scene.nodes["layer2_0_downsample_0"].box().center())
    assert [a.text() for a in menu.actions() if a.text()] == ["Collapse layer2", "Collapse every stage"]
    next(a for a in menu.actions() if a.text() == "Collapse layer2").trigger()
    assert list(panel.scene.groups) == ["layer2"] and panel.scene.groups["layer2"].kind == "16 blocks"
    assert [g.collapsed for g in panel.editor.graph.groups] == [False, True, False, False]
    assert panel.state.undo_stack.undoText() == "Collapse layer2"


def test_a_problem_inside_a_collapsed_group_focuses_the_groups_box(panel_on, resnet18_graph, qtbot):
    """Clicking a problem (or anything that focuses a block) hidden in a collapsed stage selects the
    stage's box and scrolls to it, instead of doing nothing."""
    panel = panel_on(Project(name="r18", graph=resnet18_graph.copy()))
    scene, view = panel.scene, panel.view
    scene.select_ids([nid for nid in scene.nodes if nid.startswith("layer3_")])
    assert view.collapse_selection() == "layer3"
    view.centerOn(scene.nodes["conv1"])
    assert "layer3_0_conv1" not in scene.nodes
    panel.focus_node("layer3_0_conv1")
    box = scene.groups["layer3"]
    assert box.isSelected()
    assert view.mapToScene(view.viewport().rect()).boundingRect().contains(box.sceneBoundingRect().center())
