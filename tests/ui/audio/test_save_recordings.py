"""Issue 16: recordings made in the Audio lab become a data set ("5 samples of 'sim' and 5 of 'não'").

The clips come from WAV files (opened as the panel opens them, or played into the recorder by a
stream double), so no sound server is needed.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import Qt

from studio.core.audio.streaming import TranscriptEvent
from studio.core.audio.wav import load_wav, save_wav
from studio.ui.audio.samples_box import CLIP, UTTERANCE

RATE = 16000


def word(freq: float, seconds: float = 0.6) -> np.ndarray:
    """A short voiced sound between two bits of silence."""
    t = np.arange(int(seconds * RATE)) / RATE
    voice = 0.4 * np.sin(2 * np.pi * freq * t) * np.hanning(t.size)
    pad = np.zeros(int(0.2 * RATE), np.float32)
    return np.concatenate([pad, voice.astype(np.float32), pad])


def wav_file(tmp_path, name: str, freq: float):
    path = tmp_path / "takes" / f"{name}.wav"
    path.parent.mkdir(exist_ok=True)
    save_wav(path, word(freq), RATE)
    return path


def fill(box, label: str, root) -> None:
    box.label.setText(label)
    box.root.setText(str(root))
    box.root.editingFinished.emit()


def test_save_five_of_each_class_then_use_them_as_the_dataset_and_undo(panel, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))  # the sound features' cache
    panel.show()
    qtbot.waitExposed(panel)
    box = panel.samples
    root = tmp_path / "rec"
    fill(box, "sim", root)
    assert box.counts.text() == "no samples yet" and not box.use_button.isEnabled()

    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.key() == "sample_failed" and "Nothing to save" in panel.message.text()
    assert not root.exists()

    for i in range(5):
        assert panel.open_wav(wav_file(tmp_path, f"sim{i}", 300.0 + 20 * i))
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
        assert panel.message.key() == "sample_saved", panel.message.text()
    assert "sim/005.wav" in panel.message.text() and "5 sample(s)" in panel.message.text()
    assert box.counts.text() == "sim 5"
    assert not box.use_button.isEnabled(), "one class is not a classifier's data set"

    box.label.setText("não")
    for i in range(5):
        assert panel.open_wav(wav_file(tmp_path, f"nao{i}", 1500.0 + 40 * i))
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert sorted(p.name for p in (root / "não").iterdir()) == [f"00{i}.wav" for i in range(1, 6)]
    saved = load_wav(root / "não" / "003.wav")
    assert saved.encoding == "pcm16" and saved.rate == RATE
    assert np.abs(saved.samples[:, 0] - word(1580.0)).max() < 1e-3, "the clip itself, as 16-bit PCM"
    assert box.counts.text() == "não 5 · sim 5"
    assert box.use_button.isEnabled()

    box.label.setText("../x")
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.key() == "sample_failed" and "dot" in panel.message.text()
    assert not (tmp_path / "x").exists()

    state = panel.state
    before = dict(state.project.data)
    qtbot.mouseClick(box.use_button, Qt.MouseButton.LeftButton)
    assert panel.message.key() == "samples_used", panel.message.text()
    assert state.project.data["dataset"] == "sound_folder"
    assert state.project.data["options"]["root"] == str(root)
    assert state.undo_stack.undoText() == "Use the recordings as the data set"
    state.undo_stack.undo()
    assert state.project.data == before
    state.undo_stack.redo()
    assert state.project.data["dataset"] == "sound_folder"

    from studio.ui.panels.data import DataPanel

    data = DataPanel(state)  # the Data panel loads what was recorded
    qtbot.addWidget(data)
    qtbot.waitUntil(lambda: data.snapshot is not None and not data.busy, timeout=60_000)
    assert data.snapshot.facts.class_names == ["não", "sim"]
    assert data.snapshot.bundle.n_train + data.snapshot.bundle.n_val == 10


def test_the_folder_and_class_are_remembered(panel, tmp_path):
    from studio.ui.audio.samples_box import SamplesBox

    fill(panel.samples, "sim", tmp_path / "rec")
    again = SamplesBox()
    assert again.root_path() == str(tmp_path / "rec") and again.label_text() == "sim"


class WavStream:
    """A stream double that plays a WAV file's samples into the capture callback (as a microphone would)."""

    samples: np.ndarray = np.zeros(0, np.float32)

    def __init__(self, callback, finished_callback, channels, **_):
        self.callback, self.finished_callback, self.channels = callback, finished_callback, channels
        self.samplerate = RATE
        self.active = False
        self.done = threading.Event()

    def start(self):
        self.active = True

        def run():
            x = self.samples
            for a in range(0, x.shape[0], 800):
                block = np.repeat(x[a:a + 800, None], self.channels, axis=1)
                self.callback(block, block.shape[0], None, None)
                time.sleep(0.002)
            self.done.set()

        threading.Thread(target=run, daemon=True).start()

    def stop(self):
        self.active = False

    abort = stop

    def close(self):
        pass


