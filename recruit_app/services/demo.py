"""The demo campaign: a realistic, current campaign to explore every screen with."""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db import library as library_rows
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    Candidate,
    ConflictDeclaration,
    ModeratedScore,
    Outcome,
    PanelAssignment,
    Person,
    Score,
    Stage,
    StageCriterion,
    TimetableEvent,
    id_of,
)
from recruit_app.domain.dates import LONDON, monday_of, whole_weeks_between
from recruit_app.domain.library_format import (
    RoleTemplateDef,
    parse_role_template,
    resolve_template,
    role_template_to_dict,
)
from recruit_app.domain.stage_rules import clean_cell_scale, default_pass_mark, scale_for
from recruit_app.domain.timetable import bank_holidays, lost_working_days
from recruit_app.errors import NotFound
from recruit_app.library import load_json
from recruit_app.services.adverts import freeze_publication
from recruit_app.services.campaign_files import apply_template
from recruit_app.services.candidates import candidates_at_stage
from recruit_app.services.context import ServiceContext
from recruit_app.services.demo_applications import add_demo_applications
from recruit_app.services.demo_equality import add_demo_monitoring
from recruit_app.services.demo_plans import add_demo_plan
from recruit_app.services.library import library_frameworks
from recruit_app.services.permissions import require
from recruit_app.services.results import finalise_in
from recruit_app.services.scoring import criteria_of_stage
from recruit_app.services.slots import allocate_in, make_slots
from recruit_app.services.uow import unit_of_work

DEMO_FILE = "demo_campaign.json"
DEMO_MONITORING_SEED = 2026  # the invented equality monitoring answers (demo_equality)


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


@dataclass(frozen=True)
class DemoDates:
    """Where each of the seed's dates lands when the demo is built.

    The seed's dated things (the advert's opening and closing days, each stage's window,
    the events, decisions and start dates) are blocks, each moved by whole weeks, so every
    weekday stays. Dates between blocks (a candidate's unavailable day) move with the
    block before them.
    """

    shift: timedelta  # the sift's: what the demo reports as its dates' move
    blocks: tuple[tuple[date, date, timedelta], ...]  # seed first and last day, and move

    @property
    def days(self) -> int:
        return self.shift.days

    def day(self, seed: date) -> date:
        return seed + self._move(seed)

    def moment(self, seed: datetime) -> datetime:
        """A London wall-clock time from the seed, moved, as UTC."""
        local = seed + self._move(seed.date())
        return local.replace(tzinfo=LONDON).astimezone(UTC)

    def _move(self, seed: date) -> timedelta:
        move = self.blocks[0][2] if self.blocks else self.shift
        for first, _last, moved in self.blocks:
            if first <= seed:
                move = moved
        return move


def demo_dates(today: date) -> DemoDates:
    """The seed's dates moved to be current, never onto a bank holiday or a weekend.

    The sift goes to the week before `today` (a week or two earlier when a bank holiday
    falls in that week), so it lies just behind and the interviews just ahead: a campaign
    in progress. Each later block goes as far as the one before it, and a week further
    for each bank holiday it would meet; each earlier block likewise, a week back.
    """
    data = load_json(DEMO_FILE)
    anchor = date.fromisoformat(data["anchor"]["date"])
    base = whole_weeks_between(anchor, monday_of(today) - timedelta(weeks=1))
    blocks = _seed_blocks(data)
    year = (anchor + base).year
    holidays = _demo_holidays(year - 1, year + 1)
    at = next(i for i, (first, last) in enumerate(blocks) if first <= anchor <= last)
    moves = [base] * len(blocks)
    moves[at] = _clear_of_holidays(blocks[at], base, -_WEEK, holidays)
    for i in range(at + 1, len(blocks)):
        moves[i] = _clear_of_holidays(blocks[i], moves[i - 1], _WEEK, holidays)
    for i in reversed(range(at)):
        moves[i] = _clear_of_holidays(blocks[i], moves[i + 1], -_WEEK, holidays)
    placed = zip(blocks, moves, strict=True)
    return DemoDates(moves[at], tuple((first, last, move) for (first, last), move in placed))


