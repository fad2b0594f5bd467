"""Errors that are the user's to fix.

A `UserError` carries a one-line message that names what is wrong (the node, the file, the device)
and, where known, how to fix it. The command line prints it on stderr and exits 1; the GUI shows it
in a dialog or next to the thing it names. Anything else that escapes is a bug in Studio.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input, with an optional suggested fix."""

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def one_line(self) -> str:
        text = self.message.rstrip(".")
        if self.fix:
            text += f": {self.fix}"
        return text.replace("\n", " ")
