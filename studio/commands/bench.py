"""`studio bench NAME [...]`: run a benchmark from bench/ and print its figures.

Benchmarks live as plain scripts in bench/bench_<name>.py (so they also run as
`python bench/bench_<name>.py`). Each exposes `run(argv) -> dict`; this command forwards the
remaining arguments and prints the dict as text, or as one JSON object with --json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from studio.core.errors import UserError

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="which benchmark: " + ", ".join(available() or ["(none yet)"]))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="options passed to the benchmark (e.g. --device cuda)")


def run(args: argparse.Namespace) -> int:
    path = BENCH_DIR / f"bench_{args.name}.py"
    if not path.exists():
        raise UserError(f"no benchmark named {args.name!r}", f"choose one of: {', '.join(available())}")
    spec = importlib.util.spec_from_file_location(f"bench_{args.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rest = list(args.args)
    as_json = args.json or "--json" in rest
    rest = [a for a in rest if a != "--json"]
    figures = module.run(rest)
    if as_json:
        print(json.dumps(figures))
    else:
        for key, value in _flatten(figures):
            print(f"{key}: {value}")
    return 0


def _flatten(figures: dict, prefix: str = ""):
    """Nested figures as dotted keys (`cpu.samples_per_s: 812.3`), readable in a terminal."""
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")
        else:
            yield name, value
