"""The demo campaign: a realistic, current campaign to explore every screen with."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from db import audit
from db import library as library_rows
from db.models import (
    Advert,
    Campaign,
    Candidate,
    ConflictDeclaration,
    ModeratedScore,
    Outcome,
    PanelAssignment,
    Person,
    Score,
    Stage,
    TimetableEvent,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.dates import monday_of, whole_weeks_between
from recruit_app.domain.library_format import resolve_template
from recruit_app.errors import NotFound
from recruit_app.library import load_json
from recruit_app.services.adverts import freeze_publication
from recruit_app.services.campaign_files import apply_template
from recruit_app.services.candidates import candidates_at_stage
from recruit_app.services.context import ServiceContext
from recruit_app.services.library import library_frameworks
from recruit_app.services.permissions import require
from recruit_app.services.results import finalise_in
from recruit_app.services.scoring import criteria_of_stage
from recruit_app.services.slots import allocate_in, make_slots
from recruit_app.services.uow import unit_of_work

LONDON = ZoneInfo("Europe/London")
DEMO_FILE = "demo_campaign.json"


@dataclass(frozen=True)
class DemoReport:
    reference: str
    title: str
    created: bool
    shift_days: int
    candidates: int

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "title": self.title,
            "created": self.created,
            "dates_moved_by_days": self.shift_days,
            "candidates": self.candidates,
        }


def demo_shift(today: date) -> timedelta:
    """Whole weeks that put the seed's sift week on the week before `today`.

    The sift then lies just behind and the interviews just ahead: a campaign in progress.
    """
    anchor = date.fromisoformat(load_json(DEMO_FILE)["anchor"]["date"])
    return whole_weeks_between(anchor, monday_of(today) - timedelta(weeks=1))


def build_demo(
    ctx: ServiceContext, *, today: date | None = None, reset: bool = False
) -> DemoReport:
    """Create the demo campaign once; with `reset`, delete and rebuild it."""
    require(ctx.actor, "demo.build")
    data = load_json(DEMO_FILE)
    shift = demo_shift(today or date.today())
    with unit_of_work(ctx) as session:
        existing = session.exec(
            select(Campaign).where(Campaign.reference == data["reference"])
        ).first()
        if existing is not None and not reset:
            count = len(
                session.exec(select(Candidate.id).where(Candidate.campaign_id == existing.id)).all()
            )
            return DemoReport(existing.reference, existing.title, False, shift.days, count)
        if existing is not None:
            session.delete(existing)
            session.flush()
        campaign = _build(session, ctx, data, shift)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="demo.build",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Built the demo campaign, dates moved by {shift.days} days",
        )
        return DemoReport(
            campaign.reference, campaign.title, True, shift.days, len(data["candidates"])
        )


def _moment(text: str, shift: timedelta) -> datetime:
    """A London wall-clock time from the seed, moved by `shift`, as UTC."""
    local = datetime.fromisoformat(text) + shift
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def _day(text: str, shift: timedelta) -> date:
    return date.fromisoformat(text) + shift


def _build(
    session: Session, ctx: ServiceContext, data: dict[str, Any], shift: timedelta
) -> Campaign:
    template = library_rows.template_by_code(session, data["template"])
    if template is None:
        raise NotFound(f"The demo needs the built-in role template {data['template']}.")
    definition = resolve_template(
        library_rows.template_definition(template), library_frameworks(session)
    )
    campaign = Campaign(reference=data["reference"], title=data["title"], updated_by=ctx.actor.name)
    session.add(campaign)
    session.flush()
    apply_template(session, ctx, campaign, definition)
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).one()
    for key, value in data["advert"].items():
        setattr(advert, key, _moment(value, shift) if key.endswith("_at") else value)
    for stage in session.exec(select(Stage).where(Stage.campaign_id == campaign.id)):
        starts, ends = data["stage_dates"][stage.name]
        stage.starts_on, stage.ends_on = _day(starts, shift), _day(ends, shift)
    session.flush()
    # Published when the advert opened, as it would have been.
    assert advert.opens_at is not None
    freeze_publication(session, ctx, campaign, advert, advert.opens_at)
    for number, person in enumerate(data["candidates"], start=1):
        values = dict(person)
        values["unavailable_dates"] = [
            _day(d, shift).isoformat() for d in values.get("unavailable_dates", [])
        ]
        session.add(
            Candidate(
                campaign_id=id_of(campaign),
                candidate_number=f"{number:04d}",
                updated_by=ctx.actor.name,
                **values,
            )
        )
    session.flush()
    _add_panels(session, ctx, campaign, data)
    _add_timetable(session, ctx, campaign, data, shift)
    _score_the_sift(session, ctx, campaign, data, shift)
    _add_progress(session, ctx, campaign, data)
    _add_feedback(session, campaign, data)
    _add_interview_slots(session, ctx, campaign, data, shift)
    return campaign


def _stages_by_name(session: Session, campaign: Campaign) -> dict[str, Stage]:
    return {s.name: s for s in session.exec(select(Stage).where(Stage.campaign_id == campaign.id))}


def _add_panels(
    session: Session, ctx: ServiceContext, campaign: Campaign, data: dict[str, Any]
) -> None:
    """The demo's panel members (created once, shared with later demos) and their seats."""
    people = {}
    for item in data["people"]:
        values = {k: v for k, v in item.items() if k != "password"}
        person = session.exec(select(Person).where(Person.email == values["email"])).first()
        if person is None:
            # New demo people get the documented demo passwords; existing people keep theirs.
            person = Person(
                updated_by=ctx.actor.name,
                password_hash=_demo_hash(item["password"]),
                **values,
            )
            session.add(person)
            session.flush()
        people[values["email"]] = person
    campaign.owner_id = people[data["owner"]].id
    stages = _stages_by_name(session, campaign)
    for stage_name, seats in data["panels"].items():
        for email, role, panel in seats:
            session.add(
                PanelAssignment(
                    stage_id=id_of(stages[stage_name]),
                    person_id=id_of(people[email]),
                    panel_role=role,
                    panel_number=panel,
                    updated_by=ctx.actor.name,
                )
            )
    session.flush()


