"""The panel with and without a microphone; recording and transcribing real speech from the virtual mic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from speech_check import word_error_rate

from studio.ui.common.recorder import REFRESH_HZ


def test_panel_opens_without_an_input_device_and_the_app_still_works(tmp_path):
    """A sound server that cannot be reached leaves PortAudio with no input device at all."""
    script = textwrap.dedent(
        """
        import numpy as np
        from PySide6.QtWidgets import QApplication
        from studio.ui.app import LaunchOptions, create_main_window, make_application
        app = make_application()
        window, _ = create_main_window(app, LaunchOptions(panel="audio"))
        window.show()
        app.processEvents()
        panel = window.panels["audio"]
        panel.tabs.setCurrentWidget(panel.quantization)
        app.processEvents()
        print("MESSAGE", panel.message.isVisible(), panel.message.text())
        print("RECORD", panel.record_button.isEnabled(), panel.start_recording())
        print("SQNR", panel.quantization.sqnr_label.text())
        window.show_panel("build")
        app.processEvents()
        print("BUILD", window.docks["build"].isVisible())
        from studio.ui.app import stop_background_jobs
        stop_background_jobs()  # as the app leaves: background loaders may still be inside torch
        """
    )
    env = dict(os.environ, STUDIO_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen",
               PULSE_SERVER="unix:/nonexistent/studio-test", STUDIO_OFFLINE="1")
    (tmp_path / "cfg").mkdir()
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[3], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines() if " " in line}
    assert lines["MESSAGE"].startswith("True No microphone: no audio input device found")
    assert "open WAV files" in lines["MESSAGE"]
    assert lines["RECORD"] == "False False"
    assert lines["SQNR"].endswith(" dB"), "the quantization lesson works without a microphone"
    assert lines["BUILD"] == "True"


def wait_for_input(panel, qtbot) -> None:
    """PortAudio over PulseAudio takes a moment to deliver its first block."""
    qtbot.waitUntil(lambda: panel.recorder.capture is not None and panel.recorder.capture.ring.written > 0,
                    timeout=10000)


@pytest.mark.mic
def test_panel_lists_the_microphone_and_records_it(virtual_mic, sentence_wav, panel, qtbot):
    path, _text = sentence_wav
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.has_input_device and panel.record_button.isEnabled()
    assert not panel.message.isVisible()
    assert panel.device.currentData() == next(d.index for d in panel.recorder.devices if d.is_default)
    panel.transcript.live.setChecked(False)
    panel.rate.setCurrentIndex(panel.rate.findData(16000))
    assert panel.recorder.timer.interval() <= 1000 / REFRESH_HZ + 1, "views refresh at >= 30 Hz"

    assert panel.start_recording()
    wait_for_input(panel, qtbot)
    player = subprocess.Popen(["paplay", f"--device={virtual_mic.SINK}", str(path)])
    peaks = []
    deadline = time.monotonic() + 20
    while player.poll() is None and time.monotonic() < deadline:
        qtbot.wait(50)
        peaks.append((panel.meter.levels.peak, panel.meter.levels.rms_db))
    qtbot.wait(300)
    drawn = panel.waveform.frames_drawn
    live_samples = panel.waveform.trace.samples.copy()
    panel.stop_recording()
    qtbot.waitUntil(lambda: panel.clip is not None, timeout=5000)

    assert drawn >= 10, "the scrolling waveform redrew while recording"
    assert np.abs(live_samples).max() > 0.05, "the live waveform shows the speech"
    assert max(p for p, _ in peaks) > 0.1, "the level meter's peak moved with the speech"
    assert max(r for _, r in peaks) > -40, "and so did its RMS bar"
    assert panel.overflow_label.text() == "overflows: 0"
    assert panel.clip_rate == 16000
    from studio.core.audio.wav import load_wav

    spoken = load_wav(path)
    assert panel.clip.shape[0] / 16000 > spoken.seconds, "the whole sentence is in the recording"
    assert np.abs(panel.clip).max() > 0.1
    assert panel.sampling.source.kind.currentData() == "recording"


@pytest.mark.mic
def test_transcription_pane_shows_the_final_text(virtual_mic, sentence_wav, whisper_loaded, panel, qtbot):
    path, text = sentence_wav
    panel.show()
    pane = panel.transcript
    pane.language.setCurrentIndex(pane.language.findData("en"))
    assert pane.engine.currentData() == "whisper"
    pane.controller.prepare()
    qtbot.waitUntil(lambda: pane.controller.recognizer is not None, timeout=30000)
    assert pane.controller.recognizer._model is whisper_loaded._model, "the loaded model is shared"
    panel.rate.setCurrentIndex(panel.rate.findData(16000))
    assert panel.start_recording()
    wait_for_input(panel, qtbot)
    virtual_mic.play(path)
    qtbot.waitUntil(lambda: bool(pane.finals), timeout=20000)
    panel.stop_recording()
    final = pane.finals[0]
    assert word_error_rate(text, final.text) <= 0.2, final.text
    assert final.text.strip() in pane.text.toPlainText()
    assert pane.status_kind != "error", pane.status.text()


@pytest.mark.mic
def test_transcribe_clip_of_an_opened_file(sentence_wav, whisper_loaded, panel, qtbot):
    path, text = sentence_wav
    panel.show()
    pane = panel.transcript
    pane.language.setCurrentIndex(pane.language.findData("en"))
    assert panel.open_wav(path)
    assert panel.transcribe_clip()
    qtbot.waitUntil(lambda: bool(pane.finals), timeout=30000)
    assert word_error_rate(text, pane.final_text()) <= 0.2, pane.final_text()
