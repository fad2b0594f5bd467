"""The problems strip at 1280×720: a dozen problems scroll inside it and leave the canvas most of
the page, where six rows used to squeeze the canvas to a third of it (issue 20, item 5)."""

from __future__ import annotations

from canvas_driver import delete_wire
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

PANEL = (1280, 604)
"""The Build panel's size in a 1280×720 main window (under the menu, the tabs and the status bar)."""


def _settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def test_a_dozen_problems_scroll_in_their_strip_and_leave_the_canvas_most_of_the_page(make_panel):
    panel = make_panel("mnist_cnn", size=PANEL)
    _settle()
    wires = [(e.src, e.dst) for e in panel.state.project.graph.edges]
    for src, dst in wires:
        delete_wire(panel, src, dst)
    _settle()
    report = panel.editor.report
    assert len(report.errors) + len(report.warnings) >= 12
    strip = panel.problems
    page = panel.tabs.currentWidget()
    assert panel.view.height() >= 0.6 * page.height(), (panel.view.height(), page.height())
    bar = strip.scroll.verticalScrollBar()
    assert bar.isVisible() and bar.maximum() > 0, "the rows that do not fit scroll inside the strip"

    last = strip.rows[-1]
    viewport = strip.scroll.viewport()
    assert last.mapTo(viewport, QPoint(0, 0)).y() >= viewport.height(), "the last row starts hidden"
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    for _ in range(40):
        wheel = QWheelEvent(centre, viewport.mapToGlobal(centre), QPoint(), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(viewport, wheel)
    _settle()
    top = last.mapTo(viewport, QPoint(0, 0)).y()
    assert bar.value() == bar.maximum() and 0 <= top and top + last.height() <= viewport.height() + 1, \
        "the wheel scrolls the strip down to its last row"
