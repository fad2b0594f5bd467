"""Triplet mining on hand-made embeddings: which triplets "hard", "semi-hard" and "all" learn from.

Points on a line, margin 1, squared distances (the course's L = max(0, m + |a-p|^2 - |a-n|^2)).
Class A: x0 = 0.0, x1 = 0.6. Class B: x2 = 1.0, x3 = 2.0, x4 = 0.3. For anchor 0 and positive 1
(|a-p|^2 = 0.36) the negatives are: x4 hard (0.09, closer than the positive), x2 semi-hard (1.0, in
(0.36, 1.36)), x3 easy (4.0, past the margin). For anchor 1 and positive 0 no negative is semi-hard
(x4: 0.09, x2: 0.16, x3: 1.96), so semi-hard mining falls back to the hardest, x4.
"""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from studio.core.graph import heads
from studio.core.graph.heads import HeadInfo, head_loss
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph

X = torch.tensor([[0.0], [0.6], [1.0], [2.0], [0.3]])
Y = torch.tensor([0, 0, 1, 1, 1])
M = 1.0


def _loss(mining: str, emb=X, labels=Y, margin=M) -> float:
    head = HeadInfo("h", "embedding", "label", 1.0, "triplet", {"margin": margin, "mining": mining}, ("N", 1))
    return float(head_loss(head, emb, labels).detach())


def _d2(i: int, j: int, emb=X) -> float:
    return float(((emb[i] - emb[j]) ** 2).sum())


def _t(a: int, p: int, n: int, emb=X, margin=M) -> float:
    return max(0.0, margin + _d2(a, p, emb) - _d2(a, n, emb))


def _reference(mining: str, emb=X, labels=Y, margin=M) -> float:
    """The mining rules written out as loops over the batch, to compare the tensor code against."""
    n = len(labels)
    lab = labels.tolist()
    pos = {a: [p for p in range(n) if p != a and lab[p] == lab[a]] for a in range(n)}
    neg = {a: [j for j in range(n) if lab[j] != lab[a]] for a in range(n)}
    losses = []
    for a in range(n):
        if not pos[a] or not neg[a]:
            continue
        if mining == "hard":
            p = max(pos[a], key=lambda j: _d2(a, j, emb))
            k = min(neg[a], key=lambda j: _d2(a, j, emb))
            losses.append(_t(a, p, k, emb, margin))
            continue
        for p in pos[a]:
            if mining == "all":
                losses += [_t(a, p, k, emb, margin) for k in neg[a]]
                continue
            dap = _d2(a, p, emb)
            semi = [k for k in neg[a] if dap < _d2(a, k, emb) < dap + margin]
            k = min(semi or neg[a], key=lambda j: _d2(a, j, emb))
            losses.append(_t(a, p, k, emb, margin))
    return sum(losses) / len(losses)


def test_anchor_zero_picks_the_hard_the_semi_hard_and_every_negative():
    assert _t(0, 1, 4) == pytest.approx(1.27)   # hard negative x4
    assert _t(0, 1, 2) == pytest.approx(0.36)   # semi-hard negative x2
    assert _t(0, 1, 3) == 0.0                   # easy negative x3
    # Only anchors 0 and 1 of class A in a batch without B positives: each A anchor has one positive.
    emb, labels = X[[0, 1, 2, 3, 4]], torch.tensor([0, 0, 1, 2, 3])
    # hard: anchor 0 -> (1, 4); anchor 1 -> (0, 4): the closest negative of each.
    assert _loss("hard", emb, labels) == pytest.approx((_t(0, 1, 4) + _t(1, 0, 4)) / 2, rel=1e-5)
    # semi-hard: anchor 0 -> x2 (in the band); anchor 1 has none in its band -> the hardest, x4.
    assert _loss("semi-hard", emb, labels) == pytest.approx((_t(0, 1, 2) + _t(1, 0, 4)) / 2, rel=1e-5)
    # all: both pairs with each of the three negatives, zeros included.
    every = [_t(a, p, k) for a, p in ((0, 1), (1, 0)) for k in (2, 3, 4)]
    assert _loss("all", emb, labels) == pytest.approx(sum(every) / 6, rel=1e-5)


