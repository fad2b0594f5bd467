"""The Build panel's side widgets at 1280×720, driven the way a student drives them (issue 20, items 5, 7).

The inspector draws a warning as a warning (amber, a triangle) and an error as an error (red, a dot);
the project name, the inspector's id, its problem and fix, the canvas hint and the palette are shown
whole, in English and in pt-BR.
"""

from __future__ import annotations

import pytest
from canvas_driver import click_node, delete_wire
from label_fit import check_label, check_line_edit, unfit_texts
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from studio.ui.app import install_translations
from studio.ui.common import style

WINDOW = QSize(1280, 720)


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


PANEL = (1280, 604)
"""The Build panel's size in a 1280×720 main window (under the menu, the tabs and the status bar)."""


@pytest.fixture
def themed():
    """Apply a theme the way the View menu does; the default one again afterwards."""
    from studio.ui import theme

    yield lambda name: theme.apply_theme(QApplication.instance(), name)
    theme.apply_theme(QApplication.instance(), theme.DEFAULT_THEME)


@pytest.fixture
def build(make_panel, themed):
    """A Build panel on the MNIST CNN at its size in a 1280×720 window, in the light or dark theme."""

    def _open(theme_name: str = "light"):
        themed(theme_name)
        panel = make_panel("mnist_cnn", size=PANEL)
        _settle()
        return panel

    return _open


@pytest.fixture
def window(launch, themed):
    """A 1280×720 main window the way `python main.py` builds it, showing the Build panel."""
    themed("light")
    win = launch()
    win.resize(WINDOW)
    win.show_panel("build")
    _settle()
    assert win.size() == WINDOW and win.panels["build"].size() == QSize(*PANEL)
    return win


@pytest.fixture
def portuguese():
    app = QApplication.instance()
    translators = install_translations(app, "pt_BR")
    assert translators, "studio_pt_BR.qm ships and loads"
    yield
    for translator in translators:
        app.removeTranslator(translator)


def _box_colour(box) -> QColor:
    """The colour the problem box is filled with, read from its picture (above its title)."""
    return box.grab().toImage().pixelColor(box.width() // 2, 4)


def _near(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_a_warning_is_drawn_amber_with_a_triangle_and_an_error_red_with_a_dot(build, theme_name):
    panel = build(theme_name)
    delete_wire(panel, "flatten", "fc1")  # fc1 gets no input (error); flatten leads nowhere (warning)
    inspector = panel.inspector
    colours = style.colors()

    click_node(panel, "flatten")
    _settle()
    box = inspector.problem_box
    assert box.isVisible() and "flatten -> fc1" in inspector.problem_label.text()
    warning_fill = _box_colour(box)
    assert _near(warning_fill, QColor(colours["warn_bg"])), warning_fill.name()
    assert box.property("severity") == "warning"
    assert inspector.problem_title.text().startswith("▲")

    click_node(panel, "fc1")
    _settle()
    assert box.isVisible() and "not connected" in inspector.problem_label.text()
    error_fill = _box_colour(box)
    assert _near(error_fill, QColor(colours["fail_bg"])), error_fill.name()
    assert box.property("severity") == "error"
    assert inspector.problem_title.text().startswith("●")
    assert abs(warning_fill.hsvHue() - error_fill.hsvHue()) >= 20, "amber and red, not one colour for both"

    # the fix is written out whole and its short button applies it
    assert inspector.fix_label.text() == "Fix: connect flatten to fc1"
    QTest.mouseClick(inspector.fix_button, Qt.MouseButton.LeftButton)
    assert any(e.src == "flatten" and e.dst == "fc1" for e in panel.state.project.graph.edges)


@pytest.mark.parametrize("name", ["MNIST CNN", "Keyword spotting on speech cmd"])
def test_the_project_name_is_shown_whole(build, name):
    assert len("Keyword spotting on speech cmd") == 30
    panel = build()
    field = panel.name_edit
    if field.text() != name:
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, name)
        _settle()
    assert panel.state.project.name == name
    assert check_line_edit(field) is None, check_line_edit(field).describe()


def test_the_inspector_shows_a_block_id_whole_and_a_very_long_one_from_its_start(build):
    panel = build()
    inspector = panel.inspector
    click_node(panel, "conv2")
    _settle()
    assert inspector.id_edit.text() == "conv2" and check_line_edit(inspector.id_edit) is None

    field = inspector.id_edit
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "encoder_block_3")
    QTest.keyClick(field, Qt.Key.Key_Return)
    _settle()
    assert panel.state.project.graph.has_node("encoder_block_3")
    assert field.text() == "encoder_block_3"
    assert check_line_edit(field) is None, check_line_edit(field).describe()
    assert check_label(inspector.block_label) is None

    long_id = "the_second_convolution_of_the_encoder_block_3"
    assert len(long_id) > 40
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, long_id)
    QTest.keyClick(field, Qt.Key.Key_Return)
    panel.scene.setFocus()  # focus leaves the field: the inspector shows the id as a reader sees it
    click_node(panel, long_id)
    _settle()
    assert field.text() == long_id and field.cursorPosition() == 0, "a cut id shows its start"
    assert long_id in field.toolTip(), "and the whole id is in its tooltip"


@pytest.mark.parametrize("locale", ["en", "pt_BR"])
def test_no_text_of_the_build_panel_is_cut_with_a_block_and_its_problem_shown(request, locale):
    if locale == "pt_BR":
        request.getfixturevalue("portuguese")
    window = request.getfixturevalue("window")
    panel = window.panels["build"]
    hint = panel.canvas_hint  # one line; every shortcut is in its tooltip
    assert hint.isVisible() and check_label(hint) is None, check_label(hint).describe()
    assert "Ctrl+C" in hint.toolTip() and hint.heightForWidth(hint.width()) < 1.5 * hint.fontMetrics().height()
    delete_wire(panel, "flatten", "fc1")
    for node in ("fc1", "flatten"):
        click_node(panel, node)
        _settle()
        assert panel.inspector.problem_box.isVisible()
        cut = [m.describe() for m in unfit_texts(window.docks["build"])]
        assert not cut, "\n".join(cut)
