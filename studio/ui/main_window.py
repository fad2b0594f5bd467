"""The main window: six dockable panels, the menus, the status bar, and the project's file life.

The window owns what happens to files (new, open, save, recent, drop, autosave, recovery) and the
chrome (menus, theme, layout). What a panel shows is the panel's business: each one gets the shared
`AppState` and nothing else.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QProcess, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import studio
from studio.app.run_store import RunStore
from studio.core.errors import UserError
from studio.core.project import SUFFIX, Project, ProjectError, load_project, save_project
from studio.core.resources import TEMPLATES
from studio.core.train.run_layout import checkpoint_choice
from studio.ui import config, drops, languages, theme
from studio.ui.about import about_html, about_text
from studio.ui.autosave import Autosaver, find_orphans
from studio.ui.device_probe import DeviceProbe, device_summary
from studio.ui.panels import PANELS, inputs
from studio.ui.panels.inputs import Incoming
from studio.ui.prompts import DISCARD, SAVE, DialogPrompter, Prompter, suggested_save_path
from studio.ui.state import AppState

LAYOUT_VERSION = 1


def template_entries() -> list[tuple[str, Path]]:
    """(project name, path) of every shipped template, sorted by name."""
    entries = []
    for path in sorted(TEMPLATES.glob(f"*{SUFFIX}")):
        try:
            name = json.loads(path.read_text(encoding="utf-8")).get("name") or path.name
        except (OSError, ValueError):
            continue
        entries.append((str(name), path))
    return sorted(entries, key=lambda e: e[0].lower())


def _dropped_files(urls) -> list[Path]:
    """Local files among dropped URLs that Studio knows what to do with."""
    paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return [p for p in paths if drops.classify_drop(p)]


def _scrollable(panel: QWidget) -> QScrollArea:
    """Let a panel keep its minimum size without forcing it on the window (small laptop screens)."""
    area = QScrollArea()
    area.setObjectName(f"{panel.objectName() or 'panel'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area


class AboutDialog(QDialog):
    """Versions and device; fills in the device part when the background probe answers."""

    def __init__(self, probe: DeviceProbe, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Studio"))
        self.setMinimumWidth(520)
        self._probe = probe
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy to clipboard"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.plain_text()))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        probe.ready.connect(self.refresh)
        self.refresh()

    def plain_text(self) -> str:
        return about_text(self._probe.info)

    def refresh(self, *_args: object) -> None:
        self.label.setText(about_html(self._probe.info))


class MainWindow(QMainWindow):
    def __init__(self, state: AppState, settings: QSettings, prompter: Prompter | None = None,
                 probe: DeviceProbe | None = None, recovery_dir: Path | None = None, ephemeral: bool = False):
        """`ephemeral` (screenshots): no autosave, no prompts on close, nothing written to settings."""
        super().__init__()
        self.state = state
        self.settings = settings
        self.prompter: Prompter = prompter or DialogPrompter()
        self.probe = probe or DeviceProbe(self)
        self.ephemeral = ephemeral
        self.recovery_dir = recovery_dir or config.recovery_dir()
        self.autosaver = None if ephemeral else Autosaver(state, self.recovery_dir, self)
        self.about_dialog: AboutDialog | None = None
        self.setObjectName("StudioMainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks | QMainWindow.DockOption.GroupedDragging)
        self.setDocumentMode(True)
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self.resize(1360, 860)

        self.panels: dict[str, QWidget] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        self._build_menus()
        self._build_status_bar()
        self._default_state = self.saveState(LAYOUT_VERSION)

        state.path_changed.connect(self._update_title)
        state.project_edited.connect(self._update_title)
        state.project_replaced.connect(self._update_title)
        state.dirty_changed.connect(self._update_title)
        self.probe.ready.connect(self._show_device)
        self._update_title()
        if self.probe.info is not None:
            self._show_device(self.probe.info)

    # --- construction ------------------------------------------------------------------------
    def _build_docks(self) -> None:
        first: QDockWidget | None = None
        for panel_cls in PANELS:
            panel = panel_cls(self.state)
            dock = QDockWidget(panel_cls.title(), self)
            dock.setObjectName(f"{panel_cls.KEY}Dock")
            dock.setWidget(panel if isinstance(panel, QScrollArea) else _scrollable(panel))
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            if first is None:
                first = dock
            else:
                self.tabifyDockWidget(first, dock)
            self.panels[panel_cls.KEY] = panel
            self.docks[panel_cls.KEY] = dock
        if first is not None:
            first.raise_()

    def _action(self, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        # File
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.action_new = self._action(self.tr("&New"), self.new_project, QKeySequence.StandardKey.New, "actionNew")
        self.template_menu = QMenu(self.tr("New from &template"), self)
        self.template_menu.setObjectName("menuTemplates")
        self.action_gallery = self._action(self.tr("Template &gallery…"), self.open_template_gallery,
                                           None, "actionTemplateGallery")
        for name, path in template_entries():
            act = self.template_menu.addAction(name)
            act.setToolTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.new_from_template(p))
        self.template_menu.addSeparator()
        self.template_menu.addAction(self.action_gallery)
        self.action_open = self._action(self.tr("&Open…"), self.open_dialog, QKeySequence.StandardKey.Open,
                                        "actionOpen")
        self.recent_menu = QMenu(self.tr("Open &recent"), self)
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self.refresh_recent_menu)
        self.action_import_model = self._action(self.tr("&Import model…"), self.import_model_dialog, None,
                                                "actionImportModel")
        self.action_save = self._action(self.tr("&Save"), self.save, QKeySequence.StandardKey.Save, "actionSave")
        self.action_save_as = self._action(self.tr("Save &as…"), self.save_as, QKeySequence.StandardKey.SaveAs,
                                           "actionSaveAs")
        self.action_quit = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, "actionQuit")
        self.file_menu.addAction(self.action_new)
        self.file_menu.addMenu(self.template_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_open)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.action_import_model)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_save)
        self.file_menu.addAction(self.action_save_as)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_quit)
        self.refresh_recent_menu()

        # Edit
        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.action_undo = self.state.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.action_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.action_undo.setObjectName("actionUndo")
        self.action_redo = self.state.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.action_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.action_redo.setObjectName("actionRedo")
        self.edit_menu.addAction(self.action_undo)
        self.edit_menu.addAction(self.action_redo)

        # View
        self.view_menu = bar.addMenu(self.tr("&View"))
        for key, dock in self.docks.items():
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"actionShow_{key}")
            self.view_menu.addAction(toggle)
        self.view_menu.addSeparator()
        self.theme_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        labels = {"light": self.tr("&Light theme"), "dark": self.tr("&Dark theme")}
        for name in theme.THEMES:
            act = QAction(labels[name], self, checkable=True)
            act.setObjectName(f"actionTheme_{name}")
            act.triggered.connect(lambda _c=False, n=name: self.set_theme(n))
            group.addAction(act)
            self.view_menu.addAction(act)
            self.theme_actions[name] = act
        self.theme_actions[theme.current_theme()].setChecked(True)
        self.view_menu.addMenu(self._language_menu())
        self.view_menu.addSeparator()
        self.action_reset_layout = self._action(self.tr("&Reset layout"), self.reset_layout, None,
                                                "actionResetLayout")
        self.view_menu.addAction(self.action_reset_layout)

        # Help
        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.action_about = self._action(self.tr("&About Studio"), self.show_about, None, "actionAbout")
        self.help_menu.addAction(self.action_about)

    def _language_menu(self) -> QMenu:
        """View ▸ Language: one checkable entry per language, the one this launch uses checked."""
        menu = QMenu(self.tr("&Language"), self)
        menu.setObjectName("menuLanguage")
        self.language_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for name, label in languages.LANGUAGES.items():
            act = QAction(label, self, checkable=True)
            act.setObjectName(f"actionLanguage_{name}")
            act.triggered.connect(lambda _c=False, n=name: self.choose_language(n))
            group.addAction(act)
            menu.addAction(act)
            self.language_actions[name] = act
        self.language = languages.language_of(languages.startup_locale(self.settings))
        self.language_actions[self.language].setChecked(True)
        return menu

    def _build_status_bar(self) -> None:
        self.device_label = QLabel(device_summary(None))
        self.device_label.setObjectName("deviceLabel")
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().setSizeGripEnabled(False)

    # --- title, device, theme, layout ---------------------------------------------------------
    def _update_title(self, *_args: object) -> None:
        where = self.state.path.name if self.state.path else self.tr("not saved yet")
        self.setWindowTitle(self.tr("{name} ({where})[*] — Studio").format(
            name=self.state.project.name or self.tr("Untitled"), where=where))
        self.setWindowModified(self.state.dirty)

    def _show_device(self, info: dict) -> None:
        self.device_label.setText(device_summary(info))
        self.device_label.setToolTip(about_text(info))

    def set_theme(self, name: str, persist: bool = True) -> None:
        app = QApplication.instance()
        applied = theme.apply_theme(app, name) if app else name
        self.theme_actions[applied].setChecked(True)
        if persist and not self.ephemeral:
            self.settings.setValue("ui/theme", applied)
            self.settings.sync()

    def choose_language(self, name: str) -> None:
        """Remember `name` for the next launches and offer to restart into it now.

        Qt translates a text when its widget is built, so the open window stays as it is until then.
        """
        self.language_actions[name].setChecked(True)
        if self.ephemeral:
            return
        previous = languages.saved_locale(self.settings)
        languages.save_locale(self.settings, name)
        if name == self.language and previous in (None, name):
            return  # the window is already in this language and nothing else was chosen before
        if self.prompter.language_changed(self, languages.LANGUAGES[name], languages.env_locale()):
            self.restart()

    def relaunch_command(self) -> tuple[str, list[str]]:
        """The program and arguments that open Studio again on the project open now (once saved)."""
        args = ["-m", "studio", "gui"]
        if self.state.path is not None:
            args.append(str(self.state.path))
        return sys.executable, args

    def restart(self) -> bool:
        """Close this window (asking about unsaved changes as Quit does), then start Studio again."""
        if not self.close():
            return False
        program, args = self.relaunch_command()
        return QProcess.startDetached(program, args, str(Path(studio.__file__).resolve().parents[1]))[0]

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self.docks[PANELS[0].KEY].raise_()

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        layout = self.settings.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if isinstance(layout, QByteArray) and not layout.isEmpty():
            self.restoreState(layout, LAYOUT_VERSION)

    def save_layout(self) -> None:
        if self.ephemeral:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def show_panel(self, key: str) -> None:
        dock = self.docks[key.lower()]
        dock.show()
        dock.raise_()

    def show_about(self) -> None:
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.probe, self)
        self.about_dialog.refresh()
        self.about_dialog.show()
        self.about_dialog.raise_()
        # Keyboard focus follows the active window: without this a window manager may leave it in the
        # main window (and a second Help > About leaves it wherever it was), so Escape did not close it.
        self.about_dialog.activateWindow()

    # --- project files ------------------------------------------------------------------------
    def _start_dir(self) -> str:
        if self.state.path:
            return str(self.state.path.parent)
        recent = config.recent_files(self.settings)
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _remember(self, path: Path) -> None:
        if not self.ephemeral:
            config.add_recent_file(self.settings, path)
        self.refresh_recent_menu()

    def maybe_keep_changes(self) -> bool:
        """True when it is fine to drop the open project (saved, or the user said so)."""
        if not self.state.dirty:
            return True
        answer = self.prompter.unsaved_changes(self, self.state.project.name or self.state.display_name())
        if answer == SAVE:
            return self.save()
        return answer == DISCARD

    def new_project(self) -> bool:
        if not self.maybe_keep_changes():
            return False
        self.state.replace(Project(), None)
        return True

    def new_from_template(self, path: Path) -> bool:
        """A template opens as an untitled copy so the shipped file is never written."""
        try:
            project = load_project(path)
        except ProjectError as exc:
            self._error(self.tr("Cannot open template"), exc)
            return False
        if not self.maybe_keep_changes():
            return False
        self.state.replace(project, None)
        return True

    def open_template_gallery(self) -> bool:
        """The course templates with a thumbnail and one line each; the chosen one opens untitled."""
        from studio.ui.builder.gallery import choose_template

        path = choose_template(self)
        return bool(path) and self.new_from_template(path)

    def open_dialog(self) -> bool:
        path = self.prompter.open_path(self, self._start_dir())
        return bool(path) and self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a project file; a file we cannot read leaves everything as it was (and untouched)."""
        path = Path(path)
        try:
            project = load_project(path)
        except ProjectError as exc:
            self._error(self.tr("Cannot open project"), exc)
            return False
        if self.state.path and self.state.path == path.resolve() and not self.state.dirty:
            return True
        if not self.maybe_keep_changes():
            return False
        self.state.replace(project, path)
        self._remember(path)
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=path), 5000)
        return True

    def import_model_dialog(self, path: Path | None = None):
        """File ▸ Import model… (and a dropped model file): the dialog, shown; see studio/ui/builder/import_dialog.py."""
        from studio.ui.builder.import_dialog import ImportModelDialog

        dialog = ImportModelDialog(self, path)
        dialog.show()
        return dialog

    def open_imported(self, path: Path) -> bool:
        """Open a project the import just wrote (the user was asked about unsaved changes before it ran)."""
        try:
            project = load_project(path)
        except ProjectError as exc:
            self._error(self.tr("Cannot open project"), exc)
            return False
        self.state.replace(project, Path(path))
        self._remember(Path(path))
        return True

    def save(self) -> bool:
        if self.state.path is None:
            return self.save_as()
        return self.write_to(self.state.path)

    def save_as(self) -> bool:
        suggested = suggested_save_path(self.state.path, self.state.project.name, self._start_dir())
        path = self.prompter.save_path(self, suggested)
        return bool(path) and self.write_to(Path(path))

    def write_to(self, path: Path) -> bool:
        try:
            save_project(self.state.project, path)
        except OSError as exc:
            self.prompter.error(self, self.tr("Cannot save project"),
                                self.tr("Could not write {path}: {reason}").format(
                                    path=path, reason=exc.strerror or exc))
            return False
        self.state.mark_saved(path)
        if self.autosaver:
            self.autosaver.discard()
        self._remember(path)
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def _error(self, title: str, exc: ProjectError) -> None:
        self.statusBar().showMessage(exc.one_line(), 8000)
        self.prompter.error(self, title, exc.one_line())

    def refresh_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = config.recent_files(self.settings)
        if not files:
            empty = menu.addAction(self.tr("No recent projects"))
            empty.setEnabled(False)
            return
        for i, file in enumerate(files, start=1):
            act = menu.addAction(f"&{i}  {Path(file).name}" if i < 10 else Path(file).name)
            act.setToolTip(file)
            act.setStatusTip(file)
            act.setData(file)
            act.triggered.connect(lambda _c=False, f=file: self.open_recent(f))
        menu.addSeparator()
        clear = menu.addAction(self.tr("Clear recent projects"))
        clear.triggered.connect(self._clear_recent)

    def open_recent(self, file: str) -> bool:
        if not Path(file).exists():
            self.prompter.error(self, self.tr("Cannot open project"),
                                self.tr("{path} no longer exists; it was removed from the recent list.")
                                .format(path=file))
            config.remove_recent_file(self.settings, file)
            self.refresh_recent_menu()
            return False
        return self.open_path(Path(file))

    def _clear_recent(self) -> None:
        self.settings.setValue("recent/files", [])
        self.settings.sync()
        self.refresh_recent_menu()

    # --- recovery -----------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """Offer the autosaves crashed sessions left; returns True when one was restored."""
        if self.ephemeral:
            return False
        for orphan in find_orphans(self.recovery_dir):
            when = _dt.datetime.fromtimestamp(orphan.saved_at).strftime("%Y-%m-%d %H:%M:%S")
            original = str(orphan.original) if orphan.original else None
            if not self.prompter.restore_autosave(self, orphan.project_name, when, original):
                orphan.discard()
                continue
            try:
                project = orphan.load()
            except ProjectError as exc:
                self._error(self.tr("Cannot restore autosave"), exc)
                continue
            self.state.replace(project, orphan.original, dirty=True)
            orphan.discard()
            if self.autosaver:
                self.autosaver.write_now()
            self.statusBar().showMessage(self.tr("Restored the autosaved “{name}”; save it to keep it.")
                                         .format(name=project.name), 8000)
            return True
        return False

    # --- events -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.ephemeral and not self.maybe_keep_changes():
            event.ignore()
            return
        self.save_layout()
        if self.autosaver:
            self.autosaver.close()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and _dropped_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _dropped_files(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop returns so the drag source is not left waiting on a dialog.
        QTimer.singleShot(0, lambda: self.open_dropped(files[0]))

    def open_dropped(self, path: Path) -> bool:
        """Route a dropped file to whoever handles it (see studio/ui/drops.py)."""
        kind = drops.classify_drop(path)
        if kind == drops.PROJECT:
            return self.open_path(path)
        if kind == drops.RUN:
            return self.open_run(drops.run_folder_of(Path(path)), checkpoint_choice(path))
        if kind == drops.MODEL:
            return self.import_model_dialog(Path(path)) is not None
        if kind is None:
            return False
        return self.hand_over(Incoming(kind, Path(path)))

    def hand_over(self, item: Incoming) -> bool:
        """Give `item` to every panel that declares its kind (`INPUTS`), bringing forward the one
        that shows it; True when one of them opened it."""
        opened = False
        for panel, declared in inputs.takers(self.panels, item.kind):
            if declared.shows:
                self.show_panel(panel.KEY)
            opened = bool(panel.receive(item)) or opened
        return opened

    def open_run(self, run_dir: Path, which: str = "best") -> bool:
        """A run folder (or its checkpoint) opens the run's project, its weights ready in Explain and Export."""
        try:
            project = RunStore().open(run_dir).project
        except UserError as exc:
            self._error(self.tr("Cannot open run"), exc)
            return False
        if not self.maybe_keep_changes():
            return False
        self.state.replace(project, None)
        self.hand_over(Incoming(drops.RUN, Path(run_dir), which))
        self.statusBar().showMessage(
            self.tr("Opened the project of run {run} with its trained weights").format(run=run_dir.name), 8000)
        return True
