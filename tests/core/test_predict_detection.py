"""`studio predict` on a Tiny YOLO run: --json prints the boxes after NMS, the same boxes (classes,
scores, corners) that the run exported to ONNX with decoding and NMS inside gives in onnxruntime
for the same image file; the text lists them; --cam is refused in one line.

The run is the template trained for 3 short epochs on 320 images (tests/support/tiny_yolo_run.py,
shared with the Try view's tests)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tiny_yolo_run import trained_tiny_yolo, validation_pictures

from studio.cli import main


@pytest.fixture(scope="module")
def detection_run(tmp_path_factory):
    """(run folder, three validation images of the shapes data saved as PNG files)."""
    trained = trained_tiny_yolo(tmp_path_factory)
    return trained["run_dir"], validation_pictures(trained, [0, 1, 2], "shapes")


def predict_cli(args, capsys):
    code = main(["predict", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_json_prints_the_boxes_the_exported_onnx_finds(detection_run, tmp_path, capsys):
    from studio.core.export.inference import OnnxModel
    from studio.core.export.pipeline import ExportOptions, export_run

    run_dir, pictures = detection_run
    report = export_run(run_dir, ExportOptions(format="onnx", out=str(tmp_path / "det.onnx"), latency=False,
                                               samples=8, detection_postprocess=True))
    assert report["passed"], report
    onnx = OnnxModel(tmp_path / "det.onnx")
    total = 0
    for picture in pictures:
        code, out, err = predict_cli([run_dir, picture, "--json"], capsys)
        assert code == 0, err
        answer = json.loads(out)  # one object
        assert answer["input_kind"] == "detection" and answer["input_shape"] == [1, 64, 64]
        assert answer["score_threshold"] == 0.05 and answer["nms_iou"] == 0.45
        (found,) = onnx.detections([onnx.prepare_image(picture, invert=False)])
        assert answer["count"] == len(answer["boxes"]) == len(found["scores"])
        total += answer["count"]
        if answer["boxes"]:
            assert answer["predicted"] == answer["boxes"][0]
            assert set(answer["boxes"][0]) == {"class", "index", "score", "box"}
            assert [b["class"] for b in answer["boxes"]] == found["names"]
            np.testing.assert_allclose([b["score"] for b in answer["boxes"]], found["scores"], atol=1e-5)
            np.testing.assert_allclose([b["box"] for b in answer["boxes"]], found["boxes"], atol=1e-5)
    assert total >= 3, "the check should compare real boxes"

    code, out, err = predict_cli([run_dir, pictures[0]], capsys)
    assert code == 0 and err == ""
    _, answer = predict_cli([run_dir, pictures[0], "--json"], capsys)[:2]
    answer = json.loads(answer)
    lines = out.splitlines()
    assert lines[0].startswith(f"{answer['count']} object") and "on the 64x64 picture" in lines[0]
    assert len(lines) == 1 + answer["count"]
    for line, box in zip(lines[1:], answer["boxes"], strict=True):  # corners in pixels of the 64x64 input
        x0, y0, x1, y1 = (round(v * 64) for v in box["box"])
        assert line.split()[0] == box["class"] and f"x {x0}-{x1}  y {y0}-{y1}" in line

    code, out, err = predict_cli([run_dir, pictures[0], "--cam", tmp_path / "cam.png"], capsys)
    assert code != 0 and "is a detector" in err and "leave out --cam" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "cam.png").exists()
