"""Models in (issue 15): `studio import` turns torchvision, TorchScript, state_dict and ONNX models
into projects whose compiled graph computes what the original does.

The round trips import a torchvision model's own weights (saved as a state_dict, the path a user
with a trained model takes), write the project and its weights file, open the project again and
compare the compiled graph's output with the original model's on the same input. The bad inputs
are refused with a one-line reason and nothing is unpickled.
"""

from __future__ import annotations

import json
import shutil

import pytest
import torch
from torch import nn

from studio.cli import main
from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.graph.importers.api import import_model
from studio.core.project import load_project

torchvision = pytest.importorskip("torchvision")
TOLERANCE = 1e-5


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _reference(arch: str) -> nn.Module:
    """torchvision's ARCH with random weights of a sensible scale, filled without its (slow)
    initialisation: He-scaled weights, small biases and shifts, norm scales and BatchNorm
    statistics away from the identity, and a classifier that is not zero (ViT's is, at init)."""
    gen = torch.Generator().manual_seed(0)
    with torch.device("meta"):
        ref = torchvision.models.get_model(arch, weights=None)
    ref.to_empty(device="cpu").eval()
    with torch.no_grad():
        for name, t in [*ref.named_parameters(), *ref.named_buffers()]:
            if name.endswith("num_batches_tracked"):
                t.zero_()
            elif t.dim() > 1 and "embedding" not in name and "token" not in name:
                t.normal_(0, (2.0 / (t[0].numel() or 1)) ** 0.5, generator=gen)
            elif name.endswith(("running_var", "weight")):
                t.uniform_(0.5, 1.5, generator=gen)
            else:
                t.uniform_(-0.1, 0.1, generator=gen)
    return ref


