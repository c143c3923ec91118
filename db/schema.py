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


def _schema(connection: Connection) -> str | None:
    # Recruit's tables live in PostgreSQL's public schema, whatever comes first on the
    # connecting role's search_path (panel members have recruit_panel first).
    return "public" if connection.dialect.name == "postgresql" else None


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None for a database Alembic never touched."""
    schema = _schema(connection)
    if not inspect(connection).has_table("alembic_version", schema=schema):
        return None
    table = "public.alembic_version" if schema else "alembic_version"
    row = connection.execute(text(f"SELECT version_num FROM {table}")).first()
    return row[0] if row else None


def table_names(connection: Connection) -> list[str]:
    return inspect(connection).get_table_names(schema=_schema(connection))
