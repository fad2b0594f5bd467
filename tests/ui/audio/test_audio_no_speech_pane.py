"""The transcription pane says "no speech found" for a clip without a voice, and writes no text."""

from __future__ import annotations

import numpy as np

from studio.core.audio.streaming import TranscriptEvent


def test_a_tone_clip_shows_no_speech_found_and_no_text(whisper_loaded, qtbot):
    from studio.ui.audio.transcript_pane import TranscriptPane

    pane = TranscriptPane()
    qtbot.addWidget(pane)
    pane.engine.setCurrentIndex(pane.engine.findData("whisper"))
    t = np.arange(2 * 16000) / 16000
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    assert pane.controller.transcribe_clip(tone, 16000)
    qtbot.waitUntil(lambda: not pane.controller.busy, timeout=30000)
    assert "No speech found" in pane.status.text(), pane.status.text()
    assert pane.status_kind != "error"
    assert pane.finals == [] and pane.text.toPlainText().strip() == ""


def test_a_sound_without_words_clears_the_live_partial(qtbot):
    from studio.ui.audio.transcript_pane import TranscriptPane

    pane = TranscriptPane()
    qtbot.addWidget(pane)
    pane.add_event(TranscriptEvent("partial", "uh", 1.0, 1.5))
    assert "uh" in pane.text.toPlainText()
    pane.add_event(TranscriptEvent("no_speech", "", 1.0, 2.0, no_speech=True))
    assert pane.text.toPlainText().strip() == "" and pane.finals == []
    assert pane.status_kind != "error"
