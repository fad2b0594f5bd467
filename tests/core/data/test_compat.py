"""Each data/model mismatch fails before training with a message that names it."""

from __future__ import annotations

import pytest

from studio.core.data import load_dataset
from studio.core.data.compat import check_model_fits_data
from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.graph.model import Edge, Graph, Node
from studio.core.project import load_project
from studio.core.resources import default_example_path


def _chain(*layers):
    g = Graph()
    for i, (node_id, block, params) in enumerate(layers):
        g.add_node(Node(node_id, block, params))
        if i:
            g.edges.append(Edge(layers[i - 1][0], node_id))
    return g


def _check(graph, data):
    check_model_fits_data(graph, compile_graph(graph), load_dataset(data))


def _cnn(channels, classes=3, size=16):
    return _chain(("input", "Input", {"shape": [channels, size, size]}),
                  ("conv1", "Conv2d", {"out_channels": 4, "kernel_size": 3}), ("flat", "Flatten", {}),
                  ("fc", "Linear", {"out_features": classes}), ("head", "ClassificationHead", {}))


def test_the_course_cnn_fits_digits_28():
    project = load_project(default_example_path())
    _check(project.graph, project.data)


def test_three_channel_images_into_a_one_channel_input():
    with pytest.raises(UserError) as err:
        _check(_cnn(1), {"dataset": "shapes", "options": {"size": 16, "count": 30, "channels": 3}})
    text = err.value.one_line()
    assert "3-channel images" in text and "Input 'input' takes 1-channel" in text
    assert "[3, 16, 16]" in text and "channels to 1" in text


def test_ten_classes_into_a_two_unit_head():
    with pytest.raises(UserError) as err:
        _check(_cnn(1, classes=2, size=8), {"dataset": "digits"})
    text = err.value.one_line()
    assert "10 classes" in text and "head 'head' gets 2 units from 'fc'" in text
    assert "set out_features of 'fc' to 10" in text


def test_sequence_data_into_a_conv2d():
    with pytest.raises(UserError) as err:
        _check(_cnn(1, size=8), {"dataset": "sequence", "options": {"encoding": "onehot", "vocab": 8, "length": 8}})
    text = err.value.one_line()
    assert "sequences of shape [8, 8]" in text and "feeds Conv2d 'conv1'" in text and "needs images" in text


def test_image_size_mismatch_suggests_the_dataset_option():
    with pytest.raises(UserError) as err:
        _check(_cnn(1, classes=10, size=28), {"dataset": "digits"})
    assert "8x8 images, but Input 'input' takes 28x28" in err.value.message
    assert "dataset option image_size to 28" in err.value.fix


def test_head_target_the_dataset_lacks():
    graph = _chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                   ("fc", "Linear", {"out_features": 4}), ("box", "RegressionHead", {"target": "box"}))
    with pytest.raises(UserError, match="learns target 'box', but dataset 'digits' has only label"):
        _check(graph, {"dataset": "digits"})


def test_box_regression_width_and_tokens_dtype():
    graph = _chain(("input", "Input", {"shape": [1, 16, 16]}), ("flat", "Flatten", {}),
                   ("fc", "Linear", {"out_features": 2}), ("box", "RegressionHead", {"target": "box"}))
    with pytest.raises(UserError, match="4 value\\(s\\) per sample, but head 'box' gets 2 from 'fc'"):
        _check(graph, {"dataset": "shapes", "options": {"size": 16, "count": 30}})
    tokens = _chain(("input", "Input", {"shape": [16]}), ("fc", "Linear", {"out_features": 8}),
                    ("head", "ClassificationHead", {}))
    with pytest.raises(UserError, match="token ids \\(int64\\), but Input 'input' is float32"):
        _check(tokens, {"dataset": "sequence"})
