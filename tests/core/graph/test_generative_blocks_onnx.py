"""The new blocks of issue 13 export to ONNX the way Export does (dynamic batch, onnxruntime parity):
a DDPM denoiser with its time-step Input, a cGAN generator with its label Input, and causal
self-attention; the files are traced at batch 2 and checked at batch 8, so the index reshapes
must follow the batch rather than be frozen at export time.
"""

from __future__ import annotations

import pytest
import torch
from test_causal_attention import lm
from test_label_embedding import cgan_generator
from test_timestep_embedding import denoiser

from studio.core.export.onnx_export import export_onnx
from studio.core.export.spec import io_from_graph_module
from studio.core.graph.compile import compile_graph

CASES = {
    "ddpm": (denoiser, lambda: (torch.randn(8, 1, 8, 8), torch.randint(0, 1000, (8, 1)))),
    "cgan": (cgan_generator, lambda: (torch.randn(8, 100), torch.randint(0, 10, (8, 1)))),
    "causal-mha": (lambda: lm("MultiheadAttention", {"num_heads": 2, "causal": True}), lambda: (torch.randn(8, 7, 8),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_exports_to_onnx_with_onnxruntime_parity(name, tmp_path):
    make_graph, samples = CASES[name]
    torch.manual_seed(0)
    model = compile_graph(make_graph()).eval()
    result = export_onnx(model, io_from_graph_module(model, name=name), tmp_path / f"{name}.onnx", samples())
    assert result.parity is not None and result.parity.passed, result.parity.verdict()
