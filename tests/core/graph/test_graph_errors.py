"""Each kind of bad graph yields its named error, and the offered fix (where there is one) clears it."""

from __future__ import annotations

import pytest

from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Edge, Graph, Node
from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def mnist() -> Graph:
    return load_project(TEMPLATES / "mnist_cnn.studio.json").graph


def chain(*nodes: tuple[str, str, dict]) -> Graph:
    g = Graph()
    for i, (nid, block, params) in enumerate(nodes):
        g.add_node(Node(nid, block, params, (0.0, 90.0 * i)))
    for a, b in zip(nodes, nodes[1:], strict=False):
        g.connect(a[0], b[0])
    return g


def only_error(graph: Graph):
    report = infer_graph(graph)
    assert not report.ok
    return report.errors[0], report


def fixed(graph: Graph, issue) -> Graph:
    assert issue.fix is not None, issue.message
    repaired = apply_fix(graph, issue.fix)
    report = infer_graph(repaired)
    assert report.ok, [e.one_line() for e in report.errors]
    return repaired


def test_missing_flatten_names_linear_shapes_and_inserts_flatten():
    g = mnist()
    g.remove_node("flatten")
    g.connect("drop1", "fc1")
    issue, report = only_error(g)
    assert issue.node == "fc1"
    assert issue.message == "Linear fc1 expects (N, F) but gets (N, 64, 14, 14)"
    assert issue.fix.description == "insert Flatten between drop1 and fc1"
    assert issue.edge == Edge("drop1", "fc1")
    # Downstream nodes wait instead of reporting follow-on errors.
    assert report.nodes["fc2"].error == "waits for fc1"
    assert len(report.errors) == 1
    repaired = fixed(g, issue)
    new = [n for n in repaired.nodes if n.block == "Flatten"][0]
    assert infer_graph(repaired).nodes["fc1"].derived["in_features"] == 64 * 14 * 14
    # The inserted node takes fc1's place on the canvas and what was below moves down one row.
    assert new.pos == g.node("fc1").pos
    assert repaired.node("fc1").pos[1] > new.pos[1]


def test_cycle_is_named_with_the_edge_that_closes_it():
    g = chain(("x", "Input", {"shape": [4]}), ("a", "Linear", {"out_features": 4}), ("b", "ReLU", {}),
              ("c", "Linear", {"out_features": 4}), ("head", "RegressionHead", {}))
    g.disconnect(Edge("x", "a"))
    g.connect("c", "a")
    report = infer_graph(g)
    cycle = [e for e in report.errors if "cycle" in e.message][0]
    assert "a -> b -> c -> a" in cycle.message
    assert cycle.fix.action == "remove_edge" and cycle.edge == Edge("c", "a")


def test_unconnected_input_port_offers_to_connect_the_node_above():
    g = mnist()
    g.disconnect(Edge("relu1", "conv2"))
    report = infer_graph(g)
    issue = [e for e in report.errors if e.node == "conv2"][0]
    assert issue.message == "Conv2d conv2 input port 'in' is not connected"
    assert issue.fix.description == "connect relu1 to conv2"
    fixed(g, issue)


def test_missing_head_and_missing_input():
    g = mnist()
    g.remove_node("head")
    issue, _ = only_error(g)
    assert "no output head" in issue.message and issue.node == "fc2"
    assert fixed(g, issue).node("classificationhead1").block == "ClassificationHead"

    g = mnist()
    g.remove_node("input")
    report = infer_graph(g)
    issue = [e for e in report.errors if "no Input" in e.message][0]
    assert issue.node == "conv1"
    repaired = apply_fix(g, issue.fix)
    assert any(n.block == "Input" for n in repaired.nodes) and infer_graph(repaired).ok


@pytest.mark.parametrize("node,param,value,expect", [
    ("drop1", "p", 1.5, "Dropout drop1: p must be at most 0.99, not 1.5"),
    ("conv1", "kernel_size", 0, "Conv2d conv1: kernel_size must be at least 1, not 0"),
    ("conv1", "out_channels", "many", "Conv2d conv1: out_channels must be a whole number, not 'many'"),
    ("conv1", "bias", "yes", "Conv2d conv1: bias must be true or false, not 'yes'"),
])
def test_invalid_parameter_values_are_named_and_clamped(node, param, value, expect):
    g = mnist()
    g.node(node).params[param] = value
    issue, _ = only_error(g)
    assert issue.node == node and issue.message == expect
    assert issue.fix.action == "set_param"
    fixed(g, issue)


def test_unknown_parameter_and_unknown_block_suggest_the_close_name():
    g = mnist()
    g.node("conv1").params["kernal_size"] = 5
    issue, _ = only_error(g)
    assert "has no parameter 'kernal_size' (did you mean kernel_size?)" in issue.message
    fixed(g, issue)

    g = mnist()
    g.node("conv1").block = "Conv2D"
    issue, _ = only_error(g)
    assert issue.message == "node conv1 uses unknown block 'Conv2D'" and issue.fix.description == "use block Conv2d"
    fixed(g, issue)


