"""The live picture of a detector (a DetectionHead run, issue 17).

A detection run sends the loss parts per step (`series`: loss_box, loss_obj, loss_cls), the
validation mAP@0.5 and the parts in each epoch event, and a `detection` event per epoch
(studio/core/detection/preview.py): eight validation images with their true boxes, the boxes the
head reports and its raw boxes before NMS. This view has

* `map_plot`: validation mAP@0.5 per epoch; the curves put it where a classifier's Accuracy plot is
  (that plot hides: a detector measures no accuracy);
* a tab of two pages: the strip (the eight images, true boxes dashed, predicted boxes scoring at
  least STRIP_SCORE solid with their score, the class by colour (named under the caption), redrawn at each epoch end) and the IoU / NMS lesson
  (detection_lesson.py); beside them the loss parts per step, the validation parts as dots.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from studio.ui.common.plots import PERCENT, curve, follow_data, legend_text, make_plot, set_title, show_empty
from studio.ui.theme import follow_theme
from studio.ui.training.data_view import PixmapLabel
from studio.ui.training.detection_draw import class_color, class_name, draw_boxes, image_pixmap, tiles
from studio.ui.training.detection_lesson import NmsLesson
from studio.ui.training.gan_view import PeakCache
from studio.ui.training.plots import PALETTE
from studio.ui.training.series import Growing

TABS_HEIGHT = 600
"""The curves' tab area grows to this height while a detection run shows (the strip and the lesson)."""
STRIP_PX = 192
"""Each strip image's side (64-pixel shapes at three times their size)."""
STRIP_COLUMNS = 4
STRIP_SCORE = 0.3
"""Predicted boxes scoring below this are left out of the strip (the lesson shows them all)."""
PARTS = ("loss_box", "loss_obj", "loss_cls")
DECIMATE_ABOVE = 4000


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class DetectionView(QWidget):
    """mAP@0.5 per epoch (`map_plot`, placed by the curves), the strip, the lesson and the loss parts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.map_plot = make_plot(self.tr("mAP@0.5 (validation)"), self.tr("mAP@0.5"), self.tr("Epoch"),
                                  min_height=280, live=True, legend_offset=None, y_kind=PERCENT)
        self.map_curve = curve(self.map_plot, None, PALETTE[1], 2.0, symbol="o")
        self.map_plot.hide()

        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(10)
        self.pages = QTabWidget()
        self.pages.setObjectName("detectionPages")
        strip_page = QWidget()
        sl = QVBoxLayout(strip_page)
        sl.setContentsMargins(8, 6, 8, 6)
        sl.setSpacing(4)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        sl.addWidget(self.caption)
        self.strip = PixmapLabel("")
        scroll = QScrollArea()
        scroll.setWidget(self.strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        sl.addWidget(scroll, 1)
        self.pages.addTab(strip_page, self.tr("Validation images"))
        self.lesson = NmsLesson()
        self.pages.addTab(self.lesson, self.tr("IoU / NMS"))
        row.addWidget(self.pages, 4)  # the lesson's table needs the width more than the loss parts

        self.parts_plot = make_plot("", self.tr("Loss"), self.tr("Step"), min_height=200, live=True,
                                    legend_offset=None)
        names = self._part_names()
        self.part_curves = {k: curve(self.parts_plot, None, PALETTE[i + 2], 1.2, 200) for i, k in enumerate(PARTS)}
        self.val_curves = {k: curve(self.parts_plot, None, PALETTE[i + 2], 0.0, symbol="o")
                           for i, k in enumerate(PARTS)}
        for item in self.val_curves.values():
            item.setPen(None)
        set_title(self.parts_plot, legend_text([(names[k], PALETTE[i + 2]) for i, k in enumerate(PARTS)]))
        self.parts_plot.setMinimumWidth(285)  # its legend (box, objectness, class) on one line
        row.addWidget(self.parts_plot, 1)

        self.last_event: dict[str, Any] | None = None
        self.boxes_drawn: list[tuple[int, int]] = []
        """(true boxes, predicted boxes) drawn on each strip image."""
        self.clear()
        follow_theme(self, self._restyle)

    def _part_names(self) -> dict[str, str]:
        return {"loss_box": self.tr("box"), "loss_obj": self.tr("objectness"), "loss_cls": self.tr("class")}

    # --- what the trainer sends ---------------------------------------------------------------
    def add_events(self, events: list[dict[str, Any]]) -> bool:
        """Take a batch of events; returns whether any was a detection run's. Only the newest
        `detection` event of the batch is drawn."""
        seen = False
        newest = None
        for ev in events:
            kind = ev.get("event")
            if kind == "start" and not ev.get("resumed_from_step"):
                self.clear()
            if kind == "start":
                self.lesson.set_run_dir(ev.get("run_dir"))  # whose weights the lesson's "New image" uses
            elif kind == "step":
                series = ev.get("series")
                if not series or "loss_box" not in series:
                    continue
                n = len(series["loss_box"])
                if ev.get("steps") is not None:
                    self.steps.extend(ev["steps"])
                else:
                    first = int(ev.get("first_step", int(ev.get("step", n)) - n + 1))
                    self.steps.extend(np.arange(first, first + n))
                for key in PARTS:
                    self.values[key].extend([_float(v) for v in (series.get(key) or [None] * n)])
                seen = True
            elif kind == "epoch" and "val_map50" in ev:
                self.epochs.append(_float(ev.get("epoch")))
                self.maps.append(_float(ev.get("val_map50")))
                self.val_steps.append(_float(ev.get("step")))
                for key in PARTS:
                    self.val_values[key].append(_float(ev.get("val_" + key)))
                seen = True
            elif kind == "detection":
                newest = ev
                seen = True
        if newest is not None:
            self.show_event(newest)
        if seen:
            self.redraw()
        return seen

    def show_event(self, event: dict[str, Any]) -> None:
        """Draw a `detection` event: the strip, and the lesson's image from its raw boxes."""
        self.last_event = event
        self._draw_strip()
        self.lesson.show_event(event)

    def _draw_strip(self) -> None:
        event = self.last_event
        if event is None:
            return
        shape = [int(v) for v in event.get("shape") or [1, 64, 64]]
        names = list(event.get("class_names") or [])
        pictures, captions, drawn = [], [], []
        trues, preds = event.get("true") or [], event.get("pred") or []
        for i, flat in enumerate(event.get("images") or []):
            image = np.asarray(flat, dtype=np.uint8).reshape(shape)
            true = trues[i] if i < len(trues) else []
            pred = [p for p in (preds[i] if i < len(preds) else []) if float(p[1]) >= STRIP_SCORE]
            pictures.append(draw_boxes(image_pixmap(image, STRIP_PX), true, pred, names, class_in_label=False))
            captions.append(self.tr("{found} found, {true} true").format(found=len(pred), true=len(true)))
            drawn.append((len(true), len(pred)))
        self.boxes_drawn = drawn
        self.strip_pixmap = tiles(pictures, STRIP_COLUMNS, captions)
        self.strip.setPixmap(self.strip_pixmap)
        text = self.tr("Epoch {epoch}: the same {n} validation images each epoch. Dashed: the true boxes; solid: "
                       "the model's boxes after NMS scoring at least {score}, with their score.").format(
                           epoch=event.get("epoch"), n=len(pictures), score=f"{STRIP_SCORE:.1f}")
        classes = sorted({int(r[0]) for rows in trues for r in rows} | {int(r[0]) for rows in preds for r in rows})
        legend = legend_text([(escape(class_name(names, k)), class_color(k).name()) for k in classes])
        self.caption.setText(f"{escape(text)}<br>{legend}" if classes else escape(text))

    # --- drawing ------------------------------------------------------------------------------
    def redraw(self) -> None:
        x = self.steps.values
        if x.size or self.epochs.n:
            follow_data(self.parts_plot)
            follow_data(self.map_plot)
            self.map_plot.getPlotItem().setYRange(0.0, 1.0, padding=0.02)
        for key in PARTS:
            xs, ys = x, self.values[key].values
            if xs.size > DECIMATE_ABOVE:
                width = max(200, int(self.parts_plot.getPlotItem().vb.width()) or 600)
                xs, ys = self._peaks[key].get(xs, ys, width)
            self.part_curves[key].setData(xs, ys, connect="finite")
            self.val_curves[key].setData(self.val_steps.values, self.val_values[key].values, connect="finite")
        self.map_curve.setData(self.epochs.values, self.maps.values, connect="finite")

    def map_points(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.map_curve.getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))

    def clear(self) -> None:
        self.last_event = None
        self.boxes_drawn = []
        self.strip_pixmap = None
        self.steps = Growing()
        self.values = {k: Growing() for k in PARTS}
        self._peaks = {k: PeakCache() for k in PARTS}
        self.epochs, self.maps, self.val_steps = Growing(64), Growing(64), Growing(64)
        self.val_values = {k: Growing(64) for k in PARTS}
        self.caption.setText(self.tr("Validation images with the model's boxes appear here after the first epoch."))
        self.strip.clear()
        self.lesson.clear()
        for item in (*self.part_curves.values(), *self.val_curves.values(), self.map_curve):
            item.setData([], [])
        show_empty(self.parts_plot)
        show_empty(self.map_plot)

    def _restyle(self) -> None:
        names = self._part_names()
        set_title(self.parts_plot, legend_text([(names[k], PALETTE[i + 2]) for i, k in enumerate(PARTS)]))
        self._draw_strip()
        if self.last_event is not None:
            self.lesson.update_boxes()


def is_detector(graph) -> bool:
    """Whether `graph` has a DetectionHead (its run shows mAP@0.5 instead of an accuracy)."""
    from studio.core.graph.registry import get_block, has_block

    return any(has_block(n.block) and get_block(n.block).head == "detection" for n in graph.nodes)
