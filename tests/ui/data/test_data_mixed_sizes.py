"""Issue 16: a folder of pictures of two sizes chosen in the Data panel loads, and the page says, in
an amber bar at its top, that the images are not one size (two of them named with their sizes) and
to set Image size; once an image size is set they are resized on purpose and the bar goes."""

from __future__ import annotations

import os

from data_form_support import field, settled, type_into
from PIL import Image
from PySide6.QtWidgets import QLineEdit, QSpinBox

from studio.ui.common.messages import WARNING


def _pets_of_two_sizes(tmp_path):
    """cats/ of 40x30 pictures and dogs/ of 64x64 ones, four each."""
    root = tmp_path / "pets"
    for cls, size in (("cats", (40, 30)), ("dogs", (64, 64))):
        (root / cls).mkdir(parents=True)
        for i in range(4):
            Image.new("L", size, 40 + 50 * i).save(root / cls / f"{i}.png")
    return root


def test_mixed_sizes_warn_at_the_top_until_an_image_size_is_set(qtbot, panel, state, tmp_path):
    root = _pets_of_two_sizes(tmp_path)
    panel.dataset_box.setCurrentText("folder")
    type_into(qtbot, field(panel, "root", QLineEdit), str(root))
    settled(qtbot, panel, lambda: state.project.data["dataset"] == "folder" and panel.snapshot is not None)
    assert panel.error.isVisible() and panel.error.key() == "data_warning" and panel.error.level() == WARNING
    text = panel.error.text()
    assert "cats/0.png is 40×30" in text and "dogs/0.png is 64×64" in text and "set Image size" in text
    assert panel.error.title.text() == "Loaded, but look at this"
    assert panel.snapshot.bundle.input_shape == (1, 64, 64), "the data set is there: it loaded"
    if os.environ.get("STUDIO_SHOT_DIR"):
        panel.grab().save(os.path.join(os.environ["STUDIO_SHOT_DIR"], "data-mixed-sizes.png"))

    field(panel, "image_size", QSpinBox).setValue(32)
    settled(qtbot, panel, lambda: state.project.data["options"].get("image_size") == 32
            and panel.snapshot is not None and panel.snapshot.bundle.input_shape == (1, 32, 32))
    assert not panel.error.isVisible(), "a chosen size resizes them all: nothing left to warn about"
    state.undo_stack.undo()
    settled(qtbot, panel, lambda: panel.error.key() == "data_warning")


def test_enter_on_the_shown_default_size_makes_it_the_projects_choice(qtbot, panel, state, tmp_path):
    """The box shows 64 while no size is set; pressing Enter on it sets 64 and the warning goes
    (before, only another value counted as a choice, so 64 itself could not be chosen)."""
    from PySide6.QtCore import Qt

    root = _pets_of_two_sizes(tmp_path)
    panel.dataset_box.setCurrentText("folder")
    type_into(qtbot, field(panel, "root", QLineEdit), str(root))
    settled(qtbot, panel, lambda: panel.snapshot is not None and panel.error.key() == "data_warning")
    size = field(panel, "image_size", QSpinBox)
    assert size.value() == 64 and "image_size" not in state.project.data["options"]
    size.setFocus()
    qtbot.keyClick(size, Qt.Key.Key_Return)
    settled(qtbot, panel, lambda: state.project.data["options"].get("image_size") == 64)
    settled(qtbot, panel, lambda: not panel.error.isVisible())
