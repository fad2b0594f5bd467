"""The live picture of a language model: text it writes from a fixed prompt, epoch after epoch.

The trainer sends a `sample` event before each epoch event of a language-model run
(docs/training.md): the head's prompt continued at its temperature, with the generator seeded the
same way every epoch, so what changes between two samples is the model alone. This view keeps them
all, newest first, the prompt set apart from what the model wrote, so a student reads the text go
from noise to words.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from studio.ui.theme import current_colors, follow_theme


class SampleTextView(QWidget):
    """Every `sample` event of the run, newest first: epoch, temperature, prompt and continuation."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setObjectName("sampleText")
        layout.addWidget(self.caption)
        layout.addWidget(self.text, 1)
        self.samples: list[dict[str, Any]] = []
        self.clear()
        follow_theme(self, self._render)

    def show_event(self, event: dict[str, Any]) -> bool:
        """Add a `sample` event; other events are ignored (False), so a caller may pass them all."""
        if event.get("event") != "sample":
            return False
        self.samples.append(event)
        self._render()
        return True

    def clear(self) -> None:
        self.samples = []
        self.caption.setText(self.tr("Text the model writes from its prompt appears here after each epoch."))
        self.text.clear()

    def _render(self) -> None:
        if not self.samples:
            return
        c = current_colors()
        latest = self.samples[-1]
        self.caption.setText(self.tr("Prompt continued at temperature {t} after each epoch, newest first").format(
            t=latest.get("temperature")))
        blocks = []
        for s in reversed(self.samples):
            prompt, text = str(s.get("prompt", "")), str(s.get("text", ""))
            written = text[len(prompt):] if text.startswith(prompt) else text  # the event's text includes the prompt
            head = self.tr("epoch {e}").format(e=s.get("epoch"))
            body = (f"<span style='color:{c['muted']}'>{escape(prompt)}</span>"
                    f"<span style='color:{c['text']}'>{escape(written)}</span>").replace("\n", "<br>")
            # pre-wrap: the model's own runs of spaces are part of what it learned, so they show as written
            blocks.append(f"<p style='white-space:pre-wrap'><span style='color:{c['muted']}'>{escape(head)}</span>"
                          f"<br>{body}</p>")
        self.text.setHtml("<div style='font-family:monospace'>" + "".join(blocks) + "</div>")
