"""Where Recruit keeps its files: the one module that knows the folders.

`RECRUIT_APP_HOME` puts every folder under one directory (tests and portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "recruit-app"
HOME_ENV = "RECRUIT_APP_HOME"


def _home_override() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Folder for the default SQLite database and its backups."""
    home = _home_override()
    if home:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Folder for settings and window state."""
    home = _home_override()
    if home:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder for log files (which never hold personal data)."""
    home = _home_override()
    if home:
        return home / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "recruit.sqlite3"


def settings_path() -> Path:
    return config_dir() / "settings.json"


def window_state_path() -> Path:
    return config_dir() / "window-state.ini"
