"""A project whose description is megabytes long (a pasted file, a data URI) opens as fast as any
other: the description box shows its beginning, read-only, and the project keeps it whole."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData

from studio.core.project import load_project
from studio.core.resources import default_example_path

BIG = 5_000_000


def big_description() -> str:
    """5 MB with no space or line break in it: the worst case for Qt's line breaking (before the
    fix, 1 MB of it kept the window from appearing for 37 s, 2 MB for 75 s)."""
    return ("data:application/octet-stream;base64," + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123" * (BIG // 30))[:BIG]


def test_a_project_with_a_5_mb_description_opens_in_seconds_and_keeps_it(launch, tmp_path, qtbot):
    data = json.loads(default_example_path().read_text(encoding="utf-8"))
    data["description"] = big_description()
    path = tmp_path / "big.studio.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # earlier tests' windows, not ours
    t0 = time.monotonic()
    window = launch(str(path))
    qtbot.wait(50)  # the first frames: layout and paint of the box
    elapsed = time.monotonic() - t0
    assert elapsed < 10, f"the window took {elapsed:.1f} s to appear"
    box = window.panels["build"].description_edit
    shown = box.toPlainText()
    assert 0 < len(shown) <= 3_000 and data["description"].startswith(shown.rstrip("…"))
    assert box.isReadOnly()
    assert "5,000,000 characters" in box.toolTip() and "project file" in box.toolTip()
    assert window.state.project.description == data["description"]
    assert not window.state.dirty, "showing the beginning is not an edit"
    saved = tmp_path / "saved.studio.json"
    assert window.write_to(saved)
    assert load_project(saved).description == data["description"], "saving keeps the whole description"


def test_pasting_megabytes_into_the_box_keeps_the_window_responsive_and_undoes(launch, qtbot):
    window = launch()
    build = window.panels["build"]
    box = build.description_edit
    before = window.state.project.description
    mime = QMimeData()
    mime.setText(big_description())
    box.selectAll()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    t0 = time.monotonic()
    box.insertFromMimeData(mime)
    qtbot.wait(50)
    assert time.monotonic() - t0 < 5
    assert window.state.project.description == big_description()
    assert box.isReadOnly() and len(box.toPlainText()) <= 3_000
    window.state.undo_stack.undo()
    assert window.state.project.description == before
    assert box.toPlainText() == before and not box.isReadOnly()

