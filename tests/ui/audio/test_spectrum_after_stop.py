"""Issue 20, item 14: after Stop, the Sampling view's spectrum pane shows the recording's curves.

A recording usually starts with a few seconds of silence (the user presses Record, then speaks).
The pane used to take its spectrum from the first 32768 samples only: at 8 kHz that is the first
4.1 s, all silence, whose -120 dB floor lies below the plot's visible range, so the pane was empty.
"""

from __future__ import annotations

import subprocess
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.core.audio.wav import save_wav

RATE = 8000


def visible_points(curve, plot) -> int:
    """How many of the curve's points lie inside the plot's visible range, above its bottom edge:
    what a user can actually see of the curve."""
    x, y = curve.getData()
    if x is None or not curve.isVisible():
        return 0
    (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
    inside = (x >= x0) & (x <= x1) & (y > y0 + 1.0) & (y <= y1)
    return int(np.count_nonzero(inside))


def voiced_sound(seconds: float, rate: int) -> np.ndarray:
    """A vowel-like sound: harmonics of 150 Hz under a syllable-rate envelope."""
    t = np.arange(int(seconds * rate)) / rate
    voice = sum(np.sin(2 * np.pi * 150.0 * k * t) / k for k in range(1, 16))
    envelope = 0.5 * (1.0 - np.cos(2 * np.pi * 3.0 * t))
    return (0.3 * voice * envelope / np.abs(voice).max()).astype(np.float32)


def show_sampling(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    panel.tabs.setCurrentWidget(panel.sampling)
    panel.transcript.live.setChecked(False)


def test_a_clip_that_starts_with_silence_shows_its_spectrum(panel, qtbot, tmp_path):
    show_sampling(panel, qtbot)
    path = tmp_path / "pause-then-speech.wav"
    save_wav(path, np.concatenate([np.zeros(5 * RATE, np.float32), voiced_sound(1.5, RATE)]), RATE, "pcm16")
    assert panel.open_wav(path)
    view = panel.sampling
    assert view.source.kind.currentData() == "recording" and view.result.target_rate == RATE
    assert visible_points(view.spectrum_sampled, view.freq_plot) > 100, "the 'after sampling' curve is drawn"
    assert visible_points(view.spectrum_original, view.freq_plot) > 100, "and so is the original"
    _x, db = view.spectrum_sampled.getData()
    assert db.max() > -40.0, "the curve shows the sound, not the silence before it"
    a, b = view.samples.visible_slice()
    assert np.abs(view.samples.samples[a:b]).max() > 0.05, "the time pane is zoomed on the sound too"


def test_a_silent_recording_says_so_and_draws_the_floor(panel, qtbot, tmp_path):
    show_sampling(panel, qtbot)
    path = tmp_path / "silence.wav"
    save_wav(path, np.zeros(3 * RATE, np.float32), RATE, "pcm16")
    assert panel.open_wav(path)
    view = panel.sampling
    assert "silent" in view.info.text()
    assert visible_points(view.spectrum_sampled, view.freq_plot) > 100, "the floor is drawn inside the plot"


@pytest.mark.mic
def test_recording_at_8_khz_then_stop_shows_the_spectrum(virtual_mic, sentence_wav, panel, qtbot):
    path, _text = sentence_wav
    show_sampling(panel, qtbot)
    panel.rate.setCurrentIndex(panel.rate.findData(RATE))
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.recorder.capture is not None and panel.recorder.capture.ring.written > 0,
                    timeout=10000)
    qtbot.wait(4500)  # the user takes a breath before speaking
    player = subprocess.Popen(["paplay", f"--device={virtual_mic.SINK}", str(path)])
    deadline = time.monotonic() + 20
    while player.poll() is None and time.monotonic() < deadline:
        qtbot.wait(50)
    qtbot.wait(300)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.clip is not None, timeout=5000)

    view = panel.sampling
    assert panel.clip_rate == RATE and view.source.kind.currentData() == "recording"
    assert np.abs(panel.clip).max() > 0.1, "the sentence was recorded"
    assert visible_points(view.spectrum_sampled, view.freq_plot) > 100, "the 'after sampling' curve is drawn"
    assert visible_points(view.spectrum_original, view.freq_plot) > 100
