"""The Export panel's "Save to": a suggested name that is free, no silent replacing, and never a run's own files."""

from __future__ import annotations

import shutil

from export_ui_projects import tiny_cnn_project
from fault_disks import hashes

from studio.ui.export.export_section import free_name


def _panel(qtbot, run):
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState

    widget = ExportPanel(AppState(tiny_cnn_project()))
    qtbot.addWidget(widget)
    assert widget.add_run(run)
    return widget.export_section


def test_the_suggested_name_steps_past_earlier_exports(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    assert free_name(exports / "net.onnx", "onnx") == exports / "net.onnx"
    (exports / "net.onnx").write_bytes(b"1")
    (exports / "net-2.onnx").write_bytes(b"2")
    assert free_name(exports / "net.onnx", "onnx") == exports / "net-3.onnx"
    (exports / "code.pt").write_bytes(b"weights of an earlier code export")
    assert free_name(exports / "code.py", "python") == exports / "code-2.py"
    (exports / "state").mkdir()
    assert free_name(exports / "state", "state_dict") == exports / "state", "an empty folder is free"
    (exports / "state" / "best.pt").write_bytes(b"x")
    assert free_name(exports / "state", "state_dict") == exports / "state-2"


def test_an_existing_file_is_replaced_only_when_the_save_dialog_chose_it(qtbot, tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    section = _panel(qtbot, run)
    out = tmp_path / "mine.onnx"
    out.write_bytes(b"a file of mine")
    section.format.set_value("onnx")
    section.out.setText(str(out))
    assert not section.start_export() and not section.task.busy
    assert section.verdict.state() == "error"
    assert "already exists. Choose another name, or pick it with Choose… to replace it." in section.verdict.detail.text()
    assert out.read_bytes() == b"a file of mine"
    section._replace_ok = str(out)  # what _choose_out records after the dialog asked "Replace?"
    assert section.options().force
    assert section.start_export()
    qtbot.waitUntil(lambda: not section.task.busy, timeout=120_000)
    assert section.last_report and section.last_report["passed"] and out.stat().st_size > 1000


def test_the_panel_never_writes_over_a_runs_own_files(qtbot, tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    before = hashes(run)
    section = _panel(qtbot, run)
    section.format.set_value("torchscript")
    section.out.setText(str(run / "exports" / ".." / "best.pt"))
    section._replace_ok = section.out.text()  # even a confirmed replace does not touch the run
    assert not section.start_export()
    assert "best.pt of the run folder" in section.verdict.detail.text()
    assert hashes(run) == before
