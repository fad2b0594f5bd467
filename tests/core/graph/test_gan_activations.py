"""The course's MLP GAN drawn with the catalogue's activations: Tanh ends the generator, LeakyReLU(0.2)
and Sigmoid shape the discriminator (issue 13, New blocks). They existed already; here the course's
exact networks are checked end to end: shapes, parameter counts, forward/backward, the exported file.
"""

from __future__ import annotations

import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Graph


def generator() -> Graph:
    return Graph.chain([
        ("z", "Input", {"shape": [100]}),
        ("fc1", "Linear", {"out_features": 256}), ("relu1", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 512}), ("relu2", "ReLU", {}),
        ("fc3", "Linear", {"out_features": 784}), ("tanh", "Tanh", {}),
        ("image", "RegressionHead", {}),
    ])


def discriminator(slope=0.2) -> Graph:
    return Graph.chain([
        ("x", "Input", {"shape": [784]}),
        ("fc1", "Linear", {"out_features": 512}), ("lrelu1", "LeakyReLU", {"negative_slope": slope}),
        ("fc2", "Linear", {"out_features": 256}), ("lrelu2", "LeakyReLU", {"negative_slope": slope}),
        ("fc3", "Linear", {"out_features": 1}), ("sigmoid", "Sigmoid", {}),
        ("real", "RegressionHead", {}),
    ])


def test_the_course_generator_ends_in_tanh_and_its_code_matches(standalone_parity):
    report = infer_graph(generator())
    assert report.ok, report.errors
    assert report.total_params == 100 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784
    assert report.nodes["tanh"].output_shape == ("N", 784)
    z = torch.randn(16, 100) * 50  # large inputs: Tanh must still keep every value inside (-1, 1)
    model, (out,) = standalone_parity(generator(), (z,), "MLP generator")
    assert out.shape == (16, 784) and out.abs().max() <= 1
    model.train()
    model(z).pow(2).mean().backward()
    assert model.fc1.weight.grad is not None and model.fc1.weight.grad.abs().sum() > 0


def test_the_course_discriminator_uses_a_leaky_slope_of_0_2_and_a_sigmoid(standalone_parity):
    report = infer_graph(discriminator())
    assert report.ok, report.errors
    assert report.total_params == 784 * 512 + 512 + 512 * 256 + 256 + 256 + 1
    assert report.nodes["sigmoid"].output_shape == ("N", 1)
    model = compile_graph(discriminator())
    assert model.lrelu1(torch.tensor([-1.0, 2.0])).tolist() == [-0.20000000298023224, 2.0]
    x = torch.randn(8, 784)
    model, (out,) = standalone_parity(discriminator(), (x,), "MLP discriminator")
    assert out.shape == (8, 1) and ((out > 0) & (out < 1)).all()
    model.train()
    torch.nn.functional.binary_cross_entropy(model(x), torch.ones(8, 1)).backward()
    assert model.fc1.weight.grad.abs().sum() > 0


def test_a_negative_slope_below_zero_names_the_node_and_the_fix_clamps_it():
    report = infer_graph(discriminator(slope=-0.2))
    issue = next(e for e in report.errors if e.node == "lrelu1")
    assert issue.message.startswith("LeakyReLU lrelu1: negative_slope must be at least 0")
    fixed = apply_fix(discriminator(slope=-0.2), issue.fix)
    assert not [e for e in infer_graph(fixed).errors if e.node == "lrelu1"]
