"""The main window as a newcomer first sees it: the example, six panels, the menus, undo."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio.core.resources import default_example_path


def _menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_opens_on_the_example_with_all_six_panels(launch):
    window = launch()
    example = json.loads(default_example_path().read_text())
    assert window.state.project.name == example["name"]
    assert window.state.path is None, "the example opens as an untitled copy"
    assert not window.state.dirty
    titles = [window.docks[k].windowTitle() for k in ("build", "data", "train", "explain", "audio", "export")]
    assert titles == ["Build", "Data", "Train", "Explain", "Audio", "Export"]
    build = window.panels["build"]
    table = build.node_table
    assert table.rowCount() == len(example["graph"]["nodes"])
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [n["id"] for n in example["graph"]["nodes"]]
    conv1 = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "conv1")
    assert table.item(conv1, 1).text() == "Conv2d"
    assert "out_channels=32" in table.item(conv1, 2).text()
    assert build.name_edit.text() == example["name"]
    assert build.description_edit.toPlainText() == example["description"]
    # Planned panels show the project's real settings, not invented numbers.
    facts = window.panels["train"].fact_texts()
    assert facts["Batch size"] == str(example["training"]["batch_size"])
    assert window.panels["data"].fact_texts()["Dataset"] == example["data"]["dataset"]


def test_panels_are_docks_that_can_be_rearranged(launch):
    window = launch()
    train = window.docks["train"]
    assert window.tabifiedDockWidgets(window.docks["build"]), "panels start as tabs of one group"
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, train)
    assert window.dockWidgetArea(train) == Qt.DockWidgetArea.RightDockWidgetArea
    window.reset_layout()
    assert window.dockWidgetArea(train) == window.dockWidgetArea(window.docks["build"])
    assert train in window.tabifiedDockWidgets(window.docks["build"])


def test_menus_hold_the_promised_commands(launch):
    window = launch()
    bar_titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert bar_titles == ["File", "Edit", "View", "Help"]
    file_items = _menu_texts(window.file_menu)
    for item in ("New", "New from template", "Open…", "Open recent", "Save", "Save as…", "Quit"):
        assert item in file_items
    assert "MNIST CNN" in _menu_texts(window.template_menu)
    assert [t.split(" ")[0] for t in _menu_texts(window.edit_menu)] == ["Undo", "Redo"]
    view_items = _menu_texts(window.view_menu)
    for item in ("Build", "Data", "Train", "Explain", "Audio", "Export", "Light theme", "Dark theme", "Reset layout"):
        assert item in view_items
    assert _menu_texts(window.help_menu) == ["About Studio"]


def test_view_menu_hides_and_shows_a_panel(launch):
    window = launch()
    toggle = window.docks["audio"].toggleViewAction()
    toggle.trigger()
    assert window.docks["audio"].isHidden()
    toggle.trigger()
    assert not window.docks["audio"].isHidden()


def test_editing_the_name_is_undoable_and_marks_the_title(launch, qtbot):
    window = launch()
    build = window.panels["build"]
    original = window.state.project.name
    assert "*" not in window.windowTitle().replace("[*]", "") and not window.isWindowModified()
    build.name_edit.setFocus()
    build.name_edit.selectAll()
    qtbot.keyClicks(build.name_edit, "Digits net")
    assert window.state.project.name == "Digits net"
    assert window.isWindowModified() and window.state.dirty
    assert "Digits net" in window.windowTitle()
    # Typing is one undo step, not one per key.
    assert window.action_undo.isEnabled()
    assert window.action_undo.text().replace("&", "") == "Undo Rename project"
    window.action_undo.trigger()
    assert window.state.project.name == original
    assert build.name_edit.text() == original
    assert not window.isWindowModified()
    window.action_redo.trigger()
    assert window.state.project.name == "Digits net"
    assert build.name_edit.text() == "Digits net"


def test_description_edit_is_undoable(launch, qtbot):
    window = launch()
    build = window.panels["build"]
    before = window.state.project.description
    build.description_edit.setPlainText("A smaller net for the digits")
    assert window.state.project.description == "A smaller net for the digits"
    window.state.undo_stack.undo()
    assert window.state.project.description == before
    assert build.description_edit.toPlainText() == before


def test_theme_choice_persists_to_the_next_launch(launch, qtbot):
    from studio.ui import theme

    window = launch()
    window.theme_actions["dark"].trigger()
    dark_window_colour = theme.colors("dark")["window"]
    assert QApplication.instance().palette().window().color().name() == dark_window_colour
    window.close()
    theme.apply_theme(QApplication.instance(), "light")  # as if the app had restarted fresh
    again = launch()
    assert QApplication.instance().palette().window().color().name() == dark_window_colour
    assert again.theme_actions["dark"].isChecked()
    again.theme_actions["light"].trigger()


def test_layout_persists_to_the_next_launch(launch):
    window = launch()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.docks["export"])
    window.docks["audio"].hide()
    window.close()
    again = launch()
    assert again.dockWidgetArea(again.docks["export"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert again.docks["audio"].isHidden()
