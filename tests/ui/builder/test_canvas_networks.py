"""A graph of several networks (a GAN's generator and discriminator) on the Build panel's canvas:
one labelled frame per network around exactly its blocks, following them; the bridge wire says it
carries the fake image; a block dropped in a frame joins that network; the inspector moves a block
to another network (undoably), and so does dragging the block into that network's frame; a
generator that does not fit the discriminator shows on D's first block. A one-network graph shows
no frame."""

from __future__ import annotations

from canvas_driver import click_node, drag, drop_block
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from studio.core.project import load_project
from studio.core.resources import TEMPLATES

GAN = "gan_mlp_digits"


def members(panel, network: str) -> set[str]:
    return {n.id for n in panel.state.project.graph.nodes if n.network == network}


def framed(panel, network: str) -> set[str]:
    """The blocks whose box touches the network's frame."""
    rect = panel.scene.frames[network].rect
    return {nid for nid, item in panel.scene.nodes.items() if rect.intersects(item.box())}


def test_each_network_is_a_labelled_frame_around_exactly_its_blocks(make_panel):
    panel = make_panel(GAN)
    frames = panel.scene.frames
    assert {nid: f.title for nid, f in frames.items()} == {"generator": "Generator", "discriminator": "Discriminator"}
    for network, frame in frames.items():
        assert frame.isVisible() and frame.zValue() < 0, "drawn behind the blocks and wires"
        assert framed(panel, network) == members(panel, network)
        for nid in members(panel, network):
            assert frame.rect.contains(panel.scene.nodes[nid].box())
        label = frame.label_rect()
        assert frame.rect.contains(label), "the label sits in the frame's top-left corner"
        assert label.left() - frame.rect.left() < 20 and label.top() - frame.rect.top() < 20
        assert not any(label.intersects(item.box()) for item in panel.scene.nodes.values())
    assert not frames["generator"].rect.intersects(frames["discriminator"].rect)
    # the bridge: drawn in its own colour, labelled with what it carries
    bridges = {(e.src, e.dst): item for e, item in panel.scene.edges.items() if item.bridge is not None}
    assert list(bridges) == [("g_image", "d_flat")]
    bridge = bridges[("g_image", "d_flat")]
    assert bridge.label == "fake image · (N, 1, 28, 28)" and not bridge.label_rect().isEmpty()
    # Fit shows the frames whole, labels included
    panel.view.fit()
    shown = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    for frame in frames.values():
        assert shown.contains(frame.rect)


def test_a_frame_follows_its_blocks(make_panel):
    panel = make_panel(GAN)
    g, d = panel.scene.frames["generator"], panel.scene.frames["discriminator"]
    g_before, d_before = g.rect, d.rect
    start = panel.scene.nodes["z"].box().center()
    drag(panel, start, start + QPointF(-150, -60))
    assert panel.state.project.graph.node("z").pos != (0.0, 0.0), "the block moved"
    assert g.rect.left() < g_before.left() - 100 and g.rect.top() < g_before.top() - 40
    assert d.rect == d_before
    assert framed(panel, "generator") == members(panel, "generator")
    panel.state.undo_stack.undo()
    assert g.rect == g_before


def test_a_dropped_block_joins_the_network_of_its_frame_or_the_nearest(make_panel):
    panel = make_panel(GAN)
    d = panel.scene.frames["discriminator"].rect
    drop_block(panel, "Dropout", QPointF(d.right() - 12, d.center().y()))
    graph = panel.state.project.graph
    new = next(n for n in graph.nodes if n.block == "Dropout")
    assert new.network == "discriminator"
    assert panel.scene.frames["discriminator"].rect.contains(panel.scene.nodes[new.id].box())
    assert not any("belongs to no network" in e.message for e in panel.editor.report.errors)
    panel.state.undo_stack.undo()
    assert not any(n.block == "Dropout" for n in panel.state.project.graph.nodes)
    # outside every frame: the nearest network
    g = panel.scene.frames["generator"].rect
    drop_block(panel, "ReLU", QPointF(g.left() - 260, g.top() + 40))
    relu = next(n for n in panel.state.project.graph.nodes if n.block == "ReLU")
    assert relu.network == "generator"
    # a pasted copy of a discriminator block lands by its original, so in the discriminator
    copies = panel.editor.paste(panel.editor.payload(["d_fc1"]))
    assert [panel.state.project.graph.node(c).network for c in copies] == ["discriminator"]


def test_the_inspector_moves_a_block_to_another_network_undoably(make_panel):
    panel = make_panel(GAN)
    click_node(panel, "d_fc2")
    combo = panel.inspector.network_combo
    assert panel.inspector.network_row.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == ["Generator", "Discriminator"]
    assert combo.currentData() == "discriminator"
    before = panel.state.project.graph.node("d_fc2").pos
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Up)  # the closed combo box steps to "Generator"
    node = panel.state.project.graph.node("d_fc2")
    assert node.network == "generator"
    assert panel.state.undo_stack.undoText() == "Move d_fc2 to Generator"
    assert "d_fc2" in framed(panel, "generator") and "d_fc2" not in framed(panel, "discriminator")
    assert framed(panel, "generator") == members(panel, "generator")
    panel.state.undo_stack.undo()
    node = panel.state.project.graph.node("d_fc2")
    assert node.network == "discriminator" and node.pos == before
    assert framed(panel, "discriminator") == members(panel, "discriminator")


