"""Words and colours the results views share: numbers, outcomes, progression."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor

from recruit_app.domain.dates import short_date
from recruit_app.vocabulary import Outcome

if TYPE_CHECKING:
    from recruit_app.services.results import ResultRow

GOOD = QColor("#1b5e20")
BAD = QColor("#b00020")
MUTED = QColor("#6b6b6b")
ATTENTION = QColor("#8a5300")  # dark amber: readable on white, not mistaken for an error
TO_AGREE = QColor("#fff3cd")  # a pale amber row: scores too far apart, no agreed score yet
AGREED = QColor("#e8f5e9")  # a pale green row: flagged, and the panel has agreed a score

PROGRESS_WORDS = {True: "Yes", False: "No", None: "To decide"}


def number(value: float | None) -> str:
    """A score or total as people write it: 5, 6.67, 34.5; empty when there is none."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def signed(value: float | None) -> str:
    """A difference with its sign, so "lower than the panel" reads at a glance."""
    if value is None:
        return ""
    text = number(abs(value))
    if text == "0":
        return "0"
    return f"+{text}" if value > 0 else f"−{text}"


def outcome_text(row: ResultRow) -> str:
    if row.outcome is None:
        return ""
    if row.outcome == Outcome.RESERVE and row.reserve_expires_on is not None:
        return f"{Outcome.RESERVE.label} to {short_date(row.reserve_expires_on)}"
    return Outcome.label_for(row.outcome)


def top(count: int | None) -> str:
    """The progression rule "top N" in words."""
    return "only the top candidate progresses" if count == 1 else f"the top {count} progress"


def headline(blocker: str) -> str:
    """A blocker without its bracketed list of candidates, which can run to many lines."""
    head, bracket, _rest = blocker.partition(" (")
    return head if bracket and blocker.endswith(")") else blocker


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
