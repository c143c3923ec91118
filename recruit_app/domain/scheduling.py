"""Interview slots: planning them in London time, notice checks and allocating candidates."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.dates import LONDON, london_date, london_time, long_date
from recruit_app.errors import ValidationError

MAX_DAYS, MAX_PANELS = 60, 20
SLOT_MINUTES = (5, 480)
GAP_MINUTES = (0, 240)

# --- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotPlan:
    days: tuple[date, ...]
    day_start: time
    day_end: time
    slot_minutes: int
    gap_minutes: int = 0
    lunch_start: time | None = None
    lunch_end: time | None = None
    panels: int = 1


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    panel: int


def validate_plan(plan: SlotPlan) -> None:
    """Raise ValidationError naming the first field of the plan that is wrong."""
    if not plan.days:
        raise ValidationError("Choose at least one interview day.", "days")
    if len(set(plan.days)) > MAX_DAYS:
        raise ValidationError(f"Plan at most {MAX_DAYS} interview days at a time.", "days")
    if plan.day_end <= plan.day_start:
        raise ValidationError("The day must end after it starts.", "day_end")
    low, high = SLOT_MINUTES
    if not low <= plan.slot_minutes <= high:
        raise ValidationError(f"A slot must last from {low} to {high} minutes.", "slot_minutes")
    low, high = GAP_MINUTES
    if not low <= plan.gap_minutes <= high:
        raise ValidationError(
            f"The gap between slots must be from {low} to {high} minutes.", "gap_minutes"
        )
    _validate_lunch(plan)
    if not 1 <= plan.panels <= MAX_PANELS:
        raise ValidationError(f"Run from 1 to {MAX_PANELS} panels.", "panels")


def _validate_lunch(plan: SlotPlan) -> None:
    start, end = plan.lunch_start, plan.lunch_end
    if start is None and end is None:
        return
    if start is None or end is None:
        raise ValidationError("Give both the start and the end of lunch, or neither.", "lunch")
    if end <= start:
        raise ValidationError("Lunch must end after it starts.", "lunch")
    # Lunch wholly outside the day (a morning-only day) does not matter; across an edge it does.
    if start < plan.day_start < end or start < plan.day_end < end:
        raise ValidationError("Lunch must fall within the interview day.", "lunch")


def plan_slots(plan: SlotPlan) -> list[PlannedSlot]:
    """Every slot of the plan, ordered by start time then panel."""
    validate_plan(plan)
    slots = []
    for day in sorted(set(plan.days)):
        for start, end in _day_times(plan):
            starts_at, ends_at = _utc(day, start), _utc(day, end)
            slots += [PlannedSlot(starts_at, ends_at, p) for p in range(1, plan.panels + 1)]
    return slots


def _day_times(plan: SlotPlan) -> list[tuple[int, int]]:
    """(start, end) of each slot in minutes after midnight, London wall-clock time."""
    begin, finish = _minutes(plan.day_start), _minutes(plan.day_end)
    lunch = None
    if plan.lunch_start is not None and plan.lunch_end is not None:
        lunch = (_minutes(plan.lunch_start), _minutes(plan.lunch_end))
    times, start = [], begin
    while start + plan.slot_minutes <= finish:
        end = start + plan.slot_minutes
        if lunch is not None and start < lunch[1] and end > lunch[0]:
            start = lunch[1]  # a slot that would run into lunch waits until after it
            continue
        times.append((start, end))
        start = end + plan.gap_minutes
    return times


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _utc(day: date, minutes: int) -> datetime:
    # Build the London wall-clock time first, so 09:00 stays 09:00 across a clock change.
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)
    return local.astimezone(UTC)


def slots_conflict(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when two half-open intervals overlap (back-to-back ones do not)."""
    return a_start < b_end and b_start < a_end


# --- notice ----------------------------------------------------------------------------


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after `start` up to and including `end`, without weekends or holidays."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            count += 1
        day += timedelta(days=1)
    return count


def notice_flags(
    slots: Sequence[tuple[str, datetime]],
    invitations_on: date,
    holidays: Collection[date],
    minimum: int = 5,
) -> list[Finding]:
    """Warnings for interviews that give candidates less than `minimum` working days' notice."""
    found = []
    for index, (label, starts_at) in enumerate(slots):
        day = london_date(starts_at)
        when = f"{label} on {long_date(day)} at {london_time(starts_at)}"
        if day < invitations_on:
            message = f"{when} is before the invitations go out on {long_date(invitations_on)}."
        else:
            days = working_days_between(invitations_on, day, holidays)
            if days >= minimum:
                continue
            noun = "working day's" if days == 1 else "working days'"
            message = f"{when} gets {days} {noun} notice; the minimum is {minimum}."
        found.append(Finding("warning", "notice", f"slot:{index}", message))
    return found


# --- allocation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: int
    label: str
    unavailable: frozenset[date] = frozenset()  # London dates
    extra_minutes: int = 0  # a reasonable adjustment: more time for the interview


@dataclass(frozen=True)
class Slot:
    id: int
    starts_at: datetime
    ends_at: datetime
    panel: int
    free_after_minutes: int = 0  # time before the same panel's next slot
    taken_by: int | None = None


@dataclass(frozen=True)
class Busy:
    person_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass
class Allocation:
    placements: dict[int, int] = field(default_factory=dict)  # candidate id -> slot id
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # candidate id, reason


