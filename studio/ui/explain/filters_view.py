"""The filters view: what a convolution has learned, read from its weights (first layer by default)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from studio.ui.common import style
from studio.ui.explain import jobs
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.grid_view import GridPane


class FiltersPane(GridPane):
    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        hint = QLabel(self.tr("Grey is zero, light is positive, dark is negative. Deeper layers show one tile "
                              "per (filter, input channel): a row per filter."))
        hint.setObjectName("Caption")
        hint.setWordWrap(True)
        super().__init__(context, "filters", layer_caption=self.tr("Layer"), layer_width=220,
                         scale_caption=self.tr("Colour scale"),
                         scales=[("filter", self.tr("Per filter")), ("shared", self.tr("Shared"))],
                         placeholder=self.tr("Load a model to see its filters"), under_picture=[hint],
                         parent=parent)
        self.view: jobs.FiltersView | None = None
        self.scale.setToolTip(self.tr("Per filter: every tile uses its full contrast (shapes are easy to see). "
                                      "Shared: one scale for the layer (strong and weak filters are easy to tell)."))
        context.input_changed.disconnect(self.invalidate)  # weights do not depend on the input

    def subject_changed(self) -> None:
        subject = self.context.subject
        keep = self.layer.currentData()
        self.layer.blockSignals(True)
        self.layer.clear()
        for name in subject.conv_layers if subject else []:
            self.layer.addItem(name, name)
        index = self.layer.findData(keep) if keep else -1
        self.layer.setCurrentIndex(max(0, index))
        self.layer.setEnabled(self.layer.count() > 0)
        self.layer.blockSignals(False)

    def compute(self) -> None:
        subject, layer, scale = self.context.subject, self.layer.currentData(), self.scale.value()
        background = style.grid_background()
        self.submit(lambda _job: jobs.show_filters(subject, layer, scale, background))

    def show_result(self, result: object) -> None:
        self.view = result
        grid = result.grid
        self.picture.show_rgb(grid.image)
        kernel = "×".join(str(k) for k in grid.kernel)
        text = self.tr("{layer}: {out} filters of {inp}×{kernel}; largest weight magnitude {top:.3g}").format(
            layer=grid.layer, out=grid.out_channels, inp=grid.in_channels, kernel=kernel, top=grid.max_abs)
        if grid.filters_shown < grid.out_channels or grid.channels_shown < grid.in_channels:
            text += "  ·  " + self.tr("showing {f} filters × {c} input channels").format(
                f=grid.filters_shown, c=grid.channels_shown if not grid.colour else 3)
        self.facts.setText(text)
