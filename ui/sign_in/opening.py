"""Opening a database and finding out, in the same worker, whether people must sign in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OpenedDatabase:
    database: Any  # db.database.Database; the interface never imports the data layer
    sign_in_required: bool
    has_administrator: bool

    @property
    def backup_made(self) -> Any:
        return self.database.backup_made


def open_and_check(url: str) -> OpenedDatabase:
    """Run in a worker: open (and migrate) the database, then ask whether people sign in."""
    # Imported here, in the worker: the data layer is the slow part of start-up.
    from recruit_app.services.auth import has_administrator, sign_in_required
    from recruit_app.services.database import open_db

    database = open_db(url)
    try:
        required = sign_in_required(database)
        administrator = has_administrator(database) if required else True
    except BaseException:
        database.dispose()
        raise
    return OpenedDatabase(database, required, administrator)


def describe(database: Any) -> str:
    """ "SQLite: /path/file" or "PostgreSQL: server/db", as the status bar shows it."""
    kind = "SQLite" if database.backend == "sqlite" else "PostgreSQL"
    return f"{kind}: {database.target.display}"
