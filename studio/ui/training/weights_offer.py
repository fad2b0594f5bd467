"""The Train panel's offer to download a PretrainedBackbone's ImageNet weights.

A run (or a recipe check) that builds the model stops when a PretrainedBackbone's torchvision file
is not on this machine; the error says where to put the file. Under it this row names the missing
files and offers Download: torchvision's file is fetched into $STUDIO_PRETRAINED_DIR with a
progress bar and Cancel, its sha256 checked against the prefix torchvision writes into the file's
name before it is renamed into place (`blocks_pretrained.download_weights`). The user then starts
the run again; nothing restarts by itself.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.common.download_progress import DownloadProgress


class WeightsOffer(QWidget):
    """Hidden until `offer_for(graph)` finds a backbone whose weights are missing."""

    downloaded = Signal(list)
    """The paths of the weight files just downloaded and checked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightsOffer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(720)
        self.button = QPushButton(self.tr("Download the weights"))
        self.button.setObjectName("weightsDownload")
        self.button.setToolTip(self.tr("Fetch torchvision's file and check its sha256 before it is used "
                                       "(needs a network)."))
        self.button.clicked.connect(self.start)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        row.addStretch(0)
        layout.addLayout(row)
        self.progress = DownloadProgress("weightsDownloadProgress")
        self.progress.setMaximumWidth(820)
        self.progress.succeeded.connect(self._done)
        self.progress.failed.connect(lambda _message: self.button.setEnabled(True))
        layout.addWidget(self.progress)
        self.archs: list[str] = []
        self.hide()

    def offer_for(self, graph, message: str = "") -> bool:
        """Show the offer when `graph` has a PretrainedBackbone whose file is missing (and `message`,
        the error shown above, if given, names that file); True if shown."""
        from studio.core.graph.blocks_pretrained import missing_weights, weights_dir, weights_name

        if self.progress.busy:
            return True
        self.archs = missing_weights(graph)
        if message:
            self.archs = [a for a in self.archs if weights_name(a) in message]
        if not self.archs:
            self.hide()
            return False
        names = ", ".join(weights_name(a) for a in self.archs)
        self.text.setText(self.tr("The ImageNet weights {names} are not on this machine. Download puts them "
                                  "in {folder}.").format(names=names, folder=weights_dir()))
        self.text.show()
        self.button.show()
        self.button.setEnabled(True)
        self.progress.hide()
        self.show()
        return True

    def withdraw(self) -> None:
        """A new run starts: the offer goes (a download under way stays, with its bar)."""
        if not self.progress.busy:
            self.hide()

    def start(self) -> None:
        from studio.core.graph.blocks_pretrained import download_weights

        archs = list(self.archs)
        if not archs:
            return

        def fetch(progress, cancel):
            return [download_weights(arch, progress=progress, cancel=cancel) for arch in archs]

        if self.progress.start(self.tr("Downloading the weights of {archs}…").format(archs=", ".join(archs)), fetch):
            self.button.setEnabled(False)

    def _done(self, paths: list) -> None:
        self.progress.say(self.tr("Downloaded and checked: {files}. Start the run again.").format(
            files=", ".join(str(p) for p in paths)))
        self.text.setText("")
        self.text.hide()
        self.button.hide()
        self.downloaded.emit([str(p) for p in paths])
