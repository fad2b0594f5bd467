"""Build: the project's name, description and architecture.

For now the architecture is shown as a table of nodes (id, block, parameters) read straight from
the project; the block canvas of the architecture-graph issue replaces that table. The name and
description editors push undoable edits onto the shared undo stack.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from studio.ui.panels.base import PanelPage, fact_label
from studio.ui.state import AppState


def format_params(params: dict) -> str:
    """`out_channels=32, kernel_size=3` — the way the parameters read in PyTorch code."""
    parts = []
    for key, value in params.items():
        text = json.dumps(value) if isinstance(value, (str, dict)) else str(value).replace(" ", "")
        if isinstance(value, list):
            text = "(" + ", ".join(str(v) for v in value) + ")"
        parts.append(f"{key}={text}")
    return ", ".join(parts)


class BuildPanel(PanelPage):
    KEY = "build"

    @classmethod
    def title(cls) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("BuildPanel", "Build")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self._syncing = False
        self.add_header(self.tr("Build"), self.tr(
            "Assemble a network from blocks. Every block shows its output shape and parameter count, "
            "and a wrong size is caught here instead of in the middle of training."))

        form = self.add_facts()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("projectName")
        self.name_edit.setPlaceholderText(self.tr("Project name"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("projectDescription")
        self.description_edit.setPlaceholderText(self.tr("What this project is about"))
        self.description_edit.setFixedHeight(96)
        form.addRow(fact_label(self.tr("Name")), self.name_edit)
        form.addRow(fact_label(self.tr("Description")), self.description_edit)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.graph_title = self.add_section(self.tr("Architecture"))
        self.node_table = QTableWidget(0, 3)
        self.node_table.setObjectName("nodeTable")
        self.node_table.setHorizontalHeaderLabels([self.tr("Node"), self.tr("Block"), self.tr("Parameters")])
        self.node_table.verticalHeader().setVisible(False)
        self.node_table.setAlternatingRowColors(True)
        self.node_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.node_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.node_table.setShowGrid(False)
        self.node_table.setWordWrap(False)
        header = self.node_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.body.addWidget(self.node_table)
        self.edges_label = self.add_hint("")
        self.add_hint(self.tr("The block canvas (drag blocks, wire ports, see shapes live) arrives with "
                              "the architecture graph core."))

        self.name_edit.textEdited.connect(lambda text: self._edit("name", text))
        self.description_edit.textChanged.connect(
            lambda: self._edit("description", self.description_edit.toPlainText()))
        state.project_replaced.connect(self.refresh)
        state.project_edited.connect(self._on_edited)
        self.refresh()

    def _edit(self, field: str, value: str) -> None:
        if not self._syncing:
            self.state.edit_field(field, value)

    def _on_edited(self, field: str) -> None:
        if field in ("name", "description"):
            self._sync_texts()
        else:
            self.refresh()

    def _sync_texts(self) -> None:
        """Show the project's texts without echoing them back as new edits (undo/redo, open)."""
        project = self.state.project
        self._syncing = True
        try:
            if self.name_edit.text() != project.name:
                self.name_edit.setText(project.name)
            if self.description_edit.toPlainText() != project.description:
                self.description_edit.setPlainText(project.description)
        finally:
            self._syncing = False

    def refresh(self, *_args: object) -> None:
        self._sync_texts()
        graph = self.state.project.graph
        self.node_table.setRowCount(len(graph.nodes))
        for row, node in enumerate(graph.nodes):
            for col, text in enumerate((node.id, node.block, format_params(node.params))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.node_table.setItem(row, col, item)
        self.node_table.resizeRowsToContents()
        frame = 2 * self.node_table.frameWidth()
        rows_height = self.node_table.verticalHeader().length() if graph.nodes else 3 * 30
        self.node_table.setFixedHeight(self.node_table.horizontalHeader().sizeHint().height() + rows_height + frame)
        n_nodes, n_edges = len(graph.nodes), len(graph.edges)
        self.graph_title.setText(self.tr("Architecture — 1 node") if n_nodes == 1 else
                                 self.tr("Architecture — {n} nodes").format(n=n_nodes))
        self.edges_label.setText(self.tr("1 connection between nodes.") if n_edges == 1 else
                                 self.tr("{n} connections between nodes.").format(n=n_edges))
