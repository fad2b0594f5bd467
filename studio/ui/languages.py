"""The languages the window can be shown in, and which one a launch uses.

A launch uses, in this order: `STUDIO_LOCALE` (for testers and translators), the choice saved from
View ▸ Language, the system's locale. Qt translates each text when a widget is built, so a new
choice applies from the next launch on (the window offers to restart right away).

Each language is named in itself ("Português (Brasil)", not "Portuguese"): the name must be
readable by the person who needs it, whatever language the window is in now.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, QSettings

LOCALE_ENV = "STUDIO_LOCALE"
SETTINGS_KEY = "ui/locale"
ENGLISH = "en"
LANGUAGES: dict[str, str] = {ENGLISH: "English", "pt_BR": "Português (Brasil)"}
"""Locale name → the language's own name, in the order the View menu lists them."""


def saved_locale(settings: QSettings) -> str | None:
    value = settings.value(SETTINGS_KEY)
    return str(value) if value in LANGUAGES else None


def save_locale(settings: QSettings, locale_name: str) -> None:
    settings.setValue(SETTINGS_KEY, locale_name)
    settings.sync()


def env_locale() -> str | None:
    return os.environ.get(LOCALE_ENV) or None


def startup_locale(settings: QSettings) -> str:
    """The locale a launch loads translations for."""
    return env_locale() or saved_locale(settings) or QLocale.system().name()


def language_of(locale_name: str) -> str:
    """The offered language a locale name falls under ("pt_BR.UTF-8" → "pt_BR"); English otherwise."""
    for name in LANGUAGES:
        if locale_name == name or locale_name.startswith(name + "."):
            return name
    return ENGLISH
