"""The Export page as a drop target and its run lists: real drag events through the scroll area, and
runs the app finishes offered without pressing Refresh."""

from __future__ import annotations

import shutil

from explain_export_drags import drag_away, drag_over
from export_ui_projects import tiny_cnn_project


def test_dragging_a_model_over_the_page_lights_the_inference_drop_zone(qtbot, tmp_path):
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState

    panel = ExportPanel(AppState(tiny_cnn_project()))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    zone = panel.inference.drop_zone
    notes = tmp_path / "notes.txt"
    assert not drag_over(panel.viewport(), notes), "a text file is not Export's business"
    assert zone.property("hover") != "true"
    assert drag_over(panel.viewport(), tmp_path / "model.onnx")
    assert zone.property("hover") == "true"
    drag_away(panel.viewport())
    assert zone.property("hover") == "false"
    assert drag_over(panel.viewport(), notes, tmp_path / "digit.PNG"), "one usable file among others is enough"


def test_a_run_the_app_finishes_is_offered_to_export_and_to_distillation(qtbot, tiny_run, tmp_path, monkeypatch):
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState

    monkeypatch.chdir(tmp_path)  # runs/ in the working folder is one of the places searched
    state = AppState(tiny_cnn_project())
    panel = ExportPanel(state)
    qtbot.addWidget(panel)
    assert panel.export_section.runs.path() is None and panel.distill_section.teacher.path() is None
    finished = tmp_path / "runs" / "tiny-finished"
    shutil.copytree(tiny_run, finished)
    state.run_ended.emit(finished)
    assert panel.export_section.runs.path() == finished.resolve()
    assert panel.distill_section.teacher.path() == finished.resolve()
    assert panel.export_section.runs.combo.isEnabled()
