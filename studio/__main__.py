"""Entry point of `python -m studio` and of the `studio` console script.

With no arguments it opens the desktop app (as `python main.py` does); otherwise it runs a
subcommand of the command line (see `python -m studio --help`).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from studio import cli

    if not argv:
        argv = ["gui"]
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
