"""Interview slots on real databases: planning, allocation, editing and calendar files."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlmodel import select

from db.models import Candidate, Outcome, Person, PersonBusy
from recruit_app.domain.scheduling import SlotPlan
from recruit_app.errors import ValidationError
from recruit_app.services import slots as svc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template

LONDON = ZoneInfo("Europe/London")
DAYS = (date(2027, 1, 11), date(2027, 1, 12))  # a Monday and a Tuesday in winter (GMT)


def _london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def interview(ctx):
    """A campaign whose video interview has a panel and candidates who got through."""
    campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")
    overview = stage_svc.stages_overview(ctx, campaign.id)
    exercise, stage = overview.stages[1], overview.stages[2]
    with ctx.db.session() as session:
        people = [
            Person(name="Tom Okonkwo", email="tom@example.org"),
            Person(name="Hannah Lee", email="hannah@example.org"),
        ]
        session.add_all(people)
        session.flush()
        candidates = []
        for number, (first, last) in enumerate(
            [("Siân", "Evans"), ("Łukasz", "Nowak"), ("Niamh", "O'Brien"), ("Zoë", "Clarke")], 1
        ):
            candidate = Candidate(
                campaign_id=campaign.id,
                candidate_number=f"{number:04d}",
                first_name=first,
                last_name=last,
                email=f"c{number}@example.com",
            )
            session.add(candidate)
            candidates.append(candidate)
        session.flush()
        for candidate in candidates:
            session.add(Outcome(stage_id=exercise.id, candidate_id=candidate.id, kind="progress"))
        session.commit()
        ids = [p.id for p in people]
    stage_svc.set_panel(
        ctx,
        stage.id,
        [stage_svc.SeatChoice(ids[0], "chair"), stage_svc.SeatChoice(ids[1], "member")],
        expected_version=stage.version,
    )
    return campaign, stage_svc.stages_overview(ctx, campaign.id).stages[2], ids


def _plan(ctx, stage, **changes):
    plan = SlotPlan(
        days=DAYS, day_start=time(9), day_end=time(12), slot_minutes=60, gap_minutes=15, **changes
    )
    view = svc.save_plan(ctx, stage.id, plan, expected_version=stage.version)
    return svc.generate_slots(ctx, view.stage_id)


def _times(view):
    return [
        (s.starts_at.astimezone(LONDON).strftime("%a %H:%M"), s.panel_number, s.candidate_label)
        for s in view.slots
    ]


def test_plan_makes_the_slots(ctx, interview):
    _campaign, stage, _people = interview
    view = _plan(ctx, stage)
    # 09:00, 10:15 fit; 11:30 would end at 12:30, after the day ends.
    assert _times(view) == [
        ("Mon 09:00", 1, ""),
        ("Mon 10:15", 1, ""),
        ("Tue 09:00", 1, ""),
        ("Tue 10:15", 1, ""),
    ]
    assert view.waiting == (
        "0001 Siân Evans",
        "0002 Łukasz Nowak",
        "0003 Niamh O'Brien",
        "0004 Zoë Clarke",
    )
    again = svc.generate_slots(ctx, stage.id)  # open slots are replaced, not doubled
    assert len(again.slots) == 4


def test_bad_plans_are_refused(ctx, interview):
    _campaign, stage, _people = interview
    with pytest.raises(ValidationError) as caught:
        svc.save_plan(
            ctx,
            stage.id,
            SlotPlan(days=DAYS, day_start=time(12), day_end=time(9), slot_minutes=60),
            expected_version=stage.version,
        )
    assert caught.value.field == "day_end"


def test_allocation_respects_unavailability_and_extra_time(ctx, interview):
    campaign, stage, _people = interview
    with ctx.db.session() as session:
        rows = {
            c.candidate_number: c
            for c in session.exec(select(Candidate).where(Candidate.campaign_id == campaign.id))
        }
        rows["0001"].unavailable_dates = [DAYS[0].isoformat()]
        rows["0002"].extra_minutes = 60  # more than any gap, or the time left at day end
        session.commit()
    _plan(ctx, stage, panels=2)
    report = svc.allocate_stage(ctx, stage.id)
    booked = {
        s.candidate_label: s.starts_at.astimezone(LONDON).strftime("%a %H:%M")
        for s in report.view.slots
        if s.candidate_label
    }
    assert booked["0001 Siân Evans"].startswith("Tue")
    assert "0002 Łukasz Nowak" not in booked
    assert report.unplaced == (
        ("0002 Łukasz Nowak", "needs 60 extra minutes and no slot leaves room"),
    )
    assert report.placed == 3


def test_a_panel_member_is_never_double_booked_across_campaigns(ctx, interview):
    _campaign, stage, (tom, _hannah) = interview
    _plan(ctx, stage)
    # Tom already interviews for another campaign at 09:00 on Monday.
    other = create_from_template(ctx, "DDAT-DEV-SEO", title="Other", reference="OTHER-1")
    other_stages = stage_svc.stages_overview(ctx, other.id).stages
    other_stage = other_stages[2]
    stage_svc.set_panel(
        ctx,
        other_stage.id,
        [stage_svc.SeatChoice(tom, "chair")],
        expected_version=other_stage.version,
    )
    svc.add_slot(ctx, other_stage.id, starts_at=_london(DAYS[0], 9), minutes=60)
    with ctx.db.session() as session:
        outsider = Candidate(campaign_id=other.id, candidate_number="0001")
        session.add(outsider)
        session.flush()
        session.add(Outcome(stage_id=other_stages[1].id, candidate_id=outsider.id, kind="progress"))
        session.add(
            PersonBusy(
                person_id=tom,
                starts_at=_london(DAYS[1], 9),
                ends_at=_london(DAYS[1], 10),
                reason="Annual leave",
            )
        )
        session.commit()
        outsider_id = outsider.id
    slot = svc.list_slots(ctx, other_stage.id).slots[0]
    svc.assign_slot(ctx, slot.id, outsider_id, expected_version=slot.version)
    report = svc.allocate_stage(ctx, stage.id)
    booked = sorted(
        s.starts_at.astimezone(LONDON).strftime("%a %H:%M")
        for s in report.view.slots
        if s.candidate_label
    )
    assert booked == ["Mon 10:15", "Tue 10:15"]
    # Monday 09:00 clashes with Tom's other interview, Tuesday 09:00 with his leave.
    assert [reason for _c, reason in report.unplaced] == [
        "the panel is busy (Tom Okonkwo: OTHER-1 Video interview) whenever the candidate is free"
    ] * 2


def test_move_swap_cancel_and_notice(ctx, interview):
    _campaign, stage, _people = interview
    _plan(ctx, stage)
    view = svc.allocate_stage(ctx, stage.id).view
    first, second = view.slots[0], view.slots[1]
    swapped = svc.swap_slots(ctx, first.id, second.id)
    assert [s.candidate_label for s in swapped.slots[:2]] == [
        second.candidate_label,
        first.candidate_label,
    ]
    assert swapped.slots[0].version > first.version
    moved = svc.move_slot(
        ctx,
        swapped.slots[3].id,
        starts_at=_london(DAYS[1], 11),
        panel_number=1,
        expected_version=swapped.slots[3].version,
    )
    assert _times(moved)[-1][0] == "Tue 11:00"
    with pytest.raises(ValidationError, match="Panel 1 already has a slot at 09:00"):
        svc.move_slot(
            ctx,
            moved.slots[-1].id,
            starts_at=_london(DAYS[1], 8, 30),
            panel_number=1,
            expected_version=moved.slots[-1].version,
        )
    cancelled = svc.cancel_slot(ctx, moved.slots[0].id, expected_version=moved.slots[0].version)
    assert cancelled.slots[0].status == "cancelled"
    assert len(cancelled.waiting) == 1  # the candidate whose slot went needs another
    stage_view = stage_svc.stages_overview(ctx, _campaign.id).stages[2]
    stage_svc.update_stage(
        ctx,
        stage_view.id,
        {"invitations_on": date(2027, 1, 6)},
        expected_version=stage_view.version,
    )
    flagged = svc.list_slots(ctx, stage.id).findings
    # Invitations on Wednesday 6 January give 3 working days before Monday 11 January.
    assert [f.message for f in flagged][:1] == [
        f"{cancelled.slots[1].candidate_label} on Monday 11 January 2027 at 10:15 gets 3 "
        "working days' notice; the minimum is 5."
    ]


def test_calendar_files_for_panel_candidates_and_the_schedule(ctx, interview, tmp_path):
    _campaign, stage, _people = interview
    stage_svc.update_stage(
        ctx,
        stage.id,
        {"video_link": "https://meet.example.org/dev-1"},
        expected_version=stage.version,
    )
    _plan(ctx, stage_svc.stages_overview(ctx, _campaign.id).stages[2])
    view = svc.allocate_stage(ctx, stage.id).view
    svc.cancel_slot(ctx, view.slots[3].id, expected_version=view.slots[3].version)
    written = svc.export_calendars(ctx, stage.id, tmp_path)
    names = sorted(p.name for p in written)
    key = _uid_key(view.slots[3].uid)
    assert names == [
        "DEV-1-video-interview-candidate-0001.ics",
        "DEV-1-video-interview-candidate-0002.ics",
        "DEV-1-video-interview-candidate-0003.ics",
        f"DEV-1-video-interview-candidate-0004-cancelled-{key}.ics",
        f"DEV-1-video-interview-panel-hannah-lee-cancelled-{key}.ics",
        "DEV-1-video-interview-panel-hannah-lee.ics",
        f"DEV-1-video-interview-panel-tom-okonkwo-cancelled-{key}.ics",
        "DEV-1-video-interview-panel-tom-okonkwo.ics",
        "DEV-1-video-interview-schedule.ics",
    ]
    schedule = icalendar.Calendar.from_ical((tmp_path / names[-1]).read_bytes())
    events = [e for e in schedule.walk("VEVENT")]
    assert len(events) == 4
    first = events[0]
    assert first["DTSTART"].dt == datetime(2027, 1, 11, 9, 0, tzinfo=LONDON)
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert str(first["SUMMARY"]) == "Video interview: 0001 Siân Evans (DEV-1)"
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED"] * 3 + ["CANCELLED"]
    invitation = icalendar.Calendar.from_ical(
        (tmp_path / "DEV-1-video-interview-candidate-0002.ics").read_bytes()
    )
    event = next(iter(invitation.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Video interview for Developer (DEV-1)"
    assert "https://meet.example.org/dev-1" in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == "mailto:c2@example.com"
    # Re-exporting keeps the same UIDs, so calendars update rather than duplicate.
    again = svc.export_calendars(ctx, stage.id, tmp_path / "again")
    again_events = icalendar.Calendar.from_ical(
        next(p for p in again if p.name.endswith("schedule.ics")).read_bytes()
    ).walk("VEVENT")
    assert [str(e["UID"]) for e in again_events] == [str(e["UID"]) for e in events]


def _calendar(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return calendar, list(calendar.walk("VEVENT"))


def _uid_key(uid: str) -> str:
    return uid.split("@")[0][:8]


def test_a_cancelled_and_rebooked_candidate_gets_both_the_cancellation_and_the_invitation(
    ctx, interview, tmp_path
):
    _campaign, stage, _people = interview
    _plan(ctx, stage)
    view = svc.allocate_stage(ctx, stage.id).view
    svc.export_calendars(ctx, stage.id, tmp_path / "before")
    first = next(s for s in view.slots if s.candidate_label == "0002 Łukasz Nowak")
    # An extra slot in summer (BST), so the new time's offset differs from the old one's.
    summer = date(2027, 6, 14)
    added = svc.add_slot(ctx, stage.id, starts_at=_london(summer, 14, 30), minutes=45)
    extra = next(s for s in added.slots if s.candidate_id is None)
    svc.cancel_slot(ctx, first.id, expected_version=first.version)
    svc.assign_slot(ctx, extra.id, first.candidate_id, expected_version=extra.version)

    written = svc.export_calendars(ctx, stage.id, tmp_path / "after")
    assert len({p.name for p in written}) == len(written)  # no file overwrote another
    mine = sorted(p.name for p in written if "-candidate-0002" in p.name)
    cancellation_name = f"DEV-1-video-interview-candidate-0002-cancelled-{_uid_key(first.uid)}.ics"
    assert mine == [cancellation_name, "DEV-1-video-interview-candidate-0002.ics"]

    cancel, (cancelled,) = _calendar(tmp_path / "after" / cancellation_name)
    _before, (original,) = _calendar(
        tmp_path / "before" / "DEV-1-video-interview-candidate-0002.ics"
    )
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(original["UID"]) == f"candidate-{first.uid}"
    assert cancelled["SEQUENCE"] > original["SEQUENCE"]
    assert cancelled["DTSTART"].dt == datetime(2027, 1, 11, 10, 15, tzinfo=LONDON)
    assert cancelled["DTEND"].dt == datetime(2027, 1, 11, 11, 15, tzinfo=LONDON)
    assert cancelled["DTSTART"].params["TZID"] == "Europe/London"
    assert str(cancelled["ATTENDEE"]) == "mailto:c2@example.com"

    request, (invited,) = _calendar(tmp_path / "after" / "DEV-1-video-interview-candidate-0002.ics")
    assert str(request["METHOD"]) == "REQUEST"
    assert str(invited["STATUS"]) == "CONFIRMED"
    assert str(invited["UID"]) == f"candidate-{extra.uid}"
    assert invited["DTSTART"].dt == datetime(2027, 6, 14, 14, 30, tzinfo=LONDON)
    assert invited["DTEND"].dt == datetime(2027, 6, 14, 15, 15, tzinfo=LONDON)
    assert invited["DTSTART"].params["TZID"] == invited["DTEND"].params["TZID"] == "Europe/London"
    raw = (tmp_path / "after" / "DEV-1-video-interview-candidate-0002.ics").read_bytes()
    assert b"DTSTART;TZID=Europe/London:20270614T143000\r\n" in raw
    assert b"DTEND;TZID=Europe/London:20270614T151500\r\n" in raw


def test_a_panel_members_cancelled_slot_is_sent_to_them_as_a_cancellation(ctx, interview, tmp_path):
    _campaign, stage, _people = interview
    _plan(ctx, stage)
    view = svc.allocate_stage(ctx, stage.id).view
    svc.export_calendars(ctx, stage.id, tmp_path / "before")
    gone = view.slots[1]  # Monday 10:15
    svc.cancel_slot(ctx, gone.id, expected_version=gone.version)
    written = svc.export_calendars(ctx, stage.id, tmp_path / "after")
    names = sorted(p.name for p in written if "-panel-" in p.name)
    key = _uid_key(gone.uid)
    assert names == [
        f"DEV-1-video-interview-panel-hannah-lee-cancelled-{key}.ics",
        "DEV-1-video-interview-panel-hannah-lee.ics",
        f"DEV-1-video-interview-panel-tom-okonkwo-cancelled-{key}.ics",
        "DEV-1-video-interview-panel-tom-okonkwo.ics",
    ]
    folder = tmp_path / "after"
    _before, before_events = _calendar(tmp_path / "before" / names[3])
    original = next(e for e in before_events if str(e["UID"]) == gone.uid)

    cancel, (cancelled,) = _calendar(folder / names[2])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == gone.uid  # the panel's own event, not the candidate's
    assert cancelled["SEQUENCE"] == original["SEQUENCE"] + 1
    assert cancelled["DTSTART"].dt == datetime(2027, 1, 11, 10, 15, tzinfo=LONDON)
    assert cancelled["DTEND"].dt == datetime(2027, 1, 11, 11, 15, tzinfo=LONDON)
    assert cancelled["DTSTART"].params["TZID"] == "Europe/London"
    assert sorted(str(a) for a in cancelled["ATTENDEE"]) == [
        "mailto:hannah@example.org",
        "mailto:tom@example.org",
    ]

    # The invitation file holds the live interviews only, each confirmed.
    request, events = _calendar(folder / names[3])
    assert str(request["METHOD"]) == "REQUEST"
    assert [(e["DTSTART"].dt, str(e["STATUS"])) for e in events] == [
        (datetime(2027, 1, 11, 9, 0, tzinfo=LONDON), "CONFIRMED"),
        (datetime(2027, 1, 12, 9, 0, tzinfo=LONDON), "CONFIRMED"),
        (datetime(2027, 1, 12, 10, 15, tzinfo=LONDON), "CONFIRMED"),
    ]
    assert gone.uid not in {str(e["UID"]) for e in events}
