"""Plugins add blocks that work everywhere; broken plugins are reported and skipped."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import torch

from studio.core import plugins
from studio.core.graph.codegen import generate_code
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph, Node
from studio.core.graph.registry import Catalog, all_blocks, get_block, register_builtin_blocks

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


def _builtin_catalog() -> Catalog:
    """A catalogue of the built-in blocks only, so what a test's plugins add stays out of the app's."""
    blocks = Catalog()
    register_builtin_blocks(blocks)
    return blocks


def _install_entry_point(site, name: str, module: str, source: str) -> None:
    """An installed package as pip leaves it: the module, and a dist-info declaring the entry point."""
    (site / f"{module}.py").write_text(source)
    info = site / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{plugins.ENTRY_POINT_GROUP}]\n{name} = {module}:register\n")


def test_broken_plugins_are_reported_and_skipped(tmp_path):
    (tmp_path / "syntax_error.py").write_text("def register(api) oops\n")
    (tmp_path / "raises.py").write_text("def register(api):\n    raise RuntimeError('no GPU here')\n")
    (tmp_path / "no_register.py").write_text("X = 1\n")
    (tmp_path / "duplicate.py").write_text(GOOD.format(name="Conv2d"))
    (tmp_path / "good.py").write_text(GOOD.format(name="HardTanhTest"))
    blocks = _builtin_catalog()
    before = len(plugins.failures())
    plugins.load_plugins(blocks, tmp_path)
    failed = {f.name: f.error for f in plugins.failures()[before:]}
    assert set(failed) == {"syntax_error", "raises", "no_register", "duplicate"}
    assert "SyntaxError" in failed["syntax_error"]
    assert "no GPU here" in failed["raises"]
    assert "already exists" in failed["duplicate"]
    assert blocks.get("Conv2d").source == "builtin"
    assert blocks.get("HardTanhTest").source == "plugin good"
    assert "good" in plugins.loaded()


def test_a_plugin_adds_all_its_blocks_or_none(tmp_path):
    (tmp_path / "half_clash.py").write_text(GOOD.format(name="FreshBlock") + textwrap.dedent('''
        first = register
        def register(api):
            first(api)
            api.register_block(BlockSpec("Linear", "Linear", "clashes", (), ("in",), ("out",),
                                         lambda ctx: ShapeResult(ctx.x()), lambda p, d: Construct(nn.Identity)))
        '''))
    blocks = _builtin_catalog()
    plugins.load_plugins(blocks, tmp_path)
    assert "FreshBlock" not in blocks
    assert blocks.get("Linear").source == "builtin"
    assert any(f.name == "half_clash" and "already exists" in f.error for f in plugins.failures())


def test_entry_point_plugins_are_loaded(tmp_path, monkeypatch):
    _install_entry_point(tmp_path, "ep_good", "ep_plugin_mod", GOOD.format(name="EntryPointBlock"))
    _install_entry_point(tmp_path, "ep_broken", "ep_missing_module", "")
    (tmp_path / "ep_missing_module.py").unlink()
    monkeypatch.syspath_prepend(str(tmp_path))
    blocks = _builtin_catalog()
    plugins.load_plugins(blocks)
    assert blocks.get("EntryPointBlock").source == "plugin ep_good"
    assert blocks.get("SqueezeExcite").source == "plugin squeeze_excite"  # the plugins folder too
    assert any(f.name == "ep_broken" and "ModuleNotFoundError" in f.error for f in plugins.failures())
    sys.modules.pop("ep_plugin_mod", None)


LOOKS_UP_WHILE_REGISTERING = '''
from dataclasses import replace

from studio.core.graph.registry import get_block

def register(api):
    # a plugin that builds on a built-in block, looking it up while the catalogue is being built
    api.register_block(replace(get_block("ReLU"), name="PluginReLU"))
'''


def test_a_plugin_may_look_blocks_up_while_the_catalogue_is_built(tmp_path):
    """The first get_block of a fresh process builds the catalogue and runs the plugins; a plugin that
    calls get_block itself gets the built-in blocks instead of a deadlock or a second build."""
    _install_entry_point(tmp_path, "looks_up", "looks_up_plugin", LOOKS_UP_WHILE_REGISTERING)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from studio.core import plugins
        from studio.core.graph.registry import all_blocks, get_block
        print(get_block("PluginReLU").source, len([b for b in all_blocks() if b.name == "ReLU"]),
              len(plugins.failures()))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plugin", "looks_up", "1", "0"]
