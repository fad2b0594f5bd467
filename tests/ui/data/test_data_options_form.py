"""The Data panel shows each dataset kind's options as a form: a folder of class folders or a CSV file
chosen with Browse or typed, the image size, the target column from the file's header, the text data
set's level and context. A choice is tried before it is written: when it loads it becomes the
project's (one undoable step), when it does not the loader's message says why and the project is
kept as it was. Options typed for a kind come back when the user switches away and back."""

from __future__ import annotations

import copy

from data_form_support import field, pictures, settled, shown_classes, table, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
)


def test_a_folder_chosen_with_browse_loads_its_classes_and_undo_restores_digits(qtbot, panel, state, tmp_path,
                                                                                monkeypatch):
    root = pictures(tmp_path / "pets", ("cats", "dogs"))
    before = copy.deepcopy(state.project.data)
    panel.dataset_box.setCurrentText("folder")
    # Nothing to load yet: the page asks for the folder and the project still trains on digits.
    assert panel.error.key() == "needs_input" and "Folder" in panel.error.text()
    assert state.project.data == before
    edit = field(panel, "root", QLineEdit)
    browse = panel.options_form.browse["root"]
    assert isinstance(browse, QPushButton) and browse.isVisible() and browse.text() == "Browse…"
    size = field(panel, "image_size", QSpinBox)
    assert size.value() == 64 and (size.minimum(), size.maximum()) == (4, 4096)
    assert isinstance(field(panel, "channels"), QComboBox)
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kw: asked.append(args) or str(root)))
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert asked and edit.text() == str(root)
    settled(qtbot, panel, lambda: state.project.data["dataset"] == "folder")
    assert state.project.data["options"] == {"root": str(root)}
    assert not panel.error.isVisible()
    assert shown_classes(panel) == ["cats", "dogs"] and "2 classes" in panel.summary.text()
    assert tuple(panel.snapshot.bundle.input_shape) == (1, 64, 64)

    size.setValue(16)  # as an edit committed with Enter (the spin box does not track each key)
    settled(qtbot, panel, lambda: tuple(panel.snapshot.bundle.input_shape) == (1, 16, 16))
    assert state.project.data["options"] == {"root": str(root), "image_size": 16}
    assert shown_classes(panel) == ["cats", "dogs"]

    state.undo_stack.undo()  # the image size
    assert state.project.data["options"] == {"root": str(root)} and size.value() == 64
    state.undo_stack.undo()  # the switch to the folder: digits as before, in one step
    assert state.project.data == before
    assert panel.dataset_box.currentText() == "digits"
    settled(qtbot, panel, lambda: panel.snapshot is not None and panel.snapshot.bundle.name == "digits")

    panel.dataset_box.setCurrentText("folder")  # the folder typed before comes back with its kind
    assert field(panel, "root", QLineEdit).text() == str(root)
    settled(qtbot, panel, lambda: state.project.data["dataset"] == "folder")
    assert state.project.data["options"]["root"] == str(root)


def test_a_csv_file_typed_in_loads_with_the_target_chosen_from_its_columns(qtbot, panel, state, tmp_path):
    path = table(tmp_path / "boxes.csv")
    panel.dataset_box.setCurrentText("csv")
    assert panel.error.key() == "needs_input"
    type_into(qtbot, field(panel, "path", QLineEdit), str(path))
    settled(qtbot, panel, lambda: state.project.data["dataset"] == "csv")
    assert state.project.data["options"] == {"path": str(path)}
    assert shown_classes(panel) == ["tall", "wide"]  # the last column, text: classes
    target = field(panel, "target", QComboBox)
    items = [target.itemText(i) for i in range(target.count())]
    assert items == ["the last column (kind)", "width", "height", "score", "kind"]

    before = copy.deepcopy(state.project.data)
    target.setCurrentIndex(items.index("height"))  # then the text column "kind" would be a feature
    settled(qtbot, panel, lambda: panel.error.key() == "load_failed")
    assert "'kind' is not a number" in panel.error.text() and str(path) in panel.error.text()
    assert state.project.data == before, "a target that does not load is not written"
    target.setCurrentIndex(items.index("kind"))  # named explicitly: loads, and is written
    settled(qtbot, panel, lambda: state.project.data["options"].get("target") == "kind")
    assert not panel.error.isVisible() and shown_classes(panel) == ["tall", "wide"]
    assert panel.snapshot.bundle.notes == "features: width, height, score"
    task = field(panel, "task", QComboBox)
    assert [task.itemText(i) for i in range(task.count())] == ["automatic", "classification", "regression"]
    task.setCurrentIndex(task.findData("regression"))
    settled(qtbot, panel, lambda: "cannot be regressed" in panel.error.text())
    assert "task" not in state.project.data["options"]
    state.undo_stack.undo()  # the target; then the switch to the CSV
    assert state.project.data["options"] == {"path": str(path)}
    state.undo_stack.undo()
    assert state.project.data["dataset"] == "digits" and state.project.data["options"] == {}


