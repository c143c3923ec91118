"""Interview slot use cases: plan, generate, edit and allocate slots; export calendars."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from db.models import (
    Advert,
    Campaign,
    Candidate,
    InterviewSlot,
    PanelAssignment,
    Person,
    PersonBusy,
    Stage,
    id_of,
)
from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.dates import LONDON, day_and_month
from recruit_app.domain.scheduling import (
    Busy,
    SlotPlan,
    allocate,
    notice_flags,
    plan_slots,
    validate_plan,
)
from recruit_app.domain.scheduling import Candidate as Need
from recruit_app.domain.scheduling import Slot as FreeSlot
from recruit_app.domain.timetable import bank_holidays
from recruit_app.errors import NotFound, ValidationError
from recruit_app.readmodels import Attendee, CalendarEvent
from recruit_app.services.access import Use, details_hidden, stage_for
from recruit_app.services.candidates import candidates_at_stage
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import audit_stage, check_version, touch, unit_of_work
from recruit_app.vocabulary import StageMode

# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class SlotView:
    id: int
    version: int
    uid: str
    starts_at: datetime
    ends_at: datetime
    panel_number: int
    room: str
    video_link: str
    status: str
    candidate_id: int | None
    candidate_label: str  # the number only where the stage is name-blind
    panel: tuple[str, ...]  # names of the panel members
    candidate_number: str = ""  # "" when the slot is open

    def to_json(self) -> dict[str, Any]:
        local = self.starts_at.astimezone(LONDON)
        return {
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "panel": self.panel_number,
            "room": self.room,
            "video_link": self.video_link,
            "status": self.status,
            "candidate": self.candidate_label or None,
            "panel_members": list(self.panel),
        }

    def to_list_json(self) -> dict[str, Any]:
        """`slots list --json`: UK times with their offset, the number, never a name."""
        return {
            "starts_at": self.starts_at.astimezone(LONDON).isoformat(),
            "ends_at": self.ends_at.astimezone(LONDON).isoformat(),
            "panel": self.panel_number,
            "candidate_number": self.candidate_number or None,
            "status": self.status,
        }


@dataclass(frozen=True)
class SlotsView:
    stage_id: int
    stage_name: str
    stage_version: int
    name_blind: bool
    plan: dict[str, Any]
    slots: tuple[SlotView, ...]
    waiting: tuple[str, ...]  # labels of candidates who progressed but have no slot
    waiting_ids: tuple[int, ...]  # the same candidates' ids, in the same order
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage_name,
            "slots": [s.to_json() for s in self.slots],
            "unplaced": list(self.waiting),
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class AllocationReport:
    placed: int
    unplaced: tuple[tuple[str, str], ...]  # candidate label, reason
    view: SlotsView


# --- helpers -------------------------------------------------------------------------


def _stage(session: Session, ctx: ServiceContext, stage_id: int, use: Use) -> Stage:
    return stage_for(session, ctx, stage_id, use)


def candidate_label(candidate: Candidate, name_blind: bool) -> str:
    if name_blind:
        return f"Candidate {candidate.candidate_number}"
    return f"{candidate.candidate_number} {candidate.first_name} {candidate.last_name}".strip()


def progressed_candidates(session: Session, stage: Stage) -> list[Candidate]:
    """Who may be given a slot: those who reached the stage and have not withdrawn."""
    return candidates_at_stage(session, stage)


def _panels(session: Session, stage_id: int) -> dict[int, list[Person]]:
    rows = session.exec(
        select(PanelAssignment, Person)
        .join(Person, col(Person.id) == PanelAssignment.person_id)
        .where(PanelAssignment.stage_id == stage_id)
        .order_by(col(Person.name))
    )
    panels: dict[int, list[Person]] = {}
    for seat, person in rows:
        panels.setdefault(seat.panel_number, []).append(person)
    return panels


def _slots(session: Session, stage_id: int) -> list[InterviewSlot]:
    return list(
        session.exec(
            select(InterviewSlot)
            .where(InterviewSlot.stage_id == stage_id)
            .order_by(col(InterviewSlot.starts_at), col(InterviewSlot.panel_number))
        )
    )


def _holidays(session: Session, stage: Stage, days: list[date]) -> dict[date, str]:
    campaign = session.get(Campaign, stage.campaign_id)
    region = campaign.holiday_region if campaign else "england-and-wales"
    return bank_holidays(region, {d.year for d in days} or {date.today().year})


def _view(session: Session, stage: Stage) -> SlotsView:
    assert stage.id is not None
    panels = _panels(session, stage.id)
    slots = _slots(session, stage.id)
    ids = {s.candidate_id for s in slots if s.candidate_id}
    people = (
        {c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids)))}
        if ids
        else {}
    )
    views = tuple(
        SlotView(
            id_of(s),
            s.version,
            s.uid,
            s.starts_at,
            s.ends_at,
            s.panel_number,
            s.room or stage.location,
            s.video_link or stage.video_link,
            s.status,
            s.candidate_id,
            candidate_label(people[s.candidate_id], stage.name_blind) if s.candidate_id else "",
            tuple(p.name for p in panels.get(s.panel_number, [])),
            people[s.candidate_id].candidate_number if s.candidate_id else "",
        )
        for s in slots
    )
    booked = {s.candidate_id for s in slots if s.candidate_id and s.status != "cancelled"}
    still = [c for c in progressed_candidates(session, stage) if c.id not in booked]
    waiting = tuple(candidate_label(c, stage.name_blind) for c in still)
    waiting_ids = tuple(id_of(c) for c in still)
    findings: list[Finding] = []
    if stage.invitations_on is not None:
        taken = [
            (v.candidate_label, v.starts_at)
            for v in views
            if v.candidate_id and v.status != "cancelled"
        ]
        days = [v.starts_at.astimezone(LONDON).date() for v in views] + [stage.invitations_on]
        findings = notice_flags(
            taken, stage.invitations_on, _holidays(session, stage, days), minimum=stage.notice_days
        )
    return SlotsView(
        stage.id,
        stage.name,
        stage.version,
        stage.name_blind,
        dict(stage.slot_plan),
        views,
        waiting,
        waiting_ids,
        tuple(findings),
    )


def list_slots(ctx: ServiceContext, stage_id: int) -> SlotsView:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return _view(session, _stage(session, ctx, stage_id, "view"))


def new_uid() -> str:
    return f"{uuid.uuid4()}@recruit-app"


# --- planning ------------------------------------------------------------------------


def plan_to_json(plan: SlotPlan) -> dict[str, Any]:
    return {
        "days": [d.isoformat() for d in plan.days],
        "day_start": plan.day_start.strftime("%H:%M"),
        "day_end": plan.day_end.strftime("%H:%M"),
        "slot_minutes": plan.slot_minutes,
        "gap_minutes": plan.gap_minutes,
        "lunch_start": plan.lunch_start.strftime("%H:%M") if plan.lunch_start else None,
        "lunch_end": plan.lunch_end.strftime("%H:%M") if plan.lunch_end else None,
        "panels": plan.panels,
    }


def plan_from_json(data: dict[str, Any]) -> SlotPlan:
    def moment(text: str | None) -> time | None:
        return time.fromisoformat(text) if text else None

    try:
        return SlotPlan(
            days=tuple(date.fromisoformat(d) for d in data["days"]),
            day_start=time.fromisoformat(data["day_start"]),
            day_end=time.fromisoformat(data["day_end"]),
            slot_minutes=int(data["slot_minutes"]),
            gap_minutes=int(data.get("gap_minutes", 0)),
            lunch_start=moment(data.get("lunch_start")),
            lunch_end=moment(data.get("lunch_end")),
            panels=int(data.get("panels", 1)),
        )
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            "The stage has no usable slot plan yet; set one first.", "plan"
        ) from None


def default_plan(stage: Stage) -> SlotPlan:
    """Every weekday of the stage's window, 09:00 to 17:00, one-hour slots."""
    start = stage.starts_on or date.today()
    end = stage.ends_on or start
    days = tuple(
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if (start + timedelta(days=n)).weekday() < 5
    )
    return SlotPlan(
        days=days or (start,),
        day_start=time(9),
        day_end=time(17),
        slot_minutes=60,
        gap_minutes=15,
        lunch_start=time(12, 30),
        lunch_end=time(13, 30),
        panels=1,
    )


