"""Keeping personal data no longer than needed: the retention purge and erasure on request.

Erasing a candidate blanks everything that identifies them wherever the app copied it:
names, contact details, adjustments and extra time, dates, other information, evidence
notes, agreed-score rationales, outcome reasons and feedback, conflict notes; the values
of every audit event filed under them, their outcomes or their agreed scores; anything but
number, scores and outcome in a recorded merit order; and their name, e-mail and phone
wherever the free text of their campaign quotes them. It keeps their number, scores and
outcomes, so a campaign's statistics still add up. Once committed, the old copies are
cleared from the database files too (see `_release_free_space`).

Nothing here logs a personal value: counts and table names only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, or_, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel, col, select

from db import audit
from db.models import (
    Advert,
    ApplicationPart,
    AppSetting,
    AuditEvent,
    Campaign,
    Candidate,
    ConflictDeclaration,
    InterviewSlot,
    ModeratedScore,
    Outcome,
    OverallOverride,
    PlanDeviation,
    Score,
    Stage,
    TimetableEvent,
)
from db.ordering import by_number
from db.types import utcnow
from recruit_app.domain.dates import london_date
from recruit_app.domain.retention import (
    DEFAULT_MONTHS,
    REDACTED,
    CandidateFacts,
    Identity,
    Scrubber,
    check_months,
    due_for_erasure,
    erase_after,
    merit_entry_kept,
)
from recruit_app.errors import NotFound
from recruit_app.services.access import candidate_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import unit_of_work

log = logging.getLogger(__name__)

RETENTION_SETTING = "retention_months"
ERASED = {"erased": True}
# An event about one candidate is filed under one of their rows: the candidate, one of
# their outcomes (set, feedback, reserve) or one of their agreed scores.
CANDIDATE_ENTITIES: dict[str, type[SQLModel]] = {
    "candidate": Candidate,
    "outcome": Outcome,
    "moderated_score": ModeratedScore,
}
# The tables erasure rewrites; vacuumed afterwards on PostgreSQL.
TOUCHED_TABLES = (
    "application_part",  # deleted, with their files
    "audit_event",
    "candidate",
    "conflict_declaration",
    "equality_answer",  # deleted
    "interview_slot",
    "moderated_score",
    "outcome",
    "overall_override",
    "plan_deviation",
    "score",
    "stage",
    "timetable_event",
)
SQLITE_TIMEOUT_S = 30  # VACUUM waits this long for other desktops' writes to finish


@dataclass(frozen=True)
class DueCandidate:
    candidate_id: int
    campaign_reference: str
    candidate_number: str
    due_on: date
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "campaign": self.campaign_reference,
            "candidate_number": self.candidate_number,
            "due_on": self.due_on.isoformat(),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PurgeReport:
    dry_run: bool
    months: int
    candidates: tuple[DueCandidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "retention_months": self.months,
            "erased": 0 if self.dry_run else len(self.candidates),
            "candidates": [c.to_json() for c in self.candidates],
        }


# --- the retention period ----------------------------------------------------------------


def retention_months(ctx: ServiceContext) -> int:
    with unit_of_work(ctx, read_only=True) as session:
        return _months(session)


def _months(session: Session) -> int:
    setting = session.get(AppSetting, RETENTION_SETTING)
    return int(setting.value) if setting is not None else DEFAULT_MONTHS


def set_retention_months(ctx: ServiceContext, months: int) -> None:
    require(ctx.actor, "settings.manage")
    months = check_months(months)
    with unit_of_work(ctx) as session:
        setting = session.get(AppSetting, RETENTION_SETTING)
        before = _months(session)
        if setting is None:
            session.add(AppSetting(key=RETENTION_SETTING, value=months, updated_by=ctx.actor.name))
        else:
            setting.value, setting.updated_by, setting.updated_at = months, ctx.actor.name, utcnow()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="setting.change",
            entity="app_setting",
            entity_id=None,
            summary=f"Retention period set to {months} months",
            before={RETENTION_SETTING: before},
            after={RETENTION_SETTING: months},
        )


# --- the purge ---------------------------------------------------------------------------


def purge(ctx: ServiceContext, *, dry_run: bool, today: date | None = None) -> PurgeReport:
    """Erase (or with `dry_run` only list) every candidate past the retention period, in
    one transaction with one audit event; blank what the trail still holds about
    candidates deleted with their campaign; then clear the old copies from the files."""
    require(ctx.actor, "retention.purge")
    today = today or date.today()
    with unit_of_work(ctx) as session:
        months = _months(session)
        due = tuple(_due(session, months, today))
        if dry_run:
            return PurgeReport(dry_run, months, due)
        erase_rows(session, [d.candidate_id for d in due], actor=ctx.actor.name)
        # Events about candidates deleted with their campaign hold their values still.
        orphans = redact_orphaned_events(session)
        if not due and not orphans:
            return PurgeReport(False, months, due)
        summary = (
            f"Erased the personal data of {len(due)} candidates past the "
            f"{months}-month retention period"
        )
        if orphans:
            summary += f"; blanked {orphans} audit events about deleted candidates"
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="retention.purge",
            entity="candidate",
            entity_id=None,
            summary=summary,
            after={"candidates": [f"{d.campaign_reference}/{d.candidate_number}" for d in due]},
        )
    log.info("retention purge: erased %d candidates, blanked %d orphaned events", len(due), orphans)
    _release_free_space(ctx)
    return PurgeReport(False, months, due)


def _due(session: Session, months: int, today: date) -> Iterable[DueCandidate]:
    closed = _closed_on(session)
    outcomes: dict[int, list[tuple[str, date | None]]] = {}
    for whose, kind, expires in session.exec(
        select(Outcome.candidate_id, Outcome.kind, col(Outcome.reserve_expires_on))
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .order_by(col(Stage.position))
    ):
        outcomes.setdefault(whose, []).append((kind, expires))
    rows = session.exec(
        select(Candidate.id, Candidate.candidate_number, Campaign.id, Campaign.reference)
        .join(Campaign, col(Campaign.id) == Candidate.campaign_id)
        .where(col(Candidate.erased_at).is_(None))
        .order_by(col(Campaign.reference), *by_number(session, Candidate.candidate_number))
    )
    for candidate_id, number, campaign_id, reference in rows:
        assert candidate_id is not None and campaign_id is not None  # primary keys
        kinds = outcomes.get(candidate_id, [])
        expiries = [e for k, e in kinds if k == "reserve" and e is not None]
        facts = CandidateFacts(
            candidate_id,
            closed.get(campaign_id),
            tuple(k for k, _e in kinds),
            max(expiries) if expiries else None,
        )
        if due_for_erasure(facts, months, today):
            due_on = erase_after(facts, months)
            assert due_on is not None
            reason = (
                "reserve list expired"
                if facts.reserve_expires_on is not None and due_on == facts.reserve_expires_on
                else f"{months} months after the campaign closed"
            )
            yield DueCandidate(candidate_id, reference, number, due_on, reason)


def _closed_on(session: Session) -> dict[int, date]:
    """When each finished campaign closed: every stage final (or the campaign archived);
    the later of its closing date for applications and its last decision."""
    closes = {
        campaign_id: london_date(moment)
        for campaign_id, moment in session.exec(select(Advert.campaign_id, Advert.closes_at))
        if moment is not None
    }
    stages: dict[int, list[datetime | None]] = {}
    for stage_campaign, finalised in session.exec(select(Stage.campaign_id, Stage.finalised_at)):
        stages.setdefault(stage_campaign, []).append(finalised)
    found = {}
    for campaign_id, archived in session.exec(select(Campaign.id, Campaign.archived)):
        assert campaign_id is not None  # a primary key
        finals = stages.get(campaign_id, [])
        over = archived or (bool(finals) and all(f is not None for f in finals))
        if not over:
            continue
        days = [london_date(f) for f in finals if f is not None]
        if campaign_id in closes:
            days.append(closes[campaign_id])
        if days:
            found[campaign_id] = max(days)
    return found


# --- erasure ---------------------------------------------------------------------------


def erase_candidate(ctx: ServiceContext, candidate_id: int, *, reason: str) -> None:
    """Erase one candidate's personal data on their request, as the purge does."""
    require(ctx.actor, "data.protect")
    reason = " ".join(reason.split())[:500]
    with unit_of_work(ctx) as session:
        candidate = candidate_for(session, ctx, candidate_id, "manage")
        if candidate.erased_at is not None:
            raise NotFound(f"Candidate {candidate.candidate_number}'s data was already erased.")
        campaign = session.get(Campaign, candidate.campaign_id)
        assert campaign is not None
        # The reason stays in the trail: without the name, e-mail or phone it may quote.
        reason = Scrubber([_identity(candidate)]).scrub(reason)
        erase_rows(session, [candidate_id], actor=ctx.actor.name)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="candidate.erase",
            entity="candidate",
            entity_id=candidate_id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Erased candidate {candidate.candidate_number}'s personal data"
            + (f": {reason}" if reason else ""),
        )
    log.info("erased the personal data of one candidate on request")
    _release_free_space(ctx)