def test_the_last_utterance_of_a_recording_is_saved_alone(qtbot, tmp_path):
    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    clip = np.concatenate([word(300.0), word(900.0), word(1500.0)])  # three "words", 1 s each
    WavStream.samples = load_wav(save_wav(tmp_path / "three.wav", clip, RATE)).mono()
    streams = []
    panel = AudioPanel(AppState(), stream_factory=lambda **kw: streams.append(WavStream(**kw)) or streams[-1])
    qtbot.addWidget(panel)
    try:
        panel.transcript.live.setChecked(False)
        panel.rate.setCurrentIndex(panel.rate.findData(RATE))
        fill(panel.samples, "sim", tmp_path / "rec")
        panel.samples.what.setCurrentIndex(panel.samples.what.findData(UTTERANCE))
        assert panel.start_recording()
        assert not panel.samples.save_button.isEnabled(), "saving waits for the recording to end"
        qtbot.waitUntil(lambda: bool(streams) and streams[-1].done.is_set(), timeout=10000)
        # What the live transcriber reports (times from the recording's start), drained by the panel's
        # timer; the last word's final text comes after Stop, as its decode runs then.
        controller = panel.transcript.controller
        live = [TranscriptEvent("partial", "si", 0.2, 0.5), TranscriptEvent("final", "sim", 0.2, 0.8),
                TranscriptEvent("final", "sim", 1.2, 1.8), TranscriptEvent("no_speech", "", 1.9, 2.0)]
        controller.poll = lambda: [live.pop(0)] if live else []
        for _ in range(5):
            panel._poll_transcript()
        controller.event.emit(TranscriptEvent("final", "a whole-clip decode", 0.0, 3.0))  # not live: not an utterance
        panel.stop_recording()
        qtbot.waitUntil(lambda: panel.clip is not None, timeout=5000)
        live.append(TranscriptEvent("final", "sim", 2.2, 2.8))
        panel._poll_transcript()
        assert panel.utterances == [(0.2, 0.8), (1.2, 1.8), (2.2, 2.8)]
        assert panel.save_sample(), panel.message.text()
        saved = load_wav(tmp_path / "rec" / "sim" / "001.wav").samples[:, 0]
        assert abs(saved.shape[0] - int(0.9 * RATE)) <= 2, "the last utterance and 0.15 s either side"
        spectrum = np.abs(np.fft.rfft(saved))
        assert abs(np.argmax(spectrum) * RATE / saved.shape[0] - 1500.0) < 20, "the third word, not the first"

        panel.samples.what.setCurrentIndex(panel.samples.what.findData(CLIP))
        assert panel.save_sample()
        assert load_wav(tmp_path / "rec" / "sim" / "002.wav").samples.shape[0] == panel.clip.shape[0]

        panel.open_wav(tmp_path / "three.wav")
        panel.samples.what.setCurrentIndex(panel.samples.what.findData(UTTERANCE))
        assert not panel.save_sample(), "an opened file has no utterances of a recording"
        assert "No utterance" in panel.message.text()
    finally:
        panel.shutdown()
