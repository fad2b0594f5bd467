"""What every Explain view looks at: the model (a `Subject`) and the current input image.

The panel owns one `ExplainContext`; the model picker and the input picker change it, and the views
(heatmap, batch, filters, activations, feature visualisation) redraw when it says so. Views that
are not on screen only remember that they are out of date and recompute when shown, so stepping
through samples costs one explanation, not five.
"""

from __future__ import annotations

import torch
from PySide6.QtCore import QObject, Signal

from studio.ui.explain.subject import Subject


class ExplainContext(QObject):
    subject_changed = Signal()
    input_changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.subject: Subject | None = None
        self.x: torch.Tensor | None = None
        """(1, C, H, W) prepared like the training data."""
        self.label: int | None = None
        self.sample_index: int | None = None
        self.input_name = ""
        self.keeping_input = False
        """True while `subject_changed` announces new weights of the same model (the input stays)."""

    def set_subject(self, subject: Subject | None) -> None:
        self.subject = subject
        self.x, self.label, self.sample_index, self.input_name = None, None, None, ""
        self.subject_changed.emit()

    def replace_model(self, subject: Subject) -> None:
        """New weights for the same model (a newer checkpoint): keep the input, redraw everything."""
        if self.subject is not None and subject.samples is None:
            subject.samples, subject.labels, subject.samples_note = (self.subject.samples, self.subject.labels,
                                                                     self.subject.samples_note)
        self.subject = subject
        self.keeping_input = True
        try:
            self.subject_changed.emit()
        finally:
            self.keeping_input = False
        if self.x is not None:
            self.input_changed.emit()

    def set_input(self, x: torch.Tensor, label: int | None, name: str, sample_index: int | None = None) -> None:
        self.x = x if x.dim() == 4 else x.unsqueeze(0)
        self.label, self.input_name, self.sample_index = label, name, sample_index
        self.input_changed.emit()

    def has_input(self) -> bool:
        return self.subject is not None and self.x is not None
