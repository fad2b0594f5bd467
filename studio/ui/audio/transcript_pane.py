"""The transcription pane: engine, language and model folder, and the text as it is spoken.

Final text is appended one paragraph per utterance (with its time); the current partial text is
shown under it in italics and replaced as the speaker goes on. Settings persist in the app's INI.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.audio.recognizers import engine_names
from studio.core.audio.recognizers.whisper_model import whisper_model_available
from studio.core.audio.streaming import TranscriptEvent
from studio.ui import config, theme
from studio.ui.audio.transcription import LANGUAGES, TranscriptionController

LANGUAGE_NAMES = {"en": "English", "pt": "Português", "es": "Español", "fr": "Français", "de": "Deutsch",
                  "it": "Italiano", "nl": "Nederlands"}


class TranscriptPane(QWidget):
    transcribe_clip_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audioTranscriptPane")
        self.setMinimumWidth(330)
        self.controller = TranscriptionController(self)
        self.finals: list[TranscriptEvent] = []
        self.partial = ""
        self._settings = config.open_settings()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 4, 0, 0)
        layout.setSpacing(10)
        title = QLabel(self.tr("Live transcription"))
        title.setObjectName("SectionTitle")
        layout.addWidget(title)

        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.engine = QComboBox()
        self.engine.setObjectName("audioEngine")
        form.addRow(self.tr("Engine"), self.engine)
        self.language = QComboBox()
        self.language.setObjectName("audioLanguage")
        self.language.setEditable(True)
        self.language.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code in LANGUAGES:
            self.language.addItem(self.tr("detect") if not code else f"{code} — {LANGUAGE_NAMES[code]}", code)
        form.addRow(self.tr("Language"), self.language)
        folder_row = QHBoxLayout()
        folder_row.setSpacing(6)
        self.model_dir = QLineEdit()
        self.model_dir.setObjectName("audioModelDir")
        self.model_dir.setPlaceholderText(self.tr("installed model"))
        self.model_dir.setToolTip(self.tr("A folder with a CTranslate2 Whisper model (model.bin, config.json). "
                                          "Empty: the model installed with Studio."))
        browse = QToolButton()  # a narrow "…" leaves the folder field room in a 330-px pane
        browse.setText("…")
        browse.setObjectName("audioModelDirBrowse")
        browse.setToolTip(self.tr("Choose a Whisper model folder"))
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.model_dir, 1)
        folder_row.addWidget(browse)
        form.addRow(self.tr("Model folder"), folder_row)
        layout.addLayout(form)

        self.status = QLabel()
        self.status.setObjectName("audioTranscriptStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        self.download_label = QLabel()
        self.download_label.setObjectName("Muted")
        self.download_label.hide()
        layout.addWidget(self.download_label)
        download_row = QHBoxLayout()
        download_row.setSpacing(6)
        self.download_bar = QProgressBar()
        self.download_bar.setObjectName("audioModelDownload")
        self.download_bar.setTextVisible(True)
        self.download_cancel = QPushButton(self.tr("Cancel"))
        self.download_cancel.setObjectName("audioModelDownloadCancel")
        self.download_cancel.clicked.connect(self.controller.cancel_download)
        download_row.addWidget(self.download_bar, 1)
        download_row.addWidget(self.download_cancel)
        self.download_row = QWidget()
        self.download_row.setLayout(download_row)
        download_row.setContentsMargins(0, 0, 0, 0)
        self.download_row.hide()
        layout.addWidget(self.download_row)

        toggles = QHBoxLayout()
        self.live = QCheckBox(self.tr("Transcribe while recording"))
        self.live.setObjectName("audioLiveTranscribe")
        self.live.setChecked(True)
        toggles.addWidget(self.live)
        toggles.addStretch(1)
        layout.addLayout(toggles)

        self.text = QTextBrowser()
        self.text.setObjectName("audioTranscript")
        self.text.setOpenLinks(False)
        self.text.setMinimumHeight(160)
        self.text.setPlaceholderText(self.tr("Press Record and speak: partial text appears while you talk, "
                                             "the final text when you pause."))
        layout.addWidget(self.text, 1)

        buttons = QHBoxLayout()
        self.clip_button = QPushButton(self.tr("Transcribe clip"))
        self.clip_button.setObjectName("audioTranscribeClip")
        self.clip_button.setToolTip(self.tr("Transcribe the whole recording or opened file"))
        self.clip_button.clicked.connect(self.transcribe_clip_requested)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.clear)
        buttons.addWidget(self.clip_button)
        buttons.addStretch(1)
        buttons.addWidget(clear)
        layout.addLayout(buttons)

        self._restore_settings()
        self.engine.currentIndexChanged.connect(self._options_changed)
        self.language.currentIndexChanged.connect(self._options_changed)
        self.language.lineEdit().editingFinished.connect(self._options_changed)
        self.model_dir.editingFinished.connect(self._options_changed)
        self.controller.status.connect(self.show_status)
        self.controller.download.connect(self.show_download)
        self.controller.event.connect(self.add_event)
        self._options_changed(persist=False)  # opening the panel writes nothing to the settings

    # -- settings ----------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        self.model_dir.setText(str(self._settings.value("audio/model_dir", "") or ""))
        lang = str(self._settings.value("audio/language", "") or "")
        index = self.language.findData(lang)
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(lang)
        self._fill_engines(str(self._settings.value("audio/engine", "") or ""))

    def _fill_engines(self, wanted: str = "") -> None:
        self.controller.configure(None, None, self.model_dir.text())
        reasons = self.controller.engine_reasons(offline_only=False)
        offline = self.controller.engine_reasons(offline_only=True)
        self.engine.blockSignals(True)
        self.engine.clear()
        for name in engine_names():
            label = {"whisper": "Whisper (faster-whisper)", "pocketsphinx": "PocketSphinx"}.get(name, name)
            if reasons.get(name):
                label += self.tr(" — unavailable")
            elif offline.get(name):
                label += self.tr(" — downloads its model on first use")
            self.engine.addItem(label, name)
        # the default never starts a download by itself: the user picks an engine that needs one
        usable = [n for n in engine_names() if not offline.get(n)]
        if wanted and not reasons.get(wanted):
            usable.insert(0, wanted)
        pick = wanted if wanted in usable else (usable[0] if usable else (wanted or engine_names()[0]))
        self.engine.setCurrentIndex(max(0, self.engine.findData(pick)))
        self.engine.blockSignals(False)
        self.reasons = reasons
        self.offline_reasons = offline

    def language_code(self) -> str:
        text = self.language.currentText().strip()
        index = self.language.findText(text)
        if index >= 0:
            return str(self.language.itemData(index) or "")
        return text.split(" ")[0].lower()

    def _options_changed(self, *_args, persist: bool = True) -> None:
        model_dir = self.model_dir.text().strip()
        if model_dir != (self.controller.model_dir or ""):
            self._fill_engines(str(self.engine.currentData() or ""))
        engine = str(self.engine.currentData() or "")
        self.controller.configure(engine, self.language_code(), model_dir)
        if persist:
            self._settings.setValue("audio/engine", engine)
            self._settings.setValue("audio/language", self.language_code())
            self._settings.setValue("audio/model_dir", model_dir)
            self._settings.sync()
        self.show_engine_state()

    def show_engine_state(self) -> None:
        engine = str(self.engine.currentData() or "")
        whisper_reason = self.reasons.get("whisper")
        reason = self.reasons.get(engine)
        if reason:
            self.show_status(self.tr("{engine} cannot run: {reason}.").format(engine=engine, reason=reason), "error")
        elif (whisper_reason or self.offline_reasons.get("whisper")) and engine != "whisper":
            whisper_reason = whisper_reason or self.tr("its model is not on this machine (choose Whisper to "
                                                       "download it)")
            self.show_status(self.tr("Using {engine} (English only, less accurate) because Whisper is "
                                     "unavailable: {reason}. Install the model or choose a model folder."
                                     ).format(engine=engine, reason=whisper_reason), "info")
        elif engine == "whisper" and not whisper_model_available(self.controller.model_dir):
            self.show_status(self.tr("Whisper's model is not on this machine: it will be downloaded (about "
                                     "145 MB) when you record or transcribe, with its progress here."), "info")
        else:
            label = self.engine.currentText().split(" — ")[0]
            self.show_status(self.tr("{engine} will load when you record or transcribe.").format(engine=label),
                             "info")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a Whisper model folder"),
                                                  self.model_dir.text())
        if folder:
            self.model_dir.setText(folder)
            self._options_changed()

    # -- status and text ---------------------------------------------------------------------------
    def show_download(self, name: str, done: int, total: int) -> None:
        """A first-use model download's progress (hidden again when the engine is ready or fails)."""
        self.download_row.show()
        self.download_label.show()
        self.download_label.setText(self.tr("Downloading Whisper's model ({name})…").format(name=name))
        self.download_bar.setRange(0, 1000)
        self.download_bar.setValue(int(1000 * done / total) if total else 0)
        self.download_bar.setFormat(self.tr("{done:.0f} of {total:.0f} MB").format(done=done / 1e6, total=total / 1e6))

    def show_status(self, text: str, kind: str = "info") -> None:
        if kind in ("ready", "error"):
            self.download_row.hide()
            self.download_label.hide()
        c = theme.current_colors()
        color = {"error": c["danger"], "ready": c["text"]}.get(kind, c["muted"])
        self.status_kind = kind
        self.status.setStyleSheet(f"color: {color};")
        self.status.setText(text)

    def add_event(self, event: TranscriptEvent) -> None:
        if event.kind == "partial":
            self.partial = event.text
        elif event.kind == "final" and event.text.strip():
            self.finals.append(event)
            self.partial = ""
        elif event.kind in ("final", "no_speech"):
            self.partial = ""  # a sound without words: no empty paragraph, and no stale partial either
        else:
            self.show_status(event.text, "error")
        self._render()

    def clear(self) -> None:
        self.finals = []
        self.partial = ""
        self._render()

    def final_text(self) -> str:
        return " ".join(e.text.strip() for e in self.finals)

    def restyle(self) -> None:
        """Redraw in the current theme's colours: the transcript's time stamps and, unless listening,
        the line about the engine."""
        self._render()
        if not self.controller.live:
            self.show_engine_state()

    def _render(self) -> None:
        c = theme.current_colors()
        parts = []
        for e in self.finals:
            stamp = f"{int(e.start // 60)}:{e.start % 60:04.1f}"
            parts.append(f"<p style='margin:0 0 8px 0'><span style='color:{c['muted']}'>{stamp}</span>&nbsp;&nbsp;"
                         f"{html.escape(e.text.strip())}</p>")
        if self.partial:
            parts.append(f"<p style='margin:0'><i style='color:{c['muted']}'>{html.escape(self.partial.strip())}"
                         "…</i></p>")
        self.text.setHtml("".join(parts))
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())
