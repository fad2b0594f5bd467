"""Fit (button and F) shows every block of every template, centred, at any size; wheel zoom
keeps the point under the cursor where it is (issue 20, item 3)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE_NAMES = sorted(p.name.removesuffix(".studio.json") for p in TEMPLATES.glob("*.studio.json"))
SIZES = {"1280x720": (1280, 720), "short": (1000, 600)}
SMALL_VIEW = (700, 450)
CENTRE_SLACK = 3.0


def _visible(view) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _blocks_rect(panel) -> QRectF:
    rect = QRectF()
    for item in panel.scene.nodes.values():
        rect = rect.united(item.sceneBoundingRect())
    return rect


def _assert_whole_graph_centred(panel, view=None) -> None:
    view = view or panel.view
    visible = _visible(view)
    outside = [nid for nid, item in panel.scene.nodes.items() if not visible.contains(item.sceneBoundingRect())]
    assert not outside, f"{len(outside)} of {len(panel.scene.nodes)} blocks are outside the view after Fit: {outside}"
    centre = view.mapFromScene(_blocks_rect(panel).center())
    middle = QPointF(view.viewport().rect().center())
    off = QPointF(centre) - middle
    assert abs(off.x()) <= CENTRE_SLACK and abs(off.y()) <= CENTRE_SLACK, \
        f"the graph's centre sits {off.x():.0f}, {off.y():.0f} px from the canvas's centre"


def _wheel(view, pos: QPoint, delta: int) -> None:
    point = QPointF(pos)
    event = QWheelEvent(point, QPointF(view.viewport().mapToGlobal(pos)), QPoint(), QPoint(0, delta),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def each_template(panel, qtbot):
    """Open every template in turn in the one panel, as File > New from template does; yields its name.
    (A panel per template cost more in set-up and teardown than the checks themselves.)"""
    for name in TEMPLATE_NAMES:
        panel.state.replace(load_project(TEMPLATES / f"{name}.studio.json"), None)
        qtbot.wait(30)  # let the first fit run
        assert sorted(panel.scene.nodes) == sorted(n.id for n in panel.state.project.graph.nodes)
        yield name


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_fit_button_and_f_show_the_whole_graph_centred(make_panel, qtbot, size):
    panel = make_panel(size=size)
    view = panel.view
    for name in each_template(panel, qtbot):
        try:
            qtbot.mouseClick(panel.fit_button, Qt.MouseButton.LeftButton)
            _assert_whole_graph_centred(panel)
            # Zoom in somewhere off to the side, then F puts the whole graph back.
            _wheel(view, QPoint(30, 30), 480)
            view.setFocus()
            QTest.keyClick(view.viewport(), Qt.Key.Key_F)
            _assert_whole_graph_centred(panel)
            assert panel.zoom_label.text() == f"{round(view.zoom() * 100)}%"
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


@pytest.mark.parametrize("name", ["mnist_cnn", "unet", "inception_cnn"])
def test_f_fits_a_small_canvas(make_panel, qtbot, name):
    from studio.ui.builder.view import CanvasView

    panel = make_panel(name, size=(1280, 720))
    view = CanvasView(panel.scene, panel.editor)
    qtbot.addWidget(view)
    view.resize(*SMALL_VIEW)
    view.show()
    qtbot.waitExposed(view)
    assert view.viewport().width() <= SMALL_VIEW[0] and view.viewport().height() <= SMALL_VIEW[1]
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    _assert_whole_graph_centred(panel, view)
    _wheel(view, QPoint(650, 400), -720)
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    _assert_whole_graph_centred(panel, view)


def test_the_graph_opens_fitted_and_stays_fitted_when_the_window_is_resized(make_panel, qtbot):
    panel = make_panel("unet", size=(1280, 720))
    _assert_whole_graph_centred(panel)
    panel.resize(1000, 560)
    qtbot.wait(30)
    _assert_whole_graph_centred(panel)
    panel.resize(1400, 860)
    qtbot.wait(30)
    _assert_whole_graph_centred(panel)


@pytest.mark.parametrize("where", [(0.15, 0.2), (0.85, 0.8), (0.5, 0.5)])
def test_wheel_zoom_keeps_the_point_under_the_cursor(make_panel, where):
    panel = make_panel("unet", size=(1280, 720))
    view = panel.view
    vp = view.viewport().rect()
    pos = QPoint(round(vp.width() * where[0]), round(vp.height() * where[1]))
    # Zoom out far, then in far: the scene point under the cursor never moves on screen.
    for delta in (-240, -240, -240, -480, 240, 480, 480, 480, -120):
        under = view.mapToScene(pos)
        before = view.zoom()
        _wheel(view, pos, delta)
        assert view.zoom() != before
        back = view.mapFromScene(under)
        assert abs(back.x() - pos.x()) <= 2 and abs(back.y() - pos.y()) <= 2, \
            f"zoom {before:.2f} -> {view.zoom():.2f} moved the point under the cursor to {back.x()}, {back.y()}"
