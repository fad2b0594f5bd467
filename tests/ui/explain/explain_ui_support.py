"""The small project the Explain panel tests train, and a wait for the panel's workers (fixtures: conftest.py)."""

from __future__ import annotations

import time

from model_layers import shapes_cam_layers

from studio.core.graph.model import Graph
from studio.core.project import Project


def tiny_shapes_project() -> Project:
    """Two conv stages on 24x24 `shapes`: CAM-friendly, trained in about a second on a CPU."""
    graph = Graph.chain(shapes_cam_layers(24, (8, 16), 16))
    return Project(
        name="Explain UI shapes", graph=graph,
        data={"dataset": "shapes", "options": {"size": 24, "count": 480, "seed": 0}, "val_fraction": 0.25,
              "augment": {}},
        training={"optimizer": "adam", "lr": 3e-3, "batch_size": 32, "epochs": 4, "seed": 0, "device": "cpu"},
    )


def settle(qtbot, panel, timeout: float = 60.0) -> None:
    """Wait until every worker of the panel is idle and the results they posted have been shown."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < end:
        QApplication.processEvents()
        if not any(w.busy for w in panel.workers()):
            quiet += 1
            if quiet >= 3:
                return
        else:
            quiet = 0
        qtbot.wait(20)
    raise AssertionError("the Explain panel's workers did not finish in time")
