"""Find the text of a window that does not fit its widget: the measuring half of the elision test.

`unfit_texts(root)` walks the visible widgets under `root` and, for each kind of widget that
shows a line of text, compares the width the text needs (QFontMetrics of the widget's own font,
which carries the style sheet's font size and weight) with the width the style gives it to draw
in (contents rect, margins, padding, icon and check indicator, from the style's own metrics).
Each misfit is a `Misfit` that names the widget, the text and both widths, so a failure message
says what to fix without opening a screenshot.

A named module (not conftest) so any UI test can import it: `from label_fit import unfit_texts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPaintDevice, QPaintEngine, QPainter, QRegion, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionGroupBox,
    QStyleOptionTab,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)

ICON_TEXT_GAP = 4
"""Space Qt's styles put between a button's icon and its text (QCommonStyle CE_PushButtonLabel)."""

LINE_EDIT_MARGIN = 2
"""QLineEdit's own horizontal margin inside its contents rect (QLineEditPrivate::horizontalMargin)."""

ROUNDING_SLACK = 1
"""Font metrics are rounded to whole pixels in places; one pixel over is not a visible cut."""


class _TextRecorder(QPaintEngine):
    """A paint engine that draws nothing and keeps the font of every text item painted with it.

    Style sheets can set a font for a state only ("QPushButton:checked { font-weight: 600 }"):
    such a font is not the widget's font(), and its size hint never saw it. Painting the widget
    here tells the font the style really draws each text with.
    """

    def __init__(self):
        super().__init__(QPaintEngine.PaintEngineFeature.AllFeatures)
        self.fonts: list[tuple[str, QFont]] = []

    def begin(self, device) -> bool:
        return True

    def end(self) -> bool:
        return True

    def updateState(self, state) -> None:
        pass

    def drawPixmap(self, rect, pixmap, source) -> None:
        pass

    def drawPath(self, path) -> None:
        pass

    def drawPolygon(self, *args) -> None:
        pass

    def drawTextItem(self, point, item) -> None:
        self.fonts.append((item.text(), QFont(item.font())))

    def type(self):
        return QPaintEngine.Type.User


class _RecordingDevice(QPaintDevice):
    def __init__(self, size: QSize):
        super().__init__()
        self.engine = _TextRecorder()
        self.size = size

    def paintEngine(self):
        return self.engine

    def metric(self, metric):
        m = QPaintDevice.PaintDeviceMetric
        values = {m.PdmWidth: self.size.width(), m.PdmHeight: self.size.height(), m.PdmDepth: 32,
                  m.PdmWidthMM: self.size.width() * 254 // 960, m.PdmHeightMM: self.size.height() * 254 // 960,
                  m.PdmNumColors: 2 ** 31 - 1, m.PdmDpiX: 96, m.PdmDpiY: 96, m.PdmPhysicalDpiX: 96,
                  m.PdmPhysicalDpiY: 96, m.PdmDevicePixelRatio: 1, m.PdmDevicePixelRatioScaled: 1}
        return values.get(metric, 0)


def drawn_fonts(widget: QWidget, paint=None) -> list[tuple[str, QFont]]:
    """(text, font) of each text the widget paints (or `paint(painter)` paints for it); no children."""
    device = _RecordingDevice(widget.size().expandedTo(QSize(1, 1)))
    if paint is None:
        widget.render(device, QPoint(), QRegion(), QWidget.RenderFlag(0))
    else:
        painter = QPainter(device)
        try:
            paint(painter)
        finally:
            painter.end()
    return device.engine.fonts


def drawn_font(widget: QWidget, text: str, paint=None) -> QFont:
    """The font `text` is painted with (the widest if painted in several); else the widget's font."""
    candidates = [font for drawn, font in drawn_fonts(widget, paint) if drawn and drawn in text]
    if not candidates:
        return widget.font()
    return max(candidates, key=lambda font: QFontMetrics(font).horizontalAdvance(text))


@dataclass(frozen=True)
class Misfit:
    """One text that needs more room than its widget gives it."""

    widget: QWidget
    text: str
    needed: int
    available: int
    what: str = "width"

    def describe(self) -> str:
        name = self.widget.objectName() or "-"
        parent = self.widget.parentWidget()
        owner = f" in {type(parent).__name__}#{parent.objectName() or '-'}" if parent is not None else ""
        text = self.text if len(self.text) <= 90 else self.text[:87] + "..."
        return (f"{type(self.widget).__name__}#{name}{owner}: {text!r} needs {self.needed} px of "
                f"{self.what}, has {self.available}")


