"""The databases a benchmark suite runs on: a SQLite file, and a PostgreSQL server if given.

Each suite times the same service functions on each; its baselines talk to the same
database through the bare driver (sqlite3 or psycopg), so ratios compare like with like.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.engine import SQLITE_BUSY_TIMEOUT_MS, parse_database_url

# What db.engine._sqlite_on_connect sets on every connection the app opens.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA secure_delete=ON",
)


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" or "postgresql"
    url: str  # what open_db takes

    @property
    def marker(self) -> str:
        """The driver's parameter placeholder."""
        return "?" if self.name == "sqlite" else "%s"

    def connect(self) -> Any:
        """A bare DBAPI connection to the same database, set up as the app sets up its own
        (db.engine): on SQLite foreign keys on, the same journal, sync and busy settings,
        and no transaction begun by the driver (the baselines begin their own)."""
        if self.name == "sqlite":
            connection = sqlite3.connect(self.url, isolation_level=None)
            for pragma in SQLITE_PRAGMAS:
                connection.execute(pragma)
            return connection
        import psycopg

        return psycopg.connect(_conninfo(self.url))

    def sql(self, text: str) -> str:
        return text if self.name == "sqlite" else text.replace("?", "%s")

    def label(self, job: str) -> str:
        return job if self.name == "sqlite" else f"{job} (PostgreSQL)"


def _conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    target = make_url(parse_database_url(url).url).set(drivername="postgresql")
    return target.render_as_string(hide_password=False)


@contextmanager
def backends(work: Path, name: str, pg_url: str | None) -> Iterator[list[Backend]]:
    """A fresh SQLite file in `work`, and a fresh database on the PostgreSQL server at
    `pg_url` (dropped afterwards) when one is given."""
    found = [Backend("sqlite", str(work / f"{name}.sqlite3"))]
    if not pg_url:
        yield found
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(parse_database_url(pg_url).url)
    database = f"recruit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        url = server.set(database=database).render_as_string(hide_password=False)
        yield [*found, Backend("postgresql", url)]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
