"""Calendar export: London times and VTIMEZONE, stable output, escaping, cancellation, writes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from exports.calendar import calendar_bytes, slugify, write_calendar
from recruit_app.readmodels import Attendee, CalendarEvent

LONDON = ZoneInfo("Europe/London")
SUMMARY = "Candidate 0007 – Video interview, panel 2; room: 3.14, Hendon"
DESCRIPTION = "Panel: Siân, Zoë & Ōta\nBring ID; arrive 10 minutes early.\n\nGood luck 🍀👍🏽"


def interview(
    uid: str,
    starts_at: datetime,
    *,
    minutes: int = 60,
    sequence: int = 0,
    cancelled: bool = False,
    **extra: object,
) -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        sequence=sequence,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        summary=extra.pop("summary", f"Interview {uid}"),  # type: ignore[arg-type]
        cancelled=cancelled,
        **extra,  # type: ignore[arg-type]
    )


WINTER = interview("winter@recruit", datetime(2026, 12, 8, 10, tzinfo=LONDON), sequence=2)
SUMMER = interview("summer@recruit", datetime(2027, 6, 8, 10, tzinfo=LONDON), sequence=7)
BEFORE_SPRING = interview("before@recruit", datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
AFTER_SPRING = interview("after@recruit", datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
FULL = interview(
    "0007-panel-2@recruit.example",
    datetime(2026, 11, 3, 14, tzinfo=LONDON),
    sequence=4,
    summary=SUMMARY,
    description=DESCRIPTION,
    location="Room 3.14, Peel Centre; Aerodrome Road, Hendon",
    organiser=Attendee("Siân O'Brien", "sian.obrien@example.gov.uk"),
    attendees=(
        Attendee("Chair, Pat", "pat.chair@example.gov.uk", "CHAIR"),
        Attendee('Ōta "Kenji"', "kenji.ota@example.gov.uk"),
        Attendee("Candidate 0007", "c0007@example.com", "OPT-PARTICIPANT"),
    ),
)
ALL = (WINTER, SUMMER, BEFORE_SPRING, AFTER_SPRING, FULL)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events_by_uid(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def without_dtstamp(data: bytes) -> bytes:
    return re.sub(rb"^DTSTAMP:[^\r]*\r\n", b"", data, flags=re.MULTILINE)


def raw_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[: -len(b"\r\n")].split(b"\r\n")


# --- calendar properties ---


def test_calendar_header() -> None:
    calendar = parse(calendar_bytes(ALL, name="Interviews – Hendon, panel 2"))
    assert str(calendar["PRODID"]) == "-//Recruit//Recruit//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Interviews – Hendon, panel 2"
    assert len(calendar.walk("VEVENT")) == len(ALL)


# --- time zone ---


def test_one_london_vtimezone_with_standard_and_daylight_parts() -> None:
    calendar = parse(calendar_bytes(ALL, name="Interviews"))
    timezones = calendar.walk("VTIMEZONE")
    assert len(timezones) == 1
    (timezone,) = timezones
    assert str(timezone["TZID"]) == "Europe/London"
    assert timezone.standard and timezone.daylight
    assert {str(part["TZNAME"]) for part in timezone.standard} == {"GMT"}
    assert {str(part["TZNAME"]) for part in timezone.daylight} == {"BST"}
    assert {part["TZOFFSETTO"].td for part in timezone.standard} == {timedelta(0)}
    assert {part["TZOFFSETTO"].td for part in timezone.daylight} == {timedelta(hours=1)}
    assert calendar.get_missing_tzids() == set()


def test_a_single_winter_event_still_gets_both_parts() -> None:
    (timezone,) = parse(calendar_bytes([WINTER], name="Interviews")).walk("VTIMEZONE")
    assert timezone.standard and timezone.daylight


def test_vtimezone_alone_places_times_on_both_sides_of_the_clock_changes() -> None:
    # Read the offsets from the file's own VTIMEZONE, not the system's time zone data,
    # because that is all a calendar program without Olson names has to go on.
    calendar = parse(calendar_bytes(ALL, name="Interviews"))
    (timezone,) = calendar.walk("VTIMEZONE")
    tz = timezone.to_tz(lookup_tzid=False)
    expected = {
        datetime(2026, 3, 28, 23, 30): (timedelta(0), "GMT"),
        datetime(2026, 3, 29, 2, 30): (timedelta(hours=1), "BST"),
        datetime(2026, 12, 8, 10): (timedelta(0), "GMT"),
        datetime(2027, 6, 8, 10): (timedelta(hours=1), "BST"),
    }
    for wall_clock, (offset, abbreviation) in expected.items():
        moment = wall_clock.replace(tzinfo=tz)
        assert (moment.utcoffset(), moment.tzname()) == (offset, abbreviation), wall_clock


def test_raw_text_uses_the_london_tzid() -> None:
    data = calendar_bytes(ALL, name="Interviews")
    assert b"TZID=Europe/London" in data
    assert b"TZID:Europe/London" in data
    assert data.count(b"BEGIN:VTIMEZONE") == 1


def test_winter_interview_is_ten_oclock_gmt() -> None:
    data = calendar_bytes([WINTER], name="Interviews")
    assert b"DTSTART;TZID=Europe/London:20261208T100000\r\n" in data
    assert b"DTEND;TZID=Europe/London:20261208T110000\r\n" in data
    start = events_by_uid(parse(data))["winter@recruit"]["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt.replace(tzinfo=None) == datetime(2026, 12, 8, 10)
    assert start.dt == datetime(2026, 12, 8, 10, tzinfo=UTC)


def test_summer_interview_is_ten_oclock_bst_which_is_nine_utc() -> None:
    data = calendar_bytes([SUMMER], name="Interviews")
    assert b"DTSTART;TZID=Europe/London:20270608T100000\r\n" in data
    start = events_by_uid(parse(data))["summer@recruit"]["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt.replace(tzinfo=None) == datetime(2027, 6, 8, 10)
    assert start.dt == datetime(2027, 6, 8, 9, tzinfo=UTC)


def test_utc_times_either_side_of_spring_forward_become_london_wall_clock() -> None:
    data = calendar_bytes([AFTER_SPRING, BEFORE_SPRING], name="Interviews")
    assert b"DTSTART;TZID=Europe/London:20260328T233000\r\n" in data
    assert b"DTSTART;TZID=Europe/London:20260329T023000\r\n" in data
    events = events_by_uid(parse(data))
    before = events["before@recruit"]["DTSTART"].dt
    after = events["after@recruit"]["DTSTART"].dt
    assert (before.replace(tzinfo=None), before.tzname()) == (datetime(2026, 3, 28, 23, 30), "GMT")
    assert (after.replace(tzinfo=None), after.tzname()) == (datetime(2026, 3, 29, 2, 30), "BST")
    assert before == datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert after == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_second_pass_through_the_repeated_autumn_hour_keeps_its_instant() -> None:
    # 01:30 happens twice in London on 25 October 2026; the wall-clock form means the first.
    first = interview("first@recruit", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    second = interview("second@recruit", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    events = events_by_uid(parse(calendar_bytes([first, second], name="Interviews")))
    # astimezone, because == between zones is always False for an ambiguous time (PEP 495).
    starts = {uid: event["DTSTART"].dt.astimezone(UTC) for uid, event in events.items()}
    assert starts == {"first@recruit": first.starts_at, "second@recruit": second.starts_at}
    assert events["first@recruit"]["DTSTART"].params["TZID"] == "Europe/London"


# --- identity and stability ---


def test_uid_and_sequence_are_kept_exactly() -> None:
    events = events_by_uid(parse(calendar_bytes(ALL, name="Interviews")))
    assert set(events) == {event.uid for event in ALL}
    for event in ALL:
        assert int(events[event.uid]["SEQUENCE"]) == event.sequence


def test_dtstamp_is_now_in_utc() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    calendar = parse(calendar_bytes([WINTER], name="Interviews"))
    after = datetime.now(UTC)
    stamp = calendar.walk("VEVENT")[0]["DTSTAMP"].dt
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= after


def test_rendering_again_gives_the_same_bytes_apart_from_dtstamp() -> None:
    first = calendar_bytes(ALL, name="Interviews")
    second = calendar_bytes(tuple(reversed(ALL)), name="Interviews")
    assert first.count(b"\r\nDTSTAMP:") == len(ALL)
    assert without_dtstamp(first) == without_dtstamp(second)


def test_events_are_sorted_by_start_then_uid() -> None:
    start = datetime(2026, 12, 8, 10, tzinfo=LONDON)
    same_time = [interview(uid, start) for uid in ("c@recruit", "a@recruit", "b@recruit")]
    calendar = parse(calendar_bytes([SUMMER, *same_time, BEFORE_SPRING], name="Interviews"))
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [
        "before@recruit",
        "a@recruit",
        "b@recruit",
        "c@recruit",
        "summer@recruit",
    ]


# --- status and method ---


def test_events_are_confirmed_unless_cancelled() -> None:
    cancelled = interview("gone@recruit", datetime(2026, 12, 9, 10, tzinfo=LONDON), cancelled=True)
    data = calendar_bytes([WINTER, cancelled], name="Interviews")
    calendar = parse(data)
    events = events_by_uid(calendar)
    assert str(events["winter@recruit"]["STATUS"]) == "CONFIRMED"
    assert str(events["gone@recruit"]["STATUS"]) == "CANCELLED"
    assert b"STATUS:CANCELLED\r\n" in data
    # A published schedule may show both; it is not an invitation.
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_an_invitation_and_a_cancellation_never_share_a_file() -> None:
    # RFC 5546: a REQUEST's events are tentative or confirmed, a CANCEL's are cancelled.
    cancelled = interview("gone@recruit", datetime(2026, 12, 9, 10, tzinfo=LONDON), cancelled=True)
    with pytest.raises(ValueError, match="cancelled"):
        calendar_bytes([WINTER, cancelled], name="Interviews", method="REQUEST")
    with pytest.raises(ValueError, match="not cancelled"):
        calendar_bytes([WINTER, cancelled], name="Interviews", method="CANCEL")
    sent = parse(calendar_bytes([cancelled], name="Interviews", method="CANCEL"))
    assert str(sent["METHOD"]) == "CANCEL"
    assert [str(e["STATUS"]) for e in sent.walk("VEVENT")] == ["CANCELLED"]


def test_all_cancelled_request_is_sent_as_cancel() -> None:
    cancelled = [
        interview("a@recruit", datetime(2026, 12, 8, 10, tzinfo=LONDON), cancelled=True),
        interview("b@recruit", datetime(2026, 12, 8, 11, tzinfo=LONDON), cancelled=True),
    ]
    data = calendar_bytes(cancelled, name="Interviews", method="REQUEST")
    assert b"METHOD:CANCEL\r\n" in data
    calendar = parse(data)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert {str(event["STATUS"]) for event in calendar.walk("VEVENT")} == {"CANCELLED"}
    # A published feed is not an invitation, so it stays PUBLISH.
    published = parse(calendar_bytes(cancelled, name="Interviews"))
    assert str(published["METHOD"]) == "PUBLISH"


# --- people ---


def test_organiser_and_attendees_are_mailto_addresses_with_names() -> None:
    event = events_by_uid(parse(calendar_bytes([FULL], name="Interviews")))[FULL.uid]
    organiser = event["ORGANIZER"]
    assert str(organiser) == "mailto:sian.obrien@example.gov.uk"
    assert organiser.params["CN"] == "Siân O'Brien"

    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == [f"mailto:{a.email}" for a in FULL.attendees]
    assert [a.params["CN"] for a in attendees] == [a.name for a in FULL.attendees]
    assert [a.params["ROLE"] for a in attendees] == [
        "CHAIR",
        "REQ-PARTICIPANT",
        "OPT-PARTICIPANT",
    ]
    assert {a.params["PARTSTAT"] for a in attendees} == {"NEEDS-ACTION"}
    assert {a.params["RSVP"] for a in attendees} == {"TRUE"}


def test_people_are_left_out_when_not_given() -> None:
    event = events_by_uid(parse(calendar_bytes([WINTER], name="Interviews")))[WINTER.uid]
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


# --- text ---


def test_text_with_punctuation_newlines_accents_and_emoji_round_trips() -> None:
    data = calendar_bytes([FULL], name="Interviews")
    event = events_by_uid(parse(data))[FULL.uid]
    assert str(event["SUMMARY"]) == SUMMARY
    assert str(event["DESCRIPTION"]) == DESCRIPTION
    assert str(event["LOCATION"]) == FULL.location
    # Escaped as RFC 5545 TEXT, not merely surviving a lenient parser.
    unfolded = data.replace(b"\r\n ", b"")
    assert (
        "SUMMARY:Candidate 0007 – Video interview\\, panel 2\\; room: 3.14\\, Hendon\r\n".encode()
        in unfolded
    )
    assert b"\\n\\nGood luck" in unfolded


def test_windows_newlines_and_control_characters_are_cleaned() -> None:
    messy = interview(
        "messy@recruit",
        datetime(2026, 12, 8, 10, tzinfo=LONDON),
        summary="Interview\x07 one",
        description="Line one\r\nLine two\rLine three\tend\x00",
    )
    data = calendar_bytes([messy], name="Interviews")
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data)
    assert b"\r" not in data.replace(b"\r\n", b"")
    event = events_by_uid(parse(data))["messy@recruit"]
    assert str(event["SUMMARY"]) == "Interview one"
    assert str(event["DESCRIPTION"]) == "Line one\nLine two\nLine three\tend"


def test_empty_description_and_location_are_omitted() -> None:
    data = calendar_bytes([WINTER], name="Interviews")
    assert b"\r\nDESCRIPTION" not in data
    assert b"\r\nLOCATION" not in data
    assert b"\r\nSUMMARY:Interview winter@recruit\r\n" in data


def test_raw_text_has_crlf_line_endings_and_folds_long_lines() -> None:
    data = calendar_bytes(ALL, name="Interviews")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = raw_lines(data)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    # The description and attendee lines are long, so some lines must have been folded.
    assert any(line.startswith(b" ") for line in lines)
    # Folding never splits a multi-byte character: every physical line is valid UTF-8.
    for line in lines:
        line.decode("utf-8")


# --- bad input ---


def test_naive_datetimes_are_refused() -> None:
    naive = interview("naive@recruit", datetime(2026, 12, 8, 10))
    for events in ([naive], [WINTER, naive]):
        with pytest.raises(ValueError, match="naive"):
            calendar_bytes(events, name="Interviews")


def test_an_event_ending_before_it_starts_is_refused() -> None:
    backwards = interview("backwards@recruit", datetime(2026, 12, 8, 10, tzinfo=LONDON), minutes=-5)
    with pytest.raises(ValueError, match="ends before"):
        calendar_bytes([backwards], name="Interviews")


def test_repeated_uids_are_refused() -> None:
    with pytest.raises(ValueError, match="UID"):
        calendar_bytes([WINTER, WINTER], name="Interviews")


# --- writing ---


def test_write_calendar_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "panel.ics"
    assert write_calendar(target, ALL, name="Interviews") == target
    assert without_dtstamp(target.read_bytes()) == without_dtstamp(
        calendar_bytes(ALL, name="Interviews")
    )
    assert [p.name for p in target.parent.iterdir()] == ["panel.ics"]


def test_write_calendar_leaves_no_temp_file_when_rendering_fails(tmp_path: Path) -> None:
    target = tmp_path / "panel.ics"
    target.write_bytes(b"old")
    naive = interview("naive@recruit", datetime(2026, 12, 8, 10))
    with pytest.raises(ValueError):
        write_calendar(target, [naive], name="Interviews")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["panel.ics"]


def test_write_calendar_leaves_no_temp_file_when_writing_fails(tmp_path: Path) -> None:
    # A folder where the file should go makes the final rename fail.
    target = tmp_path / "panel.ics"
    target.mkdir()
    with pytest.raises(OSError):
        write_calendar(target, ALL, name="Interviews")
    assert [p.name for p in tmp_path.iterdir()] == ["panel.ics"]
    assert target.is_dir()


# --- file names ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Siân O'Brien", "sian-obrien"),
        ("Zoë D’Souza-Smith", "zoe-dsouza-smith"),
        ("  Søren   Æbelø  ", "soren-aebelo"),
        ("Panel 2 / Room 3.14", "panel-2-room-3-14"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-file"),
        ("", "unnamed"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_slugify_keeps_names_in_other_scripts_apart() -> None:
    first, second = slugify("李小龍"), slugify("王菲")
    assert first != second
    assert re.fullmatch(r"[a-z0-9-]+", first) and re.fullmatch(r"[a-z0-9-]+", second)
    assert slugify("李小龍") == first
