"""One look for every download the GUI starts: a status line, a progress bar in MB, and Cancel.

The Data panel's Download (MNIST, Fashion-MNIST, CIFAR-10) and the Train panel's offer to fetch a
PretrainedBackbone's weights both use it; the Audio lab's Whisper download shows the same kind of
bar in its own pane. The widget runs the fetch itself, on a `QtJobRunner` (one at a time: a second
click while one runs is refused, never a restart), so the window stays live; the fetch is a plain
core function `fetch(progress, cancel)` from `studio.core` (`download_vision`, `download_weights`),
which checks the files and renames them into place. Cancel sets the job's cancel event; the core
stops between two chunks and says so, and that message is shown like any other outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from studio.app.jobs import JobContext, Policy
from studio.ui.common.jobs import QtJobRunner

Fetch = Callable[[Callable[[str, int, int], None], Any], Any]
"""fetch(progress(name, done, total), cancel event) -> result; raises UserError on failure."""

STEPS = 1000


class DownloadProgress(QWidget):
    """A download's status line, bar and Cancel button (hidden until a download starts)."""

    succeeded = Signal(object)
    """The fetch's result (on the GUI thread), after the bar reached its end."""
    failed = Signal(str)
    """The one-line message of a failure or a cancel."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.message = QLabel("")
        self.message.setObjectName("Muted")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{name}Bar")
        self.bar.setRange(0, STEPS)
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(280)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.bar_row = QWidget()
        self.bar_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar_row.hide()
        layout.addWidget(self.bar_row)
        self._title = ""
        self.jobs = QtJobRunner(f"download-{name}", Policy.ONE_AT_A_TIME, parent=self)
        self.jobs.progress.connect(lambda values: self._show_progress(*values))
        self.jobs.result.connect(self._done)
        self.jobs.error.connect(self._failed)
        self.hide()

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def start(self, title: str, fetch: Fetch) -> bool:
        """Run `fetch` in the background showing `title` ("Downloading MNIST…") over the bar; False
        when a download is already running."""
        shown = [-1.0]

        def job(context: JobContext) -> Any:
            def progress(name: str, done: int, total: int) -> None:
                share = done / total if total else 0.0
                if share - shown[0] >= 0.002 or done >= total:  # a few hundred updates at most
                    shown[0] = share
                    context.progress(name, done, total)

            return fetch(progress, context.cancelled)

        if self.jobs.submit(job) is None:
            return False
        self._title = title
        self.show()
        self.bar_row.show()
        self.cancel_button.setEnabled(True)
        self.bar.setValue(0)
        self.bar.setFormat(self.tr("connecting…"))
        self.say(title)
        return True

    def cancel(self) -> None:
        """Ask the running download to stop; what it left is cleaned up by the core, and the cancel
        message arrives like any failure."""
        if self.jobs.busy:
            self.cancel_button.setEnabled(False)
            self.jobs.cancel(deliver=True)

    def say(self, text: str, error: bool = False) -> None:
        """Show `text` on the status line (in the warning colour when `error`)."""
        self.show()
        self.message.setText(text)
        self.message.setObjectName("Warning" if error else "Muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    # --- job events -------------------------------------------------------------------------------
    def _show_progress(self, name: str, done: int, total: int) -> None:
        self.bar.setValue(int(STEPS * done / total) if total else 0)
        if total > 1:
            self.bar.setFormat(self.tr("{percent} % · {done:.1f} of {total:.1f} MB · {name}").format(
                percent=int(100 * done / total), done=done / 1e6, total=total / 1e6, name=name))

    def _done(self, result: Any) -> None:
        self.bar.setValue(STEPS)
        self.bar.setFormat(self.tr("done"))
        self.bar_row.hide()
        self.succeeded.emit(result)

    def _failed(self, message: str, _user_error: bool) -> None:
        self.bar_row.hide()
        self.say(message, error=True)
        self.failed.emit(message)
