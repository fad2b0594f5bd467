"""Every course template checks, compiles, runs forward and backward, and exports to equal code."""

from __future__ import annotations

import importlib.util
import itertools

import pytest
import torch

from studio.core.graph.codegen import class_name, generate_code
from studio.core.graph.compile import compile_graph
from studio.core.graph.heads import head_loss
from studio.core.graph.infer import infer_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES

TEMPLATE_FILES = sorted(TEMPLATES.glob("*.studio.json"))
NODE_W, NODE_H = 160.0, 50.0  # the canvas draws nodes about this big


def _targets(module, batch):
    """Targets of the dtype and shape each head's loss expects (labels repeat so pairs exist)."""
    out = []
    for head in module.heads:
        shape = head.output_shape[1:]
        if head.kind == "classification":
            out.append(torch.arange(batch) % shape[0])
        elif head.kind == "segmentation":
            out.append(torch.randint(0, shape[0], (batch, *shape[1:])))
        elif head.kind == "regression":
            out.append(torch.rand(batch, *shape))
        elif head.kind == "language_model":  # the next token at every step
            out.append(torch.randint(0, shape[-1], (batch, *shape[:-1])))
        elif head.kind == "diffusion":  # the noise a denoiser predicts, of its output's shape
            out.append(torch.randn(batch, *shape))
        elif head.kind == "keypoints":  # K (x, y) points in [0, 1] for an (N, 2K) output
            out.append(torch.rand(batch, shape[0] // 2, 2))
        elif head.kind == "detection":  # boxes: rows (class, x0, y0, x1, y1), class -1 for none
            out.append(torch.tensor([[0, 0.1, 0.1, 0.4, 0.5], [2, 0.5, 0.5, 0.9, 0.8], [-1, 0, 0, 0, 0]]).repeat(batch, 1, 1))
        else:
            out.append(torch.arange(batch) % 3)
    return out


def test_the_course_templates_are_all_there():
    names = {p.name for p in TEMPLATE_FILES}
    for expected in ["mnist_cnn", "lstm_rows", "mlp", "residual_cnn", "inception_cnn", "transformer_classifier",
                     "tiny_vit", "conformer_encoder", "unet", "multitask", "siamese_embedding"]:
        assert f"{expected}.studio.json" in names


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name.split(".")[0])
def test_template_checks_compiles_and_trains_one_step(path):
    project = load_project(path)
    assert project.name and project.description
    assert project.data["dataset"] in ("digits", "shapes", "sequence", "sine", "text", "spoken_digits",
                                       "shapes_multi")
    report = infer_graph(project.graph)
    assert report.ok, [e.one_line() for e in report.errors]
    assert not report.warnings, [w.one_line() for w in report.warnings]
    torch.manual_seed(0)
    module = compile_graph(project.graph)
    assert report.total_params == sum(p.numel() for p in module.parameters())
    for node in project.graph.nodes:
        assert report.nodes[node.id].params == sum(p.numel() for p in getattr(module, node.id).parameters())
    batch = 6
    xs = module.example_inputs(batch)
    outs = module(*xs)
    outs = outs if isinstance(outs, tuple) else (outs,)
    assert len(outs) == len(module.heads)
    for out, head in zip(outs, module.heads, strict=False):
        assert tuple(out.shape) == (batch, *head.output_shape[1:])
    loss = sum(h.weight * head_loss(h, o, t) for h, o, t in zip(module.heads, outs, _targets(module, batch), strict=False))
    assert torch.isfinite(loss)
    loss.backward()
    grads = [p.grad for p in module.parameters() if p.requires_grad]
    assert grads and all(g is not None for g in grads), "some parameter got no gradient"
    assert any(float(g.abs().sum()) > 0 for g in grads)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name.split(".")[0])
def test_generated_code_loads_the_weights_and_gives_identical_outputs(path, tmp_path):
    project = load_project(path)
    code = generate_code(project.graph, project.name, path.name)
    file = tmp_path / "model.py"
    file.write_text(code)
    spec = importlib.util.spec_from_file_location("generated_model", file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    torch.manual_seed(1)
    compiled = compile_graph(project.graph).eval()
    generated = getattr(mod, class_name(project.name))().eval()
    assert list(generated.state_dict()) == list(compiled.state_dict())
    generated.load_state_dict(compiled.state_dict())
    xs = compiled.example_inputs(4)
    with torch.no_grad():
        a, b = compiled(*xs), generated(*xs)
    a, b = (a if isinstance(a, tuple) else (a,)), (b if isinstance(b, tuple) else (b,))
    for x, y in zip(a, b, strict=True):
        assert torch.equal(x, y)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name.split(".")[0])
def test_template_layout_is_readable(path):
    """Top to bottom along edges, no two nodes overlapping on the canvas."""
    graph = load_project(path).graph
    for a, b in itertools.combinations(graph.nodes, 2):
        apart = abs(a.pos[0] - b.pos[0]) >= NODE_W or abs(a.pos[1] - b.pos[1]) >= NODE_H
        assert apart, f"{a.id} and {b.id} overlap"
    for e in graph.edges:
        assert graph.node(e.src).pos[1] < graph.node(e.dst).pos[1], f"{e.label()} runs upwards"


def test_lstm_template_is_the_course_model():
    module = compile_graph(load_project(TEMPLATES / "lstm_rows.studio.json").graph)
    assert module.input_shapes == {"rows": (28, 28)}
    lstm = module.lstm
    assert (lstm.input_size, lstm.hidden_size, lstm.num_layers, lstm.batch_first) == (28, 128, 2, True)
    assert module.fc.in_features == 128 and module.fc.out_features == 10


def test_multitask_template_has_weighted_class_and_box_heads():
    module = compile_graph(load_project(TEMPLATES / "multitask.studio.json").graph)
    kinds = [(h.kind, h.target, h.weight) for h in module.heads]
    assert kinds == [("classification", "label", 1.0), ("regression", "box", 5.0)]
