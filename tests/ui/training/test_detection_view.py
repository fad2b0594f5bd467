"""The Train panel's detection view, fed with the events of a real detection run (the Tiny YOLO
template, 2 short epochs on the CPU): the Detection tab shows, the mAP@0.5 curve takes the Accuracy
plot's place with a point per epoch, the strip draws the newest epoch's images with their true and
predicted boxes, and the IoU / NMS lesson keeps exactly the boxes studio.core.detection.boxes.nms
keeps as its sliders move."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtGui import QColor

from studio.core.detection.boxes import nms
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.metrics_stream import iter_events
from studio.core.train.trainer import run_training


@pytest.fixture(scope="module")
def detection_run(tmp_path_factory):
    project = load_project(TEMPLATES / "tiny_yolo_shapes.studio.json")
    project.data["options"]["count"] = 240
    run_dir = tmp_path_factory.mktemp("yolo") / "run"
    events: list[dict] = []
    final = run_training(project, run_dir, {"epochs": 2, "device": "cpu", "batch_size": 32, "layer_stats_every": 0},
                         emit=events.append)
    assert final["event"] == "done", final
    return run_dir, events


def feed(curves, events, batch: int = 4) -> None:
    for i in range(0, len(events), batch):
        curves.add_events(events[i:i + batch])
    curves.refresh()
    if curves.tabs.isTabVisible(curves.detection_tab):
        curves.tabs.setCurrentIndex(curves.detection_tab)


def newest(events) -> dict:
    return [e for e in events if e["event"] == "detection"][-1]


def edge_has_color(image, x: int, y0: int, y1: int, color: QColor) -> bool:
    """Some pixel of the vertical segment x, y0..y1 of `image` (give or take a pixel across: the pen is
    antialiased) is close to `color`."""
    for y in range(y0 + 2, y1 - 1):
        for dx in (-1, 0, 1):
            px = QColor(image.pixel(x + dx, y))
            if abs(px.red() - color.red()) + abs(px.green() - color.green()) + abs(px.blue() - color.blue()) < 60:
                return True
    return False


def test_a_detection_run_shows_map_and_the_strip_with_boxes(qtbot, train_panel, detection_run):
    from studio.ui.training import detection_view as dv
    from studio.ui.training.detection_draw import GAP_PX, class_color

    _run_dir, events = detection_run
    curves = train_panel.curves
    assert not curves.tabs.isTabVisible(curves.detection_tab)
    feed(curves, events)
    view = curves.detection_view
    assert curves.tabs.isTabVisible(curves.detection_tab)
    assert not curves.metric_plot.isVisibleTo(curves)  # a detector measures no accuracy
    assert view.map_plot.isVisibleTo(curves)
    epochs = [e for e in events if e["event"] == "epoch"]
    x, y = view.map_points()
    assert list(x) == [e["epoch"] for e in epochs] and np.allclose(y, [e["val_map50"] for e in epochs])
    steps = [e for e in events if e["event"] == "step"]
    assert view.part_curves["loss_obj"].getData()[1].size == sum(len(e["series"]["loss_obj"]) for e in steps)

    event = newest(events)
    assert event["epoch"] == 2 and len(event["images"]) == 8
    assert view.caption.text().startswith("Epoch 2: the same 8 validation images")
    shown = [[p for p in preds if p[1] >= dv.STRIP_SCORE] for preds in event["pred"]]
    assert view.boxes_drawn == [(len(t), len(p)) for t, p in zip(event["true"], shown, strict=True)]
    assert sum(len(t) for t in event["true"]) > 0
    # the true boxes are on the picture, in their class's colour, where the event puts them
    image = view.strip_pixmap.toImage()
    side = dv.STRIP_PX
    for i, rows in enumerate(event["true"]):
        r, c = divmod(i, dv.STRIP_COLUMNS)
        tx, ty = GAP_PX + c * (side + GAP_PX), GAP_PX + r * (side + 16 + GAP_PX)
        for cls, x0, y0, _x1, y1 in rows:
            assert edge_has_color(image, tx + round(x0 * side), ty + round(y0 * side), ty + round(y1 * side),
                                  class_color(cls)), (i, cls)
    # predicted boxes: with every score shown, each image draws its boxes after NMS
    dv.STRIP_SCORE, old = 0.0, dv.STRIP_SCORE
    try:
        view.show_event(event)
    finally:
        dv.STRIP_SCORE = old
    assert [p for _t, p in view.boxes_drawn] == [len(p) for p in event["pred"]]
    assert sum(len(p) for p in event["pred"]) > 0

    curves.reset()  # a new run: the tab and the mAP plot go
    assert not curves.tabs.isTabVisible(curves.detection_tab)
    assert not view.map_plot.isVisibleTo(curves)


def expected_kept(event, image: int, iou: float, score: float) -> int:
    raw = np.asarray(event["raw"][image], dtype=np.float64)
    raw = raw[np.argsort(-raw[:, 1], kind="stable")]
    cand = raw[raw[:, 1] >= score]
    return len(nms(torch.tensor(cand[:, 2:6], dtype=torch.float32), torch.tensor(cand[:, 1], dtype=torch.float32),
                   iou))


def test_the_nms_lesson_keeps_what_nms_keeps_as_the_sliders_move(qtbot, train_panel, detection_run):
    run_dir, _events = detection_run
    curves = train_panel.curves
    curves.add_events(list(iter_events(run_dir)))  # a replayed run: the whole file at once
    lesson = curves.detection_view.lesson
    curves.tabs.setCurrentIndex(curves.detection_tab)
    curves.detection_view.pages.setCurrentWidget(lesson)
    event = lesson.event
    assert event is not None and event["epoch"] == 2
    lesson.score_slider.setValue(0)
    image = max(range(len(event["raw"])), key=lambda i: len(event["true"][i]))
    lesson.image_choice.setValue(image + 1)
    counts = []
    for value in (5, 20, 35, 50, 65, 80, 95):
        lesson.iou_slider.setValue(value)
        assert lesson.iou_value.text() == f"{value / 100:.2f}"
        want = expected_kept(event, image, value / 100, 0.0)
        assert len(lesson.kept) == want, value
        table = [lesson.table.item(r, lesson.table.columnCount() - 1).text() for r in range(lesson.table.rowCount())]
        assert table.count("kept") == sum(1 for k in lesson.kept if k < len(table))
        counts.append(want)
    assert len(set(counts)) > 1  # the slider changes what NMS keeps
    assert counts == sorted(counts)  # a higher threshold suppresses less
    lesson.score_slider.setValue(10)
    assert len(lesson.kept) == expected_kept(event, image, 0.95, 0.10)
    assert len(lesson.candidates) == sum(1 for r in event["raw"][image] if r[1] >= 0.10)


def test_a_detection_project_shows_map_instead_of_accuracy_before_its_first_run(qtbot):
    """Opened at launch (the panel built over it) or replaced later: the mAP@0.5 plot is there from the
    start, the Accuracy plot is not."""
    from studio.ui.panels.train import TrainPanel
    from studio.ui.state import AppState

    state = AppState(load_project(TEMPLATES / "tiny_yolo_shapes.studio.json"))
    panel = TrainPanel(state)
    qtbot.addWidget(panel)
    curves = panel.curves
    assert curves.detection_view.map_plot.isVisibleTo(curves)
    assert not curves.metric_plot.isVisibleTo(curves)
    state.replace(load_project(TEMPLATES / "gan_mlp_digits.studio.json"), None)
    assert not curves.detection_view.map_plot.isVisibleTo(curves)
    panel.controller.shutdown()
