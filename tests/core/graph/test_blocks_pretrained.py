"""The PretrainedBackbone block (issue 15): torchvision weights from a local file, never downloaded here.

The weights file is made by the test (torch.save of a freshly built torchvision state_dict), so the
block's output can be compared with torchvision's own model carrying the same weights.
"""

from __future__ import annotations

import pickle

import pytest
import torch
from torchvision import models

from studio.core.errors import UserError
from studio.core.graph import blocks_pretrained
from studio.core.graph.blocks_pretrained import PretrainedBackbone, weights_name
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Edge, Graph, Node
from studio.core.graph.registry import get_block


@pytest.fixture(autouse=True)
def _no_weights_anywhere(tmp_path, monkeypatch):
    """No weights folder, no torch hub cache, no network: only what a test puts there."""
    monkeypatch.setenv("STUDIO_PRETRAINED_DIR", str(tmp_path / "pretrained"))
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setenv("STUDIO_OFFLINE", "1")


def _saved(tmp_path, arch, name="weights.pth"):
    torch.manual_seed(1)
    model = models.get_model(arch, weights=None).eval()
    path = tmp_path / name
    torch.save(model.state_dict(), path)
    return model, path


@pytest.mark.parametrize("arch,width", [("resnet18", 512), ("mobilenet_v3_small", 576)])
def test_the_block_loads_the_file_and_gives_torchvisions_features(tmp_path, arch, width):
    reference, path = _saved(tmp_path, arch)
    block = PretrainedBackbone(arch, weights_file=str(path)).eval()
    if arch.startswith("resnet"):
        reference.fc = torch.nn.Identity()
    else:
        reference.classifier = torch.nn.Identity()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out, want = block(x), reference(x)
    assert out.shape == (2, width)
    assert torch.allclose(out, want, atol=1e-5), float((out - want).abs().max())


def test_the_file_in_the_weights_folder_is_found_and_the_feature_map_is_a_choice(tmp_path, monkeypatch):
    reference, _ = _saved(tmp_path, "resnet18")
    folder = tmp_path / "pretrained"
    folder.mkdir()
    path = folder / weights_name("resnet18")
    torch.save(reference.state_dict(), path)
    # the test's file is not torchvision's: its sha256 does not match the name's prefix
    with pytest.raises(UserError, match="sha256 does not begin with f37072fd"):
        PretrainedBackbone("resnet18")
    import hashlib

    prefix = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    monkeypatch.setattr(blocks_pretrained, "sha256_prefix", lambda arch: prefix)  # as if it were torchvision's
    block = PretrainedBackbone("resnet18", output="features").eval()
    assert block.weights_source == str(path)
    with torch.no_grad():
        assert block(torch.randn(1, 3, 64, 64)).shape == (1, 512, 2, 2)


def test_a_missing_file_says_where_to_put_it(tmp_path):
    with pytest.raises(UserError) as info:
        PretrainedBackbone("resnet18")
    message = str(info.value.one_line())
    assert "resnet18-f37072fd.pth" in message and str(tmp_path / "pretrained") in message
    assert "sha256 begins with f37072fd" in message and "download.pytorch.org" in message
    with pytest.raises(UserError, match="STUDIO_OFFLINE is set"):
        PretrainedBackbone("resnet18", download=True)  # offline: nothing is fetched
    block = PretrainedBackbone("mobilenet_v3_small", random_init=True)  # only when asked
    assert block.weights_source == "random"


def test_a_corrupt_or_pickled_file_is_refused(tmp_path):
    garbage = tmp_path / "garbage.pth"
    garbage.write_bytes(b"this is not a model" * 10)
    with pytest.raises(UserError, match="weights_only=True"):
        PretrainedBackbone("resnet18", weights_file=str(garbage))
    pickled = tmp_path / "pickled.pth"
    with pickled.open("wb") as fh:
        pickle.dump({"conv1.weight": torch.zeros(1), "x": _Evil()}, fh)
    with pytest.raises(UserError, match="refused"):
        PretrainedBackbone("resnet18", weights_file=str(pickled))
    _, other = _saved(tmp_path, "mobilenet_v3_small", "other.pth")
    with pytest.raises(UserError, match="is not a resnet18 state_dict"):
        PretrainedBackbone("resnet18", weights_file=str(other))
    with pytest.raises(UserError, match="does not exist"):
        PretrainedBackbone("resnet18", weights_file=str(tmp_path / "nowhere.pth"))


class _Evil:
    def __reduce__(self):
        return (print, ("unpickled!",))


def _graph(params, shape=(3, 64, 64)):
    """Input -> PretrainedBackbone -> Linear -> ClassificationHead (with `output: features` the
    Linear gets a feature map, which is all the shape tests need)."""
    return Graph(nodes=[Node("image", "Input", {"shape": list(shape)}),
                        Node("backbone", "PretrainedBackbone", params),
                        Node("fc", "Linear", {"out_features": 2}), Node("head", "ClassificationHead", {})],
                 edges=[Edge("image", "backbone"), Edge("backbone", "fc"), Edge("fc", "head")])


