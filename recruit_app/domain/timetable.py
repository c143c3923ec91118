"""A campaign's timetable: bank holidays, a dated list view and order checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays as holiday_tables

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.dates import london_date, london_time, long_date
from recruit_app.errors import ValidationError

REGIONS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
# Subdivision codes of the `holidays` package; Wales has the same bank holidays as England.
_SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
# The `holidays` package's names, as GOV.UK writes them.
_GOV_UK_NAMES = {
    "May Day": "Early May bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
    "New Year Holiday": "2nd January",
    "Battle of the Boyne": "Battle of the Boyne (Orangemen's Day)",
}
_OBSERVED = " (observed)"


# --- bank holidays ---------------------------------------------------------------------


def bank_holidays(region: str, years: Iterable[int]) -> dict[date, str]:
    """The region's bank holidays in `years`, named as GOV.UK names them."""
    if region not in _SUBDIVISIONS:
        raise ValidationError(f"{region!r} is not a UK bank holiday region.", "region")
    table = holiday_tables.country_holidays(
        "GB", subdiv=_SUBDIVISIONS[region], years=sorted(set(years))
    )
    return {day: _gov_uk_name(name) for day, name in sorted(table.items())}


def _gov_uk_name(name: str) -> str:
    return "; ".join(_one_name(part.strip()) for part in name.split(";"))


def _one_name(name: str) -> str:
    observed = name.endswith(_OBSERVED)
    base = name.removesuffix(_OBSERVED)
    base = _GOV_UK_NAMES.get(base, base).replace("Bank Holiday", "bank holiday")
    base = base.replace("Saint ", "St ")
    return f"{base} (substitute day)" if observed else base


# --- the timetable ---------------------------------------------------------------------

EVENT_TITLE_MAX = 200


def clean_event(title: str, starts_on: date, ends_on: date | None, note: str = "") -> str:
    """An event's title as it is kept (spaces tidied); ValidationError names the field."""
    title = " ".join((title or "").split())
    if not title or len(title) > EVENT_TITLE_MAX:
        raise ValidationError(
            f"Give the event a title of up to {EVENT_TITLE_MAX} characters.", "title"
        )
    if "\x00" in title:
        raise ValidationError("The event's title contains a NUL character.", "title")
    if "\x00" in note:
        raise ValidationError("The event's note contains a NUL character.", "note")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The event ends before it starts.", "ends_on")
    return title


ENTRY_KINDS = ("opens", "closes", "stage", "decision", "start", "event")


@dataclass(frozen=True)
class TimetableEntry:
    key: str
    label: str
    starts_on: date | None
    ends_on: date | None = None
    kind: str = "event"

    @property
    def last_day(self) -> date | None:
        return self.ends_on or self.starts_on


@dataclass(frozen=True)
class Timetable:
    opens_at: datetime | None = None
    closes_at: datetime | None = None  # aware, UTC
    stages: tuple[TimetableEntry, ...] = ()  # in stage order
    decisions_on: date | None = None
    expected_start_on: date | None = None
    events: tuple[TimetableEntry, ...] = ()

    @property
    def opens_on(self) -> date | None:
        return london_date(self.opens_at) if self.opens_at else None

    @property
    def closes_on(self) -> date | None:
        return london_date(self.closes_at) if self.closes_at else None

    @property
    def last_stage_day(self) -> date | None:
        days = [d for s in self.stages if (d := s.last_day) is not None]
        return max(days, default=None)


def entries(t: Timetable) -> list[TimetableEntry]:
    """Everything in date order for a list view; undated entries come last."""
    items = [
        TimetableEntry("opens", "Advert opens", t.opens_on, kind="opens"),
        TimetableEntry("closes", "Advert closes", t.closes_on, kind="closes"),
        *t.stages,
        *t.events,
        TimetableEntry("decisions", "Decisions", t.decisions_on, kind="decision"),
        TimetableEntry("start", "Expected start date", t.expected_start_on, kind="start"),
    ]
    # The sort is stable, so entries on the same day keep the order above.
    return sorted(items, key=lambda e: (e.starts_on is None, e.starts_on or date.min))


