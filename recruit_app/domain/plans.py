"""Question plans of interview-like stages: the rules for a question, the timing check, and
the plan as it is read (DOMAIN.md 6a: the same questions for everyone, with probes and time).

Plain Python in, plain Python out: the services read and write the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from recruit_app.domain.advert_rules import Finding
from recruit_app.errors import ValidationError

TEXT_MAX = 2000  # characters of a question
PROBE_MAX = 500  # characters of one probe
PROBES_MAX = 10  # probes of one question
MINUTES_MAX = 180  # minutes of one question
QUESTIONS_MAX = 100  # questions in one stage's plan
SCRIPT_MAX = 10000  # characters of the welcome or the close script
STRENGTHS = "STR"  # the element whose questions may be kept unseen (DOMAIN.md 1.6)


# --- what a plan holds -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """One question as a manager sets it, for one cell of the assessment matrix."""

    cell_id: int
    text: str
    probes: tuple[str, ...] = ()
    minutes: int = 0
    unseen: bool = False
    sent_on: date | None = None  # a presentation topic sent in advance, and when
    question_id: int | None = None  # the bank question it was taken from


@dataclass(frozen=True)
class PlanQuestionView:
    id: int
    question_id: int | None
    text: str
    probes: tuple[str, ...]
    minutes: int
    unseen: bool
    sent_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "probes": list(self.probes),
            "minutes": self.minutes,
            "unseen": self.unseen,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None,
        }


@dataclass(frozen=True)
class PlanCell:
    """A criterion the stage assesses, with the plan's questions for it in order."""

    cell_id: int
    code: str
    title: str
    element: str  # an Element code
    level: int | None
    library_criterion_id: int | None
    questions: tuple[PlanQuestionView, ...]

    @property
    def minutes(self) -> int:
        return sum(q.minutes for q in self.questions)

    def to_json(self) -> dict[str, Any]:
        return {"criterion": self.code, "questions": [q.to_json() for q in self.questions]}


@dataclass(frozen=True)
class StagePlan:
    """A stage's question plan, every cell of its matrix in order (a cell may have none)."""

    stage_id: int
    version: int  # the stage's: a save carries it
    stage_name: str
    stage_kind: str
    cells: tuple[PlanCell, ...]
    welcome_script: str
    close_script: str
    slot_minutes: int | None  # from the stage's slot plan; None when it has none
    findings: tuple[Finding, ...]

    @property
    def total_minutes(self) -> int:
        return sum(c.minutes for c in self.cells)

    @property
    def questions(self) -> int:
        return sum(len(c.questions) for c in self.cells)

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage_name,
            "plan": [c.to_json() for c in self.cells if c.questions],
            "total_minutes": self.total_minutes,
            "slot_minutes": self.slot_minutes,
            "warnings": [f.message for f in self.findings],
        }


# --- rules -------------------------------------------------------------------------------


def clean_text(text: str, field: str = "text") -> str:
    text = text.strip()
    if not text:
        raise ValidationError("Write the question.", field)
    if len(text) > TEXT_MAX:
        raise ValidationError(f"A question must be {TEXT_MAX:,} characters or fewer.", field)
    return text


def clean_probes(probes: Iterable[str], field: str = "probes") -> tuple[str, ...]:
    kept = tuple(p.strip() for p in probes if p.strip())
    if len(kept) > PROBES_MAX:
        raise ValidationError(f"A question can have at most {PROBES_MAX} probes.", field)
    if any(len(p) > PROBE_MAX for p in kept):
        raise ValidationError(f"A probe must be {PROBE_MAX} characters or fewer.", field)
    return kept


def clean_minutes(minutes: Any, field: str = "minutes") -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError("The minutes must be a whole number.", field)
    if not 0 <= minutes <= MINUTES_MAX:
        raise ValidationError(f"The minutes must be between 0 and {MINUTES_MAX}.", field)
    return minutes


def clean_script(text: str, field: str) -> str:
    text = text.strip()
    if len(text) > SCRIPT_MAX:
        raise ValidationError(f"A script must be {SCRIPT_MAX:,} characters or fewer.", field)
    return text


def clean_item(item: PlanItem, index: int = 0) -> PlanItem:
    """The question with its text and probes trimmed, or ValidationError naming the field
    ("questions[2].minutes")."""
    at = f"questions[{index}]"
    return PlanItem(
        cell_id=item.cell_id,
        text=clean_text(item.text, f"{at}.text"),
        probes=clean_probes(item.probes, f"{at}.probes"),
        minutes=clean_minutes(item.minutes, f"{at}.minutes"),
        unseen=bool(item.unseen),
        sent_on=item.sent_on,
        question_id=item.question_id,
    )


def clean_plan(items: Sequence[PlanItem]) -> tuple[PlanItem, ...]:
    if len(items) > QUESTIONS_MAX:
        raise ValidationError(f"A plan can hold at most {QUESTIONS_MAX} questions.", "questions")
    return tuple(clean_item(item, index) for index, item in enumerate(items))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def timing_finding(total_minutes: int, slot_minutes: int | None) -> Finding | None:
    """A warning when the questions take longer than a slot; none when they fit (or there
    are no slots to fit)."""
    if not slot_minutes or total_minutes <= slot_minutes:
        return None
    return Finding(
        "warning",
        "timing",
        "minutes",
        f"The plan takes {_plural(total_minutes, 'minute')}; "
        f"the slots are {_plural(slot_minutes, 'minute')} long.",
    )


def plan_findings(
    cells: Sequence[tuple[str, str, Sequence[tuple[int, bool]]]],
    slot_minutes: int | None,
) -> tuple[Finding, ...]:
    """Warnings about a plan: per cell (code, element, [(minutes, unseen)...]), an unseen
    question outside the strengths, then the timing. None of them stops a save."""
    found: list[Finding] = []
    for code, element, questions in cells:
        if element != STRENGTHS and any(unseen for _minutes, unseen in questions):
            found.append(
                Finding(
                    "warning",
                    "unseen",
                    "unseen",
                    f"{code} is not a strength: candidates are expected to prepare examples "
                    "for it, so keeping its questions unseen is unusual.",
                )
            )
    total = sum(minutes for _code, _element, questions in cells for minutes, _ in questions)
    timing = timing_finding(total, slot_minutes)
    if timing is not None:
        found.append(timing)
    return tuple(found)


def slot_minutes_of(slot_plan: Any) -> int | None:
    """The slot length of a stage's slot plan (its JSON), or None where it has none."""
    if not isinstance(slot_plan, dict):
        return None
    value = slot_plan.get("slot_minutes")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value