def plain_text(widget_text: str, rich: bool) -> str:
    """What a reader sees of a label's text: rich text's markup stripped, entities resolved."""
    if not rich:
        return widget_text
    doc = QTextDocument()
    doc.setHtml(widget_text)
    return doc.toPlainText()


def without_mnemonic(text: str) -> str:
    """A button's text as drawn: '&File' shows 'File', '&&' shows '&'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def widest_line(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _label_is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText:
        return True
    if fmt == Qt.TextFormat.AutoText:
        return QtGuiNamespace.mightBeRichText(label.text())
    return False


def _label_room(label: QLabel) -> QRect:
    """The rect QLabel lays its text in: contents rect less margin() and indent()."""
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    indent = label.indent()
    if indent < 0 and label.frameWidth() > 0:  # QLabel's default indent: half an 'x' inside a frame
        indent = QFontMetrics(label.font()).horizontalAdvance("x") // 2
    if indent > 0:
        align = label.alignment()
        if align & Qt.AlignmentFlag.AlignLeft or align & Qt.AlignmentFlag.AlignRight:
            room.setWidth(room.width() - indent)
        if align & Qt.AlignmentFlag.AlignTop or align & Qt.AlignmentFlag.AlignBottom:
            room.setHeight(room.height() - indent)
    return room


def check_label(label: QLabel) -> Misfit | None:
    if not label.text():
        return None
    rich = _label_is_rich(label)
    text = plain_text(label.text(), rich)
    if not text.strip():
        return None
    room = _label_room(label)
    if label.wordWrap():
        return _check_wrapped(label, text, rich, room)
    metrics = QFontMetrics(label.font())
    needed = widest_line(metrics, text)
    if needed > room.width() + ROUNDING_SLACK:
        return Misfit(label, text, needed, room.width())
    return None


def _check_wrapped(label: QLabel, text: str, rich: bool, room: QRect) -> Misfit | None:
    """A wrapped label fits when its longest word fits the width and all its lines fit the height."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    if rich:
        doc.setHtml(label.text())
    else:
        doc.setPlainText(label.text())
    doc.setTextWidth(room.width())
    needed_width = int(doc.idealWidth() + 0.999)
    if needed_width > room.width() + ROUNDING_SLACK:
        return Misfit(label, text, needed_width, room.width())
    needed_height = int(doc.size().height() + 0.999)
    if needed_height > room.height() + ROUNDING_SLACK + 2:  # QTextDocument rounds line heights up
        return Misfit(label, text, needed_height, room.height(), what="height (wrapped)")
    return None


def _button_option(button: QAbstractButton) -> QStyleOptionButton:
    """What QPushButton/QCheckBox::initStyleOption fill in (that method is protected in PySide6)."""
    option = QStyleOptionButton()
    option.initFrom(button)
    flag = QStyle.StateFlag
    option.state |= flag.State_On if button.isChecked() else flag.State_Off
    if button.isDown():
        option.state |= flag.State_Sunken
    elif not (isinstance(button, QPushButton) and button.isFlat()):
        option.state |= flag.State_Raised
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    if isinstance(button, QPushButton):
        if button.isDefault() or button.autoDefault():
            option.features |= QStyleOptionButton.ButtonFeature.AutoDefaultButton
        if button.isDefault():
            option.features |= QStyleOptionButton.ButtonFeature.DefaultButton
        if button.isFlat():
            option.features |= QStyleOptionButton.ButtonFeature.Flat
        if button.menu() is not None:
            option.features |= QStyleOptionButton.ButtonFeature.HasMenu
    return option


def _icon_width(button: QAbstractButton) -> int:
    return button.iconSize().width() + ICON_TEXT_GAP if not button.icon().isNull() else 0


def _state_variants(button: QAbstractButton, option: QStyleOptionButton) -> list[tuple[str, QStyleOptionButton]]:
    """The button as it is now and in the states a user puts it in (hovered; checked or not).

    A style sheet may give a state its own font or padding; a segment that is fine unchecked can
    be cut when chosen.
    """
    flag = QStyle.StateFlag
    variants = [("", option)]
    hovered = QStyleOptionButton(option)
    hovered.state |= flag.State_MouseOver
    variants.append(("hovered", hovered))
    if button.isCheckable():
        flipped = QStyleOptionButton(option)
        if option.state & flag.State_On:
            flipped.state = (flipped.state & ~flag.State_On) | flag.State_Off
            variants.append(("unchecked", flipped))
        else:
            flipped.state = (flipped.state & ~flag.State_Off) | flag.State_On
            variants.append(("checked", flipped))
    return variants


