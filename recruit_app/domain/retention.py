"""How long candidates' personal data is kept, as the seed packs promise: no longer than
the retention period (24 months by default) after the campaign closes for those who were
not successful; reserve-list candidates until their reserve expires, if that is later.
Appointed candidates are never erased here: their data moves on with their employment."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from recruit_app.domain.results import OVERRIDE_FLAG, reserve_expiry
from recruit_app.errors import ValidationError

DEFAULT_MONTHS = 24
LONGEST_MONTHS = 120


@dataclass(frozen=True)
class CandidateFacts:
    candidate_id: int
    campaign_closed_on: date | None  # None while the campaign is still running
    outcomes: tuple[str, ...]  # kinds, stage by stage
    reserve_expires_on: date | None = None
    erased: bool = False


def check_months(months: int) -> int:
    if isinstance(months, bool) or not isinstance(months, int):
        raise ValidationError("The retention period is a whole number of months.", "months")
    if not 1 <= months <= LONGEST_MONTHS:
        raise ValidationError(
            f"Keep personal data for 1 to {LONGEST_MONTHS} months after a campaign closes.",
            "months",
        )
    return months


def erase_after(facts: CandidateFacts, months: int) -> date | None:
    """The day from which the candidate's personal data is due for erasure; None if never
    (appointed, already erased, or the campaign has not closed)."""
    if facts.erased or facts.campaign_closed_on is None or "appoint" in facts.outcomes:
        return None
    due = reserve_expiry(facts.campaign_closed_on, months)
    if "reserve" in facts.outcomes and facts.reserve_expires_on is not None:
        due = max(due, facts.reserve_expires_on)
    return due


def due_for_erasure(facts: CandidateFacts, months: int, today: date) -> bool:
    due = erase_after(facts, months)
    return due is not None and today >= due


# --- erasing the copies ------------------------------------------------------------------

REDACTED = "[erased]"

# What a finalised merit order keeps about an erased candidate: their number, scores and
# outcome, so the statistics still add up. Anything else beside the number goes.
MERIT_ORDER_KEYS = frozenset(
    {
        "rank",
        "candidate_number",
        "total",
        "passed",
        "criteria",
        "guaranteed_interview",
        "progresses",
        "outcome",
        "flags",
        "scores_withheld",  # always false here: finalising is a manager's
        "overridden",  # the chair's override of the overall score: the reason is blanked
        "override_reason",
        "total_from_scores",
    }
)

_WORD = re.compile(r"\w+")
_EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+")
_NOT_DIGIT = re.compile(r"\D")
_PHONE_LIKE = re.compile(r"\d[\d\s\-.()/]*\d")
SHORTEST_PHONE = 7  # digits: fewer would match dates and amounts


@dataclass(frozen=True)
class Identity:
    """What names a candidate in free text written about someone else."""

    first_name: str
    last_name: str
    email: str
    phone: str


class Scrubber:
    """Replaces the names, e-mail addresses and phone numbers of erased candidates in free
    text (another candidate's outcome reason, a tie note, an audit summary) by REDACTED.

    A full name ("Ann Lee" or "Lee, Ann") is matched as whole words in any case; a first
    or last name alone is not (it would blank other people who share it). Cheap to run
    over every text of a campaign for thousands of candidates: a text is searched only for
    the people whose longest name word, e-mail address or phone number it holds.
    """

    def __init__(self, people: Iterable[Identity]) -> None:
        self._names: dict[str, list[str]] = {}  # a longest name word: its patterns
        self._emails: dict[str, str] = {}  # an address, lower case: its pattern
        self._phones: dict[str, str] = {}  # the digits: their pattern
        for person in people:
            first, last = _spaced(person.first_name), _spaced(person.last_name)
            words = _WORD.findall(f"{first} {last}")
            key = max(words, key=len).lower() if words else ""
            if not words or (len(words) == 1 and not (first and last)):
                pass  # one word alone would blank everyone who shares it
            elif first and last:
                self._names.setdefault(key, []).extend(
                    (_phrase(f"{first} {last}"), _phrase(last) + r"\s*,\s*" + _phrase(first))
                )
            else:  # a whole name typed in one field
                self._names.setdefault(key, []).append(_phrase(first or last))
            email = person.email.strip()
            if "@" in email:
                self._emails[email.lower()] = re.escape(email)
            digits = _NOT_DIGIT.sub("", person.phone)
            if len(digits) >= SHORTEST_PHONE:
                self._phones[digits] = r"(?<!\d)" + r"[\s\-.()/]*".join(digits) + r"(?!\d)"
        self._phone_lengths = sorted({len(d) for d in self._phones})

    def __bool__(self) -> bool:
        return bool(self._names or self._emails or self._phones)

    def _patterns(self, text: str) -> list[str]:
        """The patterns of the people this text may name (e-mails first: they hold names)."""
        found: list[str] = []
        if not text:
            return found
        low = text.lower()
        if self._emails and "@" in low:
            for match in _EMAIL.findall(low):
                pattern = self._emails.get(match.rstrip("."))
                if pattern is not None:
                    found.append(pattern)
        if self._phones:
            for run in _PHONE_LIKE.findall(low):
                digits = _NOT_DIGIT.sub("", run)
                for size in self._phone_lengths:
                    for start in range(len(digits) - size + 1):
                        pattern = self._phones.get(digits[start : start + size])
                        if pattern is not None:
                            found.append(pattern)
        if self._names:
            for word in self._names.keys() & set(_WORD.findall(low)):
                found.extend(self._names[word])
        return found

    def may_hold(self, text: str) -> bool:
        return bool(self._patterns(text))

    def scrub(self, text: str) -> str:
        scrubbed = text
        for pattern in self._patterns(text):
            scrubbed = _compiled(pattern).sub(REDACTED, scrubbed)
        return text if scrubbed == text else scrubbed

    def scrub_json(self, value: Any) -> Any:
        """The value with every string in it scrubbed (dict keys too); the same object if
        nothing changed, so callers can tell."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            items = [(self.scrub_json(k), self.scrub_json(v)) for k, v in value.items()]
            if all(a is k and b is v for (a, b), (k, v) in zip(items, value.items(), strict=True)):
                return value
            return dict(items)
        if isinstance(value, list | tuple):
            scrubbed = [self.scrub_json(v) for v in value]
            if all(a is b for a, b in zip(scrubbed, value, strict=True)):
                return value
            return scrubbed
        return value


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _phrase(text: str) -> str:
    """A regular expression for the words of `text` as whole words, any spacing."""
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in text.split()) + r"(?!\w)"


def merit_entry_kept(entry: Any) -> Any:
    """An erased candidate's line of a recorded merit order: number, scores and outcome."""
    if not isinstance(entry, dict):
        return entry
    kept = {k: v for k, v in entry.items() if k in MERIT_ORDER_KEYS}
    # The chair's reason for overriding the overall score may speak of the candidate.
    if kept.get("override_reason"):
        kept["override_reason"] = ""
    if isinstance(kept.get("flags"), list):
        kept["flags"] = [
            OVERRIDE_FLAG if isinstance(f, str) and f.startswith(f"{OVERRIDE_FLAG}:") else f
            for f in kept["flags"]
        ]
    return kept
