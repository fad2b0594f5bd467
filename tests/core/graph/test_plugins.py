"""Plugins add blocks that work everywhere; broken plugins are reported and skipped."""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import EntryPoint

import torch

from studio.core import plugins
from studio.core.graph.codegen import generate_code
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph, Node
from studio.core.graph.registry import all_blocks, get_block

GOOD = '''
from studio.core.graph.registry import BlockSpec, Construct, ShapeResult
from torch import nn

def register(api):
    api.register_block(BlockSpec("{name}", "Activation", "test block", (), ("in",), ("out",),
                                 lambda ctx: ShapeResult(ctx.x()), lambda p, d: Construct(nn.Hardtanh)))
'''


def _se_graph() -> Graph:
    g = Graph()
    for i, (nid, block, params) in enumerate([
        ("x", "Input", {"shape": [8, 6, 6]}), ("se", "SqueezeExcite", {"reduction": 2}),
        ("gap", "AdaptiveAvgPool2d", {}), ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 3}),
        ("head", "ClassificationHead", {}),
    ]):
        g.add_node(Node(nid, block, params, (0.0, 90.0 * i)))
        if i:
            g.connect(g.nodes[i - 1].id, nid)
    return g


def test_example_plugin_block_checks_compiles_and_exports(tmp_path):
    spec = get_block("SqueezeExcite")
    assert spec.source == "plugin squeeze_excite"
    assert spec in all_blocks()
    g = _se_graph()
    report = infer_graph(g)
    assert report.ok
    module = compile_graph(g).eval()
    assert report.nodes["se"].params == sum(p.numel() for p in module.se.parameters())
    code = generate_code(g, "SE net")
    assert "class SqueezeExcite(nn.Module)" in code
    file = tmp_path / "se.py"
    file.write_text(code)
    s = importlib.util.spec_from_file_location("se_generated", file)
    mod = importlib.util.module_from_spec(s)
    s.loader.exec_module(mod)
    gen = mod.SENet().eval()
    gen.load_state_dict(module.state_dict())
    x = torch.randn(2, 8, 6, 6)
    assert torch.equal(gen(x), module(x))


def test_broken_plugins_are_reported_and_skipped(tmp_path):
    (tmp_path / "syntax_error.py").write_text("def register(api) oops\n")
    (tmp_path / "raises.py").write_text("def register(api):\n    raise RuntimeError('no GPU here')\n")
    (tmp_path / "no_register.py").write_text("X = 1\n")
    (tmp_path / "duplicate.py").write_text(GOOD.format(name="Conv2d"))
    (tmp_path / "good.py").write_text(GOOD.format(name="HardTanhTest"))
    before = len(plugins.failures())
    plugins.load_plugins(tmp_path)
    failed = {f.name: f.error for f in plugins.failures()[before:]}
    assert set(failed) == {"syntax_error", "raises", "no_register", "duplicate"}
    assert "SyntaxError" in failed["syntax_error"]
    assert "no GPU here" in failed["raises"]
    assert "already exists" in failed["duplicate"]
    assert get_block("Conv2d").source == "builtin"
    assert get_block("HardTanhTest").source == "plugin good"


def test_entry_point_plugins_are_loaded(tmp_path, monkeypatch):
    (tmp_path / "ep_plugin_mod.py").write_text(GOOD.format(name="EntryPointBlock"))
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [EntryPoint("ep_good", "ep_plugin_mod:register", plugins.ENTRY_POINT_GROUP),
           EntryPoint("ep_broken", "ep_missing_module:register", plugins.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(plugins, "_entry_points", lambda: eps)
    plugins.load_plugins(force=True)
    assert get_block("EntryPointBlock").source == "plugin ep_good"
    assert any(f.name == "ep_broken" and "ModuleNotFoundError" in f.error for f in plugins.failures())
    sys.modules.pop("ep_plugin_mod", None)
