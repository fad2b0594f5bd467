"""The heatmap view: a CAM of the current image, or of a whole batch with the network's predictions.

Method, layer, target class and the signed option change what is computed (a new job on the
worker); opacity and colormap only change how an existing map is drawn (a cheap re-render, also
off the GUI thread). Score-CAM runs hundreds of masked forwards, so it shows a progress bar and can
be cancelled. An empty map (nothing at the layer raises the score) is never drawn as one flat
colour with a peak: the view says it is empty and what to try instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.explain import METHOD_TITLES, METHODS
from studio.core.explain.cam import other_choices
from studio.core.explain.render import COLORMAPS
from studio.ui.common.widgets import FieldGrid, Segmented
from studio.ui.explain import jobs
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.picture import Picture
from studio.ui.explain.widgets import LazyView, ProgressLine

BATCH_COLUMNS = 6


def layer_caption(layer, default: str | None) -> str:
    grid = "×".join(str(v) for v in layer.grid)
    text = f"{layer.name}  ·  {layer.module_type} {layer.channels}×{grid}"
    if layer.kind == "tokens":
        text += " (tokens)"
    return text + ("  ★" if layer.name == default else "")


def fill_layers(combo: QComboBox, layers: list, default: str | None, keep: str | None = None) -> None:
    combo.blockSignals(True)
    combo.clear()
    for layer in layers:
        combo.addItem(layer_caption(layer, default), layer.name)
    index = combo.findData(keep) if keep else -1
    if index < 0:
        index = combo.findData(default) if default else -1
    combo.setCurrentIndex(index if index >= 0 else combo.count() - 1)
    combo.setEnabled(combo.count() > 0)
    combo.blockSignals(False)


class Tile(QFrame):
    """One image of the batch grid: its overlay and "true → predicted" in green (right) or red (wrong)."""

    clicked = Signal(int)

    def __init__(self, tile: jobs.BatchTile, subject, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Tile")
        self.data = tile
        self.correct = None if tile.true is None else tile.true == tile.predicted
        outcome = "" if self.correct is None else ("right" if self.correct else "wrong")
        self.setProperty("outcome", outcome)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(2)
        self.picture = Picture(jobs.TILE_SIDE, jobs.TILE_SIDE)
        self.picture.setObjectName("TilePicture")
        self.picture.show_rgb(tile.rgb)
        pred = subject.class_name(tile.predicted)
        if tile.true is None:
            text = self.tr("pred {pred}").format(pred=pred)
        elif self.correct:
            text = "✓ " + pred
        else:
            text = "✗ " + self.tr("{true} → {pred}").format(true=subject.class_name(tile.true), pred=pred)
        if tile.empty:
            text += " · " + self.tr("empty")
        self.caption = QLabel(text)
        self.caption.setObjectName("TileText")
        self.caption.setProperty("outcome", outcome)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setToolTip(self.tr("sample #{i}: predicted {pred} ({p:.0%}), true {true}; explaining {target}").format(
            i=tile.index, pred=pred, p=tile.probability,
            true="?" if tile.true is None else subject.class_name(tile.true), target=subject.class_name(tile.target)))
        column.addWidget(self.picture)
        column.addWidget(self.caption)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.clicked.emit(self.data.index)
        super().mousePressEvent(event)


class CamPane(LazyView):
    """Controls on the left, the explained image (or the batch grid) on the right."""

    sample_requested = Signal(int)
    """A batch tile was clicked: show that sample as the single image."""

    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        super().__init__(context, "cam", parent)
        self.view: jobs.CamView | None = None
        self.batch: jobs.BatchView | None = None
        self.tiles: list[Tile] = []
        self._probabilities: list[float] = []
        self._build()

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.setSpacing(22)
        controls = QWidget()
        controls.setFixedWidth(350)
        controls_column = QVBoxLayout(controls)
        controls_column.setContentsMargins(0, 0, 0, 0)
        controls_column.setSpacing(18)
        form = FieldGrid()
        controls_column.addLayout(form)
        self.mode = Segmented([("image", self.tr("This image")), ("batch", self.tr("Batch grid"))])
        self.method = QComboBox()
        for key in METHODS:
            self.method.addItem(METHOD_TITLES[key], key)
        self.layer = QComboBox()
        self.layer.setToolTip(self.tr("★ marks the default: the last layer with weights and a spatial output that the "
                                      "score depends on (a convolution's output, before its activation and pooling)"))
        self.target = QComboBox()
        self.signed = QCheckBox(self.tr("Signed (evidence against in blue)"))
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity_value = QLabel("50%")
        self.opacity_value.setMinimumWidth(36)
        self.colormap = QComboBox()
        self.colormap.addItem(self.tr("Automatic"), None)
        for name in COLORMAPS:
            self.colormap.addItem(name, name)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(4, 48)
        self.batch_size.setValue(18)
        self.mistakes = QCheckBox(self.tr("Mistakes first"))
        form.add_row(self.tr("Show"), self.mode)
        form.add_row(self.tr("Method"), self.method, stretch=False)
        form.add_row(self.tr("Layer"), self.layer, stretch=False)
        form.add_row(self.tr("Target"), self.target, stretch=False)
        form.add_row("", self.signed)
        opacity_line = QHBoxLayout()
        opacity_line.addWidget(self.opacity, 1)
        opacity_line.addWidget(self.opacity_value)
        form.add_row(self.tr("Opacity"), opacity_line, stretch=False)
        form.add_row(self.tr("Colours"), self.colormap, stretch=False)
        self.batch_label = form.add_row(self.tr("Images"), self.batch_size, self.mistakes)
        for combo in (self.method, self.layer, self.target, self.colormap):
            combo.setMinimumWidth(200)
            combo.setMaximumWidth(260)
        outer.addWidget(controls, 0, Qt.AlignmentFlag.AlignTop)

        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self.error)
        self.progress_line = ProgressLine(self.worker)
        self.progress_line.cancel_button.clicked.connect(self.worker.cancel)
        self.progress_line.cancel_button.clicked.connect(self.progress_line.stop)
        right.addWidget(self.progress_line)
        # single image
        self.single = QWidget()
        pictures = QGridLayout(self.single)
        pictures.setContentsMargins(0, 0, 0, 0)
        pictures.setHorizontalSpacing(16)
        pictures.setVerticalSpacing(6)
        side = jobs.OVERLAY_SIDE + 12
        self.input_picture = Picture(side, jobs.OVERLAY_SIDE, self.tr("Pick an input"))
        self.overlay_picture = Picture(side, jobs.OVERLAY_SIDE, self.tr("The heatmap appears here"))
        self.legend = QLabel()
        self.legend.setObjectName("Legend")
        self.legend.setFixedHeight(12)
        self.legend.setScaledContents(True)
        self.legend_low = QLabel("0")
        self.legend_high = QLabel(self.tr("strongest"))
        for label in (self.legend_low, self.legend_high):
            label.setObjectName("Caption")
        input_caption = QLabel(self.tr("Input"))
        input_caption.setObjectName("FieldLabel")
        self.overlay_caption = QLabel(self.tr("Heatmap"))
        self.overlay_caption.setObjectName("FieldLabel")
        pictures.addWidget(input_caption, 0, 0)
        pictures.addWidget(self.overlay_caption, 0, 1)
        pictures.addWidget(self.input_picture, 1, 0, Qt.AlignmentFlag.AlignTop)
        pictures.addWidget(self.overlay_picture, 1, 1, Qt.AlignmentFlag.AlignTop)
        legend_box = self.legend_box = QWidget()
        legend_box.setFixedWidth(side)
        legend_row = QHBoxLayout(legend_box)
        legend_row.setContentsMargins(0, 0, 0, 0)
        legend_row.setSpacing(6)
        legend_row.addWidget(self.legend_low)
        legend_row.addWidget(self.legend, 1)
        legend_row.addWidget(self.legend_high)
        pictures.addWidget(legend_box, 2, 1)
        pictures.setColumnStretch(2, 1)
        self.facts = QLabel()
        self.facts.setObjectName("CamFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.hide()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        controls_column.addWidget(self.facts)
        right.addWidget(self.single)
        # batch grid
        self.grid_host = QWidget()
        self.grid_layout = QGridLayout(self.grid_host)
        self.grid_layout.setContentsMargins(0, 0, 0, 0)
        self.grid_layout.setSpacing(8)
        self.batch_facts = QLabel()
        self.batch_facts.setObjectName("Facts")
        self.batch_facts.setWordWrap(True)
        right.addWidget(self.batch_facts)
        right.addWidget(self.grid_host)
        right.addStretch(1)
        outer.addLayout(right, 1)

        self.mode.changed.connect(self._on_mode)
        for combo in (self.method, self.layer, self.target):
            combo.currentIndexChanged.connect(self.invalidate)
        self.signed.toggled.connect(self.invalidate)
        self.batch_size.valueChanged.connect(self._batch_setting)
        self.mistakes.toggled.connect(self._batch_setting)
        self.colormap.currentIndexChanged.connect(self._restyle_map)
        self.opacity.valueChanged.connect(self._on_opacity)
        self._opacity_timer = QTimer(self)
        self._opacity_timer.setSingleShot(True)
        self._opacity_timer.setInterval(40)
        self._opacity_timer.timeout.connect(self._restyle_map)
        self._on_mode("image")

    # --- settings -------------------------------------------------------------------------------
    def settings(self) -> jobs.CamSettings:
        target = self.target.currentData()
        return jobs.CamSettings(method=self.method.currentData() or "gradcam", layer=self.layer.currentData(),
                                target="predicted" if target is None else target, signed=self.signed.isChecked(),
                                opacity=self.opacity.value() / 100.0, colormap=self.colormap.currentData())

    def set_method(self, key: str) -> None:
        self.method.setCurrentIndex(self.method.findData(key))

    def set_layer(self, name: str) -> None:
        self.layer.setCurrentIndex(self.layer.findData(name))

    def set_target(self, value) -> None:
        self.target.setCurrentIndex(self.target.findData(value))

    def batch_mode(self) -> bool:
        return self.mode.value() == "batch"

    def subject_changed(self) -> None:
        subject = self.context.subject
        if subject is None:
            for combo in (self.layer, self.target):
                combo.blockSignals(True)
                combo.clear()
                combo.setEnabled(False)
                combo.blockSignals(False)
            self.mode.buttons["batch"].setEnabled(False)
            if self.batch_mode():
                self.mode.set_value("image")
            return
        self.target.setEnabled(True)
        fill_layers(self.layer, subject.explainable_layers(), subject.default_layer, self.layer.currentData())
        keep = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItem(self.tr("Predicted class"), "predicted")
        self.target.addItem(self.tr("True class"), "true")
        for i, name in enumerate(subject.class_names):
            self.target.addItem(f"{i} · {name}" if name != str(i) else name, i)
        index = self.target.findData(keep) if keep is not None else -1
        self.target.setCurrentIndex(max(0, index))
        self.target.blockSignals(False)
        has_samples = subject.samples is not None
        self.mode.buttons["batch"].setEnabled(has_samples)
        if not has_samples and self.batch_mode():
            self.mode.set_value("image")

    def _on_mode(self, mode: str) -> None:
        batch = mode == "batch"
        self.single.setVisible(not batch)
        self.facts.setVisible(not batch and self.view is not None)
        self.grid_host.setVisible(batch)
        self.batch_facts.setVisible(batch)
        for w in (self.batch_size, self.mistakes, self.batch_label):
            w.setVisible(batch)
        self.invalidate()

    def _batch_setting(self, *_args: object) -> None:
        if self.batch_mode():
            self.invalidate()

    def _on_opacity(self, value: int) -> None:
        self.opacity_value.setText(f"{value}%")
        self._opacity_timer.start()

    # --- work -----------------------------------------------------------------------------------
    def compute(self) -> None:
        subject, settings = self.context.subject, self.settings()
        if self.batch_mode():
            request = self._batch_request()
            if request is None:
                return
            start, n, mistakes = request
            self.progress_line.start(self.tr("Explaining {n} images…").format(n=n))
            self.submit(lambda job: jobs.explain_batch(
                subject, jobs.select_batch(subject, start, n, mistakes), settings, job.progress, job.cancelled))
            return
        x, label = self.context.x, self.context.label
        if x is None:
            self.input_picture.clear_picture()
            self.overlay_picture.clear_picture()
            return
        if settings.target == "true" and label is None:
            settings.target = "predicted"
        if settings.method == "scorecam":
            self.progress_line.start(self.tr("Score-CAM: masked forward passes"))
        self.submit(lambda job: jobs.explain_image(subject, x, label, settings, job.progress, job.cancelled))

    def _batch_request(self) -> tuple[int, int, bool] | None:
        """(first sample, how many, mistakes first) for the batch grid, or None without samples."""
        subject = self.context.subject
        if subject is None or subject.samples is None:
            return None
        total = int(subject.samples.shape[0])
        n = min(self.batch_size.value(), total)
        return self.context.sample_index or 0, n, self.mistakes.isChecked()

    def _restyle_map(self, *_args: object) -> None:
        """Opacity or colours changed: redraw the existing map without running the model."""
        if self.batch_mode():
            self.invalidate()
            return
        view, subject, x = self.view, self.context.subject, self.context.x
        if view is None or subject is None or x is None or self.worker.busy:
            self.invalidate()
            return
        settings = self.settings()
        settings.signed = view.settings.signed
        self.submit(lambda _job: jobs.render_cam(subject, x, view.result, view.probabilities, settings))

    def on_failed(self, message: str) -> None:
        self.progress_line.stop()

    def clear_view(self) -> None:
        self.progress_line.stop()
        self.view, self.batch = None, None
        self.input_picture.clear_picture()
        self.overlay_picture.clear_picture()
        self.legend.clear()
        self.overlay_caption.setText(self.tr("Heatmap"))
        self.facts.setText("")
        self.facts.hide()
        self._clear_tiles()
        self.batch_facts.setText("")

    def _clear_tiles(self) -> None:
        for tile in self.tiles:
            tile.setParent(None)
            tile.deleteLater()
        self.tiles = []

    def show_result(self, result: object) -> None:
        self.progress_line.stop()
        if isinstance(result, jobs.BatchView):
            self._show_batch(result)
        elif isinstance(result, jobs.CamView):
            self._show_single(result)

    def _show_single(self, view: jobs.CamView) -> None:
        self.view = view
        subject = self.context.subject
        res = view.result
        self.input_picture.show_rgb(view.input_rgb)
        from studio.ui.explain.picture import to_qimage

        flat = res.is_flat(0)
        self.legend_box.setVisible(not flat)
        if flat:
            self.overlay_picture.clear_picture(self.tr("Empty map: nothing at {layer} raises the score of {name}, "
                                                       "so there is nothing to show here.").format(
                layer=res.layer, name=subject.class_name(res.targets[0])))
        else:
            self.overlay_picture.show_rgb(view.overlay_rgb)
            self.legend.setPixmap(QPixmap.fromImage(to_qimage(view.legend)))
        self.legend_low.setText("−1" if view.settings.signed else "0")
        self.legend_high.setText("+1" if view.settings.signed else self.tr("strongest"))
        from studio.core.explain import METHOD_TITLES as titles

        self.overlay_caption.setText(self.tr("{method} at {layer}").format(method=titles.get(res.method, res.method),
                                                                          layer=res.layer))
        pred, target = res.predicted[0], res.targets[0]
        probs = view.probabilities
        p = probs[pred] if pred < len(probs) else 0.0
        pt = probs[target] if target < len(probs) else 0.0
        lines = [self.tr("Predicted <b>{name}</b> ({p:.1%})").format(name=subject.class_name(pred), p=p)]
        if self.context.label is not None:
            right = self.context.label == pred
            mark = "✓" if right else "✗"
            lines[0] += "  ·  " + self.tr("true {name} {mark}").format(name=subject.class_name(self.context.label),
                                                                      mark=mark)
        lines.append(self.tr("Explaining <b>{name}</b> ({p:.1%}, score {s:.2f})").format(
            name=subject.class_name(target), p=pt, s=res.target_scores[0]))
        h, w = res.raw.shape[-2:]
        if res.empty[0]:
            lines.append("<b>" + self.tr("The map is empty: no place in this image raises the score at this layer, "
                                         "so it has no peak.") + "</b>")
            lines.append(self._empty_advice(res))
        else:
            row, col = res.peaks[0]
            lines.append(self.tr("Peak at row {r}, column {c} of the {H}×{W} input (layer grid {h}×{w})").format(
                r=row, c=col, H=self.context.x.shape[-2], W=self.context.x.shape[-1], h=h, w=w))
        self.facts.setText("<br>".join(lines))
        self.facts.setVisible(not self.batch_mode())

    def _empty_advice(self, res) -> str:
        """What to try instead of an empty map: another method, and the default layer when it was not this one."""
        subject = self.context.subject
        layer, method = other_choices(res.method, res.layer, subject.default_layer if subject else None)
        if layer is None:
            return self.tr("Try {method}, or another layer.").format(method=METHOD_TITLES[method])
        return self.tr("Try {method}, or the layer {layer} ★.").format(method=METHOD_TITLES[method], layer=layer)

    def _show_batch(self, batch: jobs.BatchView) -> None:
        self.batch = batch
        subject = self.context.subject
        self._clear_tiles()
        for i, data in enumerate(batch.tiles):
            tile = Tile(data, subject)
            tile.clicked.connect(self._tile_clicked)
            self.grid_layout.addWidget(tile, i // BATCH_COLUMNS, i % BATCH_COLUMNS)
            self.tiles.append(tile)
        wrong = sum(1 for t in self.tiles if t.correct is False)
        from studio.core.explain import METHOD_TITLES as titles

        text = self.tr("{n} images · {method} at {layer}").format(n=len(self.tiles), method=titles.get(batch.method),
                                                                   layer=batch.layer)
        if batch.accuracy is not None:
            text += "  ·  " + self.tr("{right} right, {wrong} wrong ({acc:.0%})").format(
                right=len(self.tiles) - wrong, wrong=wrong, acc=batch.accuracy)
        empty = sum(1 for t in self.tiles if t.data.empty)
        if empty:
            method = other_choices(batch.method, batch.layer, None)[1]
            text += "  ·  " + self.tr("{n} empty maps (nothing at this layer raises the score): try {method} or "
                                      "another layer").format(n=empty, method=titles[method])
        text += "  ·  " + self.tr("click an image to explain it alone")
        self.batch_facts.setText(text)

    def _tile_clicked(self, index: int) -> None:
        self.mode.set_value("image")
        self.sample_requested.emit(index)

