"""The `detection` event (studio/core/detection/preview.py): the images as the data holds them, the
true boxes without padding, the head's own boxes after NMS, and raw boxes before NMS whose centre
lies in the cell they name."""

from __future__ import annotations

import json

import torch

from studio.core.data import load_dataset
from studio.core.detection.preview import PREVIEW_IMAGES, RAW_BOXES, emit_detection_preview
from studio.core.detection.yolo import head_detect
from studio.core.graph.compile import compile_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def test_the_event_of_an_untrained_template():
    project = load_project(TEMPLATES / "tiny_yolo_shapes.studio.json")
    project.data["options"]["count"] = 60
    data = load_dataset(project.data)
    torch.manual_seed(0)
    model = compile_graph(project.graph).eval()
    events: list[dict] = []
    emit_detection_preview(events.append, model, model.heads, data, 3, 40)
    (event,) = events
    assert event["event"] == "detection" and (event["epoch"], event["step"]) == (3, 40)
    assert len(json.dumps(event)) < 200_000
    n = min(PREVIEW_IMAGES, data.n_val)
    c, h, w = event["shape"]
    assert len(event["images"]) == n and all(len(im) == c * h * w for im in event["images"])
    sy, sx = event["grid"]
    head = model.heads[0]
    with torch.no_grad():
        found = head_detect(head, model(data.x_val[:n].float()))
    for i in range(n):
        target = data.y_val[head.target][i]
        assert len(event["true"][i]) == int((target[:, 0] >= 0).sum())
        assert [p[1] for p in event["pred"][i]] == [round(float(s), 4) for s in found[i]["scores"][:20]]
        raw = event["raw"][i]
        assert len(raw) == RAW_BOXES
        assert [r[1] for r in raw] == sorted((r[1] for r in raw), reverse=True)
        for _cls, _score, x0, y0, x1, y1, row, col, anchor in raw:
            assert 0 <= anchor < len(event["anchors"])
            if 0 < x0 and x1 < 1 and 0 < y0 and y1 < 1:  # not clipped: its centre is in its cell
                assert col / sx - 1e-3 <= (x0 + x1) / 2 <= (col + 1) / sx + 1e-3
                assert row / sy - 1e-3 <= (y0 + y1) / 2 <= (row + 1) / sy + 1e-3
    assert event["class_names"] == data.class_names


def test_no_event_without_a_detection_head():
    project = load_project(TEMPLATES / "tiny_yolo_shapes.studio.json")
    project.data["options"]["count"] = 20
    data = load_dataset(project.data)
    events: list[dict] = []
    emit_detection_preview(events.append, torch.nn.Identity(), [], data, 1, 1)
    assert events == []
