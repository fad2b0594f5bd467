"""LanguageModelHead (issue 13, paradigm 3, item 2): per-token cross-entropy on (N, T, V) scores
against the next tokens, per-token accuracy and perplexity, and a vocabulary mismatch between the
graph's last Linear and the text refused naming the node and both sizes, with the fix."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from studio.core.graph.heads import HeadInfo, head_info, head_loss
from studio.core.graph.infer import infer_graph
from studio.core.train.metrics import HeadAccumulator
from studio.core.train.trainer import run_training
from tests.core.train.train_builders import chain, make_project

V = 59  # the built-in text's vocabulary, <unk> included


def lm_graph(vocab: int = V, context: int = 16, head: dict | None = None):
    return chain(("tokens", "Input", {"shape": [context], "dtype": "int64"}),
                 ("embed", "Embedding", {"num_embeddings": V, "embedding_dim": 16}),
                 ("pos", "PositionalEncoding", {"scale": True}),
                 ("enc", "TransformerEncoderLayer", {"nhead": 2, "dim_feedforward": 32, "causal": True}),
                 ("decoder", "Linear", {"out_features": vocab}), ("head", "LanguageModelHead", dict(head or {})))


def text_data(context: int = 16) -> dict:
    return {"dataset": "text", "val_fraction": 0.1, "options": {"context": context, "stride": context}}


def test_loss_is_the_mean_per_token_cross_entropy():
    head = head_info("head", "language_model", {}, ("N", 5, 7))
    scores, nxt = torch.randn(3, 5, 7), torch.randint(0, 7, (3, 5))
    want = sum(F.cross_entropy(scores[i, t:t + 1], nxt[i, t:t + 1]) for i in range(3) for t in range(5)) / 15
    assert torch.allclose(head_loss(head, scores, nxt), want, atol=1e-6)
    assert head.target == "next_token" and head.metrics == ("token_accuracy", "perplexity")


def test_metrics_are_token_accuracy_and_exp_of_the_mean_loss():
    head = HeadInfo("head", "language_model", "next_token", 1.0, "cross_entropy")
    acc = HeadAccumulator(head, 4, torch.device("cpu"))
    scores = torch.full((2, 3, 4), -5.0)
    nxt = torch.tensor([[0, 1, 2], [3, 3, 3]])
    scores[0, 0, 0] = scores[0, 1, 1] = scores[1, 0, 3] = 5.0  # 3 of 6 tokens right
    loss = head_loss(head, scores, nxt)
    acc.add(scores, nxt, loss)
    res = acc.result()
    assert res["token_accuracy"] == pytest.approx(0.5)
    assert res["perplexity"] == pytest.approx(math.exp(float(loss)))


def test_shape_rule_wants_scores_per_step():
    g = chain(("tokens", "Input", {"shape": [16], "dtype": "int64"}),
              ("embed", "Embedding", {"num_embeddings": V, "embedding_dim": 16}),
              ("pool", "SequencePool", {}), ("decoder", "Linear", {"out_features": V}),
              ("head", "LanguageModelHead", {}))
    errors = [e for e in infer_graph(g).errors if e.node == "head"]
    assert errors and "next-token scores (N, T, V)" in errors[0].message
    assert not [e for e in infer_graph(lm_graph()).errors]


def test_vocabulary_mismatch_names_the_node_the_sizes_and_the_fix(tmp_path):
    events: list[dict] = []
    done = run_training(make_project(lm_graph(vocab=50), text_data()), tmp_path / "run", {"epochs": 1},
                        events.append)
    assert done["event"] == "error" and done["kind"] == "user", done
    assert "vocabulary of 59 tokens" in done["message"] and "50" in done["message"]
    assert "'decoder'" in done["message"] and "'head'" in done["message"]
    assert done["fix"].startswith("set out_features of 'decoder' to 59")


def test_a_small_lm_trains_and_reports_perplexity(tmp_path):
    events: list[dict] = []
    done = run_training(make_project(lm_graph(), text_data(), lr=3e-3, batch_size=32, epochs=1),
                        tmp_path / "run", {"epochs": 1}, events.append)
    assert done["event"] == "done", done
    epoch = next(e for e in events if e["event"] == "epoch")
    head = epoch["heads"]["head"]
    assert head["perplexity"] == pytest.approx(math.exp(epoch["val_loss"]), rel=1e-6)
    assert 0.0 <= head["token_accuracy"] <= 1.0
    assert head["perplexity"] < V  # better than uniform after one epoch


def test_the_course_uniform_init_of_embedding_and_decoder():
    from studio.core.graph.compile import compile_graph
    from studio.core.graph.heads import init_language_model

    torch.manual_seed(0)
    graph = lm_graph()
    model = compile_graph(graph)
    assert float(model.embed.weight.detach().abs().max()) > 1.0  # PyTorch's N(0, 1)
    head = next(h for h in model.heads if h.kind == "language_model")
    assert head.params["init_range"] == 0.1
    init_language_model(model, graph, head)
    assert float(model.embed.weight.detach().abs().max()) <= 0.1 and float(model.embed.weight.detach().std()) > 0.05
    assert float(model.decoder.weight.detach().abs().max()) <= 0.1 and not model.decoder.bias.any()
    off = compile_graph(lm_graph(head={"init_range": 0.0}))
    before = off.embed.weight.clone()
    init_language_model(off, graph, next(h for h in off.heads if h.kind == "language_model"))
    assert torch.equal(off.embed.weight, before)
