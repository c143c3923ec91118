"""The demo campaign: facts of the seed advert, dates moved to be current."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import Advert, Campaign, Candidate, Stage
from recruit_app.services.demo import build_demo

LONDON = ZoneInfo("Europe/London")


def _load(ctx):
    with ctx.db.session() as session:
        campaign = session.exec(select(Campaign).where(Campaign.reference == "283922")).one()
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign.id)).one()
        stages = session.exec(
            select(Stage).where(Stage.campaign_id == campaign.id).order_by(Stage.position)
        ).all()
        candidates = session.exec(
            select(Candidate).where(Candidate.campaign_id == campaign.id)
        ).all()
    return campaign, advert, stages, candidates


def test_demo_in_winter_keeps_weekdays_and_gaps(ctx):
    report = build_demo(ctx, today=date(2026, 11, 25))
    assert report.created and report.shift_days == 1288
    campaign, advert, stages, candidates = _load(ctx)
    assert (campaign.title, campaign.status) == ("Software Developer", "live")
    assert advert.grade == "Senior Executive Officer"
    assert advert.pay_zones == [
        {"zone": "National", "min": 39000, "max": 42900},
        {"zone": "London", "min": 43000, "max": 47300},
    ]
    assert advert.locations == ["Glasgow", "Manchester", "Sheffield", "Croydon", "Hendon"]
    assert advert.posts == 2 and advert.reserve_list_months == 12
    # Thursday 4 May 2023 23:55 moved 184 weeks: Thursday 12 November 2026 23:55 London (GMT).
    assert advert.closes_at.astimezone(LONDON) == datetime(2026, 11, 12, 23, 55, tzinfo=LONDON)
    assert advert.opens_at.astimezone(LONDON) == datetime(2026, 10, 28, 9, 0, tzinfo=LONDON)
    assert [(s.name, s.kind, s.starts_on, s.ends_on, s.name_blind) for s in stages] == [
        ("CV sift", "sift", date(2026, 11, 16), date(2026, 11, 20), True),
        ("Technical exercise", "technical_exercise", date(2026, 11, 23), date(2026, 11, 27), False),
        ("Video interview", "video_interview", date(2026, 12, 7), date(2026, 12, 11), False),
    ]
    assert len(candidates) == 40
    assert len({c.candidate_number for c in candidates}) == 40
    names = {f"{c.first_name} {c.last_name}" for c in candidates}
    assert {"Siân Evans", "Łukasz Nowak", "Niamh O'Brien", "Zoë Clarke"} <= names
    assert sum(c.guaranteed_interview for c in candidates) == 1


def test_demo_in_summer_converts_london_time_to_utc(ctx):
    build_demo(ctx, today=date(2027, 6, 16))
    _campaign, advert, stages, _candidates = _load(ctx)
    local = advert.closes_at.astimezone(LONDON)
    assert (local.weekday(), local.hour, local.minute) == (3, 23, 55)
    assert advert.closes_at.utcoffset().total_seconds() == 0  # stored and returned in UTC
    assert advert.closes_at.hour == 22  # 23:55 BST is 22:55 UTC
    assert stages[0].starts_on == date(2027, 6, 7)


def test_reset_rebuilds_without_duplicates(ctx):
    build_demo(ctx, today=date(2026, 11, 25))
    again = build_demo(ctx, today=date(2026, 11, 25))
    assert again.created is False
    rebuilt = build_demo(ctx, today=date(2026, 11, 25), reset=True)
    assert rebuilt.created is True
    with ctx.db.session() as session:
        assert len(session.exec(select(Campaign)).all()) == 1
        assert len(session.exec(select(Candidate)).all()) == 40


def test_demo_has_panels_timetable_and_planned_interviews(ctx):
    from recruit_app.services import slots, stages, timetable

    build_demo(ctx, today=date(2026, 11, 25))
    campaign, _advert, _stages, candidates = _load(ctx)
    overview = stages.stages_overview(ctx, campaign.id)
    assert [len(s.panel) for s in overview.stages] == [3, 2, 3]
    assert [f for f in overview.findings if f.severity == "error"] == []
    interview = overview.stages[2]
    view = slots.list_slots(ctx, interview.id)
    booked = {s.candidate_label: s for s in view.slots if s.candidate_label}
    assert len(booked) == 8 and view.waiting == ()
    mohammed = booked["0009 Mohammed Al-Sayed"].starts_at.astimezone(LONDON).date()
    unavailable = next(c for c in candidates if c.candidate_number == "0009").unavailable_dates
    assert unavailable == ["2026-12-08", "2026-12-09"] and mohammed.isoformat() not in unavailable
    assert "0005 Chidi Okafor" in booked  # under the guaranteed interview scheme
    assert view.findings == ()  # invitations go out in time: at least 5 working days' notice
    dates = timetable.get_timetable(ctx, campaign.id)
    assert dates.decisions_on == date(2026, 12, 18)
    assert dates.expected_start_on == date(2027, 1, 11)
    assert [f.severity for f in dates.findings] == []


def test_a_demo_built_before_christmas_keeps_every_key_date_off_bank_holidays(ctx):
    from recruit_app.domain.timetable import bank_holidays
    from recruit_app.services import slots, stages, timetable

    # The week of 7 December 2026: three weeks on, the interviews would meet Christmas Day,
    # then the Boxing Day substitute and New Year's Day, so they move on to 4 January.
    build_demo(ctx, today=date(2026, 12, 7))
    campaign, advert, rows, candidates = _load(ctx)
    assert [(s.name, s.starts_on, s.ends_on) for s in rows] == [
        ("CV sift", date(2026, 11, 30), date(2026, 12, 4)),
        ("Technical exercise", date(2026, 12, 7), date(2026, 12, 11)),
        ("Video interview", date(2027, 1, 4), date(2027, 1, 8)),
    ]
    assert advert.closes_at.astimezone(LONDON) == datetime(2026, 11, 26, 23, 55, tzinfo=LONDON)
    dates = timetable.get_timetable(ctx, campaign.id)
    assert (dates.decisions_on, dates.expected_start_on) == (date(2027, 1, 15), date(2027, 2, 8))
    assert dates.findings == ()  # nothing out of order, nothing on a day off
    interview = stages.stages_overview(ctx, campaign.id).stages[2]
    view = slots.list_slots(ctx, interview.id)
    holidays = bank_holidays("england-and-wales", [2026, 2027])
    days = {s.starts_at.astimezone(LONDON).date() for s in view.slots}
    assert days == {date(2027, 1, d) for d in range(4, 9)}
    assert not days & set(holidays)
    assert view.findings == () and view.waiting == ()
    # Unavailable days move with the interviews they were chosen to clash with.
    unavailable = next(c for c in candidates if c.candidate_number == "0009").unavailable_dates
    assert unavailable == ["2027-01-05", "2027-01-06"]
