"""Slot planning across clock changes, notice checks and allocating candidates to slots."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest

from recruit_app.domain.scheduling import (
    Busy,
    Candidate,
    PlannedSlot,
    Slot,
    SlotPlan,
    allocate,
    notice_flags,
    plan_slots,
    slots_conflict,
    validate_plan,
    working_days_between,
)
from recruit_app.domain.timetable import bank_holidays
from recruit_app.errors import ValidationError

TUESDAY = date(2026, 12, 8)  # London is on GMT, so London times equal UTC here
WEDNESDAY = date(2026, 12, 9)
HOLIDAYS_2026 = bank_holidays("england-and-wales", [2026])


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def plan(**changes) -> SlotPlan:
    values = {
        "days": (TUESDAY,),
        "day_start": time(9, 0),
        "day_end": time(16, 30),
        "slot_minutes": 60,
        "gap_minutes": 15,
        "lunch_start": time(12, 30),
        "lunch_end": time(13, 30),
        "panels": 1,
    }
    values.update(changes)
    return SlotPlan(**values)


# --- planning --------------------------------------------------------------------------


def test_slots_skip_lunch_and_end_by_the_end_of_the_day():
    slots = plan_slots(plan())
    assert [(s.starts_at, s.ends_at) for s in slots] == [
        (utc(TUESDAY, 9), utc(TUESDAY, 10)),
        (utc(TUESDAY, 10, 15), utc(TUESDAY, 11, 15)),
        (utc(TUESDAY, 11, 30), utc(TUESDAY, 12, 30)),  # ends as lunch starts
        (utc(TUESDAY, 13, 30), utc(TUESDAY, 14, 30)),  # 12:45 would run into lunch
        (utc(TUESDAY, 14, 45), utc(TUESDAY, 15, 45)),
        # 16:00 to 17:00 would end after 16:30, so it is dropped
    ]
    assert {s.panel for s in slots} == {1}
    assert all(s.starts_at.tzinfo is not None for s in slots)


def test_slots_are_ordered_by_start_then_panel():
    slots = plan_slots(plan(panels=2, days=(WEDNESDAY, TUESDAY), day_end=time(11, 15)))
    assert slots == [
        PlannedSlot(utc(TUESDAY, 9), utc(TUESDAY, 10), 1),
        PlannedSlot(utc(TUESDAY, 9), utc(TUESDAY, 10), 2),
        PlannedSlot(utc(TUESDAY, 10, 15), utc(TUESDAY, 11, 15), 1),
        PlannedSlot(utc(TUESDAY, 10, 15), utc(TUESDAY, 11, 15), 2),
        PlannedSlot(utc(WEDNESDAY, 9), utc(WEDNESDAY, 10), 1),
        PlannedSlot(utc(WEDNESDAY, 9), utc(WEDNESDAY, 10), 2),
        PlannedSlot(utc(WEDNESDAY, 10, 15), utc(WEDNESDAY, 11, 15), 1),
        PlannedSlot(utc(WEDNESDAY, 10, 15), utc(WEDNESDAY, 11, 15), 2),
    ]


def test_nine_oclock_in_london_across_the_october_clock_change():
    friday, monday = date(2026, 10, 23), date(2026, 10, 26)  # clocks go back on the 25th
    slots = plan_slots(SlotPlan((friday, monday), time(9, 0), time(10, 0), slot_minutes=60))
    assert [s.starts_at for s in slots] == [utc(friday, 8), utc(monday, 9)]
    assert [s.ends_at for s in slots] == [utc(friday, 9), utc(monday, 10)]
    assert all(s.starts_at.utcoffset() == timedelta(0) for s in slots)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": ()}, "days"),
        ({"days": tuple(TUESDAY + timedelta(days=n) for n in range(61))}, "days"),
        ({"day_end": time(9, 0)}, "day_end"),
        ({"day_end": time(8, 0)}, "day_end"),
        ({"slot_minutes": 4}, "slot_minutes"),
        ({"slot_minutes": 481}, "slot_minutes"),
        ({"gap_minutes": -1}, "gap_minutes"),
        ({"gap_minutes": 241}, "gap_minutes"),
        ({"lunch_end": None}, "lunch"),
        ({"lunch_start": time(13, 30), "lunch_end": time(12, 30)}, "lunch"),
        ({"lunch_start": time(8, 30)}, "lunch"),
        ({"lunch_end": time(17, 0)}, "lunch"),
        ({"lunch_start": time(16, 0), "lunch_end": time(17, 0)}, "lunch"),
        ({"panels": 0}, "panels"),
        ({"panels": 21}, "panels"),
    ],
)
def test_validate_plan_errors(changes, field):
    with pytest.raises(ValidationError) as raised:
        validate_plan(plan(**changes))
    assert raised.value.field == field


def test_lunch_outside_a_short_day_is_ignored():
    slots = plan_slots(plan(day_end=time(11, 15)))
    assert [s.starts_at for s in slots] == [utc(TUESDAY, 9), utc(TUESDAY, 10, 15)]


def test_validate_plan_accepts_the_limits():
    validate_plan(plan(slot_minutes=5, gap_minutes=0, panels=20, lunch_start=None, lunch_end=None))
    validate_plan(plan(days=tuple(TUESDAY + timedelta(days=n) for n in range(60))))
    validate_plan(plan(slot_minutes=480, gap_minutes=240, day_end=time(17, 0)))


def test_slots_conflict():
    nine, ten, eleven = utc(TUESDAY, 9), utc(TUESDAY, 10), utc(TUESDAY, 11)
    assert slots_conflict(nine, eleven, ten, eleven)
    assert slots_conflict(nine, ten, nine, ten)
    assert not slots_conflict(nine, ten, ten, eleven)  # back to back is fine


# --- notice ----------------------------------------------------------------------------


def test_working_days_across_bank_holiday_weekends():
    # Christmas Day 2026 is a Friday; Boxing Day's substitute is Monday 28 December.
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 30), HOLIDAYS_2026) == 2
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7), HOLIDAYS_2026) == 1
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7), set()) == 3
    assert working_days_between(date(2026, 12, 3), date(2026, 12, 8), set(HOLIDAYS_2026)) == 3
    assert working_days_between(date(2026, 12, 8), date(2026, 12, 8), HOLIDAYS_2026) == 0
    assert working_days_between(date(2026, 12, 8), date(2026, 12, 1), HOLIDAYS_2026) == 0


def test_notice_flags():
    invitations = date(2026, 12, 3)  # a Thursday
    slots = [
        ("Candidate 0007", utc(TUESDAY, 10)),
        ("Candidate 0008", utc(date(2026, 12, 10), 10)),
        ("Candidate 0009", utc(date(2026, 12, 4), 14, 30)),
        ("Candidate 0010", utc(date(2026, 12, 2), 9)),
    ]
    found = notice_flags(slots, invitations, HOLIDAYS_2026)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "warning",
            "slot:0",
            "Candidate 0007 on Tuesday 8 December 2026 at 10:00 gets 3 working days' notice; "
            "the minimum is 5.",
        ),
        (
            "warning",
            "slot:2",
            "Candidate 0009 on Friday 4 December 2026 at 14:30 gets 1 working day's notice; "
            "the minimum is 5.",
        ),
        (
            "warning",
            "slot:3",
            "Candidate 0010 on Wednesday 2 December 2026 at 09:00 is before the invitations go "
            "out on Thursday 3 December 2026.",
        ),
    ]
    assert notice_flags(slots[:1], invitations, HOLIDAYS_2026, minimum=3) == []


def test_notice_uses_london_time():
    # 23:30 UTC on Monday 1 June is 00:30 on Tuesday 2 June in London.
    found = notice_flags([("Candidate 0001", utc(date(2026, 6, 1), 23, 30))], date(2026, 6, 1), {})
    assert found[0].message == (
        "Candidate 0001 on Tuesday 2 June 2026 at 00:30 gets 1 working day's notice; "
        "the minimum is 5."
    )


# --- allocation ------------------------------------------------------------------------


def make_slots(planned: list[PlannedSlot], day_end: time = time(16, 30)) -> list[Slot]:
    """Number the planned slots and work out the room each leaves before the panel's next."""
    slots = []
    for number, p in enumerate(planned, start=1):
        following = [
            q.starts_at
            for q in planned
            if q.panel == p.panel
            and q.starts_at >= p.ends_at
            and q.starts_at.date() == p.ends_at.date()
        ]
        close = datetime.combine(p.ends_at.date(), day_end, tzinfo=UTC)
        room = min([*following, close]) - p.ends_at
        slots.append(Slot(number, p.starts_at, p.ends_at, p.panel, room.seconds // 60))
    return slots


PRIYA, TOM, AYO, SAM = 7, 8, 9, 10
NAMES = {PRIYA: "Priya Raman", TOM: "Tom Hughes", AYO: "Ayo Bello", SAM: "Sam Lee"}
TWO_PANELS = {1: [PRIYA, TOM], 2: [AYO, SAM]}


def two_panel_slots(**changes) -> list[Slot]:
    return make_slots(plan_slots(plan(panels=2, **changes)))


def test_candidates_take_the_earliest_slot_in_the_order_given():
    slots = two_panel_slots(day_end=time(11, 15))
    by_time = {s.id: (s.starts_at, s.panel) for s in slots}
    candidates = [Candidate(30, "Candidate 0030"), Candidate(4, "Candidate 0004")]
    candidates.append(Candidate(12, "Candidate 0012"))
    result = allocate(candidates, slots, TWO_PANELS, [])
    assert {c: by_time[s] for c, s in result.placements.items()} == {
        30: (utc(TUESDAY, 9), 1),
        4: (utc(TUESDAY, 9), 2),
        12: (utc(TUESDAY, 10, 15), 1),
    }
    assert result.unplaced == []


def test_more_candidates_than_slots():
    slots = make_slots(plan_slots(plan(day_end=time(10, 0))))
    result = allocate(
        [Candidate(1, "Candidate 0001"), Candidate(2, "Candidate 0002")], slots, TWO_PANELS, []
    )
    assert result.placements == {1: slots[0].id}
    assert result.unplaced == [(2, "no free slot left")]


def test_unavailable_dates_are_avoided():
    slots = make_slots(plan_slots(plan(days=(TUESDAY, WEDNESDAY), day_end=time(10, 0))))
    away_tuesday = Candidate(1, "Candidate 0001", unavailable=frozenset({TUESDAY}))
    away_both = Candidate(2, "Candidate 0002", unavailable=frozenset({TUESDAY, WEDNESDAY}))
    away_wednesday = Candidate(3, "Candidate 0003", unavailable=frozenset({WEDNESDAY}))
    result = allocate([away_tuesday, away_both, away_wednesday], slots, TWO_PANELS, [])
    assert result.placements == {1: slots[1].id, 3: slots[0].id}
    assert result.unplaced == [(2, "unavailable on every interview day")]


def test_free_slots_only_on_days_the_candidate_cannot_attend():
    slots = make_slots(plan_slots(plan(days=(TUESDAY, WEDNESDAY), day_end=time(10, 0))))
    first = Candidate(1, "Candidate 0001", unavailable=frozenset({WEDNESDAY}))
    second = Candidate(2, "Candidate 0002", unavailable=frozenset({WEDNESDAY}))
    result = allocate([first, second], slots, TWO_PANELS, [])
    assert result.placements == {1: slots[0].id}
    assert result.unplaced == [(2, "no free slot left on a day they can attend")]


def test_extra_time_needs_a_slot_with_room_after_it():
    # With no gap, only the slot before lunch and the day's last slot leave room.
    slots = make_slots(plan_slots(plan(gap_minutes=0, day_end=time(16, 0))), time(16, 0))
    assert [(s.starts_at.strftime("%H:%M"), s.free_after_minutes) for s in slots] == [
        ("09:00", 0),
        ("10:00", 0),
        ("11:00", 90),
        ("13:30", 0),
        ("14:30", 30),
    ]
    first = Candidate(1, "Candidate 0001")
    extra = Candidate(2, "Candidate 0002", extra_minutes=30)
    too_much = Candidate(3, "Candidate 0003", extra_minutes=90)
    result = allocate([first, extra, too_much], slots, TWO_PANELS, [])
    assert result.placements == {1: slots[0].id, 2: slots[2].id}
    assert result.unplaced == [(3, "needs 90 extra minutes and no slot leaves room")]


def test_extra_time_counts_as_busy_for_a_member_on_another_panel():
    # Priya sits on both panels; panel 2 starts later than panel 1 because of a gap.
    slots = [
        Slot(1, utc(TUESDAY, 9), utc(TUESDAY, 10), 1, free_after_minutes=60),
        Slot(2, utc(TUESDAY, 10, 15), utc(TUESDAY, 11, 15), 2),
        Slot(3, utc(TUESDAY, 11, 30), utc(TUESDAY, 12, 30), 2),
    ]
    panels = {1: [PRIYA, TOM], 2: [PRIYA, AYO]}
    extra = Candidate(1, "Candidate 0001", extra_minutes=30)  # runs to 10:30
    plain = Candidate(2, "Candidate 0002")
    result = allocate([extra, plain], slots, panels, [], NAMES)
    assert result.placements == {1: 1, 2: 3}


def test_a_person_on_two_panels_is_never_double_booked():
    slots = two_panel_slots(day_end=time(11, 15))
    panels = {1: [PRIYA, TOM], 2: [PRIYA, AYO]}
    candidates = [Candidate(n, f"Candidate {n:04}") for n in (1, 2, 3)]
    result = allocate(candidates, slots, panels, [], NAMES)
    starts = {s.id: (s.starts_at, s.panel) for s in slots}
    assert {c: starts[s] for c, s in result.placements.items()} == {
        1: (utc(TUESDAY, 9), 1),
        2: (utc(TUESDAY, 10, 15), 1),
    }
    assert result.unplaced == [
        (
            3,
            "the panel is busy (Priya Raman: interview with Candidate 0001) whenever the "
            "candidate is free",
        )
    ]


def test_busy_in_another_campaign_blocks_the_slot():
    slots = make_slots(plan_slots(plan(day_end=time(11, 15))))
    other = [Busy(PRIYA, utc(TUESDAY, 8, 30), utc(TUESDAY, 9, 30), "Other campaign interview")]
    first = Candidate(1, "Candidate 0001")
    result = allocate([first], slots, TWO_PANELS, other, NAMES)
    assert result.placements == {1: slots[1].id}

    all_day = [Busy(PRIYA, utc(TUESDAY, 8), utc(TUESDAY, 17), "Other campaign interview")]
    dentist = [Busy(TOM, utc(TUESDAY, 10), utc(TUESDAY, 10, 30), "Dentist")]
    result = allocate([first], slots, TWO_PANELS, all_day + dentist, NAMES)
    assert result.placements == {}
    assert result.unplaced == [
        (
            1,
            "the panel is busy (Priya Raman: Other campaign interview) whenever the "
            "candidate is free",
        )
    ]


def test_busy_people_without_names_are_numbered():
    slots = make_slots(plan_slots(plan(day_end=time(10, 0))))
    busy = [Busy(TOM, utc(TUESDAY, 9), utc(TUESDAY, 10), "Training")]
    result = allocate([Candidate(1, "Candidate 0001")], slots, TWO_PANELS, busy)
    assert result.unplaced == [
        (1, "the panel is busy (Person 8: Training) whenever the candidate is free")
    ]


def test_taken_slots_are_kept_and_block_their_panel():
    planned = plan_slots(plan(panels=2, day_end=time(11, 15)))
    slots = make_slots(planned)
    # Candidate 2 already holds the 10:15 slot on panel 2; someone outside this run holds
    # the 09:00 slot on panel 1.
    slots[3] = Slot(4, slots[3].starts_at, slots[3].ends_at, 2, taken_by=2)
    slots[0] = Slot(1, slots[0].starts_at, slots[0].ends_at, 1, taken_by=99)
    panels = {1: [PRIYA, TOM], 2: [AYO, SAM]}
    candidates = [Candidate(n, f"Candidate {n:04}") for n in (1, 2, 3, 4)]
    result = allocate(candidates, slots, panels, [], NAMES)
    assert result.placements == {2: 4, 1: 2, 3: 3}
    assert result.unplaced == [(4, "no free slot left")]


def test_a_kept_slot_holds_even_on_an_unavailable_day():
    slots = make_slots(plan_slots(plan(day_end=time(10, 0))))
    slots[0] = Slot(1, slots[0].starts_at, slots[0].ends_at, 1, taken_by=5)
    away = Candidate(5, "Candidate 0005", unavailable=frozenset({TUESDAY}))
    assert allocate([away], slots, TWO_PANELS, []).placements == {5: 1}


def test_a_repeated_candidate_is_placed_once():
    slots = two_panel_slots(day_end=time(11, 15))
    twice = Candidate(1, "Candidate 0001")
    result = allocate([twice, twice], slots, TWO_PANELS, [])
    assert list(result.placements) == [1]
    assert result.unplaced == []


def test_no_slots_at_all():
    result = allocate([Candidate(1, "Candidate 0001")], [], TWO_PANELS, [])
    assert result.unplaced == [(1, "no free slot left")]


def test_a_large_campaign_is_allocated_without_clashes():
    rng = random.Random(2026)
    days = tuple(date(2027, 3, 1) + timedelta(days=n) for n in range(14) if n % 7 < 5)
    assert len(days) == 10
    planned = plan_slots(plan(days=days, panels=3, slot_minutes=30, gap_minutes=0))
    slots = make_slots(planned)
    panels = {1: [1, 2, 3], 2: [4, 5, 6], 3: [7, 8, 9]}
    busy = []
    for _ in range(300):
        start = datetime.combine(rng.choice(days), time(7), tzinfo=UTC)
        start += timedelta(minutes=15 * rng.randint(0, 48))
        busy.append(Busy(rng.randint(1, 9), start, start + timedelta(minutes=20), "Elsewhere"))
    candidates = [
        Candidate(
            n,
            f"Candidate {n:04}",
            unavailable=frozenset(rng.sample(days, rng.randint(0, 3))),
            extra_minutes=15 if n % 25 == 0 else 0,
        )
        for n in range(1, 301)
    ]
    result = allocate(candidates, slots, panels, busy)

    assert len(result.placements) + len(result.unplaced) == 300
    assert len(set(result.placements.values())) == len(result.placements)
    diary = LargeCheck(slots, panels, busy)
    order = {s.id: n for n, s in enumerate(slots)}
    by_candidate = {c.id: c for c in candidates}
    for candidate_id, slot_id in result.placements.items():
        assert diary.usable(by_candidate[candidate_id], diary.slots[slot_id])
        diary.book(by_candidate[candidate_id], diary.slots[slot_id])
    free = [s for s in slots if s.id not in set(result.placements.values())]
    # Busy times only grow, so a slot still usable at the end was usable all along: greedy
    # placement means no unplaced candidate fits one, and nobody skipped an earlier one.
    for candidate_id, _reason in result.unplaced:
        assert not any(diary.usable(by_candidate[candidate_id], s) for s in free)
    for candidate_id, slot_id in result.placements.items():
        earlier = [s for s in free if order[s.id] < order[slot_id]]
        assert not any(diary.usable(by_candidate[candidate_id], s) for s in earlier)
    assert len(slots) == 390
    assert 150 <= len(result.placements) < 300
    assert {reason for _, reason in result.unplaced} <= {
        "no free slot left",
        "no free slot left on a day they can attend",
    } | {r for _, r in result.unplaced if r.startswith("the panel is busy (Person ")}


class LargeCheck:
    """A plain re-check of the allocator's rules, without its indexing."""

    def __init__(self, slots: list[Slot], panels: dict[int, list[int]], busy: list[Busy]):
        self.slots = {s.id: s for s in slots}
        self.panels = panels
        self.diary: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        for b in busy:
            self.diary[b.person_id].append((b.starts_at, b.ends_at))

    def usable(self, candidate: Candidate, slot: Slot) -> bool:
        end = slot.ends_at + timedelta(minutes=candidate.extra_minutes)
        return (
            slot.starts_at.date() not in candidate.unavailable
            and candidate.extra_minutes <= slot.free_after_minutes
            and not any(
                slots_conflict(slot.starts_at, end, s, e)
                for person in self.panels[slot.panel]
                for s, e in self.diary[person]
            )
        )

    def book(self, candidate: Candidate, slot: Slot) -> None:
        end = slot.ends_at + timedelta(minutes=candidate.extra_minutes)
        for person in self.panels[slot.panel]:
            self.diary[person].append((slot.starts_at, end))
