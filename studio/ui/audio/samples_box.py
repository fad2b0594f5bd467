"""One row of the Audio panel that turns recordings into a data set: "record 5 of 'sim' and 5 of 'não'".

Class (the label), what to save (the clip, or the last utterance the transcriber heard in the
recording), the folder the classes go in (remembered in the settings), Save, the count of recordings
per class, "Use as dataset", and what using them did to the model's head ("head: 10 → 2 outputs"). The saving itself (ROOT/LABEL/NNN.wav, never over a file) is
`studio.core.data.recordings`; the panel does it and pushes the project's data change, so this
widget only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from studio.core.data.recordings import HeadChange, class_counts
from studio.ui import config

CLIP = "clip"
UTTERANCE = "utterance"
ROOT_KEY = "audio/samples_root"
LABEL_KEY = "audio/samples_label"
COUNTS_SHOWN = 4
"""Classes named in the row; the rest are in its tooltip."""


def default_root() -> str:
    return str(Path.home() / "studio-recordings")


class SamplesBox(QWidget):
    save_requested = Signal()
    use_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("audioSamplesBox")
        self._settings = config.open_settings()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        title = QLabel(self.tr("Training sample"))
        title.setToolTip(self.tr("Save recordings as a data set: one folder per class, one WAV file per "
                                 "recording, which the data set “sound_folder” trains on"))
        row.addWidget(title)
        self.label = QLineEdit()
        self.label.setObjectName("audioSampleLabel")
        self.label.setPlaceholderText(self.tr("class, e.g. sim"))
        self.label.setToolTip(self.tr("The class this recording is a sample of (its folder's name)"))
        # wide enough for the hint in every language, not more: the row is full
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(self.label.placeholderText()) + 16)
        self.label.setMaximumWidth(max(130, self.label.minimumWidth()))
        self.label.setText(str(self._settings.value(LABEL_KEY, "") or ""))
        row.addWidget(self.label)
        self.what = QComboBox()
        self.what.setObjectName("audioSampleWhat")
        self.what.addItem(self.tr("whole clip"), CLIP)
        self.what.addItem(self.tr("last utterance"), UTTERANCE)
        self.what.setToolTip(self.tr("Save the whole clip, or only the last utterance live transcription "
                                     "found in the recording"))
        row.addWidget(self.what)
        row.addWidget(QLabel(self.tr("in")))
        self.root = QLineEdit()
        self.root.setObjectName("audioSamplesRoot")
        self.root.setText(str(self._settings.value(ROOT_KEY, "") or "") or default_root())
        self.root.setToolTip(self.tr("The data set's folder: each class gets a sub-folder in it"))
        self.root.setMinimumWidth(160)
        self.root.editingFinished.connect(self._root_edited)
        row.addWidget(self.root, 1)
        browse = QToolButton()
        browse.setText("…")
        browse.setObjectName("audioSamplesBrowse")
        browse.setToolTip(self.tr("Choose the data set's folder"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        self.save_button = QPushButton(self.tr("Save as training sample"))
        self.save_button.setObjectName("audioSaveSample")
        self.save_button.clicked.connect(self.save_requested)
        row.addWidget(self.save_button)
        self.counts = QLabel()
        self.counts.setObjectName("audioSampleCounts")
        row.addWidget(self.counts)
        self.use_button = QPushButton(self.tr("Use as dataset"))
        self.use_button.setObjectName("audioUseSamples")
        self.use_button.setToolTip(self.tr("Make these recordings the project's data set (sound_folder) and give "
                                           "the classification head one output per class; Undo takes both back"))
        self.use_button.clicked.connect(self.use_requested)
        row.addWidget(self.use_button)
        self.head_note = QLabel()
        self.head_note.setObjectName("audioSampleHead")
        self.head_note.hide()
        row.addWidget(self.head_note)
        self.refresh_counts()

    # -- values ------------------------------------------------------------------------------------
    def root_path(self) -> str:
        return self.root.text().strip()

    def label_text(self) -> str:
        return self.label.text()

    def what_to_save(self) -> str:
        return str(self.what.currentData())

    def remember(self) -> None:
        """Keep the folder and the class for the next session."""
        self._settings.setValue(ROOT_KEY, self.root_path())
        self._settings.setValue(LABEL_KEY, self.label.text().strip())

    def _root_edited(self) -> None:
        self.remember()
        self.refresh_counts()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose the data set's folder"), self.root_path())
        if path:
            self.root.setText(path)
            self._root_edited()

    # -- counts ------------------------------------------------------------------------------------
    def refresh_counts(self) -> dict[str, int]:
        counts = class_counts(self.root_path()) if self.root_path() else {}
        parts = [f"{name} {n}" for name, n in counts.items()]
        shown = " · ".join(parts[:COUNTS_SHOWN])
        if len(parts) > COUNTS_SHOWN:
            shown += " · " + self.tr("+{n} more").format(n=len(parts) - COUNTS_SHOWN)
        self.counts.setText(shown or self.tr("no samples yet"))
        self.counts.setToolTip(self.tr("Recordings per class in {folder}:").format(folder=self.root_path())
                               + ("\n" + "\n".join(parts) if parts else " " + self.tr("none")))
        self.use_button.setEnabled(len(counts) >= 2)
        return counts

    # -- the head ----------------------------------------------------------------------------------
    def show_head_change(self, change: HeadChange) -> None:
        """Say in the row what "Use as dataset" did to the classification head's outputs (one per
        recorded class), or why it left them alone; the tooltip says which layer and how to undo."""
        n = change.after
        if change.graph is not None:
            text = self.tr("head: {before} → {after} outputs").format(before=change.before, after=n)
            tip = self.tr("Set out_features of {layer} from {before} to {after}: one output per recorded class. "
                          "Undo takes it back.").format(layer=change.layer, before=change.before, after=n)
        elif change.problem is None:
            text = self.tr("head: {n} outputs").format(n=n)
            tip = self.tr("The classification head already has one output per recorded class.")
        elif change.head is None:
            text = self.tr("no classification head")
            tip = self.tr("The project has no classification head, so no outputs were set: add a Linear layer "
                          "with {n} outputs and a ClassificationHead.").format(n=n)
        else:
            text = self.tr("head unchanged")
            tip = self.tr("Head {head} gets its scores from a layer without out_features, so its outputs were not "
                          "set: give it {n} outputs by hand.").format(head=change.head, n=n)
        self.head_note.setText(text)
        self.head_note.setToolTip(tip)
        self.head_note.show()
