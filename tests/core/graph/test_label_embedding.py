"""LabelEmbedding (issue 13, New blocks): the class condition of a conditional GAN.

The class index reaches the graph through a second Input node (shape [1], dtype int64, source
"label"); LabelEmbedding gives (N, d), which the existing Concat joins with the noise z along dim 1,
so the course's MLP generator becomes a cGAN generator: (z, y) -> 110 -> 256 -> ... -> 784, Tanh.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Graph, Node

DOCS = Path(__file__).resolve().parents[3] / "docs" / "blocks.md"


def cgan_generator(y_params=None) -> Graph:
    g = Graph.chain([("z", "Input", {"shape": [100]}),
                     ("zy", "Concat", {"dim": 1}),
                     ("fc1", "Linear", {"out_features": 256}), ("relu1", "ReLU", {}),
                     ("fc2", "Linear", {"out_features": 784}), ("tanh", "Tanh", {}),
                     ("image", "RegressionHead", {})])
    g.add_node(Node("y", "Input", {"shape": [1], "dtype": "int64", "source": "label", **(y_params or {})}))
    g.add_node(Node("yemb", "LabelEmbedding", {"num_classes": 10, "embedding_dim": 10}))
    g.connect("y", "yemb")
    g.connect("yemb", "zy")
    return g


def test_the_class_joins_the_noise_and_the_cgan_generator_exports(standalone_parity):
    report = infer_graph(cgan_generator())
    assert report.ok, report.errors
    assert report.nodes["yemb"].output_shape == ("N", 10)
    assert report.nodes["zy"].output_shape == ("N", 110)
    assert report.nodes["yemb"].params == 100
    z, y = torch.randn(10, 100), torch.arange(10).reshape(10, 1)
    model, (out,) = standalone_parity(cgan_generator(), (z, y), "cGAN generator")
    assert out.shape == (10, 784)
    assert model.input_sources == {"z": "input", "y": "label"}
    with torch.no_grad():
        assert torch.equal(model.yemb(torch.tensor([3, 7])), model.yemb.weight[[3, 7]])
        same_z = z[:1].expand(10, 100)
        samples = model(same_z, y)  # one noise vector, ten classes: ten different images
        assert min((samples[i] - samples[j]).abs().max() for i in range(10) for j in range(i)) > 1e-4
    model.train()
    model(z, y.reshape(-1)).pow(2).mean().backward()  # labels may come as (N,) too
    assert model.yemb.weight.grad[torch.arange(10)].abs().sum(dim=1).min() > 0


def test_real_valued_labels_name_the_node_and_the_fix_makes_the_input_int64():
    g = cgan_generator({"dtype": "float32"})
    issue = next(e for e in infer_graph(g).errors if e.node == "yemb")
    assert issue.message == "LabelEmbedding yemb expects integer class indices but gets real values (N, 1)"
    assert issue.fix.description == "set dtype of y to int64 (if it is the Input of the class indices)"
    assert infer_graph(apply_fix(g, issue.fix)).ok


def test_one_hot_labels_name_the_node_and_the_fixes_give_one_index_per_sample():
    g = cgan_generator({"shape": [10], "dtype": "float32"})
    for _ in range(2):  # first the dtype, then the shape
        issue = next(e for e in infer_graph(g).errors if e.node == "yemb")
        assert issue.message.startswith("LabelEmbedding yemb expects")
        g = apply_fix(g, issue.fix)
    assert "(N, 10)" in issue.message
    assert infer_graph(g).ok
    compile_graph(g)


def test_docs_describe_the_block_and_how_it_merges_with_z():
    text = DOCS.read_text()
    entry = re.search(r"### LabelEmbedding\n(.*?)\n##", text, re.S).group(1)
    for param in ("num_classes", "embedding_dim"):
        assert f"| `{param}` |" in entry
    assert "Concat" in entry
