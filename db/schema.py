"""Which schema revision a database has, checked with plain SQL (no Alembic import).

Migration files are named `NNNN_description.py` with revision id `NNNN`, in order,
so the known revisions and the head can be read from the folder listing alone.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def known_revisions() -> list[str]:
    names = (p.name for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))
    return sorted(name.split("_", 1)[0] for name in names)


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None for a database Alembic never touched."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def table_names(connection: Connection) -> list[str]:
    return inspect(connection).get_table_names()
