"""Plugins: extra blocks (and later datasets, recognizers) without touching Studio's code.

A plugin is a Python file dropped in the `plugins/` folder, or an installed package exposing an
entry point in the group `studio.plugins`. Either way it provides a `register(api)` function (an
entry point may also point straight at such a function); `api.register_block(spec)` adds a block,
`api.add(kind, name, obj)` contributes anything else for other parts of Studio to pick up with
`contributions(kind)`.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    blocks: list[Any] = field(default_factory=list)
    extras: list[tuple[str, str, Any]] = field(default_factory=list)

    def register_block(self, spec: Any) -> None:
        from dataclasses import replace

        self.blocks.append(replace(spec, source=f"plugin {self.name}"))

    def add(self, kind: str, name: str, obj: Any) -> None:
        self.extras.append((kind, name, obj))


_lock = threading.RLock()
_loaded: list[str] = []
_failures: list[PluginFailure] = []
_contributions: dict[str, dict[str, Any]] = {}
_done = False


def loaded() -> list[str]:
    return list(_loaded)


def failures() -> list[PluginFailure]:
    return list(_failures)


def contributions(kind: str) -> dict[str, Any]:
    """Things plugins added under `kind` (e.g. "dataset", "recognizer"), by name."""
    load_plugins()
    return dict(_contributions.get(kind, {}))


def _short_error(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _commit(api: PluginAPI) -> None:
    from studio.core.graph.registry import _BLOCKS, register_block

    clashes = [b.name for b in api.blocks if b.name in _BLOCKS]
    if clashes:
        raise ValueError(f"block name {clashes[0]} already exists")
    for spec in api.blocks:
        register_block(spec)
    for kind, name, obj in api.extras:
        _contributions.setdefault(kind, {})[name] = obj


def run_plugin(name: str, register: Callable[[PluginAPI], Any]) -> bool:
    """Call one plugin's register function; record and skip it when it fails."""
    api = PluginAPI(name)
    try:
        register(api)
        _commit(api)
    except Exception as exc:  # a plugin must never take Studio down
        _failures.append(PluginFailure(name, _short_error(exc)))
        return False
    _loaded.append(name)
    return True


def _load_file(path: Path) -> None:
    name = path.stem
    if name in _loaded:
        return
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
        return
    run_plugin(name, register)


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    try:
        return list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception:
        return []


def load_plugins(folder: str | Path | None = None, *, force: bool = False) -> None:
    """Load the plugins folder and the `studio.plugins` entry points, once per process.

    With `folder` (tests, a user's own folder) that folder is loaded now, in addition.
    """
    global _done
    with _lock:
        if folder is not None:
            for path in sorted(Path(folder).glob("*.py")):
                if not path.name.startswith("_"):
                    _load_file(path)
            return
        if _done and not force:
            return
        _done = True
        from studio.core.graph.registry import _ensure_loaded
        from studio.core.resources import PLUGINS

        _ensure_loaded()
        if PLUGINS.is_dir():
            for path in sorted(PLUGINS.glob("*.py")):
                if not path.name.startswith("_"):
                    _load_file(path)
        for ep in _entry_points():
            if ep.name in _loaded:
                continue
            try:
                obj = ep.load()
                register = getattr(obj, "register", obj)
                if not callable(register):
                    raise TypeError("entry point is neither register(api) nor a module defining it")
            except Exception as exc:
                _failures.append(PluginFailure(ep.name, _short_error(exc)))
                continue
            run_plugin(ep.name, register)