def _check_button_states(button: QAbstractButton, element: QStyle.SubElement,
                         control: QStyle.ControlElement, reserved) -> Misfit | None:
    """The button's text, in the font drawn in each state, against its contents rect in that state."""
    text = without_mnemonic(button.text())
    if not text:
        return None
    style = button.style()
    for state_name, option in _state_variants(button, _button_option(button)):
        room = style.subElementRect(element, option, button)
        available = room.width() - reserved(option)
        font = drawn_font(button, text, lambda painter, o=option: style.drawControl(control, o, painter, button))
        needed = widest_line(QFontMetrics(font), text)
        if needed > available + ROUNDING_SLACK:
            return Misfit(button, text, needed, available, what=f"width ({state_name})" if state_name else "width")
    return None


def check_push_button(button: QPushButton) -> Misfit | None:
    style = button.style()

    def reserved(option: QStyleOptionButton) -> int:
        taken = _icon_width(button)
        if button.menu() is not None:
            taken += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
        return taken

    return _check_button_states(button, QStyle.SubElement.SE_PushButtonContents,
                                QStyle.ControlElement.CE_PushButton, reserved)


def check_indicator_button(button: QCheckBox | QRadioButton) -> Misfit | None:
    """A check box or radio button: the text lies right of the indicator, in *_Contents."""
    if isinstance(button, QCheckBox):
        element, control = QStyle.SubElement.SE_CheckBoxContents, QStyle.ControlElement.CE_CheckBox
    else:
        element, control = QStyle.SubElement.SE_RadioButtonContents, QStyle.ControlElement.CE_RadioButton
    return _check_button_states(button, element, control, lambda option: _icon_width(button))


def check_tool_button(button: QToolButton) -> Misfit | None:
    """A tool button showing text: it needs the width its own size hint asks (text, icon, margins)."""
    if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and not button.icon().isNull():
        return None
    text = without_mnemonic(button.text())
    if not text:
        return None
    hint = button.sizeHint()
    if hint.width() > button.width() + ROUNDING_SLACK:
        needed = widest_line(QFontMetrics(button.font()), text)
        return Misfit(button, text, needed, needed - (hint.width() - button.width()))
    return None


def check_group_box(box: QGroupBox) -> Misfit | None:
    if not box.title():
        return None
    option = QStyleOptionGroupBox()
    option.initFrom(box)
    option.text = box.title()
    option.lineWidth = 1
    option.subControls = QStyle.SubControl.SC_GroupBoxLabel
    if box.isCheckable():
        option.subControls |= QStyle.SubControl.SC_GroupBoxCheckBox
    option.textAlignment = box.alignment()
    style = box.style()
    label = style.subControlRect(QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box)
    text = without_mnemonic(box.title())
    needed = QFontMetrics(drawn_font(box, text)).horizontalAdvance(text)
    available = min(label.width(), box.rect().right() - label.left() + 1)
    if needed > available + ROUNDING_SLACK:
        return Misfit(box, text, needed, available)
    return None


def check_tab_bar(bar: QTabBar) -> list[Misfit]:
    """Each tab's text against the text rect the style gives that tab (what QTabBar elides to)."""
    misfits = []
    style = bar.style()
    fonts = dict(drawn_fonts(bar))
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        option = QStyleOptionTab()
        option.initFrom(bar)
        option.rect = bar.tabRect(index)
        option.text = bar.tabText(index)
        option.icon = bar.tabIcon(index)
        option.iconSize = bar.iconSize() if not option.icon.isNull() else QSize()
        option.shape = bar.shape()
        option.documentMode = bar.documentMode()
        if index == bar.currentIndex():
            option.state |= QStyle.StateFlag.State_Selected
        room = style.subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
        text = without_mnemonic(bar.tabText(index))
        vertical = bar.shape() in (QTabBar.Shape.RoundedWest, QTabBar.Shape.RoundedEast,
                                   QTabBar.Shape.TriangularWest, QTabBar.Shape.TriangularEast)
        available = room.height() if vertical else room.width()
        needed = QFontMetrics(_tab_font(bar, text, fonts)).horizontalAdvance(text)
        if needed > available + ROUNDING_SLACK:
            misfits.append(Misfit(bar, text, needed, available, what=f"width (tab {index})"))
        elif not bar.rect().contains(option.rect):
            misfits.append(Misfit(bar, text, option.rect.right() + 1, bar.width(), what=f"tab bar width (tab {index} scrolled off)"))
    return misfits


