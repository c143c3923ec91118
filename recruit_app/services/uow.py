"""The unit of work: one session, one transaction, errors translated into plain words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from db.types import utcnow
from recruit_app.domain.dates import day_and_month
from recruit_app.errors import ConflictError, DatabaseUnavailable, ValidationError
from recruit_app.services.context import ServiceContext

STALE_MESSAGE = (
    "Someone else saved a change to this while you were working on it. "
    "Reload to see their change, then make yours again."
)

CONNECTION_LOST_MESSAGE = (
    "The connection to the database was lost before the change was saved. "
    "Nothing was saved: check the server is running, then try again."
)


@contextmanager
def unit_of_work(ctx: ServiceContext) -> Iterator[Session]:
    """Yield a session; commit once at the end, roll back everything on any error."""
    session = ctx.db.session()
    try:
        yield session
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ConflictError(STALE_MESSAGE) from None
    except IntegrityError as exc:
        session.rollback()
        raise ValidationError(
            "That change would break a rule of the data (a duplicate or a missing link): "
            f"{_first_line(exc)}"
        ) from None
    except DBAPIError as exc:
        session.rollback()
        raise DatabaseUnavailable(_not_saved(exc)) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _not_saved(exc: DBAPIError) -> str:
    # A lost connection (server restarted, session ended by an administrator) reads
    # differently from driver to driver and moment to moment: say it one way.
    if exc.connection_invalidated:
        return CONNECTION_LOST_MESSAGE
    if isinstance(exc, OperationalError):
        return f"The database could not complete the change: {_first_line(exc)}. Nothing was saved."
    return f"The database refused the change: {_first_line(exc)}. Nothing was saved."


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]


def describe_moment(moment: datetime) -> str:
    """A time as a person reads it: local time, day month year."""
    local = moment.astimezone()
    return f"{day_and_month(local.date())} {local.year} at {local:%H:%M}"


def check_version(row: Any, expected_version: int | None, what: str) -> None:
    """Refuse to save over a change the user has not seen."""
    if expected_version is None or row.version == expected_version:
        return
    who = row.updated_by or "someone else"
    raise ConflictError(
        f"{what} was changed by {who} on {describe_moment(row.updated_at)}, after you opened it. "
        "Reload to see their change, then make yours again.",
        changed_by=row.updated_by,
        changed_at=row.updated_at,
    )


def touch(row: Any, ctx: ServiceContext) -> None:
    """Stamp who changed a versioned row and when (SQLAlchemy bumps the version)."""
    row.updated_at = utcnow()
    row.updated_by = ctx.actor.name


def plain_rows(session: Session, statement: Any) -> list[tuple[Any, ...]]:
    """The statement's rows as plain tuples straight off the DBAPI cursor.

    For the big reads (tens of thousands of rows) where a Row object each costs more than
    the query. It skips SQLAlchemy's result processing, so select only integer and text
    columns, which need none on either backend.
    """
    result = session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()
