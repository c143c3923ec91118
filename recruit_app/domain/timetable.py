"""A campaign's timetable: bank holidays, a dated list view and order checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import holidays as holiday_tables

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.dates import long_date
from recruit_app.errors import ValidationError

LONDON = ZoneInfo("Europe/London")

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


def london_date(moment: datetime) -> date:
    return _aware(moment).astimezone(LONDON).date()


def london_time(moment: datetime) -> str:
    return f"{_aware(moment).astimezone(LONDON):%H:%M}"


def _aware(moment: datetime) -> datetime:
    # Stored times are UTC; a naive one has simply lost its zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
    checks: list[tuple[str, date | None, str]] = [
        ("closes_at", t.closes_on, "the advert closes that day")
    ]
    for index, stage in enumerate(t.stages):
        checks.append((f"stage:{index}", stage.starts_on, f"{stage.label} starts that day"))
        checks.append((f"stage:{index}", stage.ends_on, f"{stage.label} ends that day"))
    checks.append(("decisions_on", t.decisions_on, "decisions are due that day"))
    checks.append(("expected_start_on", t.expected_start_on, "it is the expected start date"))
    for index, event in enumerate(t.events):
        checks.append((f"event:{index}", event.starts_on, f"{event.label} starts that day"))
        checks.append((f"event:{index}", event.ends_on, f"{event.label} ends that day"))
    found = []
    for field, day, clause in checks:
        why = non_working_reason(day, holidays) if day is not None else None
        if why is not None:
            found.append(_warning("non-working-day", field, f"{why}, and {clause}."))
    return found


def non_working_reason(day: date, holidays: Mapping[date, str]) -> str | None:
    """Why `day` is not a working day ("… is a bank holiday (…)"), or None if it is one."""
    if day in holidays:
        return f"{long_date(day)} is a bank holiday ({holidays[day]})"
    if day.weekday() >= 5:
        return f"{long_date(day)} falls at a weekend"
    return None


def _error(field: str, message: str) -> Finding:
    return Finding("error", "order", field, message)


def _warning(kind: str, field: str, message: str) -> Finding:
    return Finding("warning", kind, field, message)
