"""A run folder's file names are spelled in one module (studio/core/train/run_layout.py).

They used to be spelled in about nine places (the best-or-last rule three times, the layout in the
run lists, drops, the main window, the Train panel...), and each copy could drift from the trainer
that writes the files. Code elsewhere names them through `run_layout`; messages and docstrings may
still mention them in words, so only string constants that *are* a name count here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from studio.core.train import run_layout

STUDIO = Path(__file__).resolve().parents[2] / "studio"
NAMES = {run_layout.PROJECT, run_layout.LAST, run_layout.BEST, run_layout.METRICS, run_layout.SUMMARY,
         run_layout.DIAGNOSTICS, run_layout.EXPORTS}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def spelled_names(path: Path) -> list[str]:
    """`file:line name` for each string constant in `path` that is one of the run folder's names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docs = _docstrings(tree)
    return [f"{path.name}:{node.lineno} {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES
            and id(node) not in docs]


def test_only_run_layout_spells_the_run_folder_names():
    layout = Path(run_layout.__file__).resolve()
    found = [f"{path.parent.relative_to(STUDIO.parent)}/{hit}" for path in sorted(STUDIO.rglob("*.py"))
             if path.resolve() != layout for hit in spelled_names(path)]
    assert not found, "use studio.core.train.run_layout instead of:\n" + "\n".join(found)


def test_the_check_sees_a_spelled_name(tmp_path):
    """The rule itself: a path built from a literal name is caught, a message in words is not."""
    sample = tmp_path / "sample.py"
    sample.write_text('"""Reads best.pt."""\nfrom pathlib import Path\n'
                      'def f(run):\n    """best.pt or the last."""\n    print("no best.pt here")\n'
                      '    return Path(run) / "best.pt"\n', encoding="utf-8")
    assert spelled_names(sample) == ["sample.py:6 best.pt"]
