"""Build: the project's name and description, and the architecture as a live node canvas.

Left, the block palette; in the middle, the canvas (with the summary table and the generated code
as neighbouring tabs) and, under it, the graph's problems with one-click fixes; right, the
inspector of the selected block. Everything edits through one `GraphEditor`, so every change,
down to a single parameter, is one step on the shared undo stack, and shapes are re-inferred
after each one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.registry import get_block
from studio.ui.builder.canvas_style import NODE_H, ROW
from studio.ui.builder.codeview import CodeView
from studio.ui.builder.editor import GraphEditor
from studio.ui.builder.inspector import FitLineEdit, Inspector
from studio.ui.builder.palette import BlockPalette
from studio.ui.builder.problems import ProblemsList
from studio.ui.builder.scene import GraphScene
from studio.ui.builder.summary import SummaryTable, format_params
from studio.ui.builder.view import CanvasView
from studio.ui.common.style import format_grouped
from studio.ui.state import AppState

__all__ = ["BuildPanel", "format_params"]

DESCRIPTION_EDIT_LIMIT = 20_000
"""The longest description (characters) edited in the box. Qt lays a text out line by line, and a
long line without spaces is slow to break (1 MB: 37 s, 2 MB: 75 s before the window appeared),
while the box shows two lines anyway. A longer description (a pasted file, a data URI) is shown cut,
read-only, and stays whole in the project."""
DESCRIPTION_PREVIEW = 2_000
"""How much of such a description the box shows."""


def description_in_box(description: str) -> tuple[str, bool]:
    """What the description box shows for `description`, and whether it can be edited there."""
    if len(description) <= DESCRIPTION_EDIT_LIMIT:
        return description, True
    return description[:DESCRIPTION_PREVIEW] + "…", False


class DescriptionEdit(QPlainTextEdit):
    """The one-line description box. A paste that would make the text longer than
    DESCRIPTION_EDIT_LIMIT never reaches the widget's layout: the text it would give is handed on
    (`long_text`) to become the project's description, and the box then shows its beginning."""

    long_text = Signal(str)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        text = source.text() if source.hasText() else ""
        current = self.toPlainText()
        if self.isReadOnly() or len(current) + len(text) <= DESCRIPTION_EDIT_LIMIT:
            super().insertFromMimeData(source)
            return
        cursor = self.textCursor()
        units = current.encode("utf-16-le")  # Qt's positions count UTF-16 code units
        before = units[: 2 * cursor.selectionStart()].decode("utf-16-le", errors="replace")
        after = units[2 * cursor.selectionEnd():].decode("utf-16-le", errors="replace")
        self.long_text.emit(before + text.replace("\r\n", "\n") + after)