# --- checks ----------------------------------------------------------------------------


def check_timetable(t: Timetable, holidays: Mapping[date, str]) -> list[Finding]:
    """Dates out of order are errors; weekends, bank holidays and overlaps are warnings."""
    found = _advert(t)
    found += _stages(t)
    found += _decisions(t)
    found += _start(t)
    found += _events(t)
    found += _working_days(t, holidays)
    return found


def _advert(t: Timetable) -> list[Finding]:
    if t.opens_at is None or t.closes_at is None or t.closes_at > t.opens_at:
        return []
    return [
        _error(
            "closes_at",
            f"The advert closes on {_when(t.closes_at)}, before it opens on {_when(t.opens_at)}.",
        )
    ]


def _when(moment: datetime) -> str:
    return f"{long_date(london_date(moment))} at {london_time(moment)}"


def _stages(t: Timetable) -> list[Finding]:
    found: list[Finding] = []
    previous: TimetableEntry | None = None
    for index, stage in enumerate(t.stages):
        if stage.starts_on is None:
            continue
        field = f"stage:{index}"
        found += _stage_dates(t, field, stage, stage.starts_on)
        if previous is not None and previous.starts_on is not None:
            found += _after_previous(field, stage, stage.starts_on, previous, previous.starts_on)
        previous = stage
    return found


def _stage_dates(t: Timetable, field: str, stage: TimetableEntry, start: date) -> list[Finding]:
    found = []
    if stage.ends_on is not None and stage.ends_on < start:
        found.append(
            _error(
                field,
                f"{stage.label} ends on {long_date(stage.ends_on)}, before it starts on "
                f"{long_date(start)}.",
            )
        )
    opens, closes = t.opens_on, t.closes_on
    if opens is not None and start < opens:
        found.append(_before_opening(field, f"{stage.label} starts", start, opens))
    elif closes is not None and start < closes:
        found.append(
            _error(
                field,
                f"{stage.label} starts on {long_date(start)}, before the advert closes on "
                f"{long_date(closes)}.",
            )
        )
    elif closes is not None and start == closes:
        found.append(
            _warning(
                "order",
                field,
                f"{stage.label} starts on the closing day, {long_date(start)}; applications "
                "can still arrive that day, so start it the day after.",
            )
        )
    return found


def _after_previous(
    field: str, stage: TimetableEntry, start: date, previous: TimetableEntry, before: date
) -> list[Finding]:
    if start < before:
        return [
            _error(
                field,
                f"{stage.label} starts on {long_date(start)}, before the stage ahead of it, "
                f"{previous.label}, starts on {long_date(before)}.",
            )
        ]
    previous_end = previous.ends_on or before
    # Overlapping stages are allowed (interviews can start while a test is still open).
    if start < previous_end:
        return [
            _warning(
                "overlap",
                field,
                f"{stage.label} starts on {long_date(start)}, before {previous.label} ends on "
                f"{long_date(previous_end)}.",
            )
        ]
    return []


def _decisions(t: Timetable) -> list[Finding]:
    day = t.decisions_on
    if day is None:
        return []
    if t.opens_on is not None and day < t.opens_on:
        return [_before_opening("decisions_on", "Decisions are due", day, t.opens_on)]
    if t.last_stage_day is not None and day < t.last_stage_day:
        return [
            _error(
                "decisions_on",
                f"Decisions are due on {long_date(day)}, before the last stage ends on "
                f"{long_date(t.last_stage_day)}.",
            )
        ]
    if t.last_stage_day is None and t.closes_on is not None and day < t.closes_on:
        return [
            _error(
                "decisions_on",
                f"Decisions are due on {long_date(day)}, before the advert closes on "
                f"{long_date(t.closes_on)}.",
            )
        ]
    return []


