"""User preferences, each declared once with its type, default and help.

Stored as JSON in the config folder. Window geometry is kept apart (see
`paths.window_state_path`), so resetting preferences never loses a layout and
vice versa.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recruit_app import paths
from recruit_app.errors import ValidationError

DB_ENV = "RECRUIT_APP_DB"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        str,
        "",
        "Database to use: a PostgreSQL URL for team mode, a SQLite file path, "
        "or empty for the embedded SQLite file in the user data folder.",
    ),
    Setting(
        "your_name",
        str,
        "",
        "Your name, recorded in the audit trail for what you change where the database does "
        "not ask anyone to sign in; empty for this computer's user name.",
    ),
    Setting("organisation_name", str, "", "Organisation name printed on packs and letters."),
    Setting("brand_colour", str, "", "The organisation's colour on packs, like #1d70b8."),
    Setting("logo_path", str, "", "A PNG or JPEG logo printed at the top of packs."),
    Setting(
        "protective_marking",
        str,
        "OFFICIAL-SENSITIVE",
        "Printed at the top and bottom of each page of documents holding personal data "
        "(panel packs, campaign reports, subject access records); empty for none.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """Preferences read from and written to one JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.settings_path()
        self._values: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            # A damaged settings file must not stop the app; defaults apply.
            return
        if isinstance(raw, dict):
            for name, value in raw.items():
                setting = _BY_NAME.get(name)
                if setting and isinstance(value, setting.type):
                    self._values[name] = value

    def get(self, name: str) -> Any:
        return self._values.get(name, _BY_NAME[name].default)

    def set(self, name: str, value: Any) -> None:
        setting = _BY_NAME.get(name)
        if setting is None:
            raise ValidationError(f"There is no setting called {name!r}.", field=name)
        if not isinstance(value, setting.type):
            raise ValidationError(f"{name} must be a {setting.type.__name__}.", field=name)
        if name == "database_url":
            check_database_setting(str(value))
        self._values[name] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._values, handle, indent=2, sort_keys=True)
        os.replace(tmp, self.path)


def check_database_setting(url: str) -> None:
    """A database URL may be kept in the settings only without a password."""
    if _has_password(url):
        raise ValidationError(
            "Settings never keep a password: give the server's address only "
            "(postgresql://server:5432/recruit). Everyone signs in with their own e-mail "
            "and password.",
            field="database_url",
        )


def _has_password(url: str) -> bool:
    from urllib.parse import urlsplit

    if "://" not in url:
        return False  # a file path
    try:
        return urlsplit(url).password is not None
    except ValueError:
        return False


def resolve_database_url(cli_value: str | None = None, settings: Settings | None = None) -> str:
    """The database to open: `--db`, then RECRUIT_APP_DB, then the setting, then the default."""
    if cli_value:
        return cli_value
    env_value = os.environ.get(DB_ENV)
    if env_value:
        return env_value
    settings = settings or Settings()
    configured = settings.get("database_url")
    if configured:
        return configured
    return default_database_url()


def default_database_url() -> str:
    """The database file in the data folder, which is made if it is missing.

    The one folder Recruit makes by itself: its own data folder, on first run. Any other
    path was typed by someone, and a missing folder there is refused, not made.
    """
    default = paths.default_database_path()
    default.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(default)