def save_plan(
    ctx: ServiceContext, stage_id: int, plan: SlotPlan, *, expected_version: int | None
) -> SlotsView:
    require(ctx.actor, "campaign.manage")
    validate_plan(plan)
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        check_version(stage, expected_version, f"The stage {stage.name}")
        stage.slot_plan = plan_to_json(plan)
        touch(stage, ctx)
        audit_stage(
            session,
            ctx,
            stage,
            "slots.plan",
            f"Set the slot plan of {stage.name}",
            after=stage.slot_plan,
        )
        session.flush()
        return _view(session, stage)


def generate_slots(ctx: ServiceContext, stage_id: int) -> SlotsView:
    """Create the plan's slots, replacing open slots; booked and cancelled ones stay."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        make_slots(session, ctx, stage)
        return _view(session, stage)


def make_slots(session: Session, ctx: ServiceContext, stage: Stage) -> int:
    """Within the caller's transaction: the plan's slots for `stage`; returns how many."""
    stage_id = id_of(stage)
    plan = plan_from_json(stage.slot_plan) if stage.slot_plan else default_plan(stage)
    validate_plan(plan)
    kept = []
    for slot in _slots(session, stage_id):
        if slot.status == "open" and slot.candidate_id is None:
            session.delete(slot)
        else:
            kept.append(slot)
    session.flush()
    count = 0
    for planned in plan_slots(plan):
        clash = any(
            k.panel_number == planned.panel
            and k.starts_at < planned.ends_at
            and planned.starts_at < k.ends_at
            and k.status != "cancelled"
            for k in kept
        )
        if clash:
            continue
        session.add(
            InterviewSlot(
                stage_id=stage_id,
                uid=new_uid(),
                starts_at=planned.starts_at,
                ends_at=planned.ends_at,
                panel_number=planned.panel,
                updated_by=ctx.actor.name,
            )
        )
        count += 1
    if not stage.slot_plan:
        stage.slot_plan = plan_to_json(plan)
        touch(stage, ctx)
    audit_stage(session, ctx, stage, "slots.generate", f"Made {count} slots for {stage.name}")
    session.flush()
    return count


# --- editing slots -------------------------------------------------------------------


def _slot(session: Session, slot_id: int) -> InterviewSlot:
    slot = session.get(InterviewSlot, slot_id)
    if slot is None:
        raise NotFound("That slot no longer exists; someone may have removed it.")
    return slot


def add_slot(
    ctx: ServiceContext, stage_id: int, *, starts_at: datetime, minutes: int, panel_number: int = 1
) -> SlotsView:
    require(ctx.actor, "campaign.manage")
    if starts_at.tzinfo is None:
        raise ValidationError("A slot's start needs its time zone.", "starts_at")
    if not 5 <= minutes <= 480:
        raise ValidationError("A slot lasts from 5 minutes to 8 hours.", "minutes")
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        slot = InterviewSlot(
            stage_id=stage_id,
            uid=new_uid(),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            panel_number=panel_number,
            updated_by=ctx.actor.name,
        )
        _refuse_overlap(session, slot)
        session.add(slot)
        audit_stage(session, ctx, stage, "slots.add", "Added a slot")
        session.flush()
        return _view(session, stage)


def _refuse_overlap(session: Session, slot: InterviewSlot) -> None:
    for other in _slots(session, slot.stage_id):
        if (
            other.id != slot.id
            and other.panel_number == slot.panel_number
            and other.status != "cancelled"
            and other.starts_at < slot.ends_at
            and slot.starts_at < other.ends_at
        ):
            local = other.starts_at.astimezone(LONDON)
            when = f"{local:%H:%M} on {day_and_month(local.date())}"
            raise ValidationError(
                f"Panel {slot.panel_number} already has a slot at {when}.", "starts_at"
            )


def move_slot(
    ctx: ServiceContext,
    slot_id: int,
    *,
    starts_at: datetime,
    panel_number: int,
    expected_version: int | None,
) -> SlotsView:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        slot = _slot(session, slot_id)
        stage = _stage(session, ctx, slot.stage_id, "manage")
        check_version(slot, expected_version, "The slot")
        length = slot.ends_at - slot.starts_at
        slot.starts_at, slot.ends_at = starts_at, starts_at + length
        slot.panel_number = panel_number
        slot.sequence += 1  # calendars must replace the old time
        _refuse_overlap(session, slot)
        touch(slot, ctx)
        audit_stage(session, ctx, stage, "slots.move", "Moved a slot")
        session.flush()
        return _view(session, stage)


def assign_slot(
    ctx: ServiceContext, slot_id: int, candidate_id: int | None, *, expected_version: int | None
) -> SlotsView:
    """Give a slot to a candidate (or free it); one live slot per candidate per stage."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        slot = _slot(session, slot_id)
        stage = _stage(session, ctx, slot.stage_id, "manage")
        check_version(slot, expected_version, "The slot")
        if slot.status == "cancelled":
            raise ValidationError("That slot was cancelled; add a new one instead.")
        if candidate_id is not None:
            allowed = {c.id for c in progressed_candidates(session, stage)}
            if candidate_id not in allowed:
                raise ValidationError("That candidate has not progressed to this stage.")
            for other in _slots(session, id_of(stage)):
                if (
                    other.candidate_id == candidate_id
                    and other.id != slot.id
                    and other.status != "cancelled"
                ):
                    raise ValidationError("That candidate already has a slot at this stage.")
        slot.candidate_id = candidate_id
        slot.status = "booked" if candidate_id else "open"
        slot.sequence += 1
        touch(slot, ctx)
        audit_stage(session, ctx, stage, "slots.assign", "Changed who has a slot")
        session.flush()
        return _view(session, stage)


