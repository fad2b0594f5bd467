"""Causal self-attention (issue 13, New blocks): with `causal` on, MultiheadAttention and
TransformerEncoderLayer apply the course's square subsequent mask, so position t sees only
positions <= t: changing the input after t leaves every output up to t unchanged. Off by default,
so old projects compute what they did.
"""

from __future__ import annotations

import pytest
import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Graph
from studio.core.graph.registry import get_block

T, D = 7, 8


def lm(block: str, params: dict) -> Graph:
    return Graph.chain([("x", "Input", {"shape": [T, D]}), ("att", block, params),
                        ("flat", "Flatten", {}), ("out", "RegressionHead", {})])


CASES = [("MultiheadAttention", {"num_heads": 2}),
         ("TransformerEncoderLayer", {"nhead": 2, "dim_feedforward": 16, "dropout": 0.0})]


def outputs(model, x):
    with torch.no_grad():
        return model(x).reshape(x.shape[0], T, D)


@pytest.mark.parametrize(("block", "params"), CASES, ids=[c[0] for c in CASES])
def test_causal_outputs_up_to_t_ignore_later_positions(block, params):
    torch.manual_seed(0)
    model = compile_graph(lm(block, {**params, "causal": True})).eval()
    x = torch.randn(3, T, D)
    base = outputs(model, x)
    for t in range(T - 1):
        changed = x.clone()
        changed[:, t + 1:] = torch.randn(3, T - t - 1, D) * 5
        after = outputs(model, changed)
        assert torch.allclose(after[:, : t + 1], base[:, : t + 1], atol=1e-5), (block, t)
        assert not torch.allclose(after[:, t + 1:], base[:, t + 1:], atol=1e-3)
    model.train()
    model(x).sum().backward()
    assert all(p.grad is not None for p in model.att.parameters())


@pytest.mark.parametrize(("block", "params"), CASES, ids=[c[0] for c in CASES])
def test_causal_is_off_by_default_and_every_step_then_sees_the_future(block, params):
    assert get_block(block).defaults()["causal"] is False
    torch.manual_seed(0)
    model = compile_graph(lm(block, params)).eval()
    x = torch.randn(2, T, D)
    changed = x.clone()
    changed[:, -1] += 3
    assert not torch.allclose(outputs(model, changed)[:, 0], outputs(model, x)[:, 0], atol=1e-4)


@pytest.mark.parametrize(("block", "params"), CASES, ids=[c[0] for c in CASES])
def test_causal_attention_exports_to_code_with_the_same_outputs(block, params, standalone_parity):
    graph = lm(block, {**params, "causal": True})
    _, (out,) = standalone_parity(graph, (torch.randn(4, T, D),), "Causal LM")
    assert out.shape == (4, T * D)


def test_causal_with_a_context_names_the_node_and_the_fix_turns_causal_off():
    g = Graph.chain([("x", "Input", {"shape": [T, D]}), ("att", "MultiheadAttention", {"causal": True, "num_heads": 2}),
                     ("flat", "Flatten", {}), ("out", "RegressionHead", {})])
    g.add_node(type(g.nodes[0])("memory", "Input", {"shape": [5, D]}))
    g.connect("memory", "att", "out", "context")
    issue = next(e for e in infer_graph(g).errors if e.node == "att")
    assert issue.message.startswith("MultiheadAttention att: causal masks self-attention")
    assert issue.fix.description == "set causal of att to False"
    fixed = apply_fix(g, issue.fix)
    assert infer_graph(fixed).ok
