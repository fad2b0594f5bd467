"""Every offered fix does what its text says: applied and re-inferred, the error is gone and the claim holds.

The MaxPool fix used to read "set padding of pool to 7 (keeps the size)" and gave a 1x1 output.
Here each fix is applied, the graph inferred again, and the claim in its description checked
against the inferred shape ("keeps the size", "output AxB", "divides the width D"); the fixed block
is also built and run in PyTorch, which enforces its own rules (padding at most half the kernel
for pooling) and must produce the shape inference promised.
"""

from __future__ import annotations

import re

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Graph, Node

POOLS = ("MaxPool2d", "AvgPool2d", "MaxPool1d", "AvgPool1d")
CONVS = ("Conv2d", "Conv1d")


def graph_of(shape, block, params) -> Graph:
    return Graph.chain([Node("x", "Input", {"shape": list(shape)}), Node("n", block, dict(params)),
                        Node("flat", "Flatten"), Node("fc", "Linear", {"out_features": 3}),
                        Node("head", "ClassificationHead")])


def spatial(info) -> tuple[int, ...]:
    return tuple(info.output_shape[2:])


def check_claim(fix, before_in: tuple[int, ...], after) -> None:
    """The description's promise about the node, checked on the re-inferred graph."""
    text = fix.description
    info = after.nodes[fix.args.get("node", "n")]
    if "keeps the size" in text:
        assert spatial(info) == before_in, (text, info.output_shape)
    m = re.search(r"output (?:length )?(\d+(?:x\d+)*)\)", text)
    if m:
        assert spatial(info) == tuple(int(v) for v in m.group(1).split("x")), (text, info.output_shape)
    m = re.search(r"divides the width (\d+)", text)
    if m:
        assert int(m.group(1)) % int(fix.args["value"]) == 0, text


def run_block(graph: Graph, shape) -> torch.Tensor:
    model = compile_graph(graph)
    with torch.no_grad():
        return model.n(torch.zeros(2, *shape))


def test_the_maxpool_fix_says_what_it_gives():
    g = graph_of((1, 4, 4), "MaxPool2d", {"kernel_size": 15})
    issue = next(e for e in infer_graph(g).errors if e.node == "n")
    assert "keeps the size" not in issue.fix.description
    fixed = apply_fix(g, issue.fix)
    after = infer_graph(fixed)
    assert after.ok, [e.one_line() for e in after.errors]
    check_claim(issue.fix, (4, 4), after)
    assert "output 1x1" in issue.fix.description
    assert tuple(run_block(fixed, (1, 4, 4)).shape[2:]) == spatial(after.nodes["n"])


def test_a_same_padding_fix_really_keeps_the_size():
    g = graph_of((1, 2, 2), "Conv2d", {"kernel_size": 5, "out_channels": 4})
    issue = next(e for e in infer_graph(g).errors if e.node == "n")
    assert "keeps the size" in issue.fix.description
    after = infer_graph(apply_fix(g, issue.fix))
    assert after.nodes["n"].error is None
    check_claim(issue.fix, (2, 2), after)


@st.composite
def broken_layer(draw):
    block = draw(st.sampled_from(POOLS + CONVS))
    dims = 2 if block.endswith("2d") else 1
    sizes = tuple(draw(st.integers(1, 9)) for _ in range(dims))
    params = {"kernel_size": draw(st.integers(1, 16)), "padding": draw(st.integers(0, 9))}
    if block in POOLS:
        params["stride"] = draw(st.none() | st.integers(1, 4))
    else:
        params.update(out_channels=2, stride=draw(st.integers(1, 3)), dilation=draw(st.integers(1, 3)))
    return block, (draw(st.integers(1, 3)), *sizes), params


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_layer())
def test_every_shape_fix_clears_its_error_and_keeps_its_promise(case):
    block, shape, params = case
    g = graph_of(shape, block, params)
    report = infer_graph(g)
    issues = [e for e in report.errors if e.node == "n"]
    if not issues:
        return
    issue = issues[0]
    assert issue.fix is not None, issue.message  # a kernel or padding that does not fit always has a fix
    fixed = apply_fix(g, issue.fix)
    after = infer_graph(fixed)
    # at most one more fix may be needed (padding above half the kernel, then a kernel that is too big)
    if after.nodes["n"].error is not None:
        follow = next(e for e in after.errors if e.node == "n")
        assert follow.message != issue.message, (issue.one_line(), follow.one_line())
        assert follow.fix is not None
        check_claim(follow.fix, shape[1:], infer_graph(apply_fix(fixed, follow.fix)))
        fixed = apply_fix(fixed, follow.fix)
        after = infer_graph(fixed)
    assert after.nodes["n"].error is None, [e.one_line() for e in after.errors]
    if issue.fix.args.get("node") == "n":
        check_claim(issue.fix, shape[1:], after)
    n = fixed.node("n").params
    if block in POOLS:
        assert n.get("padding", 0) <= n["kernel_size"] // 2  # PyTorch's rule for pooling
    out = run_block(fixed, shape)  # PyTorch agrees with the promised shape
    assert tuple(out.shape[1:]) == tuple(after.nodes["n"].output_shape[1:])


