"""The Export panel refuses INT8 for a model with nothing to quantize, and writes no file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from studio.core.graph.model import Graph, Node
from studio.core.project import Project


@pytest.fixture(scope="module")
def weightless_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    nodes = [Node("image", "Input", {"shape": [1, 8, 8]}), Node("bn", "BatchNorm2d"), Node("flat", "Flatten"),
             Node("seq", "Reshape", {"shape": [1, 64]}), Node("pool", "AvgPool1d", {"kernel_size": 6}),
             Node("flat2", "Flatten"), Node("head", "ClassificationHead")]
    project = Project(name="norm and pool", graph=Graph.chain(nodes))
    project.data.update(dataset="digits", options={})
    project.training.update(epochs=1, batch_size=64, device="cpu", seed=0)
    run_dir = tmp_path_factory.mktemp("export-ui-int8") / "runs" / "weightless"
    assert run_training(project, run_dir, {"max_steps": 5})["event"] == "done"
    return run_dir


def test_int8_of_a_model_without_quantizable_layers_is_refused_in_the_panel(qtbot, panel, weightless_run, tmp_path):
    assert panel.add_run(weightless_run)
    section = panel.export_section
    section.format.set_value("onnx")
    section.int8.setCurrentIndex(section.int8.findData("dynamic"))
    out = tmp_path / "never_int8.onnx"
    section.out.setText(str(out))
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=120_000)
    assert section.verdict.state() == "error"
    assert "no layer that INT8 can quantize" in section.verdict.detail.text()
    assert "in fp32 (INT8 off)" in section.verdict.detail.text()
    assert not out.exists() and not section.table.isVisible()
