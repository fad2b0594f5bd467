"""Issue 16: the graph edit behind the Audio lab's "Use as dataset": the layer feeding the
classification head gets one output per recorded class; a graph it cannot edit says why."""

from __future__ import annotations

from studio.core.data.recordings import head_for_classes
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph


def chain(*middle) -> Graph:
    return Graph.chain([("input", "Input", {"shape": [80, 101]}), ("flat", "Flatten", {}), *middle,
                        ("head", "ClassificationHead", {})])


def test_the_layer_before_the_head_gets_one_output_per_class_and_the_graph_given_is_kept():
    graph = chain(("fc", "Linear", {"out_features": 10}))
    change = head_for_classes(graph, 3)
    assert (change.head, change.layer, change.before, change.after, change.problem) == ("head", "fc", 10, 3, None)
    assert graph.node("fc").params["out_features"] == 10
    assert infer_graph(change.graph).nodes["head"].output_shape[-1] == 3


def test_a_head_already_right_needs_no_edit():
    change = head_for_classes(chain(("fc", "Linear", {"out_features": 2})), 2)
    assert change.graph is None and change.problem is None and change.before == 2


def test_no_classification_head_or_one_without_out_features_is_said_not_changed():
    regression = Graph.chain([("input", "Input", {"shape": [4]}), ("fc", "Linear", {"out_features": 1}),
                              ("head", "RegressionHead", {})])
    change = head_for_classes(regression, 2)
    assert change.graph is None and change.problem == "the project has no classification head"
    change = head_for_classes(chain(), 2)
    assert change.graph is None and "'flat' (Flatten), which has no out_features" in change.problem
