"""The core imports in one direction: no module of studio.core imports one that imports it back.

The block catalogue was the circle (registry imported the block modules and plugins to fill itself,
and they imported the registry to register into it); shape inference and the memory check were
another. A circle makes import order matter, which is how the catalogue came to race at first use.
"""

from __future__ import annotations

import grimp


def test_no_module_of_core_is_part_of_an_import_circle():
    graph = grimp.build_graph("studio", cache_dir=None)
    core = sorted(m for m in graph.modules if m.startswith("studio.core"))
    circles = []
    for module in core:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("studio.core") and graph.chain_exists(importer=imported, imported=module):
                circles.append(" -> ".join(graph.find_shortest_chain(importer=imported, imported=module)) +
                               f" -> {imported}")
    assert circles == []


def test_block_modules_and_plugins_do_not_import_the_registry():
    graph = grimp.build_graph("studio", cache_dir=None)
    for module in ("studio.core.graph.blocks_basic", "studio.core.graph.blocks_sequence", "studio.core.graph.heads",
                   "studio.core.plugins", "studio.core.graph.catalog"):
        assert not graph.chain_exists(importer=module, imported="studio.core.graph.registry"), module
