"""Keeping personal data no longer than needed: the retention purge and erasure on request.

Erasing a candidate blanks everything that identifies them (names, contact details,
adjustments, dates, extra columns, evidence notes, outcome reasons and feedback, and the
personal values in the audit trail's before/after) and keeps their number, scores and
outcomes, so a campaign's statistics still add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from db import audit
from db.models import (
    Advert,
    AppSetting,
    AuditEvent,
    Campaign,
    Candidate,
    ConflictDeclaration,
    ModeratedScore,
    Outcome,
    Score,
    Stage,
)
from db.types import utcnow
from recruit_app.domain.retention import (
    DEFAULT_MONTHS,
    CandidateFacts,
    check_months,
    due_for_erasure,
    erase_after,
)
from recruit_app.domain.timetable import london_date
from recruit_app.errors import NotFound
from recruit_app.services.access import candidate_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import unit_of_work

RETENTION_SETTING = "retention_months"
ERASED = {"erased": True}


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
    with unit_of_work(ctx) as session:
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
    one transaction with one audit event."""
    require(ctx.actor, "retention.purge")
    today = today or date.today()
    with unit_of_work(ctx) as session:
        months = _months(session)
        due = tuple(_due(session, months, today))
        if dry_run or not due:
            return PurgeReport(dry_run, months, due)
        erase_rows(session, [d.candidate_id for d in due])
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="retention.purge",
            entity="candidate",
            entity_id=None,
            summary=f"Erased the personal data of {len(due)} candidates past the "
            f"{months}-month retention period",
            after={"candidates": [f"{d.campaign_reference}/{d.candidate_number}" for d in due]},
        )
        return PurgeReport(False, months, due)


def _due(session: Session, months: int, today: date) -> Iterable[DueCandidate]:
    closed = _closed_on(session)
    outcomes: dict[int, list[tuple[str, date | None]]] = {}
    for candidate_id, kind, expires in session.exec(
        select(Outcome.candidate_id, Outcome.kind, Outcome.reserve_expires_on)
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .order_by(col(Stage.position))
    ):
        outcomes.setdefault(candidate_id, []).append((kind, expires))
    rows = session.exec(
        select(Candidate.id, Candidate.candidate_number, Campaign.id, Campaign.reference)
        .join(Campaign, col(Campaign.id) == Candidate.campaign_id)
        .where(col(Candidate.erased_at).is_(None))
        .order_by(col(Campaign.reference), col(Candidate.candidate_number))
    )
    for candidate_id, number, campaign_id, reference in rows:
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
    for campaign_id, finalised in session.exec(select(Stage.campaign_id, Stage.finalised_at)):
        stages.setdefault(campaign_id, []).append(finalised)
    found = {}
    for campaign_id, archived in session.exec(select(Campaign.id, Campaign.archived)):
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
        erase_rows(session, [candidate_id])
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


def erase_rows(session: Session, ids: list[int]) -> None:
    """Blank the personal data of these candidates in set-based updates (thousands at once)."""
    now = utcnow()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(
            update(Candidate)
            .where(col(Candidate.id).in_(chunk))
            .values(
                first_name="",
                last_name="",
                email="",
                phone="",
                adjustments="",
                unavailable_dates=[],
                extra={},
                erased_at=now,
                updated_at=now,
                version=Candidate.version + 1,
            )
        )
        session.execute(update(Score).where(col(Score.candidate_id).in_(chunk)).values(evidence=""))
        session.execute(
            update(ModeratedScore)
            .where(col(ModeratedScore.candidate_id).in_(chunk))
            .values(rationale="")
        )
        session.execute(
            update(Outcome)
            .where(col(Outcome.candidate_id).in_(chunk))
            .values(reason="", feedback="")
        )
        session.execute(
            update(ConflictDeclaration)
            .where(col(ConflictDeclaration.candidate_id).in_(chunk))
            .values(note="")
        )
        # The trail keeps what happened and when; the personal values it recorded go.
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.entity == "candidate", col(AuditEvent.entity_id).in_(chunk))
            .values(before=ERASED, after=ERASED)
        )
