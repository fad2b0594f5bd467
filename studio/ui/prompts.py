"""Every question the app asks the user, behind one object that tests can replace.

The main window never calls QMessageBox or QFileDialog directly: it asks `window.prompter`. The
default `DialogPrompter` shows real dialogs; tests (and the hidden `--test-*` launch flags) swap in
a `ScriptedPrompter` that answers from a script and records what it was asked, so the code paths
behind the dialogs run exactly as they do for a person.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.core.project import SUFFIX

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def _file_filter() -> str:
    return ";;".join([QCoreApplication.translate("Prompter", "Studio projects (*.studio.json)"), QCoreApplication.translate("Prompter", "JSON files (*.json)"), QCoreApplication.translate("Prompter", "All files (*)")])


def with_suffix(path: str) -> str:
    return path if path.endswith(SUFFIX) else (path[:-5] if path.endswith(".json") else path) + SUFFIX


class Prompter:
    """The questions; subclasses decide how they are answered."""

    def unsaved_changes(self, parent: QWidget, name: str) -> str:
        """SAVE, DISCARD or CANCEL."""
        raise NotImplementedError

    def restore_autosave(self, parent: QWidget, project_name: str, when: str, original: str | None) -> bool:
        raise NotImplementedError

    def open_path(self, parent: QWidget, start_dir: str) -> str | None:
        raise NotImplementedError

    def save_path(self, parent: QWidget, suggested: str) -> str | None:
        raise NotImplementedError

    def open_file(self, parent: QWidget, title: str, start_dir: str, filters: str) -> str | None:
        """Any file to read (not a project): a model to import, ..."""
        raise NotImplementedError

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        """A yes/no question whose "yes" does something that cannot be undone (replace a file)."""
        raise NotImplementedError

    def error(self, parent: QWidget, title: str, text: str) -> None:
        raise NotImplementedError

    def info(self, parent: QWidget, title: str, text: str) -> None:
        raise NotImplementedError

    def language_changed(self, parent: QWidget, language: str, overridden_by: str | None) -> bool:
        """Say that `language` applies from the next launch (or that STUDIO_LOCALE=`overridden_by`
        keeps it from applying); True when the user wants to restart now."""
        raise NotImplementedError


class DialogPrompter(Prompter):
    """Real dialogs for a person at the screen."""

    def unsaved_changes(self, parent: QWidget, name: str) -> str:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("Prompter", "Unsaved changes"))
        box.setText(QCoreApplication.translate("Prompter", "Save the changes to “{name}” first?").format(name=name))
        box.setInformativeText(QCoreApplication.translate("Prompter", "If you don't save, your changes will be lost."))
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: SAVE,
                QMessageBox.StandardButton.Discard: DISCARD}.get(QMessageBox.StandardButton(answer), CANCEL)

    def restore_autosave(self, parent: QWidget, project_name: str, when: str, original: str | None) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QCoreApplication.translate("Prompter", "Restore unsaved work?"))
        box.setText(QCoreApplication.translate("Prompter", "Studio closed without saving “{name}”. Restore the autosaved copy from {when}?")
                    .format(name=project_name, when=when))
        if original:
            box.setInformativeText(QCoreApplication.translate("Prompter", "It was last saved as {path}.").format(path=original))
        restore = box.addButton(QCoreApplication.translate("Prompter", "Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QCoreApplication.translate("Prompter", "Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    def open_path(self, parent: QWidget, start_dir: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("Prompter", "Open project"), start_dir, _file_filter())
        return path or None

    def save_path(self, parent: QWidget, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("Prompter", "Save project as"), suggested, _file_filter())
        return with_suffix(path) if path else None

    def open_file(self, parent: QWidget, title: str, start_dir: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, start_dir, filters)
        return path or None

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def error(self, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def language_changed(self, parent: QWidget, language: str, overridden_by: str | None) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(QCoreApplication.translate("Prompter", "Language"))
        box.setText(QCoreApplication.translate("Prompter", "Studio will be in {language} the next time it starts.")
                    .format(language=language))
        if overridden_by:
            box.setInformativeText(QCoreApplication.translate(
                "Prompter", "STUDIO_LOCALE={value} is set and wins over this choice: unset it for {language} "
                "to apply.").format(value=overridden_by, language=language))
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.exec()
            return False
        box.setInformativeText(QCoreApplication.translate(
            "Prompter", "Restart now to switch: Studio closes (asking first about unsaved changes) and opens "
            "again on the same project."))
        restart = box.addButton(QCoreApplication.translate("Prompter", "Restart now"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(QCoreApplication.translate("Prompter", "Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restart)
        box.setEscapeButton(later)
        box.exec()
        return box.clickedButton() is restart


@dataclass
class ScriptedPrompter(Prompter):
    """Answers from queues instead of dialogs and records every question (tests, test hooks)."""

    unsaved_answers: deque = field(default_factory=deque)
    restore_answer: bool = False
    open_answers: deque = field(default_factory=deque)
    save_answers: deque = field(default_factory=deque)
    asked: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    infos: list = field(default_factory=list)
    restart_answer: bool = False
    """What language_changed answers: restart now (True) or later."""
    confirm_answers: deque = field(default_factory=deque)
    """What confirm answers, in turn (False once empty: nothing is replaced unasked)."""

    def unsaved_changes(self, parent: QWidget, name: str) -> str:
        self.asked.append(("unsaved", name))
        return self.unsaved_answers.popleft() if self.unsaved_answers else CANCEL

    def restore_autosave(self, parent: QWidget, project_name: str, when: str, original: str | None) -> bool:
        self.asked.append(("restore", project_name))
        return self.restore_answer

    def open_path(self, parent: QWidget, start_dir: str) -> str | None:
        self.asked.append(("open", start_dir))
        return str(self.open_answers.popleft()) if self.open_answers else None

    def save_path(self, parent: QWidget, suggested: str) -> str | None:
        self.asked.append(("save", suggested))
        return with_suffix(str(self.save_answers.popleft())) if self.save_answers else None

    def open_file(self, parent: QWidget, title: str, start_dir: str, filters: str) -> str | None:
        self.asked.append(("open_file", title))
        return str(self.open_answers.popleft()) if self.open_answers else None

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        self.asked.append(("confirm", text))
        return bool(self.confirm_answers.popleft()) if self.confirm_answers else False

    def error(self, parent: QWidget, title: str, text: str) -> None:
        self.errors.append(text)

    def info(self, parent: QWidget, title: str, text: str) -> None:
        self.infos.append(text)

    def language_changed(self, parent: QWidget, language: str, overridden_by: str | None) -> bool:
        self.asked.append(("language", language, overridden_by))
        return self.restart_answer and not overridden_by


def suggested_save_path(current: Path | None, project_name: str, start_dir: str) -> str:
    if current:
        return str(current)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in project_name.strip()).strip("_") or "project"
    return str(Path(start_dir) / f"{stem.lower()}{SUFFIX}")