def _tab_font(bar: QTabBar, text: str, fonts: dict[str, QFont]) -> QFont:
    """The font a tab was drawn with: its own text's, or an elided text's ("Expl…") that starts like it."""
    if text in fonts:
        return fonts[text]
    for drawn, font in fonts.items():
        if drawn.endswith("…") and text.startswith(drawn[:-1]):
            return font
    return bar.font()


def check_line_edit(edit: QLineEdit) -> Misfit | None:
    """A line's text (or, when empty, its placeholder) against the width QLineEdit draws it in."""
    text = edit.displayText() or edit.placeholderText()
    if not text:
        return None
    option = QStyleOptionFrame()
    option.initFrom(edit)
    option.rect = edit.rect()
    option.lineWidth = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, edit) if edit.hasFrame() else 0
    option.midLineWidth = 0
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    available = room.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN
    available -= _action_width(edit)
    needed = QFontMetrics(edit.font()).horizontalAdvance(text)
    if needed > available + ROUNDING_SLACK:
        return Misfit(edit, text, needed, available, what="width (placeholder)" if not edit.displayText() else "width")
    return None


def _action_width(edit: QLineEdit) -> int:
    """Room taken by the line edit's own buttons (the clear button, added actions)."""
    shown = [w for w in edit.findChildren(QToolButton) if w.isVisible()]
    return sum(w.width() for w in shown)


def check_combo_box(combo: QComboBox) -> Misfit | None:
    """The chosen item's text against the combo's edit field (an editable combo is a line edit)."""
    if combo.isEditable():
        return None
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.editable = False
    option.frame = combo.hasFrame()
    option.currentText = text
    option.currentIcon = combo.itemIcon(combo.currentIndex())
    option.iconSize = combo.iconSize()
    option.subControls = QStyle.SubControl.SC_All
    room = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo)
    available = room.width() - (combo.iconSize().width() + ICON_TEXT_GAP if not option.currentIcon.isNull() else 0)
    needed = QFontMetrics(combo.font()).horizontalAdvance(text)
    if needed > available + ROUNDING_SLACK:
        return Misfit(combo, text, needed, available)
    return None


ITEM_LIMIT = 400
"""Items checked per view: enough for a palette or a summary table, bounded for big tables."""


def _shown_indexes(view: QAbstractItemView):
    """The indexes of a view a user can reach without expanding anything (all rows, not only those scrolled to)."""
    model = view.model()
    if model is None:
        return
    stack = [QModelIndex()]
    count = 0
    while stack and count < ITEM_LIMIT:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                count += 1
                yield index
            first = model.index(row, 0, parent)
            if isinstance(view, QTreeView) and view.isExpanded(first) and model.hasChildren(first):
                stack.append(first)


def check_item_view(view: QAbstractItemView) -> list[Misfit]:
    """Each item's text against its cell (which Qt elides to) and, in a one-column list or tree,
    against the view's visible width (a narrow palette cuts its items at the edge)."""
    misfits = []
    style = view.style()
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    viewport = view.viewport().rect()
    one_column = view.model() is not None and view.model().columnCount(view.rootIndex()) == 1
    for index in _shown_indexes(view):
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            continue
        if isinstance(view, QTreeView) and view.isRowHidden(index.row(), index.parent()):
            continue
        cell = view.visualRect(index)
        if cell.isEmpty():
            continue
        font = index.data(Qt.ItemDataRole.FontRole) or view.font()
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        taken = margin + (view.iconSize().width() + ICON_TEXT_GAP if icon is not None and view.iconSize().isValid() else 0)
        if icon is not None and not view.iconSize().isValid():
            taken += style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, view) + ICON_TEXT_GAP
        needed = widest_line(QFontMetrics(font), text)
        if needed > cell.width() - taken + ROUNDING_SLACK:
            misfits.append(Misfit(view, text, needed, cell.width() - taken, what=f"width (item row {index.row()})"))
        elif one_column and cell.left() + taken + needed > viewport.right() + 1 + ROUNDING_SLACK:
            available = viewport.right() + 1 - cell.left() - taken
            misfits.append(Misfit(view, text, needed, available, what=f"view width (item row {index.row()})"))
    return misfits


