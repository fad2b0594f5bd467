"""The trained runs a panel offers, kept current while the app trains.

Explain and Export both list the runs under the runs/ folders (`studio.ui.common.runs`) plus the
folders a user opened by hand or dropped on the app, and both refresh when the Train panel starts
or finishes a run. One `RunList` per panel holds those extra folders and fills its run choosers;
`OffersRuns` gives such a panel the names the main window and the tests call.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.ui.common.run_chooser import RunChooser
from studio.ui.common.runs import RunInfo, find_runs, is_run_folder, run_roots
from studio.ui.state import AppState


class RunList(QObject):
    """Emits `changed(runs)` with the runs to offer, the open project's first, newest first."""

    changed = Signal(list)

    def __init__(self, state: AppState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.extra: list[Path] = []
        state.run_started.connect(lambda _run: self.refresh())
        state.run_ended.connect(lambda _run: self.refresh())

    def attach(self, chooser: RunChooser) -> None:
        """Fill `chooser` on every change; its Refresh button looks again."""
        self.changed.connect(chooser.set_runs)
        chooser.refresh_requested.connect(self.refresh)

    def runs(self) -> list[RunInfo]:
        return find_runs(run_roots(self.state.path), self.extra, self.state.project.name)

    def refresh(self) -> None:
        self.changed.emit(self.runs())

    def add(self, path: Path) -> bool:
        """Offer a folder chosen by hand (resolved) from now on; False, and nothing changes, when it
        is not a run folder."""
        path = Path(path).resolve()
        if not is_run_folder(path):
            return False
        if path not in self.extra:
            self.extra.append(path)
        self.refresh()
        return True


class OffersRuns:
    """Mixed into a panel page that keeps its runs in `self.known_runs`."""

    known_runs: RunList

    @property
    def extra_runs(self) -> list[Path]:
        """Run folders opened by hand or dropped on the app, offered beside those under runs/."""
        return self.known_runs.extra

    def refresh_runs(self) -> None:
        self.known_runs.refresh()
