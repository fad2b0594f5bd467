"""The language model's text sample is shown as the model wrote it: its runs of spaces and line
breaks are part of what it learned (a student reading "the  cat" should see two spaces)."""

from __future__ import annotations

from studio.ui.training.sample_text_view import SampleTextView


def test_runs_of_spaces_in_a_sample_are_kept(qtbot):
    view = SampleTextView()
    qtbot.addWidget(view)
    view.show_event({"event": "sample", "epoch": 3, "prompt": "The ", "temperature": 0.8,
                     "text": "The  old   boat\n  sailed"})
    shown = view.text.toPlainText()
    assert "The  old   boat" in shown
    assert "\n  sailed" in shown
