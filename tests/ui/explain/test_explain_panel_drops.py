"""The Explain page as a drop target and its run list: real drag events through the scroll area, and
a run the app finishes offered (and loaded) without pressing Refresh."""

from __future__ import annotations

import shutil

from explain_export_drags import drag_away, drag_over
from explain_ui_support import settle


def test_dragging_an_image_or_a_folder_over_the_page_lights_the_input_drop_zone(make_panel, tmp_path):
    panel = make_panel()
    zone = panel.inputs.drop_zone
    assert not drag_over(panel.viewport(), tmp_path / "model.onnx"), "an .onnx file belongs to Export"
    assert zone.property("hover") != "true"
    assert drag_over(panel.viewport(), tmp_path / "cat.JPG")
    assert zone.property("hover") == "true"
    drag_away(panel.viewport())
    assert zone.property("hover") == "false"
    assert drag_over(panel.viewport(), tmp_path), "a folder may be a run"


def test_a_run_the_app_finishes_is_offered_and_loads_without_refresh(make_panel, shapes_run, qtbot, tmp_path,
                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)  # runs/ in the working folder is one of the places searched
    panel = make_panel()
    assert panel.source.runs.path() is None
    finished = tmp_path / "runs" / "shapes-finished"
    shutil.copytree(shapes_run, finished)
    panel.state.run_ended.emit(finished)
    assert panel.source.runs.path() == finished.resolve()
    settle(qtbot, panel)
    assert panel.context.subject is not None and panel.context.subject.run_dir == finished.resolve()
