"""Opening a database: check what it is, back it up, migrate it, hand out sessions."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from db import schema
from db.backup import backup_sqlite, timestamped_backup_path
from db.engine import BEGIN_OPTION, DatabaseTarget, make_engine, parse_database_url
from recruit_app.errors import DatabaseUnavailable, SchemaTooNew

if TYPE_CHECKING:
    # SQLModel (and pydantic behind it) is loaded when a session is first asked for, not
    # by opening: a command that only checks a setting or reads with plain SQL never pays.
    from sqlmodel import Session

log = logging.getLogger(__name__)

# One row by key, in plain SQL: cheap checks at opening need none of the table classes.
_SETTING = text("SELECT value FROM app_setting WHERE key = :key").columns(value=JSON)
_META = text("SELECT value FROM app_meta WHERE key = :key")


@dataclass
class Database:
    """An open, migrated database: where it is, its engine, and a session factory."""

    target: DatabaseTarget
    engine: Engine
    revision: str | None
    backup_made: Path | None = None
    # A shared PostgreSQL database whose URL names nobody: each person connects as their
    # own role, so nothing is read until someone signs in (see `reconnect`).
    awaiting_sign_in: bool = False
    _reader: Engine | None = field(default=None, init=False, repr=False)

    def session(self, *, read_only: bool = False) -> Session:
        """A session; `read_only` says the work only reads (on SQLite it then takes no
        write lock, so it never waits for another desktop's change)."""
        from sqlmodel import Session

        # expire_on_commit=False: read models are built after commit without lazy loads.
        return Session(self.reader if read_only else self.engine, expire_on_commit=False)

    @property
    def reader(self) -> Engine:
        """The engine for work that only reads: on SQLite its transactions BEGIN DEFERRED."""
        if self._reader is None:
            self._reader = (
                self.engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
                if self.backend == "sqlite"
                else self.engine
            )
        return self._reader

    @property
    def backend(self) -> str:
        return self.target.backend

    def setting(self, key: str) -> Any:
        """The value of a database-wide setting (`app_setting`), or None when unset.

        Plain SQL on the reading engine: no table classes are loaded for it."""
        with self.reader.connect() as connection:
            return connection.execute(_SETTING, {"key": key}).scalar()

    def meta(self, key: str) -> str | None:
        """A fact about the database itself (`app_meta`), or None when not recorded."""
        with self.reader.connect() as connection:
            value = connection.execute(_META, {"key": key}).scalar()
            return None if value is None else str(value)

    def dispose(self) -> None:
        self.engine.dispose()

    def reconnect(self, *, username: str, password: str) -> None:
        """Connect as another PostgreSQL role (a person signing in), with the server checking
        the password; from now on every session is theirs. Raises the driver's error."""
        target = DatabaseTarget(
            url=self.target.url.set(username=username, password=password),
            backend=self.backend,
            path=None,
        )
        engine = make_engine(target)
        try:
            with engine.connect() as connection:
                revision = schema.current_revision(connection)
        except BaseException:
            engine.dispose()
            raise
        previous, self.engine, self._reader = self.engine, engine, None
        self.revision, self.awaiting_sign_in = revision, False
        previous.dispose()

    def forget_sign_in(self) -> None:
        """Back to the connection the URL names (none, for a team database): signing out."""
        if self.backend != "postgresql":
            return
        previous, self.engine, self._reader = self.engine, make_engine(self.target), None
        self.awaiting_sign_in = not self.target.url.username
        previous.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open the database at `url`, refusing newer schemas and migrating older ones.

    A SQLite file that holds data is copied beside itself before any migration.
    """
    target = parse_database_url(url)
    engine = make_engine(target)
    if target.backend == "postgresql" and not target.url.username:
        # Team mode: people connect as themselves, so nothing can be read (or upgraded:
        # that is the owner's `db upgrade`) before someone signs in.
        return Database(target=target, engine=engine, revision=None, awaiting_sign_in=True)
    try:
        revision, has_tables = _inspect(engine, target)
        if revision is not None and revision not in schema.known_revisions():
            raise SchemaTooNew(
                f"The database {target.display} was written by a newer version of Recruit "
                f"(schema {revision}; this version knows up to {schema.head_revision()}). "
                "Update Recruit to open it. Nothing was changed."
            )
        if revision is None and has_tables:
            raise DatabaseUnavailable(
                f"{target.display} holds tables but is not a Recruit database. "
                "Choose another file or an empty database."
            )
        database = Database(target=target, engine=engine, revision=revision)
        if migrate and revision != schema.head_revision():
            database.backup_made = _backup_before_upgrade(target, has_tables)
            _upgrade(engine, target)
            database.revision = schema.head_revision()
        return database
    except BaseException:
        engine.dispose()
        raise


def _inspect(engine: Engine, target: DatabaseTarget) -> tuple[str | None, bool]:
    if target.backend == "sqlite":
        engine = engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
    try:
        with engine.connect() as connection:
            if target.backend == "sqlite":
                # Reading the header is what tells a SQLite file from anything else.
                connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
            revision = schema.current_revision(connection)
            has_tables = bool(schema.table_names(connection))
            return revision, has_tables
    except (OperationalError, DBAPIError) as exc:
        raise _unavailable(target, exc) from None


def _unavailable(target: DatabaseTarget, exc: DBAPIError) -> DatabaseUnavailable:
    original = exc.orig
    detail = str(original).strip().splitlines()[0] if original else str(exc)
    if target.backend == "sqlite":
        if isinstance(original, sqlite3.DatabaseError) and "not a database" in detail:
            return DatabaseUnavailable(
                f"{target.display} is not a SQLite database (it may be another kind of file "
                "or damaged). Choose another file."
            )
        if "readonly" in detail or "read-only" in detail:
            return DatabaseUnavailable(
                f"{target.display} is read-only; Recruit needs to write to it and its folder."
            )
        return DatabaseUnavailable(f"Recruit cannot open {target.display}: {detail}.")
    # psycopg says 'connection failed: connection to server at "h", port p failed: WHY'.
    reason = detail.rsplit("failed: ", 1)[-1].strip().rstrip(".")
    return DatabaseUnavailable(
        f"Recruit cannot reach the PostgreSQL database {target.display} ({reason}). "
        "Check the server is running and the URL, user and password are right."
    )


def _backup_before_upgrade(target: DatabaseTarget, has_tables: bool) -> Path | None:
    if target.backend != "sqlite" or not has_tables:
        return None
    assert target.path is not None
    destination = timestamped_backup_path(target.path, "before-upgrade")
    log.info("backing up the database before upgrading it")
    return backup_sqlite(target.path, destination, unique=True)


def _upgrade(engine: Engine, target: DatabaseTarget) -> None:
    from db.migrate import upgrade_to_head

    try:
        upgrade_to_head(engine)
    except (OperationalError, DBAPIError) as exc:
        if exc.connection_invalidated:
            raise _unavailable(target, exc) from None
        detail = str(exc.orig or exc).strip().splitlines()[0]
        owner = (
            " On PostgreSQL, run `recruit-app db upgrade` as the database's owner, a role "
            "that may create roles (see the README's team set-up)."
            if target.backend == "postgresql"
            else ""
        )
        raise DatabaseUnavailable(
            f"The database {target.display} could not be upgraded, and nothing was changed "
            f"({detail}).{owner}"
        ) from None