def events_about(candidate_ids: Sequence[int]) -> ColumnElement[bool]:
    """The audit events filed under these candidates or one of their outcomes or agreed
    scores: whose before and after hold their values (details, evidence, reasons,
    feedback, rationales)."""
    ids = list(candidate_ids)
    outcomes = select(Outcome.id).where(col(Outcome.candidate_id).in_(ids))
    agreed = select(ModeratedScore.id).where(col(ModeratedScore.candidate_id).in_(ids))
    return or_(
        and_(col(AuditEvent.entity) == "candidate", col(AuditEvent.entity_id).in_(ids)),
        and_(col(AuditEvent.entity) == "outcome", col(AuditEvent.entity_id).in_(outcomes)),
        and_(col(AuditEvent.entity) == "moderated_score", col(AuditEvent.entity_id).in_(agreed)),
    )


def erase_rows(session: Session, ids: list[int], *, actor: str = "") -> None:
    """Blank the personal data of these candidates wherever the app copied it, in
    set-based updates (thousands at once), keeping their numbers, scores and outcomes.

    Their own rows lose names, contact details, adjustments, dates, other information,
    evidence notes, agreed-score rationales, override reasons, outcome reasons, feedback
    and conflict notes;
    the audit events filed under them, their outcomes or their agreed scores lose their
    values; a recorded merit order keeps only their number, scores and outcome; and their
    names, e-mail addresses and phone numbers are blanked from the free text of their
    campaign (another candidate's reason, a tie note, an audit summary).
    """
    if not ids:
        return
    if session.get_bind().dialect.name == "sqlite":
        # Overwritten values are zeroed, not left in free space (the engine sets it too).
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
    people: dict[int, list[tuple[str, Identity]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for candidate in session.exec(select(Candidate).where(col(Candidate.id).in_(chunk))):
            people.setdefault(candidate.campaign_id, []).append(
                (candidate.candidate_number, _identity(candidate))
            )
        _blank_rows(session, chunk, actor)
    for campaign_id, found in people.items():
        _scrub_campaign(
            session,
            campaign_id,
            Scrubber(identity for _number, identity in found),
            {number for number, _identity in found},
            actor,
        )


def _identity(candidate: Candidate) -> Identity:
    return Identity(candidate.first_name, candidate.last_name, candidate.email, candidate.phone)


def _blank_rows(session: Session, chunk: list[int], actor: str) -> None:
    now = utcnow()
    stamp: dict[str, Any] = {"updated_at": now} | ({"updated_by": actor} if actor else {})
    session.execute(
        update(Candidate)
        .where(col(Candidate.id).in_(chunk))
        .values(
            first_name="",
            last_name="",
            email="",
            phone="",
            adjustments="",
            extra_minutes=0,  # extra time is an adjustment, for a health reason
            unavailable_dates=[],
            extra={},
            erased_at=now,
            version=Candidate.version + 1,
            **stamp,
        )
    )
    # Versions move on, so a screen still showing the old text cannot save it back.
    session.execute(
        update(Score)
        .where(col(Score.candidate_id).in_(chunk), col(Score.evidence) != "")
        .values(evidence="", version=Score.version + 1, **stamp)
    )
    session.execute(
        update(ModeratedScore)
        .where(col(ModeratedScore.candidate_id).in_(chunk))
        .values(rationale="", version=ModeratedScore.version + 1, **stamp)
    )
    session.execute(
        update(Outcome)
        .where(col(Outcome.candidate_id).in_(chunk))
        .values(reason="", feedback="", version=Outcome.version + 1, **stamp)
    )
    session.execute(
        update(OverallOverride)
        .where(col(OverallOverride.candidate_id).in_(chunk))
        .values(reason="", version=OverallOverride.version + 1, **stamp)
    )
    session.execute(
        update(ConflictDeclaration)
        .where(col(ConflictDeclaration.candidate_id).in_(chunk))
        .values(note="")
    )
    # What a panel noted about departing from the plan with them.
    session.execute(
        update(PlanDeviation).where(col(PlanDeviation.candidate_id).in_(chunk)).values(note="")
    )
    # Their application (answers, statement, CV, files) goes altogether.
    session.execute(delete(ApplicationPart).where(col(ApplicationPart.candidate_id).in_(chunk)))
    # So do their equality monitoring answers (through the database's own function on
    # PostgreSQL: the eraser need not be allowed to read them).
    from recruit_app.services.equality import erase_answers

    erase_answers(session, chunk)
    # The trail keeps what happened, when and by whom (the summaries name candidates by
    # number only); the values it recorded about them go.
    audit.redact(
        session,
        [
            (event_id, summary, ERASED, ERASED)
            for event_id, summary in session.exec(
                select(AuditEvent.id, AuditEvent.summary).where(events_about(chunk))
            ).all()
        ],
    )


def _scrub_campaign(
    session: Session, campaign_id: int, scrubber: Scrubber, numbers: set[str], actor: str
) -> None:
    _scrub_events(session, campaign_id, scrubber, numbers)
    if not scrubber:
        return
    stages = select(Stage.id).where(col(Stage.campaign_id) == campaign_id)
    people = select(Candidate.id).where(col(Candidate.campaign_id) == campaign_id)
    where: tuple[tuple[type[SQLModel], tuple[str, ...], ColumnElement[bool]], ...] = (
        (Stage, ("tie_note",), col(Stage.campaign_id) == campaign_id),
        (TimetableEvent, ("title", "note"), col(TimetableEvent.campaign_id) == campaign_id),
        (InterviewSlot, ("room", "video_link"), col(InterviewSlot.stage_id).in_(stages)),
        (Outcome, ("reason", "feedback"), col(Outcome.stage_id).in_(stages)),
        (ModeratedScore, ("rationale",), col(ModeratedScore.candidate_id).in_(people)),
        (Score, ("evidence",), col(Score.candidate_id).in_(people)),
        (ConflictDeclaration, ("note",), col(ConflictDeclaration.candidate_id).in_(people)),
        (Candidate, ("adjustments", "extra"), col(Candidate.campaign_id) == campaign_id),
    )
    for model, fields, clause in where:
        _scrub_rows(session, model, fields, clause, scrubber, actor)


def _scrub_rows(
    session: Session,
    model: type[SQLModel],
    fields: tuple[str, ...],
    clause: ColumnElement[bool],
    scrubber: Scrubber,
    actor: str,
) -> None:
    """Scrub these text (or JSON) columns of the rows that name an erased candidate, row
    by row through the ORM, so versioned rows move to a new version."""
    # Each of these tables has an id column, which SQLModel's base class does not declare.
    row_id = col(model.id)  # type: ignore[attr-defined]
    columns = [getattr(model, f) for f in fields]
    hits = [
        row[0]
        for row in session.exec(select(row_id, *columns).where(clause))
        if any(scrubber.scrub_json(value) is not value for value in row[1:])
    ]
    for start in range(0, len(hits), 500):
        chunk = hits[start : start + 500]
        for row in session.exec(select(model).where(row_id.in_(chunk))):
            for field in fields:
                setattr(row, field, scrubber.scrub_json(getattr(row, field)))
            if hasattr(row, "updated_at"):
                row.updated_at = utcnow()
                if actor:
                    row.updated_by = actor
    session.flush()


def _scrub_events(
    session: Session, campaign_id: int, scrubber: Scrubber, numbers: set[str]
) -> None:
    """The campaign's audit trail: erased candidates' lines of a recorded merit order keep
    number, scores and outcome; their names go from every summary and value."""
    changed = []
    for event_id, summary, before, after in session.exec(
        select(AuditEvent.id, AuditEvent.summary, AuditEvent.before, AuditEvent.after).where(
            col(AuditEvent.campaign_id) == campaign_id
        )
    ).all():
        kept = _merit_order_kept(after, numbers)
        new = (scrubber.scrub(summary), scrubber.scrub_json(before), scrubber.scrub_json(kept))
        if any(a is not b for a, b in zip(new, (summary, before, after), strict=True)):
            changed.append((event_id, *new))
    audit.redact(session, changed)


def _merit_order_kept(after: Any, numbers: set[str]) -> Any:
    if not isinstance(after, dict) or not isinstance(after.get("merit_order"), list):
        return after
    order = [
        merit_entry_kept(entry)
        if isinstance(entry, dict) and entry.get("candidate_number") in numbers
        else entry
        for entry in after["merit_order"]
    ]
    if order == after["merit_order"]:
        return after
    return {**after, "merit_order": order}


def redact_orphaned_events(session: Session) -> int:
    """Blank the values of events about candidates who no longer exist (deleted with their
    campaign, whose trail stays), and the notes of ties at stages that no longer exist:
    nothing else would ever erase them. How many events changed."""
    redactions: list[audit.Redaction] = []
    for entity, model in CANDIDATE_ENTITIES.items():
        redactions += [
            (event_id, summary, ERASED, ERASED)
            for event_id, summary, before, after in session.exec(
                select(
                    AuditEvent.id, AuditEvent.summary, AuditEvent.before, AuditEvent.after
                ).where(
                    col(AuditEvent.entity) == entity,
                    col(AuditEvent.entity_id).is_not(None),
                    # Each has an id column, which SQLModel's base class does not declare.
                    col(AuditEvent.entity_id).not_in(select(model.id)),  # type: ignore[attr-defined]
                )
            ).all()
            if (before, after) != (ERASED, ERASED)
        ]
    for event_id, summary, before, after in session.exec(
        select(AuditEvent.id, AuditEvent.summary, AuditEvent.before, AuditEvent.after).where(
            col(AuditEvent.action) == "results.tie",
            col(AuditEvent.entity_id).not_in(select(Stage.id)),
        )
    ).all():
        if isinstance(after, dict) and after.get("note") not in (None, "", REDACTED):
            redactions.append((event_id, summary, before, {**after, "note": REDACTED}))
    return audit.redact(session, redactions)


# --- leaving no old copy behind ----------------------------------------------------------


def _release_free_space(ctx: ServiceContext) -> None:
    """After an erasure has committed, make the old copies of what it overwrote go from
    the database's files, outside any transaction.

    SQLite (secure_delete zeroes what is overwritten from now on): empty the write-ahead
    log, which still holds the pages as they were, then VACUUM, which rebuilds the file
    without the free pages an earlier change may have left, and empty the log again.
    PostgreSQL: VACUUM (ANALYZE) the tables erasure rewrote, which prunes the old row
    versions (no query sees them again, though their bytes stay in the pages' free space
    until reused, or until the owner's VACUUM FULL rewrites the files, as the README asks
    after a purge) and takes the erased values out of the planner's statistics. Only the
    tables' owner may, so an application role without it leaves a warning in the log, and
    the owner's VACUUM (or autovacuum) does it later.

    The erasure stands whatever happens here: a failure is logged, not raised.
    """
    database = ctx.db
    try:
        if database.backend == "sqlite":
            assert database.target.path is not None
            _sqlite_release(database.target.path)
        else:
            _postgres_vacuum(database.engine)
    except (sqlite3.Error, DBAPIError, OSError) as exc:
        log.warning(
            "erasure committed, but the old copies could not be cleared from the "
            "database files (%s): VACUUM the database, as the README says",
            type(exc).__name__,
        )


def _sqlite_release(path: Path) -> None:
    # Its own connection, in autocommit: VACUUM and a checkpoint need no open transaction,
    # and the engine's connections begin one on every use.
    connection = sqlite3.connect(path, timeout=SQLITE_TIMEOUT_S, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            log.warning(
                "erasure committed; the write-ahead log could not be emptied while another "
                "connection was reading, and will be when the database is next closed"
            )
    finally:
        connection.close()


def _postgres_vacuum(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        owned = set(
            connection.execute(
                text(
                    "SELECT c.relname FROM pg_class c "
                    "WHERE c.relnamespace = "
                    "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
                    "AND c.relkind = 'r' AND c.relname = ANY(:names) "
                    "AND (pg_has_role(current_user, c.relowner, 'USAGE') OR pg_has_role("
                    "current_user, (SELECT datdba FROM pg_database "
                    "WHERE datname = current_database()), 'USAGE'))"
                ),
                {"names": list(TOUCHED_TABLES)},
            ).scalars()
        )
        if owned:
            quote = connection.dialect.identifier_preparer.quote
            connection.exec_driver_sql(
                "VACUUM (ANALYZE) " + ", ".join(quote(name) for name in sorted(owned))
            )
    left = sorted(set(TOUCHED_TABLES) - owned)
    if left:
        log.warning(
            "erasure committed; this role does not own %s, so their old row versions stay "
            "until the owner's VACUUM (or autovacuum) removes them",
            ", ".join(left),
        )
