"""Audio: record the microphone, see sampling and quantization, and watch speech become text.

The panel is thin: capture, maths and recognizers live in `studio.core.audio`; the widgets in
`studio.ui.audio`. A 30 Hz timer (the recorder's) polls the capture ring for the scrolling
waveform, the level meter and the live spectrogram; the transcriber works in its own thread and
its events are drained here. Without an input device the panel says so and everything that does
not need one (files, tone and sweep generators, transcription of a file) keeps working.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.audio.streaming import TranscriptEvent
from studio.core.audio.wav import load_wav, save_wav
from studio.core.data import recordings
from studio.core.errors import UserError
from studio.ui import theme
from studio.ui.audio.playback import Player
from studio.ui.audio.quantize_view import QuantizationView
from studio.ui.audio.samples_box import UTTERANCE, SamplesBox
from studio.ui.audio.sampling_view import SamplingView, format_rate
from studio.ui.audio.spectrum_view import LIVE_SECONDS as SPECTRUM_LIVE_SECONDS
from studio.ui.audio.spectrum_view import SpectrumView
from studio.ui.audio.transcript_pane import TranscriptPane
from studio.ui.audio.waveform import LIVE_SECONDS, WaveformView
from studio.ui.builder.commands import GraphCommand
from studio.ui.common.messages import ERROR, INFO, WARNING, MessageBar, Msg
from studio.ui.common.meter import LevelMeterBar
from studio.ui.common.recorder import RATES, Recorder
from studio.ui.drops import WAV
from studio.ui.panels.inputs import Incoming, Input, TakesInputs
from studio.ui.state import AppState
from studio.ui.training.commands import SetDataField

WAV_FILTERS = {"pcm16": "WAV, 16-bit PCM (*.wav)", "float32": "WAV, 32-bit float (*.wav)"}
SPECTRUM_EVERY = 3
"""The live spectrogram redraws every third 30 Hz tick."""
UTTERANCE_PAD_S = 0.15
"""Kept before and after the last utterance's span when only it is saved as a training sample."""


