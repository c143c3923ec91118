"""A database's contents in one comparable value, to show that a refused change wrote nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel


def fingerprint(db: Any) -> dict[str, tuple[tuple[Any, ...], ...]]:
    """Every row of every table, in primary-key order."""
    # A count per table would miss a change to an existing row; the rows themselves do not.
    result = {}
    with db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = session.execute(select(table).order_by(*order)).all()
            result[table.name] = tuple(tuple(row) for row in rows)
    return result
