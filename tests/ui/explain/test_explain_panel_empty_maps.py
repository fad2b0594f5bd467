"""The Explain panel on the MNIST CNN, driven with clicks and keys: an empty heatmap is called empty
(no flat colour, no peak, advice instead) and feature pictures show a pattern, not black."""

from __future__ import annotations

import numpy as np
from explain_ui_support import settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from studio.core.explain import compute_cam


def choose(qtbot, combo, data) -> None:
    """Open the combo box's list with a click and click the entry whose data is `data`."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 100)  # the list ignores a release this soon after opening
    index = combo.model().index(combo.findData(data), 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentData() == data


def type_sample(qtbot, panel, index: int) -> None:
    box = panel.inputs.index
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, str(index))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(qtbot, panel)
    assert panel.context.sample_index == index


def on_screen(picture) -> np.ndarray:
    """The grey levels the picture widget shows (its pixmap, as drawn)."""
    image = picture.pixmap().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return pixels[:, :width].copy()  # a copy: the buffer goes with the QImage


def test_an_empty_gradcam_map_is_named_with_advice_and_the_default_layer_draws_one(mnist_panel, qtbot):
    panel, cam = mnist_panel, mnist_panel.cam
    subject = panel.context.subject
    pooled = compute_cam(subject.model, subject.samples[:40], layer="pool1", forward=subject.forward)
    empty = pooled.empty.index(True)
    type_sample(qtbot, panel, empty)
    # The default (★) layer is the convolution, and its map of this digit is a real one.
    assert cam.layer.currentData() == subject.default_layer == "conv2"
    assert "★" in cam.layer.currentText()
    assert not cam.view.result.empty[0] and not cam.overlay_picture.pixmap().isNull()
    assert "Peak at row" in cam.facts.text() and cam.legend_box.isVisible()

    choose(qtbot, cam.layer, "pool1")
    settle(qtbot, panel)
    assert cam.view.result.layer == "pool1" and cam.view.result.empty[0]
    assert cam.overlay_picture.pixmap().isNull(), "no flat colour drawn as if it were a map"
    assert "Empty map" in cam.overlay_picture.text() and "pool1" in cam.overlay_picture.text()
    facts = cam.facts.text()
    assert "Peak at row" not in facts and "no peak" in facts
    assert "Try Layer-CAM, or the layer conv2" in facts
    assert not cam.legend_box.isVisible()

    choose(qtbot, cam.method, "layercam")  # the advice, followed
    settle(qtbot, panel)
    assert cam.view.result.method == "layercam" and not cam.view.result.empty[0]
    assert not cam.overlay_picture.pixmap().isNull() and "Peak at row" in cam.facts.text()

    choose(qtbot, cam.method, "gradcam")
    qtbot.mouseClick(cam.mode.buttons["batch"], Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    flagged = [tile for tile in cam.tiles if tile.data.empty]
    assert flagged and all("empty" in tile.caption.text() for tile in flagged)
    assert f"{len(flagged)} empty maps" in cam.batch_facts.text()


def test_feature_pictures_of_conv2_and_pool1_are_not_black(mnist_panel, qtbot):
    panel, feature = mnist_panel, mnist_panel.feature
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(panel.tabs.indexOf(feature)).center())
    assert panel.tabs.currentWidget() is feature
    for layer in ("conv2", "pool1"):
        choose(qtbot, feature.layer, layer)
        assert feature.channel.value() == 0
        qtbot.mouseClick(feature.start_button, Qt.MouseButton.LeftButton)
        settle(qtbot, panel)
        result = feature.result
        assert (result.layer, result.channel) == (layer, 0) and len(result.history) == 128
        shown = on_screen(feature.picture).astype(np.float32)
        assert shown.std() > 25, f"{layer}: the picture on screen is nearly one grey (std {shown.std():.1f})"
        assert shown.max() - shown.min() > 128 and shown.mean() > 20, "dark and light areas, not black"
        assert f"{layer}, channel 0: mean activation" in feature.facts.text()
