"""The heatmap view on a real trained run: the overlay the user sees is the core's CAM, and it follows the controls."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from explain_ui_support import settle
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from studio.core.explain import compute_cam
from studio.core.explain.runs import graph_forward
from studio.ui.explain import jobs


def core_cam(panel, **kwargs):
    subject = panel.context.subject
    return compute_cam(subject.model, panel.context.x, forward=graph_forward, class_names=subject.class_names, **kwargs)


def hot_at(view: jobs.CamView, peak: tuple[int, int], shape) -> tuple[int, int, int]:
    """The overlay's colour at an input pixel (the overlay is enlarged for display)."""
    rows, cols = view.overlay_rgb.shape[:2]
    r = int((peak[0] + 0.5) * rows / shape[-2])
    c = int((peak[1] + 0.5) * cols / shape[-1])
    return tuple(int(v) for v in view.overlay_rgb[r, c])


def test_gradcam_overlay_peak_matches_the_core(panel):
    view = panel.cam.view
    assert view is not None, panel.cam.error.label.text()
    expected = core_cam(panel, method="gradcam")
    assert view.result.method == "gradcam"
    assert view.result.layer == expected.layer == panel.context.subject.default_layer == "conv3"
    assert view.result.peaks == expected.peaks
    assert torch.allclose(view.result.heatmap, expected.heatmap, atol=1e-5)
    # What is on screen: the overlay at the peak is the hot end of the jet colormap (red over blue).
    red, _, blue = hot_at(view, expected.peaks[0], panel.context.x.shape)
    assert red > blue + 60
    pixmap = panel.cam.overlay_picture.pixmap()
    assert not pixmap.isNull() and pixmap.width() >= jobs.OVERLAY_SIDE - 8
    facts = panel.cam.facts.text()
    assert panel.context.subject.class_name(expected.predicted[0]) in facts
    assert f"row {expected.peaks[0][0]}, column {expected.peaks[0][1]}" in facts


def test_method_layer_target_and_signed_recompute(panel, qtbot):
    cam = panel.cam
    cam.set_method("gradcam++")
    settle(qtbot, panel)
    assert cam.view.result.method == "gradcam++"
    assert torch.allclose(cam.view.result.heatmap, core_cam(panel, method="gradcam++").heatmap, atol=1e-5)

    cam.set_layer("relu2")
    settle(qtbot, panel)
    assert cam.view.result.layer == "relu2"
    assert tuple(cam.view.result.raw.shape[-2:]) == (12, 12)
    assert cam.view.result.peaks == core_cam(panel, method="gradcam++", layer="relu2").peaks

    predicted = cam.view.result.predicted[0]
    other = (predicted + 1) % 3
    cam.set_target(other)
    settle(qtbot, panel)
    assert cam.view.result.targets == [other]
    assert panel.context.subject.class_name(other) in cam.facts.text()

    cam.set_method("gradcam")
    cam.signed.setChecked(True)
    settle(qtbot, panel)
    expected = core_cam(panel, method="gradcam", layer="relu2", target=other, signed=True)
    assert cam.view.result.signed
    assert torch.allclose(cam.view.result.heatmap, expected.heatmap, atol=1e-5)
    assert float(expected.heatmap.min()) < 0.0  # evidence against a class the network does not see
    assert cam.legend_low.text() == "−1"


def test_score_cam_reports_progress_and_every_method_runs(panel, qtbot):
    cam = panel.cam
    seen = []
    cam.worker.progress.connect(lambda values: seen.append(tuple(values)))
    cam.set_method("scorecam")
    settle(qtbot, panel)
    assert cam.view.result.method == "scorecam"
    assert seen and seen[-1][0] == seen[-1][1] == 16  # one masked image per channel of conv3
    assert not cam.progress_line.isVisible()
    for key in ("xgradcam", "hirescam", "layercam", "eigencam"):
        cam.set_method(key)
        settle(qtbot, panel)
        assert cam.view.result.method == key, cam.error.label.text()


def test_opacity_redraws_without_changing_the_map(panel, qtbot):
    cam = panel.cam
    before = cam.view
    cam.opacity.setValue(100)
    qtbot.waitUntil(lambda: cam.view is not before, timeout=10000)
    settle(qtbot, panel)
    assert cam.view.result is before.result  # no new explanation, only a new drawing
    assert not np.array_equal(cam.view.overlay_rgb, before.overlay_rgb)
    # At full opacity the image is gone: every pixel is a colour of the map.
    cam.colormap.setCurrentIndex(cam.colormap.findData("gray"))
    settle(qtbot, panel)
    rgb = cam.view.overlay_rgb
    assert np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2])


def test_batch_grid_shows_true_and_predicted_labels(panel, qtbot):
    cam = panel.cam
    cam.mode.set_value("batch")
    settle(qtbot, panel)
    subject = panel.context.subject
    tiles = cam.tiles
    assert len(tiles) == cam.batch_size.value()
    indices = [t.data.index for t in tiles]
    x, labels = subject.samples[indices], subject.labels[indices]
    with torch.no_grad():
        predicted = graph_forward(subject.model, x).argmax(dim=1)
    for tile, pred, true in zip(tiles, predicted.tolist(), labels.tolist(), strict=True):
        assert tile.data.predicted == pred and tile.data.true == true
        assert tile.correct == (pred == true)
        assert tile.property("outcome") == ("right" if pred == true else "wrong")
        assert subject.class_name(pred) in tile.caption.text()
        if pred != true:
            assert subject.class_name(true) in tile.caption.text()
    right = sum(t.correct for t in tiles)
    assert f"{right} right, {len(tiles) - right} wrong" in cam.batch_facts.text()

    cam.mistakes.setChecked(True)
    settle(qtbot, panel)
    flags = [t.correct for t in cam.tiles]
    assert flags == sorted(flags)  # the wrong ones (False) come first

    chosen = cam.tiles[3]
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert not cam.batch_mode()
    assert panel.context.sample_index == chosen.data.index
    assert cam.view.result.predicted == [chosen.data.predicted]


def test_dropped_image_file_becomes_the_input(panel, qtbot, tmp_path):
    from studio.core.explain import write_png

    subject = panel.context.subject
    picture = (subject.display(subject.samples[7]) * 255).round().byte()[0].numpy()
    path = write_png(tmp_path / "dropped shape.png", np.repeat(picture[:, :, None], 3, axis=2))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(event)
    settle(qtbot, panel)
    assert panel.context.input_name == "dropped shape.png"
    assert panel.context.label is None and "dropped shape.png" in panel.inputs.description.text()
    # The file was prepared like the training data: the same image as sample 7, up to 8-bit rounding.
    assert torch.allclose(panel.context.x[0], subject.samples[7], atol=0.05)
    assert panel.cam.view.result.peaks == core_cam(panel, method="gradcam").peaks


def test_an_unreadable_dropped_file_shows_the_core_message(panel, qtbot, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    assert panel.open_file(bad)
    settle(qtbot, panel)
    assert "is not an image Studio can read" in panel.inputs.error.label.text()
    assert panel.inputs.error.isVisible()


@pytest.mark.parametrize("index", [5])
def test_stepping_through_samples_explains_each(panel, qtbot, index):
    panel.inputs.show_sample(index)
    settle(qtbot, panel)
    assert panel.context.sample_index == index
    assert torch.equal(panel.context.x[0], panel.context.subject.samples[index])
    assert panel.cam.view.result.peaks == core_cam(panel, method="gradcam").peaks
    assert panel.inputs.thumb.rgb is not None
