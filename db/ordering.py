"""ORDER BY terms for candidate numbers, sorting them the way the core's key does.

`recruit_app.domain.candidate_numbers.number_key` sorts a number by its length once leading
zeros are set aside, then as text, then as typed: 9 before 10, HO-9 before HO-10. The same
three terms in SQL (ltrim and length behave alike on SQLite and PostgreSQL), compared
byte by byte on PostgreSQL too (its "C" collation), so a list sorted by the database and
one sorted in Python agree.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col


def by_number(session: Session, column: Any) -> tuple[ColumnElement[Any], ...]:
    """The terms to put in `order_by(...)` for a candidate number column."""
    number = cast(ColumnElement[Any], col(column))
    digits: ColumnElement[Any] = func.ltrim(number, "0")
    length = func.length(digits)
    if session.get_bind().dialect.name == "postgresql":
        digits, number = digits.collate("C"), number.collate("C")
    return length, digits, number
