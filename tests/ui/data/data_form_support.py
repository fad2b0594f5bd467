"""Small data sets on disk and a project for the Data panel's options form tests."""

from __future__ import annotations

import csv
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from studio.core.graph.model import Graph
from studio.core.project import Project


def digits_project() -> Project:
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         ("out", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    return Project(name="data-form-test", graph=graph,
                   data={"dataset": "digits", "val_fraction": 0.2, "augment": {}, "options": {}},
                   training={"optimizer": "adam", "lr": 3e-3, "batch_size": 16, "epochs": 1, "seed": 0,
                             "device": "cpu"})


def pictures(root: Path, classes: tuple[str, ...], per_class: int = 4) -> Path:
    """ROOT/<class>/<i>.png: small grey PNGs, a different brightness per class."""
    for c, name in enumerate(classes):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.new("L", (12, 10), 30 + 60 * c + 5 * i).save(root / name / f"{i}.png")
    return root


def table(path: Path) -> Path:
    """A CSV with two numeric features, a numeric score and a text label."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["width", "height", "score", "kind"])
        for i in range(12):
            out.writerow([i, 12 - i, i * 0.37, "tall" if i % 3 else "wide"])
    return path


# --- driving the Data panel's options form ---------------------------------------------------
def shown_classes(panel) -> list[str]:
    """The class names under the histogram's bars, as drawn."""
    axis = panel.histogram.plot.getPlotItem().getAxis("bottom")
    return [text for _, text in axis._tickLevels[0]] if axis._tickLevels else []


def field(panel, key, kind=None):
    QApplication.processEvents()  # a row added to a shown page is shown by a queued call
    widget = panel.options_form.fields[key]
    if kind is not None:
        assert isinstance(widget, kind), f"{key} is a {type(widget).__name__}"
    assert widget.isVisible(), f"the {key} field is on the page"
    return widget


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def settled(qtbot, panel, condition=lambda: True) -> None:
    qtbot.waitUntil(lambda: not panel.busy and condition(), timeout=60_000)
