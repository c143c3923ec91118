"""Timetable checks: bank holidays by region, date order, the list view and London dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.timetable import (
    REGIONS,
    Timetable,
    TimetableEntry,
    bank_holidays,
    check_timetable,
    clean_event,
    closing_day_finding,
    entries,
    london_date,
    long_date,
    lost_working_days,
)
from recruit_app.errors import ValidationError

ENGLAND_2023 = bank_holidays("england-and-wales", [2023])

SIFT = TimetableEntry("stage:1", "CV sift", date(2023, 5, 17), date(2023, 5, 19), "stage")
INTERVIEW = TimetableEntry("stage:2", "Interview", date(2023, 5, 30), date(2023, 6, 2), "stage")
EVENT = TimetableEntry("event:1", "Information event", date(2023, 5, 3))


def sound() -> Timetable:
    return Timetable(
        opens_at=datetime(2023, 5, 2, 8, 0, tzinfo=UTC),  # Tuesday, 09:00 in London
        closes_at=datetime(2023, 5, 16, 22, 59, tzinfo=UTC),  # Tuesday, 23:59 in London
        stages=(SIFT, INTERVIEW),
        decisions_on=date(2023, 6, 6),
        expected_start_on=date(2023, 7, 3),
        events=(EVENT,),
    )


def found(t: Timetable) -> list[tuple[str, str, str]]:
    return [(f.severity, f.field, f.message) for f in check_timetable(t, ENGLAND_2023)]


# --- bank holidays ---------------------------------------------------------------------


def test_regions():
    assert REGIONS == {
        "england-and-wales": "England and Wales",
        "scotland": "Scotland",
        "northern-ireland": "Northern Ireland",
    }


def test_england_and_wales_bank_holidays_use_gov_uk_names():
    assert ENGLAND_2023[date(2023, 5, 29)] == "Spring bank holiday"
    assert ENGLAND_2023[date(2023, 5, 1)] == "Early May bank holiday"
    assert ENGLAND_2023[date(2023, 8, 28)] == "Summer bank holiday"
    assert ENGLAND_2023[date(2023, 1, 2)] == "New Year's Day (substitute day)"
    assert date(2023, 1, 1) in ENGLAND_2023  # a Sunday, but still the holiday itself


def test_christmas_2026_falls_on_a_friday():
    days = bank_holidays("england-and-wales", [2026])
    assert days[date(2026, 12, 25)] == "Christmas Day"
    assert date(2026, 12, 25).weekday() == 4
    assert days[date(2026, 12, 28)] == "Boxing Day (substitute day)"


def test_scotland_only_holidays():
    scotland = bank_holidays("scotland", [2025, 2026])
    england = bank_holidays("england-and-wales", [2025, 2026])
    assert scotland[date(2026, 1, 2)] == "2nd January"
    assert scotland[date(2025, 12, 1)] == "St Andrew's Day (substitute day)"
    assert date(2026, 1, 2) not in england
    assert date(2025, 12, 1) not in england
    # England's summer bank holiday is at the end of August, Scotland's at the start.
    assert date(2026, 8, 31) in england and date(2026, 8, 31) not in scotland
    assert scotland[date(2026, 8, 3)] == "Summer bank holiday"


def test_northern_ireland_holidays():
    northern_ireland = bank_holidays("northern-ireland", [2023])
    assert northern_ireland[date(2023, 3, 17)] == "St Patrick's Day"
    assert northern_ireland[date(2023, 7, 12)] == "Battle of the Boyne (Orangemen's Day)"
    assert date(2023, 3, 17) not in ENGLAND_2023


def test_unknown_region():
    with pytest.raises(ValidationError) as raised:
        bank_holidays("wales", [2023])
    assert raised.value.field == "region"


# --- dates in words and in London ------------------------------------------------------


def test_long_date():
    assert long_date(date(2023, 5, 29)) == "Monday 29 May 2023"
    assert long_date(date(2026, 12, 25)) == "Friday 25 December 2026"


def test_a_late_summer_closing_time_is_the_next_day_in_london():
    closes = datetime(2023, 6, 30, 23, 30, tzinfo=UTC)
    assert london_date(closes) == date(2023, 7, 1)
    winter = datetime(2023, 12, 1, 23, 30, tzinfo=UTC)
    assert london_date(winter) == date(2023, 12, 1)
    t = Timetable(opens_at=datetime(2023, 6, 1, 8, tzinfo=UTC), closes_at=closes)
    closing = next(e for e in entries(t) if e.kind == "closes")
    assert closing.starts_on == date(2023, 7, 1)


# --- the list view ---------------------------------------------------------------------


def test_entries_are_in_date_order():
    t = replace(
        sound(),
        stages=(SIFT, INTERVIEW, TimetableEntry("stage:3", "Checks", None, kind="stage")),
    )
    assert [(e.key, e.starts_on) for e in entries(t)] == [
        ("opens", date(2023, 5, 2)),
        ("event:1", date(2023, 5, 3)),
        ("closes", date(2023, 5, 16)),
        ("stage:1", date(2023, 5, 17)),
        ("stage:2", date(2023, 5, 30)),
        ("decisions", date(2023, 6, 6)),
        ("start", date(2023, 7, 3)),
        ("stage:3", None),
    ]
    kinds = {e.key: e.kind for e in entries(t)}
    assert (kinds["opens"], kinds["closes"], kinds["decisions"], kinds["start"]) == (
        "opens",
        "closes",
        "decision",
        "start",
    )


def test_entries_of_an_empty_timetable_are_undated():
    assert [e.key for e in entries(Timetable())] == ["opens", "closes", "decisions", "start"]


# --- errors ----------------------------------------------------------------------------


def test_a_sound_timetable_has_no_findings():
    assert found(sound()) == []
    assert check_timetable(Timetable(), ENGLAND_2023) == []


def test_stage_ending_before_it_starts():
    backwards = replace(INTERVIEW, ends_on=date(2023, 5, 26))
    assert found(replace(sound(), stages=(SIFT, backwards))) == [
        (
            "error",
            "stage:1",
            "Interview ends on Friday 26 May 2023, before it starts on Tuesday 30 May 2023.",
        )
    ]


def test_closing_before_opening():
    t = replace(sound(), closes_at=datetime(2023, 5, 1, 22, 59, tzinfo=UTC))
    assert found(t)[0] == (
        "error",
        "closes_at",
        "The advert closes on Monday 1 May 2023 at 23:59, before it opens on Tuesday 2 May 2023 "
        "at 09:00.",
    )


def test_closing_when_it_opens_is_an_error():
    moment = datetime(2023, 5, 2, 8, 0, tzinfo=UTC)
    t = Timetable(opens_at=moment, closes_at=moment)
    assert [f.field for f in check_timetable(t, ENGLAND_2023)] == ["closes_at"]


def test_stage_starting_before_the_advert_closes():
    early = replace(SIFT, starts_on=date(2023, 5, 15))
    assert found(replace(sound(), stages=(early, INTERVIEW))) == [
        (
            "error",
            "stage:0",
            "CV sift starts on Monday 15 May 2023, before the advert closes on "
            "Tuesday 16 May 2023.",
        )
    ]


def test_stage_starting_on_the_closing_day_is_a_warning():
    same_day = replace(SIFT, starts_on=date(2023, 5, 16))
    assert found(replace(sound(), stages=(same_day, INTERVIEW))) == [
        (
            "warning",
            "stage:0",
            "CV sift starts on the closing day, Tuesday 16 May 2023; applications can still "
            "arrive that day, so start it the day after.",
        )
    ]


def test_stage_starting_before_the_previous_stage():
    early = replace(INTERVIEW, starts_on=date(2023, 5, 17), ends_on=date(2023, 5, 17))
    late_sift = replace(SIFT, starts_on=date(2023, 5, 18))
    assert found(replace(sound(), stages=(late_sift, early))) == [
        (
            "error",
            "stage:1",
            "Interview starts on Wednesday 17 May 2023, before the stage ahead of it, CV sift, "
            "starts on Thursday 18 May 2023.",
        )
    ]


def test_overlapping_stages_are_a_warning():
    overlapping = replace(INTERVIEW, starts_on=date(2023, 5, 18))
    assert found(replace(sound(), stages=(SIFT, overlapping))) == [
        (
            "warning",
            "stage:1",
            "Interview starts on Thursday 18 May 2023, before CV sift ends on Friday 19 May 2023.",
        ),
        # Starting earlier, the interviews now run over the Spring bank holiday too.
        (
            "warning",
            "stage:1",
            "Monday 29 May 2023 is a bank holiday (Spring bank holiday), and Interview runs "
            "that day.",
        ),
    ]
    # Starting on the day the previous stage ends is not an overlap.
    touching = replace(INTERVIEW, starts_on=date(2023, 5, 19), ends_on=date(2023, 5, 26))
    assert found(replace(sound(), stages=(SIFT, touching))) == []


def test_things_before_the_advert_opens():
    t = Timetable(
        opens_at=datetime(2023, 5, 2, 8, 0, tzinfo=UTC),
        stages=(replace(SIFT, starts_on=date(2023, 4, 27), ends_on=None),),
        decisions_on=date(2023, 4, 28),
        expected_start_on=date(2023, 4, 28),
        events=(replace(EVENT, starts_on=date(2023, 4, 26)),),
    )
    assert found(t) == [
        (
            "error",
            "stage:0",
            "CV sift starts on Thursday 27 April 2023, before the advert opens on "
            "Tuesday 2 May 2023.",
        ),
        (
            "error",
            "decisions_on",
            "Decisions are due on Friday 28 April 2023, before the advert opens on "
            "Tuesday 2 May 2023.",
        ),
        (
            "error",
            "expected_start_on",
            "The expected start date is on Friday 28 April 2023, before the advert opens on "
            "Tuesday 2 May 2023.",
        ),
        (
            "error",
            "event:0",
            "Information event is on Wednesday 26 April 2023, before the advert opens on "
            "Tuesday 2 May 2023.",
        ),
    ]


def test_decisions_before_the_last_stage_ends():
    t = replace(sound(), decisions_on=date(2023, 6, 1))
    assert found(t) == [
        (
            "error",
            "decisions_on",
            "Decisions are due on Thursday 1 June 2023, before the last stage ends on "
            "Friday 2 June 2023.",
        )
    ]


def test_decisions_before_closing_when_there_are_no_stages():
    t = replace(sound(), stages=(), decisions_on=date(2023, 5, 15))
    assert found(t) == [
        (
            "error",
            "decisions_on",
            "Decisions are due on Monday 15 May 2023, before the advert closes on "
            "Tuesday 16 May 2023.",
        )
    ]


def test_start_before_decisions():
    t = replace(sound(), expected_start_on=date(2023, 6, 5))
    assert found(t) == [
        (
            "error",
            "expected_start_on",
            "The expected start date, Monday 5 June 2023, is before decisions are due on "
            "Tuesday 6 June 2023.",
        )
    ]
    no_decisions = replace(sound(), decisions_on=None, expected_start_on=date(2023, 6, 1))
    assert found(no_decisions) == [
        (
            "error",
            "expected_start_on",
            "The expected start date, Thursday 1 June 2023, is before the last stage ends on "
            "Friday 2 June 2023.",
        )
    ]


# --- warnings for days off -------------------------------------------------------------


def test_stage_on_a_bank_holiday_names_it():
    on_holiday = replace(INTERVIEW, starts_on=date(2023, 5, 29))
    assert found(replace(sound(), stages=(SIFT, on_holiday))) == [
        (
            "warning",
            "stage:1",
            "Monday 29 May 2023 is a bank holiday (Spring bank holiday), and Interview starts "
            "that day.",
        )
    ]


def test_weekend_dates_are_warnings():
    t = replace(
        sound(),
        closes_at=datetime(2023, 5, 14, 22, 59, tzinfo=UTC),  # Sunday in London
        stages=(replace(SIFT, ends_on=date(2023, 5, 20)), INTERVIEW),
        decisions_on=date(2023, 6, 10),
        expected_start_on=date(2023, 7, 1),
        events=(replace(EVENT, starts_on=date(2023, 5, 6)),),
    )
    assert found(t) == [
        (
            "warning",
            "closes_at",
            "Sunday 14 May 2023 falls at a weekend, and the advert closes that day.",
        ),
        (
            "warning",
            "stage:0",
            "Saturday 20 May 2023 falls at a weekend, and CV sift ends that day.",
        ),
        (
            "warning",
            "decisions_on",
            "Saturday 10 June 2023 falls at a weekend, and decisions are due that day.",
        ),
        (
            "warning",
            "expected_start_on",
            "Saturday 1 July 2023 falls at a weekend, and it is the expected start date.",
        ),
        (
            "warning",
            "event:0",
            "Saturday 6 May 2023 falls at a weekend, and Information event starts that day.",
        ),
    ]


def test_christmas_start_date_in_2026():
    days = bank_holidays("england-and-wales", [2026])
    t = Timetable(
        closes_at=datetime(2026, 11, 30, 23, 59, tzinfo=UTC),
        expected_start_on=date(2026, 12, 25),
    )
    assert [f.message for f in check_timetable(t, days)] == [
        "Friday 25 December 2026 is a bank holiday (Christmas Day), and it is the expected "
        "start date."
    ]


# --- every day of a window, and holidays at weekends ------------------------------------

KENT_2020 = bank_holidays("england-and-wales", [2020, 2021])


def test_the_holiday_tables_name_substitute_days():
    # The `holidays` package calls them "(observed)"; GOV.UK calls them substitute days.
    assert KENT_2020[date(2020, 12, 26)] == "Boxing Day"  # a Saturday
    assert KENT_2020[date(2020, 12, 28)] == "Boxing Day (substitute day)"


def test_every_day_of_a_stage_window_is_checked_for_bank_holidays():
    # Kent's graduate sift of 2020: 22 December 2020 to 4 January 2021.
    sift = TimetableEntry("stage:0", "First sift", date(2020, 12, 22), date(2021, 1, 4), "stage")
    t = Timetable(closes_at=datetime(2020, 12, 21, 23, 59, tzinfo=UTC), stages=(sift,))
    assert [(f.severity, f.kind, f.field, f.message) for f in check_timetable(t, KENT_2020)] == [
        (
            "warning",
            "non-working-day",
            "stage:0",
            "Friday 25 December 2020 is a bank holiday (Christmas Day), and First sift runs "
            "that day.",
        ),
        (
            "warning",
            "non-working-day",
            "stage:0",
            "Monday 28 December 2020 is a bank holiday (Boxing Day (substitute day)), and "
            "First sift runs that day.",
        ),
        (
            "warning",
            "non-working-day",
            "stage:0",
            "Friday 1 January 2021 is a bank holiday (New Year's Day), and First sift runs "
            "that day.",
        ),
    ]


def test_a_window_starting_and_ending_on_holidays_names_each_once():
    window = TimetableEntry("stage:0", "Sift", date(2020, 12, 25), date(2021, 1, 1), "stage")
    t = Timetable(stages=(window,))
    assert [f.message for f in check_timetable(t, KENT_2020)] == [
        "Friday 25 December 2020 is a bank holiday (Christmas Day), and Sift starts that day.",
        "Monday 28 December 2020 is a bank holiday (Boxing Day (substitute day)), and Sift "
        "runs that day.",
        "Friday 1 January 2021 is a bank holiday (New Year's Day), and Sift ends that day.",
    ]


def test_an_event_window_is_checked_like_a_stage():
    event = TimetableEntry("event:0", "Assessment centre", date(2021, 3, 29), date(2021, 4, 6))
    t = Timetable(events=(event,))
    assert [f.message for f in check_timetable(t, KENT_2020)] == [
        "Friday 2 April 2021 is a bank holiday (Good Friday), and Assessment centre runs that day.",
        "Monday 5 April 2021 is a bank holiday (Easter Monday), and Assessment centre runs "
        "that day.",
    ]


def test_a_holiday_at_a_weekend_is_not_a_lost_working_day():
    # Boxing Day 2020 is a Saturday: the lost working day is Monday 28 December.
    window = TimetableEntry("stage:0", "Sift", date(2020, 12, 26), date(2020, 12, 27), "stage")
    t = Timetable(stages=(window,))
    assert [f.message for f in check_timetable(t, KENT_2020)] == [
        "Saturday 26 December 2020 falls at a weekend (Boxing Day), and Sift starts that day.",
        "Sunday 27 December 2020 falls at a weekend, and Sift ends that day.",
    ]
    assert lost_working_days(date(2020, 12, 24), date(2020, 12, 31), KENT_2020) == [
        date(2020, 12, 25),
        date(2020, 12, 28),
    ]


def test_one_rule_for_the_closing_day():
    sunday = datetime(2023, 5, 14, 22, 59, tzinfo=UTC)  # Sunday 23:59 in London
    bank_holiday = datetime(2023, 5, 29, 22, 59, tzinfo=UTC)
    working = datetime(2023, 5, 16, 22, 59, tzinfo=UTC)
    assert closing_day_finding(sunday, ENGLAND_2023) == Finding(
        "warning",
        "non-working-day",
        "closes_at",
        "Sunday 14 May 2023 falls at a weekend, and the advert closes that day.",
    )
    assert closing_day_finding(bank_holiday, ENGLAND_2023) == Finding(
        "warning",
        "non-working-day",
        "closes_at",
        "Monday 29 May 2023 is a bank holiday (Spring bank holiday), and the advert closes "
        "that day.",
    )
    assert closing_day_finding(working, ENGLAND_2023) is None
    assert closing_day_finding(None, ENGLAND_2023) is None
    # The timetable reports the same finding for the same closing time.
    for moment in (sunday, bank_holiday):
        t = Timetable(closes_at=moment)
        assert check_timetable(t, ENGLAND_2023) == [closing_day_finding(moment, ENGLAND_2023)]


def test_an_event_is_checked_by_one_rule_for_the_screen_and_the_campaign_file():
    assert clean_event("  Information\n event ", date(2027, 5, 5), None) == "Information event"
    for title, ends_on, note, field in (
        ("", None, "", "title"),
        ("x" * 201, None, "", "title"),
        ("Fair\x00", None, "", "title"),
        ("Fair", None, "Room\x004", "note"),
        ("Fair", date(2027, 5, 4), "", "ends_on"),
    ):
        with pytest.raises(ValidationError) as raised:
            clean_event(title, date(2027, 5, 5), ends_on, note)
        assert raised.value.field == field