def _start(t: Timetable) -> list[Finding]:
    day = t.expected_start_on
    if day is None:
        return []
    if t.opens_on is not None and day < t.opens_on:
        return [_before_opening("expected_start_on", "The expected start date is", day, t.opens_on)]
    floors = (
        (t.decisions_on, "decisions are due"),
        (t.last_stage_day, "the last stage ends"),
        (t.closes_on, "the advert closes"),
    )
    # Compare with the latest milestone that is set: decisions, else stages, else closing.
    floor, what = next(((d, w) for d, w in floors if d is not None), (None, ""))
    if floor is not None and day < floor:
        return [
            _error(
                "expected_start_on",
                f"The expected start date, {long_date(day)}, is before {what} on "
                f"{long_date(floor)}.",
            )
        ]
    return []


def _events(t: Timetable) -> list[Finding]:
    opens = t.opens_on
    if opens is None:
        return []
    return [
        _before_opening(f"event:{index}", f"{event.label} is", event.starts_on, opens)
        for index, event in enumerate(t.events)
        if event.starts_on is not None and event.starts_on < opens
    ]


def _before_opening(field: str, subject: str, day: date, opens: date) -> Finding:
    return _error(
        field, f"{subject} on {long_date(day)}, before the advert opens on {long_date(opens)}."
    )


def _working_days(t: Timetable, holidays: Mapping[date, str]) -> list[Finding]:
    found = [f for f in [closing_day_finding(t.closes_at, holidays)] if f is not None]
    for index, stage in enumerate(t.stages):
        found += _window(f"stage:{index}", stage, holidays)
    found += _day_off("decisions_on", t.decisions_on, "decisions are due that day", holidays)
    found += _day_off(
        "expected_start_on", t.expected_start_on, "it is the expected start date", holidays
    )
    for index, event in enumerate(t.events):
        found += _window(f"event:{index}", event, holidays)
    return found


def closing_day_finding(closes_at: datetime | None, holidays: Mapping[date, str]) -> Finding | None:
    """The warning for an advert closing at a weekend or on a bank holiday (UK date).

    One rule for the advert checker and the timetable, so both say the same words.
    """
    if closes_at is None:
        return None
    found = _day_off("closes_at", london_date(closes_at), "the advert closes that day", holidays)
    return found[0] if found else None


def _window(field: str, entry: TimetableEntry, holidays: Mapping[date, str]) -> list[Finding]:
    """Its first and last days, and every bank holiday in between that costs a working day."""
    start, end = entry.starts_on, entry.ends_on
    if start is None:
        return []
    found = _day_off(field, start, f"{entry.label} starts that day", holidays)
    if end is None or end <= start:
        return found
    for day in lost_working_days(start + timedelta(days=1), end - timedelta(days=1), holidays):
        found += _day_off(field, day, f"{entry.label} runs that day", holidays)
    return found + _day_off(field, end, f"{entry.label} ends that day", holidays)


def _day_off(
    field: str, day: date | None, clause: str, holidays: Mapping[date, str]
) -> list[Finding]:
    why = non_working_reason(day, holidays) if day is not None else None
    return [] if why is None else [_warning("non-working-day", field, f"{why}, and {clause}.")]


def lost_working_days(start: date, end: date, holidays: Mapping[date, str]) -> list[date]:
    """The bank holidays from `start` to `end` (both included) that fall on weekdays.

    A holiday at a weekend costs no working day: its substitute day, a weekday in the
    table, is the one lost.
    """
    return [day for day in sorted(holidays) if start <= day <= end and day.weekday() < 5]


def non_working_reason(day: date, holidays: Mapping[date, str]) -> str | None:
    """Why `day` is not a working day ("… is a bank holiday (…)"), or None if it is one."""
    if day.weekday() >= 5:
        # A bank holiday at a weekend is named, but the weekend is why the day is off.
        name = f" ({holidays[day]})" if day in holidays else ""
        return f"{long_date(day)} falls at a weekend{name}"
    if day in holidays:
        return f"{long_date(day)} is a bank holiday ({holidays[day]})"
    return None


def _error(field: str, message: str) -> Finding:
    return Finding("error", "order", field, message)


def _warning(kind: str, field: str, message: str) -> Finding:
    return Finding("warning", kind, field, message)
