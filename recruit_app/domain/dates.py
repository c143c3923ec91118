"""Date arithmetic the rules share, and dates in British English words.

The words never come from strftime's %a, %b or %B: those follow the C library's locale,
which Qt sets from the desktop's settings, so a French desktop would put "mai" into an
English letter.
"""

from __future__ import annotations

from datetime import date, timedelta

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """ "Monday 29 May 2023"."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def plain_date(day: date) -> str:
    """ "29 May 2023"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """ "Mon 29 May 2023"."""
    return f"{DAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def day_and_month(day: date) -> str:
    """ "29 May"."""
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def whole_weeks_between(start: date, end: date) -> timedelta:
    """The shift, in whole weeks, that moves `start`'s week onto `end`'s week.

    Moving dates by whole weeks keeps every weekday and every gap between them.
    """
    return timedelta(weeks=(monday_of(end) - monday_of(start)).days // 7)
