"""The inspector: edit the selected block with an editor that fits each parameter's type.

Whole numbers get spin boxes bounded by the block's ranges (a parameter that may stay unset,
like a pooling stride, shows "auto" at the bottom of its range), real numbers a spin box that
shows them the way they are written (1e-05, 0.25), choices a combo box, switches a check box and
shapes a text field that checks what is typed as you type. Every change is one undoable edit;
typing more digits into the same field extends that edit rather than piling up undo steps.

The block's id has the whole width of the inspector (its kind is on the line under it), so ids like
"encoder_block_3" show in full; a longer one shows its start and the whole id in its tooltip. The
selected block's problem is drawn in its severity's colours and mark (a red dot for an error, an
amber triangle for a warning, as in the problems strip) and the fix is written out in full above a
short button, so neither is cut in a narrow inspector (issue 20).

In a graph of several networks (a GAN) a "Network" choice under the facts names the block's
network; choosing another moves the block there (one undoable step).

Transfer learning: a "Frozen" check box keeps the block's weights out of training, and "Freeze up to
here" freezes the block and every block that feeds it (docs/training.md); one undoable step each.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

from studio.core.graph.registry import ParamSpec, get_block, has_block
from studio.ui import theme
from studio.ui.builder.canvas_style import category_color
from studio.ui.builder.problems import SEVERITY_MARKS, severity_colours
from studio.ui.common.style import format_grouped, format_shape

INT_LIMIT = 2_147_483_647


class FloatSpin(QDoubleSpinBox):
    """A real-number spin box that shows 1e-05 as 1e-05, not 0.00001000."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        from PySide6.QtGui import QValidator

        stripped = text.strip()
        if stripped in ("", "-", ".", "-.") or stripped.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos


LINE_EDIT_MARGIN = 2
"""QLineEdit's own margin each side of its text, inside the style's contents rect."""


def line_edit_room(edit: QLineEdit) -> int:
    """The width `edit` draws its text in: its rect less the style's frame and padding, its text
    margins and Qt's own margins (the same sums QLineEdit makes when it paints)."""
    option = QStyleOptionFrame()
    option.initFrom(edit)
    option.rect = edit.rect()
    option.lineWidth = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, edit) \
        if edit.hasFrame() else 0
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return room.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN


