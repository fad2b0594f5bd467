"""The Train panel's curves read in the quantity's units (issue 20, items 9 and 10): accuracy in %,
a loss that spans decades on a log axis, the learning rate on a log axis, no "(x0.001)" or
"(x1e+12)" scale factors, an empty plot on a sensible range, "1 epoch", and the verdict's marker at
the step its text names. Driven as a user does: type the learning rate, set the epochs, click Start."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt


def axis_texts(plot, side="left"):
    """What the axis shows: its title and the numbers at its ticks, as pyqtgraph draws them."""
    axis = plot.getPlotItem().getAxis(side)
    levels = axis.tickValues(*axis.range, axis.height() if side == "left" else axis.width())
    numbers = [s for spacing, values in levels for s in axis.tickStrings(values, axis.scale, spacing) if s]
    title = re.sub("<[^>]+>", "", axis.labelString()).strip()
    return title, numbers


def type_training(qtbot, panel, lr: str, epochs: int) -> None:
    form = panel.form
    form.lr.clear()
    qtbot.keyClicks(form.lr, lr)
    qtbot.keyClick(form.lr, Qt.Key.Key_Return)
    form.epochs.selectAll()
    qtbot.keyClicks(form.epochs, str(epochs))
    qtbot.keyClick(form.epochs, Qt.Key.Key_Return)


def train_by_clicking(qtbot, panel):
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    qtbot.waitUntil(lambda: not panel.verdict_task.busy and panel.verdict.state() not in ("too_early",),
                    timeout=30_000)
    qtbot.wait(50)


def test_an_empty_panel_shows_plain_ranges_without_scale_factors(qtbot, train_panel):
    curves = train_panel.curves
    for plot in (curves.loss_plot, curves.metric_plot, curves.lr_plot, curves.grad_plot):
        title, numbers = axis_texts(plot)
        assert title and "(x" not in title, title
        assert numbers and not any(n.startswith(("-", "\u2212")) for n in numbers), (title, numbers)
        # none of these quantities is negative: no -500 … 500 around nothing
    assert {"0%", "100%"} <= set(axis_texts(curves.metric_plot)[1])
    assert curves.lr_plot.getPlotItem().getAxis("left").logMode


def test_a_diverged_run_reads_in_natural_units_and_marks_the_step_it_names(qtbot, train_panel, state, tmp_path):
    state.mark_saved(tmp_path / "proj.studio.json")
    type_training(qtbot, train_panel, "50", 1)
    assert state.project.training["lr"] == 50 and state.project.training["epochs"] == 1
    train_by_clicking(qtbot, train_panel)
    curves = train_panel.curves

    # the loss climbed to ~1e12: a log axis, decades written plainly, no "(x1e+12)"
    assert curves.log_scale.isChecked()
    title, numbers = axis_texts(curves.loss_plot)
    assert title == "Loss" and numbers and not any("e+" in n for n in numbers)
    # accuracy in %, no "650 (x0.001)"
    title, numbers = axis_texts(curves.metric_plot)
    assert title == "Accuracy" and numbers and all(n.endswith("%") for n in numbers), numbers
    assert not any(re.fullmatch(r"\d{3,}%", n) and int(n[:-1]) > 100 for n in numbers)
    assert "validation: " in curves.metric_hover.show_at(float(curves.val_acc.xData[-1]))
    assert curves.metric_hover.last_text.splitlines()[-1].endswith("%")
    # the learning rate on a log axis
    title, numbers = axis_texts(curves.lr_plot)
    assert title == "Learning rate" and curves.lr_plot.getPlotItem().getAxis("left").logMode
    assert {"10", "100"} <= set(numbers), numbers  # decades around the lr of 50, written as numbers
    for plot in (curves.loss_plot, curves.metric_plot, curves.lr_plot, curves.grad_plot, curves.ratio_plot):
        assert "(x" not in axis_texts(plot)[0]

    # the verdict's marker sits at the step its text names
    assert train_panel.verdict.state() == "diverging"
    marker = curves._marker
    steps_named = {int(s) for s in re.findall(r"step (\d+)", train_panel.verdict.detail.text())}
    assert marker is not None and int(marker) in steps_named, (marker, train_panel.verdict.detail.text())
    line = next(i for i in curves.loss_plot.getPlotItem().items if getattr(i, "_verdict_marker", False))
    assert line.value() == marker and f"step {int(marker)}" in line.label.toPlainText()
    assert marker < float(np.max(curves.series.epoch_step.values))  # not at the end of epoch 1

    # "1 epoch", not "1 epochs"
    assert "after 1 epoch ·" in train_panel.progress_label.text(), train_panel.progress_label.text()
    qtbot.mouseClick(train_panel.config_toggle, Qt.MouseButton.LeftButton)  # unfold, fold: the summary
    qtbot.mouseClick(train_panel.config_toggle, Qt.MouseButton.LeftButton)
    assert train_panel.config_summary.text().endswith("1 epoch"), train_panel.config_summary.text()
