"""The Build canvas's problems strip warns about a model too big for this machine (nothing is built)."""

from __future__ import annotations

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


def test_a_trillion_parameter_layer_shows_a_memory_warning_without_a_fix_button(qtbot):
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    graph = Graph.chain([Node("x", "Input", {"shape": [1_000_000]}),
                         Node("big", "Linear", {"out_features": 1_300_000}), Node("head", "ClassificationHead")])
    panel = BuildPanel(AppState(Project(name="huge", graph=graph)))
    qtbot.addWidget(panel)
    panel.resize(1400, 860)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: bool(panel.problems.rows), timeout=10_000)
    row = next(r for r in panel.problems.rows if "memory" in r.issue.message)
    assert row.issue.node == "big" and row.issue.severity == "warning"
    text = row.label.text()
    assert "TiB" in text and "make big smaller" in text  # what it needs, and what to do about it
    assert row.fix_button is None  # advice, not a one-click edit
    assert panel.problems.isVisible()
