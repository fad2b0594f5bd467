"""Filters, activations (with dead units) and feature visualisation, on a real trained run."""

from __future__ import annotations

import shutil

import numpy as np
import torch
from explain_ui_support import settle
from PySide6.QtCore import Qt

from studio.core.explain import dead_units, filter_grid
from studio.core.explain.runs import graph_forward
from studio.ui.common import style


def test_filters_view_shows_first_layer_then_any_conv_layer(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.filters)
    settle(qtbot, panel)
    view = panel.filters
    model = panel.context.subject.model
    assert view.layer.currentData() == "conv1"
    expected = filter_grid(model, "conv1", "filter", background=style.grid_background())
    assert np.array_equal(view.picture.rgb, expected.image)
    assert "8 filters of 1×3×3" in view.facts.text()

    view.scale.set_value("shared")
    settle(qtbot, panel)
    shared = filter_grid(model, "conv1", "shared", background=style.grid_background())
    assert view.view.grid.scale == "shared" and np.array_equal(view.picture.rgb, shared.image)
    assert not np.array_equal(shared.image, expected.image)

    view.set_layer("conv2")
    settle(qtbot, panel)
    assert view.view.grid.layer == "conv2" and view.view.grid.in_channels == 8
    assert "16 filters of 8×3×3" in view.facts.text()


def test_activations_view_fills_for_the_current_input(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.activations)
    settle(qtbot, panel)
    view = panel.activations.view
    assert view is not None, panel.activations.error.label.text()
    assert view.layer == "conv1" and view.channels == 8 and view.grid == (24, 24)
    assert panel.activations.picture.rgb is not None
    assert "8 channels of 24×24" in panel.activations.facts.text()
    panel.activations.set_layer("relu2")
    settle(qtbot, panel)
    assert panel.activations.view.layer == "relu2" and panel.activations.view.grid == (12, 12)
    before = panel.activations.view.rgb
    panel.inputs.show_sample(3)
    settle(qtbot, panel)
    assert not np.array_equal(panel.activations.view.rgb, before)  # another image, other responses


def _kill_channel(run_dir, dest, channel: int):
    """A copy of the run whose conv2 channel never fires (a hugely negative bias): a dead unit."""
    shutil.copytree(run_dir, dest)
    for name in ("best.pt", "checkpoint.pt"):
        path = dest / name
        if path.is_file():
            data = torch.load(path, map_location="cpu", weights_only=True)
            data["model"]["conv2.bias"][channel] = -1000.0
            torch.save(data, path)
    return dest


def test_dead_units_are_framed_in_red(make_panel, shapes_run, qtbot, tmp_path):
    run = _kill_channel(shapes_run, tmp_path / "dead-run", channel=5)
    panel = make_panel()
    panel.open_run(run)
    settle(qtbot, panel)
    panel.tabs.setCurrentWidget(panel.activations)
    panel.activations.set_layer("relu2")
    settle(qtbot, panel)
    view = panel.activations.view
    subject = panel.context.subject
    expected = dead_units(subject.model, subject.samples[:256], "relu2", forward=graph_forward)
    assert 5 in expected.dead
    assert view.dead == expected.dead and view.dead_on == "batch"
    assert "dead" in panel.activations.dead_line.text() and "5" in panel.activations.dead_line.text()
    # Channel 5 is the second tile of the second row (4 columns of 12x12 maps enlarged 4x, 2 px apart).
    top_left = 2 + 1 * (48 + 2)
    assert tuple(view.rgb[top_left, top_left]) == (220, 30, 30)
    assert tuple(view.rgb[2, 2]) != (220, 30, 30) or 0 in expected.dead


def test_feature_visualisation_progress_and_cancel(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.feature)
    feature = panel.feature
    assert feature.layer.currentData() == "conv3"
    feature.channel.setValue(2)
    feature.steps.setValue(24)
    progress = []
    feature.worker.progress.connect(lambda values: progress.append(tuple(values)))
    feature.start()
    assert feature.progress_line.isVisible()
    settle(qtbot, panel)
    result = feature.result
    assert result is not None and not result.cancelled
    assert (result.layer, result.channel) == ("conv3", 2)
    assert len(result.history) == 24 and result.history[-1] > result.history[0]
    assert progress[-1] == (24, 24)
    assert feature.picture.rgb.shape == (24, 24, 3)
    assert not feature.progress_line.isVisible()
    # The model the other views use is untouched (the visualisation ran on a private copy).
    assert all(p.grad is None for p in panel.context.subject.model.parameters())

    feature.steps.setValue(2000)
    feature.start()
    qtbot.waitUntil(lambda: feature.progress_line.bar.value() >= 3, timeout=30000)
    qtbot.mouseClick(feature.progress_line.cancel_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert feature.result.cancelled and len(feature.result.history) < 2000
    assert "cancelled" in feature.facts.text()
