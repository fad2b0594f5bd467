"""What surrounds the canvas: layout readability, inspector editors, palette, summary, code, gallery, theme."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox

from studio.core.graph.infer import infer_graph
from studio.core.resources import TEMPLATES
from studio.ui import theme

TEMPLATE_NAMES = sorted(p.name.removesuffix(".studio.json") for p in TEMPLATES.glob("*.studio.json"))


def _overlaps(panel) -> list[tuple[str, str]]:
    """Pairs of drawn things (block boxes, shape labels) that overlap on the canvas."""
    boxes = [(nid, item.sceneBoundingRect().adjusted(3, 3, -3, -3)) for nid, item in panel.scene.nodes.items()]
    boxes += [(f"label {e.src}->{e.dst}", item.label_rect()) for e, item in panel.scene.edges.items()
              if not item.label_rect().isEmpty()]
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(boxes, 2) if ra.intersects(rb)]


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_templates_read_cleanly_as_shipped_and_after_auto_layout(make_panel, name):
    panel = make_panel(name)
    assert _overlaps(panel) == []
    assert all(item.label for item in panel.scene.edges.values() if item.show_label), "every wire shows a shape"
    before = panel.state.project.graph.to_dict()
    panel.layout_button.click()
    assert _overlaps(panel) == []
    assert infer_graph(panel.state.project.graph).ok
    if panel.state.undo_stack.count():
        assert panel.state.undo_stack.undoText() == "Auto layout"
        panel.state.undo_stack.undo()
    assert panel.state.project.graph.to_dict() == before


def test_inspector_offers_an_editor_per_parameter_kind_and_validates_as_you_type(make_panel):
    panel = make_panel()
    graph = panel.state.project.graph
    panel.scene.select_ids(["input"])
    inspector = panel.inspector
    assert isinstance(inspector.editor_for("dtype"), QComboBox)
    shape = inspector.editor_for("shape")
    assert isinstance(shape, QLineEdit) and shape.text() == "1, 28, 28"
    assert "batch dimension" in inspector.doc.text(), "help comes from the block's doc"
    shape.setFocus()
    shape.selectAll()
    QTest.keyClicks(shape, "1, 32, a")
    assert inspector.errors["shape"].isVisible() and "whole numbers" in inspector.errors["shape"].text()
    assert graph.node("input").params["shape"] == [1, 32], "the project keeps the last valid entry, not 'a'"
    QTest.keyClick(shape, Qt.Key.Key_Backspace)
    QTest.keyClicks(shape, "32")
    assert not inspector.errors["shape"].isVisible()
    assert graph.node("input").params["shape"] == [1, 32, 32]
    assert next(i.label for e, i in panel.scene.edges.items() if e.src == "input") == "(N, 1, 32, 32)"
    assert panel.state.undo_stack.count() == 1, "typing into one field is one undo step"

    panel.scene.select_ids(["conv1"])
    spin = inspector.editor_for("out_channels")
    assert isinstance(spin, QSpinBox) and spin.minimum() == 1, "ranges come from the block"
    assert isinstance(inspector.editor_for("bias"), QCheckBox)
    inspector.editor_for("bias").setChecked(False)
    assert graph.node("conv1").params["bias"] is False
    panel.scene.select_ids(["pool1"])
    stride = inspector.editor_for("stride")
    stride.setValue(stride.minimum())
    assert graph.node("pool1").params["stride"] is None and stride.text() == "auto"


def test_inspector_renames_and_shows_the_nodes_problem_with_its_fix(make_panel):
    panel = make_panel()
    graph = panel.state.project.graph
    panel.scene.select_ids(["fc1"])
    inspector = panel.inspector
    inspector.id_edit.setText("relu1")
    inspector.id_edit.editingFinished.emit()
    assert inspector.id_error.isVisible() and "taken" in inspector.id_error.text()
    inspector.id_edit.setText("hidden")
    inspector.id_edit.editingFinished.emit()
    assert graph.has_node("hidden") and not graph.has_node("fc1")
    assert any(e.src == "flatten" and e.dst == "hidden" for e in graph.edges), "wires follow the rename"
    panel.editor.set_param("hidden", "out_features", 0)
    panel.scene.select_ids(["hidden"])
    assert inspector.problem_box.isVisible() and "out_features" in inspector.problem_label.text()
    assert panel.scene.nodes["hidden"].error
    inspector.fix_button.click()
    assert graph.node("hidden").params["out_features"] >= 1 and panel.scene.nodes["hidden"].error is None


def test_palette_search_and_double_click_adds_a_wired_block(make_panel):
    panel = make_panel()
    palette = panel.palette
    palette.search.setText("pool")
    shown = palette.visible_blocks()
    assert "MaxPool2d" in shown and "AdaptiveAvgPool2d" in shown and "ReLU" not in shown
    palette.search.setText("swish")
    assert "SiLU" in palette.visible_blocks() and "ReLU" not in palette.visible_blocks(), "help text is searched"
    palette.search.clear()
    panel.scene.select_ids(["fc2"])
    palette.tree.scrollToItem(palette.items["GELU"])
    rect = palette.tree.visualItemRect(palette.items["GELU"])
    QTest.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      rect.center())
    graph = panel.state.project.graph
    assert graph.has_node("gelu1")
    assert any(e.src == "fc2" and e.dst == "gelu1" for e in graph.edges)
    assert panel.scene.selected_ids() == ["gelu1"]


def test_summary_and_code_views(make_panel):
    panel = make_panel()
    table = panel.node_table
    graph = panel.state.project.graph
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [n.id for n in graph.nodes]
    fc1 = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "fc1")
    assert table.item(fc1, 3).text() == "(N, 128)" and table.item(fc1, 4).text() == "1,605,760"
    assert "1,625,866 parameters" in panel.summary.totals.text()
    panel.tabs.setCurrentWidget(panel.code_view)
    code = panel.code_view.text.toPlainText()
    assert "class MNISTCNN(nn.Module)" in code or "nn.Module" in code
    assert "nn.Conv2d(1, 32" in code and "nn.Linear(12544, 128)" in code
    panel.code_view.copy_button.click()
    assert QApplication.clipboard().text() == code
    panel.editor.delete(["flatten"])
    assert not panel.code_view.copy_button.isEnabled()
    assert "valid" in panel.code_view.status.text()
    panel.editor.set_param("conv1", "out_channels", 8)  # (undo restores the code as well)
    panel.state.undo_stack.undo()
    panel.state.undo_stack.undo()
    assert panel.code_view.text.toPlainText() == code


def test_template_gallery_has_a_thumbnail_and_one_line_per_template(qtbot):
    from studio.ui.builder.gallery import TemplateGallery

    gallery = TemplateGallery()
    qtbot.addWidget(gallery)
    assert gallery.list.count() == len(TEMPLATE_NAMES)
    for i in range(gallery.list.count()):
        item = gallery.list.item(i)
        name, line = item.text().split("\n")
        assert name and line and len(line) <= 110
        image = item.icon().pixmap(gallery.list.iconSize()).toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 2, f"the thumbnail of {name} draws its graph"
    mnist = next(i for i in range(gallery.list.count()) if gallery.list.item(i).text().startswith("MNIST CNN"))
    gallery.list.setCurrentRow(mnist)
    assert gallery.selected_path() == TEMPLATES / "mnist_cnn.studio.json"


def test_canvas_follows_the_theme(make_panel):
    app = QApplication.instance()
    panel = make_panel()
    try:
        theme.apply_theme(app, "light")
        light = panel.view.grab().toImage().pixelColor(5, 5).lightness()
        theme.apply_theme(app, "dark")
        QApplication.processEvents()
        dark = panel.view.grab().toImage().pixelColor(5, 5).lightness()
        assert dark < 80 < light
        assert panel.scene.pal.dark
    finally:
        theme.apply_theme(app, "light")


def test_wheel_zooms_around_the_cursor(make_panel):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    panel = make_panel()
    view = panel.view
    before = view.zoom()
    pos = QPointF(view.viewport().rect().center())
    event = QWheelEvent(pos, view.viewport().mapToGlobal(pos), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() > before * 1.3
    assert panel.zoom_label.text() == f"{round(view.zoom() * 100)}%"
