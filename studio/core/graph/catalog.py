"""A catalogue of blocks by name: what the palette lists and what a graph's nodes may name.

A `Catalog` is an object that is filled explicitly (the built-in blocks, then each plugin's) rather
than a module-level dict that importing a module fills as a side effect, so whoever builds one
decides what is in it and when it is complete (registry.py builds the process's one). Every
method takes the catalogue's lock: threads may read while another registers.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterable

from studio.core.errors import UserError
from studio.core.graph.block_spec import CATEGORIES, BlockSpec


class Catalog:
    """Blocks by unique name, in registration order."""

    def __init__(self) -> None:
        self._blocks: dict[str, BlockSpec] = {}
        self._lock = threading.RLock()

    def register(self, spec: BlockSpec) -> BlockSpec:
        """Add one block. Names are unique: the first block of a name stays, a second is refused."""
        self.register_all([spec])
        return spec

    def register_all(self, specs: Iterable[BlockSpec]) -> None:
        """Add several blocks, all or none: a plugin whose second block clashes adds not even its first."""
        specs = list(specs)
        for spec in specs:
            _check(spec)
        with self._lock:
            seen: set[str] = set()
            for spec in specs:
                if spec.name in self._blocks:
                    raise ValueError(f"a block named {spec.name} already exists ({self._blocks[spec.name].source})")
                if spec.name in seen:
                    raise ValueError(f"a block named {spec.name} already exists ({spec.source})")
                seen.add(spec.name)
            for spec in specs:
                self._blocks[spec.name] = spec

    def find(self, name: str) -> BlockSpec | None:
        """The block of that name, or None."""
        with self._lock:
            return self._blocks.get(name)

    def get(self, name: str) -> BlockSpec:
        """The block of that name, or a UserError that suggests the closest name."""
        spec = self.find(name)
        if spec is not None:
            return spec
        close = self.closest(name)
        hint = f"did you mean {close}?" if close else "run `studio blocks` for the catalogue"
        raise UserError(f"unknown block {name!r}", hint)

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._blocks

    def names(self) -> list[str]:
        """Every block's name, in registration order."""
        with self._lock:
            return list(self._blocks)

    def closest(self, name: str) -> str | None:
        """The registered name closest to a mistyped one (what "did you mean" offers), if any is close."""
        close = difflib.get_close_matches(name, self.names(), n=1)
        return close[0] if close else None

    def blocks(self) -> list[BlockSpec]:
        """Every block, palette order: by category, then by registration order."""
        order = {c: i for i, c in enumerate(CATEGORIES)}
        with self._lock:
            blocks = list(self._blocks.values())
        return sorted(blocks, key=lambda b: order.get(b.category, len(order)))


def _check(spec: BlockSpec) -> None:
    """Refuse a block the rest of Studio could not use: its name becomes code, and checking and
    compiling need its rule and construct."""
    if not spec.name.isidentifier():
        raise ValueError(f"block name {spec.name!r} must be an identifier")
    if spec.rule is None or spec.construct is None:
        raise ValueError(f"block {spec.name} needs a shape rule and a construct function")
