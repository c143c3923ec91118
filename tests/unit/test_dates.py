"""Date shifting for the demo: whole weeks, same weekdays and gaps."""

from datetime import date, timedelta

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
