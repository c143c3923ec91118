"""Database URLs and engines: SQLite files by default, PostgreSQL for team mode."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from recruit_app.errors import DatabaseUnavailable, ValidationError

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class DatabaseTarget:
    """Where the data lives, parsed from what the user typed."""

    url: URL
    backend: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file, None for PostgreSQL

    @property
    def display(self) -> str:
        """The location to show a user: a file path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)


def parse_database_url(text: str) -> DatabaseTarget:
    """Read a SQLite path or URL, or a PostgreSQL URL; refuse anything else in plain words."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Give a database: a SQLite file path or a PostgreSQL URL.", "url")
    if "://" not in text and not text.startswith("sqlite:"):
        return _sqlite_target(Path(text))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ValidationError(
            f"{_mask(text)!r} is not a database URL. Use a file path, or a URL such as "
            "postgresql://user@host:5432/recruit.",
            "url",
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValidationError("A SQLite URL must name a file, e.g. sqlite:///recruit.sqlite3.")
        if url.query or "?" in text:
            # The URL's query would be dropped and the path cut short at the '?': another file.
            raise ValidationError(
                "A SQLite URL cannot have a '?' in it: give the file's path without "
                "sqlite:///, or write the '?' as %3F.",
                "url",
            )
        return _sqlite_target(Path(url.database))
    if backend in ("postgresql", "postgres"):
        if not url.host and not url.query.get("host"):
            raise ValidationError("A PostgreSQL URL must name a server host.", "url")
        if not url.database:
            raise ValidationError("A PostgreSQL URL must name a database after the last '/'.")
        url = url.set(drivername="postgresql+psycopg")
        return DatabaseTarget(url=url, backend="postgresql", path=None)
    raise ValidationError(
        f"Recruit works with SQLite files and PostgreSQL servers, not {backend!r}.", "url"
    )


def _mask(text: str) -> str:
    """Hide a password in text that looked like a URL but did not parse."""
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else text
    return text


def _sqlite_target(path: Path) -> DatabaseTarget:
    path = path.expanduser().absolute()
    return DatabaseTarget(url=URL.create("sqlite", database=str(path)), backend="sqlite", path=path)


def make_engine(target: DatabaseTarget) -> Engine:
    """An engine configured for the backend: WAL and foreign keys for SQLite, timeouts for both."""
    if target.backend == "sqlite":
        assert target.path is not None
        _prepare_sqlite_file(target.path)
        engine = create_engine(
            target.url,
            hide_parameters=True,  # values are personal data: keep them out of errors and logs
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        target.url,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
    )


def _prepare_sqlite_file(path: Path) -> None:
    """Create an owner-only file in an existing folder, with clear words when we cannot.

    A folder that does not exist is refused, not made: it is far more often a mistyped
    path than a wish for a new folder (the default data folder is made by whoever
    chooses it, see `recruit_app.settings`).
    """
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file.")
    if not path.parent.is_dir():
        raise DatabaseUnavailable(
            f"The folder {path.parent} does not exist. Check the path, or create the folder "
            "first if you meant a new one."
        )
    try:
        if not path.exists():
            # Candidates' personal data: readable by the owner only.
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
    except FileExistsError:
        pass
    except PermissionError:
        raise DatabaseUnavailable(
            f"Recruit cannot create its database in {path.parent}: the folder is read-only "
            "or you do not have permission to write there."
        ) from None
    except OSError as exc:
        raise DatabaseUnavailable(f"Recruit cannot create {path}: {exc.strerror}.") from None
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(
            f"Recruit cannot write to {path}: the file or its folder is read-only. "
            "SQLite needs to write beside the file too."
        )


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # The driver's own transaction handling issues no BEGIN before DDL and commits on its
    # own schedule; with isolation_level None it does neither, and `_sqlite_begin` opens
    # every transaction explicitly, so schema changes are all-or-nothing too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, so erased personal data does not
        # linger in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


BEGIN_OPTION = "sqlite_begin"


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE (take the write lock now) unless the work said it only reads.

    A transaction that reads, then writes, would otherwise fail with "database is locked"
    whenever another desktop wrote in between; taking the lock first makes each use case
    wait its turn (up to the busy timeout) and then see the latest data.
    """
    mode = connection.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")
