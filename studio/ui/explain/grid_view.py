"""A grid of small pictures, one per channel or filter of a layer: the frame of the filters and
activations views.

Both show a layer picker, a colour-scale choice, a line of facts and one picture of tiles drawn by
the core on the card's colour (`style.grid_background`), and both redraw when the layer or the
scale changes. The texts are the views' own, passed in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio.ui.common.widgets import Segmented
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.picture import Picture
from studio.ui.explain.widgets import LazyView

PICTURE_MIN, PICTURE_MAX = 240, 560


def _field_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("FieldLabel")
    return label


class GridPane(LazyView):
    """`layer`, `scale`, `facts` and `picture`; a subclass adds its own widgets through the keyword
    arguments (more controls after the scale, lines under the facts, lines under the picture)."""

    def __init__(self, context: ExplainContext, name: str, *, layer_caption: str, layer_width: int,
                 scale_caption: str, scales: list[tuple[str, str]], placeholder: str,
                 controls: Sequence[QWidget] = (), under_facts: Sequence[QWidget] = (),
                 under_picture: Sequence[QWidget] = (), parent: QWidget | None = None):
        super().__init__(context, name, parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(12)
        self.layer = QComboBox()
        self.layer.setMinimumWidth(layer_width)
        self.scale = Segmented(scales)
        line = QHBoxLayout()
        line.setSpacing(10)
        line.addWidget(_field_label(layer_caption))
        line.addWidget(self.layer)
        line.addSpacing(18)
        line.addWidget(_field_label(scale_caption))
        line.addWidget(self.scale)
        for widget in controls:
            line.addSpacing(12)
            line.addWidget(widget)
        line.addStretch(1)
        column.addLayout(line)
        column.addWidget(self.error)
        self.facts = QLabel()
        self.facts.setObjectName("Facts")
        self.facts.setWordWrap(True)
        column.addWidget(self.facts)
        for widget in under_facts:
            column.addWidget(widget)
        self.picture = Picture(PICTURE_MIN, PICTURE_MAX, placeholder)
        column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignLeft)
        for widget in under_picture:
            column.addWidget(widget)
        column.addStretch(1)
        self.layer.currentIndexChanged.connect(self.invalidate)
        self.scale.changed.connect(self.invalidate)

    def set_layer(self, name: str) -> None:
        self.layer.setCurrentIndex(self.layer.findData(name))

    def on_failed(self, message: str) -> None:
        self.picture.clear_picture("")

    def clear_view(self) -> None:
        self.view = None
        self.picture.clear_picture()
        self.facts.setText("")
