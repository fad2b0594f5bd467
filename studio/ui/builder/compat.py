"""A guard against a PySide6 6.12 reference-counting bug on Python 3.11.

With PySide6 6.12 on Python 3.11, every call of a Qt method that returns nothing (`update()`,
`setPen()`, `drawText()`, ...) releases one reference to `None` that it never took (Python 3.12+
makes `None` immortal, which hides the bug there). A canvas makes thousands of such calls per
frame, so after a few seconds of panning `None`'s count reaches zero and the interpreter aborts
with "Fatal Python error: none_dealloc". Until a fixed PySide6 is installed, we give `None` a
reference count so large that no session can use it up (2**40 calls), which is what 3.12 does.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40


def pin_none() -> bool:
    """Make `None` effectively immortal on CPython < 3.12; True when the count was raised."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value >= RESERVE:
        return False
    count.value += RESERVE
    return True