def test_merge_of_mismatched_shapes_offers_a_projection():
    g = chain(("x", "Input", {"shape": [3, 8, 8]}), ("a", "Conv2d", {"out_channels": 16, "padding": 1}),
              ("add", "Add", {}), ("gap", "AdaptiveAvgPool2d", {}), ("flat", "Flatten", {}),
              ("fc", "Linear", {"out_features": 2}), ("head", "ClassificationHead", {}))
    g.connect("x", "add")
    issue, _ = only_error(g)
    assert issue.node == "add"
    assert issue.message == "Add add merges mismatched shapes: (N, 16, 8, 8) from a and (N, 3, 8, 8) from x"
    assert issue.fix.description == "insert a 1x1 Conv2d with 16 channels between x and add"
    fixed(g, issue)


def test_wiring_errors_duplicate_ports_missing_nodes_and_ids():
    g = mnist()
    g.connect("relu2", "fc2")  # a second edge into fc2.in
    issue, _ = only_error(g)
    assert issue.node == "fc2" and "has 2 incoming edges" in issue.message
    fixed(g, issue)

    g = mnist()
    g.edges.append(Edge("ghost", "conv1"))
    issue, _ = only_error(g)
    assert "missing node 'ghost'" in issue.message
    fixed(g, issue)

    g = mnist()
    g.edges.append(Edge("conv1", "relu1", "out", "gate"))
    issue, _ = only_error(g)
    assert issue.message == "ReLU relu1 has no input port 'gate' (it has: in)"

    g = mnist()
    g.node("relu1").id = "class"
    g.edges = [Edge("class" if e.src == "relu1" else e.src, "class" if e.dst == "relu1" else e.dst) for e in g.edges]
    issue, _ = only_error(g)
    assert issue.node == "class" and issue.fix.action == "rename_node"
    fixed(g, issue)


@pytest.mark.parametrize("nodes,node,fragment,fixed_value", [
    ((("x", "Input", {"shape": [6, 8, 8]}), ("gn", "GroupNorm", {"num_groups": 4})), "gn",
     "num_groups 4 must divide the 6 channels", 3),
    ((("x", "Input", {"shape": [10, 12]}), ("att", "MultiheadAttention", {"num_heads": 5})), "att",
     "num_heads 5 must divide the feature width 12", 4),
    ((("x", "Input", {"shape": [1, 2, 2]}), ("c", "Conv2d", {"kernel_size": 5})), "c",
     "kernel 5 (dilation 1) is larger than its padded input 2x2", 2),
    ((("x", "Input", {"shape": [1, 30, 30]}), ("p", "PatchEmbedding", {"patch_size": 4})), "p",
     "patch_size 4 must divide the image size 30x30", 3),
    ((("x", "Input", {"shape": [20, 16]}), ("cf", "ConformerBlock", {"kernel_size": 30})), "cf",
     "kernel_size 30 must be odd", 31),
])
def test_parameter_conflicts_with_shapes_get_a_working_value(nodes, node, fragment, fixed_value):
    g = chain(*nodes)
    report = infer_graph(g)
    issue = [e for e in report.errors if e.node == node][0]
    assert fragment in issue.message
    assert issue.fix.args["value"] == fixed_value
    repaired = apply_fix(g, issue.fix)
    assert infer_graph(repaired).nodes[node].error is None


def test_token_ids_into_a_linear_layer_and_floats_into_an_embedding():
    g = chain(("tok", "Input", {"shape": [16], "dtype": "int64"}), ("fc", "Linear", {"out_features": 4}),
              ("head", "ClassificationHead", {}))
    issue, _ = only_error(g)
    assert issue.message == "Linear fc expects real-valued features but gets integer ids (N, 16)"
    assert issue.fix.description == "insert Embedding between tok and fc"

    g = chain(("x", "Input", {"shape": [16]}), ("emb", "Embedding", {}), ("pool", "SequencePool", {}),
              ("fc", "Linear", {"out_features": 4}), ("head", "ClassificationHead", {}))
    issue, _ = only_error(g)
    assert issue.message == "Embedding emb expects integer token ids but gets real values (N, 16)"
    fixed(g, issue)


def test_softmax_before_cross_entropy_is_a_warning_not_an_error():
    g = mnist()
    g.disconnect(Edge("fc2", "head"))
    g.add_node(Node("soft", "Softmax", {}, (0.0, 1030.0)))
    g.connect("fc2", "soft")
    g.connect("soft", "head")
    report = infer_graph(g)
    assert report.ok
    assert any("Softmax soft feeds a classification head" in w.message for w in report.warnings)


def test_compile_refuses_an_invalid_graph_naming_the_node():
    g = mnist()
    g.node("fc1").params["out_features"] = -3
    with pytest.raises(UserError) as info:
        compile_graph(g)
    assert "Linear fc1: out_features must be at least 1" in info.value.one_line()
    assert "set out_features of fc1 to 1" in info.value.one_line()


def test_graph_chain_wires_each_layer_to_the_next_and_lays_them_out():
    graph = Graph.chain([("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                         Node("fc", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {})])
    assert [(e.src, e.dst) for e in graph.edges] == [("input", "flat"), ("flat", "fc"), ("fc", "head")]
    assert [n.pos[1] for n in graph.nodes] == [0.0, 90.0, 180.0, 270.0]
    report = infer_graph(graph)
    assert report.ok and report.nodes["fc"].params == 64 * 10 + 10
    with pytest.raises(ValueError, match="already exists"):
        Graph.chain([("a", "Input", {}), ("a", "Flatten", {})])