def swap_slots(ctx: ServiceContext, first_id: int, second_id: int) -> SlotsView:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        first, second = _slot(session, first_id), _slot(session, second_id)
        if first.stage_id != second.stage_id:
            raise ValidationError("Only slots of the same stage can be swapped.")
        first.candidate_id, second.candidate_id = second.candidate_id, first.candidate_id
        for slot in (first, second):
            slot.status = "booked" if slot.candidate_id else "open"
            slot.sequence += 1
            touch(slot, ctx)
        stage = _stage(session, ctx, first.stage_id, "manage")
        audit_stage(session, ctx, stage, "slots.swap", "Swapped two candidates' slots")
        session.flush()
        return _view(session, stage)


def cancel_slot(ctx: ServiceContext, slot_id: int, *, expected_version: int | None) -> SlotsView:
    """A booked slot is kept as cancelled (calendars then cancel it); an open one goes."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        slot = _slot(session, slot_id)
        stage = _stage(session, ctx, slot.stage_id, "manage")
        check_version(slot, expected_version, "The slot")
        if slot.candidate_id is None and slot.status == "open":
            session.delete(slot)
        else:
            slot.status = "cancelled"
            slot.sequence += 1
            touch(slot, ctx)
        audit_stage(session, ctx, stage, "slots.cancel", "Cancelled a slot")
        session.flush()
        return _view(session, stage)


# --- automatic allocation ------------------------------------------------------------


def _busy(session: Session, stage: Stage, people: set[int]) -> list[Busy]:
    """Everything that keeps these people from interviewing, across every campaign."""
    found = [
        Busy(b.person_id, b.starts_at, b.ends_at, b.reason or "busy")
        for b in session.exec(select(PersonBusy).where(col(PersonBusy.person_id).in_(people)))
    ]
    seats = session.exec(
        select(PanelAssignment, InterviewSlot, Stage, Campaign)
        .join(
            InterviewSlot,
            (col(InterviewSlot.stage_id) == PanelAssignment.stage_id)
            & (col(InterviewSlot.panel_number) == PanelAssignment.panel_number),
        )
        .join(Stage, col(Stage.id) == PanelAssignment.stage_id)
        .join(Campaign, col(Campaign.id) == Stage.campaign_id)
        .where(
            col(PanelAssignment.person_id).in_(people),
            InterviewSlot.status == "booked",
            InterviewSlot.stage_id != stage.id,
        )
    )
    for seat, slot, other_stage, campaign in seats:
        found.append(
            Busy(
                seat.person_id,
                slot.starts_at,
                slot.ends_at,
                f"{campaign.reference} {other_stage.name}",
            )
        )
    return found


def allocate_stage(ctx: ServiceContext, stage_id: int) -> AllocationReport:
    """Give every waiting candidate the earliest slot that suits them and their panel."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        placed, unplaced = allocate_in(session, ctx, stage)
        return AllocationReport(placed, unplaced, _view(session, stage))


