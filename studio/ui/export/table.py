"""The before/after table: one column per variant, one row per figure, and how much it changed.

Figures are rows because there are many of them (size, parameters, up to eight latencies, an
accuracy per engine) and few variants; reading down a column is one model, reading across a row
is the trade-off. The change column says it in words a student can act on ("3.7× smaller"); a
latency says faster or slower only beyond the noise of timing it (`compare.latency_change`), so the
same model measured twice reads "about the same".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from studio.ui.common import style

ENGINE_ORDER = {"onnxruntime": 0, "pytorch": 1}
DEVICE_ORDER = {"cpu": 0, "cuda": 1}


def latency_label(key: str) -> str:
    engine, device, batch = key.rsplit("_", 2)
    engine_name = {"onnxruntime": "onnxruntime", "pytorch": "PyTorch"}.get(engine, engine)
    return QCoreApplication.translate("ComparisonTable", "Latency, {engine} {device}, batch {batch}").format(
        engine=engine_name, device=device.upper(), batch=batch.lstrip("b"))


def _latency_sort(key: str) -> tuple:
    engine, device, batch = key.rsplit("_", 2)
    return (DEVICE_ORDER.get(device, 9), int(batch.lstrip("b") or 0), ENGINE_ORDER.get(engine, 9))


def _ratio_text(before: float, after: float, smaller: str, larger: str) -> tuple[str, bool | None]:
    """Sizes and counts, which are exact: within 3% is "about the same"."""
    if before <= 0 or after <= 0:
        return "", None
    if 1.0 / 1.03 < after / before < 1.03:
        return QCoreApplication.translate("ComparisonTable", "about the same"), None
    if after < before:
        return smaller.format(x=f"{before / after:.2f}"), True
    return larger.format(x=f"{after / before:.2f}"), False


class ComparisonTable(QTableWidget):
    """Fill with `set_rows(rows, names)`, rows as `studio.core.export.compare` returns them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._rows: list[dict[str, Any]] = []
        self._names: list[str] = []
        self.hide()

    # --- content --------------------------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]], names: list[str], change: bool = True) -> None:
        self._rows, self._names = list(rows), list(names)
        figures = self._figures(rows)
        show_change = change and len(rows) >= 2
        headers = [QCoreApplication.translate("ComparisonTable", "Figure"), *names] + ([QCoreApplication.translate("ComparisonTable", "Change")] if show_change else [])
        self.clear()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(figures))
        for r, (label, getter, fmt, judge) in enumerate(figures):
            values = [getter(row) for row in rows]
            self._set(r, 0, label, bold=True)
            for c, value in enumerate(values, start=1):
                self._set(r, c, fmt(value))
            if show_change:
                text, better = judge(values[0], values[-1]) if None not in (values[0], values[-1]) else ("", None)
                self._set(r, len(headers) - 1, text, better=better)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        self.resizeRowsToContents()
        self._fit_height()
        self.show()

    def _set(self, row: int, column: int, text: str, bold: bool = False, better: bool | None = None) -> None:
        item = QTableWidgetItem(text)
        if bold:
            font = item.font()
            font.setWeight(font.Weight.DemiBold)
            item.setFont(font)
        if better is not None:
            item.setForeground(QBrush(style.qcolor("good" if better else "bad")))
        self.setItem(row, column, item)

    def _fit_height(self) -> None:
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2 * self.frameWidth() + 4)

    def _figures(self, rows: list[dict[str, Any]]) -> list[tuple[str, Callable, Callable, Callable]]:
        smaller, larger = QCoreApplication.translate("ComparisonTable", "{x}× smaller"), QCoreApplication.translate("ComparisonTable", "{x}× larger")
        faster, slower = QCoreApplication.translate("ComparisonTable", "{x}× faster"), QCoreApplication.translate("ComparisonTable", "{x}× slower")

        def size_judge(a, b):
            return _ratio_text(a, b, smaller, larger)

        def time_judge(key: str) -> tuple[str, bool | None]:
            from studio.core.export.compare import latency_change  # torch: imported once a table is shown

            change = latency_change(rows[0], rows[-1], key)
            if change is None:
                return "", None
            if change.kind == "same":
                return QCoreApplication.translate("ComparisonTable", "about the same"), None
            text = faster if change.kind == "faster" else slower
            return text.format(x=f"{change.factor():.2f}"), change.kind == "faster"

        def count_judge(a, b):
            if a == b:
                return QCoreApplication.translate("ComparisonTable", "same"), None
            return _ratio_text(a, b, QCoreApplication.translate("ComparisonTable", "{x}× fewer"), QCoreApplication.translate("ComparisonTable", "{x}× more"))

        def acc_judge(a, b):
            points = 100.0 * (b - a)
            if abs(points) < 0.05:
                return QCoreApplication.translate("ComparisonTable", "no change"), None
            return QCoreApplication.translate("ComparisonTable", "{sign}{p:.1f} points").format(sign="+" if points > 0 else "−", p=abs(points)), points > 0

        figures = [
            (QCoreApplication.translate("ComparisonTable", "File size"), lambda r: r.get("file_bytes"), style.format_bytes, size_judge),
            (QCoreApplication.translate("ComparisonTable", "Parameters"), lambda r: r.get("params"), style.format_grouped, count_judge),
        ]
        if any(r.get("nonzero_params") is not None for r in rows):
            figures.append((QCoreApplication.translate("ComparisonTable", "Non-zero parameters"), lambda r: r.get("nonzero_params"), style.format_grouped,
                            count_judge))
        keys = sorted({k for r in rows for k in r.get("latency_ms", {})}, key=_latency_sort)
        for key in keys:
            figures.append((latency_label(key), lambda r, k=key: r.get("latency_ms", {}).get(k),
                            style.format_ms, lambda _a, _b, k=key: time_judge(k)))
        for engine in sorted({k for r in rows for k in r.get("val_accuracy", {})}, key=lambda e: ENGINE_ORDER.get(e, 9)):
            name = {"onnxruntime": "onnxruntime", "pytorch": "PyTorch"}.get(engine, engine)
            figures.append((QCoreApplication.translate("ComparisonTable", "Validation accuracy ({engine})").format(engine=name),
                            lambda r, e=engine: r.get("val_accuracy", {}).get(e), style.format_percent, acc_judge))
        return figures

    # --- reading back (tests, copy) ------------------------------------------------------------
    def cell_text(self, figure: str, column: str) -> str:
        headers = [self.horizontalHeaderItem(c).text() for c in range(self.columnCount())]
        for r in range(self.rowCount()):
            if self.item(r, 0).text() == figure:
                return self.item(r, headers.index(column)).text()
        raise KeyError(figure)

    def figures(self) -> list[str]:
        return [self.item(r, 0).text() for r in range(self.rowCount())]

    def restyle(self) -> None:
        if self._rows:
            self.set_rows(self._rows, self._names, change=self.columnCount() > len(self._names) + 1)
