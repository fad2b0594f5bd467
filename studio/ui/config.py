"""Where the app keeps what survives between launches: settings, recent files, autosaves.

Everything lives under one folder so that tests (and a user who wants a clean slate) can point
`STUDIO_CONFIG_DIR` elsewhere and leave the real settings untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

CONFIG_ENV = "STUDIO_CONFIG_DIR"
MAX_RECENT = 10


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        path = Path(override)
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
        path = Path(base or Path.home() / ".config") / "studio"
    path.mkdir(parents=True, exist_ok=True)
    return path


def recovery_dir() -> Path:
    path = config_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_settings() -> QSettings:
    """An INI file in the config dir: readable by people, and isolated by STUDIO_CONFIG_DIR."""
    return QSettings(str(config_dir() / "studio.ini"), QSettings.Format.IniFormat)


def _as_list(value: object) -> list[str]:
    # QSettings' INI backend hands back a bare string for one-element lists and None for none.
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[union-attr]


def recent_files(settings: QSettings) -> list[str]:
    return _as_list(settings.value("recent/files"))


def add_recent_file(settings: QSettings, path: str | os.PathLike[str]) -> list[str]:
    path = str(Path(path).resolve())
    files = [path] + [f for f in recent_files(settings) if f != path]
    files = files[:MAX_RECENT]
    settings.setValue("recent/files", files)
    settings.sync()
    return files


def remove_recent_file(settings: QSettings, path: str) -> list[str]:
    files = [f for f in recent_files(settings) if f != path]
    settings.setValue("recent/files", files)
    settings.sync()
    return files
