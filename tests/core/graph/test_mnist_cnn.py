"""The course's MNIST CNN template: shapes, the famous 64 * 14 * 14, parameter count, training step."""

from __future__ import annotations

import torch

from studio.core.graph.compile import compile_graph
from studio.core.graph.heads import head_loss
from studio.core.graph.infer import infer_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def _graph():
    return load_project(TEMPLATES / "mnist_cnn.studio.json").graph


def test_mnist_cnn_shapes_and_derived_sizes():
    report = infer_graph(_graph())
    assert report.ok, [e.one_line() for e in report.errors]
    assert report.nodes["pool1"].output_shape == ("N", 64, 14, 14)
    assert report.nodes["flatten"].output_shape == ("N", 64 * 14 * 14)
    assert report.nodes["fc1"].derived["in_features"] == 64 * 14 * 14
    assert report.nodes["head"].output_shape == ("N", 10)


def test_mnist_cnn_parameter_count_matches_course_and_module():
    graph = _graph()
    report = infer_graph(graph)
    module = compile_graph(graph)
    counted = sum(p.numel() for p in module.parameters())
    assert report.total_params == counted
    # The course states this number for its CNN; the template must reproduce the course's model.
    assert counted == 1_625_866


def test_mnist_cnn_state_dict_keys_are_node_ids_and_a_step_lowers_the_loss():
    torch.manual_seed(0)
    module = compile_graph(_graph())
    assert module.input_nodes == ["input"]
    assert module.input_shapes == {"input": (1, 28, 28)}
    assert [h.node_id for h in module.heads] == ["head"]
    keys = set(module.state_dict())
    assert {"conv1.weight", "conv2.bias", "fc1.weight", "fc2.bias"} <= keys
    # Every block has its own module (CAM hooks need distinct ReLU modules).
    assert module.relu1 is not module.relu2
    x = torch.randn(16, 1, 28, 28)
    y = torch.randint(0, 10, (16,))
    opt = torch.optim.Adam(module.parameters(), lr=1e-3)
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = head_loss(module.heads[0], module(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
