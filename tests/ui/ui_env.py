"""Paths, the subprocess environment and a file-drop helper shared by UI tests.

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


def drop_file(widget, path) -> tuple[bool, bool]:
    """Drag `path` over `widget` and drop it, as a file manager does; (enter accepted, drop accepted)."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():  # Qt delivers no drop to a widget that refused the drag (and a main
        return False, False     # window handed one anyway once crashed inside Qt, under xdist)
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()
