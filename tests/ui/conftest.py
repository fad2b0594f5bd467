"""UI test set-up: a headless Qt platform when there is no display, and settings in a temp dir.

Every test gets its own STUDIO_CONFIG_DIR, so settings, recent files and autosaves of one test
(or of the person running the suite) never leak into another.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui_env import PYTHON, REPO, studio_env  # noqa: F401 (re-exported for older imports)


@pytest.fixture(autouse=True)
def settle_between_tests():
    """End what a test left running before the next one starts, as the app does when it quits.

    The panels' jobs are cancelled and waited for through the job registry, so no test's work
    still runs (and reports into a window that is gone) while the next test measures or asserts;
    then the test's closed windows are deleted.

    Garbage collection stays on, as in the app; a collection between tests frees what the test
    left at a quiet point. (A reference cycle through the window's state once made the collector
    crash inside Qt; tests/ui/test_state.py and tests/app/test_project.py guard against it.)
    """
    from studio.app import jobs

    try:
        yield
    finally:
        jobs.cancel_all()
        if not jobs.wait_all(30):
            names = ", ".join(runner.name for runner in jobs.active_runners())
            print(f"UI test teardown: background jobs still running after 30 s: {names}", file=sys.stderr)
        _delete_closed_widgets()
        gc.collect()


def _delete_closed_widgets() -> None:
    """Carry out the deleteLater() of the test's closed windows now.

    Deferred deletes wait for an event loop that a test session rarely runs, so every earlier test's
    main window stayed alive; each application-wide restyle (a theme switch) then restyled them all,
    and one test took 75 s in a full run instead of 10.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config"
    path.mkdir()
    monkeypatch.setenv("STUDIO_CONFIG_DIR", str(path))
    monkeypatch.delenv("STUDIO_LOCALE", raising=False)
    return path


@pytest.fixture
def prompter():
    from studio.ui.prompts import ScriptedPrompter

    return ScriptedPrompter()


@pytest.fixture
def launch(qtbot, prompter):
    """Build a main window the way `python main.py` does (same settings, theme and first project)."""
    from PySide6.QtWidgets import QApplication

    from studio.ui.app import LaunchOptions, create_main_window

    windows = []

    def _launch(project: str | None = None, **kwargs):
        window, error = create_main_window(QApplication.instance(), LaunchOptions(project=project, **kwargs),
                                           prompter)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        window.open_error = error
        return window

    yield _launch
    for window in windows:
        if window.autosaver:
            window.autosaver.close()


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """The shipped example, copied to a user folder (tests must never write the template)."""
    from studio.core.resources import default_example_path

    target = tmp_path / "work" / "mnist.studio.json"
    target.parent.mkdir()
    target.write_bytes(default_example_path().read_bytes())
    return target
