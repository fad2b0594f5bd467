"""`python -m studio` run from a folder holding `csv.py` or `json.py` must not import them.

Python puts the working directory first on sys.path for `-m`, so a stray (or planted) module named
like a standard one in a downloads folder would run as soon as Studio imports that module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import studio
import studio.__main__ as studio_main

SOURCE_TREE = Path(studio.__file__).resolve().parent.parent


def _plant(folder: Path) -> list[Path]:
    markers = []
    for module in ("csv", "json"):
        marker = folder / f"marker-{module}"
        (folder / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
        markers.append(marker)
    return markers


def test_planted_stdlib_names_do_not_run_under_python_m_studio(tmp_path):
    markers = _plant(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    # the planted modules are real: a plain interpreter started here imports them
    subprocess.run([sys.executable, "-c", "import csv, json"], cwd=tmp_path, env=env, check=True, timeout=60)
    assert all(m.exists() for m in markers)
    for m in markers:
        m.unlink()

    result = subprocess.run([sys.executable, "-m", "studio", "blocks"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Conv2d" in result.stdout
    assert not any(m.exists() for m in markers), [m.name for m in markers if m.exists()]


def test_the_working_directory_entry_is_dropped_except_in_the_source_tree(tmp_path, monkeypatch):
    for first in ("", str(tmp_path)):
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(sys, "path", [first, "/some/site-packages"])
        studio_main.drop_working_directory_from_path()
        assert sys.path == ["/some/site-packages"]
    monkeypatch.setattr(sys, "path", ["/elsewhere", "/some/site-packages"])
    studio_main.drop_working_directory_from_path()  # -P / PYTHONSAFEPATH: nothing to drop
    assert sys.path == ["/elsewhere", "/some/site-packages"]
    monkeypatch.chdir(SOURCE_TREE)  # a developer running the checkout's own code keeps it
    monkeypatch.setattr(sys, "path", ["", "/some/site-packages"])
    studio_main.drop_working_directory_from_path()
    assert sys.path == ["", "/some/site-packages"]