def hidden_by_parents(widget: QWidget) -> int:
    """Pixels of the widget's width outside its parents, its scroll viewports and its window.

    A row laid out wider than its parent is cut at the parent's edge; a panel wider than its
    scroll area's view is cut at the view's edge. Only the horizontal extent counts: what lies
    below the fold is scrolled to.
    """
    left, right = 0, widget.width()
    child, ancestor = widget, widget.parentWidget()
    while ancestor is not None and not child.isWindow():
        origin = widget.mapTo(ancestor, QPoint(0, 0)).x()
        left, right = max(left, -origin), min(right, ancestor.width() - origin)
        child, ancestor = ancestor, ancestor.parentWidget()
    return widget.width() - max(right - left, 0)


TEXT_WIDGETS = (QLabel, QAbstractButton, QGroupBox, QLineEdit, QComboBox)


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QGroupBox):
        return widget.title()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.displayText() or widget.placeholderText()
    if isinstance(widget, QLabel):
        return plain_text(widget.text(), _label_is_rich(widget))
    return widget.text()


def _text_extent(widget: QWidget) -> int:
    """How far right of the widget's left edge its text reaches (the whole widget for controls)."""
    if not isinstance(widget, QLabel) or not widget.alignment() & Qt.AlignmentFlag.AlignLeft:
        return widget.width()
    room = _label_room(widget)
    if widget.wordWrap():
        return widget.width()
    return min(room.left() + widest_line(QFontMetrics(widget.font()), _text_of(widget)), widget.width())


def check_cut_by_parents(widget: QWidget) -> Misfit | None:
    """Text whose widget reaches past its parent's (or the view's) right or left edge."""
    if not isinstance(widget, TEXT_WIDGETS) or not _text_of(widget):
        return None
    lost = hidden_by_parents(widget)
    if lost <= ROUNDING_SLACK:
        return None
    shown_width = widget.width() - lost
    extent = _text_extent(widget)
    if extent <= shown_width + ROUNDING_SLACK:
        return None
    return Misfit(widget, _text_of(widget), extent, shown_width, what="width (cut by its parent or the view)")


def check_page_width(area: QAbstractScrollArea) -> Misfit | None:
    """A panel's page needs no sideways scrolling: what lies beyond the view's right edge is cut."""
    bar = area.horizontalScrollBar()
    if not bar.isVisible() or bar.maximum() <= 0:
        return None
    view = area.viewport().width()
    return Misfit(area, "the whole page", view + bar.maximum(), view, what="width (page scrolls sideways)")


def check_widget(widget: QWidget) -> list[Misfit]:
    """The misfits of one widget (most kinds have at most one text)."""
    if isinstance(widget, QTabBar):
        return check_tab_bar(widget)
    if isinstance(widget, QAbstractItemView):
        return check_item_view(widget)
    cut = check_cut_by_parents(widget)
    if cut is not None:
        return [cut]
    found = None
    if isinstance(widget, QLabel):
        found = check_label(widget)
    elif isinstance(widget, (QCheckBox, QRadioButton)):
        found = check_indicator_button(widget)
    elif isinstance(widget, QPushButton):
        found = check_push_button(widget)
    elif isinstance(widget, QToolButton):
        if not isinstance(widget.parentWidget(), (QLineEdit, QTabBar)):  # a line edit's clear button, tab scrollers
            found = check_tool_button(widget)
    elif isinstance(widget, QGroupBox):
        found = check_group_box(widget)
    elif isinstance(widget, QLineEdit):
        if not isinstance(widget.parentWidget(), QComboBox) or widget.parentWidget().isEditable():
            found = check_line_edit(widget)
    elif isinstance(widget, QComboBox):
        found = check_combo_box(widget)
    return [found] if found else []


def shown(widget: QWidget) -> bool:
    """Shown by its window (scrolled out of a scroll area's view still counts: scrolling does not widen it)."""
    return widget.isVisible()


def unfit_texts(root: QWidget) -> list[Misfit]:
    """Every text under `root` (itself included) that is shown and does not fit its widget."""
    widgets = [root, *root.findChildren(QWidget)]
    misfits: list[Misfit] = []
    for widget in widgets:
        if not shown(widget):
            continue
        misfits += check_widget(widget)
        if isinstance(widget, QScrollArea) and widget.widgetResizable():  # a page, not a canvas or table
            page = check_page_width(widget)
            misfits += [page] if page else []
    return misfits