def test_a_folder_with_one_class_or_none_says_why_and_the_project_is_kept(qtbot, panel, state, tmp_path):
    one = pictures(tmp_path / "one", ("cats",))
    empty = tmp_path / "empty"
    empty.mkdir()
    before = copy.deepcopy(state.project.data)
    panel.dataset_box.setCurrentText("folder")
    edit = field(panel, "root", QLineEdit)
    type_into(qtbot, edit, str(one))
    settled(qtbot, panel, lambda: panel.error.key() == "load_failed")
    assert str(one) in panel.error.text() and "1 class sub-folder" in panel.error.text()
    assert state.project.data == before, "a folder that does not load is not written"
    assert panel.snapshot is None and "digits" in panel.summary.text()
    assert panel.dataset_box.currentText() == "folder" and edit.text() == str(one), "what was typed stays"

    type_into(qtbot, edit, str(empty))
    settled(qtbot, panel, lambda: str(empty) in panel.error.text())
    assert "0 class sub-folder" in panel.error.text()
    assert state.project.data == before and state.undo_stack.count() == 0

    panel.dataset_box.setCurrentText("digits")  # back to the project's own: it shows again
    settled(qtbot, panel, lambda: panel.snapshot is not None)
    assert not panel.error.isVisible() and state.project.data == before
    panel.dataset_box.setCurrentText("folder")
    assert field(panel, "root", QLineEdit).text() == str(empty), "the typed path is not lost"


def test_the_text_data_set_takes_a_level_and_a_context(qtbot, panel, state):
    panel.dataset_box.setCurrentText("text")  # no file needed: the built-in stories
    settled(qtbot, panel, lambda: state.project.data["dataset"] == "text")
    path = field(panel, "path", QLineEdit)
    assert path.text() == "" and path.placeholderText() == "the built-in stories"
    level = field(panel, "level", QComboBox)
    assert [level.itemData(i) for i in range(level.count())] == ["char", "word"]
    context = field(panel, "context", QSpinBox)
    assert context.value() == 64
    context.setValue(24)
    settled(qtbot, panel, lambda: panel.snapshot is not None and panel.snapshot.bundle.x_train.shape[1] == 24)
    assert state.project.data["options"] == {"context": 24}
    level.setCurrentIndex(level.findData("word"))
    settled(qtbot, panel, lambda: state.project.data["options"].get("level") == "word")
    settled(qtbot, panel, lambda: "word level" in panel.gallery.text())
    stride = field(panel, "stride", QSpinBox)
    assert stride.text() == "half the context"


def test_vision_data_sets_offer_their_folder_download_and_limit(qtbot, panel, state, tmp_path):
    panel.dataset_box.setCurrentText("mnist")
    settled(qtbot, panel, lambda: panel.error.key() == "load_failed")
    assert "mnist" in panel.error.text().lower() and state.project.data["dataset"] == "digits"
    assert isinstance(field(panel, "download"), QCheckBox)
    root = field(panel, "root", QLineEdit)
    type_into(qtbot, root, str(tmp_path))
    settled(qtbot, panel, lambda: str(tmp_path) in panel.error.text())
    assert state.project.data["dataset"] == "digits"


def test_going_back_before_a_tried_kind_has_loaded_keeps_the_projects(qtbot, panel, state):
    before = copy.deepcopy(state.project.data)
    panel.dataset_box.setCurrentText("shapes")
    panel.dataset_box.setCurrentText("digits")  # changed their mind while shapes was loading
    settled(qtbot, panel, lambda: panel.snapshot is not None)
    qtbot.wait(200)
    assert panel.snapshot.bundle.name == "digits" and "1,438 training" in panel.summary.text()
    assert state.project.data == before and state.undo_stack.count() == 0
