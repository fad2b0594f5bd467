"""The distillation card: a trained run teaches a template student; both accuracies and the new run show."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studio.core.resources import TEMPLATES
from studio.ui.common import style


def test_distilling_a_run_into_the_mlp_template_compares_with_training_alone(qtbot, panel, tiny_run):
    card = panel.distill_section
    assert card.teacher.select(tiny_run.resolve())
    card.student.setCurrentIndex(card.student.findData(str(TEMPLATES / "mlp.studio.json")))
    card.epochs.setValue(2)
    card.labelled.setValue(100)
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    assert card.task.busy
    qtbot.waitUntil(lambda: card.verdict.state() != "" and not card.task.busy, timeout=120_000)
    assert card.verdict.state() in ("pass", "fail"), card.verdict.detail.text()
    report = card.last_summary["distillation"]
    table = card.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Figure", "Teacher", "Student, distilled", "Student, labels only"]
    assert table.cell_text("Validation accuracy (PyTorch)", "Student, distilled") == style.format_percent(
        report["student_accuracy"])
    assert table.cell_text("Validation accuracy (PyTorch)", "Student, labels only") == style.format_percent(
        report["alone_accuracy"])
    teacher_params = int(table.cell_text("Parameters", "Teacher").replace(",", ""))
    student_params = int(table.cell_text("Parameters", "Student, distilled").replace(",", ""))
    assert student_params != teacher_params
    gain = f"{100 * report['gain']:+.1f} points"
    assert gain in card.verdict.headline.text()
    new_run = card.last_summary["run_dir"]
    qtbot.mouseClick(card.export_student, Qt.MouseButton.LeftButton)
    assert str(panel.export_section.runs.path()) == str(type(tiny_run)(new_run).resolve()), \
        "the student run is offered for export"


def test_a_student_with_other_inputs_is_refused_with_the_core_message(qtbot, panel, tiny_run):
    card = panel.distill_section
    card.teacher.select(tiny_run.resolve())
    card.student.setCurrentIndex(card.student.findData(str(TEMPLATES / "mnist_cnn.studio.json")))
    card.start()
    qtbot.waitUntil(lambda: card.verdict.state() != "" and not card.task.busy, timeout=60_000)
    assert card.verdict.state() == "error"
    assert "the student takes inputs" in card.verdict.detail.text()
    assert card.start_button.isEnabled()
