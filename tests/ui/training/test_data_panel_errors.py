"""The Data panel when the data set cannot be loaded: the reason is at the top of the page where the
user is looking, every "loading…" placeholder is gone, the previous data set's pictures are not
left behind, and the project is kept as it is (fixing the data set brings the page back)."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, QRect
from ui_builders import make_project

from studio.ui.state import AppState
from studio.ui.training.commands import SetDataField

LOADING = "loading…"


def pets_with_a_broken_picture(root: Path) -> Path:
    """ROOT/cats, ROOT/dogs with real PNGs; cats/0-broken.png (sorted first) is garbage."""
    for cls in ("cats", "dogs"):
        (root / cls).mkdir(parents=True)
        for i in range(1, 4):
            Image.new("L", (8, 8), 40 * i).save(root / cls / f"{i}.png")
    bad = root / "cats" / "0-broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n but then nothing an image needs")
    return bad


def make_panel(qtbot, state):
    from studio.ui.panels.data import DataPanel

    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1300, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def on_screen(panel, widget) -> bool:
    """True when the whole widget lies inside the part of the page the scroll area shows now."""
    viewport = panel.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return QRect(QPoint(0, 0), viewport.size()).contains(QRect(top_left, widget.size()))


def visible_texts(panel) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in panel.findChildren(QLabel) if label.isVisible()]


def test_a_folder_with_a_broken_image_shows_the_file_at_the_top(qtbot, tmp_path):
    bad = pets_with_a_broken_picture(tmp_path / "pets")
    data = {"dataset": "folder", "options": {"root": str(tmp_path / "pets"), "image_size": 8, "channels": 1}}
    state = AppState(make_project(data=data))
    panel = make_panel(qtbot, state)
    qtbot.waitUntil(lambda: panel.error.isVisible() and not panel.busy, timeout=60_000)
    qtbot.wait(50)
    assert bad.name in panel.error.text() and str(bad) in panel.error.text()
    assert on_screen(panel, panel.error), "the reason must be visible without scrolling"
    assert not [t for t in visible_texts(panel) if LOADING in t], "no placeholder may claim it is still loading"
    assert state.project.data == {**make_project(data=data).data}, "the project is kept as it was"
    assert panel.dataset_box.currentText() == "folder"
    if os.environ.get("STUDIO_SCREENSHOTS"):
        panel.grab().save(str(Path(os.environ["STUDIO_SCREENSHOTS"]) / "data-panel-broken-image.png"))


def test_switching_from_a_good_data_set_to_a_broken_one_clears_the_old_pictures(qtbot, tmp_path):
    bad = pets_with_a_broken_picture(tmp_path / "pets")
    state = AppState(make_project())
    panel = make_panel(qtbot, state)
    qtbot.waitUntil(lambda: panel.snapshot is not None and not panel.busy, timeout=60_000)
    assert not panel.gallery.pixmap().isNull() and not panel.error.isVisible()
    panel.verticalScrollBar().setValue(panel.verticalScrollBar().maximum())  # the user looked at the batch
    stack = state.undo_stack
    stack.beginMacro("use my pets")
    stack.push(SetDataField(state, "options", {"root": str(tmp_path / "pets"), "image_size": 8}))
    stack.push(SetDataField(state, "dataset", "folder"))
    stack.endMacro()
    qtbot.waitUntil(lambda: panel.error.isVisible() and not panel.busy, timeout=60_000)
    qtbot.wait(50)
    assert str(bad) in panel.error.text()
    assert on_screen(panel, panel.error), "the page scrolls back to the reason"
    assert panel.gallery.pixmap().isNull() and panel.batch_view.pixmap().isNull(), "digits' pictures are gone"
    assert panel.snapshot is None
    assert "digits" not in panel.summary.text() and "1,438" not in panel.summary.text()
    assert not [t for t in visible_texts(panel) if LOADING in t]
    stack.undo()  # back to digits: the page comes back and the banner goes
    qtbot.waitUntil(lambda: panel.snapshot is not None and not panel.busy, timeout=60_000)
    assert not panel.error.isVisible() and "1,438 training" in panel.summary.text()
    assert not panel.gallery.pixmap().isNull()
