"""Shared checks for graph tests: a graph's generated code runs on its own and matches compile_graph.

`standalone_parity(graph, inputs)` writes the code `generate_code` exports, runs the file as a
script in a fresh interpreter (what a student does with the exported file), imports it, loads the
compiled module's weights into it and returns both modules' outputs for the same inputs.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import torch

from studio.core.graph.codegen import class_name, generate_code
from studio.core.graph.compile import compile_graph


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


@pytest.fixture
def standalone_parity(tmp_path):
    def check(graph, inputs, name="Net"):
        code = generate_code(graph, name)
        file = tmp_path / "model.py"
        file.write_text(code)
        run = subprocess.run([sys.executable, str(file)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        spec = importlib.util.spec_from_file_location(f"generated_{tmp_path.name}", file)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        torch.manual_seed(0)
        compiled = compile_graph(graph).eval()
        generated = getattr(mod, class_name(name))().eval()
        assert list(generated.state_dict()) == list(compiled.state_dict())
        generated.load_state_dict(compiled.state_dict())
        with torch.no_grad():
            a, b = _as_tuple(compiled(*inputs)), _as_tuple(generated(*inputs))
        for x, y in zip(a, b, strict=True):
            assert torch.allclose(x, y, atol=1e-6), (x - y).abs().max()
        return compiled, a
    return check
