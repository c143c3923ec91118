"""How long candidates' personal data is kept, as the seed packs promise: no longer than
the retention period (24 months by default) after the campaign closes for those who were
not successful; reserve-list candidates until their reserve expires, if that is later.
Appointed candidates are never erased here: their data moves on with their employment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recruit_app.domain.results import reserve_expiry
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
