"""The unit of work: one session, one transaction, errors translated into plain words."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session
from sqlmodel.sql.expression import Select

from db.engine import SQLITE_BUSY_TIMEOUT_MS
from db.types import utcnow
from recruit_app.domain.dates import day_and_month
from recruit_app.errors import ConflictError, DatabaseUnavailable, ValidationError
from recruit_app.services.context import ServiceContext

STALE_MESSAGE = (
    "Someone else saved a change to this while you were working on it. "
    "Reload to see their change, then make yours again."
)

# Python turns bytes of a command line that are not UTF-8 into lone surrogates; no database
# can store them, and the drivers raise UnicodeEncodeError (no DBAPIError) on sending them.
NOT_TEXT_MESSAGE = (
    "Something given is not text: it holds bytes that are not UTF-8 (typed or saved in "
    "another encoding?). Nothing was changed."
)

CONNECTION_LOST_MESSAGE = (
    "The connection to the database was lost before the change was saved. "
    "Nothing was saved: check the server is running, then try again."
)

BUSY_MESSAGE = (
    "The database is busy: another program or desktop has been writing to it for "
    f"{SQLITE_BUSY_TIMEOUT_MS // 1000} seconds. Nothing was changed; try again in a moment."
)

# What each constraint protects, in words: the database's own names never reach people.
# PostgreSQL names the constraint; SQLite names the columns (or the index, for one on an
# expression).
CONSTRAINT_WORDS = [
    (("uq_candidate_campaign_email",), "another candidate in this campaign has that e-mail"),
    (
        ("uq_candidate_campaign_id", "candidate.campaign_id, candidate.candidate_number"),
        "another candidate in this campaign has that candidate number",
    ),
    (("uq_campaign_reference", "campaign.reference"), "another campaign has that reference"),
    (("uq_person_email", "person.email"), "someone else is listed with that e-mail"),
    (("uq_framework_code", "framework.code"), "another framework has that code"),
    (("uq_role_template_code", "role_template.code"), "another role template has that code"),
    (("uq_post_campaign_id", "post.campaign_id"), "another post in this campaign has that title"),
    (
        ("uq_advert_criterion_advert_id", "advert_criterion.advert_id"),
        "another criterion of this advert has that code",
    ),
    (
        ("uq_panel_assignment_stage_id", "panel_assignment.stage_id"),
        "that person is already on this stage's panel",
    ),
    (
        ("uq_conflict_declaration_person_id", "conflict_declaration.person_id"),
        "that conflict of interest is already declared",
    ),
]


def is_busy(exc: DBAPIError) -> bool:
    """SQLite's lock was held by another writer for longer than the busy timeout."""
    text = str(exc.orig or "").lower()
    return "database is locked" in text or "database table is locked" in text


@contextmanager
def unit_of_work(ctx: ServiceContext, *, read_only: bool = False) -> Iterator[Session]:
    """Yield a session; commit once at the end, roll back everything on any error.

    Work that writes takes SQLite's write lock when it starts, so what it reads stays true
    until it commits (see `db.engine`); `read_only` work takes none and never waits.
    """
    session = ctx.db.session(read_only=read_only)
    try:
        yield session
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ConflictError(STALE_MESSAGE) from None
    except IntegrityError as exc:
        session.rollback()
        raise ValidationError(integrity_message(exc)) from None
    except DBAPIError as exc:
        session.rollback()
        raise DatabaseUnavailable(not_saved(exc)) from None
    except UnicodeEncodeError:
        session.rollback()
        raise ValidationError(NOT_TEXT_MESSAGE) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def integrity_message(exc: IntegrityError) -> str:
    """A broken rule of the data in words, naming the rule but never the row's values."""
    text = str(exc.orig or "")
    for markers, words in CONSTRAINT_WORDS:
        if any(marker in text for marker in markers):
            return f"Nothing was saved: {words}."
    lowered = text.lower()
    if "unique" in lowered or "duplicate" in lowered:
        return "Nothing was saved: it would make a duplicate of something already there."
    if "foreign key" in lowered:
        return (
            "Nothing was saved: something it refers to was removed meanwhile, or it is still "
            "in use. Reload and try again."
        )
    return "Nothing was saved: it would break a rule of the data. Reload and try again."


def not_saved(exc: DBAPIError) -> str:
    # A lost connection (server restarted, session ended by an administrator) reads
    # differently from driver to driver and moment to moment: say it one way.
    if exc.connection_invalidated:
        return CONNECTION_LOST_MESSAGE
    if is_busy(exc):
        return BUSY_MESSAGE
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


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """`sqlmodel.select` of five or more columns: its typed overloads stop at four."""
    return Select(*columns)


def plain_rows(session: Session, statement: Any) -> Sequence[tuple[Any, ...]]:
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


def audit_stage(
    session: Session, ctx: ServiceContext, stage: Any, action: str, summary: str, **kw: Any
) -> None:
    """Record what the person acting did to a stage (its slots, its plan) in the trail."""
    # Here, not at the top: commands that only read import this module without the tables.
    from db import audit
    from db.models import Campaign

    campaign = session.get(Campaign, stage.campaign_id)
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity="stage",
        entity_id=stage.id,
        campaign_id=stage.campaign_id,
        campaign_reference=campaign.reference if campaign else "",
        summary=summary,
        **kw,
    )
