"""Try an .onnx file: open it (dialog or drop), run it on dataset samples or on an image, see the top-k.

Opening starts an onnxruntime session and may load a dataset, so it happens on a thread; a single
prediction afterwards is one forward of batch 1 (well under a millisecond for the course models)
and runs right away. The file's own metadata says how to prepare an image and what the classes are
called; `inference_samples.samples_for` finds validation samples that fit the file's inputs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
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

from studio.app.jobs import Policy
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.topk import TopKBars
from studio.ui.common.widgets import Card, Segmented, VerdictBanner
from studio.ui.drops import image_patterns
from studio.ui.export.export_section import RoomForBoldChoice

PICTURE_SIZE = 168


def to_pixmap(pixels: np.ndarray, size: int = PICTURE_SIZE) -> QPixmap:
    """An 8-bit grey (H, W) or RGB (H, W, 3) array as a pixmap scaled up without smoothing."""
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    if pixels.ndim == 2:
        image = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        image = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    image = image.copy()  # own the bytes: the array may go away
    return QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation)


class InferenceSection(Card):
    """`open_onnx(path)` loads a file; `show_sample(i)` / `classify_image(path)` predict."""

    def __init__(self, candidates: Callable[[], list[dict[str, Any]]], parent: QWidget | None = None):
        super().__init__(self.tr("Try an ONNX file"),
                         self.tr("Run an exported model the way an application would: onnxruntime only, "
                                 "inputs prepared from the file's own metadata."), parent)
        self._candidates = candidates
        self.model = None
        self.samples = None
        self.index = 0
        self.image_path: Path | None = None
        # the newest file asked for wins: one just exported replaces one still opening
        self.task = QtJobRunner("onnx-open", Policy.LATEST, self)
        self.task.result.connect(self._on_loaded)
        self.task.error.connect(self._on_failed)
        self._build()

    def _build(self) -> None:
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("DropZone")
        zone = QHBoxLayout(self.drop_zone)
        zone.setContentsMargins(16, 12, 16, 12)
        zone.setSpacing(12)
        self.open_button = QPushButton(self.tr("Open .onnx…"))
        self.open_button.clicked.connect(self._choose_file)
        self.file_label = QLabel(self.tr("No model open. Drop an .onnx file here, or an image to classify."))
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        zone.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        zone.addWidget(self.file_label, 1)
        self.column.addWidget(self.drop_zone)

        self.error = VerdictBanner()
        self.column.addWidget(self.error)

        self.body = QWidget()
        body = QHBoxLayout(self.body)
        body.setContentsMargins(0, 4, 0, 0)
        body.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.source = Segmented([("dataset", self.tr("Dataset samples")), ("image", self.tr("An image"))])
        self.source.changed.connect(self._on_source)
        RoomForBoldChoice(self.source)  # the page draws the chosen source bold, as it does the format
        left.addWidget(self.source)
        self.picture = QLabel()
        self.picture.setObjectName("Picture")
        self.picture.setFixedSize(PICTURE_SIZE + 8, PICTURE_SIZE + 8)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.picture)
        nav = QHBoxLayout()
        nav.setSpacing(6)
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(self.tr("Previous sample"))
        self.prev_button.clicked.connect(lambda: self.show_sample(self.index - 1))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("Next sample"))
        self.next_button.clicked.connect(lambda: self.show_sample(self.index + 1))
        self.random_button = QPushButton(self.tr("Random"))
        self.random_button.clicked.connect(self._random_sample)
        self.image_button = QPushButton(self.tr("Open image…"))
        self.image_button.clicked.connect(self._choose_image)
        for b in (self.prev_button, self.next_button, self.random_button, self.image_button):
            nav.addWidget(b)
        nav.addStretch(1)
        left.addLayout(nav)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.caption.setMaximumWidth(PICTURE_SIZE + 120)
        left.addWidget(self.caption)
        left.addStretch(1)
        body.addLayout(left)

        right = QVBoxLayout()
        right.setSpacing(8)
        top = QHBoxLayout()
        self.prediction = QLabel()
        self.prediction.setObjectName("CardTitle")
        top.addWidget(self.prediction, 1)
        k_label = self.k_label = QLabel(self.tr("Top"))
        k_label.setObjectName("FieldLabel")
        self.k = QSpinBox()
        self.k.setRange(1, 20)
        self.k.setValue(5)
        self.k.valueChanged.connect(self._repredict)
        top.addWidget(k_label)
        top.addWidget(self.k)
        right.addLayout(top)
        self.bars = TopKBars()
        right.addWidget(self.bars)
        self.model_info = QLabel()
        self.model_info.setObjectName("Hint")
        self.model_info.setWordWrap(True)
        right.addWidget(self.model_info)
        right.addStretch(1)
        body.addLayout(right, 1)
        self.column.addWidget(self.body)
        self.body.hide()

    # --- opening --------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an ONNX model"), "",
                                              self.tr("ONNX model (*.onnx)"))
        if path:
            self.open_onnx(Path(path))

    def open_onnx(self, path: Path) -> bool:
        path = Path(path)
        self.error.clear()
        self.file_label.setText(self.tr("Opening {name}…").format(name=path.name))
        candidates = self._candidates()
        self.task.submit(lambda _job: _open_job(path, candidates))
        return True

    def _on_loaded(self, result: tuple[Any, Any]) -> None:
        self.model, self.samples = result
        self.seed = 0
        io = self.model.io
        meta = self.model.metadata
        shapes = ", ".join(f"{n} {list(s)}" for n, s in zip(io.input_names, io.input_shapes, strict=True))
        self.file_label.setText(f"<b>{self.model.path.name}</b><br><span>{self.model.path.parent}</span>")
        facts = [self.tr("inputs {shapes}").format(shapes=shapes)]
        conditional = "int64" in io.input_dtypes
        if io.class_names and (conditional or io.task != "gan_generator"):
            facts.append(self.tr("{n} classes").format(n=len(io.class_names)))
        if meta.get("studio_version"):
            facts.append(self.tr("exported by Studio {v}").format(v=meta["studio_version"]))
        if meta.get("quantization"):
            facts.append("INT8")
        if self.samples is not None:
            facts.append(self.tr("samples: {name} validation set").format(name=self.samples.name))
        self.model_info.setText("  ·  ".join(facts))
        self.body.show()
        gan = self.model.is_generator or self.model.is_discriminator
        for w in (self.source, self.k_label, self.k, self.bars, self.prev_button, self.next_button,
                  self.image_button):
            w.setVisible(not gan)
        self.random_button.setVisible(not gan or self.model.is_generator)
        if not gan:  # as the source chosen shows them (the dataset's navigation, or none for an image)
            for b in (self.prev_button, self.next_button, self.random_button):
                b.setVisible(self.source.value() == "dataset")
        if self.model.is_generator:
            self.show_generated(0)
            return
        if self.model.is_discriminator:
            self._clear_prediction(self.tr("This file is a GAN's discriminator: it gives one verdict per image "
                                           "(near 1: real, near 0: generated), not classes, so there is no top-k "
                                           "to show. Export the generator to see the images it draws."))
            return
        has_samples = self.samples is not None and len(self.samples) > 0
        self.source.buttons["dataset"].setEnabled(has_samples)
        if self.image_path is not None:
            self.classify_image(self.image_path)
        elif has_samples:
            self.source.set_value("dataset")
            self.show_sample(0)
        else:
            self.source.set_value("image")
            self._clear_prediction(self.tr("No dataset at hand fits this model's inputs: open or drop an image."))

    def _on_failed(self, message: str, _user_error: bool) -> None:
        self.file_label.setText(self.tr("No model open. Drop an .onnx file here, or an image to classify."))
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.show_verdict("error", "✕", self.tr("Cannot run this"), message)

    # --- predicting -----------------------------------------------------------------------------
    def _on_source(self, key: str) -> None:
        dataset = key == "dataset"
        for b in (self.prev_button, self.next_button, self.random_button):
            b.setVisible(dataset)
        if dataset and self.samples is not None and self.model is not None:
            self.image_path = None
            self.show_sample(self.index)

    def show_generated(self, seed: int) -> None:
        """A generator's file: a grid of images drawn from seeded noise (the class in turn, for a cGAN)."""
        from studio.core.errors import UserError

        self.seed = seed
        self.image_path = None
        try:
            grid, labels = self.model.generate(16, seed)
        except UserError as exc:
            self.show_error(exc.one_line())
            return
        self.error.clear()
        self.picture.setPixmap(to_pixmap(grid))
        self.prediction.setText(self.tr("Generated from noise"))
        caption = self.tr("16 images from noise seed {seed}; Random draws new noise.").format(seed=seed)
        if labels is not None:
            names = self.model.class_names
            asked = ", ".join(names[i] if i < len(names) else str(i) for i in labels[:4])
            caption += " " + self.tr("Classes asked for, row by row: {classes}, …").format(classes=asked)
        self.caption.setText(caption)

    def _random_sample(self) -> None:
        if self.model is not None and self.model.is_generator:
            self.show_generated(random.randrange(1, 10_000))
            return
        if self.samples is not None:
            self.show_sample(random.randrange(len(self.samples)))

    def show_sample(self, index: int) -> None:
        if self.model is None or self.samples is None or not len(self.samples):
            return
        from studio.core.errors import UserError

        self.index = index % len(self.samples)
        self.image_path = None
        if self.source.value() != "dataset":
            self.source.set_value("dataset")
        pixels = self.samples.picture(self.index)
        if pixels is not None:
            self.picture.setPixmap(to_pixmap(pixels))
        else:
            self.picture.setText(self.tr("(not an image)"))
        truth = self.samples.label_name(self.index)
        caption = self.tr("Sample {i} of {n}").format(i=self.index + 1, n=len(self.samples))
        if truth is not None:
            caption += " · " + self.tr("true class {name}").format(name=truth)
        self.caption.setText(caption)
        try:
            inputs = self.samples.inputs(self.index, len(self.model.io.input_names))
            prediction = self.model.topk(inputs, self.k.value())[0]
        except UserError as exc:
            self.show_error(exc.one_line())
            return
        self._show_prediction(prediction, truth)

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image"), "",
                                              self.tr("Images ({p})").format(p=image_patterns()))
        if path:
            self.classify_image(Path(path))

    def classify_image(self, path: Path) -> None:
        from studio.core.errors import UserError

        self.image_path = Path(path)
        if self.model is None:
            self.file_label.setText(self.tr("Open an .onnx model first; the image {name} waits.").format(
                name=self.image_path.name))
            return
        if self.model.is_generator or self.model.is_discriminator:
            self.image_path = None
            self.show_error(self.tr("This file is one network of a GAN; it does not classify images."))
            return
        self.source.set_value("image")
        self.error.clear()
        from studio.core.data.images import open_user_image

        try:
            # one decode, through the shared checks (size limit, truncated files), for both uses
            picture = open_user_image(self.image_path, fix="use a PNG or JPEG file")
            prepared = self.model.prepare_image(picture)
            prediction = self.model.topk([prepared], self.k.value())[0]
        except UserError as exc:
            self.show_error(exc.one_line())
            return
        preview = picture.convert("RGB")
        preview.thumbnail((PICTURE_SIZE, PICTURE_SIZE))
        self.picture.setPixmap(to_pixmap(np.asarray(preview)))
        self.caption.setText(self.image_path.name)
        self._show_prediction(prediction, None)

    def _repredict(self, _k: int) -> None:
        if self.model is None or self.model.is_generator or self.model.is_discriminator:
            return
        if self.image_path is not None:
            self.classify_image(self.image_path)
        else:
            self.show_sample(self.index)

    def _show_prediction(self, prediction, truth: str | None) -> None:
        self.error.clear()
        best = prediction.classes[0]
        mark = ""
        if truth is not None:
            mark = "  ✓" if best == truth else "  ✗"
        self.prediction.setText(self.tr("Predicted: {name}").format(name=best) + mark)
        self.bars.set_entries(list(zip(prediction.classes, prediction.probabilities, strict=True)))

    def _clear_prediction(self, text: str) -> None:
        self.picture.clear()
        self.prediction.setText("")
        self.bars.set_entries([])
        self.caption.setText(text)


def _open_job(path: Path, candidates: list[dict[str, Any]]):
    from studio.core.export.inference import OnnxModel
    from studio.core.export.inference_samples import samples_for

    model = OnnxModel(path)
    if model.is_generator or model.is_discriminator:
        return model, None  # a GAN's network: drawn from noise, or a verdict, not classified samples
    return model, samples_for(model, candidates)
