"""The SegmentationHead's weighted cross-entropy (the course's U-Net loss): class-balance weights from
the training masks' class frequencies and border weights w0·exp(-d²/2σ²) near mask boundaries, each
checked against a computation written out by hand on a tiny imbalanced mask set."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from studio.core.graph.heads import HeadInfo, boundary_distance, class_balance_weights, head_loss
from studio.core.train.config import TrainConfig
from studio.core.train.loss import training_heads

# two 4x5 masks, 3 classes: background 0 almost everywhere, a small 1 and a rare 2
MASKS = torch.tensor([
    [[0, 0, 0, 0, 0],
     [0, 1, 1, 0, 0],
     [0, 1, 1, 0, 0],
     [0, 0, 0, 0, 0]],
    [[0, 0, 0, 0, 0],
     [0, 0, 0, 0, 0],
     [0, 0, 0, 2, 0],
     [0, 0, 0, 0, 0]],
])


def _head(**params) -> HeadInfo:
    return HeadInfo("seg", "segmentation", "mask", 1.0, "cross_entropy", params, ("N", 3, 4, 5))


def _logits() -> torch.Tensor:
    torch.manual_seed(0)
    return torch.randn(2, 3, 4, 5)


def _hand_ce(logits, masks):
    """-log softmax of the true class, pixel by pixel, in Python."""
    out = {}
    for n in range(masks.shape[0]):
        for i in range(masks.shape[1]):
            for j in range(masks.shape[2]):
                z = [float(logits[n, c, i, j]) for c in range(logits.shape[1])]
                top = max(z)
                log_sum = top + math.log(sum(math.exp(v - top) for v in z))
                out[n, i, j] = log_sum - z[int(masks[n, i, j])]
    return out


def _hand_distance(mask, i, j):
    """Distance to the nearest pixel having a 4-neighbour of another class, by looking at them all."""
    h, w = mask.shape
    edges = [(a, b) for a in range(h) for b in range(w)
             if any(0 <= a + da < h and 0 <= b + db < w and mask[a + da, b + db] != mask[a, b]
                    for da, db in ((1, 0), (-1, 0), (0, 1), (0, -1)))]
    return min((math.hypot(a - i, b - j) for a, b in edges), default=math.inf)


def test_balanced_class_weights_are_the_inverse_frequencies_of_the_training_masks():
    # 40 pixels: 35 of class 0, 4 of class 1, 1 of class 2 -> n / (C n_c)
    assert class_balance_weights(MASKS, 3) == pytest.approx([40 / (3 * 35), 40 / (3 * 4), 40 / (3 * 1)])
    assert class_balance_weights(MASKS, 4)[3] == 1.0  # a class with no pixel
    head = training_heads([_head(class_weights="balanced")], TrainConfig.from_dict({}), {"mask": MASKS})[0]
    assert head.params["class_weights"] == pytest.approx([40 / 105, 40 / 12, 40 / 3])


def test_class_weighted_loss_equals_the_hand_computation_and_torchs_weighted_cross_entropy():
    logits = _logits()
    weights = [40 / 105, 40 / 12, 40 / 3]
    ce = _hand_ce(logits, MASKS)
    w = {k: weights[int(MASKS[k])] for k in ce}
    hand = sum(w[k] * ce[k] for k in ce) / sum(w.values())
    head = training_heads([_head(class_weights="balanced")], TrainConfig.from_dict({}), {"mask": MASKS})[0]
    loss = head_loss(head, logits, MASKS)
    assert float(loss) == pytest.approx(hand, rel=1e-5)
    assert float(loss) == pytest.approx(float(F.cross_entropy(logits, MASKS, weight=torch.tensor(weights))), rel=1e-5)
    # the batch's own frequencies when no trainer resolved them (these masks are the whole set)
    assert float(head_loss(_head(class_weights="balanced"), logits, MASKS)) == pytest.approx(hand, rel=1e-5)
    # explicit weights as text; the plain loss is untouched and differs
    assert float(head_loss(_head(class_weights="1, 2, 3"), logits, MASKS)) == pytest.approx(
        float(F.cross_entropy(logits, MASKS, weight=torch.tensor([1.0, 2.0, 3.0]))), rel=1e-5)
    assert abs(float(head_loss(_head(), logits, MASKS)) - hand) > 1e-3


def test_border_weights_equal_the_unet_formula_with_distances_counted_by_hand():
    logits = _logits()
    w0, sigma = 10.0, 1.5
    ce = _hand_ce(logits, MASKS)
    w = {k: 1.0 + w0 * math.exp(-_hand_distance(MASKS[k[0]], k[1], k[2]) ** 2
                                 / (2 * sigma ** 2)) for k in ce}
    hand = sum(w[k] * ce[k] for k in ce) / sum(w.values())
    loss = head_loss(_head(border_weight=w0, border_sigma=sigma), logits, MASKS)
    assert float(loss) == pytest.approx(hand, rel=1e-5)
    # both together: the class weight plus the border term
    cw = [40 / 105, 40 / 12, 40 / 3]
    both = {k: cw[int(MASKS[k])] + (w[k] - 1.0) for k in ce}
    head = training_heads([_head(class_weights="balanced", border_weight=w0, border_sigma=sigma)],
                          TrainConfig.from_dict({}), {"mask": MASKS})[0]
    assert float(head_loss(head, logits, MASKS)) == pytest.approx(
        sum(both[k] * ce[k] for k in ce) / sum(both.values()), rel=1e-5)


def test_boundary_distance_is_exact_and_needs_no_scipy():
    torch.manual_seed(3)
    masks = (torch.rand(3, 9, 11) > 0.8).long()
    masks[2] = 0  # no boundary at all
    d = boundary_distance(masks)
    for n in range(2):
        for i in range(9):
            for j in range(11):
                assert float(d[n, i, j]) == pytest.approx(_hand_distance(masks[n], i, j), abs=1e-5)
    assert torch.isinf(d[2]).all()
    assert float(head_loss(_head(border_weight=10.0), torch.randn(3, 2, 9, 11), masks)) > 0  # finite, no NaN


def test_wrong_class_weights_are_named_on_the_head_when_the_graph_is_checked():
    from studio.core.graph.infer import infer_graph
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES

    project = load_project(TEMPLATES / "unet.studio.json")
    head = project.graph.node("head")
    for value, message in (("1, 2", "2 class weights given for 4 classes"),
                           ("heavy", "are not none, balanced or numbers")):
        head.params["class_weights"] = value
        errors = infer_graph(project.graph).errors
        assert any(e.node == "head" and message in e.message for e in errors), errors
    head.params.update(class_weights="balanced", border_weight=10.0)
    assert infer_graph(project.graph).ok