@functools.cache
def _demo_hash(password: str) -> str:
    """Hashed once per process: argon2 is slow on purpose, and tests build the demo often."""
    from recruit_app.services.auth import hash_password

    return hash_password(password)


def _add_timetable(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    data: dict[str, Any],
    shift: timedelta,
) -> None:
    timetable = data["timetable"]
    campaign.decisions_on = _day(timetable["decisions_on"], shift)
    campaign.expected_start_on = _day(timetable["expected_start_on"], shift)
    for event in timetable["events"]:
        session.add(
            TimetableEvent(
                campaign_id=id_of(campaign),
                title=event["title"],
                starts_on=_day(event["starts_on"], shift),
                updated_by=ctx.actor.name,
            )
        )
    session.flush()


def _score_the_sift(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    data: dict[str, Any],
    shift: timedelta,
) -> None:
    """Three panel members' submitted sift scores, one conflict, one moderated score."""
    plan = data["sift"]
    stage = _stages_by_name(session, campaign)[plan["stage"]]
    cells = {c.code: c.cell_id for c in criteria_of_stage(session, stage)}
    panel = {
        p.email: id_of(p)
        for p in session.exec(
            select(Person)
            .join(PanelAssignment, col(PanelAssignment.person_id) == Person.id)
            .where(PanelAssignment.stage_id == stage.id)
        )
    }
    candidates = list(
        session.exec(
            select(Candidate)
            .where(Candidate.campaign_id == campaign.id)
            .order_by(col(Candidate.candidate_number))
        )
    )
    conflict = plan["conflict"]
    rng = random.Random(plan["seed"])
    moderated = plan["moderated"]
    submitted = datetime.combine(stage.ends_on or date.today(), time(17), tzinfo=LONDON)
    for candidate in candidates:
        passing = candidate.candidate_number in plan["passing"]
        weak = rng.choice(list(cells)) if not passing else None
        for code, cell_id in cells.items():
            # Panel members agree to within a point, as a calibrated panel should.
            base = rng.choice((4, 5, 5, 6)) if passing else rng.choice((3, 4, 4, 5))
            if code == weak:
                base = rng.choice((2, 3))
            for email, person_id in panel.items():
                if (
                    email == conflict["assessor"]
                    and candidate.candidate_number == conflict["candidate"]
                ):
                    continue
                value = min(7, base + rng.choice((0, 0, 1)) if base < 4 or passing else base)
                if (
                    candidate.candidate_number == moderated["candidate"]
                    and code == moderated["criterion"]
                ):
                    value = moderated["scores"][email]
                session.add(
                    Score(
                        stage_criterion_id=cell_id,
                        candidate_id=id_of(candidate),
                        assessor_id=person_id,
                        value=value,
                        status="submitted",
                        submitted_at=submitted.astimezone(UTC),
                        evidence=f"Seen in the CV: {code}.",
                        updated_by=ctx.actor.name,
                    )
                )
    by_number = {c.candidate_number: c for c in candidates}
    session.add(
        ConflictDeclaration(
            person_id=panel[conflict["assessor"]],
            candidate_id=id_of(by_number[conflict["candidate"]]),
            note=conflict["note"],
        )
    )
    session.add(
        ModeratedScore(
            stage_criterion_id=cells[moderated["criterion"]],
            candidate_id=id_of(by_number[moderated["candidate"]]),
            value=moderated["agreed"],
            rationale=moderated["rationale"],
            updated_by=ctx.actor.name,
        )
    )
    session.flush()
    finalise_in(session, ctx, stage, stage.ends_on or date.today())


