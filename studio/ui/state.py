"""The shared app state every panel receives: the open project, its file, and its undo history.

The open project itself is a Qt-free `studio.app.project.OpenProject` (`state.session`); this object
adds what only the window has, the undo history and the unsaved flag, and turns the session's change
events into Qt signals, so a panel's connection ends with the panel.

Panels never hold their own copy of the project: they read `state.project` (and its checked
training config, `state.train_config`), change it only by pushing undoable edits
(`state.edit_field(...)` or their own QUndoCommand on `state.undo_stack` that calls
`state.notify_edited(part)` after changing the project), and redraw on `project_replaced` (a
different project was opened) and `project_edited` (a part of the open one changed; the part is
passed, so a panel can ignore the parts it does not show).
"""

from __future__ import annotations

import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.app.project import WHOLE, OpenProject
from studio.core.project import Project
from studio.core.train.config import TrainConfig

EDITABLE_FIELDS = ("name", "description")


class StateCommand(QUndoCommand):
    """An undoable edit of the open project, pushed on `state.undo_stack`.

    It holds the state weakly. The state's undo stack owns its commands, so a strong reference back
    makes a cycle (state → stack → command → state) that Python's garbage collector frees in an
    order Qt cannot follow: clearing the command's attributes frees the state, whose stack then
    deletes the half-freed command again (a segmentation fault in QUndoStack::clear). Every edit
    of the project subclasses this one instead of keeping `state` itself.
    """

    def __init__(self, state: AppState, text: str = ""):
        super().__init__(text)
        self._state_ref = weakref.ref(state)

    @property
    def _state(self) -> AppState:
        state = self._state_ref()
        if state is None:  # only the stack of a live state runs its commands
            raise RuntimeError("an undo command outlived the project state it edits")
        return state


class SetProjectField(StateCommand):
    """Change one top-level text field of the project; consecutive typing merges into one step."""

    _MERGE_IDS = {name: 1000 + i for i, name in enumerate(EDITABLE_FIELDS)}

    def __init__(self, state: AppState, field: str, new_value: str):
        super().__init__(state)
        self._field = field
        self._old = getattr(state.project, field)
        self._new = new_value
        label = {"name": QCoreApplication.translate("AppState", "Rename project"),
                 "description": QCoreApplication.translate("AppState", "Edit description")}[field]
        self.setText(label)

    def id(self) -> int:
        return self._MERGE_IDS[self._field]

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetProjectField) or other._field != self._field:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._state._apply_field(self._field, self._new)

    def undo(self) -> None:
        self._state._apply_field(self._field, self._old)


class AppState(QObject):
    """The open project plus where it lives on disk and whether it has unsaved changes."""

    project_replaced = Signal()
    project_edited = Signal(str)
    """Emitted with the part that changed: one of studio.app.project.PARTS."""
    path_changed = Signal()
    dirty_changed = Signal(bool)
    run_started = Signal(object)
    """A training of this project began writing the run folder (a Path) passed along."""
    run_ended = Signal(object)
    """That training finished, stopped or failed; its run folder holds what was saved."""

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.session = OpenProject(project)
        self.undo_stack = QUndoStack(self)
        self._forced_dirty = False
        self._opening_dirty = False
        self._last_dirty = False
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.session.subscribe(self._on_session_changed)

    # --- queries -----------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self.session.document

    @property
    def train_config(self) -> TrainConfig:
        """The open project's training config, defaults filled in, as the trainer will read it."""
        return self.session.train_config

    @property
    def path(self) -> Path | None:
        return self.session.path

    @property
    def dirty(self) -> bool:
        return self._forced_dirty or not self.undo_stack.isClean()

    def display_name(self) -> str:
        return self.path.name if self.path else self.tr("Untitled")

    # --- changes -----------------------------------------------------------------------------
    def replace(self, project: Project, path: Path | None, dirty: bool = False) -> None:
        """Show a different project (opened, new, or restored from an autosave); a bad training
        value refuses it (a `ProjectError`) and leaves the open one as it was."""
        self._opening_dirty = dirty
        try:
            self.session.replace(project, path)
        finally:
            self._opening_dirty = False

    def mark_saved(self, path: Path) -> None:
        self.session.path = Path(path).resolve()
        self._forced_dirty = False
        self.undo_stack.setClean()
        self.path_changed.emit()
        self._emit_dirty()

    def edit_field(self, field: str, value: str) -> None:
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable project field: {field}")
        if getattr(self.project, field) == value:
            return
        self.undo_stack.push(SetProjectField(self, field, value))

    def _apply_field(self, field: str, value: str) -> None:
        setattr(self.project, field, value)
        self.notify_edited(field)

    def notify_edited(self, part: str) -> None:
        """Called by every undo command after it changed `part` of `self.project` (redo and undo alike)."""
        self.session.changed(part)

    def _on_session_changed(self, part: str) -> None:
        if part != WHOLE:
            self.project_edited.emit(part)
            return
        # A different project: the history of the previous one cannot be undone on it.
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._forced_dirty = self._opening_dirty
        self.project_replaced.emit()
        self.path_changed.emit()
        self._emit_dirty()

    def _on_clean_changed(self, _clean: bool) -> None:
        try:
            self._emit_dirty()
        except RuntimeError:
            pass  # the stack announces itself clean while Qt tears it down at exit

    def _emit_dirty(self) -> None:
        dirty = self.dirty
        if dirty != self._last_dirty:
            self._last_dirty = dirty
            self.dirty_changed.emit(dirty)