@pytest.mark.parametrize("mining", ["hard", "semi-hard", "all"])
def test_each_mining_matches_the_rules_written_as_loops(mining):
    assert _loss(mining) == pytest.approx(_reference(mining), rel=1e-5)
    torch.manual_seed(0)
    emb = torch.randn(24, 3)
    labels = torch.randint(0, 4, (24,))
    assert _loss(mining, emb, labels, 0.7) == pytest.approx(_reference(mining, emb, labels, 0.7), rel=1e-4)


@pytest.mark.parametrize("mining", ["semi-hard", "all"])
def test_big_batches_are_mined_in_anchor_chunks_with_the_same_result(mining, monkeypatch):
    torch.manual_seed(1)
    emb = torch.randn(40, 4, requires_grad=True)
    labels = torch.randint(0, 5, (40,))
    whole = _loss(mining, emb, labels)
    monkeypatch.setattr(heads, "_CHUNK", 40 * 40 * 3)  # three anchors at a time
    assert _loss(mining, emb, labels) == pytest.approx(whole, rel=1e-5)
    head = HeadInfo("h", "embedding", "label", 1.0, "triplet", {"margin": 1.0, "mining": mining}, ("N", 4))
    head_loss(head, emb, labels).backward()
    assert torch.isfinite(emb.grad).all() and emb.grad.abs().sum() > 0


def test_a_batch_without_positives_gives_zero_loss_with_a_gradient():
    emb = torch.randn(4, 2, requires_grad=True)
    for mining in ("hard", "semi-hard", "all"):
        head = HeadInfo("h", "embedding", "label", 1.0, "triplet", {"margin": 1.0, "mining": mining}, ("N", 2))
        loss = head_loss(head, emb, torch.arange(4))
        assert float(loss) == 0.0 and loss.requires_grad


def _embedding_graph(**head_params) -> Graph:
    return Graph.chain((("x", "Input", {"shape": [4]}), ("fc", "Linear", {"out_features": 8}),
                        ("head", "EmbeddingHead", head_params)))


def test_the_head_checks_mining_and_margin():
    assert infer_graph(_embedding_graph(loss="triplet", mining="semi-hard")).ok
    bad = infer_graph(_embedding_graph(loss="triplet", mining="hardest"))
    assert any("hard, semi-hard, all" in e.message for e in bad.errors_for("head"))
    zero = infer_graph(_embedding_graph(loss="triplet", margin=0.0)).errors_for("head")
    assert zero and "margin above 0" in zero[0].message and zero[0].fix.args["value"] == 1.0
    spec = next(b for b in heads.BLOCKS if b.name == "EmbeddingHead")
    assert math.isclose(spec.param("margin").default, 1.0)
    assert spec.param("mining").choices == ("hard", "semi-hard", "all")


def test_contrastive_loss_is_the_courses_with_y_1_for_different_labels():
    """L = 1/2 (1-y) d^2 + 1/2 y max(0, m - d)^2, y = 1 when the two labels differ."""
    emb, labels = X[[0, 1, 2]], torch.tensor([0, 0, 1])
    head = HeadInfo("h", "embedding", "label", 1.0, "contrastive", {"margin": M}, ("N", 1))
    pairs = [(0, 1), (0, 2), (1, 2)]
    expected = [0.5 * _d2(i, j) if labels[i] == labels[j] else 0.5 * max(0.0, M - math.sqrt(_d2(i, j))) ** 2
                for i, j in pairs]
    assert float(head_loss(head, emb, labels)) == pytest.approx(sum(expected) / 3, rel=1e-5)
    assert list(itertools.combinations(range(3), 2)) == pairs
