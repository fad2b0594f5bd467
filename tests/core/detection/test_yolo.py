"""The DetectionHead and the YOLO loss: shapes, anchors, the grid's encode/decode round trip, bad labels
survived and named, and the loss going down on a tiny overfit."""

from __future__ import annotations

import math

import pytest
import torch

from studio.core.data.shapes_multi import load_shapes_multi
from studio.core.detection import yolo
from studio.core.detection.labels import check_boxes
from studio.core.detection.metrics import mean_average_precision, truths_from_target
from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "tiny_yolo_shapes.studio.json"


def _grid(project, channels):
    for node in project.graph.nodes:
        if node.id == "grid":
            node.params["out_channels"] = channels
    return infer_graph(project.graph)


def test_head_output_shape_and_a_named_fix_for_the_wrong_channels():
    project = load_project(TEMPLATE)
    model = compile_graph(project.graph)
    (head,) = model.heads
    assert head.kind == "detection" and head.target == "boxes" and head.params["anchors"] == "auto"
    out = model(torch.zeros(2, 1, 64, 64))
    assert out.shape == (2, 3 * (5 + 3), 8, 8)  # B (5 + C) channels over an 8 x 8 grid
    report = _grid(project, 25)
    (issue,) = [e for e in report.errors if e.node == "detect"]
    assert "needs B·(5+C) channels" in issue.message and "(N, 25, 8, 8)" in issue.message
    assert issue.fix.args == {"node": "grid", "param": "out_channels", "value": 24}


def test_anchors_parse_and_kmeans():
    assert yolo.parse_anchors("auto", 3) is None
    assert yolo.parse_anchors("0.1,0.2; 0.3,0.3", 2) == [[0.1, 0.2], [0.3, 0.3]]
    with pytest.raises(UserError, match="2 anchors given for num_anchors 3"):
        yolo.parse_anchors("0.1,0.2; 0.3,0.3", 3)
    with pytest.raises(UserError, match="not 'auto' or pairs"):
        yolo.parse_anchors("big", 1)
    with pytest.raises(UserError, match=r"fractions of the image side in \(0, 1\]"):
        yolo.parse_anchors("1.5,0.2", 1)
    # three clusters of sizes: k-means finds them, smallest first
    g = torch.Generator().manual_seed(0)
    centres = torch.tensor([[0.05, 0.05], [0.2, 0.1], [0.4, 0.4]])
    wh = (centres.repeat(50, 1) * (1 + 0.05 * torch.randn(150, 2, generator=g))).clamp_min(0.01)
    anchors = yolo.kmeans_anchors(wh, 3)
    assert torch.allclose(anchors, centres, rtol=0.1)
    assert torch.equal(anchors, yolo.kmeans_anchors(wh, 3))  # deterministic


def _encode(target: torch.Tensor, anchors: torch.Tensor, s: int, classes: int) -> torch.Tensor:
    """The output a perfect detector would give: what the loss asks of the responsible predictions."""
    b = anchors.shape[0]
    out = torch.full((target.shape[0], s, s, b, 5 + classes), -12.0)
    out[..., :4] = 0.0
    for n, rows in enumerate(target.tolist()):
        for cls, x0, y0, x1, y1 in rows:
            if cls < 0:
                continue
            w, h, cx, cy = x1 - x0, y1 - y0, (x0 + x1) / 2, (y0 + y1) / 2
            col, row = min(int(cx * s), s - 1), min(int(cy * s), s - 1)
            a = int(yolo.wh_iou(torch.tensor([[w, h]]), anchors).argmax())
            logit = lambda p: math.log(max(p, 1e-6) / max(1 - p, 1e-6))  # noqa: E731
            out[n, row, col, a, :5] = torch.tensor([logit(cx * s - col), logit(cy * s - row),
                                                    math.log(w / anchors[a, 0]), math.log(h / anchors[a, 1]), 12.0])
            out[n, row, col, a, 5 + int(cls)] = 12.0
    return out.permute(0, 3, 4, 1, 2).reshape(target.shape[0], b * (5 + classes), s, s)


def test_encoding_the_truth_decodes_to_the_truth_with_a_small_loss():
    raw = load_shapes_multi({"count": 30, "seed": 2})
    target = raw.y["boxes"]
    anchors = yolo.kmeans_anchors(yolo.box_sizes(target), 3)
    perfect = _encode(target, anchors, 8, 3)
    detections = yolo.detect(perfect, anchors)
    result = mean_average_precision(detections, truths_from_target(target), 3)
    assert result["map"] == pytest.approx(1.0)
    parts = yolo.yolo_loss_parts(perfect, target, anchors)
    random_parts = yolo.yolo_loss_parts(torch.randn_like(perfect), target, anchors)
    assert float(parts["box"]) < 1e-6 and float(parts["cls"]) < 1e-3 and float(parts["obj"]) < 1e-3
    assert all(float(random_parts[k]) > 100 * float(parts[k]) + 0.1 for k in yolo.PARTS)


