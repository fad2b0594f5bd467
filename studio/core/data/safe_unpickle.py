"""Read pickled data files (the CIFAR-10 python batches) without running code from them.

A pickle is a small program: each global it names is imported and may be called, so a plain
`pickle.load` of a file someone handed over runs whatever they wrote into it (`os.system`, `exec`
...). A project's `data.options.root` can point at any folder, so the CIFAR reader must not trust the
files it finds there. This unpickler resolves only the globals that plain data needs: built-in
containers and numbers come from pickle opcodes without any global, and the few names below rebuild
numpy arrays (both numpy 1.x's `numpy.core` and numpy 2.x's `numpy._core` spellings, as the real
CIFAR-10 files were written by numpy 1.x under Python 2) and bytes written by Python 3 at protocol 2.
Any other global is refused with a UserError naming the file and the global; nothing is imported.
"""

from __future__ import annotations

import _codecs
import _compat_pickle
import builtins
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.errors import UserError


def _numpy_attr(modules: tuple[str, ...], name: str) -> Any:
    """The object behind `module.name` for the first of `modules` this numpy has (2.x, then 1.x)."""
    import importlib

    for module in modules:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    raise AttributeError(f"numpy has no {name} in {', '.join(modules)}")


_MULTIARRAY = ("numpy._core.multiarray", "numpy.core.multiarray")
_NUMERIC = ("numpy._core.numeric", "numpy.core.numeric")


def _allowed() -> dict[tuple[str, str], Any]:
    """(module, name) as written in a pickle -> the object it stands for. Looked up once per load so
    the deprecated `numpy.core` modules of numpy 2 are never imported: both spellings map to the same
    function of whichever numpy is installed."""
    reconstruct = _numpy_attr(_MULTIARRAY, "_reconstruct")  # ndarray.__reduce__ at protocols 0-4
    frombuffer = _numpy_attr(_NUMERIC, "_frombuffer")  # ndarray.__reduce_ex__ at protocol 5
    table: dict[tuple[str, str], Any] = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        # Python 3 writes bytes at protocol 2 as _codecs.encode(text, "latin1")
        ("_codecs", "encode"): _codecs.encode,
    }
    for module in _MULTIARRAY:
        table[(module, "_reconstruct")] = reconstruct
    for module in _NUMERIC:
        table[(module, "_frombuffer")] = frombuffer
    for module in ("builtins", "__builtin__"):  # containers that need a global below protocol 4
        for name in ("set", "frozenset", "bytearray"):
            table[(module, name)] = getattr(builtins, name)
    return table


def _python3_name(module: str, name: str) -> tuple[str, str]:
    """The Python 3 spelling of a global a protocol-2 pickle names (`commands.call` is
    `subprocess.call`), so the message says what the file really asked for."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class _DataUnpickler(pickle.Unpickler):
    def __init__(self, fh, path: Path, allowed: dict[tuple[str, str], Any]):
        super().__init__(fh, encoding="latin1")
        self._path = path
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self._allowed[(module, name)]
        except KeyError:
            module, name = _python3_name(module, name)
            raise UserError(
                f"{self._path} is not a plain data file: it asks to run {module}.{name}, which was refused",
                "replace it with the original file (or delete it and set data option download=true); "
                "never load pickles from an untrusted source",
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        raise UserError(f"{self._path} is not a plain data file (it refers to outside objects)",
                        "replace it with the original file")


def load_data_pickle(path: str | os.PathLike[str], what: str = "a pickled data file") -> Any:
    """Unpickle `path` admitting only containers, strings, numbers and numpy arrays.

    A refused global raises UserError naming the file and the global; a damaged file raises
    UserError saying the file is not `what`.
    """
    path = Path(path)
    allowed = _allowed()
    with open(path, "rb") as fh:
        try:
            return _DataUnpickler(fh, path, allowed).load()
        except UserError:
            raise
        except Exception as exc:  # truncated or garbage files fail in many ways; the advice is the same
            raise UserError(f"{path} is not {what} ({type(exc).__name__}: {exc})".replace("\n", " "),
                            "download it again") from exc