def allocate_in(
    session: Session, ctx: ServiceContext, stage: Stage
) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Within the caller's transaction: allocate `stage`; how many placed, who was not."""
    stage_id = id_of(stage)
    slots = [s for s in _slots(session, stage_id) if s.status != "cancelled"]
    if not slots:
        raise ValidationError(f"{stage.name} has no slots yet: plan and make them first.")
    panels = _panels(session, stage_id)
    # Extra time may run on after the last slot, but not past the planned end of the day.
    day_end = plan_from_json(stage.slot_plan).day_end if stage.slot_plan else time(17, 30)
    candidates = progressed_candidates(session, stage)
    needs = [
        Need(
            id_of(c),
            candidate_label(c, stage.name_blind),
            frozenset(date.fromisoformat(d) for d in c.unavailable_dates),
            c.extra_minutes,
        )
        for c in candidates
    ]
    free = [
        FreeSlot(
            id_of(s),
            s.starts_at,
            s.ends_at,
            s.panel_number,
            _room_after(s, slots, day_end),
            s.candidate_id,
        )
        for s in slots
    ]
    names = {id_of(p): p.name for members in panels.values() for p in members}
    result = allocate(
        needs,
        free,
        {n: [id_of(p) for p in members] for n, members in panels.items()},
        _busy(session, stage, set(names)),
        names=names,
    )
    by_id = {s.id: s for s in slots}
    placed = 0
    for candidate_id, slot_id in result.placements.items():
        slot = by_id[slot_id]
        if slot.candidate_id != candidate_id:
            slot.candidate_id, slot.status = candidate_id, "booked"
            slot.sequence += 1
            touch(slot, ctx)
            placed += 1
    labels = {n.id: n.label for n in needs}
    unplaced = tuple((labels[cid], reason) for cid, reason in result.unplaced)
    audit_stage(
        session,
        ctx,
        stage,
        "slots.allocate",
        f"Allocated {placed} candidates; {len(unplaced)} could not be placed",
    )
    session.flush()
    return placed, unplaced


