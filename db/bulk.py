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

# Parameters PostgreSQL takes in one statement (its protocol counts them in 16 bits).
MAX_PARAMETERS = 65_535


def _literal(value: Any, dialect_name: str, percent_escaped: bool) -> str:
    """A constant as SQL text, stored exactly as the column types would store it.
    `percent_escaped`: the driver reads % as the start of a placeholder (psycopg), so a
    literal one is written %%."""
    if isinstance(value, bool):
        if dialect_name == "sqlite":
            return "1" if value else "0"
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):  # as db.types.UTCDateTime stores it: naive UTC
        value = value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    text = str(value).replace("'", "''")
    if percent_escaped:
        text = text.replace("%", "%%")
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
        [marker] * len(columns)
        + [_literal(v, dialect.name, marker == "%s") for v in constants.values()]
    )
    head = f"INSERT INTO {quote(table.name)} ({names}) VALUES "
    as_json = [isinstance(table.c[c].type, JSON) for c in columns]
    # SQLite: one statement run for each row (executemany), its cheapest way. PostgreSQL:
    # many rows per statement, because every statement fires the statement-level triggers
    # of team mode (migration 0008), whose count of changed rows goes into one row per
    # transaction; row by row, that row's versions pile up and each statement pays for all
    # before it, so 100,000 scores took minutes.
    per_statement = 1 if dialect.name == "sqlite" else max(1, MAX_PARAMETERS // len(columns))
    for start in range(0, len(rows), chunk):
        batch = [
            tuple(
                json.dumps(row[c]) if is_json else row[c]
                for c, is_json in zip(columns, as_json, strict=True)
            )
            for row in rows[start : start + chunk]
        ]
        if per_statement == 1:
            connection.exec_driver_sql(head + f"({values})", batch)
            continue
        for first in range(0, len(batch), per_statement):
            part = batch[first : first + per_statement]
            sql = head + ", ".join([f"({values})"] * len(part))
            connection.exec_driver_sql(sql, tuple(v for row in part for v in row))
