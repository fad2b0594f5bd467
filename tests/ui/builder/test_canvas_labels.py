"""Every block's id, type, output shape and parameter count read in full on the canvas at 100 %,
in English and pt-BR: measured with the painted font against the room the block gives each text
(issue 20, item 7: "Conv…", "Co…")."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.ui.app import install_translations

TEMPLATE_NAMES = sorted(p.name.removesuffix(".studio.json") for p in TEMPLATES.glob("*.studio.json"))


@pytest.fixture(params=["en", "pt_BR"])
def locale(request):
    app = QApplication.instance()
    translators = install_translations(app, request.param) if request.param != "en" else []
    if request.param != "en":
        assert translators, "studio_pt_BR.qm ships and loads"
    yield request.param
    for t in translators:
        app.removeTranslator(t)


def cut_texts(item) -> list[str]:
    """Texts of a block that do not fit the room it paints them in, or leave its box, or collide."""
    problems = []
    box = item.rect
    for text, font, room, _align in item.fields:
        need = QFontMetricsF(item.fonts[font]).horizontalAdvance(text)
        if need > room.width() + 0.01:
            problems.append(f"{item.node_id}: {text!r} needs {need:.1f} of {room.width():.1f}")
        if not box.contains(room):
            problems.append(f"{item.node_id}: {text!r} is drawn outside the block")
    for (a, _, ra, _), (b, _, rb, _) in itertools.combinations(item.fields, 2):
        if ra.intersects(rb):
            problems.append(f"{item.node_id}: {a!r} and {b!r} overlap")
    return problems


def _elided(panel) -> list[str]:
    found = []
    for nid, item in panel.scene.nodes.items():
        node = panel.state.project.graph.node(nid)
        if item.title != nid or item.kind != node.block or "…" in item.detail or "…" in item.params_text:
            found.append(f"{nid}: shown as {item.title!r} {item.kind!r} / {item.detail!r} {item.params_text!r}")
    return found


def _shown_in_full(panel) -> list[str]:
    return _elided(panel) or [p for item in panel.scene.nodes.values() for p in cut_texts(item)]


def test_every_block_shows_its_id_type_shape_and_params_in_full(make_panel, qtbot, locale):
    """Every template, opened in turn in one Build panel (as New from template does)."""
    panel = make_panel(size=(1280, 720))
    for name in TEMPLATE_NAMES:
        panel.state.replace(load_project(TEMPLATES / f"{name}.studio.json"), None)
        qtbot.wait(30)
        assert sorted(panel.scene.nodes) == sorted(n.id for n in panel.state.project.graph.nodes), name
        assert _shown_in_full(panel) == [], name
        with_params = [i for i in panel.scene.nodes.values() if i.params_text]
        assert with_params and all(i.params_text.endswith("parâm." if locale == "pt_BR" else "params")
                                   for i in with_params), f"{name}: the canvas speaks the chosen language"
        panel.layout_button.click()
        assert _shown_in_full(panel) == [], f"{name} after Auto layout"


def test_a_long_name_typed_in_the_inspector_widens_the_block_and_moves_no_neighbour_into_it(make_panel, locale):
    from PySide6.QtTest import QTest

    panel = make_panel("mnist_cnn", size=(1280, 720))
    panel.scene.select_ids(["conv2"])
    edit = panel.inspector.id_edit
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, "second_convolution_block")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    item = panel.scene.nodes["second_convolution_block"]
    assert (item.title, item.kind) == ("second_convolution_block", "Conv2d")
    assert cut_texts(item) == []
    assert item.rect.width() > 200, "wider than a standard block"
    # Still centred on its position, and its wires still reach its ports.
    assert abs(item.box().center().x() - item.pos().x()) < 0.01
    for edge in item.edges:
        assert (edge.path.pointAtPercent(1.0) - edge.dst.scenePos()).manhattanLength() < 1.5


def test_a_painted_block_shows_the_type_pixels_where_the_room_says(make_panel, qtbot):
    """The rooms are what paint uses: the type's room holds dark text pixels right to its end."""
    panel = make_panel("unet", size=(1280, 720))
    view = panel.view
    view.set_zoom(1.0)
    item = panel.scene.nodes["up2"]  # ConvTranspose2d: was "Co…"
    view.centerOn(item)
    QApplication.processEvents()
    text, font, room, _ = item.fields[1]
    assert text == "ConvTranspose2d"
    need = QFontMetricsF(item.fonts[font]).horizontalAdvance(text)
    image = view.viewport().grab().toImage()
    top_left = view.mapFromScene(item.mapToScene(room.topLeft()))
    # The last letters sit in the final fifth of the text's width: some pixel there is text-coloured.
    x0 = top_left.x() + round(need * 0.8)
    x1 = top_left.x() + round(need) - 1
    ys = range(top_left.y() + 3, top_left.y() + round(room.height()) - 3)
    background = image.pixelColor(top_left.x() + round(need) + 30, top_left.y() + 2)
    inked = sum(1 for x in range(x0, x1) for y in ys
                if abs(image.pixelColor(x, y).lightness() - background.lightness()) > 60)
    assert inked > 5, "the end of the type name is painted"
