"""Undoable edits of the training config, the augmentation toggles and the graph's dropout rates.

Every change in the Train form is one of these on `state.undo_stack`; typing or spinning the same
field again merges into the same step, so one Ctrl+Z undoes "set the LR to 0.003", not each digit.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from studio.ui.state import StateCommand

_MERGE_BASE = 6100
_merge_ids: dict[str, int] = {}


def _merge_id(key: str) -> int:
    return _merge_ids.setdefault(key, _MERGE_BASE + len(_merge_ids))


class _SetSection(StateCommand):
    """Set (or remove, with value None) one key of a dict section of the project."""

    SECTION = "training"
    NULLABLE: frozenset[str] = frozenset()
    """Keys whose None is a value written as null (not a removal)."""

    def __init__(self, state, key: str, value: Any, label: str):
        super().__init__(state)
        self._key = key
        section = self._section()
        self._had = key in section
        self._old = copy.deepcopy(section.get(key))
        self._new = copy.deepcopy(value)
        self.setText(label)

    def _section(self) -> dict[str, Any]:
        return getattr(self._state.project, self.SECTION)

    def id(self) -> int:
        return _merge_id(f"{self.SECTION}.{self._key}")

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or other._key != self._key:
            return False
        self._new = other._new
        return True

    def _apply(self, present: bool, value: Any) -> None:
        section = self._section()
        if present and (value is not None or self._key in self.NULLABLE):
            section[self._key] = copy.deepcopy(value)
        else:
            section.pop(self._key, None)
        self._state.notify_edited(self.SECTION)

    def redo(self) -> None:
        self._apply(True, self._new)

    def undo(self) -> None:
        self._apply(self._had, self._old)


class SetTrainingField(_SetSection):
    SECTION = "training"
    NULLABLE = frozenset({"seed"})  # "seed": null asks each run to draw its own; absent means seed 0

    def __init__(self, state, key: str, value: Any):
        super().__init__(state, key, value, QCoreApplication.translate("Train", "Set {key}").format(key=key))


class SetAugment(StateCommand):
    """One augmentation toggle in `project.data["augment"]` (0 / False removes it)."""

    def __init__(self, state, key: str, value: Any):
        super().__init__(state)
        self._key = key
        augment = state.project.data.get("augment") or {}
        self._old = copy.deepcopy(augment)
        self._value = value
        self.setText(QCoreApplication.translate("Train", "Set augmentation {key}").format(key=key))

    def id(self) -> int:
        return _merge_id(f"augment.{self._key}")

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetAugment) or other._key != self._key:
            return False
        self._value = other._value
        return True

    def redo(self) -> None:
        augment = dict(self._state.project.data.get("augment") or {})
        if self._value:
            augment[self._key] = self._value
        else:
            augment.pop(self._key, None)
        self._state.project.data["augment"] = augment
        self._state.notify_edited("data")

    def undo(self) -> None:
        self._state.project.data["augment"] = copy.deepcopy(self._old)
        self._state.notify_edited("data")


class SetDataField(_SetSection):
    SECTION = "data"

    def __init__(self, state, key: str, value: Any):
        super().__init__(state, key, value, QCoreApplication.translate("Data", "Set {key}").format(key=key))


def dropout_nodes(project) -> list:
    return [n for n in project.graph.nodes if n.block == "Dropout"]


class SetDropout(StateCommand):
    """Set p of every Dropout block of the graph (the form's one dropout knob)."""

    def __init__(self, state, p: float):
        super().__init__(state)
        self._old = {n.id: n.params.get("p") for n in dropout_nodes(state.project)}
        self._new = float(p)
        self.setText(QCoreApplication.translate("Train", "Set dropout"))

    def id(self) -> int:
        return _merge_id("graph.dropout")

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetDropout):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        for node in dropout_nodes(self._state.project):
            node.params["p"] = self._new
        self._state.notify_edited("graph")

    def undo(self) -> None:
        for node in dropout_nodes(self._state.project):
            old = self._old.get(node.id)
            if old is None:
                node.params.pop("p", None)
            else:
                node.params["p"] = old
        self._state.notify_edited("graph")
