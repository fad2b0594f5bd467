"""The problems strip under the canvas: each error and warning of the graph, with a Fix button.

The text is the core's own message; the button applies the core's machine-applicable fix in one
click (and one undo step). An issue no single edit fixes (a model too big for this machine's
memory) shows the core's advice instead of a button. Clicking a problem selects its block.

The strip never takes more than `STRIP_SHARE` of the page it sits on: past that its rows scroll
inside it, so a graph with a dozen problems still leaves the canvas most of the page (issue 20).
Errors and warnings carry their own mark and colour (`SEVERITY_MARKS`, `severity_colours`), the
same here and in the inspector, so an amber warning never reads as a red error.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from studio.core.graph.infer import GraphReport
from studio.ui import theme
from studio.ui.common import style

MAX_SHOWN = 60
"""Rows built at most; the rest are counted ("…and 12 more"). The strip scrolls through these."""
STRIP_SHARE = 0.25
"""The largest part of its page's height the strip may take before its rows scroll."""

SEVERITY_MARKS = {"error": "●", "warning": "▲"}
"""The mark drawn before a problem: a dot for an error, a triangle for a warning (not colour alone)."""


def severity_colours(severity: str) -> dict[str, str]:
    """Text/mark, background and border colours of a problem of `severity` in the current theme."""
    c = style.colors()
    kind = "fail" if severity == "error" else "warn"
    return {"fg": c[f"{kind}_fg"], "bg": c[f"{kind}_bg"], "border": c[f"{kind}_border"]}


class ProblemRow(QFrame):
    def __init__(self, issue, parent=None):
        super().__init__(parent)
        self.issue = issue
        self.setObjectName("problemRow")
        self.setProperty("severity", issue.severity)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.setSpacing(10)
        colour = severity_colours(issue.severity)["fg"]
        mark = SEVERITY_MARKS.get(issue.severity, SEVERITY_MARKS["warning"])
        where = f"<b>{issue.node}</b>: " if issue.node else ""
        advice = getattr(issue, "advice", None) if issue.fix is None else None
        # no one-click edit for it (a model too big for this machine): say what to do instead
        muted = style.colors()["muted"]
        hint = f" <span style='color:{muted}'>— {_html(advice)}</span>" if advice else ""
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
        self._watched: QWidget | None = None
        self._report: GraphReport | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        outer.setSpacing(2)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("problemsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.host = QWidget()
        self.host.setObjectName("problemsHost")
        self._layout = QVBoxLayout(self.host)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addStretch(1)
        self.scroll.setWidget(self.host)
        outer.addWidget(self.scroll)
        self.more = QLabel()
        self.more.setObjectName("Hint")
        outer.addWidget(self.more)
        self._watch(parent)
        # the marks' colours are baked into each row's rich text: redraw them in the new theme
        theme.follow_theme(self, lambda: self._report is not None and self.show_report(self._report))

    def show_report(self, report: GraphReport) -> None:
        self._report = report
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        issues = list(report.errors) + list(report.warnings)
        for issue in issues[:MAX_SHOWN]:
            row = ProblemRow(issue, self.host)
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
        self._fit_height()

    # --- height: the rows' own, up to STRIP_SHARE of the page --------------------------------------
    def height_cap(self) -> int:
        """The most the rows may take: STRIP_SHARE of the page, but always room for one row."""
        page = self.parentWidget()
        share = int(page.height() * STRIP_SHARE) if page is not None else 10_000
        first = self.rows[0].sizeHint().height() if self.rows else 0
        return max(share, first)

    def rows_height(self, width: int) -> int:
        """The height the rows take laid out `width` wide (they wrap, so it depends on it)."""
        heights = [row.heightForWidth(width) if row.hasHeightForWidth() else -1 for row in self.rows]
        heights = [h if h > 0 else row.sizeHint().height() for h, row in zip(heights, self.rows, strict=True)]
        return sum(heights) + self._layout.spacing() * max(0, len(heights) - 1)

    def _fit_height(self) -> None:
        if not self.rows:
            self.scroll.setFixedHeight(0)
            return
        width = self.scroll.viewport().width() or self.width()
        self.scroll.setFixedHeight(min(self.rows_height(width), self.height_cap()))

    def _watch(self, parent: QWidget | None) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = parent
        if parent is not None:
            parent.installEventFilter(self)

    def event(self, event) -> bool:  # noqa: D401 - Qt's name
        if event.type() == QEvent.Type.ParentChange:
            self._watch(self.parentWidget())
        return super().event(event)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self._watched and event.type() == QEvent.Type.Resize:
            self._fit_height()
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()  # the rows wrap anew at a new width


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