def _roundtrip(arch: str, shape: tuple[int, ...], tmp_path, capsys, batch: int = 2, move: bool = True) -> dict:
    """Import torchvision's ARCH from its state_dict, reopen the project (moved to another folder
    with its weights file), and compare outputs on the same input."""
    ref = _reference(arch)
    project = tmp_path / "made" / f"{arch}.studio.json"
    project.parent.mkdir()
    if move:
        weights = tmp_path / f"{arch}.pth"
        torch.save(ref.state_dict(), weights)
        code, out, err = _cli(capsys, "import", str(weights), "--arch", arch, "--input-shape",
                              ",".join(map(str, shape)), "-o", str(project), "--json")
        assert code == 0, err
        summary = json.loads(out)
    else:  # the large models: the same steps in this process, without writing their .pth first
        summary = _import_in_process(arch, shape, ref, project)
    expected = sum(p.numel() for p in ref.parameters())
    assert summary["ok"] and summary["total_params"] == expected == summary["reference_params"]
    assert json.loads(project.read_text())["graph"]["weights"] == f"{arch}.weights.pt"
    moved = project.parent
    if move:  # the project and its weights file travel together
        moved = tmp_path / "moved"
        shutil.copytree(project.parent, moved)
    code, out, err = _cli(capsys, "check", str(moved / project.name), "--json")
    assert code == 0, err
    assert json.loads(out)["total_params"] == expected
    model = compile_graph(load_project(moved / project.name).graph).eval()
    x = torch.randn(batch, *shape, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        diff = (model(x) - ref(x)).abs().max().item()
    assert diff <= TOLERANCE, f"{arch}: max abs diff {diff}"
    summary["diff"] = diff
    summary["model"] = model
    return summary


def _import_in_process(arch: str, shape: tuple[int, ...], ref: nn.Module, project) -> dict:
    from studio.core.graph.importers.api import import_torchvision
    from studio.core.graph.importers.weights import save_weights, weights_name
    from studio.core.graph.infer import infer_graph
    from studio.core.project import Project, save_project

    result = import_torchvision(arch, shape, state_dict=ref.state_dict())
    save_weights(result.weights, project.with_name(weights_name(project)))
    result.graph.weights = weights_name(project)
    save_project(Project(name=arch, graph=result.graph), project)
    report = infer_graph(result.graph)
    return {"ok": report.ok, "total_params": report.total_params, **result.summary(),
            "module_blocks": len(result.opaque)}


def test_resnet18_imports_as_native_blocks_with_equal_params_and_outputs(tmp_path, capsys):
    summary = _roundtrip("resnet18", (3, 32, 32), tmp_path, capsys)
    assert summary["module_blocks"] == 0
    assert summary["native"]["Conv2d"] == 20 and summary["native"]["Add"] == 8


def test_mobilenet_v3_small_keeps_hardswish_runs_as_module_blocks(tmp_path, capsys):
    summary = _roundtrip("mobilenet_v3_small", (3, 32, 32), tmp_path, capsys)
    held = {h for item in summary["opaque"] for h in item["holds"]}
    assert {"Hardswish", "Hardsigmoid"} <= held  # Studio has no block for them: Module blocks
    assert summary["native"]["Conv2d"] >= 50 and summary["native"]["BatchNorm2d"] == 34
    # The file holds tensors only: it loads with weights_only=True and names no code.
    data = torch.load(tmp_path / "made" / "mobilenet_v3_small.weights.pt", weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in data.values())


def test_efficientnet_b0_round_trip(tmp_path, capsys):
    summary = _roundtrip("efficientnet_b0", (3, 32, 32), tmp_path, capsys)
    assert summary["native"]["SiLU"] == 49 and summary["native"]["Sigmoid"] == 16


@pytest.mark.slow
def test_vgg11_and_vit_b_16_round_trip(tmp_path, capsys):
    (tmp_path / "vgg").mkdir()
    vgg = _roundtrip("vgg11", (3, 32, 32), tmp_path / "vgg", capsys, move=False)
    assert vgg["module_blocks"] == 0
    del vgg
    (tmp_path / "vit").mkdir()
    vit = _roundtrip("vit_b_16", (3, 224, 224), tmp_path / "vit", capsys, batch=1, move=False)
    assert vit["native"]["MultiheadAttention"] == 12 and vit["native"]["LayerNorm"] == 25
    # What is left opaque is the class token and the position embedding, with their weights.
    assert sorted(item["params"] for item in vit["opaque"]) == [768, 197 * 768]


def test_a_module_block_is_rebuilt_from_torchvision_by_name_and_trains():
    """ViT's class token run, rebuilt from the constructor name and the traced node names alone
    (the block's parameters): it holds the token as a parameter, runs and gets gradients."""
    from studio.core.graph.blocks_opaque import OpaqueModule, traced_torchvision

    traced = traced_torchvision("vit_b_16", "{}")
    token = next(n for n in traced.graph.nodes if n.op == "get_attr" and n.target == "class_token")
    expand = next(iter(token.users))
    size = expand.args[1]  # x.shape[0]
    shape = size.args[0]
    module = OpaqueModule("torchvision:vit_b_16", "{}", " ".join(n.name for n in (shape, size, token, expand)),
                          shape.args[0].name, expand.name)
    assert [n for n, _ in module.named_parameters()] == ["body.class_token"]
    with torch.no_grad():
        module.body.class_token.normal_()
    out = module(torch.randn(3, 196, 768))[0]
    assert out.shape == (3, 1, 768) and torch.equal(out[2], module.body.class_token[0])
    out.sum().backward()
    assert torch.equal(module.body.class_token.grad, torch.full((1, 1, 768), 3.0))


def test_an_architecture_name_imports_with_random_weights(tmp_path, capsys):
    project = tmp_path / "r.studio.json"
    code, out, err = _cli(capsys, "import", "resnet18", "--input-shape", "3,32,32", "--num-classes", "10",
                          "-o", str(project))
    assert code == 0, err
    assert "check: ok, 11,181,642 parameters (the source model has 11,181,642)" in out
    code, _, err = _cli(capsys, "import", "resnet18", "-o", str(project))
    assert code == 1 and "already exists" in err and "--force" in err
    code, _, err = _cli(capsys, "import", "resnet81", "-o", str(tmp_path / "x.studio.json"))
    assert code == 1 and "not a torchvision classification architecture" in err and "resnet18" in err


class _Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        if x.shape[0] > 100_000:  # control flow: its TorchScript cannot be read back as blocks
            x = x * 0.5
        return self.fc(torch.flatten(torch.relu(self.conv(x)), 1))


def test_torchscript_file_is_one_module_block_that_trains_and_reloads(tmp_path, capsys):
    torch.manual_seed(0)
    ref = _Small().eval()
    file = tmp_path / "small.pt"
    torch.jit.save(torch.jit.script(ref), str(file))
    project = tmp_path / "small.studio.json"
    code, out, err = _cli(capsys, "import", str(file), "--input-shape", "1,8,8", "-o", str(project), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["total_params"] == sum(p.numel() for p in ref.parameters())
    assert [item["holds"] for item in summary["opaque"]] == [["TorchScript"]]
    graph = load_project(project).graph
    model = compile_graph(graph).eval()
    x = torch.randn(5, 1, 8, 8)
    with torch.no_grad():
        assert (model(x) - ref(x)).abs().max().item() <= TOLERANCE
    # It trains, and a checkpoint of it (the archive travels in the state_dict) reloads.
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model(x).sum().backward()
    opt.step()
    changed = [k for k, v in model.state_dict().items() if v.is_floating_point() and not torch.equal(v, before[k])]
    assert "module.body.conv.weight" in changed
    graph.weights = None  # a run folder's checkpoint alone is enough
    again = compile_graph(graph)
    again.load_state_dict(model.state_dict())
    with torch.no_grad():
        assert torch.equal(again.eval()(x), model.eval()(x))


def test_torchscript_of_torch_nn_layers_imports_as_native_blocks(tmp_path, capsys):
    """A scripted resnet18 (a file with no Python class behind it) comes back as Conv2d, BatchNorm2d,
    ReLU and Add blocks with the file's weights: the same parameters and the same output."""
    torch.manual_seed(0)
    ref = torchvision.models.resnet18(num_classes=10).eval()
    file = tmp_path / "resnet18_scripted.pt"
    torch.jit.save(torch.jit.script(ref), str(file))
    project = tmp_path / "r18.studio.json"
    code, out, err = _cli(capsys, "import", str(file), "--input-shape", "3,32,32", "-o", str(project), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["opaque"] == [] and summary["native"]["Conv2d"] == 20 and summary["native"]["Add"] == 8
    assert summary["total_params"] == sum(p.numel() for p in ref.parameters())
    model = compile_graph(load_project(project).graph).eval()
    x = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        assert (model(x) - ref(x)).abs().max().item() <= TOLERANCE


def _touch(path: str) -> None:
    with open(path, "w") as fh:
        fh.write("code ran")


class _Trap:
    """Unpickling this runs code (it creates a file): what a hostile .pt file does."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (_touch, (self.marker,))


def test_pickle_only_file_is_refused_with_the_reason_and_never_unpickled(tmp_path, capsys):
    file = tmp_path / "whole.pt"
    torch.save(_Small(), file)  # a whole nn.Module: only full unpickling could read it
    with pytest.raises(UserError) as err:
        import_model(str(file))
    assert "pickled Python object" in err.value.message and "weights_only=True" in err.value.message
    assert "torch.jit.save" in err.value.fix
    marker = tmp_path / "ran"
    trap = tmp_path / "trap.pth"
    torch.save({"model": _Trap(marker)}, trap)
    with pytest.raises(UserError, match="refused"):
        import_model(str(trap), arch="resnet18")
    assert not marker.exists()
    code, _, stderr = _cli(capsys, "import", str(file), "-o", str(tmp_path / "w.studio.json"))
    assert code == 1 and stderr.count("\n") == 1 and "refused" in stderr
    assert not (tmp_path / "w.studio.json").exists() and not (tmp_path / "w.weights.pt").exists()


def test_files_that_are_not_models_are_refused(tmp_path):
    text = tmp_path / "notes.pt"
    text.write_text("these are my notes, not a model\n")
    with pytest.raises(UserError, match="not a PyTorch model or weights file"):
        import_model(str(text))
    onnx_junk = tmp_path / "junk.onnx"
    onnx_junk.write_bytes(b"\x00\x01 not protobuf at all \xff" * 10)
    pytest.importorskip("onnx")
    with pytest.raises(UserError, match="not a readable ONNX file"):
        import_model(str(onnx_junk))
    weights_only = tmp_path / "sd.pt"
    torch.save(_Small().state_dict(), weights_only)
    with pytest.raises(UserError, match="holds weights only") as err:
        import_model(str(weights_only))
    assert "--arch" in err.value.fix
    with pytest.raises(UserError, match="do not fit torchvision's resnet18"):
        import_model(str(weights_only), arch="resnet18")
    with pytest.raises(UserError, match="does not exist"):
        import_model(str(tmp_path / "missing.onnx"))


def test_onnx_file_exported_by_studio_reimports_with_equal_outputs(tmp_path, capsys):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from studio.core.export.onnx_export import export_onnx
    from studio.core.export.spec import ModelIO
    from studio.core.resources import TEMPLATES

    torch.manual_seed(0)
    studio_model = compile_graph(load_project(TEMPLATES / "residual_cnn.studio.json").graph).eval()
    shape = studio_model.input_shapes[studio_model.input_nodes[0]]
    file = tmp_path / "residual.onnx"
    export_onnx(studio_model, ModelIO(input_names=["input"], input_shapes=[shape]), file)
    project = tmp_path / "residual.studio.json"
    code, out, err = _cli(capsys, "import", str(file), "-o", str(project), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["module_blocks"] == 0 and summary["native"]["Add"] == 2
    model = compile_graph(load_project(project).graph).eval()
    x = torch.randn(4, *shape)
    with torch.no_grad():
        assert (model(x) - studio_model(x)).abs().max().item() <= TOLERANCE


def test_onnx_op_without_a_block_gives_a_clear_message(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["r"], name="relu"), helper.make_node("Erf", ["r"], ["y"], name="erf")],
        "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])])
    file = tmp_path / "erf.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(file))
    with pytest.raises(UserError) as err:
        import_model(str(file))
    assert "node erf (ONNX op Erf) has no Studio block" in err.value.message
    assert "Conv" in err.value.fix and "Module blocks" in err.value.fix


def test_random_bytes_named_pt_are_not_called_a_pickle(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UserError, match="not a PyTorch model or weights file") as err:
        import_model(str(junk))
    assert "pickled" not in err.value.message


def test_generated_code_of_an_import_rebuilds_its_module_blocks(tmp_path):
    """`studio codegen` of an import with Module blocks: the file copies how they are rebuilt from
    torchvision and computes what the compiled graph does (imported here rather than run as a
    script, which would pay for a second torch + torchvision start)."""
    import importlib.util

    from studio.core.graph.codegen import generate_code
    from studio.core.graph.importers.api import import_torchvision

    result = import_torchvision("mobilenet_v3_small", (3, 32, 32), num_classes=10)
    assert result.opaque
    file = tmp_path / "mobilenet.py"
    file.write_text(generate_code(result.graph, "Mobilenet"))
    assert "def rebuild_torchvision" in file.read_text() and "import studio" not in file.read_text()
    spec = importlib.util.spec_from_file_location("generated_mobilenet", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compiled = compile_graph(result.graph).eval()
    compiled.load_state_dict(result.weights)
    generated = module.Mobilenet().eval()
    generated.load_state_dict(compiled.state_dict())
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert torch.equal(generated(x), compiled(x))


def test_a_fine_tuned_classifier_gives_its_class_count(tmp_path):
    """A state_dict whose classifier was replaced for 7 classes imports without --num-classes."""
    torch.manual_seed(0)
    ref = torchvision.models.resnet18(num_classes=7).eval()
    file = tmp_path / "tuned.pt"
    torch.save({"state_dict": ref.state_dict(), "epoch": 3}, file)
    result = import_model(str(file), arch="resnet18", input_shape=(3, 32, 32))
    head_input = next(n for n in result.graph.nodes if n.block == "Linear")
    assert head_input.params["out_features"] == 7
    model = compile_graph(result.graph).eval()
    model.load_state_dict(result.weights)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert (model(x) - ref(x)).abs().max().item() <= TOLERANCE