class AudioPanel(TakesInputs, QWidget):
    KEY = "audio"
    INPUTS = (Input(WAV),)
    MESSAGES = (Msg("no_microphone", WARNING), Msg("recording_failed", ERROR), Msg("playback_failed", ERROR),
                Msg("open_failed", ERROR), Msg("opened", INFO), Msg("nothing_to_save", WARNING),
                Msg("save_failed", ERROR), Msg("saved", INFO), Msg("sample_saved", INFO), Msg("sample_failed", ERROR),
                Msg("samples_used", INFO))

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("AudioPanel", "Audio")

    def __init__(self, state: AppState, parent: QWidget | None = None, stream_factory=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"{self.KEY}Panel")
        self.clip: np.ndarray | None = None
        self.clip_rate = 0
        self.clip_name = ""
        self.utterances: list[tuple[float, float]] = []
        """(start, end) in seconds of the clip of each utterance the transcriber finished in the recording."""
        self._utterances_open = False
        """Live finals belong to the clip: it is the recording being made or just made (not a file)."""
        self._devices_loaded = False
        self._ticks = 0
        self._restyle_queued = False
        self._overflows_shown = -1
        self.recorder = Recorder(self, stream_factory=stream_factory)
        self.player = Player(self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 8)
        outer.setSpacing(8)
        outer.addLayout(self._header())
        outer.addWidget(self._controls())
        self.message = MessageBar(self.MESSAGES)
        outer.addWidget(self.message)

        self.waveform = WaveformView(self)
        self.sampling = SamplingView(self.player)
        self.quantization = QuantizationView(self.player)
        self.spectrum = SpectrumView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("audioTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.sampling, self.tr("Sampling"))
        self.tabs.addTab(self.quantization, self.tr("Quantization"))
        self.tabs.addTab(self.spectrum, self.tr("Spectrum and log-mel"))
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(6)
        wave_title = QLabel(self.tr("Waveform — scroll to zoom until the samples show as stems"))
        wave_title.setObjectName("Muted")
        lv.addWidget(wave_title)
        lv.addWidget(self.waveform.widget, 2)
        lv.addWidget(self.tabs, 5)
        self.transcript = TranscriptPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("audioSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.transcript)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([940, 360])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        self.transcript_timer = QTimer(self)
        self.transcript_timer.setInterval(100)
        self.transcript_timer.timeout.connect(self._poll_transcript)
        self.recorder.started.connect(self._on_started)
        self.recorder.tick.connect(self._on_tick)
        self.recorder.finished.connect(self._on_finished)
        self.recorder.failed.connect(lambda text: self.message.show_message("recording_failed", text))
        self.player.message.connect(lambda text: self.message.show_message("playback_failed", text))
        self.transcript.transcribe_clip_requested.connect(self.transcribe_clip)
        self.samples.save_requested.connect(self.save_sample)
        self.samples.use_requested.connect(self.use_samples_as_dataset)
        self._used_at: int | None = None
        """The undo index right after "Use as dataset": the row's note on the head holds until undone."""
        state.undo_stack.indexChanged.connect(self._undo_moved)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._show_duration(0.0)

    # -- construction ------------------------------------------------------------------------------
    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        heading = QLabel(self.tr("Audio lab"))
        heading.setObjectName("SectionTitle")
        row.addWidget(heading)
        lede = QLabel(self.tr("From the analog world to tokens: record, see what sampling and quantization do, "
                              "and watch speech turn into text."))
        lede.setObjectName("Muted")
        row.addWidget(lede, 1)
        return row

    def _controls(self) -> QFrame:
        card = QFrame()
        card.setObjectName("PanelCard")
        rows = QVBoxLayout(card)
        rows.setContentsMargins(12, 8, 12, 8)
        rows.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(10)
        rows.addLayout(row)
        row.addWidget(QLabel(self.tr("Input")))
        self.device = QComboBox()
        self.device.setObjectName("audioDevice")
        self.device.setMinimumWidth(220)
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(22)
        self.device.currentIndexChanged.connect(self._device_changed)
        row.addWidget(self.device)
        self.refresh_button = QPushButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setObjectName("audioRefreshDevices")
        self.refresh_button.setToolTip(self.tr("Look for input devices again"))
        self.refresh_button.clicked.connect(lambda: self.load_devices(rescan=True))
        row.addWidget(self.refresh_button)
        row.addSpacing(6)
        row.addWidget(QLabel(self.tr("Rate")))
        self.rate = QComboBox()
        self.rate.setObjectName("audioRate")
        self.rate.addItem(self.tr("device default"), 0)
        for r in RATES:
            self.rate.addItem(format_rate(r), r)
        row.addWidget(self.rate)
        row.addSpacing(6)
        self.record_button = QPushButton(self.tr("● Record"))
        self.record_button.setObjectName("audioRecord")
        self.record_button.setMinimumWidth(110)
        self.record_button.clicked.connect(self.toggle_recording)
        row.addWidget(self.record_button)
        self.open_button = QPushButton(self.tr("Open WAV…"))
        self.open_button.setObjectName("audioOpen")
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button = QPushButton(self.tr("Save WAV…"))
        self.save_button.setObjectName("audioSave")
        self.save_button.clicked.connect(self._save_dialog)
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        # The level line gets a row of its own so the bar stays long and the panel fits a laptop screen.
        row = QHBoxLayout()
        row.setSpacing(10)
        rows.addLayout(row)
        row.addWidget(QLabel(self.tr("Level")))
        self.meter = LevelMeterBar()
        row.addWidget(self.meter, 1)
        self.duration = QLabel()
        self.duration.setObjectName("audioDuration")
        self.duration.setMinimumWidth(64)
        self.duration.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.duration)
        self.overflow_label = QLabel()
        self.overflow_label.setObjectName("audioOverflows")
        self.overflow_label.setToolTip(self.tr("Input overflows: blocks the sound card dropped because they were "
                                               "not collected in time (should stay 0)"))
        row.addWidget(self.overflow_label)
        self._show_overflows(0)
        self.samples = SamplesBox()
        rows.addWidget(self.samples)
        return card

    # -- devices -----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._devices_loaded:
            self.load_devices()

    def load_devices(self, rescan: bool = False) -> None:
        """Fill the device picker (PortAudio is asked only when the panel is first shown)."""
        if self.recorder.recording:
            return
        self._devices_loaded = True
        devices = self.recorder.refresh_devices(rescan=rescan)
        self.device.blockSignals(True)
        self.device.clear()
        for d in devices:
            text = d.name + (self.tr(" (default)") if d.is_default and d.name.lower() != "default" else "")
            self.device.addItem(text, d.index)
            self.device.setItemData(self.device.count() - 1, d.label(), Qt.ItemDataRole.ToolTipRole)
            if d.is_default:
                self.device.setCurrentIndex(self.device.count() - 1)
        if not devices:
            self.device.addItem(self.tr("no input device"), None)
        self.device.blockSignals(False)
        has = bool(devices)
        self.device.setEnabled(has)
        self.record_button.setEnabled(has)
        if has:
            self._device_changed()
            if self.message.key() == "no_microphone":
                self.message.clear()
        else:
            self.message.show_message("no_microphone", self.tr("No microphone: {reason}. Recording is off; you can still open WAV files, "
                                      "use the tone and sweep generators, and transcribe files.").format(
                reason=self.recorder.device_error or self.tr("no audio input device found")))

    def _device_changed(self, *_args) -> None:
        index = self.device.currentData()
        d = next((d for d in self.recorder.devices if d.index == index), None)
        if d is not None:
            self.rate.setItemText(0, self.tr("device default ({rate})").format(rate=format_rate(d.default_rate)))

    @property
    def has_input_device(self) -> bool:
        return bool(self.recorder.devices)

    # -- recording ---------------------------------------------------------------------------------
    def toggle_recording(self) -> None:
        if self.recorder.recording:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self) -> bool:
        if not self._devices_loaded:
            self.load_devices()
        if not self.has_input_device and not self.recorder.has_stream_factory:
            return False
        rate = int(self.rate.currentData() or 0) or None
        self.message.clear()
        return self.recorder.start(self.device.currentData(), rate)

    def stop_recording(self) -> None:
        self.recorder.stop()

    def _on_started(self) -> None:
        cap = self.recorder.capture
        self._ticks = 0
        self.record_button.setText(self.tr("■ Stop"))
        c = theme.current_colors()
        self.record_button.setStyleSheet(f"QPushButton {{ background: {c['danger']}; color: {c['surface']}; "
                                         f"border-color: {c['danger']}; font-weight: 600; }}")
        for w in (self.device, self.rate, self.open_button, self.refresh_button, self.samples.save_button):
            w.setEnabled(False)
        self.utterances = []
        self._utterances_open = True
        if self.transcript.live.isChecked():
            self.transcript.clear()
            self.transcript.controller.start(cap.ring, cap.rate)
            self.transcript_timer.start()

    def _on_tick(self) -> None:
        cap = self.recorder.capture
        self._ticks += 1
        end = cap.ring.written / cap.rate
        self.waveform.show_live(self.recorder.latest(LIVE_SECONDS), cap.rate, end)
        self.meter.set_levels(cap.levels())
        self._show_overflows(cap.overflows)
        self._show_duration(end)
        if self._ticks % SPECTRUM_EVERY == 0 and self.spectrum.isVisible():
            self.spectrum.draw_live(self.recorder.latest(SPECTRUM_LIVE_SECONDS), cap.rate, end)

    def _on_finished(self, samples: np.ndarray, rate: int, message: str) -> None:
        self.record_button.setText(self.tr("● Record"))
        self.record_button.setStyleSheet("")
        for w in (self.device, self.rate, self.open_button, self.refresh_button, self.samples.save_button):
            w.setEnabled(True)
        self.record_button.setEnabled(self.has_input_device or self.recorder.has_stream_factory)
        self.transcript.controller.stop()
        self._show_overflows(self.recorder.capture.overflows)
        if message:
            self.message.show_message("recording_failed", message)
        self.set_clip(samples, rate, self.tr("recording"), recording=True)

    # -- the clip ----------------------------------------------------------------------------------
    def set_clip(self, samples: np.ndarray | None, rate: int, name: str, recording: bool = False) -> None:
        """Show `samples` as the clip; `recording`: the one just recorded, whose utterances are kept
        (and the last one's final text, decoded after Stop, still joins them)."""
        self.clip = None if samples is None else np.asarray(samples, dtype=np.float32)
        self.clip_rate = int(rate)
        self.clip_name = name
        if not recording:
            self.utterances = []
            self._utterances_open = False
        have = self.clip is not None and self.clip.shape[0] > 0
        if have:
            self.waveform.show_clip(self.clip, self.clip_rate)
            self._show_duration(self.clip.shape[0] / self.clip_rate)
        for view in (self.sampling, self.quantization):
            view.set_clip(self.clip if have else None, self.clip_rate)
            if have:
                view.source.set_kind("recording")
        self.spectrum.set_clip(self.clip if have else None, self.clip_rate)

    def receive(self, item: Incoming) -> bool:
        """A WAV file becomes the clip on show."""
        return self.open_wav(item.path)

    def open_wav(self, path: str | Path) -> bool:
        try:
            wav = load_wav(path)
        except UserError as exc:
            self.message.show_message("open_failed", exc.one_line())
            return False
        self.set_clip(wav.mono(), wav.rate, Path(path).name)
        self.message.show_message("opened", self.tr("Opened {name}: {seconds:.1f} s, {rate}, {channels} channel(s), {encoding}.").format(
            name=Path(path).name, seconds=wav.seconds, rate=format_rate(wav.rate), channels=wav.channels,
            encoding=wav.encoding))
        return True

    def save_wav(self, path: str | Path, encoding: str = "pcm16") -> bool:
        if self.clip is None or self.clip.shape[0] == 0:
            self.message.show_message("nothing_to_save",
                                      self.tr("Nothing to save yet: record something or open a WAV file."))
            return False
        try:
            save_wav(path, self.clip, self.clip_rate, encoding)
        except UserError as exc:
            self.message.show_message("save_failed", exc.one_line())
            return False
        self.message.show_message("saved", self.tr("Saved {name} ({encoding}).").format(name=Path(path).name,
                                                                                     encoding=encoding))
        return True

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a WAV file"), "", self.tr("WAV files (*.wav);;All files (*)"))
        if path:
            self.open_wav(path)

    def _save_dialog(self) -> None:
        filters = ";;".join(WAV_FILTERS.values())
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Save the clip as WAV"), "recording.wav", filters)
        if path:
            encoding = next((k for k, v in WAV_FILTERS.items() if v == chosen), "pcm16")
            self.save_wav(path if path.lower().endswith(".wav") else path + ".wav", encoding)

    # -- training samples --------------------------------------------------------------------------
    def _note_utterance(self, event: TranscriptEvent) -> None:
        """Keep where an utterance of the recording lies (a live final; its times count from the
        recording's start, where the transcriber began reading the ring)."""
        if self._utterances_open and event.kind == "final" and event.text.strip() and event.end > event.start:
            self.utterances.append((float(event.start), float(event.end)))

    def sample_clip(self) -> np.ndarray | None:
        """What "Save as training sample" saves: the clip, or only its last utterance (None: nothing to save)."""
        if self.clip is None or self.clip.shape[0] == 0:
            self.message.show_message("sample_failed", self.tr(
                "Nothing to save yet: record something or open a WAV file."))
            return None
        if self.samples.what_to_save() != UTTERANCE:
            return self.clip
        if not self.utterances:
            self.message.show_message("sample_failed", self.tr(
                "No utterance found in this clip: record with “Transcribe while recording” on, or save the whole clip."))
            return None
        start, end = self.utterances[-1]
        a = max(0, int((start - UTTERANCE_PAD_S) * self.clip_rate))
        b = min(self.clip.shape[0], int((end + UTTERANCE_PAD_S) * self.clip_rate))
        return self.clip[a:b] if b > a else self.clip

    def save_sample(self) -> bool:
        """Save the clip (or its last utterance) as the next ROOT/LABEL/NNN.wav; the count updates."""
        samples = self.sample_clip()
        if samples is None:
            return False
        root = self.samples.root_path()
        try:
            path = recordings.save_recording(root, self.samples.label_text(), samples, self.clip_rate)
        except UserError as exc:
            self.message.show_message("sample_failed", exc.one_line())
            return False
        self.samples.remember()
        counts = self.samples.refresh_counts()
        label = path.parent.name
        self.message.show_message("sample_saved", self.tr(
            "Saved {file} ({seconds:.1f} s): {count} sample(s) of “{label}” in {folder}.").format(
            file=f"{label}/{path.name}", seconds=samples.shape[0] / self.clip_rate, count=counts.get(label, 0),
            label=label, folder=root))
        return True

    def use_samples_as_dataset(self) -> bool:
        """Make the recordings' folder the project's data set (`sound_folder`), as one undoable step."""
        root = self.samples.root_path()
        problem = recordings.dataset_problem(root) if root else self.tr("no folder chosen")
        if problem:
            self.message.show_message("sample_failed", self.tr(
                "Cannot use {folder} as the data set yet: {problem}.").format(folder=root, problem=problem))
            return False
        self.samples.remember()
        section = recordings.dataset_section(root, self.state.project.data)
        counts = recordings.class_counts(root)
        # the head gets one output per recorded class, in the same undo step (the inspector's command)
        change = recordings.head_for_classes(self.state.project.graph, len(counts))
        stack = self.state.undo_stack
        stack.beginMacro(self.tr("Use the recordings as the data set"))
        stack.push(SetDataField(self.state, "options", section["options"]))
        stack.push(SetDataField(self.state, "dataset", section["dataset"]))
        if change.graph is not None:
            stack.push(GraphCommand(self.state, self.tr("Set out_features of {id}").format(id=change.layer),
                                    self.state.project.graph, change.graph))
        stack.endMacro()
        self.samples.show_head_change(change)
        self._used_at = stack.index()
        text = self.tr("The project now trains on {total} recordings of {classes} classes in {folder} (sound_folder); "
                       "Undo takes it back.").format(total=sum(counts.values()), classes=len(counts), folder=root)
        if change.graph is not None:
            text += " " + self.tr("Its head now has {after} outputs, one per class ({layer} had {before}).").format(
                after=change.after, layer=change.layer, before=change.before)
        self.message.show_message("samples_used", text)
        return True

    def _undo_moved(self, index: int) -> None:
        """The row's note on the head shows while "Use as dataset" is done (not undone)."""
        self.samples.head_note.setVisible(self._used_at is not None and index >= self._used_at)

    # -- transcription -----------------------------------------------------------------------------
    def transcribe_clip(self) -> bool:
        if self.clip is None or self.clip.shape[0] == 0:
            self.transcript.show_status(self.tr("Nothing to transcribe yet: record something or open a WAV file."),
                                        "error")
            return False
        started = self.transcript.controller.transcribe_clip(self.clip, self.clip_rate)
        self.transcript_timer.start()
        return started

    def _poll_transcript(self) -> None:
        controller = self.transcript.controller
        for event in controller.poll():  # live events only ("Transcribe clip" reports through its signal)
            self._note_utterance(event)
        if not (controller.live or controller.finishing or controller.busy):
            self.transcript_timer.stop()

    # -- messages, figures, theme --------------------------------------------------------------------
    def _show_overflows(self, count: int, force: bool = False) -> None:
        if count == self._overflows_shown and not force:
            return  # called at 30 Hz: restyling a label that often is not free
        self._overflows_shown = count
        self.overflow_label.setText(self.tr("overflows: {n}").format(n=count))
        c = theme.current_colors()
        self.overflow_label.setStyleSheet(f"color: {c['danger'] if count else c['muted']};")

    def _show_duration(self, seconds: float) -> None:
        self.duration.setText(f"{int(seconds // 60)}:{seconds % 60:04.1f}")

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and not self._restyle_queued:
            # theme.apply_theme records the new theme's name after the palette change is sent: wait for it
            self._restyle_queued = True
            QTimer.singleShot(0, self, self.restyle)
        super().changeEvent(event)

    def restyle(self) -> None:
        self._restyle_queued = False
        if not hasattr(self, "spectrum"):
            return
        self.waveform.restyle()
        self.sampling.restyle()
        self.quantization.restyle()
        self.spectrum.restyle()
        self.meter.update()
        self._show_overflows(self.recorder.capture.overflows if self.recorder.capture else 0, force=True)
        self.transcript.restyle()

    def shutdown(self) -> None:
        """Stop recording, listening and playback (the app is quitting or a test is done)."""
        self.transcript_timer.stop()
        if self.recorder.recording:
            self.recorder.stop()
        st = self.transcript.controller.streaming
        self.transcript.controller.stop()
        if st is not None:
            st.stop()
        self.player.stop()


