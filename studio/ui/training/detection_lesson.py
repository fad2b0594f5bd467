"""The IoU / NMS lesson: one validation image with the model's raw boxes before and after
non-maximum suppression, live under two sliders.

It works from the newest `detection` event's raw boxes (studio/core/detection/preview.py: the best
40 decoded boxes of each image before any NMS, each with its cell and anchor), so it needs no model:

* left, every raw box scoring at least the score threshold, and the S×S grid with the anchor shapes
  centred on the best box's cell (the anchors the run trained with);
* right, the boxes NMS keeps at the IoU threshold, the suppressed ones dotted;
* a table of the boxes by score: class, score, cell, anchor, and "kept" or "by #j (IoU x)": the kept
  box that suppressed it.

NMS here is `studio.core.detection.boxes.nms` (class-agnostic: any kept box suppresses any other), or,
with "Per class" on, `boxes.batched_nms` (torchvision's batched_nms: a box only suppresses boxes of
its own class, as the head's own decode and an export with decode + NMS inside do). Moving the IoU
slider shows exactly what the course's algorithm does: visit the boxes by decreasing score, keep one
unless a kept box (of the same class, per class) overlaps it with IoU above the threshold.

"New image" adds a validation image the strip does not show, with the raw boxes of the run's newest
weights (`studio.core.detection.lesson_image`, on a worker thread); the run folder is the one the
run's `start` event names (`set_run_dir`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.app.jobs import Policy
from studio.core.detection.boxes import batched_nms, box_iou, nms
from studio.ui.common.jobs import QtJobRunner
from studio.ui.training.data_view import PixmapLabel
from studio.ui.training.detection_draw import class_name, draw_boxes, draw_grid, image_pixmap, tiles

LESSON_PX = 224
"""Each of the two pictures' side."""
TABLE_ROWS = 40
LABELLED_BOXES = 12
"""Kept boxes are numbered on the picture (as in the table) only up to this many: more would hide the image."""


