"""A verdict that fails to compute is shown, not swallowed."""

from __future__ import annotations

import studio.ui.panels.train as train_module


def test_a_failing_verdict_is_shown_in_the_panel(qtbot, train_panel, monkeypatch):
    def broken(curves, *_unigram):
        raise ValueError("the curves could not be read")

    monkeypatch.setattr(train_module, "diagnose", broken)
    train_panel._update_verdict()
    qtbot.waitUntil(lambda: train_panel.error_label.isVisible(), timeout=10_000)
    assert "the curves could not be read" in train_panel.error_label.text()