def test_shape_check_and_compile(tmp_path):
    _, path = _saved(tmp_path, "resnet18")
    report = infer_graph(_graph({"arch": "resnet18", "weights_file": str(path)}))
    node = report.nodes["backbone"]
    assert tuple(node.output_shape[1:]) == (512,)
    assert node.params == sum(p.numel() for n, p in models.resnet18().named_parameters() if not n.startswith("fc."))
    fmap = infer_graph(_graph({"arch": "mobilenet_v3_small", "output": "features"}, (3, 96, 128)))
    assert tuple(fmap.nodes["backbone"].output_shape[1:]) == (576, 3, 4)
    grey = infer_graph(_graph({"arch": "resnet18"}, (1, 64, 64)))
    assert "3-channel" in str(grey.nodes["backbone"].error)
    model = compile_graph(_graph({"arch": "resnet18", "weights_file": str(path)}))
    assert any(k.startswith("backbone.body.") for k in model.state_dict())
    with torch.no_grad():
        assert model.eval()(torch.randn(1, 3, 64, 64)).shape == (1, 2)
    assert get_block("PretrainedBackbone").category == "Convolution"


def test_generated_code_builds_the_same_network_and_takes_the_checkpoint(tmp_path):
    from studio.core.graph.codegen import generate_code

    _, path = _saved(tmp_path, "resnet18")
    graph = _graph({"arch": "resnet18", "weights_file": str(path)})
    namespace: dict = {}
    exec(compile(generate_code(graph), "generated.py", "exec"), namespace)  # noqa: S102 - our own output
    model = compile_graph(graph).eval()
    net = namespace["Net"]()
    net.load_state_dict(model.state_dict())  # strict: the keys match
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(net.eval()(x), model(x))


def test_download_goes_through_the_whisper_downloader_and_checks_the_hash(tmp_path, monkeypatch):
    """No network: the 'server' is a file:// URL, which urllib (and so the downloader) also reads."""
    import hashlib

    reference, source = _saved(tmp_path, "resnet18", "served.pth")
    monkeypatch.delenv("STUDIO_OFFLINE")
    monkeypatch.setattr(blocks_pretrained, "weights_url", lambda arch: source.as_uri())
    monkeypatch.setattr(blocks_pretrained, "sha256_prefix", lambda arch: "00000000")
    with pytest.raises(UserError, match="sha256 does not begin with 00000000"):
        PretrainedBackbone("resnet18", download=True)
    assert not list((tmp_path / "pretrained").iterdir())  # nothing half-downloaded left behind
    prefix = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    monkeypatch.setattr(blocks_pretrained, "sha256_prefix", lambda arch: prefix)
    seen = []
    path = blocks_pretrained.download_weights("resnet18", progress=lambda name, done, total: seen.append(done))
    assert path == tmp_path / "pretrained" / "served.pth" and seen[-1] == source.stat().st_size
    block = PretrainedBackbone("resnet18").eval()  # found where it was downloaded to
    reference.fc = torch.nn.Identity()
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        assert torch.allclose(block(x), reference(x), atol=1e-5)


def test_a_frozen_backbone_keeps_its_file_weights_while_a_new_head_trains(tmp_path):
    """Transfer learning with the block: freeze it, train a Linear head on the shapes generator."""
    from studio.core.project import Project
    from studio.core.train.run_folder import load_checkpoint
    from studio.core.train.trainer import run_training

    _, path = _saved(tmp_path, "mobilenet_v3_small")
    graph = Graph(nodes=[Node("image", "Input", {"shape": [3, 32, 32]}),
                         Node("backbone", "PretrainedBackbone", {"arch": "mobilenet_v3_small",
                                                                 "weights_file": str(path)}),
                         Node("fc", "Linear", {"out_features": 3}), Node("head", "ClassificationHead", {})],
                  edges=[Edge("image", "backbone"), Edge("backbone", "fc"), Edge("fc", "head")])
    graph.node("backbone").frozen = True
    before = {k: v.clone() for k, v in compile_graph(graph).state_dict().items()}
    project = Project(name="t", graph=graph,
                      data={"dataset": "shapes", "options": {"size": 32, "count": 60, "channels": 3},
                            "val_fraction": 0.2, "augment": {}},
                      training={"optimizer": "adam", "lr": 1e-2, "batch_size": 16, "epochs": 1, "seed": 0,
                                "device": "cpu", "layer_stats_every": 0})
    done = run_training(project, tmp_path / "run", {}, lambda e: None)
    assert done["event"] == "done", done
    after = load_checkpoint(tmp_path / "run", "last")["model"]
    changed = {k for k in before if before[k].is_floating_point() and not torch.equal(before[k], after[k])}
    assert changed and all(k.startswith("fc.") for k in changed), sorted(changed)[:5]
