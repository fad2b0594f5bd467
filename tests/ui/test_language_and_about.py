"""View ▸ Language and the About box's keyboard (issue 20, item 17), driven as a user does: menu
entries triggered, keys sent to whatever has the keyboard focus, a second launch reading settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio.ui import languages


def _key_to_focus(qtbot, key) -> None:
    """Press `key` where the keyboard is: the focused widget of the active window."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window has the keyboard"
    qtbot.keyClick(target, key)


def test_escape_closes_about_each_time_it_is_opened(launch, qtbot):
    window = launch()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(2):  # the second Help > About reuses the hidden dialog
        window.action_about.trigger()
        dialog = window.about_dialog
        qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
        _key_to_focus(qtbot, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
        window.activateWindow()  # the user goes back to the window, then opens About again
        qtbot.waitUntil(window.isActiveWindow)


def test_the_language_menu_lists_each_language_in_itself_with_this_launchs_checked(launch):
    window = launch()
    menu = window.findChild(type(window.view_menu), "menuLanguage")
    assert menu is not None and menu.title().replace("&", "") == "Language"
    names = [a.text() for a in menu.actions()]
    assert names == ["English", "Português (Brasil)"]
    assert window.language_actions["en"].isChecked()
    assert not window.language_actions["pt_BR"].isChecked()


def test_a_chosen_language_is_remembered_and_the_next_launch_is_in_it(launch, prompter, config_dir):
    window = launch()
    window.language_actions["pt_BR"].trigger()
    assert prompter.asked[-1] == ("language", "Português (Brasil)", None)  # offered a restart, declined
    assert window.language_actions["pt_BR"].isChecked()
    assert window.menuBar().actions()[0].text() == "&File"  # this window stays as it was built

    from studio.ui import app as app_module
    from studio.ui.config import open_settings

    assert languages.startup_locale(open_settings()) == "pt_BR"
    translators = app_module.install_translations(QApplication.instance(), languages.startup_locale(open_settings()))
    try:
        second = launch()
        assert second.language_actions["pt_BR"].isChecked()
        assert second.menuBar().actions()[0].text().replace("&", "") == "Arquivo"
    finally:
        for tr in translators:
            QApplication.instance().removeTranslator(tr)


def test_studio_locale_wins_over_the_saved_choice_and_the_user_is_told(launch, prompter, monkeypatch):
    monkeypatch.setenv("STUDIO_LOCALE", "en")
    window = launch()
    window.language_actions["pt_BR"].trigger()
    assert prompter.asked[-1] == ("language", "Português (Brasil)", "en")


def test_restart_now_reopens_studio_on_the_saved_project(launch, prompter, example_copy, monkeypatch):
    started = []
    monkeypatch.setattr("studio.ui.main_window.QProcess.startDetached",
                        lambda program, args, cwd: started.append((program, args)) or (True, 1))
    prompter.restart_answer = True
    window = launch(str(example_copy))
    window.language_actions["pt_BR"].trigger()
    assert not window.isVisible()
    program, args = started[-1]
    assert args[:3] == ["-m", "studio", "gui"] and args[-1] == str(example_copy)


@pytest.mark.parametrize("name,expected", [("pt_BR", "pt_BR"), ("pt_BR.UTF-8", "pt_BR"), ("de_DE", "en"), ("C", "en")])
def test_a_system_locale_falls_under_an_offered_language(name, expected):
    assert languages.language_of(name) == expected
