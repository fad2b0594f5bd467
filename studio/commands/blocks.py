"""`studio blocks [--json]`: the block catalogue, as the Build panel's palette shows it."""

from __future__ import annotations

import argparse
import json
import re


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--category", help="only blocks of this category (e.g. Convolution)")


def run(args: argparse.Namespace) -> int:
    import sys

    from studio.core import plugins
    from studio.core.errors import UserError
    from studio.core.graph.registry import CATEGORIES, all_blocks

    blocks = all_blocks()
    if args.category:
        wanted = args.category.lower()
        blocks = [b for b in blocks if b.category.lower() == wanted]
        if not blocks:
            known = sorted({b.category for b in all_blocks()}, key=lambda c: (c not in CATEGORIES, c))
            raise UserError(f"no blocks in category {args.category!r}", f"use one of {', '.join(known)}")
    failures = plugins.failures()
    if args.json:
        print(json.dumps({
            "count": len(blocks),
            "categories": sorted({b.category for b in blocks}, key=lambda c: (c not in CATEGORIES, c)),
            "blocks": [b.to_dict() for b in blocks],
            "plugins": {"loaded": plugins.loaded(), "failed": [f.to_dict() for f in failures]},
        }))
        return 0
    current = None
    for b in blocks:
        if b.category != current:
            current = b.category
            print(f"\n{current}")
        params = ", ".join(f"{p.name}={list(p.default) if isinstance(p.default, tuple) else p.default}"
                           for p in b.params)
        origin = f"  [{b.source}]" if b.source != "builtin" else ""
        print(f"  {b.name:<24} {params}{origin}")
        first = re.split(r"(?<!e\.g)\.\s+(?=[A-Z])", b.doc)[0].rstrip(".")
        print(f"  {'':<24} {first}.")
    print(f"\n{len(blocks)} blocks")
    for f in failures:
        print(f"studio blocks: plugin {f.name} was skipped: {f.error}", file=sys.stderr)
    return 0