class BuildPanel(QWidget):
    KEY = "build"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("BuildPanel", "Build")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"{self.KEY}Panel")
        self._syncing = False
        self._fitted = False
        self.editor = GraphEditor(state, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 8)
        outer.setSpacing(8)
        outer.addLayout(self._project_row())

        self.palette = BlockPalette()
        self.scene = GraphScene(self.editor, self)
        self.view = CanvasView(self.scene, self.editor)
        self.problems = ProblemsList()
        self.summary = SummaryTable()
        self.node_table = self.summary.table
        self.code_view = CodeView()
        self.inspector = Inspector()

        canvas_page = QWidget()
        cv = QVBoxLayout(canvas_page)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addLayout(self._toolbar())
        cv.addWidget(self.view, 1)
        cv.addWidget(self.problems)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("builderTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(canvas_page, self.tr("Canvas"))
        self.tabs.addTab(self.summary, self.tr("Summary"))
        self.tabs.addTab(self.code_view, self.tr("Code"))

        inspector_scroll = QScrollArea()
        inspector_scroll.setWidgetResizable(True)
        inspector_scroll.setFrameShape(QFrame.Shape.NoFrame)
        inspector_host = QWidget()
        ih = QVBoxLayout(inspector_host)
        ih.setContentsMargins(12, 6, 6, 6)
        title = QLabel(self.tr("Inspector"))
        title.setObjectName("SectionTitle")
        ih.addWidget(title)
        ih.addWidget(self.inspector, 1)
        inspector_scroll.setWidget(inspector_host)

        palette_host = QWidget()
        ph = QVBoxLayout(palette_host)
        ph.setContentsMargins(0, 6, 8, 0)
        ptitle = QLabel(self.tr("Blocks"))
        ptitle.setObjectName("SectionTitle")
        ph.addWidget(ptitle)
        ph.addWidget(self.palette, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("builderSplitter")
        self.splitter.addWidget(palette_host)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(inspector_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([210, 760, 320])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("builderStatus")
        outer.addWidget(self.status)

        self.editor.report_changed.connect(self._on_report)
        self.scene.selectionChanged.connect(self._show_selection)
        self.scene.wire_refused.connect(self._flash)
        self.scene.node_activated.connect(lambda _nid: self.inspector.setFocus())
        self.inspector.param_edited.connect(self.editor.set_param)
        self.inspector.rename_requested.connect(self._rename)
        self.inspector.fix_requested.connect(self.apply_fix)
        self.inspector.network_requested.connect(self.editor.set_network)
        self.inspector.frozen_requested.connect(self.editor.set_frozen)
        self.inspector.freeze_upstream_requested.connect(self.editor.freeze_up_to)
        self.problems.fix_requested.connect(self.apply_fix)
        self.problems.node_clicked.connect(self.focus_node)
        self.palette.block_activated.connect(self.add_block_here)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_code())
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)}%"))
        state.project_replaced.connect(self._on_replaced)
        state.project_edited.connect(self._on_edited)
        self._sync_texts()
        self._on_report(self.editor.report)

    # --- construction ----------------------------------------------------------------------
    def _project_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.name_edit = FitLineEdit(220, 420)  # as wide as the name, within these bounds
        self.name_edit.setObjectName("projectName")
        self.name_edit.setPlaceholderText(self.tr("Project name"))
        font = self.name_edit.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setWeight(font.Weight.DemiBold)
        self.name_edit.setFont(font)
        self.description_edit = DescriptionEdit()
        self.description_edit.setObjectName("projectDescription")
        self.description_edit.setPlaceholderText(self.tr("What this project is about"))
        self.description_edit.setFixedHeight(self.name_edit.sizeHint().height() + 12)
        self.description_edit.setTabChangesFocus(True)
        row.addWidget(self.name_edit)
        row.addWidget(self.description_edit, 1)
        self.name_edit.textEdited.connect(lambda text: self._edit_field("name", text))
        self.description_edit.textChanged.connect(
            lambda: self._edit_field("description", self.description_edit.toPlainText()))
        self.description_edit.long_text.connect(lambda text: self._edit_field("description", text))
        return row

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 6, 0, 6)
        bar.setSpacing(6)
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Show the whole graph (F)"))
        self.layout_button = QPushButton(self.tr("Auto layout"))
        self.layout_button.setObjectName("autoLayout")
        self.layout_button.setToolTip(self.tr("Arrange the blocks in layers, top to bottom (undoable)"))
        self.snap_check = QCheckBox(self.tr("Snap to grid"))
        self.snap_check.setObjectName("snapToGrid")
        self.zoom_label = QLabel("100%")
        self.zoom_label.setObjectName("Muted")
        self.zoom_label.setMinimumWidth(44)
        hint = QLabel(self.tr("Wheel: zoom · Space+drag: pan · F: fit"))
        hint.setToolTip(self.tr("Wheel: zoom · middle drag or Space+drag: pan · F: fit the graph · Del: delete · "
                                "Ctrl+C / Ctrl+V / Ctrl+D: copy, paste, duplicate · Ctrl+A: select all · "
                                "right-click: collapse or expand groups"))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)  # wraps rather than widening the canvas over the palette
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.canvas_hint = hint
        self.fit_button.clicked.connect(self.view.fit)
        self.layout_button.clicked.connect(self.auto_layout)
        self.snap_check.toggled.connect(self._set_snap)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.layout_button)
        bar.addWidget(self.snap_check)
        bar.addSpacing(8)
        bar.addWidget(self.zoom_label)
        bar.addSpacing(12)
        bar.addWidget(hint, 1)
        return bar

    # --- project texts ---------------------------------------------------------------------
    def _edit_field(self, field: str, value: str) -> None:
        if not self._syncing:
            self.state.edit_field(field, value)

    def _sync_texts(self) -> None:
        """Show the project's texts without echoing them back as new edits (undo/redo, open)."""
        project = self.state.project
        self._syncing = True
        try:
            if self.name_edit.text() != project.name:
                self.name_edit.setText(project.name)
            shown, editable = description_in_box(project.description)
            box = self.description_edit
            if box.toPlainText() != shown:
                box.setPlainText(shown)
            box.setReadOnly(not editable)
            box.setToolTip("" if editable else self.tr(
                "This description is {n} characters long, too long to edit here; the project file keeps all of "
                "it. Edit its \"description\" in a text editor, or undo the paste that brought it.").format(
                    n=f"{len(project.description):,}"))
        finally:
            self._syncing = False

    def _on_edited(self, what: str) -> None:
        if what in ("name", "description"):
            self._sync_texts()
            if what == "name":
                self._refresh_code()

    def _on_replaced(self) -> None:
        self._sync_texts()
        self.scene.clearSelection()
        QTimer.singleShot(0, self.view, self.view.fit)

    # --- the report --------------------------------------------------------------------------
    def _on_report(self, report) -> None:
        self.scene.sync(report)
        self.view.update_scene_rect()
        self.summary.show_report(self.editor.graph, report)
        self.problems.show_report(report)
        self._show_selection()
        self._refresh_code()
        n = len(self.editor.graph.nodes)
        verdict = (self.tr("shapes check out") if report.ok else
                   self.tr("{n} problem(s) to fix").format(n=len(report.errors)))
        self.status.setText(self.tr("{n} blocks · {params} parameters · {verdict}").format(
            n=n, params=format_grouped(report.total_params), verdict=verdict))

    def _refresh_code(self) -> None:
        if self.tabs.currentWidget() is self.code_view:
            self.code_view.show_graph(self.editor.graph, self.state.project.name)

    def _show_selection(self) -> None:
        ids = self.scene.selected_ids()
        graph = self.editor.graph
        if len(ids) == 1 and graph.has_node(ids[0]):
            report = self.editor.report
            issues = [i for i in report.errors if i.node == ids[0]] + \
                     [i for i in report.warnings if i.node == ids[0]]
            self.inspector.show_node(graph.node(ids[0]), report.nodes.get(ids[0]), issues, networks=graph.networks)
        else:
            self.inspector.show_node(None, selected=len(ids))

    # --- actions -----------------------------------------------------------------------------
    def apply_fix(self, fix) -> None:
        problem = self.editor.apply_fix(fix)
        if problem:
            self._flash(problem)

    def auto_layout(self) -> None:
        if self.editor.auto_layout():
            self.view.fit()

    def _set_snap(self, on: bool) -> None:
        self.scene.snap = on
        self.scene.update()

    def _rename(self, old: str, new: str) -> None:
        problem = self.editor.rename(old, new)
        self.inspector.show_rename_error(problem)
        if problem is None:
            self.scene.select_ids([new])

    def focus_node(self, node_id: str) -> None:
        """Select and centre a block; one inside a collapsed group brings its group's box forward."""
        item = self.scene.nodes.get(node_id) or self.scene.groups.get(self.scene.hidden.get(node_id, ""))
        if item is not None:
            self.scene.select_ids([node_id])
            self.view.centerOn(item)

    def add_block_here(self, block: str) -> str:
        """Add `block` below the selected block (wired to it), else in the middle of the view."""
        ids = self.scene.selected_ids()
        after = ids[-1] if len(ids) == 1 else None
        if after is not None:
            ref = self.editor.graph.node(after)
            pos = (ref.pos[0], ref.pos[1] + ROW)
            if not get_block(ref.block).outputs:
                after = None
        else:
            centre = self.view.mapToScene(self.view.viewport().rect().center())
            pos = self.scene.drop_position(QPointF(centre.x(), centre.y() + NODE_H / 2))
        nid = self.editor.add_block(block, pos, after=after)
        self.scene.select_ids([nid])
        self.view.ensureVisible(self.scene.nodes[nid])
        return nid

    def _flash(self, message: str) -> None:
        self.status.setText(message)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self.view, self.view.fit)
