"""The activations view: one small map per channel of a layer for the current input, dead units framed.

"Dead" is judged on the validation images when the run's data set is at hand (a channel that
never fires on any of them has stopped learning), else on the current image alone; the caption
says which.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from studio.core.explain.render import COLORMAPS
from studio.ui.common import style
from studio.ui.explain import jobs
from studio.ui.explain.cam_view import fill_layers
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.grid_view import GridPane


class ActivationsPane(GridPane):
    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        colormap = QComboBox()
        for name in COLORMAPS:
            colormap.addItem(name, name)
        colormap.setCurrentIndex(colormap.findData("viridis"))
        dead_line = QLabel()
        dead_line.setObjectName("Warning")
        dead_line.setWordWrap(True)
        super().__init__(context, "activations", layer_caption=self.tr("Layer"), layer_width=240,
                         scale_caption=self.tr("Scale"),
                         scales=[("channel", self.tr("Per channel")), ("shared", self.tr("Shared"))],
                         placeholder=self.tr("Pick an input to see what each channel responds to"),
                         controls=[colormap], under_facts=[dead_line], parent=parent)
        self.view: jobs.ActivationsView | None = None
        self.colormap = colormap
        self.dead_line = dead_line
        self.colormap.currentIndexChanged.connect(self.invalidate)

    def subject_changed(self) -> None:
        subject = self.context.subject
        layers = subject.explainable_layers() if subject else []
        keep = self.layer.currentData() or (layers[0].name if layers else None)
        fill_layers(self.layer, layers, subject.default_layer if subject else None, keep)

    def compute(self) -> None:
        subject, x = self.context.subject, self.context.x
        if x is None:
            self.picture.clear_picture()
            return
        layer, scale, cmap = self.layer.currentData(), self.scale.value(), self.colormap.currentData()
        background = style.grid_background()
        self.submit(lambda _job: jobs.show_activations(subject, x, layer, scale, cmap, background))

    def show_result(self, result: object) -> None:
        self.view = result
        self.picture.show_rgb(result.rgb)
        grid = "×".join(str(v) for v in result.grid)
        self.facts.setText(self.tr("{layer}: {n} channels of {grid} for this input (bright = strong response)").format(
            layer=result.layer, n=result.channels, grid=grid))
        if not result.dead:
            where = (self.tr("on {n} validation images").format(n=result.batch_size) if result.dead_on == "batch"
                     else self.tr("on this image"))
            self.dead_line.setText(self.tr("No dead channels {where}.").format(where=where))
            self.dead_line.setObjectName("Caption")
        else:
            shown = ", ".join(str(i) for i in result.dead[:24]) + (" …" if len(result.dead) > 24 else "")
            if result.dead_on == "batch":
                text = self.tr("{k} of {n} channels are dead (never active on {b} validation images), framed in red: "
                               "{list}").format(k=len(result.dead), n=result.channels, b=result.batch_size, list=shown)
            else:
                text = self.tr("{k} of {n} channels are silent on this image, framed in red: {list}").format(
                    k=len(result.dead), n=result.channels, list=shown)
            self.dead_line.setText(text)
            self.dead_line.setObjectName("Warning")
        self.dead_line.style().unpolish(self.dead_line)
        self.dead_line.style().polish(self.dead_line)

    def on_failed(self, message: str) -> None:
        super().on_failed(message)
        self.dead_line.setText("")

    def clear_view(self) -> None:
        super().clear_view()
        self.dead_line.setText("")