class NmsLesson(QWidget):
    """Raw boxes before NMS and after, the IoU and score thresholds as sliders, the grid and anchors."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.setSpacing(12)
        left = QVBoxLayout()
        left.setSpacing(6)
        outer.addLayout(left, 0)
        controls = QGridLayout()
        controls.setHorizontalSpacing(8)
        controls.setVerticalSpacing(4)
        controls.addWidget(QLabel(self.tr("Image")), 0, 0)
        self.image_choice = QSpinBox()
        self.image_choice.setObjectName("nmsImage")
        self.image_choice.setRange(1, 1)
        controls.addWidget(self.image_choice, 0, 1)
        self.new_image = QPushButton(self.tr("New image"))
        self.new_image.setObjectName("nmsNewImage")
        self.new_image.setToolTip(self.tr("Add a validation image the strip does not show, with the raw boxes of "
                                          "the run's newest weights"))
        self.new_image.setEnabled(False)
        controls.addWidget(self.new_image, 0, 2, 1, 2, Qt.AlignmentFlag.AlignLeft)
        self.show_grid = QCheckBox(self.tr("Grid and anchors"))
        self.show_grid.setChecked(True)
        controls.addWidget(self.show_grid, 3, 0, 1, 2)
        self.per_class = QCheckBox(self.tr("Per class"))
        self.per_class.setObjectName("nmsPerClass")
        self.per_class.setToolTip(self.tr("On: a box only suppresses boxes of its own class (torchvision's "
                                          "batched_nms, as the model's own decoding does). Off: any box suppresses "
                                          "any other, whatever its class."))
        controls.addWidget(self.per_class, 3, 2, 1, 2)
        self.iou_slider, self.iou_value = self._slider("nmsIou", 45)
        controls.addWidget(QLabel(self.tr("IoU threshold")), 1, 0)
        controls.addWidget(self.iou_slider, 1, 1, 1, 2)
        controls.addWidget(self.iou_value, 1, 3)
        self.score_slider, self.score_value = self._slider("nmsScore", 10)
        controls.addWidget(QLabel(self.tr("Score threshold")), 2, 0)
        controls.addWidget(self.score_slider, 2, 1, 1, 2)
        controls.addWidget(self.score_value, 2, 3)
        left.addLayout(controls)
        self.picture = PixmapLabel(self.tr("The model's raw boxes appear here after the first epoch."))
        left.addWidget(self.picture)
        self.summary = QLabel("")
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        left.addWidget(self.summary)
        left.addStretch(1)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("nmsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Score"), self.tr("Cell"),
                                              self.tr("NMS")])
        self.table.horizontalHeaderItem(2).setToolTip(self.tr("The grid cell (row, column) · which of its anchors "
                                                              "the box comes from"))
        self.table.horizontalHeaderItem(3).setToolTip(self.tr("Kept, or suppressed by which kept box and at "
                                                              "what IoU"))
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.verticalHeader().hide()  # each row's number (#k, as drawn on the picture) leads its Class cell
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumWidth(330)
        outer.addWidget(self.table, 1)

        self.event: dict[str, Any] | None = None
        self.run_dir: Path | None = None
        self.fresh_indices: list[int] = []
        """For each image added by "New image" (after the event's own), its index in the validation split."""
        self._fresh = None
        self.fresh_task = QtJobRunner("nms-lesson-image", Policy.LATEST, self)
        self.fresh_task.result.connect(self._add_fresh)
        self.fresh_task.error.connect(self._fresh_failed)
        self.fresh_task.busy_changed.connect(lambda _busy: self._sync_new_image())
        self.new_image.clicked.connect(self.draw_new_image)
        self.kept: list[int] = []
        """Indices (into the boxes above the score threshold, by decreasing score) NMS keeps."""
        self.candidates = np.zeros((0, 9))
        self.iou_slider.valueChanged.connect(self.update_boxes)
        self.score_slider.valueChanged.connect(self.update_boxes)
        self.image_choice.valueChanged.connect(self.update_boxes)
        self.show_grid.toggled.connect(self.update_boxes)
        self.per_class.toggled.connect(self.update_boxes)

    def _slider(self, name: str, value: int) -> tuple[QSlider, QLabel]:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(name)
        slider.setRange(0, 100)
        slider.setValue(value)
        slider.setMinimumWidth(160)
        label = QLabel(f"{value / 100:.2f}")
        label.setMinimumWidth(34)
        return slider, label

    @property
    def iou_threshold(self) -> float:
        return self.iou_slider.value() / 100

    @property
    def score_threshold(self) -> float:
        return self.score_slider.value() / 100

    def set_run_dir(self, run_dir: str | Path | None) -> None:
        """The run folder whose weights "New image" uses (from the run's `start` event)."""
        run_dir = Path(run_dir) if run_dir else None
        if run_dir != self.run_dir:
            self.fresh_task.cancel()
            self._fresh = None
        self.run_dir = run_dir
        self._sync_new_image()

    def _sync_new_image(self) -> None:
        self.new_image.setEnabled(self.run_dir is not None and self.event is not None and not self.fresh_task.busy)

    def draw_new_image(self) -> bool:
        """Ask for a fresh validation image (on a worker thread); it is added and shown when it comes."""
        if self.run_dir is None or self.event is None or self.fresh_task.busy:
            return False
        from studio.core.detection.lesson_image import FreshImages

        if self._fresh is None or self._fresh.run_dir != self.run_dir:
            self._fresh = FreshImages(self.run_dir)
        fresh = self._fresh
        self.summary.setText(self.tr("Drawing a new validation image…"))
        self.fresh_task.submit(lambda _job: fresh.draw())
        self._sync_new_image()
        return True

    def _add_fresh(self, fresh: dict[str, Any]) -> None:
        """Append the fresh image to a copy of the event (the strip keeps its own) and show it."""
        if self.event is None:
            return
        event = dict(self.event)
        for key in ("images", "true", "raw"):
            event[key] = list(event.get(key) or []) + list(fresh.get(key) or [])
        self.event = event
        self.fresh_indices.append(int(fresh["val_index"]))
        n = len(event["raw"])
        self.image_choice.blockSignals(True)
        self.image_choice.setRange(1, n)
        self.image_choice.setValue(n)
        self.image_choice.blockSignals(False)
        self.update_boxes()

    def _fresh_failed(self, message: str, user_error: bool) -> None:
        self.summary.setText(message if user_error else
                             self.tr("Studio hit a bug while drawing a new image: {m}").format(m=message))

    def clear(self) -> None:
        self.event = None
        self.fresh_indices = []
        self._sync_new_image()
        self.kept = []
        self.candidates = np.zeros((0, 9))
        self.picture.setText(self.tr("The model's raw boxes appear here after the first epoch."))
        self.summary.setText("")
        self.table.setRowCount(0)

    def show_event(self, event: dict[str, Any]) -> None:
        """Take a `detection` event (the newest); the sliders keep their positions."""
        first = self.event is None
        self.event = event
        self.fresh_indices = []  # images added for older weights go: the new event's epoch is drawn
        self._sync_new_image()
        n = len(event.get("raw") or [])
        self.image_choice.blockSignals(True)
        self.image_choice.setRange(1, max(1, n))
        self.image_choice.blockSignals(False)
        if first and event.get("nms_iou") is not None:
            self.iou_slider.blockSignals(True)
            self.iou_slider.setValue(round(100 * float(event["nms_iou"])))
            self.iou_slider.blockSignals(False)
        self.update_boxes()

    def update_boxes(self, *_args) -> None:
        """Apply the thresholds to the chosen image's raw boxes and redraw."""
        self.iou_value.setText(f"{self.iou_threshold:.2f}")
        self.score_value.setText(f"{self.score_threshold:.2f}")
        event = self.event
        if event is None:
            return
        i = self.image_choice.value() - 1
        raw = np.asarray((event.get("raw") or [[]])[i] or np.zeros((0, 9)), dtype=np.float64).reshape(-1, 9)
        raw = raw[np.argsort(-raw[:, 1], kind="stable")]
        cand = raw[raw[:, 1] >= self.score_threshold]
        self.candidates = cand
        boxes = torch.tensor(cand[:, 2:6], dtype=torch.float32)
        scores = torch.tensor(cand[:, 1], dtype=torch.float32)
        classes = torch.tensor(cand[:, 0], dtype=torch.long)
        per_class = self.per_class.isChecked()
        if per_class:
            keep = batched_nms(boxes, scores, classes, self.iou_threshold).tolist()
        else:
            keep = nms(boxes, scores, self.iou_threshold).tolist()
        self.kept = keep
        by = self._suppressors(boxes, keep, classes if per_class else None)
        names = list(event.get("class_names") or [])
        shape = [int(v) for v in event.get("shape") or [1, 64, 64]]
        image = np.asarray(event["images"][i], dtype=np.uint8).reshape(shape)
        true = (event.get("true") or [[]])[i] if i < len(event.get("true") or []) else []
        numbers = list(range(1, len(cand) + 1))
        before = image_pixmap(image, LESSON_PX)
        after = image_pixmap(image, LESSON_PX)
        rows, cols = (int(v) for v in event.get("grid") or [1, 1])
        if self.show_grid.isChecked():
            cell = (int(cand[0, 6]), int(cand[0, 7])) if len(cand) else None
            draw_grid(before, rows, cols, event.get("anchors") or [], cell)
        draw_boxes(before, pred=cand.tolist(), names=names, labels=False)
        dropped = [cand[j].tolist() for j in range(len(cand)) if j not in set(keep)]
        draw_boxes(after, true=true, pred=[cand[j].tolist() for j in keep], names=names, faint=dropped,
                   labels=len(keep) <= LABELLED_BOXES, numbers=[numbers[j] for j in keep])
        self.picture.setPixmap(tiles([before, after], 2, [
            self.tr("Before NMS: {n} boxes").format(n=len(cand)),
            self.tr("After NMS: {n} kept").format(n=len(keep))]))
        rule = (self.tr("NMS visits the boxes by decreasing score and keeps one unless a kept box of the same "
                        "class overlaps it with IoU above {iou}; boxes scoring under {score} are dropped first.")
                if per_class else
                self.tr("NMS visits the boxes by decreasing score and keeps one unless a kept box of any class "
                        "overlaps it with IoU above {iou}; boxes scoring under {score} are dropped first."))
        fresh = i - (len(event["raw"]) - len(self.fresh_indices))
        where = (self.tr("New validation image #{index}, boxes from the newest weights.").format(
                     index=self.fresh_indices[fresh] + 1) if fresh >= 0 else
                 self.tr("Epoch {epoch}.").format(epoch=event.get("epoch")))
        self.summary.setText(" ".join([
            where, self.tr("Grid {rows}×{cols}, {anchors} anchors.").format(
                rows=rows, cols=cols, anchors=len(event.get("anchors") or [])),
            rule.format(iou=f"{self.iou_threshold:.2f}", score=f"{self.score_threshold:.2f}"),
            self.tr("Dashed: the true boxes.")]))
        self._fill_table(cand, keep, by, names)

    @staticmethod
    def _suppressors(boxes: torch.Tensor, keep: list[int],
                     classes: torch.Tensor | None = None) -> dict[int, tuple[int, float]]:
        """For each suppressed box, the first kept (higher-scored) box over the threshold and their IoU:
        boxes are in score order, so the first kept box before it with the largest overlap is shown.
        With `classes` (per-class NMS) only kept boxes of the same class count."""
        if not len(boxes) or not keep:
            return {}
        iou = box_iou(boxes, boxes).nan_to_num(0.0).numpy()
        kept = sorted(keep)
        same = (lambda j, k: True) if classes is None else (lambda j, k: int(classes[j]) == int(classes[k]))
        out = {}
        for j in range(len(boxes)):
            if j in keep:
                continue
            earlier = [k for k in kept if k < j and same(j, k)]
            if earlier:
                k = max(earlier, key=lambda m: iou[j, m])
                out[j] = (k, float(iou[j, k]))
        return out

    def _fill_table(self, cand: np.ndarray, keep: list[int], by: dict[int, tuple[int, float]], names) -> None:
        n = min(len(cand), TABLE_ROWS)
        self.table.setRowCount(n)
        kept = set(keep)
        for j in range(n):
            row = cand[j]
            if j in kept:
                verdict = self.tr("kept")
            elif j in by:
                verdict = self.tr("by #{k} (IoU {iou})").format(k=by[j][0] + 1, iou=f"{by[j][1]:.2f}")
            else:
                verdict = self.tr("suppressed")
            cells = [f"#{j + 1} {class_name(names, int(row[0]))}", f"{row[1]:.2f}",
                     f"{int(row[6])}, {int(row[7])} · {int(row[8]) + 1}", verdict]
            for c, text in enumerate(cells):
                self.table.setItem(j, c, QTableWidgetItem(text))

