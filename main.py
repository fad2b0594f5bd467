"""Launch the Studio desktop app: `python main.py [PROJECT]`."""

import sys

from studio.__main__ import main

if __name__ == "__main__":
    sys.exit(main(["gui", *sys.argv[1:]]))
