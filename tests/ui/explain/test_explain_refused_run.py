"""Choosing a run whose checkpoint is refused after a good one: the Explain panel must not go on
showing the good run's model card, heatmap, filters and activations under the new run's name. It
clears them, names the run that failed, and comes back when a loadable run is chosen again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from explain_ui_support import settle


def broken_copy(run, dest):
    """The same run with a best.pt that torch cannot read (what a half-copied file looks like)."""
    shutil.copytree(run, dest)
    (dest / "best.pt").write_bytes(b"PK\x03\x04 half a checkpoint")
    return dest


def pictures_drawn(panel) -> dict[str, bool]:
    return {
        "cam input": panel.cam.input_picture.rgb is not None,
        "cam heatmap": panel.cam.overlay_picture.rgb is not None,
        "cam facts": bool(panel.cam.facts.text()),
        "filters": panel.filters.picture.rgb is not None,
        "activations": panel.activations.picture.rgb is not None,
        "input thumbnail": panel.inputs.thumb.rgb is not None,
    }


def visit_every_view(panel, qtbot) -> None:
    for view in (panel.filters, panel.activations, panel.cam):
        panel.tabs.setCurrentWidget(view)
        settle(qtbot, panel)


def test_a_refused_checkpoint_clears_the_previous_run(panel, shapes_run, qtbot, tmp_path):
    visit_every_view(panel, qtbot)
    assert all(pictures_drawn(panel).values()), pictures_drawn(panel)
    assert "3 classes" in panel.source.facts.text()

    broken = broken_copy(shapes_run, tmp_path / "broken-run")
    panel.open_run(broken)
    settle(qtbot, panel)

    assert panel.source.runs.path() == broken.resolve()
    assert panel.context.subject is None and panel.source.subject is None
    error = panel.source.error.label.text()
    assert panel.source.error.isVisible() and "broken-run" in error and "best.pt is corrupt" in error
    facts = panel.source.facts.text()
    assert "broken-run" in facts and "3 classes" not in facts and "best val" not in facts
    assert not any(pictures_drawn(panel).values()), pictures_drawn(panel)
    assert panel.cam.view is None and not panel.cam.facts.isVisible()
    assert panel.cam.layer.count() == 0 and panel.filters.layer.count() == 0 and panel.activations.layer.count() == 0
    assert not panel.inputs.open_button.isEnabled()
    visit_every_view(panel, qtbot)  # the other tabs, shown again, stay empty too
    assert not any(pictures_drawn(panel).values()), pictures_drawn(panel)
    assert not panel.filters.facts.text() and not panel.activations.facts.text()
    if os.environ.get("STUDIO_SCREENSHOTS"):
        panel.tabs.setCurrentWidget(panel.cam)
        panel.grab().save(str(Path(os.environ["STUDIO_SCREENSHOTS"]) / "explain-refused-run.png"))

    panel.open_run(shapes_run)  # a good run again: everything comes back, and the banner goes
    settle(qtbot, panel)
    assert panel.context.subject is not None and not panel.source.error.isVisible()
    assert panel.cam.view is not None and "3 classes" in panel.source.facts.text()


def test_a_refused_run_picked_from_the_list_clears_the_batch_grid(panel, shapes_run, qtbot, tmp_path):
    panel.cam.mode.set_value("batch")
    settle(qtbot, panel)
    assert panel.cam.tiles and panel.cam.batch_facts.text()
    broken = broken_copy(shapes_run, tmp_path / "half-copied")
    panel.known_runs.add(broken.resolve())
    assert panel.source.runs.select(broken)  # as a user picks it in the list
    settle(qtbot, panel)
    assert panel.context.subject is None and "half-copied" in panel.source.error.label.text()
    assert not panel.cam.tiles and not panel.cam.batch_facts.text()
    assert "half-copied" in panel.source.facts.text()


def test_a_dropped_20000_pixel_image_is_named_and_the_input_stays(panel, qtbot, tmp_path):
    from image_files import write_bilevel_png
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    before = panel.context.x.clone()
    huge = write_bilevel_png(tmp_path / "poster.png", 20000, 20000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(huge))])
    panel.dropEvent(QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier))
    settle(qtbot, panel)
    message = panel.inputs.error.label.text()
    assert panel.inputs.error.isVisible() and "poster.png" in message
    assert "20000×20000 pixels" in message and "89.5 megapixels" in message
    assert panel.context.input_name != "poster.png" and bool((panel.context.x == before).all())
