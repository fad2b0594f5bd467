"""IoU, NMS and box formats against torchvision.ops, the reference implementation: bit-exact on the CPU
on random boxes, with ties in the scores, duplicated boxes and degenerate ones (no width, corners swapped)."""

from __future__ import annotations

import pytest
import torch
import torchvision

from studio.core.detection import boxes as B


def _random_case(g: torch.Generator, trial: int):
    n = int(torch.randint(1, 300, (1,), generator=g))
    xy = torch.rand(n, 2, generator=g) * 100
    wh = torch.rand(n, 2, generator=g) * 40 - 5  # about one in nine sizes negative: corners swapped
    if trial % 3 == 0:  # whole numbers: many zero-width boxes and exactly equal overlaps
        xy, wh = xy.round(), wh.round()
    boxes = torch.cat([xy, xy + wh], dim=1)
    if trial % 4 == 0 and n >= 4:
        boxes[: n // 4] = boxes[n // 2: n // 2 + n // 4]  # duplicated boxes
    scores = torch.rand(n, generator=g)
    if trial % 2 == 0:
        scores = (scores * 5).floor() / 5  # five score values only: ties everywhere
    return boxes, scores, float(torch.rand(1, generator=g))


def test_iou_equals_torchvision_bit_for_bit_degenerate_boxes_included():
    g = torch.Generator().manual_seed(1)
    for trial in range(60):
        boxes, _, _ = _random_case(g, trial)
        other = boxes.flip(0)[: max(1, boxes.shape[0] // 3)]
        mine, ref = B.box_iou(boxes, other), torchvision.ops.box_iou(boxes, other)
        assert mine.dtype == ref.dtype and mine.shape == ref.shape
        assert torch.equal(mine.isnan(), ref.isnan())  # 0 / 0 for two empty boxes, as torchvision
        assert torch.equal(mine.nan_to_num(-7.0), ref.nan_to_num(-7.0)), trial
    half = boxes[:20].half()  # float16 is upcast to float32, as torchvision does
    mine, ref = B.box_iou(half, half), torchvision.ops.box_iou(half, half)
    assert mine.dtype == ref.dtype == torch.float32 and torch.equal(mine.nan_to_num(-7.0), ref.nan_to_num(-7.0))


def test_nms_keeps_exactly_what_torchvision_keeps_in_the_same_order():
    g = torch.Generator().manual_seed(2)
    ties = 0
    for trial in range(120):
        boxes, scores, threshold = _random_case(g, trial)
        ties += int(scores.unique().numel() < scores.numel())
        assert torch.equal(B.nms(boxes, scores, threshold), torchvision.ops.nms(boxes, scores, threshold)), trial
    assert ties >= 60  # the ties really were there


def test_per_class_nms_is_torchvision_nms_within_each_class():
    g = torch.Generator().manual_seed(3)
    for trial in range(60):
        boxes, scores, threshold = _random_case(g, trial)
        classes = torch.randint(0, 4, (boxes.shape[0],), generator=g)
        kept = B.batched_nms(boxes, scores, classes, threshold)
        assert torch.all(scores[kept][:-1] >= scores[kept][1:])  # by decreasing score
        for c in range(4):
            idx = (classes == c).nonzero().flatten()
            ref = idx[torchvision.ops.nms(boxes[idx], scores[idx], threshold)]
            assert torch.equal(kept[classes[kept] == c], ref), (trial, c)
        reference = torchvision.ops.batched_nms(boxes, scores, classes, threshold)
        assert set(kept.tolist()) == set(reference.tolist())


def test_nms_on_many_boxes_crosses_the_block_size():
    g = torch.Generator().manual_seed(4)
    xy = torch.rand(1500, 2, generator=g) * 200
    boxes = torch.cat([xy, xy + 5 + torch.rand(1500, 2, generator=g) * 20], dim=1)
    scores = (torch.rand(1500, generator=g) * 50).floor()
    assert torch.equal(B.nms(boxes, scores, 0.3), torchvision.ops.nms(boxes, scores, 0.3))


def test_empty_and_bad_inputs():
    empty = torch.zeros(0, 4)
    assert B.nms(empty, torch.zeros(0), 0.5).tolist() == [] == torchvision.ops.nms(empty, torch.zeros(0), 0.5).tolist()
    assert B.box_iou(empty, torch.rand(3, 4)).shape == (0, 3)
    with pytest.raises(ValueError, match=r"boxes must be \(N, 4\)"):
        B.nms(torch.zeros(3, 5), torch.zeros(3), 0.5)
    with pytest.raises(ValueError, match="scores must be"):
        B.nms(torch.zeros(3, 4), torch.zeros(2), 0.5)
    with pytest.raises(ValueError, match="unknown box format"):
        B.convert(empty, "xyxy", "yolo")


@pytest.mark.parametrize("src,dst", [("xyxy", "cxcywh"), ("cxcywh", "xyxy"), ("xyxy", "xywh"), ("xywh", "xyxy"),
                                     ("xywh", "cxcywh"), ("cxcywh", "xywh")])
def test_format_conversions_match_torchvision(src, dst):
    boxes = torch.rand(50, 4, generator=torch.Generator().manual_seed(5)) * 10
    assert torch.allclose(B.convert(boxes, src, dst), torchvision.ops.box_convert(boxes, src, dst), atol=1e-6)
    assert torch.allclose(B.convert(B.convert(boxes, src, dst), dst, src), boxes, atol=1e-5)
