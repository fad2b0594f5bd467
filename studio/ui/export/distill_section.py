"""Distil a trained run into a smaller student project, and see whether the teacher helped.

`distill_run` trains the student twice from the same initial weights and with the same budget: on
the teacher's softened outputs (plus labels) and on labels alone. The card shows both accuracies
side by side with the teacher's size and speed, because the lesson is the difference. The student
is written as a run folder next to the teacher's, so it can be exported right away.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from studio.app.jobs import Policy
from studio.core.resources import TEMPLATES
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.run_chooser import RunChooser
from studio.ui.common.widgets import Card, FieldGrid, VerdictBanner
from studio.ui.export.export_section import slug
from studio.ui.export.table import ComparisonTable

OPEN_PROJECT = "__open__"


class DistillSection(Card):
    """`distilled(run_dir)` when a student run was written."""

    distilled = Signal(object)

    def __init__(self, open_project, parent: QWidget | None = None):
        super().__init__(self.tr("Distil into a smaller student"),
                         self.tr("Train a small network on a trained run's softened outputs (knowledge "
                                 "distillation) and compare it with the same network trained on labels alone."),
                         parent)
        self._open_project = open_project
        self.task = QtJobRunner("distill", Policy.ONE_AT_A_TIME, self)
        self.task.result.connect(self._on_done)
        self.task.error.connect(self._on_failed)
        self.last_summary: dict[str, Any] | None = None
        self._build()

    def _build(self) -> None:
        grid = FieldGrid()
        self.teacher = RunChooser()
        self.teacher.chosen.connect(lambda p: self.start_button.setEnabled(p is not None and not self.task.busy))
        grid.add_row(self.tr("Teacher run"), self.teacher, stretch=False)
        self.student = QComboBox()
        self.student.setMinimumContentsLength(24)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_student)
        grid.add_row(self.tr("Student project"), self.student, browse)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.5, 20.0)
        self.temperature.setSingleStep(0.5)
        self.temperature.setValue(4.0)
        self.temperature.setPrefix("T = ")
        self.temperature.setToolTip(self.tr("Softens the teacher's probabilities so the student also learns "
                                            "which wrong classes look alike"))
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.0, 1.0)
        self.weight.setSingleStep(0.1)
        self.weight.setValue(0.7)
        self.weight.setPrefix("α = ")
        self.weight.setToolTip(self.tr("Share of the teacher's term in the loss; the rest goes to the labels"))
        grid.add_row(self.tr("Temperature, weight"), self.temperature, self.weight)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 200)
        self.epochs.setValue(10)
        self.epochs.setSuffix(self.tr(" epochs"))
        self.labelled = QSpinBox()
        self.labelled.setRange(0, 1_000_000)
        self.labelled.setSingleStep(100)
        self.labelled.setValue(0)
        self.labelled.setSpecialValueText(self.tr("all labelled samples"))
        self.labelled.setSuffix(self.tr(" labelled samples"))
        self.labelled.setToolTip(self.tr("Distillation helps most when labels are few"))
        grid.add_row(self.tr("Budget"), self.epochs, self.labelled)
        self.column.addLayout(grid)

        actions = QHBoxLayout()
        actions.setSpacing(12)
        self.start_button = QPushButton(self.tr("Distil"))
        self.start_button.setObjectName("Primary")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.start)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFixedHeight(10)
        self.progress.hide()
        self.stage = QLabel()
        self.stage.setObjectName("Muted")
        actions.addWidget(self.start_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.stage)
        self.column.addLayout(actions)
        self.verdict = VerdictBanner()
        self.column.addWidget(self.verdict)
        self.table = ComparisonTable()
        self.column.addWidget(self.table)
        self.export_student = QPushButton(self.tr("Export this student"))
        self.export_student.hide()
        self.export_student.clicked.connect(lambda: self.last_summary and self.distilled.emit(
            Path(self.last_summary["run_dir"])))
        self.column.addWidget(self.export_student, 0, Qt.AlignmentFlag.AlignLeft)
        self.fill_students()

    def fill_students(self, extra: Path | None = None) -> None:
        keep = extra or self.student.currentData()
        self.student.clear()
        project = self._open_project()
        self.student.addItem(self.tr("The open project ({name})").format(name=project.name), OPEN_PROJECT)
        for path in sorted(TEMPLATES.glob("*.studio.json")):
            self.student.addItem(self.tr("Template: {name}").format(name=path.name.removesuffix(".studio.json")),
                                 str(path))
        if extra is not None and self.student.findData(str(extra)) < 0:
            self.student.addItem(extra.name, str(extra))
        index = self.student.findData(str(keep)) if keep else -1
        if index < 0:
            index = self.student.findData(str(TEMPLATES / "mlp.studio.json"))
        self.student.setCurrentIndex(max(0, index))

    def _browse_student(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Student project"), "",
                                              self.tr("Studio project (*.studio.json *.json)"))
        if path:
            self.fill_students(Path(path))

    def student_project(self):
        from studio.core.project import load_project

        data = self.student.currentData()
        if data == OPEN_PROJECT:
            return self._open_project()
        return load_project(Path(data))

    def config(self):
        from studio.core.export.distill import DistillConfig

        return DistillConfig(temperature=self.temperature.value(), weight=self.weight.value(),
                             epochs=self.epochs.value())

    def start(self) -> bool:
        from studio.core.errors import UserError

        teacher = self.teacher.path()
        if teacher is None or self.task.busy:
            return False
        try:
            student = self.student_project()
        except UserError as exc:
            self._on_failed(exc.one_line(), True)
            return False
        out = teacher.parent / f"{slug(student.name)}-distilled-{time.strftime('%Y%m%d-%H%M%S')}"
        config, labelled = self.config(), self.labelled.value() or None
        self.verdict.clear()
        self.table.hide()
        self.export_student.hide()
        self.start_button.setEnabled(False)
        self.progress.show()
        self.stage.setText(self.tr("Training the student with and without the teacher…"))
        self.task.submit(lambda _job: _distill_job(teacher, student, out, config, labelled))
        return True

    def _finish(self) -> None:
        self.progress.hide()
        self.stage.setText("")
        self.start_button.setEnabled(self.teacher.path() is not None)

    def _on_done(self, result: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        self._finish()
        summary, rows = result
        self.last_summary = summary
        report = summary["distillation"]
        gain = report.get("gain")
        helped = gain is not None and gain > 0
        headline = self.tr("Distilled student {s} vs trained alone {a}: {g:+.1f} points").format(
            s=f"{100 * report['student_accuracy']:.1f}%", a=f"{100 * (report['alone_accuracy'] or 0):.1f}%",
            g=100 * (gain or 0.0))
        detail = self.tr("Teacher {t} with {tp} parameters; student {sp} parameters. Saved as run {run}").format(
            t=f"{100 * (report['teacher_accuracy'] or 0):.1f}%", tp=f"{summary['teacher_params']:,}",
            sp=f"{summary['total_params']:,}", run=summary["run_dir"])
        self.verdict.show_verdict("pass" if helped else "fail", "▲" if helped else "▼", headline, detail)
        self.table.set_rows(rows, [self.tr("Teacher"), self.tr("Student, distilled"), self.tr("Student, labels only")],
                            change=False)
        self.export_student.show()
        self.distilled.emit(None)

    def _on_failed(self, message: str, user_error: bool) -> None:
        self._finish()
        self.table.hide()
        text = message if user_error else self.tr("Studio hit a bug while distilling: {m}").format(m=message)
        self.verdict.show_verdict("error", "✕", self.tr("Distillation stopped"), text)


def _distill_job(teacher: Path, student, out: Path, config, labelled: int | None):
    from studio.core.export.compare import Variant, compare
    from studio.core.export.distill_run import distill_run
    from studio.core.export.run_source import load_run

    summary = distill_run(teacher, student, out, config, compare=True, train_samples=labelled)
    teacher_source, student_source = load_run(teacher), load_run(out)
    samples = teacher_source.samples(64)
    rows = compare([Variant("teacher", teacher_source.model), Variant("student", student_source.model)],
                   samples, teacher_source.labels("val"), repeats=20)
    alone = summary["distillation"].get("alone_accuracy")
    rows.append({"name": "alone", "file_bytes": rows[1]["file_bytes"], "params": rows[1]["params"],
                 "nonzero_params": rows[1]["nonzero_params"], "latency_ms": {},
                 "val_accuracy": {} if alone is None else {"pytorch": alone}, "notes": ""})
    return summary, rows
