"""The open project: the document being edited, its checked training config, and per-part change events.

Whatever shows or changes the open project goes through one `OpenProject`: the window's panels
(through `studio.ui.state.AppState`, which turns its events into Qt signals) and scripts or tests that
drive a session without Qt. It exists for two reasons:

- the training section is read into a `TrainConfig` in this one place, and checked when the project
  is opened: a bad value is refused then, naming the key, not later in the training worker; and the
  form, the Train summary, the data preview and the trainer all see the same defaults;
- listeners subscribe to the parts they show ("graph", "training", ...), so renaming the project
  does not reload the data preview.

Edits are made on `document` (by the UI's undo commands) and announced with `changed(part)`.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from pathlib import Path

from studio.core.errors import UserError
from studio.core.project import Project, ProjectError
from studio.core.train.config import RunOptions, TrainConfig

PARTS = ("name", "description", "graph", "data", "training")
"""The parts of a project that change on their own (one undo step changes one of them)."""
WHOLE = "project"
"""What listeners hear when a different project was opened in place of this one: every part changed."""

Listener = Callable[[str], None]


def _read_training(document: Project, source: str | None = None) -> TrainConfig:
    """The document's training config; a bad value (run options included) is a `ProjectError`
    naming the project, the key and what to write instead."""
    try:
        RunOptions.from_dict(document.training)  # a project may set its runs' defaults; they must be valid too
        return TrainConfig.from_dict(document.training)
    except UserError as exc:
        raise ProjectError(f"{source or document.name}: {exc.message}", exc.fix) from exc


class OpenProject:
    """The project being edited, where it is saved, and who wants to hear when a part of it changes."""

    def __init__(self, document: Project | None = None, path: str | os.PathLike[str] | None = None):
        document = document or Project()
        self._config: TrainConfig | None = _read_training(document, str(path) if path else None)
        self.document = document
        self.path: Path | None = Path(path).resolve() if path else None
        """The file the project was opened from or last saved to (None: never saved)."""
        self._listeners: list[tuple[frozenset[str], Callable[[], Listener | None]]] = []

    # --- reading -------------------------------------------------------------------------------
    @property
    def train_config(self) -> TrainConfig:
        """The training config as the trainer will read it (defaults filled in, values checked)."""
        if self._config is None:  # the training section changed since it was last read
            self._config = _read_training(self.document, str(self.path) if self.path else None)
        return self._config

    # --- changing ------------------------------------------------------------------------------
    def replace(self, document: Project, path: str | os.PathLike[str] | None = None) -> None:
        """Open `document` in place of the current one; a bad training value refuses it, and then
        nothing changed."""
        config = _read_training(document, str(path) if path else None)
        self.document, self._config = document, config
        self.path = Path(path).resolve() if path else None
        self._tell(WHOLE)

    def changed(self, part: str) -> None:
        """Announce that `part` of `document` was just changed (by an edit, its undo or its redo)."""
        if part not in PARTS:
            raise ValueError(f"not a part of a project: {part!r} (one of {', '.join(PARTS)})")
        if part == "training":
            self._config = None
        self._tell(part)

    # --- listening -----------------------------------------------------------------------------
    def subscribe(self, listener: Listener, *parts: str) -> None:
        """Call `listener(part)` after one of `parts` changed (all of them when none are named), and
        `listener(WHOLE)` after a different project was opened.

        A bound method is held weakly: its object usually holds this session (the window's state
        does), and a strong reference back would make a reference cycle. Python frees such cycles in
        an order Qt cannot follow when the object is a QObject with children (a crash in the
        garbage collector, seen as a segmentation fault in the UI tests). Its listening ends with
        the object.
        """
        unknown = set(parts) - set(PARTS)
        if unknown:
            raise ValueError(f"not a part of a project: {', '.join(sorted(unknown))} (one of {', '.join(PARTS)})")
        held = weakref.WeakMethod(listener) if hasattr(listener, "__func__") else (lambda: listener)
        self._listeners.append((frozenset(parts or PARTS) | {WHOLE}, held))

    def _tell(self, part: str) -> None:
        self._listeners = [(parts, held) for parts, held in self._listeners if held() is not None]
        for parts, held in list(self._listeners):
            listener = held()
            if listener is not None and part in parts:
                listener(part)
