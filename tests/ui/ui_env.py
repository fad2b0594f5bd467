"""Paths and the subprocess environment shared by UI tests.

A named module rather than `from conftest import ...`: with several conftest.py files in the
tree, the bare name `conftest` can resolve to a sub-folder's one and break collection.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def studio_env(config: Path, **extra: str) -> dict[str, str]:
    """The environment of a Studio subprocess with its own config dir and no display."""
    env = dict(os.environ)
    env["STUDIO_CONFIG_DIR"] = str(config)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env
