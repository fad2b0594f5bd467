"""The headless command line: `python -m studio SUBCOMMAND ...` (see shared contract in docs/cli.md).

Each subcommand lives in its own module under `studio.commands` with `add_arguments(parser)` and
`run(args) -> int`. A subcommand whose module is not built yet is still listed in `--help`; running
it says which capability it waits for and exits 2.

Contract for every subcommand: human text by default, one JSON object (or JSON lines for streams)
with `--json`; a user mistake exits 1 with a one-line message on stderr that names what is wrong and,
where known, how to fix it, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass

from studio import __version__
from studio.core.errors import UserError


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    waits_for: str
    """The capability (issue) that builds it, named when it is not built yet."""


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("gui", "open the desktop app (optionally on PROJECT)", "the desktop app shell"),
    Subcommand("blocks", "list the block catalogue", "the architecture graph core"),
    Subcommand("check", "validate a project's graph and infer every tensor shape", "the architecture graph core"),
    Subcommand("codegen", "write standalone PyTorch code for a project's graph", "the architecture graph core"),
    Subcommand("train", "train a project headless, streaming metrics", "the training engine"),
    Subcommand("diagnose", "run Karpathy's recipe checks on a project", "the recipe diagnostics"),
    Subcommand("cam", "write a CAM heatmap overlay for an image", "the explain panel"),
    Subcommand("predict", "the top-k classes a trained run predicts for an image", "the try-it view"),
    Subcommand("export", "export a trained run (ONNX, TorchScript, Python)", "export and model reduction"),
    Subcommand("export-script", "write a standalone PyTorch (torchrun/DDP) training script", "distributed training"),
    Subcommand("transcribe", "transcribe a WAV file or the microphone", "the audio lab"),
    Subcommand("bench", "run a benchmark and print its figures", "the benchmarks"),
    Subcommand("import", "turn a torchvision, TorchScript or ONNX model into a project", "models in (issue 15)"),
    Subcommand("few-shot", "prototypical-network N-way K-shot accuracy of an embedding run", "models in (issue 15)"),
)


_MODULES = {"import": "import_model"}
"""Subcommands whose module has another name (`import` is a Python keyword)."""


def _load(name: str):
    module = f"studio.commands.{_MODULES.get(name, name.replace('-', '_'))}"  # export-script -> export_script
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = argparse.ArgumentParser(
        prog="studio",
        description="Studio: build, train, explain and export neural networks, and explore sound. "
        "With no subcommand, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"Studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    modules: dict[str, object] = {}
    for spec in SUBCOMMANDS:
        module = _load(spec.name)
        modules[spec.name] = module
        help_text = spec.help if module is not None else f"{spec.help} (not built yet: waits for {spec.waits_for})"
        p = sub.add_parser(spec.name, help=help_text, description=help_text)
        if module is not None:
            module.add_arguments(p)
        else:
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = modules[args.command]
    if module is None:
        spec = next(s for s in SUBCOMMANDS if s.name == args.command)
        print(f"studio {spec.name}: not built yet; it waits for {spec.waits_for}.", file=sys.stderr)
        return 2
    try:
        code = int(module.run(args) or 0)
        sys.stdout.flush()  # inside the try: a reader gone by now is a broken pipe, handled below
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except UserError as exc:
        print(f"studio {args.command}: error: {exc.one_line()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"studio {args.command}: interrupted", file=sys.stderr)
        return 130


def _reader_went_away() -> int:
    """`studio blocks | head`: the reader closed the pipe, which is no error of ours to report.

    Python's documented way: point stdout at devnull so that the interpreter's final flush of
    what is still buffered does not raise again at exit, then leave quietly with status 1.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (a test's StringIO)
        pass
    return 1
