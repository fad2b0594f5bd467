"""A panel page that takes files dropped anywhere on it, lighting its drop zone while they hover.

The main window routes drops that land outside a panel (`studio.ui.drops`); a page that has a drop
zone of its own takes the files dropped on it directly, so a user can drop an image straight onto
the card that shows it. What a page accepts, in which order several files are opened and what
opening one means is the page's own; the drag plumbing is the same everywhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def dropped_paths(event) -> list[Path]:
    """The local files and folders a drag carries (none for text or remote URLs)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


class FileDrops:
    """Mixed into a widget ahead of its Qt base: `class P(FileDrops, PanelPage)` for a panel page (a
    scroll area), `class Pad(FileDrops, QWidget)` for a widget that is itself the drop zone.

    The widget says what it takes (`accepts_file`), how the hover shows (`show_hover`; by default a
    `hover` property on `drop_zone()` for the style sheet), which of several files goes first
    (`drop_order`), whether it takes only that one (`single_file`) and what a file does
    (`open_file`). A mixin rather than a page class so that `studio.ui.panels` keeps importing it,
    not the other way round.
    """

    single_file = False
    """True where one file at a time makes sense (a picture to try): only the first, in drop order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setAcceptDrops(True)
        viewport = getattr(self, "viewport", None)
        if callable(viewport):
            viewport().setAcceptDrops(True)  # a scroll area receives drags through its viewport

    # subclasses -------------------------------------------------------------------------------
    def accepts_file(self, path: Path) -> bool:
        raise NotImplementedError

    def drop_zone(self) -> QWidget:
        raise NotImplementedError

    def drop_order(self, path: Path) -> object:
        """Sort key of a dropped file: files that others depend on (a model, a run) sort first."""
        return 0

    def open_file(self, path: Path) -> bool:
        raise NotImplementedError

    # drag plumbing ----------------------------------------------------------------------------
    def _usable(self, event) -> list[Path]:
        return [p for p in dropped_paths(event) if self.accepts_file(p)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._usable(event):
            event.acceptProposedAction()
            self.show_hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._usable(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self.show_hover(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.show_hover(False)
        files = sorted(self._usable(event), key=self.drop_order)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        for path in files[:1] if self.single_file else files:
            self.open_file(path)

    def show_hover(self, on: bool) -> None:
        zone = self.drop_zone()
        zone.setProperty("hover", "true" if on else "false")
        zone.style().unpolish(zone)  # re-read the style sheet's [hover="true"] rule
        zone.style().polish(zone)
