"""One module per command-line subcommand; `studio.cli` lists them and dispatches.

Each module defines `add_arguments(parser)` and `run(args) -> int`. Keeping them apart lets each
capability own its command without touching the others.
"""
