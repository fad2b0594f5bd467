"""The audio panel's views show what the core computes: aliasing, SQNR, stems, WAV round trips."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from studio.core.audio.quantize import full_scale_amplitude, quantize, sqnr_db, theoretical_sqnr_db
from studio.core.audio.sampling import resample
from studio.core.audio.signals import alias_frequency, tone
from studio.core.audio.spectrum import log_mel_spectrogram
from studio.core.audio.wav import load_wav
from studio.ui.audio.source import ANALOG_RATE, TONE_SECONDS


def test_sampling_view_folds_a_tone_above_half_the_rate(panel, qtbot):
    panel.show()
    panel.tabs.setCurrentWidget(panel.sampling)
    view = panel.sampling
    view.source.set_kind("tone")
    view.source.freq.setValue(7000.0)
    view.set_target_rate(8000)
    view.antialias.setChecked(False)
    r = view.result
    assert r.target_rate == 8000 and r.source.freq_hz == 7000.0
    # the stems are the core's resampling of the same tone, and the alias sits where the rule says
    expected = resample(tone(7000.0, TONE_SECONDS, ANALOG_RATE), ANALOG_RATE, 8000, antialias=False)
    np.testing.assert_allclose(view.samples.samples, expected, atol=1e-6)
    assert r.expected_hz == alias_frequency(7000.0, 8000) == 1000.0
    assert r.measured_hz == pytest.approx(1000.0, abs=2.0)
    assert "folds back to <b>1,000 Hz</b>" in view.info.text()
    assert view.alias_line.isVisible() and view.alias_line.value() == 1000.0
    assert view.nyquist_line.value() == 4000.0

    view.antialias.setChecked(True)
    assert view.result.expected_hz is None
    assert view.result.measured_db < -60.0, "the filter leaves the 7 kHz tone far below full scale"
    assert "removed it" in view.info.text()
    assert not view.alias_line.isVisible()

    view.set_target_rate(16000)  # 7 kHz is below the new f/2: it survives unchanged
    assert view.result.measured_hz == pytest.approx(7000.0, abs=2.0)
    assert "survives" in view.info.text()


def test_sweep_shows_the_fold_track_only_without_the_filter(panel):
    panel.show()
    view = panel.sampling
    panel.tabs.setCurrentWidget(view)
    view.source.set_kind("sweep")
    view.set_target_rate(8000)
    view.antialias.setChecked(False)
    assert view.image.image.isVisible() and view.fold_track.isVisible()
    _, f = view.fold_track.getData()
    assert f.max() <= 4000.0 + 1e-6, "the folded sweep never goes above f/2"
    view.antialias.setChecked(True)
    assert not view.fold_track.isVisible()


@pytest.mark.parametrize(("bits", "mode"), [(1, "mid-rise"), (4, "mid-tread"), (8, "mid-rise"), (16, "mid-tread")])
def test_quantization_figures_are_the_core_figures(panel, bits, mode):
    panel.show()
    panel.tabs.setCurrentWidget(panel.quantization)
    view = panel.quantization
    view.source.set_kind("tone")
    view.source.freq.setValue(440.0)
    view.set_mode(mode)
    view.set_bits(bits)
    # a generated tone is scaled to the quantizer's full scale: its peak on the top level
    x = (tone(440.0, TONE_SECONDS, ANALOG_RATE) * full_scale_amplitude(bits, mode)).astype(np.float32)
    q = quantize(x, bits, mode)
    assert q.clipped == 0
    assert view.sqnr_label.text() == f"{sqnr_db(x, q.samples):.2f} dB"
    assert view.theory_label.text() == f"{theoretical_sqnr_db(bits):.2f} dB"
    assert view.clip_label.text() == f"{q.clipped:,}"
    np.testing.assert_array_equal(view.stair_trace.samples, q.samples)
    np.testing.assert_array_equal(view.error_trace.samples, q.error)
    # zoomed in, the staircase holds each level until the next sample
    _, drawn = view.stair_curve.getData()
    assert set(np.unique(drawn)) <= set(q.levels.astype(np.float32))
    shares = view.hist_bars.opts["height"]
    assert shares.sum() == pytest.approx(100.0)
    # the slider follows the spin box
    assert view.bits_slider.value() == bits


def test_quantization_of_a_full_scale_sine_lands_near_the_textbook_line(panel):
    panel.show()
    view = panel.quantization
    panel.tabs.setCurrentWidget(view)
    view.source.set_kind("tone")
    view.set_mode("mid-rise")
    for bits in (4, 8, 12):
        view.set_bits(bits)
        assert abs(view.result.sqnr_db - view.result.theory_db) < 0.5
        assert "full-scale sine" in view.note.text()


def test_waveform_zooms_in_to_stems(panel):
    panel.show()
    rate = 16000
    panel.set_clip(tone(220.0, 2.0, rate, 0.5), rate, "tone")
    trace = panel.waveform.trace
    assert not trace.stems_shown, "2 s of audio is drawn as a line"
    panel.waveform.zoom_to(0.5, 0.005)  # 80 samples
    assert trace.stems_shown
    t, y = trace.dots.getData()
    assert len(t) == pytest.approx(81, abs=2)
    np.testing.assert_allclose(y, trace.samples[int(round(t[0] * rate)):][: len(y)], atol=1e-7)


def test_wav_round_trip_through_the_panel(panel, qtbot, tmp_path):
    panel.show()
    rate = 22050
    x = (0.6 * np.sin(2 * np.pi * 330 * np.arange(rate) / rate)).astype(np.float32)
    panel.set_clip(x, rate, "test")
    assert panel.save_wav(tmp_path / "a.wav", "pcm16")
    assert panel.save_wav(tmp_path / "b.wav", "float32")
    assert "Saved b.wav" in panel.message.text()

    other = type(panel)(panel.state)
    qtbot.addWidget(other)
    other.show()
    other.tabs.setCurrentWidget(other.spectrum)
    assert other.open_wav(tmp_path / "a.wav")
    assert other.clip_rate == rate and other.clip.shape == x.shape
    assert np.max(np.abs(other.clip - x)) <= 0.5 / 32768 + 1e-9  # 16-bit rounding, nothing more
    assert "1.0 s" in other.message.text() and "pcm16" in other.message.text()
    assert other.open_wav(tmp_path / "b.wav")
    np.testing.assert_array_equal(other.clip, x)  # float keeps the samples bit for bit
    # what the views show follows the opened clip
    assert other.sampling.source.kind.currentData() == "recording"
    np.testing.assert_allclose(other.spectrum.log_mel, log_mel_spectrogram(resample(x, rate, 16000)), atol=1e-5)
    assert load_wav(tmp_path / "a.wav").encoding == "pcm16"


def test_unreadable_wav_is_a_clear_message(panel, tmp_path):
    panel.show()
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    assert not panel.open_wav(bad)
    assert panel.message.isVisible()
    assert "notes.wav" in panel.message.text() and "not a readable WAV file" in panel.message.text()
    assert not panel.save_wav(tmp_path / "empty.wav"), "nothing recorded yet"
    assert "Nothing to save" in panel.message.text()


class UnpluggedStream:
    """Test double for a USB microphone pulled out mid-recording (as in tests/core/audio)."""

    def __init__(self, callback, finished_callback, channels, **_):
        self.callback, self.finished_callback, self.channels = callback, finished_callback, channels
        self.active = False

    def start(self):
        self.active = True

        def run():
            for i in range(30):
                block = np.full((160, self.channels), 0.25 if i % 2 else -0.25, np.float32)
                self.callback(block, 160, None, None)
                time.sleep(0.005)
            self.active = False
            self.finished_callback()

        threading.Thread(target=run, daemon=True).start()

    def stop(self):
        raise RuntimeError("device unavailable")

    abort = stop

    def close(self):
        pass


def test_device_lost_mid_recording_stops_and_keeps_the_audio(qtbot):
    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    panel = AudioPanel(AppState(), stream_factory=lambda **kw: UnpluggedStream(**kw))
    qtbot.addWidget(panel)
    panel.transcript.live.setChecked(False)
    assert panel.start_recording()
    assert panel.record_button.text().endswith("Stop")
    qtbot.waitUntil(lambda: not panel.recorder.recording, timeout=10000)
    qtbot.waitUntil(lambda: panel.clip is not None, timeout=5000)
    assert panel.clip.shape[0] == 30 * 160, "everything captured before the loss is kept"
    assert "recording stopped" in panel.message.text() and "0.3 s kept" in panel.message.text()
    assert panel.record_button.text().endswith("Record")
    panel.shutdown()


def test_no_model_is_a_clear_message_and_pocketsphinx_takes_over(panel, tmp_path):
    empty = tmp_path / "no-model"
    empty.mkdir()
    pane = panel.transcript
    pane.model_dir.setText(str(empty))
    pane._options_changed()
    assert pane.engine.currentData() == "pocketsphinx"
    assert "unavailable" in pane.engine.itemText(pane.engine.findData("whisper"))
    assert "no Whisper model" in pane.status.text()
    assert "pocketsphinx" in pane.status.text()


def test_dark_theme_repaints_the_plots(panel, qtbot):
    from PySide6.QtWidgets import QApplication

    from studio.ui import theme

    app = QApplication.instance()
    try:
        panel.show()
        theme.apply_theme(app, "dark")
        qtbot.wait(50)
        bg = panel.quantization.signal_plot.backgroundBrush().color().name()
        assert bg == theme.colors("dark")["surface"]
    finally:
        theme.apply_theme(app, "light")
        qtbot.wait(50)
    assert panel.waveform.widget.backgroundBrush().color().name() == theme.colors("light")["surface"]


def test_transcription_settings_persist_between_launches(panel, qtbot, tmp_path):
    from studio.ui.audio.transcript_pane import TranscriptPane

    pane = panel.transcript
    pane.language.setCurrentIndex(pane.language.findData("pt"))
    pane.model_dir.setText(str(tmp_path))
    pane._options_changed()
    again = TranscriptPane()
    qtbot.addWidget(again)
    assert again.language_code() == "pt"
    assert again.model_dir.text() == str(tmp_path)


def test_live_waveform_draws_an_envelope_not_every_sample(panel, qtbot):
    """5 s of 44.1 kHz audio is 220,500 samples; stroking each one costs ~0.2 s a frame and the
    30 Hz refresh would stutter. The trace draws about two points per pixel instead."""
    panel.show()
    qtbot.waitExposed(panel)
    rate = 44100
    x = (0.5 * np.sin(2 * np.pi * 50 * np.arange(5 * rate) / rate)).astype(np.float32)
    panel.waveform.show_live(x, rate, end_time=12.0)
    t, y = panel.waveform.trace.curve.getData()
    width = panel.waveform.plot_item.getViewBox().width()
    assert len(t) <= 2.05 * max(width, 200) + 8, "about two points per pixel, not 220,500"
    assert y.max() == pytest.approx(0.5, abs=1e-3) and y.min() == pytest.approx(-0.5, abs=1e-3)
    assert t[-1] <= 0.0 and t[0] >= -5.0 - 1e-6, "the newest sample sits at 0 s, the right edge"
    assert panel.waveform.plot_item.getViewBox().viewRange()[0] == [-5.0, 0.0]