def test_bad_labels_are_survived_by_the_loss_and_named_by_the_check():
    raw = load_shapes_multi({"count": 6, "seed": 0, "min_objects": 2})
    bad = raw.y["boxes"].clone()
    bad[0, 0] = torch.tensor([7.0, 0.1, 0.1, 0.3, 0.3])      # unknown class
    bad[1, 0] = torch.tensor([0.0, 1.2, 1.3, 1.5, 1.6])      # wholly outside the image
    bad[2, 0] = torch.tensor([1.0, -0.2, 0.5, 0.3, 0.9])     # partly outside
    bad[3, 0, 2] = float("nan")                                # not a number
    bad[4, 0] = torch.tensor([2.0, 0.5, 0.5, 0.4, 0.6])      # corners swapped
    anchors = torch.tensor(yolo.DEFAULT_ANCHORS[:3])
    out = torch.randn(6, 24, 8, 8, requires_grad=True)
    parts = yolo.yolo_loss_parts(out, bad, anchors)
    total = sum(parts.values())
    total.backward()
    assert math.isfinite(float(total.detach())) and bool(torch.isfinite(out.grad).all())
    assert yolo.detect(out, anchors)  # decoding does not care either
    names = ["circle", "square", "triangle"]
    with pytest.raises(UserError, match=r"sample 0, box 0 has class 7, which is not one of the 3 classes "
                                        r"\(0 circle, 1 square, 2 triangle\)") as exc:
        check_boxes(bad, 3, names, "mine")
    assert "fix the label" in exc.value.fix
    bad[0, 0, 0] = 1.0
    with pytest.raises(UserError, match=r"sample 3, box 0 has a coordinate that is not a number"):
        check_boxes(bad, 3, names, "mine")
    bad[3, 0, 2] = 0.1
    with pytest.raises(UserError, match=r"sample 4, box 0 is empty or has its corners swapped"):
        check_boxes(bad, 3, names, "mine")
    bad[4, 0] = torch.tensor([2.0, 0.4, 0.5, 0.5, 0.6])
    with pytest.raises(UserError, match=r"'mine' \(training\) sample 1, box 0 lies outside the image.*\(1 more box "
                                        r"like it\)") as exc:
        check_boxes(bad, 3, names, "mine")
    assert "clip the box" in exc.value.fix
    with pytest.raises(UserError, match=r"shape \(N, M, 5\)"):
        check_boxes(bad[..., :4], 3, names, "mine")
    check_boxes(raw.y["boxes"], 3, names, "mine")  # the generated labels pass


def test_loss_goes_down_on_a_tiny_overfit():
    torch.manual_seed(0)
    project = load_project(TEMPLATE)
    model = compile_graph(project.graph)
    raw = load_shapes_multi({"count": 8, "seed": 5, "min_objects": 1})
    x, target = raw.x, raw.y["boxes"]
    anchors = yolo.kmeans_anchors(yolo.box_sizes(target), 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = []
    for _ in range(25):
        parts = yolo.yolo_loss_parts(model(x), target, anchors)
        loss = parts["box"] + parts["obj"] + parts["cls"]
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append({k: float(v.detach()) for k, v in parts.items()})
    first, last = history[0], history[-1]
    assert sum(last.values()) < 0.2 * sum(first.values())
    assert all(last[k] < first[k] for k in yolo.PARTS)  # each part learns, not only objectness


def test_channels_last_outputs_give_the_same_loss_and_boxes():
    raw = load_shapes_multi({"count": 4, "seed": 1})
    anchors = torch.tensor(yolo.DEFAULT_ANCHORS[:3])
    out = torch.randn(4, 24, 8, 8, generator=torch.Generator().manual_seed(0))
    last = out.contiguous(memory_format=torch.channels_last)
    a, b = yolo.yolo_loss_parts(out, raw.y["boxes"], anchors), yolo.yolo_loss_parts(last, raw.y["boxes"], anchors)
    assert all(torch.allclose(a[k], b[k]) for k in yolo.PARTS)
    for x, y in zip(yolo.detect(out, anchors), yolo.detect(last, anchors), strict=True):
        assert torch.allclose(x["boxes"], y["boxes"], atol=1e-6) and torch.equal(x["classes"], y["classes"])