def test_a_one_network_graph_shows_no_frame(make_panel):
    panel = make_panel()
    assert panel.scene.frames == {}
    assert all(item.bridge is None for item in panel.scene.edges.values())
    click_node(panel, "conv1")
    assert not panel.inspector.network_row.isVisible()
    drop_block(panel, "Dropout", panel.scene.nodes["conv1"].box().center() + QPointF(400, 0))
    assert all(n.network is None for n in panel.state.project.graph.nodes)


def test_a_generator_that_does_not_fit_the_discriminator_shows_on_its_first_block(qtbot):
    """The MLP GAN whose discriminator starts with a convolution (which needs images (N, C, H, W),
    where the template's Flatten takes any shape); the user makes the generator draw flat vectors
    by editing g_image's shape in the inspector."""
    from studio.core.graph.model import Edge, Node
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    project = load_project(TEMPLATES / f"{GAN}.studio.json")
    graph = project.graph
    first = graph.node("d_flat")
    first.block, first.params = "Conv2d", {"out_channels": 8, "kernel_size": 3, "stride": 2}
    graph.disconnect(Edge("d_flat", "d_fc1"))
    graph.add_node(Node("d_vec", "Flatten", {}, (first.pos[0] + 240, first.pos[1]), network="discriminator"))
    graph.connect("d_flat", "d_vec")
    graph.connect("d_vec", "d_fc1")
    panel = BuildPanel(AppState(project))
    qtbot.addWidget(panel)
    panel.resize(1400, 860)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.editor.report.ok
    click_node(panel, "g_image")
    field = panel.inspector.editor_for("shape")
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "784")
    said = "(it takes the generator's output, g_image)"
    assert said in (panel.scene.nodes["d_flat"].error or "")
    assert panel.scene.nodes["d_flat"].error.startswith("Conv2d d_flat")
    assert any(row.issue.node == "d_flat" and said in row.issue.message for row in panel.problems.rows)


def test_auto_layout_keeps_each_network_in_its_own_frame(make_panel):
    panel = make_panel("cgan_digits")
    panel.layout_button.click()
    assert panel.state.undo_stack.undoText() == "Auto layout"
    g, d = panel.scene.frames["generator"].rect, panel.scene.frames["discriminator"].rect
    assert not g.intersects(d)
    for network in ("generator", "discriminator"):
        assert framed(panel, network) == members(panel, network)
    graph = panel.state.project.graph
    assert graph.node("d_flat").pos[1] > graph.node("g_image").pos[1], "the bridge runs downward"


def test_a_block_dragged_into_another_networks_frame_joins_it_in_one_undo_step(make_panel):
    """A generator block dragged on the canvas into the discriminator's frame joins the
    discriminator (one undo step), the frames re-fit around their new members and the problems
    strip says that the discriminator now feeds the generator; undo puts all of it back."""
    panel = make_panel(GAN)
    graph = panel.state.project.graph
    before = graph.node("g_fc2").pos
    d = panel.scene.frames["discriminator"].rect
    start = panel.scene.nodes["g_fc2"].box().center()
    target = QPointF(d.center().x(), (panel.scene.nodes["d_fc1"].box().bottom()
                                      + panel.scene.nodes["d_lrelu1"].box().top()) / 2)
    steps = panel.state.undo_stack.count()
    viewport = panel.view.viewport()
    a, b = panel.view.mapFromScene(start), panel.view.mapFromScene(target)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, 11):
        p = a + (b - a) * (i / 10)
        QTest.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))
    # while it is held there, the frames show what the drop will do
    frames = panel.scene.frames
    assert frames["discriminator"].receiving and not frames["generator"].receiving
    assert frames["discriminator"].rect.contains(panel.scene.nodes["g_fc2"].box())
    assert not frames["generator"].rect.intersects(panel.scene.nodes["g_fc2"].box())
    assert panel.state.project.graph.node("g_fc2").network == "generator", "nothing changes before the drop"
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    assert not frames["discriminator"].receiving
    node = panel.state.project.graph.node("g_fc2")
    assert node.network == "discriminator"
    assert panel.state.undo_stack.count() == steps + 1, "one undo step"
    assert panel.state.undo_stack.undoText() == "Move g_fc2 to Discriminator"
    assert "g_fc2" in framed(panel, "discriminator") and "g_fc2" not in framed(panel, "generator")
    assert framed(panel, "generator") == members(panel, "generator")
    assert panel.scene.frames["discriminator"].rect.contains(panel.scene.nodes["g_fc2"].box())
    assert not panel.scene.frames["generator"].rect.intersects(panel.scene.frames["discriminator"].rect)
    said = "the generator must not see the discriminator"
    assert any(said in row.issue.message for row in panel.problems.rows)
    panel.state.undo_stack.undo()
    node = panel.state.project.graph.node("g_fc2")
    assert node.network == "generator" and node.pos == before
    assert framed(panel, "generator") == members(panel, "generator")
    assert framed(panel, "discriminator") == members(panel, "discriminator")
    assert not any(said in row.issue.message for row in panel.problems.rows)


def test_a_block_dragged_outside_every_frame_keeps_its_network(make_panel):
    panel = make_panel(GAN)
    g = panel.scene.frames["generator"].rect
    start = panel.scene.nodes["d_fc2"].box().center()
    drag(panel, start, QPointF(g.left() - 300, g.center().y()), steps=10)
    node = panel.state.project.graph.node("d_fc2")
    assert node.pos[0] < g.left() - 200, "the block moved"
    assert node.network == "discriminator"
    assert panel.state.undo_stack.undoText() == "Move"
    assert framed(panel, "discriminator") >= members(panel, "discriminator")
