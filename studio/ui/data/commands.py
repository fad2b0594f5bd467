"""The undoable edit of a dataset's options from the Data panel's form."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from studio.ui.training.commands import SetDataField, _merge_id


class SetDatasetOptions(SetDataField):
    """Set `data.options` as a whole after the user changed one of them (`option`).

    Changing the same option again right after merges into this step (spinning the image size from
    28 to 32 is one Ctrl+Z), another option is a step of its own."""

    def __init__(self, state, options: dict[str, Any], option: str, label: str):
        super().__init__(state, "options", options)
        self._option = option
        self.setText(label)

    def id(self) -> int:
        return _merge_id(f"data.options.{self._option}")

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetDatasetOptions) or other._option != self._option:
            return False
        self._new = other._new
        return True
