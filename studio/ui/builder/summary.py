"""The summary table: one row per block with its settings, output shape, parameters and FLOPs.

Totals sit under the table rather than in a row of it, so the rows are exactly the graph's nodes
(what a reader, and a test, expects to count). Rows follow the data: a block is listed after
every block that feeds it, so one inserted by a fix appears where it sits in the flow, not last.
"""

from __future__ import annotations

import heapq
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.infer import GraphReport
from studio.core.graph.model import Graph, Node
from studio.ui.common.style import format_grouped, format_shape


def format_params(params: dict) -> str:
    """`out_channels=32, kernel_size=3`: the way the parameters read in PyTorch code."""
    parts = []
    for key, value in params.items():
        if isinstance(value, list):
            text = "(" + ", ".join(str(v) for v in value) + ")"
        elif isinstance(value, (str, dict)):
            text = json.dumps(value)
        else:
            text = str(value)
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def flow_order(graph: Graph) -> list[Node]:
    """The nodes in data-flow order: each after all that feed it.

    Among blocks whose inputs are all listed, the one highest on the canvas comes first (then the
    leftmost, then the file's order): the table reads like the canvas, top to bottom. A cycle
    does not hide its blocks: the first stuck block (in that same order) is listed and the walk
    goes on from it.
    """
    rank = {n.id: (n.pos[1], n.pos[0], i) for i, n in enumerate(graph.nodes)}
    preds: dict[str, set[str]] = {n.id: set() for n in graph.nodes}
    succs: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        if e.src in preds and e.dst in preds and e.src != e.dst and e.src not in preds[e.dst]:
            preds[e.dst].add(e.src)
            succs[e.src].append(e.dst)
    waiting = {nid: len(p) for nid, p in preds.items()}
    ready = [(rank[nid], nid) for nid, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    listed: set[str] = set()
    while len(order) < len(preds):
        if not ready:
            stuck = min((nid for nid in preds if nid not in listed), key=rank.__getitem__)
            ready.append((rank[stuck], stuck))
        _, nid = heapq.heappop(ready)
        if nid in listed:
            continue
        listed.add(nid)
        order.append(nid)
        for s in succs[nid]:
            waiting[s] -= 1
            if waiting[s] == 0 and s not in listed:
                heapq.heappush(ready, (rank[s], s))
    by_id = {n.id: n for n in graph.nodes}
    return [by_id[nid] for nid in order]


class SummaryTable(QWidget):
    COLUMNS = ("Node", "Block", "Settings", "Output shape", "Params", "FLOPs")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("builderSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("nodeTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(len(self.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.totals = QLabel()
        self.totals.setObjectName("summaryTotals")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)

    def show_report(self, graph: Graph, report: GraphReport) -> None:
        self.table.setRowCount(len(graph.nodes))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, node in enumerate(flow_order(graph)):
            info = report.nodes.get(node.id)
            cells = [node.id, node.block, format_params(node.params),
                     format_shape(info.output_shape) if info else "—",
                     format_grouped(info.params) if info else "—", format_grouped(info.flops) if info else "—"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(info.error if (info and info.error) else text)
                if col >= 4:
                    item.setTextAlignment(right)
                self.table.setItem(row, col, item)
        self.totals.setText(self.tr("Total: {n} blocks · {params} parameters · {flops} FLOPs per sample · "
                                    "{mb:.2f} MB of activations per sample").format(
            n=len(graph.nodes), params=format_grouped(report.total_params), flops=format_grouped(report.total_flops),
            mb=report.total_activation_bytes / 1e6))
