"""mAP@0.5, VOC all-point interpolation, against a case worked out by hand."""

from __future__ import annotations

import pytest
import torch

from studio.core.detection.metrics import average_precision, mean_average_precision, truths_from_target


def _t(rows):
    return torch.tensor(rows, dtype=torch.float32)


def test_hand_computed_case():
    # class 0: three true boxes (one in image 0, two in image 1), four detections:
    #   0.9 img0 exact -> TP; 0.8 img1 exact -> TP; 0.7 img1 the same object again -> FP (already found);
    #   0.6 img1 nowhere -> FP. The object at (20, 20) is never found.
    #   recall 1/3, 2/3, 2/3, 2/3; precision 1, 1, 2/3, 1/2 -> AP = 1/3 * 1 + 1/3 * 1 = 2/3
    # class 1: one true box (0, 0, 4, 4); a 0.95 detection far away (FP), then (0, 0, 4, 2) at 0.5,
    #   IoU 8/16 = 0.5 exactly -> TP (>= 0.5). recall 0, 1; precision 0, 1/2 -> AP = 1/2
    # class 2: no true box, one detection -> no AP, left out of the mean. mAP = (2/3 + 1/2) / 2 = 7/12
    truths = [
        {"boxes": _t([[0, 0, 10, 10], [0, 0, 4, 4]]), "classes": torch.tensor([0, 1])},
        {"boxes": _t([[0, 0, 10, 10], [20, 20, 30, 30]]), "classes": torch.tensor([0, 0])},
    ]
    detections = [
        {"boxes": _t([[0, 0, 10, 10], [10, 10, 14, 14], [0, 0, 4, 2], [5, 5, 6, 6]]),
         "scores": _t([0.9, 0.95, 0.5, 0.3]), "classes": torch.tensor([0, 1, 1, 2])},
        {"boxes": _t([[0, 0, 10, 10], [0, 0, 10, 10], [50, 50, 60, 60]]),
         "scores": _t([0.8, 0.7, 0.6]), "classes": torch.tensor([0, 0, 0])},
    ]
    res = mean_average_precision(detections, truths, 3)
    assert res["ap_per_class"][0] == pytest.approx(2 / 3)
    assert res["ap_per_class"][1] == pytest.approx(1 / 2)
    assert res["ap_per_class"][2] is None
    assert res["map"] == pytest.approx(7 / 12)
    assert res["n_true"] == [3, 1, 0] and res["n_detections"] == [4, 2, 1]


def test_all_point_interpolation_takes_the_best_precision_to_the_right():
    # precision dips then recovers: the staircase uses the later, higher precision
    assert average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3]) == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    assert average_precision([], []) == 0.0


def test_perfect_and_empty_detectors():
    truths = [{"boxes": _t([[0.1, 0.1, 0.3, 0.3]]), "classes": torch.tensor([1])}]
    perfect = [{"boxes": _t([[0.1, 0.1, 0.3, 0.3]]), "scores": _t([0.9]), "classes": torch.tensor([1])}]
    nothing = [{"boxes": torch.zeros(0, 4), "scores": torch.zeros(0), "classes": torch.zeros(0, dtype=torch.long)}]
    assert mean_average_precision(perfect, truths, 2)["map"] == 1.0
    assert mean_average_precision(nothing, truths, 2)["map"] == 0.0
    no_truth = [{"boxes": torch.zeros(0, 4), "classes": torch.zeros(0, dtype=torch.long)}]
    assert mean_average_precision(perfect, no_truth, 2)["map"] == 0.0
    with pytest.raises(ValueError, match="images"):
        mean_average_precision(perfect, truths + truths, 2)


def test_truths_drop_padding_rows():
    target = _t([[[2, 0.1, 0.2, 0.3, 0.4], [-1, 0, 0, 0, 0]]])
    (t,) = truths_from_target(target)
    assert t["classes"].tolist() == [2] and t["boxes"].tolist() == [pytest.approx([0.1, 0.2, 0.3, 0.4])]
