"""Groups of blocks (issue 15, large imported graphs): an imported model's stages are found from its
node ids, and collapsing one into a group box is a view only. The compiled network computes exactly
the same (max abs diff 0, same parameter count), codegen writes the same code, expanding puts every
block back where it was, and the project file keeps the groups as an optional field that leaves the
format version (and so older Studios' reading) as it was."""

from __future__ import annotations

import json

import pytest
import torch

from studio.core.graph import groups
from studio.core.graph.codegen import generate_code
from studio.core.graph.compile import compile_graph
from studio.core.project import FORMAT_VERSION, Project, dumps, load_project, loads, save_project

pytest.importorskip("torchvision")


@pytest.fixture(scope="module")
def resnet18():
    from studio.core.graph.importers.api import import_torchvision

    return import_torchvision("resnet18")


def test_resnet18_stages_are_its_four_layers_residual_sums_included(resnet18):
    stages = groups.suggest_stages(resnet18.graph)
    assert [(g.label, len(g.nodes)) for g in stages] == [("layer1", 14), ("layer2", 16), ("layer3", 16), ("layer4", 16)]
    layer1 = stages[0].nodes
    assert "add" in layer1 and "add_1" in layer1 and "maxpool" not in layer1  # the sums, not what feeds it
    edge = groups.boundary(resnet18.graph, layer1)
    assert edge.inputs == [("maxpool", "out")] and edge.outputs == [("layer1_1_relu_1", "out")]


def test_stage_ids_of_other_architectures():
    assert groups.stage_key("features_3_block_0_0") == "features_3"
    assert groups.stage_label("features_3") == "features.3"
    assert groups.stage_label(groups.stage_key("encoder_layers_encoder_layer_0_ln_1")) == "encoder_layer.0"
    for top_level in ("conv1", "fc", "add_1", "features_0", "layer1"):
        assert groups.stage_key(top_level) is None


def test_collapsing_layer1_changes_nothing_the_network_computes(resnet18):
    plain = resnet18.graph.copy()
    folded = plain.copy()
    folded.groups = groups.suggest_stages(folded)
    assert groups.collapse(folded, groups.find(folded, "layer1"))
    assert groups.hidden_by(folded).keys() == set(groups.find(folded, "layer1").nodes)

    x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(0))
    outputs, counts = [], []
    for graph in (plain, folded):
        model = compile_graph(graph).eval()
        model.load_state_dict(resnet18.weights)
        with torch.no_grad():
            outputs.append(model(x))
        counts.append(sum(p.numel() for p in model.parameters()))
    assert (outputs[0] - outputs[1]).abs().max().item() == 0.0
    assert counts[0] == counts[1] == resnet18.reference_params
    assert generate_code(plain, "Net") == generate_code(folded, "Net")


def test_collapse_then_expand_puts_every_block_back(resnet18):
    graph = resnet18.graph.copy()
    before = {n.id: n.pos for n in graph.nodes}
    graph.groups = groups.suggest_stages(graph)
    for group in graph.groups:
        groups.collapse(graph, group)
    fc = graph.node("fc").pos
    assert fc[1] < before["fc"][1] - 50 * 90  # the 60 blocks of the stages folded into four rows
    for group in graph.groups:
        groups.expand(graph, group)
    assert {n.id: n.pos for n in graph.nodes} == before


def test_saved_groups_open_again_and_the_format_version_stays(resnet18, tmp_path):
    graph = resnet18.graph.copy()
    graph.weights = None
    graph.groups = groups.suggest_stages(graph)
    groups.collapse(graph, graph.groups[1])
    path = save_project(Project(name="r18", graph=graph), tmp_path / "r18.studio.json")
    data = json.loads(path.read_text())
    assert data["format_version"] == FORMAT_VERSION == 2  # an optional field: no new version to refuse
    assert data["graph"]["groups"][1] == {"id": "layer2", "label": "layer2",
                                          "nodes": graph.groups[1].nodes, "collapsed": True}
    again = load_project(path).graph
    assert [(g.id, g.collapsed) for g in again.groups] == [("layer1", False), ("layer2", True),
                                                            ("layer3", False), ("layer4", False)]
    assert {n.id: n.pos for n in again.nodes} == {n.id: n.pos for n in graph.nodes}
    # A file without groups writes none, and a malformed one is named in one line.
    assert "groups" not in dumps(Project())
    bad = {"format_version": 2, "graph": {"nodes": [], "edges": [], "groups": [{"id": "g", "nodes": "conv1"}]}}
    with pytest.raises(Exception, match=r"graph\.groups\[0\]\.nodes must be a list of node ids"):
        loads(json.dumps(bad), "bad.studio.json")
