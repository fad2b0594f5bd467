"""Building blocks shared by the Explain views: a progress line and a lazily refreshed view."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.messages import ERROR, MessageBar, Msg
from studio.ui.explain.context import ExplainContext


class ProgressLine(QWidget):
    """A progress bar with a Cancel button, shown while a long job runs."""

    def __init__(self, worker: QtJobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.text = QLabel()
        self.text.setObjectName("Caption")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        row.addWidget(self.bar, 1)
        row.addWidget(self.text)
        row.addWidget(self.cancel_button)
        worker.progress.connect(self._on_progress)
        self.hide()

    def start(self, text: str = "") -> None:
        self.bar.setRange(0, 0)
        self.text.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()

    def _on_progress(self, values: tuple) -> None:
        done, total = values
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.text.setText(f"{done} / {total}")


class LazyView(QWidget):
    """A view that recomputes only while it is visible; otherwise it remembers it is stale."""

    MESSAGES = (Msg("failed", ERROR),)
    """Why the view could not be drawn (the core's one-line message)."""

    def __init__(self, context: ExplainContext, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.worker = QtJobRunner(f"explain-{name}", parent=self)
        self.worker.result.connect(self._finished)
        self.worker.error.connect(self._failed)
        self.stale = True
        self.error = MessageBar(self.MESSAGES)
        context.subject_changed.connect(self._on_subject)
        context.input_changed.connect(self.invalidate)

    # subclasses -------------------------------------------------------------------------------
    def subject_changed(self) -> None:
        """Refill pickers from the new model (GUI thread, cheap)."""

    def compute(self) -> None:
        """Submit the job that redraws the view (called when visible and stale)."""

    def show_result(self, result: object) -> None:
        raise NotImplementedError

    def clear_view(self) -> None:
        """Take down every picture and fact of the previous model (there is no model now)."""

    # plumbing ---------------------------------------------------------------------------------
    def _on_subject(self) -> None:
        if self.context.subject is None:
            self.worker.cancel()  # a result still on its way belongs to the model that is gone
            self.error.clear()
            self.subject_changed()
            self.clear_view()
            self.stale = True
            return
        self.subject_changed()
        self.invalidate()

    def invalidate(self, *_args: object) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
        if self.context.subject is None:
            return
        self.compute()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def submit(self, job) -> int:
        self.error.clear()
        return self.worker.submit(job)

    def _finished(self, result: object) -> None:
        self.error.clear()
        self.show_result(result)

    def _failed(self, message: str, _user_error: bool) -> None:
        self.error.show_message("failed", message)
        self.on_failed(message)

    def on_failed(self, message: str) -> None:
        """Subclasses reset their progress lines here."""
