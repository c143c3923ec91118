"""iCalendar (.ics) files for interviews and other timed events, with London wall-clock times."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vCalAddress

from exports.files import atomic_output
from recruit_app.domain.dates import LONDON
from recruit_app.readmodels import Attendee, CalendarEvent

__all__ = ["PRODID", "TZID", "calendar_bytes", "slugify", "write_calendar"]

PRODID = "-//Recruit//Recruit//EN"
TZID = LONDON.key  # "Europe/London"

# RFC 5545 forbids control characters in TEXT values other than tab (newlines are escaped).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_APOSTROPHES = re.compile(r"['’‘ʼ`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into an ASCII base letter plus an accent.
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Windows refuses these as file names even with an extension.
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
_SLUG_MAX = 80


def calendar_bytes(events: Sequence[CalendarEvent], *, name: str, method: str = "PUBLISH") -> bytes:
    """Render `events` as one VCALENDAR, UTF-8 with CRLF line endings.

    Times are written as London wall-clock times with TZID=Europe/London and a matching
    VTIMEZONE, so a calendar program shows 10:00 for a 10:00 interview on either side
    of the clock changes. Events are sorted by start time then UID and DTSTAMP is the
    only thing that changes when the same events are rendered again.

    With `method="REQUEST"`, a file in which every event is cancelled is sent as
    METHOD:CANCEL, which is what makes mail clients remove the event from calendars.
    RFC 5546 keeps the two apart (a REQUEST's events are tentative or confirmed, a
    CANCEL's are cancelled), so an invitation and a cancellation go in separate files.
    An organiser or attendee without an email address is left out: a calendar address
    needs one.

    Raises ValueError for naive datetimes, an event that ends before it starts, two
    events with the same UID, or a REQUEST or CANCEL mixing live and cancelled events.
    """
    # Checked before sorting, which would fail on a mix of naive and aware datetimes.
    _check(events)
    ordered = sorted(events, key=lambda event: (event.starts_at, event.uid))
    method = method.strip().upper()
    if method == "REQUEST" and ordered and all(event.cancelled for event in ordered):
        method = "CANCEL"
    if method == "REQUEST" and any(event.cancelled for event in ordered):
        raise ValueError("a REQUEST cannot carry a cancelled event: send it as a CANCEL")
    if method == "CANCEL" and not all(event.cancelled for event in ordered):
        raise ValueError("a CANCEL cannot carry an event that is not cancelled")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", _text(name))
    calendar.add_component(_london_timezone(ordered))

    # One stamp for the whole file: it says when this copy was made, not per event.
    stamp = datetime.now(UTC).replace(microsecond=0)
    for event in ordered:
        calendar.add_component(_vevent(event, stamp))
    return calendar.to_ical()


def write_calendar(
    path: Path, events: Sequence[CalendarEvent], *, name: str, method: str = "PUBLISH"
) -> Path:
    """Write `events` as an .ics file at `path` atomically and return the path."""
    # Render first, so a bad event never leaves even a temporary file behind.
    data = calendar_bytes(events, name=name, method=method)
    target = Path(path)
    with atomic_output(target) as handle:
        handle.write(data)
    return target


def slugify(text: str) -> str:
    """A lower-case ASCII file-name stem: "Siân O'Brien" becomes "sian-obrien".

    Text with no Latin letters or digits (a name in another script, say) becomes
    "x-" and a short hash, so that different people still get different files.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATE))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    # "O'Brien" is one word: dropping the apostrophe keeps it from becoming "o-brien".
    slug = _NOT_SLUG.sub("-", _APOSTROPHES.sub("", ascii_text)).strip("-")
    slug = slug[:_SLUG_MAX].rstrip("-")
    if not slug:
        stripped = text.strip()
        if not stripped:
            return "unnamed"
        return "x-" + hashlib.sha256(stripped.encode("utf-8")).hexdigest()[:10]
    if slug in _RESERVED_NAMES:
        return f"{slug}-file"
    return slug


def _check(events: Sequence[CalendarEvent]) -> None:
    seen: set[str] = set()
    for event in events:
        for moment in (event.starts_at, event.ends_at):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"event {event.uid!r} has a naive datetime: {moment!r}")
        if event.ends_at < event.starts_at:
            raise ValueError(f"event {event.uid!r} ends before it starts")
        if event.uid in seen:
            # Calendar programs treat a repeated UID as one event and drop the others.
            raise ValueError(f"two events share the UID {event.uid!r}")
        seen.add(event.uid)


def _london_timezone(events: Sequence[CalendarEvent]) -> Timezone:
    # Whole calendar years, so the component always has both a BST and a GMT part
    # and is identical for every file whose events fall in the same years.
    if events:
        first_year = min(event.starts_at.astimezone(LONDON).year for event in events)
        last_year = max(event.ends_at.astimezone(LONDON).year for event in events)
    else:
        first_year = last_year = datetime.now(LONDON).year
    return Timezone.from_tzid(
        TZID, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def _vevent(event: CalendarEvent, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _london(event.starts_at))
    vevent.add("dtend", _london(event.ends_at))
    for key, value in (
        ("summary", event.summary),
        ("description", event.description),
        ("location", event.location),
    ):
        text = _text(value)
        if text.strip():
            vevent.add(key, text)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.organiser is not None and event.organiser.email.strip():
        vevent.add("organizer", _address(event.organiser))
    for attendee in event.attendees:
        if attendee.email.strip():
            address = _address(attendee)
            address.params["ROLE"] = attendee.role
            address.params["PARTSTAT"] = "NEEDS-ACTION"
            address.params["RSVP"] = "TRUE"
            vevent.add("attendee", address)
    return vevent


def _london(moment: datetime) -> datetime:
    local = moment.astimezone(LONDON)
    # In the repeated hour when the clocks go back, a wall-clock time with a TZID means
    # the first occurrence (RFC 5545 3.3.5); the second one can only be said in UTC.
    if local.fold:
        return moment.astimezone(UTC)
    return local


def _address(person: Attendee) -> vCalAddress:
    email = person.email.strip()
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:") :]
    address = vCalAddress(f"mailto:{email}")
    # A display name is one line; runs of whitespace (newlines included) become a space.
    cn = " ".join(_text(person.name).split())
    if cn:
        address.params["CN"] = cn
    return address


def _text(value: str) -> str:
    # Bare carriage returns would otherwise reach the file unescaped.
    normalised = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", normalised)