def _add_progress(
    session: Session, ctx: ServiceContext, campaign: Campaign, data: dict[str, Any]
) -> None:
    """Who got through the stages already held: progress for some, reject for the rest."""
    stages = _stages_by_name(session, campaign)
    eligible = candidates_at_stage(session, stages["Technical exercise"])
    for stage_name, numbers in data["progress"].items():
        stage = stages[stage_name]
        for candidate in eligible:
            kind = "progress" if candidate.candidate_number in numbers else "reject"
            session.add(
                Outcome(
                    stage_id=id_of(stage),
                    candidate_id=id_of(candidate),
                    kind=kind,
                    updated_by=ctx.actor.name,
                )
            )
        stage.finalised_at = utcnow()
        eligible = [c for c in eligible if c.candidate_number in numbers]
    session.flush()


def _add_feedback(session: Session, campaign: Campaign, data: dict[str, Any]) -> None:
    """The panels' words to some candidates, for the outcome letters (the advert offers them)."""
    stages = _stages_by_name(session, campaign)
    numbers = {
        c.candidate_number: c.id
        for c in session.exec(select(Candidate).where(Candidate.campaign_id == campaign.id))
    }
    for stage_name, notes in data["feedback"].items():
        for number, text in notes.items():
            outcome = session.exec(
                select(Outcome).where(
                    Outcome.stage_id == stages[stage_name].id,
                    Outcome.candidate_id == numbers[number],
                )
            ).one()
            outcome.feedback = text
    session.flush()


def _add_interview_slots(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    data: dict[str, Any],
    shift: timedelta,
) -> None:
    settings = data["interviews"]
    stage = _stages_by_name(session, campaign)[settings["stage"]]
    plan = dict(settings["plan"])
    plan["days"] = [_day(d, shift).isoformat() for d in plan["days"]]
    stage.slot_plan = plan
    stage.video_link = settings["video_link"]
    stage.invitations_on = _day(settings["invitations_on"], shift)
    session.flush()
    make_slots(session, ctx, stage)
    allocate_in(session, ctx, stage)
