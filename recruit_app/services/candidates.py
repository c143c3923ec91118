"""Candidate use cases: import from CSV or XLSX, list, search, edit, withdraw."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlmodel import Session, col, func, select

from db import audit
from db.bulk import insert_rows
from db.locks import lock_campaign
from db.models import Campaign, Candidate, Outcome, Stage, id_of
from db.ordering import by_number
from db.types import utcnow
from recruit_app import vocabulary
from recruit_app.domain.candidate_numbers import next_numbers
from recruit_app.errors import Cancelled, NotFound, PermissionDenied, ValidationError
from recruit_app.readmodels import IsCancelled, PhasedProgress
from recruit_app.services.access import (
    HIDDEN_DETAILS,
    Use,
    campaign_for,
    candidate_for,
    details_hidden,
    score_sight,
    stage_for,
)
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import (
    check_version,
    plain_rows,
    select_columns,
    touch,
    unit_of_work,
)

INSERT_CHUNK = 2_000

if TYPE_CHECKING:
    from recruit_app.domain.candidate_import import CandidateRow, Preview, RowProblem


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateView:
    id: int
    version: int
    candidate_number: str
    first_name: str
    last_name: str
    email: str
    phone: str
    guaranteed_interview: bool
    redeployment: bool
    adjustments: str
    extra_minutes: int
    unavailable_dates: tuple[str, ...]
    extra: Mapping[str, Any]
    outcomes: Mapping[str, str]  # stage name -> outcome kind
    status: str  # the latest outcome, in words
    names_hidden: bool = False

    @property
    def label(self) -> str:
        if self.names_hidden:
            return f"Candidate {self.candidate_number}"
        return f"{self.candidate_number} {self.first_name} {self.last_name}".strip()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "candidate_number": self.candidate_number,
            "status": self.status,
            "outcomes": dict(self.outcomes),
        }
        if not self.names_hidden:  # name-blind: no personal detail at all (access.py)
            data.update(
                {
                    "first_name": self.first_name,
                    "last_name": self.last_name,
                    "email": self.email,
                    "phone": self.phone,
                    "guaranteed_interview": self.guaranteed_interview,
                    "redeployment": self.redeployment,
                }
            )
        return data


@dataclass(frozen=True)
class ImportPreview:
    source: str
    headers: tuple[str, ...]
    mapping: dict[str, str]
    good: int
    sample: tuple[CandidateRow, ...]
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True)
class ImportReport:
    imported: int
    skipped: tuple[RowProblem, ...]
    dry_run: bool
    numbers: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "dry_run": self.dry_run,
            "skipped": [
                {"line": p.line, "field": p.field, "reason": p.message} for p in self.skipped
            ],
        }


# --- reading the file ----------------------------------------------------------------


def _campaign(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    return campaign_for(session, ctx, campaign_id, use)


def _existing(session: Session, campaign_id: int) -> tuple[set[str], set[str]]:
    rows = session.exec(
        select(Candidate.email, Candidate.candidate_number).where(
            Candidate.campaign_id == campaign_id
        )
    ).all()
    return {e.lower() for e, _ in rows if e}, {n for _, n in rows}


def _read(
    path: Path,
    overrides: Mapping[str, str],
    progress: PhasedProgress | None,
    cancelled: IsCancelled | None,
) -> tuple[Any, dict[str, str]]:
    from recruit_app.domain.candidate_import import apply_overrides, guess_mapping
    from recruit_app.services.tabular import read_table

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, f"Reading {path.name}")

    table = read_table(path, progress=reading, cancelled=cancelled)
    mapping = apply_overrides(guess_mapping(table.headers), overrides)
    return table, mapping


def _check(ctx: ServiceContext, campaign_id: int, table: Any, mapping: dict[str, str]) -> Preview:
    from recruit_app.domain.candidate_import import check_rows

    with unit_of_work(ctx, read_only=True) as session:
        _campaign(session, ctx, campaign_id, "manage")
        emails, numbers = _existing(session, campaign_id)
    return check_rows(
        table.headers, table.rows, mapping, existing_emails=emails, existing_numbers=numbers
    )


def preview_import(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    *,
    overrides: Mapping[str, str] | None = None,
    progress: PhasedProgress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportPreview:
    """What an import would do: the mapping, the good rows, and why each bad row is bad."""
    require(ctx.actor, "campaign.manage")
    table, mapping = _read(path, overrides or {}, progress, cancelled)
    preview = _check(ctx, campaign_id, table, mapping)
    return ImportPreview(
        path.name,
        tuple(table.headers),
        mapping,
        len(preview.rows),
        preview.rows[:50],
        preview.problems,
    )


# --- importing -----------------------------------------------------------------------


def import_candidates(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    *,
    overrides: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportReport:
    """Add the good rows in one transaction; bad rows are reported and skipped.

    Cancelling, or any error, leaves the campaign exactly as it was.
    """
    from recruit_app.domain.candidate_import import check_rows

    require(ctx.actor, "campaign.manage")
    table, mapping = _read(path, overrides or {}, progress, cancelled)
    with unit_of_work(ctx) as session:
        # Another import into this campaign waits here until this one commits, then sees
        # its candidates: no one added twice, no candidate number given twice.
        lock_campaign(session, campaign_id)
        campaign = _campaign(session, ctx, campaign_id, "manage")
        emails, numbers = _existing(session, campaign_id)
        preview = check_rows(
            table.headers, table.rows, mapping, existing_emails=emails, existing_numbers=numbers
        )
        if dry_run:
            return ImportReport(len(preview.rows), preview.problems, True)
        records = _insert(session, ctx, campaign_id, preview.rows, numbers, progress, cancelled)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="candidates.import",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Imported {len(records)} candidates from {path.name}; "
            f"skipped {len(preview.problems)} problems",
            after={"imported": len(records), "source": path.name},
        )
        return ImportReport(
            len(records), preview.problems, False, tuple(r["candidate_number"] for r in records)
        )


def _insert(
    session: Session,
    ctx: ServiceContext,
    campaign_id: int,
    rows: tuple[CandidateRow, ...],
    numbers: set[str],
    progress: PhasedProgress | None = None,
    cancelled: IsCancelled | None = None,
) -> list[dict[str, Any]]:
    """Add checked rows, under the campaign lock the caller holds; returns what was added."""
    given = {r.candidate_number for r in rows if r.candidate_number}
    # Numbers as typed; those not given follow the highest, at the campaign's width.
    fresh = iter(next_numbers(numbers | given, len(rows)))
    now = utcnow()
    records = [_record(row, row.candidate_number or next(fresh)) for row in rows]
    constants = {
        "campaign_id": campaign_id,
        "status": "applied",
        "created_at": now,
        "updated_at": now,
        "updated_by": ctx.actor.name,
        "version": 1,
    }
    for start in range(0, len(records), INSERT_CHUNK):
        if cancelled is not None and cancelled():
            raise Cancelled("The import was cancelled; nothing was added.")
        insert_rows(
            session,
            Candidate.__table__,  # type: ignore[attr-defined]  # SQLAlchemy's; not in SQLModel's types
            records[start : start + INSERT_CHUNK],
            constants=constants,
        )
        if progress is not None:
            progress(min(start + INSERT_CHUNK, len(records)), len(records), "Adding candidates")
    return records


# What a candidate added by hand may be given: an import's fields, one value each.
HAND_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "candidate_number",
    "guaranteed_interview",
    "redeployment",
    "adjustments",
    "extra_minutes",
    "unavailable_dates",
)


def add_candidate(
    ctx: ServiceContext, campaign_id: int, values: Mapping[str, Any]
) -> CandidateView:
    """One candidate typed in by hand (a late or paper application): checked exactly as a
    line of an import is (names, e-mail, number, flags, extra time, dates; no e-mail or
    number already in the campaign), added under the same lock, audited.

    `values`: HAND_FIELDS; flags as bool, extra time as int, dates as ISO strings; a number
    left out follows the campaign's highest."""
    from recruit_app.domain.candidate_import import check_rows

    require(ctx.actor, "campaign.manage")
    unknown = sorted(set(values) - set(HAND_FIELDS))
    if unknown:
        raise ValidationError(f"{unknown[0]!r} is not a detail of a candidate.", unknown[0])
    headers = list(HAND_FIELDS)  # every column, as a file with them all, blanks included
    cells = [_as_cell(values.get(name)) for name in headers]
    with unit_of_work(ctx) as session:
        lock_campaign(session, campaign_id)  # as an import does: see import_candidates
        campaign = _campaign(session, ctx, campaign_id, "manage")
        emails, numbers = _existing(session, campaign_id)
        preview = check_rows(
            headers,
            [(1, cells)],
            {name: name for name in headers},
            existing_emails=emails,
            existing_numbers=numbers,
        )
        if preview.problems:
            problem = preview.problems[0]  # an import's words, as a sentence beside the field
            raise ValidationError(
                f"{problem.message[:1].upper()}{problem.message[1:]}.", problem.field
            )
        (record,) = _insert(session, ctx, campaign_id, preview.rows, numbers)
        candidate = session.exec(
            select(Candidate).where(
                Candidate.campaign_id == campaign_id,
                Candidate.candidate_number == record["candidate_number"],
            )
        ).one()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="candidate.add",
            entity="candidate",
            entity_id=candidate.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Added candidate {candidate.candidate_number} by hand",
            after={"candidate_number": candidate.candidate_number},
        )
        return _view(candidate, {}, False)


