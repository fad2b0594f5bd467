"""An embedding head on held-out data, at every epoch end: recall@1 (each validation sample's
nearest other validation sample, Euclidean, has its class) and the `embeddings` event (a PCA to 2-D
of the validation embeddings with their labels, for the live view)."""

from __future__ import annotations

import json

import pytest
import torch
from train_builders import chain, make_project

from studio.core.data import load_dataset
from studio.core.train import embedding_eval
from studio.core.train.embedding_eval import pca_2d, recall_at_1
from studio.core.train.run_folder import load_run_model
from studio.core.train.trainer import run_training


def test_recall_at_1_asks_each_samples_nearest_other_sample():
    # 0 and 1 are each other's nearest (same class: hits); 2's nearest is 3 (other class: miss);
    # 3's nearest is 2 (miss); 4 is far but its nearest is 3 (class 1 vs 1: hit).
    emb = torch.tensor([[0.0, 0.0], [0.1, 0.0], [5.0, 0.0], [5.2, 0.0], [9.0, 0.0]])
    labels = torch.tensor([0, 0, 0, 1, 1])
    assert float(recall_at_1(emb, labels)) == pytest.approx(3 / 5)
    assert float(recall_at_1(emb[:1], labels[:1])) != float(recall_at_1(emb[:1], labels[:1]))  # NaN: no neighbour


def test_recall_at_1_in_query_blocks_is_the_same(monkeypatch):
    torch.manual_seed(0)
    emb, labels = torch.randn(300, 8), torch.randint(0, 5, (300,))
    whole = float(recall_at_1(emb, labels))
    monkeypatch.setattr(embedding_eval, "_QUERY_BLOCK", 7)
    assert float(recall_at_1(emb, labels)) == pytest.approx(whole)
    d = torch.cdist(emb, emb).fill_diagonal_(float("inf"))
    assert whole == pytest.approx(float((labels[d.argmin(1)] == labels).float().mean()))


def _brute_force_recall(emb: list[list[float]], labels: list[int]) -> float:
    """recall@1 with plain Python loops, to check the trainer's device computation against."""
    hits = 0
    for i, a in enumerate(emb):
        best, best_j = float("inf"), -1
        for j, b in enumerate(emb):
            if j != i:
                d = sum((u - v) ** 2 for u, v in zip(a, b, strict=True))
                if d < best:
                    best, best_j = d, j
        hits += labels[best_j] == labels[i]
    return hits / len(emb)


@pytest.fixture(scope="module")
def embedding_run(tmp_path_factory):
    """Two epochs of a small embedding MLP on digits, triplet loss with semi-hard mining."""
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                  ("fc1", "Linear", {"out_features": 32}), ("act", "ReLU", {}),
                  ("fc2", "Linear", {"out_features": 8}),
                  ("emb", "EmbeddingHead", {"loss": "triplet", "mining": "semi-hard", "margin": 0.5}))
    project = make_project(graph, {"dataset": "digits"}, lr=3e-3, epochs=2, batch_size=128)
    events: list[dict] = []
    run_dir = tmp_path_factory.mktemp("embedding") / "run"
    done = run_training(project, run_dir, None, events.append)
    assert done["event"] == "done", done
    project_run, model = load_run_model(run_dir, "last")
    bundle = load_dataset(project_run.data)
    with torch.no_grad():
        emb = model(bundle.x_val.float())
    return run_dir, events, bundle, emb


def test_the_trainer_writes_val_recall_at_1_each_epoch_and_the_best_in_the_summary(embedding_run):
    run_dir, events, bundle, emb = embedding_run
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    for e in epochs:
        assert 0.0 <= e["val_recall_at_1"] <= 1.0
        assert e["heads"]["emb"]["recall_at_1"] == e["val_recall_at_1"]
    expected = _brute_force_recall(emb.tolist(), bundle.y_val["label"].tolist())
    assert epochs[-1]["val_recall_at_1"] == pytest.approx(expected, abs=1.5 / bundle.n_val)
    assert expected > 0.8  # ten digits: chance is about 0.1
    summary = json.loads((run_dir / "run.json").read_text())
    assert summary["best_val_recall_at_1"] == max(e["val_recall_at_1"] for e in epochs)
    assert summary["heads"][0]["metrics"][0] == "recall_at_1"


def test_pca_2d_projects_on_the_two_widest_directions_with_a_fixed_sign():
    torch.manual_seed(0)
    t = torch.randn(200, 1)
    # variance mostly along (1, 1, 0)/sqrt 2, then along z, little along (1, -1, 0)
    x = torch.cat([t * 3 + 0.01 * torch.randn(200, 1), t * 3 + 0.01 * torch.randn(200, 1),
                   0.5 * torch.randn(200, 1)], dim=1) + 7.0
    pts, share = pca_2d(x)
    assert pts.shape == (200, 2) and float(share[0]) > 0.9 and float(share.sum()) > 0.99
    assert torch.allclose(pts[:, 0], (x[:, 0] + x[:, 1] - 14.0) / 2 ** 0.5 - (t.mean() * 6 / 2 ** 0.5), atol=0.1)
    flipped, _ = pca_2d(-x)  # the same cloud mirrored: the axes keep their largest loading positive
    assert torch.allclose(flipped, -pts, atol=1e-4)


def test_each_epoch_sends_a_small_projection_of_the_validation_embeddings(embedding_run):
    run_dir, events, bundle, emb = embedding_run
    kinds = [e["event"] for e in events]
    for i, kind in enumerate(kinds):
        if kind == "epoch":
            assert kinds[i - 1] == "embeddings"  # the picture arrives just before its epoch's figures
    proj = [e for e in events if e["event"] == "embeddings"]
    assert [e["epoch"] for e in proj] == [1, 2]
    last = proj[-1]
    n = bundle.n_val
    assert last["head"] == "emb" and last["n_val"] == n and len(last["points"]) == len(last["labels"]) == min(n, 1000)
    assert last["labels"] == bundle.y_val["label"][:1000].tolist()
    assert last["classes"] == [str(c) for c in range(10)]
    expected, share = pca_2d(emb[:1000])
    assert torch.allclose(torch.tensor(last["points"], dtype=torch.float64), expected.double(), atol=2e-3)
    assert last["explained"] == pytest.approx(share.tolist(), abs=1e-4)
    assert len(json.dumps(last)) < 22 * len(last["points"]) + 400  # "[-0.123, 0.456], " and "7, " per point
    on_disk = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [e for e in on_disk if e["event"] == "embeddings"][-1]["points"] == last["points"]
