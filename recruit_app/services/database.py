"""Database use cases: open, describe, upgrade, back up, test a connection."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, table

from db import schema
from db.backup import backup_sqlite
from db.database import Database, open_database
from db.engine import parse_database_url
from recruit_app.errors import DatabaseUnavailable, ValidationError
from recruit_app.library import builtin
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require

# What `db info` counts, by table name: plain SQL, so support's first question loads none
# of the table classes.
COUNTED = {
    "campaigns": "campaign",
    "stages": "stage",
    "candidates": "candidate",
    "people": "person",
    "scores": "score",
    "audit_events": "audit_event",
}


def open_db(url: str, *, migrate: bool = True) -> Database:
    """Open (and by default migrate) the database at `url`, with the built-in library loaded.

    The library is compared at every opening, because the database may have been written
    by another desktop or restored from a copy since: one row read in plain SQL against a
    hash of the shipped files. Only when they differ are the library's parsers and tables
    loaded to refresh it.
    """
    db = open_database(url, migrate=migrate)
    if migrate and not db.awaiting_sign_in:
        try:
            if db.meta(builtin.META_KEY) != builtin.fingerprint():
                from recruit_app.services.library import ensure_builtin_library

                ensure_builtin_library(db)
        except BaseException:
            db.dispose()
            raise
    return db


@dataclass(frozen=True)
class DatabaseInfo:
    backend: str
    location: str
    revision: str | None
    head_revision: str
    counts: dict[str, int]
    size_bytes: int | None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head_revision

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "url": self.location,
            "schema_revision": self.revision,
            "head_revision": self.head_revision,
            "up_to_date": self.up_to_date,
            "counts": self.counts,
            "size_bytes": self.size_bytes,
        }


def database_info(db: Database) -> DatabaseInfo:
    """What a support person asks first: which database, which schema, how much data."""
    counts: dict[str, int] = {}
    if db.revision is not None:
        with db.reader.connect() as connection:
            for name, table_name in COUNTED.items():
                counts[name] = connection.execute(
                    select(func.count()).select_from(table(table_name))
                ).scalar_one()
    size = None
    if db.target.path is not None and db.target.path.exists():
        size = db.target.path.stat().st_size
    return DatabaseInfo(
        backend=db.backend,
        location=db.target.display,
        revision=db.revision,
        head_revision=schema.head_revision(),
        counts=counts,
        size_bytes=size,
    )


def backup_database(ctx: ServiceContext, destination: Path) -> Path:
    if ctx.db.backend != "sqlite":  # said first: nobody need sign in to learn it
        raise ValidationError(
            "Recruit backs up SQLite files only. For a PostgreSQL database use pg_dump, "
            'for example: pg_dump --format=custom --file=recruit.dump "postgresql://..."'
        )
    require(ctx.actor, "database.admin")
    assert ctx.db.target.path is not None
    return backup_sqlite(ctx.db.target.path, destination)


def test_connection(url: str) -> str:
    """Try a database without changing it; say what was found or raise DatabaseUnavailable."""
    target = parse_database_url(url)
    if target.path is not None and not target.path.exists():
        return _describe_new_sqlite_file(target.path)
    db = open_database(url, migrate=False)
    try:
        if db.revision is None:
            return f"Connected to {db.target.display}: an empty database, ready to be set up."
        if db.revision != schema.head_revision():
            return (
                f"Connected to {db.target.display}: a Recruit database that will be upgraded "
                f"from schema {db.revision} to {schema.head_revision()} when opened."
            )
        return f"Connected to {db.target.display}: a Recruit database, up to date."
    finally:
        db.dispose()


def _describe_new_sqlite_file(path: Path) -> str:
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"The folder {folder} does not exist. Check the path, or create the folder first "
            "if you meant a new one."
        )
    if not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(
            f"There is no database at {path}, and Recruit cannot create one there: "
            f"{folder} is read-only."
        )
    return f"There is no database at {path} yet; Recruit will create it there."


__all__ = [
    "DatabaseInfo",
    "DatabaseUnavailable",
    "backup_database",
    "database_info",
    "open_db",
    "test_connection",
]