def _as_cell(value: Any) -> str:
    """A value as an import's cell holds it, for the import's checks."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _record(row: CandidateRow, number: str) -> dict[str, Any]:
    """The columns that differ from candidate to candidate."""
    return {
        "candidate_number": number,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "phone": row.phone,
        "guaranteed_interview": row.guaranteed_interview,
        "redeployment": row.redeployment,
        "adjustments": row.adjustments,
        "extra_minutes": row.extra_minutes,
        "unavailable_dates": list(row.unavailable_dates),
        "extra": dict(row.extra),
    }


# --- listing -------------------------------------------------------------------------


def at_stage_query(session: Session, stage: Stage, query: Any, include_withdrawn: bool) -> Any:
    """Limit a candidate query to who reached the stage: those the previous stage
    progressed (everyone reaches the first stage)."""
    earlier = session.exec(
        select(Stage)
        .where(Stage.campaign_id == stage.campaign_id, col(Stage.position) < stage.position)
        .order_by(col(Stage.position).desc())
    ).first()
    query = query.where(Candidate.campaign_id == stage.campaign_id)
    if earlier is not None:
        query = query.join(Outcome, col(Outcome.candidate_id) == Candidate.id).where(
            Outcome.stage_id == earlier.id, Outcome.kind == vocabulary.Outcome.PROGRESS
        )
    if not include_withdrawn:
        withdrawn = select(Outcome.candidate_id).where(Outcome.kind == vocabulary.Outcome.WITHDRAWN)
        query = query.where(col(Candidate.id).not_in(withdrawn))
    return query.order_by(*by_number(session, Candidate.candidate_number))


def candidates_at_stage(
    session: Session, stage: Stage, *, include_withdrawn: bool = False
) -> list[Candidate]:
    """Who reached a stage, as objects (for the few places that change them)."""
    return list(session.exec(at_stage_query(session, stage, select(Candidate), include_withdrawn)))


class StageCandidate(NamedTuple):
    """Who reached a stage, as the big reads need them (a named tuple: cheap by the
    ten thousand)."""

    id: int
    candidate_number: str
    first_name: str
    last_name: str
    guaranteed_interview: bool


def candidate_rows_at_stage(session: Session, stage: Stage) -> list[StageCandidate]:
    """Who reached a stage as plain rows: cheap even for tens of thousands."""
    query = select_columns(
        Candidate.id,
        Candidate.candidate_number,
        Candidate.first_name,
        Candidate.last_name,
        Candidate.guaranteed_interview,
    )
    # Straight off the driver, not through the ORM or Row objects.
    return [
        StageCandidate(id_, number, first, last, bool(scheme))
        for id_, number, first, last, scheme in plain_rows(
            session, at_stage_query(session, stage, query, False)
        )
    ]


def names_hidden_for(ctx: ServiceContext, stage: Stage | None) -> bool:
    """Panel members never see names, nor any other personal detail, at a name-blind stage
    (nor outside their stages): the rule is access.details_hidden."""
    return details_hidden(ctx, stage)


def list_candidates(
    ctx: ServiceContext, campaign_id: int, *, stage_id: int | None = None
) -> list[CandidateView]:
    """The campaign's candidates (or those who reached a stage), by candidate number."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        _campaign(session, ctx, campaign_id, "view")
        if ctx.actor.role == "panel_member" and stage_id is None:
            raise PermissionDenied(
                "As a panel member you see the candidates of the stages you sit on: "
                "choose one of them."
            )
        stage = stage_for(session, ctx, stage_id, "view") if stage_id is not None else None
        if stage is not None and stage.campaign_id != campaign_id:
            raise NotFound("That stage is not part of this campaign.")
        hidden = names_hidden_for(ctx, stage)
        # Plain rows, not objects: a big campaign lists tens of thousands.
        columns = select_columns(*(getattr(Candidate, name) for name in LISTED_COLUMNS))
        if stage is not None:
            query = at_stage_query(session, stage, columns, True)
        else:
            query = columns.where(Candidate.campaign_id == campaign_id).order_by(
                *by_number(session, Candidate.candidate_number)
            )
        people = session.execute(query).all()
        # A panel member learns nothing of what happened after their own stage, nor its
        # outcomes before they owe no score there (independence).
        last = None
        waiting = ""  # the status while the stage's own outcomes are not theirs to see
        if stage is not None and ctx.actor.role == "panel_member":
            own = score_sight(session, ctx, stage).merit_order
            last = stage.position if own else stage.position - 1
            waiting = "" if own else f"At {stage.name}"
        outcomes = _outcomes(session, campaign_id, last)
        return [_view(c, outcomes.get(c.id, {}), hidden, waiting) for c in people]


