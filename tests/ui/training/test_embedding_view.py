"""The metric-learning view: a real run's `embeddings` events drawn as a PCA scatter, one colour per class."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor

from studio.core.graph.model import Graph
from studio.core.project import Project
from studio.core.train.trainer import run_training
from studio.ui.training.embedding_view import EmbeddingView
from studio.ui.training.plots import PALETTE


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> list[dict]:
    """Two epochs of a small embedding MLP on the digits, triplet loss with semi-hard mining."""
    graph = Graph.chain((("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         ("fc1", "Linear", {"out_features": 32}), ("act", "ReLU", {}),
                         ("fc2", "Linear", {"out_features": 8}),
                         ("emb", "EmbeddingHead", {"loss": "triplet", "mining": "semi-hard", "margin": 0.5})))
    project = Project(name="emb", graph=graph, data={"dataset": "digits", "val_fraction": 0.2, "augment": {},
                                                     "options": {}},
                      training={"optimizer": "adam", "lr": 3e-3, "batch_size": 128, "epochs": 2, "seed": 0,
                                "device": "cpu"})
    out: list[dict] = []
    done = run_training(project, tmp_path_factory.mktemp("emb") / "run", None, out.append)
    assert done["event"] == "done", done
    return out


@pytest.fixture
def view(qtbot):
    v = EmbeddingView()
    qtbot.addWidget(v)
    v.resize(640, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def _distance_near(view: EmbeddingView, x: float, y: float, image, want: QColor) -> int:
    """How far from `want` the closest pixel colour is within a pixel of the data point (x, y)."""
    vb = view.plot.getPlotItem().vb
    scene = vb.mapViewToScene(QPointF(x, y))
    at = view.plot.mapTo(view, view.plot.mapFromScene(scene))
    best = 255
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            got = image.pixelColor(QPoint(at.x() + dx, at.y() + dy))
            best = min(best, max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                                 abs(got.blue() - want.blue())))
    return best


def test_a_real_epoch_is_drawn_one_colour_per_class(view, events):
    event = [e for e in events if e["event"] == "embeddings"][-1]
    assert view.show_event(event)
    assert not view.show_event(next(e for e in events if e["event"] == "epoch"))  # others are ignored
    labels = np.asarray(event["labels"])
    points = np.asarray(event["points"])
    assert sorted(view.scatters) == list(range(10))
    for c in range(10):
        assert np.allclose(view.class_points(c), points[labels == c])
        brush = view.scatters[c].opts["brush"].color()
        assert brush.name() == QColor(PALETTE[c]).name() == view.class_color(c).name()
    # The legend under the plot names every class in its colour; the caption says what is shown.
    for c in range(10):
        assert f"color:{PALETTE[c]}" in view.legend.text() and f"&nbsp;{c}" in view.legend.text()
    n = event["n_val"]
    assert view.caption.text().startswith(f"Epoch 2: {len(points)} of {n} validation samples; the axes hold ")
    # What the user sees: at each class's most isolated point the plot shows that class's colour.
    view.grab()  # settles the auto range
    image = view.grab().toImage()
    for c in range(10):
        mine, others = points[labels == c], points[labels != c]
        gaps = np.sqrt(((mine[:, None, :] - others[None, :, :]) ** 2).sum(-1)).min(1)
        x, y = mine[int(gaps.argmax())]
        assert _distance_near(view, x, y, image, QColor(PALETTE[c])) < 24, c


def test_the_next_epoch_moves_the_points_and_empty_says_when_they_come(view, events):
    first, second = [e for e in events if e["event"] == "embeddings"]
    assert view.caption.text() == "The validation embeddings appear here after the first epoch."
    view.show_event(first)
    before = view.class_points(3).copy()
    view.show_event(second)
    after = view.class_points(3)
    assert before.shape == after.shape and not np.allclose(before, after)
    assert view.caption.text().startswith("Epoch 2:")
    view.clear()
    assert not view.scatters and view.legend.text() == ""
