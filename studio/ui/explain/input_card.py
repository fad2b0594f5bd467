"""Choosing the input: a validation sample (step, jump, random) or an image file (open or drop).

An image file is converted to the model's channels and size and normalised like the training data
(`studio.core.explain.runs.load_image`); reading it happens on the worker, like everything else
that touches pixels.
"""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.messages import ERROR, MessageBar, Msg
from studio.ui.common.widgets import Card
from studio.ui.drops import image_patterns
from studio.ui.explain import jobs
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.picture import Picture

THUMB_SIDE = 96


class InputCard(Card):
    MESSAGES = (Msg("unreadable", ERROR), Msg("no_model", ERROR))
    """A file that is not an image Studio can read; an image given before any model."""

    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        super().__init__(self.tr("Input"), parent=parent, compact=True)
        self.context = context
        self.worker = QtJobRunner("explain-input", parent=self)
        self.worker.result.connect(self._on_ready)
        self.worker.error.connect(lambda message, _user_error: self.error.show_message("unreadable", message))
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("DropZone")
        row = QHBoxLayout(self.drop_zone)
        row.setContentsMargins(12, 10, 14, 10)
        row.setSpacing(16)
        self.thumb = Picture(THUMB_SIDE, THUMB_SIDE, "")
        row.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(8)
        line = QHBoxLayout()
        line.setSpacing(8)
        self.previous_button = QPushButton("◀")
        self.previous_button.setToolTip(self.tr("Previous sample"))
        self.index = QSpinBox()
        self.index.setMinimumWidth(90)
        self.index.setKeyboardTracking(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("Caption")
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("Next sample"))
        self.random_button = QPushButton(self.tr("Random"))
        self.open_button = QPushButton(self.tr("Open image…"))
        caption = QLabel(self.tr("Sample"))
        caption.setObjectName("FieldLabel")
        for w in (caption, self.previous_button, self.index, self.next_button, self.count_label):
            line.addWidget(w)
        line.addStretch(1)
        column.addLayout(line)
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addWidget(self.random_button)
        line.addWidget(self.open_button)
        line.addStretch(1)
        column.addLayout(line)
        self.description = QLabel(self.tr("Load a model first."))
        self.description.setObjectName("Facts")
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.description)
        hint = QLabel(self.tr("Or drop an image file (PNG, JPEG, …) on this panel."))
        hint.setObjectName("Caption")
        hint.setWordWrap(True)  # one line of it set the card's width: pt-BR's made the page scroll sideways
        column.addWidget(hint)
        column.addStretch(1)
        row.addLayout(column, 1)
        self.column.addWidget(self.drop_zone)
        self.error = MessageBar(self.MESSAGES)
        self.column.addWidget(self.error)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.random_button.clicked.connect(self.random_sample)
        self.open_button.clicked.connect(self._choose_file)
        self.index.valueChanged.connect(self.show_sample)
        context.subject_changed.connect(self._on_subject)
        self._set_sample_controls(False)

    def _set_sample_controls(self, on: bool) -> None:
        for w in (self.previous_button, self.index, self.next_button, self.random_button):
            w.setEnabled(on)

    def _on_subject(self) -> None:
        if self.context.keeping_input:
            return
        subject = self.context.subject
        self.error.clear()
        if subject is None:
            self.worker.cancel()  # a thumbnail of the previous model's input may still be on its way
        self.open_button.setEnabled(subject is not None)
        has = subject is not None and subject.samples is not None and len(subject.samples) > 0
        self._set_sample_controls(has)
        if not has:
            self.count_label.setText("")
            self.thumb.clear_picture()
            self.description.setText(subject.samples_note if subject else self.tr("Load a model first."))
            return
        total = int(subject.samples.shape[0])
        self.index.blockSignals(True)
        self.index.setRange(0, total - 1)
        self.index.setValue(0)
        self.index.blockSignals(False)
        self.count_label.setText(self.tr("of {n}").format(n=total))
        self.show_sample(0)

    # --- choosing -------------------------------------------------------------------------------
    def step(self, delta: int) -> None:
        self.index.setValue((self.index.value() + delta) % (self.index.maximum() + 1))

    def random_sample(self) -> None:
        self.index.setValue(random.randrange(self.index.maximum() + 1))

    def show_sample(self, i: int) -> None:
        """Make validation sample `i` the input of every view."""
        subject = self.context.subject
        if subject is None or subject.samples is None:
            return
        if self.index.value() != i:
            self.index.setValue(i)  # comes back here through valueChanged
            return
        x = subject.samples[i:i + 1]
        label = int(subject.labels[i]) if subject.labels is not None else None
        self.error.clear()
        self.context.set_input(x, label, f"#{i}", sample_index=i)
        self.worker.submit(lambda _job: ("thumb", jobs.display_rgb(subject, x[0], THUMB_SIDE)))
        text = self.tr("Validation sample <b>#{i}</b>").format(i=i)
        if label is not None:
            text += "  ·  " + self.tr("true class <b>{name}</b>").format(name=subject.class_name(label))
        self.description.setText(text)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image"), str(Path.cwd()),
                                              self.tr("Images ({pattern})").format(pattern=image_patterns()))
        if path:
            self.open_image(Path(path))

    def open_image(self, path: Path) -> bool:
        """Use an image file as the input (read and prepared on the worker)."""
        subject = self.context.subject
        if subject is None:
            self.error.show_message("no_model", self.tr("Load a model first: the image is prepared the way its training data was."))
            return False
        self.error.clear()

        def job(_job):
            x = subject.load_image(path)
            return ("file", x, jobs.display_rgb(subject, x[0], THUMB_SIDE), Path(path).name)

        self.worker.submit(job)
        return True

    def _on_ready(self, result: tuple) -> None:
        if result[0] == "thumb":
            self.thumb.show_rgb(result[1])
            return
        _, x, thumb, name = result
        self.thumb.show_rgb(thumb)
        self.context.set_input(x, None, name)
        self.description.setText(self.tr("Image file <b>{name}</b> (true class unknown)").format(name=name))