def _room_after(slot: InterviewSlot, slots: list[InterviewSlot], day_end: time) -> int:
    """Minutes between this slot's end and the same panel's next slot (or the day's end)."""
    later = [
        s.starts_at
        for s in slots
        if s.panel_number == slot.panel_number
        and s.starts_at >= slot.ends_at
        and s.starts_at.astimezone(LONDON).date() == slot.ends_at.astimezone(LONDON).date()
    ]
    if not later:
        closing = datetime.combine(
            slot.ends_at.astimezone(LONDON).date(), day_end, tzinfo=LONDON
        ).astimezone(UTC)
        return max(0, int((closing - slot.ends_at).total_seconds() // 60))
    return int((min(later) - slot.ends_at).total_seconds() // 60)


# --- calendars -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    campaign: Campaign
    advert: Advert | None
    stage: Stage


def _calendar_events(
    session: Session, stage: Stage
) -> tuple[list[tuple[Candidate | None, InterviewSlot]], dict[int, list[Person]]]:
    slots = [s for s in _slots(session, id_of(stage)) if s.candidate_id or s.status == "cancelled"]
    ids = {s.candidate_id for s in slots if s.candidate_id}
    people = (
        {c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids)))}
        if ids
        else {}
    )
    return [(people.get(s.candidate_id), s) for s in slots], _panels(session, id_of(stage))


def _event(
    ctx: _Context,
    slot: InterviewSlot,
    candidate: Candidate | None,
    panel: list[Person],
    *,
    for_candidate: bool,
) -> CalendarEvent:
    stage, campaign, advert = ctx.stage, ctx.campaign, ctx.advert
    where = slot.room or stage.location
    link = slot.video_link or stage.video_link
    how = StageMode.label_if_set(stage.mode)
    title = advert.title if advert and advert.title else campaign.title
    if for_candidate:
        summary = f"{stage.name} for {title} ({campaign.reference})"
        lines = [f"Your {stage.name.lower()} for {title}, reference {campaign.reference}."]
        attendees: tuple[Attendee, ...] = (
            (Attendee(f"{candidate.first_name} {candidate.last_name}".strip(), candidate.email),)
            if candidate and candidate.email
            else ()
        )
    else:
        label = candidate_label(candidate, stage.name_blind) if candidate else "Cancelled slot"
        summary = f"{stage.name}: {label} ({campaign.reference})"
        lines = [
            f"{stage.name} for {title}, reference {campaign.reference}, panel {slot.panel_number}."
        ]
        attendees = tuple(Attendee(p.name, p.email) for p in panel)
    if how:
        lines.append(f"How: {how}.")
    if link:
        lines.append(f"Join: {link}")
    organiser = None
    if advert and advert.contact_email:
        organiser = Attendee(advert.contact_name or advert.contact_email, advert.contact_email)
    return CalendarEvent(
        uid=slot.uid if not for_candidate else f"candidate-{slot.uid}",
        sequence=slot.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=summary,
        description="\n".join(lines),
        location=where or link,
        cancelled=slot.status == "cancelled",
        organiser=organiser,
        attendees=attendees,
    )


