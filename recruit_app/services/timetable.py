"""Timetable use cases: every key date of a campaign in one place, checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db.models import Advert, Campaign, Stage, TimetableEvent, id_of
from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.timetable import (
    REGIONS,
    Timetable,
    TimetableEntry,
    bank_holidays,
    check_timetable,
    clean_event,
    entries,
)
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import Use, campaign_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, touch, unit_of_work


@dataclass(frozen=True)
class EventView:
    id: int
    version: int
    title: str
    starts_on: date
    ends_on: date | None
    note: str


@dataclass(frozen=True)
class TimetableView:
    campaign_id: int
    reference: str
    version: int  # the campaign's, for the key dates
    region: str
    opens_at: datetime | None
    closes_at: datetime | None
    decisions_on: date | None
    expected_start_on: date | None
    entries: tuple[TimetableEntry, ...]
    events: tuple[EventView, ...]
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "region": self.region,
            "dates": [
                {
                    "key": e.key,
                    "label": e.label,
                    "kind": e.kind,
                    "starts_on": e.starts_on.isoformat() if e.starts_on else None,
                    "ends_on": e.ends_on.isoformat() if e.ends_on else None,
                }
                for e in self.entries
            ],
            "findings": [f.to_json() for f in self.findings],
        }


def _campaign(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    return campaign_for(session, ctx, campaign_id, use)


def build_timetable(session: Session, campaign: Campaign) -> tuple[Timetable, list[EventView]]:
    advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).first()
    stages = session.exec(
        select(Stage).where(Stage.campaign_id == campaign.id).order_by(col(Stage.position))
    )
    events = list(
        session.exec(
            select(TimetableEvent)
            .where(TimetableEvent.campaign_id == campaign.id)
            .order_by(col(TimetableEvent.starts_on))
        )
    )
    timetable = Timetable(
        opens_at=advert.opens_at if advert else None,
        closes_at=advert.closes_at if advert else None,
        stages=tuple(
            TimetableEntry(f"stage:{i}", s.name, s.starts_on, s.ends_on, "stage")
            for i, s in enumerate(stages)
        ),
        decisions_on=campaign.decisions_on,
        expected_start_on=campaign.expected_start_on,
        events=tuple(
            TimetableEntry(f"event:{i}", e.title, e.starts_on, e.ends_on, "event")
            for i, e in enumerate(events)
        ),
    )
    views = [
        EventView(id_of(e), e.version, e.title, e.starts_on, e.ends_on, e.note) for e in events
    ]
    return timetable, views


def holidays_for(region: str, timetable: Timetable) -> dict[date, str]:
    years = {d.year for e in entries(timetable) for d in (e.starts_on, e.ends_on) if d}
    return bank_holidays(region, years or {date.today().year})


def _view(session: Session, campaign: Campaign) -> TimetableView:
    timetable, events = build_timetable(session, campaign)
    findings = check_timetable(timetable, holidays_for(campaign.holiday_region, timetable))
    return TimetableView(
        campaign_id=id_of(campaign),
        reference=campaign.reference,
        version=campaign.version,
        region=campaign.holiday_region,
        opens_at=timetable.opens_at,
        closes_at=timetable.closes_at,
        decisions_on=campaign.decisions_on,
        expected_start_on=campaign.expected_start_on,
        entries=tuple(entries(timetable)),
        events=tuple(events),
        findings=tuple(findings),
    )


def get_timetable(ctx: ServiceContext, campaign_id: int) -> TimetableView:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return _view(session, _campaign(session, ctx, campaign_id, "view"))


def update_key_dates(
    ctx: ServiceContext,
    campaign_id: int,
    *,
    region: str,
    decisions_on: date | None,
    expected_start_on: date | None,
    expected_version: int | None,
) -> TimetableView:
    require(ctx.actor, "campaign.manage")
    if region not in REGIONS:
        raise ValidationError(f"Choose one of {', '.join(REGIONS.values())}.", "region")
    with unit_of_work(ctx) as session:
        campaign = _campaign(session, ctx, campaign_id, "manage")
        check_version(campaign, expected_version, f"The campaign {campaign.reference}")
        before = {
            "region": campaign.holiday_region,
            "decisions_on": _iso(campaign.decisions_on),
            "expected_start_on": _iso(campaign.expected_start_on),
        }
        campaign.holiday_region = region
        campaign.decisions_on = decisions_on
        campaign.expected_start_on = expected_start_on
        touch(campaign, ctx)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="timetable.update",
            entity="campaign",
            entity_id=campaign.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary="Changed the key dates",
            before=before,
            after={
                "region": region,
                "decisions_on": _iso(decisions_on),
                "expected_start_on": _iso(expected_start_on),
            },
        )
        session.flush()
        return _view(session, campaign)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def save_event(
    ctx: ServiceContext,
    campaign_id: int,
    *,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
    event_id: int | None = None,
    expected_version: int | None = None,
) -> TimetableView:
    require(ctx.actor, "campaign.manage")
    title = clean_event(title, starts_on, ends_on, note)
    with unit_of_work(ctx) as session:
        campaign = _campaign(session, ctx, campaign_id, "manage")
        event: TimetableEvent | None
        if event_id is None:
            event = TimetableEvent(
                campaign_id=campaign_id, title=title, starts_on=starts_on, updated_by=ctx.actor.name
            )
            session.add(event)
        else:
            event = session.get(TimetableEvent, event_id)
            if event is None or event.campaign_id != campaign_id:
                raise NotFound("That event no longer exists.")
            check_version(event, expected_version, f"The event {event.title}")
            touch(event, ctx)
        event.title, event.starts_on, event.ends_on, event.note = title, starts_on, ends_on, note
        session.flush()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="timetable.event",
            entity="timetable_event",
            entity_id=event.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Saved the event {title}",
        )
        return _view(session, campaign)


def delete_event(ctx: ServiceContext, event_id: int) -> None:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        event = session.get(TimetableEvent, event_id)
        if event is None:
            return
        campaign = _campaign(session, ctx, event.campaign_id, "manage")
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="timetable.event.delete",
            entity="timetable_event",
            entity_id=event.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Removed {event.title}",
        )
        session.delete(event)
