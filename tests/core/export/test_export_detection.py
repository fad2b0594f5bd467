"""A detector exported to ONNX with decoding and NMS inside: onnxruntime gives the boxes Studio's own
decode + NMS gives on validation images; without the option the raw grid exports as before."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from studio.core.data import load_dataset
from studio.core.detection.run import load_run_detector
from studio.core.errors import UserError
from studio.core.export import ort
from studio.core.export.onnx_export import read_metadata
from studio.core.export.pipeline import ExportOptions, export_run
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "tiny_yolo_shapes.studio.json"


@pytest.fixture(scope="module")
def detector_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    project = load_project(TEMPLATE)
    project.data["options"]["count"] = 160
    run_dir = tmp_path_factory.mktemp("detector") / "run"
    done = run_training(project, run_dir, {"device": "cpu", "epochs": 1, "batch_size": 16, "max_steps": 6})
    assert done["event"] == "done", done
    return run_dir, project


def _export(run_dir, out, **kw):
    return export_run(run_dir, ExportOptions(**{"format": "onnx", "out": str(out), "latency": False, "samples": 32,
                                                **kw}))


def test_postprocessed_onnx_gives_studios_boxes(detector_run, tmp_path):
    run_dir, project = detector_run
    report = _export(run_dir, tmp_path / "det.onnx", detection_postprocess=True)
    assert report["passed"], report
    assert report["parity"]["outputs"] == ["boxes", "scores", "classes"]
    assert report["parity"]["max_abs_diff"] <= 1e-4
    meta = read_metadata(tmp_path / "det.onnx")
    settings = json.loads(meta["detection_postprocess"])
    assert settings["nms_iou"] == 0.45 and len(settings["anchors"]) == 3
    assert json.loads(meta["output_names"]) == ["boxes", "scores", "classes"]

    # against Studio's decode + NMS on validation images, at a low threshold so boxes overlap and NMS works
    detector = load_run_detector(run_dir)
    x = load_dataset(project.data).x_val[:16]
    session = ort.open_session(tmp_path / "det.onnx")
    boxes, scores, classes = ort.run(session, (x,))
    assert boxes.shape == (16, 100, 4) and scores.shape == (16, 100) and classes.dtype == np.int64
    want = detector.detect(x)
    total = 0
    for i, w in enumerate(want):
        k = int(w["scores"].shape[0])
        total += k
        assert (scores[i] > 0).sum() == k, i
        np.testing.assert_allclose(boxes[i, :k], w["boxes"].numpy(), atol=1e-5)
        np.testing.assert_allclose(scores[i, :k], w["scores"].numpy(), atol=1e-5)
        assert classes[i, :k].tolist() == w["classes"].tolist()
        assert (classes[i, k:] == -1).all() and (scores[i, k:] == 0).all() and (boxes[i, k:] == 0).all()
    assert total > 16, "the check should compare real detections"

    # the inference helper reads the file as a detector: the same boxes, padding dropped, classes named
    from studio.core.export.inference import OnnxModel

    onnx_model = OnnxModel(tmp_path / "det.onnx")
    assert onnx_model.is_detector
    found = onnx_model.detections((x.numpy(),))
    assert [len(f["scores"]) for f in found] == [len(w["scores"]) for w in want]
    assert found[0]["names"] == [["circle", "square", "triangle"][i] for i in want[0]["classes"].tolist()]
    with pytest.raises(UserError, match="does not output class scores"):
        onnx_model.topk((x.numpy(),))


def test_without_the_option_the_raw_grid_exports(detector_run, tmp_path):
    run_dir, _ = detector_run
    report = _export(run_dir, tmp_path / "grid.onnx")
    assert report["passed"] and report["parity"]["outputs"] == ["detect"]
    (grid,) = ort.run(ort.open_session(tmp_path / "grid.onnx"), (torch.zeros(2, 1, 64, 64),))
    assert grid.shape == (2, 24, 8, 8)
    assert "detection_postprocess" not in read_metadata(tmp_path / "grid.onnx")
    from studio.core.export.inference import OnnxModel

    assert not OnnxModel(tmp_path / "grid.onnx").is_detector


def test_the_option_is_refused_where_it_cannot_apply(detector_run, tmp_path):
    from export_projects import small_cnn_project

    from studio.core.export.detection_postprocess import wrap_detector
    from studio.core.export.spec import io_from_graph_module
    from studio.core.graph.compile import compile_graph

    classifier = compile_graph(small_cnn_project().graph)
    with pytest.raises(UserError, match="needs a detector"):
        wrap_detector(classifier, io_from_graph_module(classifier))
    for bad in ({"format": "torchscript"}, {"int8": "dynamic"}):
        with pytest.raises(UserError, match="fp32 ONNX"):
            _export(detector_run[0], tmp_path / "b.out", detection_postprocess=True, **bad)


def test_the_command_line_option(detector_run, tmp_path, capsys):
    import argparse

    from studio.commands import export as command

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    out = tmp_path / "cli.onnx"
    args = parser.parse_args([str(detector_run[0]), "--out", str(out), "--detection-postprocess", "--no-latency",
                              "--samples", "8"])
    assert command.run(args) == 0
    text = capsys.readouterr().out
    assert "decode + NMS inside the file: outputs boxes, scores, classes" in text and "result: PASS" in text
    assert json.loads(read_metadata(out)["output_names"]) == ["boxes", "scores", "classes"]
