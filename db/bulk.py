"""Bulk inserts: many rows in one statement, straight to the database driver.

Imports add tens of thousands of rows. Going through the ORM, or even through
SQLAlchemy's per-row parameter building, costs several times what the database's own
work does, so rows go to the driver's executemany as plain tuples. Columns whose value
is the same for every row (who, when, version) are written into the statement once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table
from sqlmodel import Session


def _literal(value: Any, dialect_name: str) -> str:
    """A constant as SQL text, stored exactly as the column types would store it."""
    if isinstance(value, bool):
        if dialect_name == "sqlite":
            return "1" if value else "0"
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):  # as db.types.UTCDateTime stores it: naive UTC
        value = value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    text = str(value).replace("'", "''")
    return f"'{text}'"


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    constants: Mapping[str, Any],
    chunk: int = 5_000,
) -> None:
    """Insert `rows` (dicts of the varying columns, all with the same keys) with
    `constants` for every row."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = list(rows[0])
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c) for c in [*columns, *constants])
    values = ", ".join(
        [marker] * len(columns) + [_literal(v, dialect.name) for v in constants.values()]
    )
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({values})"
    as_json = [isinstance(table.c[c].type, JSON) for c in columns]
    for start in range(0, len(rows), chunk):
        batch = [
            tuple(
                json.dumps(row[c]) if is_json else row[c]
                for c, is_json in zip(columns, as_json, strict=True)
            )
            for row in rows[start : start + chunk]
        ]
        connection.exec_driver_sql(sql, batch)
