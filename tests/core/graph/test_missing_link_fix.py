"""One missing link is reported as that link, never as a list of blocks to delete (issue 20, item 5).

Cutting one wire (or deleting one block) in the middle of the MNIST CNN leaves everything above
the cut without a path to the head. Those blocks are not dead weight: they are the network, cut
off by one missing link. The problems must name that link and offer to connect it; no offered fix
may delete a block that the user still needs.
"""

from __future__ import annotations

from studio.core.graph.infer import apply_fix, infer_graph
from studio.core.graph.model import Edge, Graph, Node
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

ABOVE_THE_CUT = ("input", "conv1", "relu1", "conv2", "relu2")


def mnist() -> Graph:
    return load_project(TEMPLATES / "mnist_cnn.studio.json").graph


def all_issues(report):
    return list(report.errors) + list(report.warnings)


def offered(report) -> list[str]:
    return [i.fix.action for i in all_issues(report) if i.fix is not None]


def test_a_cut_wire_offers_the_missing_link_and_no_deletions():
    g = mnist()
    g.disconnect(Edge("relu2", "pool1"))
    report = infer_graph(g)
    assert "remove_node" not in offered(report), [i.one_line() for i in all_issues(report)]
    fixes = {(i.fix.action, i.fix.args["src"], i.fix.args["dst"]) for i in all_issues(report) if i.fix}
    assert fixes == {("add_edge", "relu2", "pool1")}
    warning = next(w for w in report.warnings if "head" in w.message)
    assert warning.node == "relu2"
    assert "relu2 -> pool1" in warning.message and all(n in warning.message for n in ABOVE_THE_CUT)
    assert len([w for w in report.warnings if "head" in w.message]) == 1, "one warning for the cut-off part"
    repaired = infer_graph(apply_fix(g, warning.fix))
    assert repaired.ok and not repaired.warnings, [i.one_line() for i in all_issues(repaired)]


def test_deleting_a_block_in_the_middle_offers_to_bridge_the_gap():
    g = mnist()
    g.remove_node("pool1")
    report = infer_graph(g)
    assert "remove_node" not in offered(report), [i.one_line() for i in all_issues(report)]
    error = next(e for e in report.errors if e.node == "drop1")
    assert error.fix.description == "connect relu2 to drop1"
    repaired = infer_graph(apply_fix(g, error.fix))
    assert not [w for w in repaired.warnings if "head" in w.message], [w.one_line() for w in repaired.warnings]


def test_the_cut_off_block_is_found_wherever_it_was_dragged():
    """relu2 dragged below pool1: the link to offer is still relu2 -> pool1, found by the wiring, not by
    which block happens to sit just above."""
    g = mnist()
    g.disconnect(Edge("relu2", "pool1"))
    g.node("relu2").pos = (260.0, g.node("pool1").pos[1] + 40.0)
    error = next(e for e in infer_graph(g).errors if e.node == "pool1")
    assert error.fix is not None and error.fix.args["src"] == "relu2", error.one_line()


def test_the_link_never_closes_a_cycle():
    """A dangling branch below the cut is nearer, but wiring it into the cut would make a loop."""
    g = mnist()
    g.disconnect(Edge("relu2", "pool1"))
    g.add_node(Node("probe", "ReLU", {}, (20.0, g.node("pool1").pos[1] - 20.0)))
    g.connect("drop1", "probe")
    report = infer_graph(g)
    error = next(e for e in report.errors if e.node == "pool1")
    assert error.fix.args["src"] == "relu2"
    assert infer_graph(apply_fix(g, error.fix)).ok


def test_a_dangling_branch_gets_advice_not_a_delete_button():
    g = mnist()
    g.add_node(Node("extra", "Conv2d", {"out_channels": 8, "kernel_size": 3}, (260.0, 180.0)))
    g.connect("relu1", "extra")
    report = infer_graph(g)
    assert report.ok
    warning = next(w for w in report.warnings if w.node == "extra")
    assert warning.fix is None and warning.advice and "extra" in warning.advice
    assert "remove_node" not in offered(report)
