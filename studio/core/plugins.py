"""Plugins: extra blocks without touching Studio's code.

A plugin is a Python file dropped in the `plugins/` folder, or an installed package exposing an
entry point in the group `studio.plugins`. Either way it provides a `register(api)` function (an
entry point may also point straight at such a function); `api.register_block(spec)` adds a block.
`load_plugins(catalog)` registers them into the catalogue it is given (the block registry passes
its own while building it), so this module never imports the registry.

A plugin file runs once per process; its `register` runs once per catalogue (a catalogue that
already holds a plugin's blocks is not given them again). `loaded()` and `failures()` are what this
process loaded and skipped, which `studio blocks` reports.

A broken plugin (syntax error, import error, exception in `register`, a block name that already
exists) is recorded in `failures()` and skipped; it never stops the app or the command line.
Blocks registered before the failure stay only if the plugin's `register` completed.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studio.core.graph.block_spec import BlockSpec
from studio.core.graph.catalog import Catalog

ENTRY_POINT_GROUP = "studio.plugins"


@dataclass
class PluginFailure:
    name: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "error": self.error}


@dataclass
class PluginAPI:
    """What a plugin's `register(api)` may call. Collects first, commits only if register succeeds."""

    name: str
    blocks: list[BlockSpec] = field(default_factory=list)

    def register_block(self, spec: BlockSpec) -> None:
        self.blocks.append(replace(spec, source=_source(self.name)))


def _source(name: str) -> str:
    """A plugin's blocks' `source`: how the palette names their origin and how a catalogue is known
    to hold the plugin already."""
    return f"plugin {name}"


_lock = threading.RLock()
_loaded: list[str] = []
_failures: list[PluginFailure] = []
_file_registers: dict[Path, Callable[[PluginAPI], Any]] = {}
"""The register function of each plugin file this process has run, so a file runs only once."""


def loaded() -> list[str]:
    return list(_loaded)


def failures() -> list[PluginFailure]:
    return list(_failures)


def _short_error(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run_plugin(catalog: Catalog, name: str, register: Callable[[PluginAPI], Any]) -> bool:
    """Call one plugin's register function and add its blocks to `catalog`; record and skip it when
    it fails (its blocks all or none)."""
    api = PluginAPI(name)
    try:
        register(api)
        catalog.register_all(api.blocks)
    except Exception as exc:  # a plugin must never take Studio down
        _failures.append(PluginFailure(name, _short_error(exc)))
        return False
    if name not in _loaded:
        _loaded.append(name)
    return True


def _holds(catalog: Catalog, name: str) -> bool:
    return any(b.source == _source(name) for b in catalog.blocks())


def _load_file(catalog: Catalog, path: Path) -> None:
    name = path.stem
    if _holds(catalog, name):
        return
    register = _file_registers.get(path.resolve())
    if register is None:
        register = _run_file(name, path)
    if register is not None:
        run_plugin(catalog, name, register)


def _run_file(name: str, path: Path) -> Callable[[PluginAPI], Any] | None:
    """Execute a plugin file as a module; its register function, or None (recorded) when it fails."""
    module_name = f"studio_plugin_{name}"
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        # Registered so that inspect.getsource works on its classes (codegen copies them).
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        register = getattr(module, "register", None)
        if not callable(register):
            raise AttributeError("the plugin defines no register(api) function")
    except Exception as exc:
        sys.modules.pop(module_name, None)
        _failures.append(PluginFailure(name, _short_error(exc)))
        return None
    _file_registers[path.resolve()] = register
    return register


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    try:
        return list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception:
        return []


def load_plugins(catalog: Catalog, folder: str | Path | None = None) -> None:
    """Register into `catalog` the plugins of `folder` (tests, a user's own folder), or without one
    the plugins folder and the `studio.plugins` entry points."""
    with _lock:
        if folder is not None:
            _load_folder(catalog, Path(folder))
            return
        from studio.core.resources import PLUGINS

        if PLUGINS.is_dir():
            _load_folder(catalog, PLUGINS)
        for ep in _entry_points():
            if _holds(catalog, ep.name):
                continue
            try:
                obj = ep.load()
                register = getattr(obj, "register", obj)
                if not callable(register):
                    raise TypeError("entry point is neither register(api) nor a module defining it")
            except Exception as exc:
                _failures.append(PluginFailure(ep.name, _short_error(exc)))
                continue
            run_plugin(catalog, ep.name, register)


def _load_folder(catalog: Catalog, folder: Path) -> None:
    for path in sorted(folder.glob("*.py")):
        if not path.name.startswith("_"):
            _load_file(catalog, path)
