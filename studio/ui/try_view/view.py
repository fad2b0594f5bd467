"""Try a trained run: draw on a pad (or drop an image on it), see the top classes and the Grad-CAM.

Opening a run (reading its weights, building its graph, the first CAM that finds the layer) is a
job on a thread. The classes of a drawing come from one forward pass (`studio.core.predict`):
for a small model (its fastest forward at most `INLINE_MS`, about 1 ms for the MNIST CNN on a
CPU) it runs on the GUI thread at the next turn of the event loop, one pass for however many mouse
moves came in between, because handing it to a thread and back costs more than the pass when the
machine is busy; a bigger model's pass is a job, and while one runs the newest ink waits for it.
The heatmap (`Predictor.explain`: a forward and a backward pass) is always a job, on a copy of the
weights (`Predictor.fork`), asked for the newest answer shown whenever none is running, so the bars
never wait for it.

A run trained on sound gets an ear instead of the pad (`listen.ListenPanel`): Listen records the
microphone, each spoken word is cut out and answered on the listener's thread (on the twin's
weights), and the bars and the log-mel of what the model heard (the `features_for` picture) show
as soon as its answer is polled; a WAV file chosen or dropped is answered on the GUI thread.

A detection run (`DetectionPredictor`) keeps the pad but answers with boxes: the picture the
network saw with every box after NMS scoring at least the threshold the user moves (`boxes`), the
Train panel's painter drawing them; the bars list the boxes. An image dropped or opened is
answered from its file, as `studio predict RUN IMAGE` answers it, until the pad is drawn on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.app.jobs import Policy
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.run_chooser import RunChooser
from studio.ui.common.run_list import RunList
from studio.ui.common.topk import TopKBars
from studio.ui.common.widgets import Card, VerdictBanner
from studio.ui.drops import image_patterns
from studio.ui.try_view.boxes import BOXES_SIDE, MAX_BARS, ScoreThreshold, boxes_pixmap
from studio.ui.try_view.listen import ListenPanel, is_sound_file, logmel_rgb
from studio.ui.try_view.pad import CANVAS, DrawingPad

TOP_K = 5
CAM_SIZE = 196
BARS_MAX_W = 420
INLINE_MS = 4.0
"""A model whose fastest forward pass takes at most this long predicts on the GUI thread."""
CAM_AFTER_MS = 30
"""The heatmap is asked for this long after the bars of an answer, at most once per such span: starting
its thread (a wait on a busy machine) never holds up the bars, and a moving pen is not followed by one
heatmap per mouse move."""


def rgb_pixmap(rgb: np.ndarray) -> QPixmap:
    """An (H, W, 3) uint8 array as a pixmap (the bytes copied: the array may go away)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w = rgb.shape[:2]
    return QPixmap.fromImage(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())


