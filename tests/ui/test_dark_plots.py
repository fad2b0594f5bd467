"""Every plot and the Train verdict follow the theme, live (issue 20, item 16): switch to the dark
theme from the View menu and the Train and Data plots, their axis titles and the verdict banner
turn dark with readable text, as Audio's do; the Data legend hides no bar."""

from __future__ import annotations

import re

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from studio.ui import theme


def luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def plots_of(window):
    train = window.docks["train"].widget()
    data = window.docks["data"].widget()
    c = train.curves
    return train, data, [c.loss_plot, c.metric_plot, c.lr_plot, c.grad_plot, c.confusion_plot, data.histogram.plot]


def test_switching_to_dark_repaints_plots_axis_titles_and_the_verdict(qtbot, launch):
    window = launch(theme="light")
    train, data, plots = plots_of(window)
    qtbot.waitUntil(lambda: data.snapshot is not None, timeout=60_000)
    window.theme_actions["dark"].trigger()  # View > Dark theme
    qtbot.wait(100)
    assert theme.current_theme() == "dark"
    dark = theme.current_colors()
    surface = QColor(dark["surface"])
    for plot in plots:
        window.show_panel("train" if plot is not data.histogram.plot else "data")
        pixel = plot.grab().toImage().pixelColor(3, 3)
        assert luminance(pixel) < 0.1, (plot.getPlotItem().titleLabel.text, pixel.name())
        for side in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(side)
            shown = re.search(r"color: ?(#[0-9a-fA-F]{6})", axis.labelString())
            if axis.labelText:
                assert shown and contrast(QColor(shown.group(1)), surface) >= 7, (axis.labelText, axis.labelString())

    window.show_panel("train")
    banner = train.verdict
    assert banner.isVisible()
    image = banner.grab().toImage()
    fill = image.pixelColor(image.width() - 20, image.height() // 2)
    assert luminance(fill) < 0.1, fill.name()  # it stayed a white card
    text = banner.detail.palette().color(banner.detail.foregroundRole())
    headline = re.findall(r"color:(#[0-9a-fA-F]{6})", banner.headline.text())
    for color in [text] + [QColor(h) for h in headline]:
        assert contrast(color, fill) >= 4.5, (color.name(), fill.name())

    window.theme_actions["light"].trigger()  # and back
    qtbot.wait(100)
    assert luminance(train.curves.loss_plot.grab().toImage().pixelColor(3, 3)) > 0.8


def test_the_class_legend_hides_no_bar(qtbot, launch):
    window = launch(theme="dark")
    _train, data, _plots = plots_of(window)
    window.show_panel("data")
    qtbot.waitUntil(lambda: data.snapshot is not None, timeout=60_000)
    qtbot.wait(50)
    item = data.histogram.plot.getPlotItem()
    vb = item.vb
    bars = []
    for graph in (data.histogram.train_bars, data.histogram.val_bars):
        opts = graph.opts
        for x, h in zip(opts["x"], opts["height"], strict=True):
            bars.append(vb.mapViewToScene(QRectF(x - opts["width"] / 2, 0, opts["width"], h)).boundingRect())
    assert len(bars) == 20
    legend = item.legend
    if legend is not None and legend.isVisible() and legend.items:
        box = legend.sceneBoundingRect()
        covered = [i % 10 for i, bar in enumerate(bars) if bar.intersects(box)]
        assert not covered, f"the legend covers the bars of classes {covered}"
    title = item.titleLabel.text
    assert "train" in title and "validation" in title  # the legend is still there to read