class _Diary:
    """One person's (or panel's) busy times as sorted, merged [start, end) seconds."""

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        # Unmerged and sorted by start, to say what a clash is with.
        self.entries: list[tuple[float, float, str]] = []
        self.longest = 0.0

    def is_free(self, start: float, end: float) -> bool:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return False
        return not (i + 1 < len(self.starts) and self.starts[i + 1] < end)

    def add(self, start: float, end: float, reason: str) -> None:
        insort(self.entries, (start, end, reason))
        self.longest = max(self.longest, end - start)
        i = bisect_left(self.starts, start)
        if i > 0 and self.ends[i - 1] >= start:
            i -= 1
            start, end = self.starts[i], max(end, self.ends[i])
        j = i
        while j < len(self.starts) and self.starts[j] <= end:
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def clash(self, start: float, end: float) -> str | None:
        # Only entries starting within `longest` before `start` can still be running then.
        first = bisect_left(self.entries, (start - self.longest,))
        for s, e, reason in self.entries[first:]:
            if s >= end:
                break
            if e > start:
                return reason
        return None


@dataclass(eq=False)
class _Seat:
    """A slot as the allocator sees it: times in seconds and the diaries it needs free."""

    slot: Slot
    start: float
    length: float
    day: date
    diaries: list[tuple[str, _Diary]]  # (who, diary); the panel itself comes first


def allocate(
    candidates: Sequence[Candidate],
    slots: Sequence[Slot],
    panel_members: Mapping[int, Sequence[int]],
    busy: Sequence[Busy],
    names: Mapping[int, str] | None = None,
) -> Allocation:
    """Give each candidate, in the order given, the earliest slot they and the panel can do.

    `names` (person id -> name) lets reasons say who is busy.
    """
    names = names or {}
    diaries: dict[object, _Diary] = {}
    for entry in busy:
        diary = diaries.setdefault(("person", entry.person_id), _Diary())
        diary.add(entry.starts_at.timestamp(), entry.ends_at.timestamp(), entry.reason)
    seats = _seats(slots, panel_members, diaries, names)
    by_id = {c.id: c for c in candidates}
    result = Allocation()
    free = _hold_taken(seats, by_id, result)
    seen = set(result.placements)
    for candidate in candidates:
        if candidate.id in seen:
            continue
        seen.add(candidate.id)
        index = next((i for i, s in enumerate(free) if _usable(s, candidate)), None)
        if index is None:
            result.unplaced.append((candidate.id, _reason(candidate, seats, free)))
            continue
        seat = free.pop(index)
        _book(seat, candidate.extra_minutes, f"interview with {candidate.label}")
        result.placements[candidate.id] = seat.slot.id
    return result


def _seats(
    slots: Sequence[Slot],
    panel_members: Mapping[int, Sequence[int]],
    diaries: dict[object, _Diary],
    names: Mapping[int, str],
) -> list[_Seat]:
    seats = []
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.panel, s.id)):
        # The panel as a whole is a diary too, so overruns clash even with no members listed.
        who = [(f"Panel {slot.panel}", diaries.setdefault(("panel", slot.panel), _Diary()))]
        who += [
            (names.get(p, f"Person {p}"), diaries.setdefault(("person", p), _Diary()))
            for p in dict.fromkeys(panel_members.get(slot.panel, ()))
        ]
        start = slot.starts_at.timestamp()
        length = slot.ends_at.timestamp() - start
        seats.append(_Seat(slot, start, length, london_date(slot.starts_at), who))
    return seats


def _hold_taken(
    seats: list[_Seat], by_id: Mapping[int, Candidate], result: Allocation
) -> list[_Seat]:
    """Book the slots already taken and return the free ones, earliest first."""
    free = []
    for seat in seats:
        holder = seat.slot.taken_by
        if holder is None:
            free.append(seat)
            continue
        candidate = by_id.get(holder)
        extra = candidate.extra_minutes if candidate else 0
        _book(seat, extra, f"interview with {candidate.label}" if candidate else "an interview")
        # A candidate holding two slots keeps the earlier one.
        if candidate is not None and holder not in result.placements:
            result.placements[holder] = seat.slot.id
    return free


def _book(seat: _Seat, extra_minutes: int, reason: str) -> None:
    end = seat.start + seat.length + extra_minutes * 60
    for _who, diary in seat.diaries:
        diary.add(seat.start, end, reason)


def _usable(seat: _Seat, candidate: Candidate) -> bool:
    if seat.day in candidate.unavailable:
        return False
    if candidate.extra_minutes > seat.slot.free_after_minutes:
        return False
    end = seat.start + seat.length + candidate.extra_minutes * 60
    return all(diary.is_free(seat.start, end) for _who, diary in seat.diaries)


def _reason(candidate: Candidate, seats: list[_Seat], free: list[_Seat]) -> str:
    """Why no slot suits the candidate, naming the commonest clash if the panel is busy."""
    if seats and all(s.day in candidate.unavailable for s in seats):
        return "unavailable on every interview day"
    if not free:
        return "no free slot left"
    open_days = [s for s in free if s.day not in candidate.unavailable]
    if not open_days:
        return "no free slot left on a day they can attend"
    roomy = [s for s in open_days if candidate.extra_minutes <= s.slot.free_after_minutes]
    if not roomy:
        return f"needs {candidate.extra_minutes} extra minutes and no slot leaves room"
    clashes = Counter(_clash(s, candidate.extra_minutes) for s in roomy)
    who, why = clashes.most_common(1)[0][0]
    return f"the panel is busy ({who}: {why}) whenever the candidate is free"


def _clash(seat: _Seat, extra_minutes: int) -> tuple[str, str]:
    end = seat.start + seat.length + extra_minutes * 60
    for who, diary in seat.diaries:
        why = diary.clash(seat.start, end)
        if why is not None:
            return who, why
    return f"Panel {seat.slot.panel}", "busy"