class TryView(Card):
    """`open_run(path)` loads a run; drawing on `pad` (or `show_image(path)`) predicts.

    `updated(version)` is emitted once the bars show the answer for the pad's ink at `version`
    (`pad.version` when it is the latest), `cam_updated(version)` once the heatmap does."""

    updated = Signal(int)
    cam_updated = Signal(int)
    """The heatmap shows the Grad-CAM of the answer for the ink at this version."""
    loaded = Signal(object)
    """The run folder whose model is ready (None when it could not be opened)."""
    heard = Signal(str, float)
    """A sound run's bars show the answer for a spoken word (its class, and the seconds from the end
    of speech to the bars; -1 for a sound file)."""

    def __init__(self, runs: RunList | None = None, parent: QWidget | None = None):
        super().__init__(self.tr("Try a trained run"),
                         self.tr("Draw with the mouse, or drop an image on the pad: the run's most likely classes "
                                 "update as you draw, and the heatmap shows where the network looked."), parent)
        self.predictor = None
        """Answers the classes (on the GUI thread when `inline`, else on `task`'s thread)."""
        self.cam_predictor = None
        """Its twin on its own weights, for the heatmaps on `cam_task`'s thread."""
        self.inline = False
        self._loaded_key: tuple | None = None
        self._wanted: Path | None = None
        """A run chosen while the view was hidden: opened when it shows."""
        self._in_flight = False
        self._pending = False
        self._cam_in_flight = False
        self._cam_wanted: tuple | None = None
        self._due = QTimer(self)
        self._due.setSingleShot(True)
        self._due.setInterval(0)
        self._due.timeout.connect(self._classes_now)
        self._cam_due = QTimer(self)
        self._cam_due.setSingleShot(True)
        self._cam_due.setInterval(CAM_AFTER_MS)
        self._cam_due.timeout.connect(self._ask_cam)
        self.shown_version = -1
        self.cam_version = -1
        self.last_latency_ms: float | None = None
        self.last_word_latency_s: float | None = None
        self.kind = "image"
        self._dropped: tuple[int, Path] | None = None
        """(pad version, file) of the image last put on the pad: a detector answers the file itself."""
        self.shown_boxes: list[list[float]] = []
        """The boxes drawn on the picture, rows [class, score, x0, y0, x1, y1] (a detection run)."""
        self.loader = QtJobRunner("try-open", Policy.LATEST, self)
        self.loader.result.connect(self._on_loaded)
        self.loader.error.connect(self._on_load_failed)
        self.task = QtJobRunner("try-classes", Policy.LATEST, self)
        self.task.result.connect(self._on_classes)
        self.task.error.connect(self._on_predict_failed)
        self.cam_task = QtJobRunner("try-cam", Policy.LATEST, self)
        self.cam_task.result.connect(self._on_cam)
        self.cam_task.error.connect(self._on_cam_failed)
        self.subtitle = self.column.itemAt(1).widget()
        self._build()
        self.known_runs = runs
        if runs is not None:
            runs.attach(self.runs)
            self.runs.browsed.connect(self._browsed)

    def _build(self) -> None:
        self.runs = RunChooser()
        self.runs.chosen.connect(self.open_run)
        self.column.addWidget(self.runs)
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        self.column.addWidget(self.status)
        self.status.hide()
        self.error = VerdictBanner()
        self.column.addWidget(self.error)

        body = QHBoxLayout()
        body.setSpacing(28)
        body.setContentsMargins(0, 6, 0, 0)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.pad = DrawingPad()
        self.pad.changed.connect(self._ink_changed)
        self.pad.image_dropped.connect(self.show_image)
        left.addWidget(self.pad)
        self.listen = ListenPanel()
        self.listen.heard.connect(self._on_heard)
        self.listen.sound_chosen.connect(self.show_sound)
        self.listen.failed.connect(self._on_listen_failed)
        self.listen.listening_changed.connect(lambda on: on and self.error.clear())
        self.listen.open_button.clicked.connect(self._choose_sound)
        self.listen.hide()
        left.addWidget(self.listen)
        self.pad_buttons = QWidget()
        buttons = QHBoxLayout(self.pad_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(8)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setObjectName("tryClear")
        self.clear_button.clicked.connect(self.pad.clear)
        self.image_button = QPushButton(self.tr("Open image…"))
        self.image_button.clicked.connect(self._choose_image)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.image_button)
        buttons.addStretch(1)
        left.addWidget(self.pad_buttons)
        left.addStretch(1)
        body.addLayout(left)

        middle = QVBoxLayout()
        middle.setSpacing(8)
        heading = QLabel(self.tr("Prediction"))
        heading.setObjectName("SectionTitle")
        middle.addWidget(heading)
        self.answer = QLabel()
        self.answer.setObjectName("tryAnswer")
        self.answer.setWordWrap(True)
        font = self.answer.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.answer.setFont(font)
        middle.addWidget(self.answer)
        self.hint = QLabel(self.tr("Draw on the pad, or drop an image on it."))
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        middle.addWidget(self.hint)
        self.threshold = ScoreThreshold()
        self.threshold.setMaximumWidth(BARS_MAX_W)
        self.threshold.changed.connect(lambda _score: self._ink_changed())
        self.threshold.hide()
        middle.addWidget(self.threshold)
        self.bars = TopKBars()
        self.bars.setMinimumWidth(260)
        self.bars.setMaximumWidth(BARS_MAX_W)
        middle.addWidget(self.bars)
        middle.addStretch(1)
        body.addLayout(middle, 1)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.picture_heading = QLabel(self.tr("Where it looked"))
        self.picture_heading.setObjectName("SectionTitle")
        right.addWidget(self.picture_heading)
        self.picture = QLabel()
        self.picture.setObjectName("Picture")
        self.picture.setFixedSize(CAM_SIZE + 8, CAM_SIZE + 8)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.picture)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(CAM_SIZE + 8)
        right.addWidget(self.caption)
        right.addStretch(1)
        body.addLayout(right)
        body.addStretch(0)
        self.column.addLayout(body)
        self._show_blank()

    # --- the run --------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        """The line under the run list: what is open, or being opened; hidden when there is nothing."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _browsed(self, path: Path) -> None:
        path = Path(path).resolve()
        if self.known_runs is not None and self.known_runs.add(path):
            self.runs.select(path)
        else:
            self.open_run(path)  # not a run folder: opening it says why

    def open_run(self, path: Path | None) -> None:
        """Load the run's model for predicting, on a thread, once the view is on screen (a window
        that never shows the Export panel reads no weights for it); the same weights only once."""
        self._wanted = None
        if path is None:
            self._forget_model()
            self.loader.cancel()
            self._say("")  # the run list says there is none, and how to get one
            return
        path = Path(path)
        key = _weights_key(path)
        if key is not None and key == self._loaded_key and self.predictor is not None:
            return
        self._say(self.tr("Opening {name}…").format(name=path.name))
        if not self.isVisible():
            self._wanted = path
            return
        self._loaded_key = key

        def job(_context) -> Any:
            from studio.core.predict import load_predictor

            predictor = load_predictor(path)
            twin = predictor.fork()
            twin.warm_up()  # the first heatmap finds (and caches) the layer to explain
            if predictor.input_kind == "sound":
                from studio.core.predict import WordListener

                WordListener.warm_up()  # the voice-activity gate's network, read before the first word
            return predictor, twin, predictor.forward_ms(20) <= INLINE_MS

        self.loader.submit(job)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._wanted is not None:
            self.open_run(self._wanted)

    def _forget_model(self) -> None:
        self.listen.set_predictor(None)
        self.predictor = self.cam_predictor = None
        self._loaded_key = None
        self.task.cancel()
        self.cam_task.cancel()
        self._in_flight = self._pending = self._cam_in_flight = False
        self._cam_wanted = None

    def _on_loaded(self, loaded: tuple) -> None:
        self._forget_model()
        predictor, self.cam_predictor, self.inline = loaded
        self.predictor = predictor
        self._loaded_key = _weights_key(predictor.run_dir)
        self.error.clear()
        shape = " × ".join(str(s) for s in predictor.input_shape[1:])
        self._say(self.tr("{name}: {classes} classes, input {shape}").format(
            name=predictor.run_dir.name, classes=len(predictor.run.class_names) or "?", shape=shape))
        self._set_kind(predictor.input_kind)
        if self.kind == "sound":
            self.listen.set_predictor(self.cam_predictor)  # the twin: the listener answers on its thread
            self._say(self.tr("{name}: {classes} classes, hears {bands} bands × {frames} frames").format(
                name=predictor.run_dir.name, classes=len(predictor.run.class_names) or "?",
                bands=predictor.input_shape[0], frames=predictor.input_shape[1]))
        self.loaded.emit(predictor.run_dir)
        if self.kind != "sound":
            self._ink_changed()

    def _set_kind(self, kind: str) -> None:
        """The pad for an image model, the ear for a sound model."""
        if kind == self.kind:
            return
        self.kind = kind
        sound = kind == "sound"
        self.pad.setVisible(not sound)
        self.pad_buttons.setVisible(not sound)
        self.listen.setVisible(sound)
        self.threshold.setVisible(kind == "detection")
        side = BOXES_SIDE if kind == "detection" else CAM_SIZE
        self.picture.setFixedSize(side + 8, side + 8)
        self.caption.setFixedWidth(side + 8)
        self.pad.placeholder = (self.tr("Draw shapes here, or drop an image") if kind == "detection"
                                else self.tr("Draw a digit here"))
        self.pad.update()
        if kind == "detection":
            self.subtitle.setText(self.tr("Drop an image on the pad, or draw on it: the run draws a box round every "
                                          "object it finds, with its class and score; move the threshold to see "
                                          "fewer or more boxes."))
            self.picture_heading.setText(self.tr("What it found"))
            self.hint.setText(self.tr("Drop an image on the pad, or draw on it."))
        elif sound:
            self.subtitle.setText(self.tr("Press Listen and say a word, or drop a WAV file: the run's most likely "
                                          "classes show when the word ends, with the log-mel the network heard."))
            self.picture_heading.setText(self.tr("What it heard"))
            self.hint.setText(self.tr("Say a word, or open a WAV file."))
        else:
            self.subtitle.setText(self.tr("Draw with the mouse, or drop an image on the pad: the run's most likely "
                                          "classes update as you draw, and the heatmap shows where the network looked."))
            self.picture_heading.setText(self.tr("Where it looked"))
            self.hint.setText(self.tr("Draw on the pad, or drop an image on it."))
        self._show_blank()

    def _on_load_failed(self, message: str, _user_error: bool) -> None:
        self._forget_model()
        self._say("")
        self.error.show_verdict("error", "✕", self.tr("This run cannot be tried"), message)
        self.loaded.emit(None)

    # --- predicting -----------------------------------------------------------------------------
    def show_image(self, path: Path) -> bool:
        """Put an image file on the pad (stretched to its square) and predict it."""
        from studio.core.data.images import open_user_image
        from studio.core.errors import UserError

        try:
            picture = open_user_image(Path(path), fix="use a PNG or JPEG file")
            pixels = np.asarray(picture.convert("RGB").resize((CANVAS, CANVAS)), dtype=np.uint8)
        except UserError as exc:
            self.error.show_verdict("error", "✕", self.tr("Not an image"), exc.one_line())
            return False
        self.error.clear()
        self.pad.set_pixels(pixels)
        self._dropped = (self.pad.version, Path(path))
        return True

    # --- sounds -----------------------------------------------------------------------------------
    def show_sound(self, path: Path) -> bool:
        """Answer a WAV file (a sound run's "Open sound…" or a drop); False with the reason shown."""
        from studio.core.errors import UserError

        if self.predictor is None:
            return False
        if not is_sound_file(Path(path)):
            self.error.show_verdict("error", "✕", self.tr("Not a sound"),
                                    self.tr("{name} is not a WAV file.").format(name=Path(path).name))
            return False
        try:
            result = self.predictor.predict(Path(path), k=TOP_K)
        except UserError as exc:
            self.error.show_verdict("error", "✕", self.tr("Not a sound"), exc.one_line())
            return False
        self.error.clear()
        self._show_heard(result, None, Path(path).name)
        return True

    def _choose_sound(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open a sound to try"), str(Path.cwd()),
                                              self.tr("Sounds ({patterns})").format(patterns="*.wav *.wave"))
        if name:
            self.show_sound(Path(name))

    def _on_heard(self, word) -> None:
        if word.kind == "word" and word.result is not None:
            self._show_heard(word.result, word.speech_end, None)
        elif word.kind == "no_speech":
            self.listen.state.setText(self.tr("That was not a voice: say a word."))
        elif word.kind == "error":
            self.error.show_verdict("error", "✕", self.tr("No prediction"), word.message)

    def _show_heard(self, result, speech_end: float | None, file_name: str | None) -> None:
        best = result.best
        self.bars.set_entries([(t.name, t.probability) for t in result.top])
        self.answer.setText(self.tr("It heard “{name}” ({percent})").format(
            name=best.name, percent=f"{100 * best.probability:.1f}%"))
        self.hint.hide()
        self.answer.show()
        latency = time.monotonic() - speech_end if speech_end is not None else None
        self.last_word_latency_s = latency
        picture = rgb_pixmap(logmel_rgb(result.features))
        bands, frames = result.features.shape
        width = CAM_SIZE
        height = max(1, round(CAM_SIZE * bands / frames))
        self.picture.setPixmap(picture.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                              Qt.TransformationMode.FastTransformation))
        seconds = f"{result.seconds:.2f}"
        if file_name is not None:
            text = self.tr("{file}, {seconds} s. The log-mel the network heard: {bands} mel bands (low pitches "
                           "at the bottom) × {frames} frames of 10 ms.")
        else:
            text = self.tr("The word, {seconds} s. The log-mel the network heard: {bands} mel bands (low pitches "
                           "at the bottom) × {frames} frames of 10 ms.")
        self.caption.setText(text.format(file=file_name, seconds=seconds, bands=bands, frames=frames))
        if latency is not None:
            self.listen.state.setText(self.tr("Answered {ms} ms after the word ended. Say another.").format(
                ms=f"{1000 * latency:.0f}"))
        self.heard.emit(best.name, -1.0 if latency is None else latency)

    def _on_listen_failed(self, message: str) -> None:
        self.error.show_verdict("error", "✕", self.tr("The microphone cannot record"), message)

    def _choose_image(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image to try"), str(Path.cwd()),
                                              self.tr("Images ({patterns})").format(patterns=image_patterns()))
        if name:
            self.show_image(Path(name))

    def _ink_changed(self) -> None:
        if self.kind == "sound":
            return
        if self.pad.blank:
            self._due.stop()
            self._cam_due.stop()
            self.task.cancel()
            self.cam_task.cancel()
            self._in_flight = self._pending = self._cam_in_flight = False
            self._cam_wanted = None
            self._show_blank()
            return
        if self.predictor is None:
            return
        if self.inline:
            self._due.start()  # one pass at the next turn of the event loop, whatever moved meanwhile
        elif self._in_flight:
            self._pending = True  # asked for when the running pass ends: the newest ink only
        else:
            self._ask_classes()

    def _classes_now(self) -> None:
        if self.predictor is None or self.pad.blank:
            return
        asked = time.perf_counter()
        source, options = self._question()
        try:
            result = self.predictor.predict(source, k=TOP_K, **options)
        except Exception as exc:  # noqa: BLE001 - the job runner's rule: say it, keep the window
            from studio.app.jobs import JobFailure

            self._on_predict_failed(JobFailure.from_exception(exc).message, False)
            return
        self._show_classes(self.pad.version, asked, result)

    def _question(self) -> tuple[Any, dict[str, Any]]:
        """What to predict, and how: the pad's ink; for a detector the file last dropped or opened (until
        the pad is drawn on) at the threshold shown."""
        if self.kind != "detection":
            return self.pad.pixels(), {}
        options = {"score_threshold": self.threshold.value()}
        if self._dropped is not None and self._dropped[0] == self.pad.version:
            return self._dropped[1], options
        return self.pad.pixels(), options

    def _ask_classes(self) -> None:
        predictor, version, asked = self.predictor, self.pad.version, time.perf_counter()
        source, options = self._question()

        def job(_context) -> tuple:
            return version, asked, predictor.predict(source, k=TOP_K, **options)

        self._in_flight, self._pending = True, False
        self.task.submit(job)

    def _on_classes(self, answer: tuple) -> None:
        self._in_flight = False
        if self.pad.blank or self.predictor is None:
            return
        self._show_classes(*answer)
        if self._pending:
            self._ask_classes()

    def _show_classes(self, version: int, asked: float, result) -> None:
        if result.input_kind == "detection":
            self._show_boxes(version, asked, result)
            return
        best = result.best
        self.bars.set_entries([(t.name, t.probability) for t in result.top])
        self.answer.setText(self.tr("It reads “{name}” ({percent})").format(
            name=best.name, percent=f"{100 * best.probability:.1f}%"))
        self.hint.hide()
        self.answer.show()
        self.error.clear()
        self.shown_version = version
        self.last_latency_ms = 1000 * (time.perf_counter() - asked)
        self.updated.emit(version)
        self._cam_wanted = (version, result)
        if not self._cam_due.isActive():
            self._cam_due.start()

    def _show_boxes(self, version: int, asked: float, result) -> None:
        """The picture the network saw with its boxes, the count, and the boxes as bars (best first)."""
        names = self.predictor.class_names if self.predictor is not None else []
        self.shown_boxes = result.rows()
        count = len(self.shown_boxes)
        self.picture.setPixmap(boxes_pixmap(self.predictor.picture(result), self.shown_boxes, names))
        self.bars.set_entries([(b.name, b.score) for b in result.boxes[:MAX_BARS]])
        threshold = f"{result.score_threshold:.2f}"
        if count == 1:
            self.answer.setText(self.tr("Found 1 object"))
        elif count:
            self.answer.setText(self.tr("Found {count} objects").format(count=count))
        else:
            self.answer.setText(self.tr("No box scores at least {score}").format(score=threshold))
        self.hint.hide()
        self.answer.show()
        self.error.clear()
        h, w = result.x.shape[-2:]
        if count == 1:
            text = self.tr("1 box scoring at least {score} after non-maximum suppression (IoU {iou}), on the "
                           "{h} × {w} picture the network saw.")
        else:
            text = self.tr("{count} boxes scoring at least {score} after non-maximum suppression (IoU {iou}), on the "
                           "{h} × {w} picture the network saw.")
        if count > MAX_BARS:
            text += " " + self.tr("The bars list the best {shown}.").format(shown=MAX_BARS)
        self.caption.setText(text.format(count=count, score=threshold, iou=f"{result.nms_iou:.2f}", h=h, w=w))
        self.shown_version = version
        self.last_latency_ms = 1000 * (time.perf_counter() - asked)
        self.updated.emit(version)

    def _ask_cam(self) -> None:
        """The heatmap of the newest answer shown, when no heatmap is being computed."""
        if self._cam_in_flight or self._cam_wanted is None or self.cam_predictor is None:
            return
        (version, result), self._cam_wanted = self._cam_wanted, None
        predictor = self.cam_predictor

        def job(_context) -> tuple:
            predictor.explain(result)
            return version, result, predictor.overlay(result, size=(CAM_SIZE, CAM_SIZE))

        self._cam_in_flight = True
        self.cam_task.submit(job)

    def _on_cam(self, answer: tuple) -> None:
        self._cam_in_flight = False
        if not self.pad.blank:
            self._show_cam(*answer)
            self._ask_cam()

    def _show_cam(self, version: int, result, overlay: np.ndarray) -> None:
        best = result.best
        self.picture.setPixmap(rgb_pixmap(overlay))
        cam = result.cam
        h, w = result.x.shape[-2:]
        if cam is not None and cam.empty[0]:
            text = self.tr("The Grad-CAM of “{name}” at layer {layer} is empty: nothing there raises its score.")
        else:
            text = self.tr("Grad-CAM of “{name}” at layer {layer}, on the {h} × {w} picture the network saw.")
        text = text.format(name=best.name, layer=cam.layer if cam is not None else "?", h=h, w=w)
        if result.inverted:
            text += " " + self.tr("Dark on light, so inverted.")
        self.caption.setText(text)
        self.cam_version = version
        self.cam_updated.emit(version)

    def _on_predict_failed(self, message: str, _user_error: bool) -> None:
        self._in_flight = False
        self.error.show_verdict("error", "✕", self.tr("No prediction"), message)

    def _on_cam_failed(self, message: str, _user_error: bool) -> None:
        self._cam_in_flight = False
        self.picture.clear()
        self.caption.setText(self.tr("No heatmap: {message}").format(message=message))

    def _show_blank(self) -> None:
        self.bars.set_entries([])
        self.answer.setText("")
        self.answer.hide()
        self.hint.show()
        self.picture.clear()
        self.caption.setText("")
        self.shown_boxes = []
        self.shown_version = self.cam_version = self.pad.version


def _weights_key(path: Path) -> tuple | None:
    """The run's weights file and its version (a run that trained on has new weights)."""
    from studio.app.run_store import RunStore
    from studio.core.errors import UserError

    try:
        file = RunStore().open(path).checkpoint_file("best")
        stat = file.stat()
    except (UserError, OSError):
        return None
    return (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
