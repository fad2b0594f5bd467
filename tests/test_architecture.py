"""`studio.core` must stay importable on a headless GPU box that has no Qt and no PortAudio."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds():
    """The import contracts in pyproject.toml (static, every import statement): core and the app layer
    free of Qt; the UI in layers, its feature packages independent of each other."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_every_core_module_imports_with_qt_and_portaudio_absent():
    """Import every module under studio.core with PySide6, pyqtgraph and sounddevice made unimportable."""
    script = textwrap.dedent(
        """
        import importlib, importlib.abc, pkgutil, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "sounddevice"):
                    raise ImportError(f"blocked {name}")
        sys.meta_path.insert(0, Block())
        import studio.core as core
        names = [m.name for m in pkgutil.walk_packages(core.__path__, "studio.core.")]
        for name in names:
            importlib.import_module(name)
        import studio.cli
        print(len(names))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 3