def demo_shift(today: date) -> timedelta:
    """How far the sift moves: whole weeks, to the week before `today` (or a week or two
    earlier, clear of bank holidays)."""
    return demo_dates(today).shift


DEMO_REGION = "england-and-wales"  # the demo campaign's bank holidays
_WEEK = timedelta(weeks=1)


@functools.cache
def _demo_holidays(first_year: int, last_year: int) -> Mapping[date, str]:
    return MappingProxyType(bank_holidays(DEMO_REGION, range(first_year, last_year + 1)))


def _seed_blocks(data: dict[str, Any]) -> list[tuple[date, date]]:
    """The seed's dated things as first and last days, overlapping ones merged, in order."""
    spans = [
        (day, day)
        for key, value in data["advert"].items()
        if key.endswith("_at")
        for day in [datetime.fromisoformat(value).date()]
    ]
    spans += [
        (date.fromisoformat(a), date.fromisoformat(b)) for a, b in data["stage_dates"].values()
    ]
    timetable, interviews = data["timetable"], data["interviews"]
    singles = [timetable["decisions_on"], timetable["expected_start_on"]]
    singles += [interviews["invitations_on"], *interviews["plan"]["days"]]
    spans += [(date.fromisoformat(d), date.fromisoformat(d)) for d in singles]
    spans += [
        (date.fromisoformat(e["starts_on"]), date.fromisoformat(e.get("ends_on") or e["starts_on"]))
        for e in timetable["events"]
    ]
    merged: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _clear_of_holidays(
    block: tuple[date, date], move: timedelta, step: timedelta, holidays: Mapping[date, str]
) -> timedelta:
    """`move`, or the first whole-week step from it that keeps `block` off bank holidays."""
    first, last = block
    for _ in range(10):  # no stretch of the year has that many weeks with a bank holiday
        if not lost_working_days(first + move, last + move, holidays):
            return move
        move += step
    return move


def build_demo(
    ctx: ServiceContext, *, today: date | None = None, reset: bool = False
) -> DemoReport:
    """Create the demo campaign once; with `reset`, delete and rebuild it."""
    require(ctx.actor, "demo.build")
    data = load_json(DEMO_FILE)
    today = today or date.today()
    shift = demo_dates(today)
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
        campaign = _build(session, ctx, data, shift, today)
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


def _moment(text: str, shift: DemoDates) -> datetime:
    """A London wall-clock time from the seed, moved, as UTC."""
    return shift.moment(datetime.fromisoformat(text))


def _day(text: str, shift: DemoDates) -> date:
    return shift.day(date.fromisoformat(text))


def _build(
    session: Session, ctx: ServiceContext, data: dict[str, Any], shift: DemoDates, today: date
) -> Campaign:
    template = library_rows.template_by_code(session, data["template"])
    if template is None:
        raise NotFound(f"The demo needs the built-in role template {data['template']}.")
    definition = resolve_template(
        _with_interview_criteria(library_rows.template_definition(template), data),
        library_frameworks(session),
    )
    campaign = Campaign(
        reference=data["reference"],
        title=data["title"],
        holiday_region=DEMO_REGION,
        updated_by=ctx.actor.name,
    )
    session.add(campaign)
    session.flush()
    apply_template(session, ctx, campaign, definition)
    _set_cell_scales(session, campaign, data)
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
    add_demo_applications(session, ctx, campaign)
    _add_panels(session, ctx, campaign, data)
    _add_timetable(session, ctx, campaign, data, shift)
    # The stages already held, in order: each decides who reaches the next.
    for plan in data["held"]:
        _score_and_finalise(session, ctx, campaign, plan, today)
    _add_feedback(session, campaign, data)
    _add_interview_slots(session, ctx, campaign, data, shift)
    add_demo_plan(session, ctx, campaign, data["interviews"]["stage"])
    # Invented equality monitoring answers, kept apart: one stage shows a flag.
    add_demo_monitoring(session, id_of(campaign), DEMO_MONITORING_SEED)
    return campaign


# What a criterion of interview_criteria says about its cell, not about the advert's criterion.
_CELL_KEYS = frozenset({"scale"})


