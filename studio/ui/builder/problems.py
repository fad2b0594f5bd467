"""The problems strip under the canvas: each error and warning of the graph, with a Fix button.

The text is the core's own message; the button applies the core's machine-applicable fix in one
click (and one undo step). An issue no single edit fixes (a model too big for this machine's
memory) shows the core's advice instead of a button. Clicking a problem selects its block.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.graph.infer import GraphReport
from studio.ui import theme

MAX_SHOWN = 6


class ProblemRow(QFrame):
    def __init__(self, issue, parent=None):
        super().__init__(parent)
        self.issue = issue
        self.setObjectName("problemRow")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.setSpacing(10)
        colors = theme.current_colors()
        colour = colors["danger"] if issue.severity == "error" else ("#b45309" if theme.current_theme() == "light"
                                                                   else "#f5a524")
        mark = "●" if issue.severity == "error" else "▲"
        where = f"<b>{issue.node}</b>: " if issue.node else ""
        advice = getattr(issue, "advice", None) if issue.fix is None else None
        # no one-click edit for it (a model too big for this machine): say what to do instead
        hint = f" <span style='color:{colors['muted']}'>— {_html(advice)}</span>" if advice else ""
        self.label = QLabel(f"<span style='color:{colour}'>{mark}</span>&nbsp; {where}{_html(issue.message)}{hint}")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.fix_button = None
        if issue.fix is not None:
            self.fix_button = QPushButton(self.tr("Fix: {what}").format(what=issue.fix.description))
            self.fix_button.setObjectName("problemFix")
            self.fix_button.setToolTip(issue.fix.description)
            row.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignVCenter)


class ProblemsList(QWidget):
    fix_requested = Signal(object)
    node_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("builderProblems")
        self.rows: list[ProblemRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(2)
        self.more = QLabel()
        self.more.setObjectName("Hint")
        self._layout.addWidget(self.more)

    def show_report(self, report: GraphReport) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        issues = list(report.errors) + list(report.warnings)
        for issue in issues[:MAX_SHOWN]:
            row = ProblemRow(issue, self)
            if row.fix_button is not None:
                row.fix_button.clicked.connect(lambda _c=False, f=issue.fix: self.fix_requested.emit(f))
            if issue.node:
                row.mousePressEvent = lambda _e, n=issue.node: self.node_clicked.emit(n)
            self._layout.insertWidget(len(self.rows), row)
            self.rows.append(row)
        hidden = len(issues) - MAX_SHOWN
        self.more.setVisible(hidden > 0)
        self.more.setText(self.tr("…and {n} more (see the summary)").format(n=hidden))
        self.setVisible(bool(issues))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
