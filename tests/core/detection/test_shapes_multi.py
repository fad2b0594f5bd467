"""The multi-object shapes data set: seeded, boxes inside the image and tight around their masks."""

from __future__ import annotations

import pytest
import torch

from studio.core.data import load_dataset
from studio.core.data.options import options_for
from studio.core.data.shapes_multi import load_shapes_multi
from studio.core.errors import UserError


def test_seeded_and_registered():
    a = load_shapes_multi({"count": 40, "seed": 3})
    b = load_shapes_multi({"count": 40, "seed": 3})
    c = load_shapes_multi({"count": 40, "seed": 4})
    assert torch.equal(a.x, b.x) and torch.equal(a.y["boxes"], b.y["boxes"])
    assert not torch.equal(a.x, c.x)
    bundle = load_dataset({"dataset": "shapes_multi", "options": {"count": 50}})
    assert bundle.task == "detection" and bundle.input_shape == (1, 64, 64)
    assert bundle.targets["boxes"].kind == "boxes" and bundle.targets["boxes"].num_classes == 3
    assert bundle.class_names == ["circle", "square", "triangle"]
    assert {o.key for o in options_for("shapes_multi")} >= {"size", "count", "min_objects", "max_objects", "seed"}


def test_boxes_inside_the_image_tight_around_each_shape():
    raw = load_shapes_multi({"count": 300, "size": 48, "max_objects": 5, "seed": 1})
    boxes, mask = raw.y["boxes"], raw.y["mask"]
    assert boxes.shape == (300, 5, 5) and mask.shape == (300, 48, 48)
    real = boxes[..., 0] >= 0
    counts = real.sum(dim=1)
    assert torch.equal(counts, raw.y["count"]) and int(counts.min()) == 0 and int(counts.max()) == 5
    assert all(bool(real[i, :k].all()) and not bool(real[i, k:].any()) for i, k in enumerate(counts.tolist()))
    assert torch.all(boxes[~real] == torch.tensor([-1.0, 0, 0, 0, 0]))
    b = boxes[real]
    assert set(b[:, 0].long().tolist()) == {0, 1, 2}
    assert torch.all(b[:, 1:] >= 0) and torch.all(b[:, 1:] <= 1)
    assert torch.all(b[:, 3] > b[:, 1]) and torch.all(b[:, 4] > b[:, 2])
    for i in range(40):  # every pixel inside an image's boxes that belongs to a shape has that box's class
        covered = torch.zeros(48, 48, dtype=torch.long)
        for cls, x0, y0, x1, y1 in boxes[i][real[i]].tolist():
            px = [round(v * 48) for v in (x0, y0, x1, y1)]
            region = mask[i, px[1]:px[3], px[0]:px[2]]
            assert int((region == cls + 1).sum()) > 0
            assert torch.all((region == 0) | (region == cls + 1))  # no other shape inside the box
            # tight: the shape touches all four sides of its box
            assert bool((region[0] > 0).any() and (region[-1] > 0).any() and (region[:, 0] > 0).any()
                        and (region[:, -1] > 0).any())
            covered[px[1]:px[3], px[0]:px[2]] += 1
        assert torch.all((mask[i] == 0) | (covered == 1))  # every shape pixel is in exactly one box


def test_bad_options_are_named():
    with pytest.raises(UserError, match="min_objects 5 is above max_objects 2"):
        load_shapes_multi({"min_objects": 5, "max_objects": 2})
    with pytest.raises(UserError, match="max_size=0.9 is out of range"):
        load_shapes_multi({"max_size": 0.9})
    with pytest.raises(UserError, match="count='many' is not an integer"):
        load_shapes_multi({"count": "many"})
