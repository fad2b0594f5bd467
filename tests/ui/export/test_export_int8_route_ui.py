"""The Export panel after an INT8 export: the file just written is the one tried, a slower INT8 file
reads WARN, and timings within their noise read "about the same"."""

from __future__ import annotations

from PySide6.QtCore import Qt

WAIT_MS = 120_000


def export(qtbot, panel, int8: str, out) -> str:
    section = panel.export_section
    section.format.set_value("onnx")
    section.int8.setCurrentIndex(section.int8.findData(int8))
    section.out.setText(str(out))
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=WAIT_MS)
    return section.verdict.state()


def wait_tried(qtbot, panel, path) -> None:
    inference = panel.inference
    qtbot.waitUntil(lambda: not inference.task.busy and inference.model is not None
                    and inference.model.path == path, timeout=WAIT_MS)


def test_try_an_onnx_file_opens_the_int8_file_just_exported(qtbot, panel, tmp_path):
    fp32 = tmp_path / "first_fp32.onnx"
    assert export(qtbot, panel, "off", fp32) == "pass"
    wait_tried(qtbot, panel, fp32)
    int8 = tmp_path / "then_int8.onnx"
    assert export(qtbot, panel, "auto", int8) in ("pass", "warn"), panel.export_section.verdict.detail.text()
    wait_tried(qtbot, panel, int8)
    inference = panel.inference
    assert inference.model.metadata.get("quantization"), "the INT8 file, not the fp32 one, is loaded"
    assert "then_int8.onnx" in inference.file_label.text()
    assert "INT8" in inference.model_info.text()
    assert inference.prediction.text().startswith("Predicted:")


def test_int8_auto_says_which_route_and_a_slower_forced_route_reads_warn(qtbot, panel, tmp_path):
    section = panel.export_section
    export(qtbot, panel, "auto", tmp_path / "auto.onnx")
    assert "chosen by measuring every route: the fastest that keeps accuracy" in section.verdict.detail.text()
    assert section.last_report["int8"]["requested"] == "auto"

    # on this small CNN dynamic INT8 is several times slower than fp32 at batch 64 (ConvInteger)
    assert export(qtbot, panel, "dynamic", tmp_path / "dynamic.onnx") == "warn"
    assert section.verdict.mark.text() == "WARN"
    assert "runs slower than fp32 in onnxruntime" in section.verdict.detail.text()
    assert section.verdict.isVisible()


def test_the_same_model_on_both_sides_reads_about_the_same(qtbot, panel, tmp_path):
    assert export(qtbot, panel, "off", tmp_path / "same.onnx") == "pass"
    table = panel.export_section.table
    for figure in table.figures():
        if figure.startswith("Latency"):  # fp32 before and after: one model, one file's twin
            assert table.cell_text(figure, "Change") == "about the same", figure


def test_a_gap_within_the_spread_of_a_busy_machine_is_not_called_faster(qtbot, panel):
    """The panel's own figures from the report: one fp32 model at 74.5 ms, then at 49.6 ms."""
    table = panel.export_section.table
    key = "pytorch_cpu_b64"
    before = {"name": "before", "latency_ms": {key: 74.5}, "latency_iqr_ms": {key: [52.0, 90.0]}}
    after = {"name": "after", "latency_ms": {key: 49.6}, "latency_iqr_ms": {key: [45.0, 70.0]}}
    table.set_rows([before, after], ["Before (run, fp32)", "After (ONNX)"])
    assert table.cell_text("Latency, PyTorch CPU, batch 64", "Change") == "about the same"
    after["latency_iqr_ms"][key] = [49.0, 50.0]
    before["latency_iqr_ms"][key] = [74.0, 75.0]
    table.set_rows([before, after], ["Before (run, fp32)", "After (ONNX)"])
    assert table.cell_text("Latency, PyTorch CPU, batch 64", "Change") == "1.50× faster", "beyond the noise it is"
