"""Export a run: choose the run, the format and the reductions; export on a thread; show the check and the table.

The work is `pipeline.export_source` (the same code as `studio export`) followed by
`before_after.before_after_rows`, which measures the run's fp32 model and the exported one side by
side. The verdict follows the core: fp32 files must match PyTorch within 1e-4 in onnxruntime (or on
reload for the other formats); INT8 must keep accuracy within one point, and an INT8 file slower
than fp32 reads WARN (the core's `verdict`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from studio.app.jobs import Policy
from studio.core.train.run_layout import RunLayout
from studio.ui.common import style
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.run_chooser import RunChooser, run_facts
from studio.ui.common.widgets import Card, FieldGrid, Segmented, VerdictBanner
from studio.ui.export.table import ComparisonTable

SUFFIX = {"onnx": ".onnx", "torchscript": ".pt", "python": ".py", "state_dict": ""}
INT8_CHOICES = ("off", "auto", "dynamic", "static", "torch")
"""off; the fastest onnxruntime route that keeps accuracy (measured); onnxruntime dynamic; onnxruntime
static (calibrated); PyTorch dynamic (TorchScript)."""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "model"


class RoomForBoldChoice(QObject):
    """Keeps each segment of a Segmented as wide as its text drawn bold.

    The Export page's sheet draws the chosen format bold so the choice reads as a tab, but a
    button sizes itself for its regular text: the chosen segment's text was cut ("ONNX" lost
    its edges; "state_dict + project" 16 px, issue 20). The width is set again whenever the
    button is polished or its font or style sheet changes (a theme switch restyles the page).
    """

    WATCHED = (QEvent.Type.Polish, QEvent.Type.FontChange, QEvent.Type.StyleChange)

    def __init__(self, segmented: Segmented):
        super().__init__(segmented)
        for button in segmented.buttons.values():
            button.installEventFilter(self)
            self.reserve(button)

    @staticmethod
    def reserve(button: QPushButton) -> None:
        regular = QFontMetrics(button.font())
        bold_font = QFont(button.font())
        bold_font.setWeight(QFont.Weight.Bold)  # at least as wide as the sheet's 600
        extra = QFontMetrics(bold_font).horizontalAdvance(button.text()) - regular.horizontalAdvance(button.text())
        button.setMinimumWidth(button.sizeHint().width() + max(extra, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.WATCHED and isinstance(watched, QPushButton):
            self.reserve(watched)
        return False


class ExportSection(Card):
    """The first card of the panel. `exported(report)` after every finished export."""

    exported = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Export a run"),
                         self.tr("Write the trained model as a file that runs without Studio, optionally smaller. "
                                 "Every file is run again and compared with PyTorch on validation samples."),
                         parent)
        self.task = QtJobRunner("export", Policy.ONE_AT_A_TIME, self)
        self.task.progress.connect(self._on_progress)
        self.task.result.connect(self._on_done)
        self.task.error.connect(self._on_failed)
        self.last_report: dict[str, Any] | None = None
        self.last_rows: list[dict[str, Any]] = []
        self._out_edited = False
        self._replace_ok: str | None = None
        """The path the save dialog chose (it asked before replacing a file): that one may be replaced."""
        self.gan: dict[str, Any] | None = None
        """For a GAN run, what its export is (export/gan.py run_interface); None for other runs."""
        self.detector = False
        """Whether the chosen run's model has a DetectionHead (then decode + NMS may go inside the file)."""
        self._build()
        self._sync_options()

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        grid = FieldGrid()
        self.runs = RunChooser()
        self.runs.chosen.connect(self._on_run)
        grid.add_row(self.tr("Run"), self.runs, stretch=False)
        self.run_info = QLabel()
        self.run_info.setObjectName("Muted")
        self.run_info.setWordWrap(True)
        grid.addWidget(self.run_info, grid.rowCount(), 1)

        self.format = Segmented([("onnx", "ONNX"), ("torchscript", "TorchScript"),
                                 ("python", self.tr("Python code")), ("state_dict", self.tr("state_dict + project"))])
        self.format.changed.connect(self._sync_options)
        RoomForBoldChoice(self.format)
        grid.add_row(self.tr("Format"), self.format)

        self.network = Segmented([("generator", self.tr("Generator")), ("discriminator", self.tr("Discriminator"))])
        self.network.changed.connect(self._on_network)
        RoomForBoldChoice(self.network)
        self.network_caption = grid.add_row(self.tr("Network"), self.network)
        self.network.hide()  # only a GAN run has two networks to choose from
        self.network_caption.hide()

        self.out = QLineEdit()
        self.out.setPlaceholderText(self.tr("Where to write the export"))
        self.out.textEdited.connect(self._mark_out_edited)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_out)
        line = QHBoxLayout()
        line.addWidget(self.out, 1)
        line.addWidget(choose)
        grid.add_row(self.tr("Save to"), line, stretch=False)

        self.int8 = QComboBox()
        for key, text in zip(INT8_CHOICES, [
                self.tr("Off (fp32)"), self.tr("INT8, the fastest route that keeps accuracy (measured)"),
                self.tr("INT8, onnxruntime dynamic (weights)"),
                self.tr("INT8, onnxruntime static (calibrated on training data)"),
                self.tr("INT8, PyTorch dynamic (Linear / LSTM / GRU)")], strict=True):
            self.int8.addItem(text, key)
        self.int8.currentIndexChanged.connect(self._sync_options)
        grid.add_row(self.tr("Quantize"), self.int8)

        self.prune = QCheckBox(self.tr("Prune"))
        self.prune.toggled.connect(self._sync_options)
        self.fraction = QSpinBox()
        self.fraction.setRange(5, 95)
        self.fraction.setSingleStep(5)
        self.fraction.setValue(50)
        self.fraction.setSuffix(self.tr(" % of weights"))
        self.fraction.valueChanged.connect(self._sync_options)
        self.structured = QCheckBox(self.tr("Structured (whole filters)"))
        self.structured.toggled.connect(self._sync_options)
        self.finetune = QSpinBox()
        self.finetune.setRange(0, 50)
        self.finetune.setPrefix(self.tr("fine-tune "))
        self.finetune.setSuffix(self.tr(" epochs"))
        grid.add_row(self.tr("Pruning"), self.prune, self.fraction, self.structured, self.finetune)

        self.postprocess = QCheckBox(self.tr("Include box decoding and NMS"))
        self.postprocess.setObjectName("detectionPostprocess")
        self.postprocess.setToolTip(self.tr(
            "The ONNX file then outputs, per image, boxes (x0, y0, x1, y1 as fractions of the image side), "
            "scores and classes after non-maximum suppression, instead of the raw grid. Padding rows have "
            "score 0 and class -1. fp32 ONNX only, without INT8 or pruning."))
        self.postprocess.toggled.connect(self._sync_options)
        self.postprocess_caption = grid.add_row(self.tr("Detection"), self.postprocess)
        self.postprocess.hide()  # only a detector's grid has boxes to decode
        self.postprocess_caption.hide()
        self.column.addLayout(grid)

        actions = QHBoxLayout()
        actions.setSpacing(12)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("Primary")
        self.export_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.export_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.export_button.clicked.connect(self.start_export)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.hide()
        self.stage = QLabel()
        self.stage.setObjectName("Muted")
        actions.addWidget(self.export_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.stage)
        actions.addStretch(0)
        self.column.addSpacing(4)
        self.column.addLayout(actions)

        self.verdict = VerdictBanner()
        self.column.addWidget(self.verdict)
        self.table = ComparisonTable()
        self.column.addWidget(self.table)
        self.notes = QLabel()
        self.notes.setObjectName("Hint")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()
        self.column.addWidget(self.notes)

    # --- options --------------------------------------------------------------------------------
    def _sync_options(self, *_args: object) -> None:
        fmt = self.format.value()
        model = self.int8.model()
        onnx = fmt == "onnx"
        allowed = {"off": True, "auto": onnx, "dynamic": onnx, "static": onnx, "torch": fmt == "torchscript"}
        for i, key in enumerate(INT8_CHOICES):
            model.item(i).setEnabled(allowed[key])
        if not allowed[self.int8.currentData()]:  # INT8 asked for: this format's INT8 (or off where none)
            swap = {"onnx": "auto", "torchscript": "torch"}.get(fmt, "off")
            self.int8.setCurrentIndex(INT8_CHOICES.index(swap if self.int8.currentData() != "off" else "off"))
        gan = self.gan is not None
        self.postprocess.setEnabled(self.detector and onnx)
        if not (self.detector and onnx):
            self.postprocess.setChecked(False)
        postprocess = self.postprocess.isChecked()
        if gan or postprocess:  # neither reduction applies (the core refuses them with the same reasons)
            self.int8.setCurrentIndex(INT8_CHOICES.index("off"))
            self.prune.setChecked(False)
        self.int8.setEnabled(not gan and not postprocess)
        self.prune.setEnabled(not gan and not postprocess)
        if gan:
            self.int8.setToolTip(self.tr("INT8 is not offered for GAN runs: its route is chosen by the accuracy a "
                                         "classifier keeps, and a generator's images have no accuracy to measure."))
            self.prune.setToolTip(self.tr("Pruning is not offered for GAN runs: it is judged on a classifier's "
                                          "labels, which neither network of a GAN has."))
        elif postprocess:
            self.int8.setToolTip(self.tr("Box decoding and NMS go into an fp32 ONNX file only: clear "
                                         "\"Include box decoding and NMS\" to quantize."))
            self.prune.setToolTip(self.tr("Box decoding and NMS go into an unpruned ONNX file only: clear "
                                          "\"Include box decoding and NMS\" to prune."))
        else:
            self.int8.setToolTip("")
            self.prune.setToolTip("")
        pruning = self.prune.isChecked()
        for w in (self.fraction, self.structured, self.finetune):
            w.setEnabled(pruning)
        if not self._out_edited:
            self.out.setText(self.default_out())

    def _mark_out_edited(self, _text: str) -> None:
        self._out_edited = True

    def default_out(self) -> str:
        run = self.runs.path()
        if run is None:
            return ""
        info = run_facts(run)
        stem = slug(info.project if info else run.name)
        if self.int8.currentData() != "off":
            stem += "_int8"
        if self.prune.isChecked():
            stem += f"_pruned{self.fraction.value()}"
        if self.gan is not None and self.network.value() == "discriminator":
            stem += "_discriminator"
        if self.postprocess.isChecked():
            stem += "_nms"
        return str(free_name(RunLayout(run).exports / f"{stem}{SUFFIX[self.format.value()]}", self.format.value()))

    def _choose_out(self) -> None:
        fmt = self.format.value()
        if fmt == "state_dict":
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder for the state_dict and project"),
                                                    self.out.text())
        else:
            filters = {"onnx": self.tr("ONNX model (*.onnx)"), "torchscript": self.tr("TorchScript archive (*.pt)"),
                       "python": self.tr("Python file (*.py)")}
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.out.text(), filters[fmt])
        if path:
            self.out.setText(path)
            self._out_edited = True
            self._replace_ok = path if fmt != "state_dict" else None

    def gan_line(self) -> str:
        """`Generator: z [100] -> image [1, 28, 28]` for a GAN run (or what its discriminator takes and
        gives, when chosen), else empty."""
        if self.gan is None:
            return ""
        if self.network.value() == "discriminator":
            claimed = self.tr(", the class it claims") if self.gan["conditional"] else ""
            return self.tr("Discriminator: image {shape}{claimed} -> verdict [1] (near 1: real)").format(
                shape=self.gan["image"], claimed=claimed)
        inputs = ", ".join(f"{name} {shape}" for name, shape in self.gan["inputs"])
        return self.tr("Generator: {inputs} -> image {shape}").format(inputs=inputs, shape=self.gan["image"])

    def _on_network(self, _key: str) -> None:
        self._on_run(self.runs.path(), keep_network=True)

    def _on_run(self, path: Path | None, keep_network: bool = False) -> None:
        from studio.core.export.gan import run_interface

        self.export_button.setEnabled(path is not None and not self.task.busy)
        self.gan = run_interface(path) if path else None
        self.detector = has_detection_head(path) if path else False
        self.postprocess.setVisible(self.detector)
        self.postprocess_caption.setVisible(self.detector)
        if not keep_network:
            self.network.set_value("generator")
        self.network.setVisible(self.gan is not None)
        self.network_caption.setVisible(self.gan is not None)
        info = run_facts(path) if path else None
        if info is None:
            self.run_info.setText("")
        else:
            parts = [info.project]
            if info.epoch is not None:
                parts.append(self.tr("{n} epochs").format(n=info.epoch))
            if info.accuracy is not None:
                parts.append(self.tr("val accuracy {acc}").format(acc=style.format_percent(info.accuracy)))
            if info.params:
                parts.append(self.tr("{n} parameters").format(n=style.format_grouped(info.params)))
            parts.append(str(info.path))
            text = "  ·  ".join(parts)
            if self.gan is not None:
                text += "\n" + self.tr("A GAN run exports one of its networks (the generator draws images in "
                                        "[-1, 1]); state_dict keeps both.") + "\n" + self.gan_line()
            self.run_info.setText(text)
        self._out_edited = False
        self._sync_options()

    def options(self):
        from studio.core.export.pipeline import ExportOptions

        fmt = self.format.value()
        int8 = self.int8.currentData()
        return ExportOptions(
            format=fmt, out=self.out.text().strip(),
            int8=None if int8 == "off" else ("dynamic" if int8 == "torch" else int8),
            prune=self.fraction.value() / 100.0 if self.prune.isChecked() else None,
            structured=self.structured.isChecked(), finetune_epochs=self.finetune.value(), latency=False,
            network=self.network.value() if self.gan is not None else None,
            detection_postprocess=self.detector and self.postprocess.isChecked(),
            force=self._replace_ok is not None and self.out.text().strip() == self._replace_ok)

    # --- running --------------------------------------------------------------------------------
    def start_export(self) -> bool:
        run = self.runs.path()
        if run is None or self.task.busy:
            return False
        if not self.out.text().strip():
            self.show_error(self.tr("Choose where to save the export first."))
            return False
        options = self.options()
        if not self._outputs_allowed(options):
            return False
        self.verdict.clear()
        self.table.hide()
        self.notes.hide()
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.stage.setText(self.tr("Loading the run…"))
        self.task.submit(lambda job: _export_job(run, options, job.progress))
        return True

    def _outputs_allowed(self, options) -> bool:
        """The core's output rules (studio.core.safe_paths) checked before the thread starts, so a
        file that is in the way is said in the panel's words (the core speaks of --force)."""
        from studio.core.errors import UserError
        from studio.core.export.pipeline import output_paths
        from studio.core.safe_paths import OutputExists

        try:
            output_paths(options)
        except OutputExists as exc:
            self.show_error(self.tr("{path} already exists. Choose another name, or pick it with Choose… to "
                                    "replace it.").format(path=exc.path))
            return False
        except UserError as exc:
            self.show_error(exc.one_line())
            return False
        return True

    def _on_progress(self, values: tuple[str, float]) -> None:
        stage, done = values
        texts = {
            "load": self.tr("Loading the run…"), "accuracy": self.tr("Measuring accuracy before…"),
            "prune": self.tr("Pruning…"), "write": self.tr("Writing the file…"),
            "quantize": self.tr("Quantizing to INT8…"), "check": self.tr("Checking against PyTorch…"),
            "compare": self.tr("Measuring before and after…"), "done": self.tr("Finishing…"),
        }
        self.progress.setValue(int(100 * done))
        self.stage.setText(texts.get(stage, stage))

    def _finish(self) -> None:
        self.progress.hide()
        self.stage.setText("")
        self.export_button.setEnabled(self.runs.path() is not None)

    def _on_done(self, result: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        self._finish()
        report, rows = result
        self.last_report, self.last_rows = report, rows
        marks = {"pass": self.tr("PASS"), "warn": self.tr("WARN"), "fail": self.tr("FAIL")}
        self.verdict.show_verdict(report["verdict"], marks[report["verdict"]], self._headline(report),
                                  self._detail(report))
        names = [self.tr("Before (run, fp32)"), self._after_name(report)]
        self.table.set_rows(rows, names)
        notes = [n for n in report.get("notes", []) if n]
        if report.get("detection_postprocess"):
            notes.append(self.tr("The file after also decodes the boxes and runs NMS, which the run's raw grid before "
                                 "does not: its size and latency include that work."))
        notes.append(self.tr("Latencies are medians of repeated runs, timed side by side just now on this machine; "
                             "a change within their spread or under 15% reads \"about the same\"."))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.exported.emit(report)

    def _after_name(self, report: dict[str, Any]) -> str:
        fmt = {"onnx": "ONNX", "torchscript": "TorchScript", "python": self.tr("Python code"),
               "state_dict": "state_dict"}[report["format"]]
        extras = []
        if report.get("fp32_bytes") or report.get("size_ratio"):
            extras.append("INT8")
        elif report["format"] == "torchscript" and self.options().int8:
            extras.append("INT8")
        if report.get("prune"):
            extras.append(self.tr("pruned"))
        if report.get("detection_postprocess"):
            extras.append(self.tr("+ NMS"))
        return self.tr("After ({what})").format(what=" ".join([fmt, *extras]))

    def _headline(self, report: dict[str, Any]) -> str:
        parity = report.get("parity") or {}
        diff = report.get("max_abs_diff")
        if parity.get("tolerance") is not None and diff is not None:
            relation = "≤" if report["passed"] else ">"
            engine = "onnxruntime" if report["format"] == "onnx" else self.tr("the reloaded file")
            if report.get("network") == "generator" and report["format"] != "state_dict":
                return self.tr("Max abs diff {diff} {rel} {tol} between {engine} and PyTorch on {n} images drawn "
                               "from seeded noise").format(diff=f"{diff:.2e}", rel=relation,
                                                           tol=f"{parity['tolerance']:.0e}", engine=engine,
                                                           n=parity.get("samples", "?"))
            return self.tr("Max abs diff {diff} {rel} {tol} between {engine} and PyTorch on {n} validation samples").format(
                diff=f"{diff:.2e}", rel=relation, tol=f"{parity['tolerance']:.0e}", engine=engine,
                n=parity.get("samples", "?"))
        acc = report.get("accuracy", {})
        if "drop_points" in acc:
            return self.tr("INT8 kept {after} validation accuracy ({before} before; at most {budget:g} point may be "
                           "lost)").format(after=style.format_percent(acc.get("after")),
                                           before=style.format_percent(acc.get("before")),
                                           budget=acc.get("int8_budget_points", 1.0))
        return self.tr("Written and checked")

    def _detail(self, report: dict[str, Any]) -> str:
        lines = [self.tr("Saved to {path} ({size})").format(path=report["out"], size=style.format_bytes(report["bytes"]))]
        fp32 = report.get("fp32_parity")
        if fp32:
            lines.append(self.tr("fp32 file before quantizing: max abs diff {diff} ({verdict}); INT8 error to PyTorch {q}").format(
                diff=f"{fp32['max_abs_diff']:.2e}", verdict=self.tr("PASS") if fp32["passed"] else self.tr("FAIL"),
                q=f"{report['max_abs_diff']:.2e}"))
        if report.get("int8"):
            lines.append(self._int8_line(report["int8"]))
        if report.get("detection_postprocess"):
            lines.append(self._postprocess_line(report))
        prune = report.get("prune")
        if prune:
            lines.append(self.tr("Pruned: {share} of the weights are zero").format(
                share=style.format_percent(prune.get("sparsity"))))
        lines += [f"⚠ {warning}" for warning in report.get("warnings", [])]
        return "\n".join(lines)

    def _postprocess_line(self, report: dict[str, Any]) -> str:
        """What the file gives with decode + NMS inside, and that those outputs were checked."""
        settings = report["detection_postprocess"]
        parity = report.get("parity") or {}
        checked = (self.tr("checked in onnxruntime against Studio's own decoding and NMS: max abs diff {diff}")
                   .format(diff=f"{parity['max_abs_diff']:.2e}") if parity.get("max_abs_diff") is not None
                   else self.tr("not checked"))
        return self.tr("Box decoding and NMS inside the file: outputs boxes, scores and classes (up to {n} per "
                       "image, score above {score}, NMS IoU {iou}), {checked}").format(
            n=settings.get("max_detections", "?"), score=f"{settings.get('score_threshold', 0):g}",
            iou=f"{settings.get('nms_iou', 0):g}", checked=checked)

    def _int8_line(self, int8: dict[str, Any]) -> str:
        """Which INT8 route was shipped and why; its speed against fp32 is in the table below."""
        from studio.core.export.int8_route import BUDGET_POINTS

        routes = {"dynamic": self.tr("onnxruntime dynamic"), "static": self.tr("onnxruntime static"),
                  "pytorch_dynamic": self.tr("PyTorch dynamic")}
        route = routes.get(int8["route"], int8["route"])
        if int8["requested"] != "auto":
            return self.tr("INT8 route: {route}").format(route=route)
        return self.tr("INT8 route: {route}, chosen by measuring every route: the fastest that keeps accuracy within "
                       "{budget:g} point").format(route=route, budget=BUDGET_POINTS)

    def _on_failed(self, message: str, user_error: bool) -> None:
        self._finish()
        self.show_error(message if user_error else self.tr("Studio hit a bug while exporting: {m}").format(m=message))

    def show_error(self, message: str) -> None:
        self.last_report = None
        self.table.hide()
        self.notes.hide()
        self.verdict.show_verdict("error", "✕", self.tr("Export refused"), message)


def has_detection_head(run: Path) -> bool:
    """Whether the run's project graph has a DetectionHead, read from its project.json without
    building the model (False for a folder whose project cannot be read)."""
    from studio.core.errors import UserError
    from studio.core.graph.registry import get_block, has_block
    from studio.core.train.run_folder import load_run_project

    try:
        graph = load_run_project(run).graph
    except (UserError, OSError, ValueError):
        return False
    return any(has_block(n.block) and get_block(n.block).head == "detection" for n in graph.nodes)


def free_name(path: Path, fmt: str) -> Path:
    """`path`, or NAME-2, NAME-3 ... beside it when an earlier export is there (the suggested name
    must not be refused as existing, and nothing is replaced without asking)."""

    def taken(p: Path) -> bool:
        if fmt == "state_dict":
            return p.exists() and (not p.is_dir() or any(p.iterdir()))
        return p.exists() or (fmt == "python" and p.with_suffix(".pt").exists())

    candidate, n = path, 1
    while taken(candidate) and n < 1000:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _export_job(run: Path, options, progress) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """On the worker thread: the export, then the before/after measurements."""
    from studio.core.export.before_after import before_after_rows
    from studio.core.export.pipeline import export_source
    from studio.core.export.run_source import load_run

    options.check()
    progress("load", 0.02)
    exported = export_source(load_run(run, options.which, options.network), options, lambda s, f: progress(s, 0.6 * f))
    progress("compare", 0.65)
    rows = before_after_rows(exported, options)
    progress("done", 1.0)
    return exported.report, rows
