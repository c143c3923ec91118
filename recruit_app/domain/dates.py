"""UK time, date arithmetic the rules share, and dates in British English words: the one
home of the London time zone and of every date format people read.

The words never come from strftime's %a, %b or %B: those follow the C library's locale,
which Qt sets from the desktop's settings, so a French desktop would put "mai" into an
English letter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# Every date and time people read or type is UK time; the database keeps UTC.
LONDON = ZoneInfo("Europe/London")

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
SHORT_DAYS = tuple(day[:3] for day in DAYS)  # "Mon"
SHORT_MONTHS = tuple(month[:3] for month in MONTHS)  # "Jan"


# --- UK time -------------------------------------------------------------------------


def in_london(moment: datetime) -> datetime:
    """A stored moment on a London wall clock. Stored times are UTC; a naive one has
    simply lost its zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(LONDON)


def london_date(moment: datetime) -> date:
    return in_london(moment).date()


def london_time(moment: datetime) -> str:
    """ "09:30", London."""
    return f"{in_london(moment):%H:%M}"


# --- dates in words ------------------------------------------------------------------


def long_date(day: date) -> str:
    """ "Monday 29 May 2023"."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def plain_date(day: date) -> str:
    """ "29 May 2023"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date, *, with_year: bool = True) -> str:
    """ "Mon 29 May 2023", or "Mon 29 May" where the year is plain from the context."""
    text = f"{SHORT_DAYS[day.weekday()]} {day_and_month(day)}"
    return f"{text} {day.year}" if with_year else text


def compact_date(day: date) -> str:
    """ "29 May 2023": short, without the weekday (for lists of date ranges)."""
    return f"{day_and_month(day)} {day.year}"


def day_and_month(day: date) -> str:
    """ "29 May"."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def whole_weeks_between(start: date, end: date) -> timedelta:
    """The shift, in whole weeks, that moves `start`'s week onto `end`'s week.

    Moving dates by whole weeks keeps every weekday and every gap between them.
    """
    return timedelta(weeks=(monday_of(end) - monday_of(start)).days // 7)
