"""Start the desktop app: QApplication, translations, theme, the first project, the main window.

Nothing slow happens before the window is on screen: torch is imported by the device probe on a
background thread once the event loop runs, and the recovery question is asked after the window
shows. `run_app` is what `python main.py` / `python -m studio gui` call.

The app ends like any Python program: when the event loop returns, every background job is
cancelled and waited for (`studio.app.jobs`: their threads are not daemons, so none is left inside
torch's C++ code while the interpreter finalizes), then `run_app` returns the exit code.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from studio import __version__
from studio.app import jobs
from studio.core.errors import UserError
from studio.core.project import ProjectError, load_project
from studio.core.resources import default_example_path, resource_path
from studio.ui import config, drops, languages, theme
from studio.ui.main_window import MainWindow
from studio.ui.panels import PANEL_KEYS
from studio.ui.prompts import Prompter, ScriptedPrompter
from studio.ui.state import AppState

LOCALE_ENV = languages.LOCALE_ENV
SCREENSHOT_PROBE_WAIT_MS = 15000
QUIT_WAIT_S = 10.0
"""How long quitting waits for background jobs to stop before it says which ones it still waits for."""


@dataclass
class LaunchOptions:
    project: str | None = None
    screenshot: str | None = None
    panel: str | None = None
    theme: str | None = None
    # Hidden hooks for tests that drive a real app process (see tests/ui/test_recovery_process.py).
    test_edit: str | None = None
    test_restore: str | None = None
    test_report: str | None = None


def ensure_display(screenshot: bool) -> None:
    """Pick a platform that can work: offscreen for screenshots without a display, else say how."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    raise UserError("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)",
                    "run it under a desktop session, or `xvfb-run python main.py`; "
                    "`--screenshot OUT.png` works without a display")


def install_translations(app: QApplication, locale_name: str | None = None) -> list[QTranslator]:
    """Load Studio's and Qt's own translations for `locale_name` (else STUDIO_LOCALE, else the system's).

    A locale without a compiled `resources/translations/studio_<locale>.qm` simply stays English.
    """
    name = locale_name or os.environ.get(LOCALE_ENV) or QLocale.system().name()
    installed = []
    for stem, folder in ((f"studio_{name}", str(resource_path("translations"))),
                         (f"qtbase_{name}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(stem, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "studio"])
    app.setApplicationName("Studio")
    app.setOrganizationName("Studio")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "studio.svg"))))
    return app


def initial_project(state: AppState, path: str | None) -> ProjectError | None:
    """Open `path`, or the built-in example as an untitled copy; return the error if `path` failed."""
    if path:
        try:
            state.replace(load_project(path), Path(path))
            return None
        except ProjectError as exc:
            error = exc
    else:
        error = None
    state.replace(load_project(default_example_path()), None)
    return error


def opened_as_dropped(path: str | None) -> Path | None:
    """A path on the command line that is not a project but something the window takes when it is
    dropped on it (a run folder or checkpoint, an .onnx file, an image, a WAV file, a folder of class
    folders, a .csv): `studio gui RUN_FOLDER` opens it the same way, on top of the built-in example."""
    if not path or not Path(path).exists():
        return None
    kind = drops.classify_drop(Path(path))
    return Path(path) if kind not in (None, drops.PROJECT) else None


