"""The Try view on a Tiny YOLO run: an image of the multi-object shapes data dropped on the pad is
answered with the picture the network saw and a box round every object, as many boxes as
`studio predict` (the same NMS) finds in that file at the threshold shown; moving the threshold
changes how many; drawing on the pad is answered from the ink.

The run is the Tiny YOLO template trained for 3 short epochs on 320 images (about 8 s on a CPU;
tests/support/tiny_yolo_run.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tiny_yolo_run import busiest_validation_image, trained_tiny_yolo, validation_pictures
from ui_env import drop_file


@pytest.fixture(scope="module")
def detection_run(tmp_path_factory):
    """(run folder, a validation image of the shapes data saved as a PNG)."""
    trained = trained_tiny_yolo(tmp_path_factory)
    (picture,) = validation_pictures(trained, [busiest_validation_image(trained)], "shapes")
    return trained["run_dir"], picture


@pytest.fixture
def view(qtbot, detection_run):
    from studio.ui.try_view.view import TryView

    widget = TryView()
    qtbot.addWidget(widget)
    widget.resize(1150, 560)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_run(detection_run[0])
    qtbot.waitUntil(lambda: widget.predictor is not None, timeout=60_000)
    yield widget
    for task in (widget.loader, widget.task, widget.cam_task):
        task.wait(30)


def coloured_pixels(view) -> int:
    """Pixels of the picture that are not grey: the shapes data is grey, the boxes are coloured."""
    image = view.picture.pixmap().toImage().convertToFormat(view.picture.pixmap().toImage().Format.Format_RGB888)
    a = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = a[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).astype(int)
    return int(((np.abs(rgb[..., 0] - rgb[..., 1]) > 40) | (np.abs(rgb[..., 1] - rgb[..., 2]) > 40)).sum())


def settle(qtbot, view, score: float) -> None:
    view.threshold.set_value(score)
    qtbot.waitUntil(lambda: view.shown_version == view.pad.version and view.caption.text().find(f"{score:.2f}") >= 0,
                    timeout=10_000)


def test_a_dropped_shapes_image_gets_its_boxes_drawn_and_the_threshold_moves_them(qtbot, view, detection_run):
    from studio.core.predict import load_predictor

    run_dir, picture = detection_run
    assert view.kind == "detection" and view.threshold.isVisible() and view.pad.isVisible()
    assert view.picture_heading.text() == "What it found" and not view.listen.isVisible()
    enter, dropped = drop_file(view.pad, picture)
    assert enter and dropped
    qtbot.waitUntil(lambda: view.shown_version == view.pad.version, timeout=10_000)

    predictor = load_predictor(run_dir)  # what `studio predict RUN shapes.png` answers
    low = predictor.predict(picture, score_threshold=0.05)
    assert len(low.boxes) >= 2, "the check needs a run that finds a few boxes"
    settle(qtbot, view, 0.05)
    assert len(view.shown_boxes) == len(low.boxes)
    np.testing.assert_allclose(np.asarray(view.shown_boxes, float), np.asarray(low.rows(), float), atol=1e-6)
    assert view.answer.text() == f"Found {len(low.boxes)} objects"
    assert view.caption.text().startswith(f"{len(low.boxes)} boxes scoring at least 0.05")
    assert [name for name, _ in view.bars.entries()] == [b.name for b in low.boxes[:8]]
    drawn = coloured_pixels(view)
    assert drawn > 100  # the boxes are on the picture

    higher = math.floor(100 * min(b.score for b in low.boxes)) / 100 + 0.01
    settle(qtbot, view, higher)
    fewer = predictor.predict(picture, score_threshold=higher)
    assert len(view.shown_boxes) == len(fewer.boxes) < len(low.boxes)
    assert all(row[1] > higher for row in view.shown_boxes)

    settle(qtbot, view, 0.95)
    if not predictor.predict(picture, score_threshold=0.95).boxes:
        assert view.shown_boxes == [] and view.answer.text() == "No box scores at least 0.95"
        assert coloured_pixels(view) == 0  # the picture alone
    assert view.picture.pixmap().width() == 256  # 64 x 64 shown 4 times as large


def test_drawing_on_the_pad_is_answered_from_the_ink(qtbot, view, detection_run):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    assert view.show_image(detection_run[1])
    qtbot.waitUntil(lambda: view.shown_version == view.pad.version, timeout=10_000)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(view.pad, left, none, QPoint(40, 40))
    for x in range(40, 120, 8):
        QTest.mouseMove(view.pad, QPoint(x, 60))
    QTest.mouseRelease(view.pad, left, none, QPoint(120, 60))
    qtbot.waitUntil(lambda: view.shown_version == view.pad.version, timeout=10_000)
    want = view.predictor.predict(view.pad.pixels(), score_threshold=view.threshold.value())
    assert view.shown_boxes == want.rows()
    view.clear_button.click()
    assert view.shown_boxes == [] and view.picture.pixmap().isNull()