def test_every_kind_of_fix_the_checker_offers_clears_its_error():
    """One broken graph per fix action; the fix applied, that error is gone."""
    base = [Node("x", "Input", {"shape": [1, 8, 8]}), Node("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3}),
            Node("fc", "Linear", {"out_features": 3}), Node("head", "ClassificationHead")]
    graphs = {
        "insert_block": Graph.chain(base),  # Linear after a conv needs a Flatten
        "set_param": Graph.chain([Node("x", "Input", {"shape": [6, 8, 8]}), Node("gn", "GroupNorm", {"num_groups": 4}),
                                  Node("flat", "Flatten"), Node("fc", "Linear", {"out_features": 3}),
                                  Node("head", "ClassificationHead")]),
        "remove_param": Graph.chain([Node("x", "Input", {"shape": [4]}), Node("fc", "Linear", {"out_feature": 3}),
                                     Node("head", "ClassificationHead")]),
        "set_block": Graph.chain([Node("x", "Input", {"shape": [4]}), Node("fc", "Linaer", {"out_features": 3}),
                                  Node("head", "ClassificationHead")]),
        "rename_node": Graph.chain([Node("x", "Input", {"shape": [4]}), Node("class", "Linear", {"out_features": 3}),
                                    Node("head", "ClassificationHead")]),
    }
    unwired = Graph.chain([Node("x", "Input", {"shape": [4]}), Node("fc", "Linear", {"out_features": 3})])
    unwired.add_node(Node("head", "ClassificationHead", {}, (0.0, 500.0)))
    graphs["add_edge"] = unwired
    cycle = Graph.chain([Node("x", "Input", {"shape": [4]}), Node("a", "Linear", {"out_features": 4}),
                         Node("b", "ReLU"), Node("head", "ClassificationHead")])
    cycle.connect("b", "a")
    graphs["remove_edge"] = cycle
    graphs["add_node"] = Graph.chain([Node("x", "Input", {"shape": [4]}), Node("fc", "Linear", {"out_features": 3})])
    seen = set()
    for action, g in graphs.items():
        report = infer_graph(g)
        issue = next(e for e in report.errors if e.fix is not None and e.fix.action == action)
        seen.add(action)
        after = infer_graph(apply_fix(g, issue.fix))
        assert issue.message not in [e.message for e in after.errors], (action, issue.one_line())
        assert len(after.errors) < len(report.errors), (action, [e.one_line() for e in after.errors])
    assert seen == set(graphs)


def test_a_fix_that_does_not_clear_its_error_is_not_offered(monkeypatch):
    """A block (a plugin's, say) whose rule proposes a parameter value that fails the same way gets no
    Fix button: the checker tries the value on the spot before offering it."""
    from torch import nn

    from studio.core.graph import registry
    from studio.core.graph.fixes import set_param_fix
    from studio.core.graph.registry import BlockSpec, Construct, ParamSpec, ShapeError

    def rule(ctx):
        if ctx.p["width"] != 3:
            raise ShapeError(f"{ctx.name}: width must be 3", set_param_fix(ctx.node_id, "width", ctx.p["width"] + 10))
        return registry.ShapeResult(ctx.x())

    def honest(ctx):
        if ctx.p["width"] != 3:
            raise ShapeError(f"{ctx.name}: width must be 3", set_param_fix(ctx.node_id, "width", 3))
        return registry.ShapeResult(ctx.x())

    # a catalogue of its own with the two test blocks, so no other test ever sees them
    blocks = registry.Catalog()
    registry.register_builtin_blocks(blocks)
    for name, fn in (("UselessFix", rule), ("HonestFix", honest)):
        blocks.register(BlockSpec(
            name, "Activation", "test block", (ParamSpec("width", "int", 1, min=1),), ("in",), ("out",), fn,
            lambda p, d: Construct(nn.Identity)))
    monkeypatch.setattr(registry, "catalog", lambda: blocks)
    for name, offered in (("UselessFix", False), ("HonestFix", True)):
        g = Graph.chain([Node("x", "Input", {"shape": [4]}), Node("n", name, {"width": 1}),
                         Node("head", "ClassificationHead")])
        issue = next(e for e in infer_graph(g).errors if e.node == "n")
        assert (issue.fix is not None) is offered, (name, issue.fix)
