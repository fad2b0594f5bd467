"""The Export panel on a real detector run (issue 17): "Include box decoding and NMS" is offered only
for a run with a DetectionHead, goes to the same core export as `studio export --detection-postprocess`,
and the file it writes gives in onnxruntime the boxes Studio's own decode + NMS gives."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.resources import TEMPLATES

WAIT_MS = 120_000
TEMPLATE = TEMPLATES / "tiny_yolo_shapes.studio.json"


@pytest.fixture(scope="module")
def detector_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    project = load_project(TEMPLATE)
    project.data["options"]["count"] = 160
    run = tmp_path_factory.mktemp("export-detector-ui") / "runs" / "detector"
    done = run_training(project, run, {"device": "cpu", "epochs": 1, "batch_size": 16, "max_steps": 6})
    assert done["event"] == "done", done
    return run, project


def test_decode_and_nms_checkbox_only_for_a_detector_and_its_file_gives_studios_boxes(qtbot, panel, detector_run,
                                                                                      tmp_path):
    from studio.core.data import load_dataset
    from studio.core.detection.run import load_run_detector
    from studio.core.export import ort
    from studio.core.export.onnx_export import read_metadata

    section = panel.export_section
    box = section.postprocess
    assert not box.isVisible(), "a classifier run has no boxes to decode"
    assert not section.options().detection_postprocess

    run, project = detector_run
    assert panel.add_run(run)
    assert box.isVisible() and box.isEnabled() and not box.isChecked()
    assert box.text() == "Include box decoding and NMS"
    assert "boxes" in box.toolTip() and "scores" in box.toolTip() and "classes" in box.toolTip()

    section.format.set_value("torchscript")  # the decode + NMS step is ONNX's NonMaxSuppression
    assert not box.isEnabled()
    section.format.set_value("onnx")
    assert box.isEnabled()
    box.setChecked(True)
    assert not section.int8.isEnabled() and section.int8.currentData() == "off"
    assert not section.prune.isEnabled()
    assert section.options().detection_postprocess

    out = tmp_path / "detector_nms.onnx"
    section.out.setText(str(out))
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=WAIT_MS)
    assert section.verdict.state() == "pass", section.verdict.detail.text()
    detail = section.verdict.detail.text()
    assert "Box decoding and NMS inside the file: outputs boxes, scores and classes" in detail, detail
    assert "checked in onnxruntime" in detail, detail
    assert section.last_report["parity"]["outputs"] == ["boxes", "scores", "classes"]
    assert "detection_postprocess" in read_metadata(out)
    assert "decodes the boxes and runs NMS" in section.notes.text(), "the slower 'after' row is explained"

    # the file, run in onnxruntime, gives the boxes of the core's decode + NMS on validation images
    x = load_dataset(project.data).x_val[:12]
    boxes, scores, classes = ort.run(ort.open_session(out), (x,))
    assert boxes.shape[:2] == scores.shape == classes.shape and boxes.shape[2] == 4
    want = load_run_detector(run).detect(x)
    total = 0
    for i, found in enumerate(want):
        k = int(found["scores"].shape[0])
        total += k
        assert int((scores[i] > 0).sum()) == k, i
        np.testing.assert_allclose(boxes[i, :k], found["boxes"].numpy(), atol=1e-5)
        np.testing.assert_allclose(scores[i, :k], found["scores"].numpy(), atol=1e-5)
        assert classes[i, :k].tolist() == found["classes"].tolist()
        assert (classes[i, k:] == -1).all()
    assert total > 12, "the comparison should cover real detections"
