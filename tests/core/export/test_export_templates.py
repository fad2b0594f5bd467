"""Every template that ships exports to ONNX and matches PyTorch within 1e-4 in onnxruntime."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from studio.core.export.onnx_export import export_onnx
from studio.core.export.spec import io_from_graph_module
from studio.core.graph.compile import compile_graph
from studio.core.project import load_project

TEMPLATES = sorted((Path(__file__).resolve().parents[3] / "resources" / "templates").glob("*.studio.json"))


def test_templates_are_found():
    assert TEMPLATES, "resources/templates holds the example projects"


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name.removesuffix(".studio.json") for t in TEMPLATES])
def test_template_exports_to_onnx_with_parity(template, tmp_path):
    project = load_project(template)
    torch.manual_seed(0)
    model = compile_graph(project.graph).eval()
    io_spec = io_from_graph_module(model, name=project.name)
    samples = model.example_inputs(batch=16)
    if any(d == "int64" for d in io_spec.input_dtypes):
        # Token ids: any valid id of the first Embedding works; random ids exercise the table.
        # (A denoiser's time steps have no table: any step up to 1000 will do.)
        vocab = next((m.num_embeddings for m in model.modules() if isinstance(m, torch.nn.Embedding)), 1000)
        gen = torch.Generator().manual_seed(0)
        samples = tuple(torch.randint(0, vocab, t.shape, generator=gen) if not t.is_floating_point() else t
                        for t in samples)
    result = export_onnx(model, io_spec, tmp_path / "model.onnx", samples)
    assert result.parity.passed, f"{template.name}: {result.parity.verdict()}"
    assert result.parity.max_abs_diff <= 1e-4
