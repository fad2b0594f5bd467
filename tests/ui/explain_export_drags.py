"""Dragging files over a panel page as a file manager does, for the Explain and Export page tests.

`ui_env.drop_file` drags and drops in one go; the drop-zone tests need the moment in between, while
the files hover over the page.
"""

from __future__ import annotations


def drag_over(widget, *paths) -> bool:
    """Drag `paths` into `widget` (no drop); whether the page takes them."""
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    return enter.isAccepted()


def drag_away(widget) -> None:
    """The drag leaves `widget` without dropping."""
    from PySide6.QtGui import QDragLeaveEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, QDragLeaveEvent())