def _write_report(window: MainWindow, prompter: ScriptedPrompter, out: str) -> None:
    state = window.state
    report = {
        "recovery_offered": [a[1] for a in prompter.asked if a[0] == "restore"],
        "project_name": state.project.name,
        "path": str(state.path) if state.path else None,
        "dirty": state.dirty,
        "errors": prompter.errors,
        "panels": sorted(window.docks),
    }
    Path(out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def validate(options: LaunchOptions) -> None:
    if options.panel and options.panel.lower() not in PANEL_KEYS:
        raise UserError(f"there is no panel named {options.panel!r}", "use one of " + ", ".join(PANEL_KEYS))
    if options.theme and options.theme not in theme.THEMES:
        raise UserError(f"there is no theme named {options.theme!r}", "use light or dark")


def create_main_window(app: QApplication, options: LaunchOptions,
                       prompter: Prompter | None = None) -> tuple[MainWindow, ProjectError | None]:
    """Everything a launch does before the event loop: settings, theme, first project, window.

    Tests build windows through this too, so what persists between launches is checked on the
    same path a real launch takes.
    """
    validate(options)
    ephemeral = bool(options.screenshot)
    settings = config.open_settings()
    theme.apply_theme(app, options.theme or str(settings.value("ui/theme", theme.DEFAULT_THEME)))
    app.setFont(theme.base_font(app))

    state = AppState()
    dropped = opened_as_dropped(options.project)
    open_error = initial_project(state, None if dropped else options.project)
    if open_error and ephemeral:
        raise open_error
    window = MainWindow(state, settings, prompter=prompter, ephemeral=ephemeral)
    if dropped:
        window.open_dropped(dropped)
    if ephemeral:
        window.resize(1440, 900)
    else:
        window.restore_layout()
        if options.project and not open_error and not dropped:
            config.add_recent_file(settings, options.project)
            window.refresh_recent_menu()
    if options.panel:
        window.show_panel(options.panel)
    return window, open_error


def run_app(options: LaunchOptions) -> int:
    ensure_display(bool(options.screenshot))
    validate(options)
    app = make_application()
    install_translations(app, languages.startup_locale(config.open_settings()))
    scripted = None
    if options.test_restore or options.test_report or options.test_edit:
        scripted = ScriptedPrompter(restore_answer=(options.test_restore == "yes"))
    window, open_error = create_main_window(app, options, scripted)
    state = window.state
    window.show()

    def after_show() -> None:
        window.probe.start()
        if open_error:
            print(f"studio gui: error: {open_error.one_line()}", file=sys.stderr)
            window.prompter.error(window, QCoreApplication.translate("MainWindow", "Cannot open project"),
                                  open_error.one_line())
        window.offer_recovery()
        if options.test_edit is not None:
            state.edit_field("name", options.test_edit)
        if options.test_report:
            _write_report(window, scripted, options.test_report)
            if window.autosaver:
                window.autosaver.close()
            app.exit(0)  # not quit(): that asks windows to close, and a dirty one would ask to save

    QTimer.singleShot(0, after_show)
    if options.screenshot:
        _schedule_screenshot(app, window, Path(options.screenshot))
    code = app.exec()
    stop_background_jobs()
    window.settings.sync()  # what was set since the last sync (theme, speech engine), whenever the window goes
    return code


def stop_background_jobs(timeout_s: float = QUIT_WAIT_S) -> None:
    """Cancel every job and wait for them, so the interpreter ends with no thread in native code.

    By the time the event loop has returned, what the user owns is saved or closed (closeEvent,
    aboutToQuit: autosave, the training worker, the audio stream). A job that does not look at its
    cancel flag (an export timing forwards) is waited for `timeout_s`; after that the wait is said on
    stderr and the interpreter's own exit waits for the job to end.
    """
    jobs.cancel_all()
    if not jobs.wait_all(timeout_s):
        names = ", ".join(sorted(runner.name for runner in jobs.active_runners()))
        print(f"studio gui: waiting for background work to end: {names}", file=sys.stderr)


def _schedule_screenshot(app: QApplication, window: MainWindow, out: Path) -> None:
    """Grab the window once it has laid out and the device line is known (or after a timeout)."""
    waited = {"ms": 0}

    def grab() -> None:
        if window.probe.info is None and waited["ms"] < SCREENSHOT_PROBE_WAIT_MS:
            waited["ms"] += 100
            QTimer.singleShot(100, grab)
            return
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"studio gui: error: could not write the screenshot {out}", file=sys.stderr)
            app.exit(1)
            return
        print(f"saved {out}")
        app.exit(0)

    QTimer.singleShot(400, grab)
