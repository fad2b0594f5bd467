"""Undoable graph edits: every change the builder makes is one of these on `state.undo_stack`.

Each command keeps the graph as it was before and after (a graph of 200 nodes copies in about a
millisecond), so undo and redo restore exactly what the user saw, for any kind of edit: adding,
wiring, deleting, pasting, a parameter, a fix, an auto-layout. The project's `Graph` object is
updated in place so anyone holding `state.project.graph` keeps seeing the current one.

Blocks an edit adds are moved clear of the others here, where every edit passes, before the
command is done the first time (so redo puts them back in the same free place).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from studio.core.graph.model import Graph, Node
from studio.ui.builder.canvas_style import NODE_H, node_fonts, node_width
from studio.ui.builder.layout import settle_new_blocks
from studio.ui.state import StateCommand

MERGE_PARAM = 5001
MERGE_MOVE = 5002


def block_size(node: Node) -> tuple[float, float]:
    """The room a block takes on the canvas (as wide as its id and type; its shape is not known yet)."""
    return (node_width(node_fonts(QApplication.font()), node.id, node.block), NODE_H)


def _install(state, snapshot: Graph) -> None:
    fresh = snapshot.copy()
    graph = state.project.graph
    graph.nodes, graph.edges, graph.groups = fresh.nodes, fresh.edges, fresh.groups
    state.notify_edited("graph")


class GraphCommand(StateCommand):
    """Replace the graph by `after`; undo puts `before` back.

    `merge_key` lets successive edits of one thing (typing digits into one parameter) collapse
    into one undo step: commands with equal keys merge.
    """

    def __init__(self, state, text: str, before: Graph, after: Graph, merge_key: tuple | None = None,
                 merge_id: int = -1):
        super().__init__(state, text)
        self.before = before.copy()
        self.after = after  # the editor built it for this command alone
        settle_new_blocks(self.before, self.after, block_size)
        self.merge_key = merge_key
        self._merge_id = merge_id if merge_key is not None else -1

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, GraphCommand) or other.merge_key != self.merge_key or self.merge_key is None:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        _install(self._state, self.after)

    def undo(self) -> None:
        _install(self._state, self.before)