def export_calendars(ctx: ServiceContext, stage_id: int, folder: Path) -> list[Path]:
    """The whole schedule; each panel member's and each candidate's invitations and
    cancellations.

    RFC 5546 keeps an invitation (METHOD:REQUEST) and a cancellation (METHOD:CANCEL)
    apart, so they go in separate files: a candidate whose interview was cancelled and
    rebooked gets both, and no file name is used twice in one export. A cancellation
    keeps the event's UID with its SEQUENCE raised, so calendars remove the event.
    A panel member at a name-blind stage gets no candidate invitations: they are
    addressed to the candidates by name.
    """
    from exports.calendar import slugify, write_calendar

    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "view")
        campaign = session.get(Campaign, stage.campaign_id)
        assert campaign is not None
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).first()
        info = _Context(campaign, advert, stage)
        pairs, panels = _calendar_events(session, stage)
        everyone = {p.id: p for members in panels.values() for p in members}
        schedule = [
            _event(info, s, c, panels.get(s.panel_number, []), for_candidate=False)
            for c, s in pairs
        ]
        per_person = {
            pid: [
                e
                for (c, s), e in zip(pairs, schedule, strict=True)
                if pid in {p.id for p in panels.get(s.panel_number, [])}
            ]
            for pid in everyone
        }
        invitations = (
            []
            if details_hidden(ctx, stage)
            else [(c, _event(info, s, c, [], for_candidate=True)) for c, s in pairs if c]
        )
    base = f"{campaign.reference}-{slugify(stage.name)}"
    names = _FileNames()
    files: list[tuple[str, list[CalendarEvent], str, str]] = [
        (names.take(f"{base}-schedule"), schedule, f"{campaign.reference} {stage.name}", "PUBLISH")
    ]
    people = _FileNames()  # two people of the same name still get a file each
    for pid, events in per_person.items():
        person = everyone[pid]
        stem = people.take(f"{base}-panel-{slugify(person.name)}")
        files += _invitation_files(names, stem, events, f"{stage.name} ({person.name})")
    by_candidate: dict[int, tuple[Candidate, list[CalendarEvent]]] = {}
    for candidate, event in invitations:
        by_candidate.setdefault(id_of(candidate), (candidate, []))[1].append(event)
    for candidate, events in by_candidate.values():
        stem = people.take(f"{base}-candidate-{slugify(candidate.candidate_number)}")
        files += _invitation_files(names, stem, events, f"{stage.name} invitation")
    return [
        write_calendar(folder / f"{name}.ics", events, name=title, method=method)
        for name, events, title, method in files
    ]


class _FileNames:
    """File names (without .ics) in one export, each used once: a second would overwrite
    the first. Compared without case, as Windows and macOS compare them."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        name, number = wanted, 1
        while name.casefold() in self.used:
            number += 1
            name = f"{wanted}-{number}"
        self.used.add(name.casefold())
        return name


def _invitation_files(
    names: _FileNames, stem: str, events: list[CalendarEvent], title: str
) -> list[tuple[str, list[CalendarEvent], str, str]]:
    """One REQUEST with the live events, and one CANCEL per cancelled event, named by
    the start of its UID."""
    from exports.calendar import slugify

    live = [e for e in events if not e.cancelled]
    files = [(names.take(stem), live, title, "REQUEST")] if live else []
    for event in events:
        if event.cancelled:
            key = slugify(event.uid.removeprefix("candidate-").split("@")[0])[:8]
            files.append((names.take(f"{stem}-cancelled-{key}"), [event], title, "CANCEL"))
    return files
