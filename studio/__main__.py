"""Entry point of `python -m studio` and of the `studio` console script.

With no arguments it opens the desktop app (as `python main.py` does); otherwise it runs a
subcommand of the command line (see `python -m studio --help`).
"""

from __future__ import annotations

import sys


def drop_working_directory_from_path() -> None:
    """Remove the working directory that `python -m` puts first on sys.path.

    Otherwise a `csv.py` or `json.py` lying in the folder the user runs Studio from (a downloads
    folder, a data set someone sent) would be imported in place of the standard module and run.
    Kept when the working directory is the source tree holding this `studio` package: a developer
    running the checkout imports its own code. This runs before anything else is imported; `os` is
    already loaded by the interpreter's start-up, so importing it does not search sys.path.
    """
    import os

    if not sys.path:
        return
    first = sys.path[0]
    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:  # the working directory was deleted: nothing there can be imported anyway
        cwd = None
    if first not in ("", ".") and (cwd is None or os.path.realpath(first) != cwd):
        return  # started with -P / PYTHONSAFEPATH, or the entry is not the working directory
    source_tree = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    if cwd is not None and cwd == source_tree:
        return
    del sys.path[0]


if __name__ == "__main__":
    drop_working_directory_from_path()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from studio import cli

    if not argv:
        argv = ["gui"]
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
