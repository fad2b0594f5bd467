"""TimestepEmbedding (issue 13, New blocks): the DDPM time-step input of a denoiser.

A graph takes the time step through a second Input node, shape [1], dtype int64, source
"timestep"; TimestepEmbedding turns it into sinusoids and an MLP, (N, 1) -> (N, d), which a conv
denoiser projects to its channels, reshapes to [C, 1, 1], upsamples to H x W and adds to its
features (docs/blocks.md).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Graph, Node

DOCS = Path(__file__).resolve().parents[3] / "docs" / "blocks.md"


def embedder(t_params=None, emb_params=None) -> Graph:
    return Graph.chain([("t", "Input", {"shape": [1], "dtype": "int64", "source": "timestep", **(t_params or {})}),
                        ("temb", "TimestepEmbedding", {"embedding_dim": 16, "hidden_dim": 32, **(emb_params or {})}),
                        ("out", "RegressionHead", {})])


def denoiser() -> Graph:
    """The DDPM toy's shape: an image and its time step in, predicted noise of the image's size out."""
    g = Graph.chain([("x", "Input", {"shape": [1, 8, 8]}),
                     ("conv1", "Conv2d", {"out_channels": 4, "padding": 1}),
                     ("add", "Add", {}), ("relu", "ReLU", {}),
                     ("conv2", "Conv2d", {"out_channels": 1, "padding": 1}),
                     ("flat", "Flatten", {}), ("noise", "RegressionHead", {})])
    for node in (Node("t", "Input", {"shape": [1], "dtype": "int64", "source": "timestep"}),
                 Node("temb", "TimestepEmbedding", {"embedding_dim": 16, "hidden_dim": 32}),
                 Node("tproj", "Linear", {"out_features": 4}), Node("tshape", "Reshape", {"shape": [4, 1, 1]}),
                 Node("tgrid", "Upsample", {"scale_factor": 8})):
        g.add_node(node)
    for a, b in (("t", "temb"), ("temb", "tproj"), ("tproj", "tshape"), ("tshape", "tgrid"), ("tgrid", "add")):
        g.connect(a, b)
    return g


def test_time_steps_become_n_by_d_embeddings_that_tell_steps_apart(standalone_parity):
    report = infer_graph(embedder())
    assert report.ok, report.errors
    assert report.nodes["temb"].output_shape == ("N", 16)
    t = torch.tensor([[0], [1], [500], [999], [1]])
    model, (out,) = standalone_parity(embedder(), (t,), "Time embedding")
    assert report.nodes["temb"].params == sum(p.numel() for p in model.temb.parameters())
    assert out.shape == (5, 16)
    assert torch.allclose(out[1], out[4], atol=1e-6)  # the same step, the same vector
    assert min((out[i] - out[j]).abs().max() for i in range(4) for j in range(i + 1, 4)) > 1e-4
    with torch.no_grad():  # the data may give steps as (N,) too
        assert torch.allclose(model(t.reshape(-1)), out, atol=1e-6)


def test_the_sinusoids_are_those_of_the_transformer_with_t_as_the_position():
    model = compile_graph(embedder(emb_params={"embedding_dim": 8})).temb
    seen = []
    model.mlp[0].register_forward_hook(lambda m, args, out: seen.append(args[0]))
    model(torch.tensor([[3]]))
    freq = [math.exp(-math.log(10000) * i / 4) for i in range(4)]
    want = [math.sin(3 * f) for f in freq] + [math.cos(3 * f) for f in freq]
    assert torch.allclose(seen[0][0], torch.tensor(want), atol=1e-6)


def test_a_denoiser_conditioned_on_the_time_step_runs_forward_backward_and_exports(standalone_parity):
    report = infer_graph(denoiser())
    assert report.ok, report.errors
    assert report.nodes["tgrid"].output_shape == ("N", 4, 8, 8)
    x, t = torch.randn(6, 1, 8, 8), torch.randint(0, 1000, (6, 1))
    model, (out,) = standalone_parity(denoiser(), (x, t), "DDPM toy")
    assert out.shape == (6, 64)
    assert model.input_sources == {"x": "input", "t": "timestep"}
    model.train()
    torch.nn.functional.mse_loss(model(x, t), torch.randn(6, 64)).backward()
    assert model.temb.mlp[0].weight.grad.abs().sum() > 0


def test_a_real_valued_time_input_names_the_node_and_the_fix_makes_it_int64():
    g = embedder({"dtype": "float32"})
    issue = next(e for e in infer_graph(g).errors if e.node == "temb")
    assert issue.message == "TimestepEmbedding temb expects integer time steps but gets real values (N, 1)"
    assert issue.fix.description == "set dtype of t to int64 (if it is the Input of the time steps)"
    assert infer_graph(apply_fix(g, issue.fix)).ok


def test_more_than_one_value_per_sample_names_the_node_and_the_fix_gives_the_input_shape_1():
    g = embedder({"shape": [3]})
    issue = next(e for e in infer_graph(g).errors if e.node == "temb")
    assert issue.message == "TimestepEmbedding temb expects one time step per sample, (N, 1), but gets (N, 3)"
    assert infer_graph(apply_fix(g, issue.fix)).ok


def test_an_odd_width_names_the_node_and_the_fix_makes_it_even():
    g = embedder(emb_params={"embedding_dim": 15})
    issue = next(e for e in infer_graph(g).errors if e.node == "temb")
    assert issue.message.startswith("TimestepEmbedding temb: the sinusoidal embedding needs an even embedding_dim")
    fixed = apply_fix(g, issue.fix)
    assert infer_graph(fixed).nodes["temb"].output_shape == ("N", 16)


def test_docs_describe_the_block_and_how_a_graph_feeds_it_the_time_step():
    text = DOCS.read_text()
    entry = re.search(r"### TimestepEmbedding\n(.*?)\n### ", text, re.S).group(1)
    for param in ("embedding_dim", "hidden_dim", "max_period"):
        assert f"| `{param}` |" in entry
    assert '"source": "timestep"' in text or "source `timestep`" in text
