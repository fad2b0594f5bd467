"""The process's block catalogue: the built-in blocks, then the plugins, built once at first use.

What a block is lives in block_spec.py and the catalogue type in catalog.py; this module builds the
one catalogue the app, the command line and generated projects share, and gives it the functions
callers use (`get_block`, `has_block`, `all_blocks`, `find_block`, `closest_block`).
It also re-exports the block types so a plugin needs only this module to write a block.

The catalogue is built explicitly, `register_builtin_blocks` then the plugins, and published only
once complete: a thread that asks while another builds waits on the lock instead of seeing a
half-filled catalogue (which made 7 of 8 threads calling get_block at first use get "unknown
block"). The thread that builds may ask again itself while plugins register (a plugin looking a
block up) and gets the catalogue being filled.
"""

from __future__ import annotations

import threading

from studio.core import plugins
from studio.core.graph import (
    blocks_basic,
    blocks_opaque,
    blocks_pretrained,
    blocks_sequence,
    heads,
    heads_detection,
)
from studio.core.graph.block_spec import (
    CATEGORIES,
    PARAM_KINDS,
    BlockSpec,
    Construct,
    ParamSpec,
    RuleContext,
    ShapeError,
    ShapeResult,
    TensorSpec,
)
from studio.core.graph.catalog import Catalog

__all__ = [
    "CATEGORIES", "PARAM_KINDS", "BlockSpec", "Catalog", "Construct", "ParamSpec", "RuleContext", "ShapeError",
    "ShapeResult", "TensorSpec", "all_blocks", "catalog", "closest_block", "find_block", "get_block",
    "has_block", "register_builtin_blocks",
]

_lock = threading.RLock()
_catalog: Catalog | None = None
"""The complete catalogue, once built."""
_building: Catalog | None = None
"""The catalogue being filled; only the building thread (which holds `_lock`) can see it."""


def register_builtin_blocks(into: Catalog) -> None:
    """Put Studio's own blocks into a catalogue, in palette order."""
    for module in (blocks_basic, blocks_sequence, heads, heads_detection, blocks_opaque, blocks_pretrained):
        into.register_all(module.BLOCKS)


def catalog() -> Catalog:
    """The process's catalogue: built-in blocks and plugins, built by the first caller."""
    global _catalog, _building
    if _catalog is not None:
        return _catalog
    with _lock:
        if _catalog is not None:
            return _catalog
        if _building is not None:
            return _building
        _building = Catalog()
        try:
            register_builtin_blocks(_building)
            plugins.load_plugins(_building)
            _catalog = _building
        finally:
            _building = None
    return _catalog


def get_block(name: str) -> BlockSpec:
    """The block of that name, or a UserError that suggests the closest name."""
    return catalog().get(name)


def find_block(name: str) -> BlockSpec | None:
    return catalog().find(name)


def has_block(name: str) -> bool:
    return name in catalog()


def closest_block(name: str) -> str | None:
    """The block name closest to a mistyped one, if any is close."""
    return catalog().closest(name)


def all_blocks() -> list[BlockSpec]:
    """Every block, palette order: by category, then by registration order."""
    return catalog().blocks()
