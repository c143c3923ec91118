"""Date shifting for the demo: whole weeks, same weekdays and gaps."""

from datetime import date, timedelta
from itertools import pairwise

from recruit_app.domain.dates import monday_of, whole_weeks_between
from recruit_app.services.demo import demo_shift


def test_monday_of():
    assert monday_of(date(2026, 11, 23)) == date(2026, 11, 23)
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)


def test_whole_weeks_between_keeps_the_weekday():
    shift = whole_weeks_between(date(2023, 5, 3), date(2026, 11, 26))
    assert shift.days % 7 == 0
    assert (date(2023, 5, 3) + shift).weekday() == date(2023, 5, 3).weekday()
    assert date(2023, 5, 3) + shift == date(2026, 11, 25)


def test_demo_sift_week_is_the_week_before_today():
    today = date(2026, 11, 25)  # a Wednesday
    shift = demo_shift(today)
    assert date(2023, 5, 8) + shift == date(2026, 11, 16)
    assert shift == timedelta(days=1288)


def test_dates_in_words_ignore_the_machine_locale():
    import locale

    from recruit_app.domain.dates import day_and_month, long_date, plain_date, short_date

    day = date(2023, 5, 29)
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("fr_FR.UTF-8", "de_DE.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue  # not installed here; the C locale still checks the words
        assert long_date(day) == "Monday 29 May 2023"
        assert plain_date(day) == "29 May 2023"
        assert short_date(day) == "Mon 29 May 2023"
        assert day_and_month(day) == "29 May"
    finally:
        locale.setlocale(locale.LC_TIME, before)


# --- the demo's dates never fall on a day off -------------------------------------------


def _seed_days() -> dict[str, list[date]]:
    """Every date the demo schedules, read from its seed, by what it is."""
    from datetime import datetime

    from recruit_app.library import load_json

    seed = load_json("demo_campaign.json")

    def window(first: str, last: str) -> list[date]:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]

    days = {
        "advert": [
            datetime.fromisoformat(seed["advert"][key]).date() for key in ("opens_at", "closes_at")
        ],
        "decisions": [date.fromisoformat(seed["timetable"]["decisions_on"])],
        "start": [date.fromisoformat(seed["timetable"]["expected_start_on"])],
        "events": [
            day
            for event in seed["timetable"]["events"]
            for day in window(event["starts_on"], event.get("ends_on") or event["starts_on"])
        ],
        "invitations": [date.fromisoformat(seed["interviews"]["invitations_on"])],
        "interviews": [date.fromisoformat(d) for d in seed["interviews"]["plan"]["days"]],
    }
    for name, (first, last) in seed["stage_dates"].items():
        days[f"stage {name}"] = window(first, last)
    return days


def test_the_demo_never_puts_a_key_date_on_a_weekend_or_bank_holiday():
    from recruit_app.domain.timetable import bank_holidays
    from recruit_app.services.demo import DEMO_REGION, demo_dates

    holidays = bank_holidays(DEMO_REGION, range(2025, 2032))
    seed = _seed_days()
    ordered = sorted({d for days in seed.values() for d in days})
    sift = date.fromisoformat("2023-05-08")
    today = date(2026, 1, 1)
    while today < date(2031, 1, 1):
        dates = demo_dates(today)
        for what, days in seed.items():
            for day in days:
                moved = dates.day(day)
                assert moved.weekday() < 5, (today, what, moved)
                assert moved not in holidays, (today, what, moved, holidays.get(moved))
                # Whole weeks: the weekday never changes.
                assert moved.weekday() == day.weekday(), (today, what)
        moved = [dates.day(d) for d in ordered]
        # Nothing changes order, and no gap shrinks.
        assert all(
            (b - a) >= (nb - na)
            for (a, b), (na, nb) in zip(pairwise(moved), pairwise(ordered), strict=True)
        ), today
        # The sift lies behind: in the week before today, or a week or two earlier when a
        # bank holiday would fall in it; the interviews still lie ahead or are under way.
        sift_on = dates.day(sift)
        last_week = monday_of(today) - timedelta(weeks=1)
        assert last_week - timedelta(weeks=2) <= sift_on <= last_week, today
        interviews_end = max(dates.day(d) for d in seed["interviews"])
        assert interviews_end >= monday_of(today), today
        today += timedelta(days=1)


def test_the_demo_moves_a_block_that_meets_a_bank_holiday_on_by_whole_weeks():
    from recruit_app.services.demo import demo_dates

    # Built on Monday 7 December 2026, the sift is the week of 30 November, and the
    # interviews would fall in Christmas week (Christmas Day is a Friday) and then in the
    # week of the Boxing Day substitute and New Year's Day: they move on to 4 January.
    dates = demo_dates(date(2026, 12, 7))
    assert dates.day(date(2023, 5, 8)) == date(2026, 11, 30)  # the sift starts
    assert dates.day(date(2023, 5, 15)) == date(2026, 12, 7)  # the technical exercise
    assert dates.day(date(2023, 5, 29)) == date(2027, 1, 4)  # the interviews
    assert dates.day(date(2023, 6, 2)) == date(2027, 1, 8)
    assert dates.day(date(2023, 5, 31)) == date(2027, 1, 6)  # an unavailable date moves too
    assert dates.day(date(2023, 6, 9)) == date(2027, 1, 15)  # decisions
    assert dates.day(date(2023, 7, 3)) == date(2027, 2, 8)  # the start date
    assert dates.shift == demo_shift(date(2026, 12, 7))