def _outcomes(
    session: Session, campaign_id: int, last_position: int | None = None
) -> dict[int, dict[str, str]]:
    query = (
        select(Outcome.candidate_id, Stage.name, Outcome.kind)
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .where(Stage.campaign_id == campaign_id)
        .order_by(col(Stage.position))
    )
    if last_position is not None:
        query = query.where(Stage.position <= last_position)
    rows = session.exec(query)
    found: dict[int, dict[str, str]] = {}
    for candidate_id, stage_name, kind in rows:
        found.setdefault(candidate_id, {})[stage_name] = kind
    return found


# What a list of candidates reads of each (CandidateView), as plain rows: who they are, and
# every detail name-blind hides.
LISTED_COLUMNS = ("id", "version", "candidate_number", *HIDDEN_DETAILS)


def _view(c: Any, outcomes: dict[str, str], hidden: bool, waiting: str = "") -> CandidateView:
    """`c`: a Candidate, or a row of its LISTED_COLUMNS. `waiting`: what to call a
    candidate whose outcome at the stage is not shown yet
    ("At CV sift"), rather than "Applied" as if nothing had been decided."""
    last = list(outcomes.items())[-1] if outcomes else None
    if waiting and (last is None or last[1] == vocabulary.Outcome.PROGRESS):
        status = waiting
    else:
        status = f"{vocabulary.Outcome.label_for(last[1])} ({last[0]})" if last else "Applied"
    return CandidateView(
        id=c.id,
        version=c.version,
        candidate_number=c.candidate_number,
        first_name="" if hidden else c.first_name,
        last_name="" if hidden else c.last_name,
        email="" if hidden else c.email,
        phone="" if hidden else c.phone,
        guaranteed_interview=False if hidden else c.guaranteed_interview,
        redeployment=False if hidden else c.redeployment,
        adjustments="" if hidden else c.adjustments,
        extra_minutes=0 if hidden else c.extra_minutes,
        unavailable_dates=() if hidden else tuple(c.unavailable_dates),
        extra={} if hidden else dict(c.extra),
        outcomes=outcomes,
        status=status,
        names_hidden=hidden,
    )


