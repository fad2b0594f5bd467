"""Landmarks: the KeypointHead regresses K (x, y) points, here the `corners` of the built-in shapes,
and the keypoints template learns them (its mean pixel error falls)."""

from __future__ import annotations

import math

import pytest
import torch

from studio.core.graph.heads import HeadInfo, head_loss, keypoint_errors
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "keypoints_shapes.studio.json"


def _head(loss="mse", **params) -> HeadInfo:
    return HeadInfo("kp", "keypoints", "corners", 1.0, loss, params, ("N", 4))


def test_shapes_corners_are_the_boxes_corners_clockwise_from_the_top_left():
    from studio.core.data.builtin import load_shapes

    raw = load_shapes({"size": 32, "count": 30})
    corners, box = raw.y["corners"], raw.y["box"]
    assert corners.shape == (30, 4, 2) and raw.targets["corners"].kind == "points"
    x0, y0, x1, y1 = box.unbind(1)
    want = torch.stack([torch.stack(p, 1) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))], 1)
    assert torch.equal(corners, want)


def test_keypoint_loss_and_pixel_error_by_hand():
    out = torch.tensor([[0.1, 0.2, 0.5, 0.5]])             # points (0.1, 0.2) and (0.5, 0.5)
    target = torch.tensor([[[0.1, 0.5], [0.9, 0.8]]])      # off by (0, 0.3) and (0.4, 0.3)
    assert float(head_loss(_head(), out, target)) == pytest.approx((0.09 + 0.16 + 0.09) / 4)
    beta = 0.05  # every error is above beta: |e| - beta / 2
    assert float(head_loss(_head("smooth_l1", beta=beta), out, target)) == pytest.approx(
        (0.3 + 0.4 + 0.3 - 3 * beta / 2) / 4)
    assert keypoint_errors(out, target)[0].tolist() == pytest.approx([0.3, 0.5])

    from studio.core.train.metrics import HeadAccumulator

    acc = HeadAccumulator(_head(image_size=32), None, torch.device("cpu"))
    acc.add(out, target, head_loss(_head(), out, target))
    res = acc.result()
    assert res["mean_error"] == pytest.approx(0.4) and res["mean_pixel_error"] == pytest.approx(0.4 * 32)


def test_an_odd_point_count_and_a_wrong_target_are_named():
    from studio.core.data import load_dataset
    from studio.core.data.compat import check_model_fits_data
    from studio.core.errors import UserError
    from studio.core.graph.compile import compile_graph
    from studio.core.graph.infer import infer_graph

    project = load_project(TEMPLATE)
    project.graph.node("points").params["out_features"] = 7
    errors = infer_graph(project.graph).errors
    assert any(e.node == "corners" and "an even count" in e.message for e in errors), errors
    project = load_project(TEMPLATE)
    project.data["options"] = {**project.data["options"], "count": 30}
    bundle = load_dataset(project.data)
    project.graph.node("points").params["out_features"] = 6
    with pytest.raises(UserError, match="has 4 points \\(8 values\\) per sample, but head 'corners' gets 6"):
        check_model_fits_data(project.graph, compile_graph(project.graph), bundle)
    project.graph.node("points").params["out_features"] = 4
    project.graph.node("corners").params["target"] = "box"
    with pytest.raises(UserError, match="needs \\(x, y\\) points, but 'box' of dataset 'shapes' is a box"):
        check_model_fits_data(project.graph, compile_graph(project.graph), bundle)


def test_the_keypoints_template_learns_the_corners(tmp_path):
    from studio.core.train.control import Control
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    project = load_project(TEMPLATE)  # its 1200 images (960 to train), 3 of its 10 epochs
    events: list[dict] = []
    final = run_training(project, str(tmp_path / "run"), {"device": "cpu", "epochs": 3}, events.append, Control())
    assert final["event"] == "done", final
    errors = [e["heads"]["corners"]["mean_pixel_error"] for e in events if e["event"] == "epoch"]
    assert len(errors) == 3 and all(math.isfinite(v) for v in errors)
    assert errors[-1] < 0.75 * errors[0], errors
    assert errors[-1] < 5.0, errors  # predicting each corner at its mean place is 5.3 px off (12 px at the centre)
