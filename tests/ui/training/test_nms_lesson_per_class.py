"""The IoU / NMS lesson's "Per class" switch and "New image" button (issue 17).

Per class on, a box only suppresses boxes of its own class (torchvision's batched_nms); off, any box
suppresses any other. "New image" adds a validation image the strip does not show, with the raw boxes
of the run's newest weights, from the run folder its `start` event names."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.resources import TEMPLATES

WAIT_MS = 60_000


def _event(raw_rows, classes=("circle", "square", "triangle")) -> dict:
    """A `detection` event (studio/core/detection/preview.py) of one blank 64×64 image."""
    return {"event": "detection", "epoch": 3, "step": 30, "shape": [1, 64, 64], "images": [[0] * 64 * 64],
            "true": [[]], "pred": [[]], "raw": [raw_rows], "grid": [8, 8], "anchors": [[0.2, 0.2]],
            "class_names": list(classes), "score_threshold": 0.05, "nms_iou": 0.45}


def _verdicts(lesson) -> list[str]:
    return [lesson.table.item(r, lesson.table.columnCount() - 1).text() for r in range(lesson.table.rowCount())]


def test_per_class_switch_keeps_an_overlapping_box_of_another_class(qtbot):
    from studio.ui.training.detection_lesson import NmsLesson

    lesson = NmsLesson()
    qtbot.addWidget(lesson)
    lesson.show()
    # three nearly identical boxes: a circle (0.9), a square (0.8), another circle (0.7)
    lesson.show_event(_event([[0, 0.9, 0.10, 0.10, 0.50, 0.50, 2, 2, 0],
                              [1, 0.8, 0.12, 0.12, 0.52, 0.52, 2, 2, 0],
                              [0, 0.7, 0.11, 0.11, 0.51, 0.51, 2, 2, 0]]))
    assert lesson.per_class.text() == "Per class" and not lesson.per_class.isChecked()
    assert lesson.kept == [0], "across classes the circle suppresses the square too"
    assert _verdicts(lesson)[1].startswith("by #1") and _verdicts(lesson)[2].startswith("by #1")
    assert "of any class" in lesson.summary.text()

    qtbot.mouseClick(lesson.per_class, Qt.MouseButton.LeftButton)
    assert lesson.per_class.isChecked()
    assert lesson.kept == [0, 1], "per class the square stays: only the other circle is suppressed"
    assert _verdicts(lesson) == ["kept", "kept", _verdicts(lesson)[2]] and _verdicts(lesson)[2].startswith("by #1")
    assert "of the same class" in lesson.summary.text()


def test_per_class_lesson_keeps_what_torchvision_batched_nms_keeps(qtbot):
    from studio.ui.training.detection_lesson import NmsLesson

    lesson = NmsLesson()
    qtbot.addWidget(lesson)
    lesson.per_class.setChecked(True)
    lesson.score_slider.setValue(0)
    g = torch.Generator().manual_seed(7)
    for trial in range(20):
        xy = torch.rand(40, 2, generator=g) * 0.6
        wh = 0.1 + torch.rand(40, 2, generator=g) * 0.3
        boxes = torch.cat([xy, xy + wh], dim=1)
        scores = torch.rand(40, generator=g) * 0.9 + 0.05
        classes = torch.randint(0, 3, (40,), generator=g)
        rows = [[int(c), float(s), *b.tolist(), 0, 0, 0] for b, s, c in zip(boxes, scores, classes, strict=True)]
        lesson.show_event(_event(rows))
        lesson.iou_slider.setValue(20 + trial * 3)
        cand = lesson.candidates
        want = torchvision.ops.batched_nms(torch.tensor(cand[:, 2:6], dtype=torch.float32),
                                           torch.tensor(cand[:, 1], dtype=torch.float32),
                                           torch.tensor(cand[:, 0], dtype=torch.long), lesson.iou_threshold)
        assert lesson.kept == want.tolist(), trial


@pytest.fixture(scope="module")
def detector_events(tmp_path_factory):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    project = load_project(TEMPLATES / "tiny_yolo_shapes.studio.json")
    project.data["options"]["count"] = 160
    run_dir = tmp_path_factory.mktemp("nms-lesson") / "run"
    events: list[dict] = []
    done = run_training(project, run_dir, {"device": "cpu", "epochs": 1, "batch_size": 16, "max_steps": 6,
                                           "layer_stats_every": 0}, emit=events.append)
    assert done["event"] == "done", done
    return run_dir, events


def test_new_image_adds_a_fresh_validation_image_with_the_runs_raw_boxes(qtbot, detector_events):
    from studio.core.detection.lesson_image import FreshImages
    from studio.core.detection.preview import PREVIEW_IMAGES
    from studio.ui.training.detection_view import DetectionView

    run_dir, events = detector_events
    view = DetectionView()
    qtbot.addWidget(view)
    view.show()
    lesson = view.lesson
    assert not lesson.new_image.isEnabled(), "no run yet: nothing to draw from"
    view.add_events(events)
    view.pages.setCurrentWidget(lesson)
    assert lesson.run_dir == run_dir and lesson.new_image.isEnabled()
    assert lesson.image_choice.maximum() == PREVIEW_IMAGES
    strip_images = [list(im) for im in view.last_event["images"]]
    before = lesson.picture.pixmap().toImage()

    qtbot.mouseClick(lesson.new_image, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lesson.fresh_task.settled and len(lesson.fresh_indices) == 1, timeout=WAIT_MS)
    assert lesson.image_choice.maximum() == PREVIEW_IMAGES + 1 and lesson.image_choice.value() == PREVIEW_IMAGES + 1
    index = lesson.fresh_indices[0]
    assert index >= PREVIEW_IMAGES, "a validation image the strip does not already show"
    want = FreshImages(run_dir).draw(index)
    assert lesson.event["images"][-1] == want["images"][0]
    assert lesson.event["images"][-1] not in strip_images
    np.testing.assert_allclose(np.asarray(lesson.event["raw"][-1]), np.asarray(want["raw"][0]))
    assert len(lesson.candidates) == sum(1 for r in want["raw"][0] if r[1] >= lesson.score_threshold)
    assert f"New validation image #{index + 1}" in lesson.summary.text()
    assert lesson.picture.pixmap().toImage() != before, "the fresh image is drawn"
    assert len(view.last_event["images"]) == PREVIEW_IMAGES, "the strip keeps its own images"