# --- editing -------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EDITABLE = {"first_name": 200, "last_name": 200, "email": 320, "phone": 60, "adjustments": 5000}


def update_candidate(
    ctx: ServiceContext,
    candidate_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
) -> CandidateView:
    require(ctx.actor, "campaign.manage")
    values = _clean_changes(changes)
    with unit_of_work(ctx) as session:
        candidate = candidate_for(session, ctx, candidate_id, "manage")
        check_version(candidate, expected_version, f"Candidate {candidate.candidate_number}")
        if "email" in values:
            clash = session.exec(
                select(Candidate.id).where(
                    Candidate.campaign_id == candidate.campaign_id,
                    # Exact but for case: in LIKE, "_" and "%" in an address are wildcards.
                    func.lower(Candidate.email) == values["email"].lower(),
                    Candidate.id != candidate_id,
                )
            ).first()
            if clash:
                raise ValidationError(
                    "Another candidate in this campaign has that e-mail.", "email"
                )
        before = {k: getattr(candidate, k) for k in values}
        for name, value in values.items():
            setattr(candidate, name, value)
        touch(candidate, ctx)
        campaign = _campaign(session, ctx, candidate.campaign_id, "manage")
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="candidate.update",
            entity="candidate",
            entity_id=candidate.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Changed candidate {candidate.candidate_number}",
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in values.items()},
        )
        session.flush()
        outcomes = _outcomes(session, id_of(campaign))
        return _view(candidate, outcomes.get(id_of(candidate), {}), False)


def _clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name in EDITABLE:
            text = str(value or "").strip()
            if len(text) > EDITABLE[name]:
                raise ValidationError(f"Keep it to {EDITABLE[name]} characters.", name)
            if name in ("first_name", "last_name") and not text:
                raise ValidationError("A candidate needs a first and a last name.", name)
            if name == "email" and not _EMAIL.match(text):
                raise ValidationError(f"{text!r} does not look like an e-mail address.", name)
            values[name] = text.lower() if name == "email" else text
        elif name in ("guaranteed_interview", "redeployment"):
            if not isinstance(value, bool):
                raise ValidationError("Yes or no.", name)
            values[name] = value
        elif name == "extra_minutes":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 240:
                raise ValidationError("Extra time is from 0 to 240 minutes.", name)
            values[name] = value
        elif name == "unavailable_dates":
            values[name] = [date.fromisoformat(str(d)).isoformat() for d in value]
        else:
            raise ValidationError(f"{name} cannot be changed here.", name)
    return values
