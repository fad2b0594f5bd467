"""Feature visualisation: grow the image a chosen channel responds to most, step by step.

Hundreds of forward and backward passes: it runs on its own worker, on a private copy of the
model, so heatmaps of the other views keep coming while it runs; it shows a progress bar, can be
cancelled (keeping the image so far) and reports how far the channel's activation rose. A channel
that never fired has no picture to show (only the start noise): the view says so instead.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from studio.core.explain import visualise_feature
from studio.ui.explain.cam_view import fill_layers
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.picture import Picture
from studio.ui.explain.widgets import LazyView, ProgressLine


def run_feature(subject, layer: str, channel: int, steps: int, progress, cancel):
    model = copy.deepcopy(subject.model)  # a private copy: the other views keep the shared model
    return visualise_feature(model, layer, channel, subject.input_shape, steps=steps, mean=subject.mean,
                             std=subject.std, forward=subject.forward, progress=progress, cancel=cancel)


class FeaturePane(LazyView):
    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        super().__init__(context, "feature", parent)
        self.result = None
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(12)
        line = QHBoxLayout()
        line.setSpacing(10)
        self.layer = QComboBox()
        self.layer.setMinimumWidth(240)
        self.channel = QSpinBox()
        self.channel.setRange(0, 0)
        self.steps = QSpinBox()
        self.steps.setRange(8, 2048)
        self.steps.setSingleStep(32)
        self.steps.setValue(128)
        self.start_button = QPushButton(self.tr("Visualise"))
        self.start_button.setObjectName("Primary")
        for text, widget in ((self.tr("Layer"), self.layer), (self.tr("Channel"), self.channel),
                             (self.tr("Steps"), self.steps)):
            caption = QLabel(text)
            caption.setObjectName("FieldLabel")
            line.addWidget(caption)
            line.addWidget(widget)
            line.addSpacing(10)
        line.addWidget(self.start_button)
        line.addStretch(1)
        column.addLayout(line)
        column.addWidget(self.error)
        self.progress_line = ProgressLine(self.worker)
        self.progress_line.cancel_button.clicked.connect(self.cancel)
        column.addWidget(self.progress_line)
        self._intro = self.tr("Gradient ascent on the image (never the weights) from noise, with random "
                              "jitter, scaling and rotation each step so only robust patterns survive; the image's "
                              "average brightness stays at the data's, so the picture shows a pattern.")
        self.facts = QLabel(self._intro)
        self.facts.setObjectName("Caption")
        self.facts.setWordWrap(True)
        column.addWidget(self.facts)
        self.picture = Picture(256, 320, self.tr("Choose a channel and press Visualise"))
        column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.start_button.clicked.connect(self.start)
        self.layer.currentIndexChanged.connect(self._layer_changed)
        context.input_changed.disconnect(self.invalidate)  # the picture does not depend on the input

    def subject_changed(self) -> None:
        self.worker.cancel()
        self.progress_line.stop()
        subject = self.context.subject
        layers = subject.explainable_layers() if subject else []
        fill_layers(self.layer, layers, subject.default_layer if subject else None, self.layer.currentData())
        self._layer_changed()
        self.picture.clear_picture()
        self.facts.setText(self._intro)  # the last result's numbers were about the previous model
        self.result = None
        self.start_button.setEnabled(bool(layers))

    def _layer_changed(self, *_args: object) -> None:
        subject = self.context.subject
        name = self.layer.currentData()
        layer = next((item for item in (subject.layers if subject else []) if item.name == name), None)
        self.channel.setRange(0, max(0, (layer.channels if layer else 1) - 1))

    def compute(self) -> None:
        """Nothing to do on showing: a visualisation starts only when asked."""

    def start(self) -> None:
        subject = self.context.subject
        if subject is None or self.layer.currentData() is None:
            return
        layer, channel, steps = self.layer.currentData(), self.channel.value(), self.steps.value()
        self.progress_line.start(self.tr("Optimising the image…"))
        self.start_button.setEnabled(False)
        self.submit(lambda job: run_feature(subject, layer, channel, steps, job.progress, job.cancelled))

    def cancel(self) -> None:
        """Stop after the current step; the image so far is shown (marked as cancelled)."""
        self.worker.cancel(deliver=True)

    def show_result(self, result: object) -> None:
        self.result = result
        self.progress_line.stop()
        self.start_button.setEnabled(True)
        if result.silent:
            self.picture.clear_picture(self.tr("Channel {c} of {layer} did not fire on anything the ascent "
                                               "tried, so there is no picture to show. Try another channel "
                                               "(the Activations tab shows whether it fires on real inputs).").format(c=result.channel,
                                                                                             layer=result.layer))
        else:
            self.picture.show_rgb(result.rgb)
        history = result.history
        text = self.tr("{layer}, channel {c}: mean activation {a:.3g} → {b:.3g} in {n} steps").format(
            layer=result.layer, c=result.channel, a=history[0] if history else 0.0, b=history[-1] if history else 0.0,
            n=len(history))
        if result.cancelled:
            text += "  ·  " + self.tr("cancelled: the image so far")
        self.facts.setText(text)

    def on_failed(self, message: str) -> None:
        self.progress_line.stop()
        self.start_button.setEnabled(True)