class FitLineEdit(QLineEdit):
    """A line edit at least as wide as its text (or its placeholder), between `least` and `most`
    pixels: a project's name shows in full beside a description that takes what is left.

    The width is measured in the field's own font, which may be larger than the app's, each time
    the text, the font or the style changes.
    """

    def __init__(self, least: int, most: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.least, self.most = least, most
        self.textChanged.connect(self._fit)
        self._fit()

    def needed_width(self) -> int:
        text = self.text() or self.placeholderText()
        chrome = self.width() - line_edit_room(self)
        return QFontMetrics(self.font()).horizontalAdvance(text) + chrome + 1  # + the cursor

    def _fit(self) -> None:
        self.setMinimumWidth(max(self.least, min(self.most, self.needed_width())))
        self.setMaximumWidth(max(self.most, self.minimumWidth()))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


def parse_shape(text: str) -> list[int]:
    """`1, 28, 28`, `1 28 28`, `1x28x28` or `[1, 28, 28]` -> [1, 28, 28]; ValueError otherwise."""
    parts = [p for p in re.split(r"[\s,x×\[\]\(\)]+", text.strip()) if p]
    if not parts:
        raise ValueError("needs at least one size")
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValueError("sizes are whole numbers separated by commas") from None


def show_shape(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class Inspector(QWidget):
    param_edited = Signal(str, str, object)
    """(node id, parameter, new value): the user changed a parameter."""
    rename_requested = Signal(str, str)
    fix_requested = Signal(object)
    network_requested = Signal(str, str)
    """(node id, network id): the user moved the block to another network."""
    frozen_requested = Signal(str, bool)
    """(node id, frozen): the user ticked or cleared Frozen."""
    freeze_upstream_requested = Signal(str)
    """(node id): freeze this block and everything that feeds it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("builderInspector")
        self.node_id: str | None = None
        self.block: str | None = None
        self.editors: dict[str, tuple[QWidget, ParamSpec]] = {}
        self.errors: dict[str, QLabel] = {}
        self._syncing = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        head = QHBoxLayout()
        head.setSpacing(8)
        self.chip = QLabel()
        self.chip.setFixedSize(12, 12)
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("inspectorId")
        self.id_edit.setToolTip(self.tr("The node's id: the attribute name in the generated code"))
        self.id_edit.textChanged.connect(self._id_tooltip)
        self.block_label = QLabel()
        self.block_label.setObjectName("Muted")
        self.block_label.setWordWrap(True)
        head.addWidget(self.chip)
        head.addWidget(self.id_edit, 1)
        layout.addLayout(head)
        layout.addWidget(self.block_label)
        self.id_error = QLabel()
        self.id_error.setObjectName("inspectorIdError")
        self.id_error.setWordWrap(True)
        layout.addWidget(self.id_error)
        self.facts = QLabel()
        self.facts.setObjectName("inspectorFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        self.network_row = QWidget()
        nr = QHBoxLayout(self.network_row)
        nr.setContentsMargins(0, 0, 0, 0)
        nr.setSpacing(8)
        self.network_label = QLabel(self.tr("Network"))
        self.network_combo = QComboBox()
        self.network_combo.setObjectName("inspectorNetwork")
        self.network_combo.setToolTip(self.tr("The network this block belongs to; choose another to move it there"))
        self.network_combo.activated.connect(self._network_chosen)
        nr.addWidget(self.network_label)
        nr.addWidget(self.network_combo, 1)
        layout.addWidget(self.network_row)
        self.freeze_row = QWidget()
        fr = QHBoxLayout(self.freeze_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.setSpacing(8)
        self.frozen_check = QCheckBox(self.tr("Frozen"))
        self.frozen_check.setObjectName("inspectorFrozen")
        self.frozen_check.setToolTip(self.tr("Keep this block's weights as they are while training "
                                             "(transfer learning); training can unfreeze it later"))
        self.frozen_check.toggled.connect(self._frozen_toggled)
        self.freeze_up_button = QPushButton(self.tr("Freeze up to here"))
        self.freeze_up_button.setObjectName("inspectorFreezeUp")
        self.freeze_up_button.setToolTip(self.tr("Freeze this block and every block that feeds it, "
                                                 "so that only the blocks after it train"))
        self.freeze_up_button.clicked.connect(self._freeze_up_clicked)
        fr.addWidget(self.frozen_check)
        fr.addStretch(1)
        fr.addWidget(self.freeze_up_button)
        layout.addWidget(self.freeze_row)

        self.problem_box = QFrame()
        self.problem_box.setObjectName("inspectorProblem")
        pb = QVBoxLayout(self.problem_box)
        pb.setContentsMargins(10, 8, 10, 8)
        pb.setSpacing(6)
        self.problem_title = QLabel()
        self.problem_title.setObjectName("inspectorProblemTitle")
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_label = QLabel()
        self.fix_label.setObjectName("inspectorFixText")
        self.fix_label.setWordWrap(True)
        self.fix_button = QPushButton(self.tr("Apply fix"))
        self.fix_button.setObjectName("inspectorFix")
        self.fix_button.clicked.connect(self._fix_clicked)
        pb.addWidget(self.problem_title)
        pb.addWidget(self.problem_label)
        pb.addWidget(self.fix_label)
        pb.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem_box)
        self._fix = None
        self.severity: str | None = None

        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 4, 0, 0)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addWidget(self.form_host)
        self.doc = QLabel()
        self.doc.setObjectName("inspectorDoc")
        self.doc.setWordWrap(True)
        self.doc.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.doc)
        self.empty = QLabel()
        self.empty.setObjectName("Hint")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.id_edit.editingFinished.connect(self._rename)
        theme.follow_theme(self, self._style_problem)
        self.show_node(None)

    # --- what is shown -------------------------------------------------------------------
    def show_node(self, node, info=None, issues=(), selected: int = 0, networks=()) -> None:
        """Show `node` (a graph Node) with its report entry and issues; None shows a hint.
        `networks` are the graph's declared networks (none: no Network row)."""
        has = node is not None and has_block(node.block)
        for w in (self.chip, self.id_edit, self.block_label, self.facts, self.form_host, self.doc):
            w.setVisible(has)
        self._show_networks(node if has else None, networks)
        self.freeze_row.setVisible(has and node.block != "Input")
        self.id_error.setVisible(False)
        self.empty.setVisible(not has)
        if not has:
            self.node_id = self.block = None
            self._clear_form()
            self.problem_box.setVisible(False)
            self.empty.setText(self.tr("{n} blocks selected. Select one block to edit its settings.").format(n=selected)
                               if selected > 1 else
                               self.tr("Select a block to edit its settings. Drag blocks in from the palette; "
                                       "wire them by dragging from a block's bottom port to another's top port."))
            return
        spec = get_block(node.block)
        if node.id != self.node_id or node.block != self.block:
            self.node_id, self.block = node.id, node.block
            self._build_form(spec)
        self._syncing = True
        try:
            if not self.id_edit.hasFocus():
                self.id_edit.setText(node.id)
                self.id_edit.setCursorPosition(0)  # a long id shows its start, not its end
            color = category_color(spec.category)
            self.chip.setStyleSheet(f"background: {color.name()}; border-radius: 3px;")
            self.block_label.setText(f"{spec.name} · {spec.category}")
            self.doc.setText(spec.doc)
            for name, (widget, ps) in self.editors.items():
                self._set_value(widget, ps, node.params.get(name, ps.default))
            self.frozen_check.setChecked(bool(node.frozen))
        finally:
            self._syncing = False
        if info is not None and info.output_shape:
            self.facts.setText(self.tr("Output {shape} · {params} parameters · {flops} FLOPs").format(
                shape=format_shape(info.output_shape), params=format_grouped(info.params),
                flops=format_grouped(info.flops)))
        else:
            self.facts.setText(self.tr("No output shape yet."))
        issue = next(iter(issues), None)
        self.problem_box.setVisible(issue is not None)
        self._fix = issue.fix if issue is not None else None
        if issue is None:
            self.severity = None
        else:
            self.severity = "error" if issue.severity == "error" else "warning"
            self.problem_box.setProperty("severity", self.severity)
            title = self.tr("Error") if self.severity == "error" else self.tr("Warning")
            self.problem_title.setText(f"{SEVERITY_MARKS[self.severity]} {title}")
            self.problem_label.setText(issue.message)
            self.fix_label.setVisible(issue.fix is not None)
            self.fix_button.setVisible(issue.fix is not None)
            if issue.fix is not None:
                self.fix_label.setText(self.tr("Fix: {what}").format(what=issue.fix.description))
                self.fix_button.setToolTip(issue.fix.description)
            self._style_problem()

    def _show_networks(self, node, networks) -> None:
        self.network_row.setVisible(node is not None and bool(networks))
        if node is None or not networks:
            return
        self.network_combo.blockSignals(True)
        try:
            self.network_combo.clear()
            for net in networks:
                self.network_combo.addItem(net.title, net.id)
            if self.network_combo.findData(node.network) < 0:
                self.network_combo.addItem(self.tr("(none)"), None)
            self.network_combo.setCurrentIndex(self.network_combo.findData(node.network))
        finally:
            self.network_combo.blockSignals(False)

    def _network_chosen(self, index: int) -> None:
        network = self.network_combo.itemData(index)
        if self.node_id is not None and network is not None:
            self.network_requested.emit(self.node_id, network)

    def _frozen_toggled(self, frozen: bool) -> None:
        if not self._syncing and self.node_id is not None:
            self.frozen_requested.emit(self.node_id, bool(frozen))

    def _freeze_up_clicked(self) -> None:
        if self.node_id is not None:
            self.freeze_upstream_requested.emit(self.node_id)

    def _style_problem(self) -> None:
        """The problem box in its severity's colours of the current theme."""
        if self.severity is None:
            return
        c = severity_colours(self.severity)
        self.problem_box.setStyleSheet(
            f"QFrame#inspectorProblem {{ background: {c['bg']}; border: 1px solid {c['border']}; border-radius: 6px; }}"
            f"QLabel#inspectorProblemTitle {{ color: {c['fg']}; font-weight: 600; }}")

    def _id_tooltip(self, text: str) -> None:
        """The id's tooltip names the whole id when the field cannot show all of it."""
        about = self.tr("The node's id: the attribute name in the generated code")
        cut = QFontMetrics(self.id_edit.font()).horizontalAdvance(text) > line_edit_room(self.id_edit)
        self.id_edit.setToolTip(f"{text}\n{about}" if cut else about)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._id_tooltip(self.id_edit.text())

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()
        self.errors.clear()

    def _build_form(self, spec) -> None:
        self._clear_form()
        for ps in spec.params:
            widget = self._make_editor(ps)
            widget.setObjectName(f"param_{ps.name}")
            widget.setToolTip(ps.help or ps.name)
            error = QLabel()
            error.setObjectName("paramError")
            error.setWordWrap(True)
            error.setVisible(False)
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(widget)
            col.addWidget(error)
            label = QLabel(ps.name)
            label.setToolTip(ps.help)
            self.form.addRow(label, box)
            box.show()  # right away, not on the next turn of the event loop
            label.show()
            self.editors[ps.name] = (widget, ps)
            self.errors[ps.name] = error

    def _make_editor(self, ps: ParamSpec) -> QWidget:
        name = ps.name
        if ps.kind == "int":
            w = QSpinBox()
            low = int(ps.min) if ps.min is not None else -INT_LIMIT
            high = int(ps.max) if ps.max is not None else INT_LIMIT
            if ps.default is None:
                low -= 1
                w.setSpecialValueText(self.tr("auto"))
            w.setRange(low, high)
            w.setAccelerated(True)
            w.valueChanged.connect(lambda v, w=w, ps=ps: self._commit(
                name, None if (ps.default is None and v == w.minimum()) else int(v)))
            return w
        if ps.kind == "float":
            w = FloatSpin()
            w.setRange(ps.min if ps.min is not None else -1e12, ps.max if ps.max is not None else 1e12)
            w.valueChanged.connect(lambda v: self._commit(name, float(v)))
            return w
        if ps.kind == "bool":
            w = QCheckBox()
            w.toggled.connect(lambda v: self._commit(name, bool(v)))
            return w
        if ps.kind == "choice":
            w = QComboBox()
            for c in ps.choices:
                w.addItem(str(c), c)
            w.currentIndexChanged.connect(lambda i, w=w: self._commit(name, w.itemData(i)))
            return w
        w = QLineEdit()
        if ps.kind == "shape":
            w.setPlaceholderText("e.g. 1, 28, 28")
            w.textEdited.connect(lambda text, ps=ps: self._shape_typed(ps, text))
        else:
            w.textEdited.connect(lambda text: self._commit(name, text))
        return w

    def _set_value(self, widget: QWidget, ps: ParamSpec, value: Any) -> None:
        if isinstance(widget, QSpinBox):
            target = widget.minimum() if value is None else value
            if isinstance(target, (int, float)) and not isinstance(target, bool) and widget.value() != target:
                widget.setValue(int(target))
        elif isinstance(widget, QDoubleSpinBox):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and widget.value() != value:
                widget.setValue(float(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            i = widget.findData(value)
            if i >= 0:
                widget.setCurrentIndex(i)
        elif isinstance(widget, QLineEdit) and not widget.hasFocus():
            widget.setText(show_shape(value) if ps.kind == "shape" else str(value))
            self._show_error(ps.name, None)

    # --- edits ---------------------------------------------------------------------------
    def _commit(self, name: str, value: Any) -> None:
        if self._syncing or self.node_id is None:
            return
        self._show_error(name, None)
        self.param_edited.emit(self.node_id, name, value)

    def _shape_typed(self, ps: ParamSpec, text: str) -> None:
        try:
            value = list(ps.coerce(parse_shape(text)))
        except ValueError as exc:
            self._show_error(ps.name, str(exc))
            return
        self._commit(ps.name, value)

    def _show_error(self, name: str, message: str | None) -> None:
        label = self.errors.get(name)
        widget = self.editors.get(name, (None,))[0]
        if label is None:
            return
        label.setVisible(bool(message))
        label.setText(message or "")
        if widget is not None:
            widget.setProperty("invalid", bool(message))
            widget.setStyleSheet("border: 1px solid #d92d20;" if message else "")

    def _rename(self) -> None:
        if self._syncing or self.node_id is None:
            return
        text = self.id_edit.text().strip()
        if text and text != self.node_id:
            self.rename_requested.emit(self.node_id, text)

    def show_rename_error(self, message: str | None) -> None:
        self.id_error.setVisible(bool(message))
        self.id_error.setText(message or "")

    def _fix_clicked(self) -> None:
        if self._fix is not None:
            self.fix_requested.emit(self._fix)

    def editor_for(self, name: str) -> QWidget:
        return self.editors[name][0]
