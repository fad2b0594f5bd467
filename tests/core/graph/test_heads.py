"""Head losses: the course's contrastive and triplet formulas, and each head's target conventions."""

from __future__ import annotations

import math

import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.heads import HeadInfo, head_loss
from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def _head(kind, loss, **params):
    return HeadInfo("h", kind, "label", 1.0, loss, params, ("N", 2))


def test_contrastive_loss_is_the_course_formula_over_all_pairs():
    emb = torch.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 0.3]])
    labels = torch.tensor([0, 1, 0])
    m = 2.0
    d01, d02, d12 = 5.0, 0.3, math.dist([3, 4], [0, 0.3])
    # y = 0 for similar pairs (0,2), y = 1 for dissimilar pairs (0,1), (1,2).
    expected = (0.5 * max(0.0, m - d01) ** 2 + 0.5 * d02 ** 2 + 0.5 * max(0.0, m - d12) ** 2) / 3
    got = head_loss(_head("embedding", "contrastive", margin=m), emb, labels)
    assert math.isclose(float(got), expected, rel_tol=1e-5)


def test_triplet_loss_mines_the_hardest_positive_and_negative():
    emb = torch.tensor([[0.0], [1.0], [3.0], [1.5]])
    labels = torch.tensor([0, 0, 0, 1])
    m = 0.5
    d2 = (emb - emb.t()) ** 2
    expected = []
    for a in range(4):
        pos = [d2[a, j] for j in range(4) if j != a and labels[j] == labels[a]]
        neg = [d2[a, j] for j in range(4) if labels[j] != labels[a]]
        if pos and neg:
            expected.append(max(0.0, m + float(max(pos)) - float(min(neg))))
    got = head_loss(_head("embedding", "triplet", margin=m), emb, labels)
    assert math.isclose(float(got), sum(expected) / len(expected), rel_tol=1e-5)


def test_regression_accepts_flat_targets_and_segmentation_per_pixel_masks():
    out = torch.tensor([[1.0], [2.0]])
    assert float(head_loss(HeadInfo("r", "regression", "target", 1.0, "mse"), out, torch.tensor([1.0, 4.0]))) == 2.0
    logits = torch.zeros(2, 3, 4, 4)
    logits[:, 1] = 10.0
    mask = torch.ones(2, 4, 4, dtype=torch.long)
    assert float(head_loss(HeadInfo("s", "segmentation", "mask", 1.0, "cross_entropy"), logits, mask)) < 1e-3


def test_siamese_template_learns_to_pull_same_digits_together():
    """One network embeds all samples; a few steps of contrastive loss separate two classes."""
    torch.manual_seed(0)
    module = compile_graph(load_project(TEMPLATES / "siamese_embedding.studio.json").graph)
    head = module.heads[0]
    x = torch.cat([torch.zeros(8, 1, 8, 8), torch.ones(8, 1, 8, 8)]) + 0.1 * torch.randn(16, 1, 8, 8)
    y = torch.tensor([0] * 8 + [1] * 8)
    opt = torch.optim.Adam(module.parameters(), lr=3e-3)
    first = None
    for _ in range(30):
        opt.zero_grad()
        loss = head_loss(head, module(x), y)
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    with torch.no_grad():
        e = module.eval()(x)
    within = (e[:8] - e[:8].mean(0)).norm(dim=1).mean()
    between = (e[:8].mean(0) - e[8:].mean(0)).norm()
    assert loss.item() < first and between > 2 * within
