"""The Export panel on a real trained run: ONNX with its PASS, INT8 before/after, refusals, run choice."""

from __future__ import annotations

import shutil
import time

import onnxruntime
import pytest
import torch
from export_ui_projects import tiny_cnn_project
from PySide6.QtCore import Qt

from studio.core.export.measure import parameter_counts
from studio.ui.common import style

WAIT_MS = 120_000


def click_export(qtbot, panel) -> float:
    """Click Export; return how long the click kept the GUI thread busy."""
    started = time.perf_counter()
    qtbot.mouseClick(panel.export_section.export_button, Qt.MouseButton.LeftButton)
    return time.perf_counter() - started


def wait_verdict(qtbot, section) -> str:
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=WAIT_MS)
    return section.verdict.state()


def test_onnx_export_of_a_trained_run_passes_with_the_measured_difference(qtbot, panel, tmp_path):
    section = panel.export_section
    out = tmp_path / "digits.onnx"
    section.format.set_value("onnx")
    section.out.setText(str(out))
    busy = click_export(qtbot, panel)
    assert section.task.busy, "the export runs on a worker thread"
    assert busy < 0.5, f"the click blocked the window for {busy:.2f} s"
    assert not section.export_button.isEnabled(), "no second export while one runs"
    assert wait_verdict(qtbot, section) == "pass"
    report = section.last_report
    assert report["max_abs_diff"] <= 1e-4
    assert section.verdict.mark.text() == "PASS"
    assert f"{report['max_abs_diff']:.2e}" in section.verdict.headline.text()
    assert "≤ 1e-04" in section.verdict.headline.text()
    assert str(out) in section.verdict.detail.text()
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    assert isinstance(session.get_inputs()[0].shape[0], str), "the written file has a dynamic batch axis"
    table = section.table
    assert table.isVisible()
    assert "Latency, onnxruntime CPU, batch 1" in table.figures()
    assert "Latency, PyTorch CPU, batch 64" in table.figures()
    before_acc = table.cell_text("Validation accuracy (PyTorch)", "Before (run, fp32)")
    assert before_acc == style.format_percent(report["accuracy"]["before"])
    assert section.export_button.isEnabled()


def test_int8_export_fills_the_before_after_table(qtbot, panel, tmp_path):
    section = panel.export_section
    section.format.set_value("onnx")
    section.int8.setCurrentIndex(section.int8.findData("dynamic"))
    section.out.setText(str(tmp_path / "digits_int8.onnx"))
    click_export(qtbot, panel)
    # correct and smaller, but dynamic INT8 runs this CNN slower than fp32: a warning, not a pass
    assert wait_verdict(qtbot, section) == "warn", section.verdict.detail.text()
    report = section.last_report
    table = section.table
    after = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())][2]
    assert "INT8" in after
    assert table.cell_text("File size", after) == style.format_bytes(report["bytes"])
    change = table.cell_text("File size", "Change")
    assert change.endswith("× smaller")
    assert float(change.split("×")[0]) > 3.0, "INT8 weights are about four times smaller"
    assert table.cell_text("Parameters", "Before (run, fp32)") == style.format_grouped(report["params"]["params"])
    for figure in ("Latency, onnxruntime CPU, batch 1", "Latency, onnxruntime CPU, batch 64"):
        assert table.cell_text(figure, "Before (run, fp32)").endswith("s")
        assert table.cell_text(figure, after).endswith("s")
    assert table.cell_text("Latency, PyTorch CPU, batch 1", after) == "—", "the INT8 file has no PyTorch twin"
    acc_after = table.cell_text("Validation accuracy (onnxruntime)", after)
    assert acc_after == style.format_percent(report["accuracy"]["after"])
    assert "INT8 error to PyTorch" in section.verdict.detail.text()


def test_pruned_torchscript_export_counts_the_zeros(qtbot, panel, tmp_path):
    section = panel.export_section
    section.format.set_value("torchscript")
    section.prune.setChecked(True)
    section.fraction.setValue(60)
    section.out.setText(str(tmp_path / "pruned.pt"))
    click_export(qtbot, panel)
    assert wait_verdict(qtbot, section) == "pass", section.verdict.detail.text()
    table = section.table
    after = table.horizontalHeaderItem(2).text()
    assert "pruned" in after
    loaded = torch.jit.load(str(tmp_path / "pruned.pt"))
    zeros = sum(int((p == 0).sum()) for p in loaded.parameters())
    nonzero = parameter_counts(loaded)["nonzero_params"]
    assert zeros > 0
    assert table.cell_text("Non-zero parameters", after) == style.format_grouped(nonzero)


@pytest.mark.parametrize("damage, message", [
    ("bare", "is not a Studio checkpoint"),
    ("garbage", "corrupt"),
])
def test_a_refused_checkpoint_shows_the_core_message_and_the_panel_keeps_working(
        qtbot, panel, tiny_run, tmp_path, damage, message):
    bad = tmp_path / "runs" / f"bad-{damage}"
    shutil.copytree(tiny_run, bad)
    for name in ("best.pt", "checkpoint.pt"):
        if damage == "bare":
            state = torch.load(tiny_run / name, weights_only=True)["model"]
            torch.save(state, bad / name)
        else:
            (bad / name).write_bytes(b"this is not a checkpoint at all" * 10)
    assert panel.add_run(bad)
    section = panel.export_section
    assert section.runs.path() == bad.resolve()
    section.out.setText(str(tmp_path / "never.onnx"))
    click_export(qtbot, panel)
    assert wait_verdict(qtbot, section) == "error"
    assert message in section.verdict.detail.text()
    assert "best.pt" in section.verdict.detail.text()
    assert not (tmp_path / "never.onnx").exists()
    assert not section.table.isVisible()
    assert section.export_button.isEnabled(), "a refusal leaves the panel ready for the next export"


def test_a_folder_that_is_not_a_run_is_named(panel, tmp_path):
    assert not panel.add_run(tmp_path)
    assert panel.export_section.verdict.state() == "error"
    assert str(tmp_path.resolve()) in panel.export_section.verdict.detail.text()


def test_run_list_offers_runs_under_the_project_folder_and_names_the_output(qtbot, tiny_run, tmp_path):
    from studio.core.project import save_project
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState


    project_file = tmp_path / "tiny.studio.json"
    save_project(tiny_cnn_project(), project_file)
    shutil.copytree(tiny_run, tmp_path / "runs" / "tiny-1")
    state = AppState(tiny_cnn_project())
    state.mark_saved(project_file)
    widget = ExportPanel(state)
    qtbot.addWidget(widget)
    widget.refresh_runs()
    chooser = widget.export_section.runs
    assert chooser.path() == (tmp_path / "runs" / "tiny-1").resolve()
    assert "tiny digits cnn" in chooser.combo.currentText()
    assert widget.export_section.out.text().endswith("tiny_digits_cnn.onnx")
    widget.export_section.int8.setCurrentIndex(widget.export_section.int8.findData("dynamic"))
    assert widget.export_section.out.text().endswith("tiny_digits_cnn_int8.onnx")
    widget.export_section.format.set_value("python")
    assert widget.export_section.int8.currentData() == "off", "INT8 does not apply to Python code"
    assert widget.export_section.out.text().endswith(".py")