def _with_interview_criteria(definition: RoleTemplateDef, data: dict[str, Any]) -> RoleTemplateDef:
    """The template with the criteria the demo's advert adds (data["interview_criteria"]),
    written as a template's and checked as one, assessed at that block's stage only."""
    extra = data.get("interview_criteria")
    if not extra:
        return definition
    document = role_template_to_dict(definition)
    added = [{k: v for k, v in c.items() if k not in _CELL_KEYS} for c in extra["criteria"]]
    document["criteria"] += added
    stages = [s for s in document["stages"] if s["name"] == extra["stage"]]
    if len(stages) != 1:
        raise NotFound(f"The demo adds criteria to {extra['stage']}, which the template lacks.")
    stages[0]["criteria"] += [c["code"] for c in added]
    return parse_role_template(document)


def _set_cell_scales(session: Session, campaign: Campaign, data: dict[str, Any]) -> None:
    """Each added criterion with a scale of its own is scored on it at its stage, with that
    scale's standard pass mark, as ticking the cell on the matrix screen would give."""
    extra = data.get("interview_criteria")
    if not extra:
        return
    stage = _stages_by_name(session, campaign)[extra["stage"]]
    for item in extra["criteria"]:
        scale = clean_cell_scale(item.get("scale", ""))
        if not scale:
            continue
        scale_for(scale)  # a built-in scale: the demo has no custom points to give
        cell, criterion = session.exec(
            select(StageCriterion, AdvertCriterion)
            .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
            .where(StageCriterion.stage_id == stage.id, AdvertCriterion.code == item["code"])
        ).one()
        cell.scale = scale
        cell.pass_mark = default_pass_mark(scale, essential=criterion.essential)
    session.flush()


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
    shift: DemoDates,
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


def _score_and_finalise(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    plan: dict[str, Any],
    today: date,
) -> None:
    """A stage already held: its panel's submitted scores (a conflict and a moderated
    score where the plan has them), then its results finalised as the results screen
    would, so every outcome follows from the scores and the stage's pass marks."""
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
    candidates = candidates_at_stage(session, stage)
    conflict = plan.get("conflict") or {"assessor": "", "candidate": ""}
    moderated = plan.get("moderated") or {"candidate": "", "criterion": ""}
    weak_points = plan.get("weak", {})
    rng = random.Random(plan["seed"])
    # On the stage's last day, or the day the demo is built if that comes first: nothing
    # is scored or decided in the future.
    ends = min(stage.ends_on or today, today)
    submitted = datetime.combine(ends, time(17), tzinfo=LONDON)
    for candidate in candidates:
        number = candidate.candidate_number
        passing = number in plan["passing"]
        weak = weak_points.get(number) or (rng.choice(list(cells)) if not passing else None)
        for code, cell_id in cells.items():
            # Panel members agree to within a point, as a calibrated panel should.
            base = rng.choice((4, 5, 5, 6)) if passing else rng.choice((3, 4, 4, 5))
            if code == weak:
                base = rng.choice((2, 3))
            for email, person_id in panel.items():
                if email == conflict["assessor"] and number == conflict["candidate"]:
                    continue
                value = min(7, base + rng.choice((0, 0, 1)) if base < 4 or passing else base)
                if number == moderated["candidate"] and code == moderated["criterion"]:
                    value = moderated["scores"][email]
                session.add(
                    Score(
                        stage_criterion_id=cell_id,
                        candidate_id=id_of(candidate),
                        assessor_id=person_id,
                        value=value,
                        status="submitted",
                        submitted_at=submitted.astimezone(UTC),
                        evidence=f"{plan['evidence']}: {code}.",
                        updated_by=ctx.actor.name,
                    )
                )
    by_number = {c.candidate_number: c for c in candidates}
    if plan.get("conflict"):
        session.add(
            ConflictDeclaration(
                person_id=panel[conflict["assessor"]],
                candidate_id=id_of(by_number[conflict["candidate"]]),
                note=conflict["note"],
            )
        )
    if plan.get("moderated"):
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
    finalise_in(session, ctx, stage, ends)


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
    shift: DemoDates,
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
