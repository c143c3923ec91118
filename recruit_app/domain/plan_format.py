"""A stage's question plan as exchange files hold it: one shape, one set of checks, one writer.

Campaign files (recruit-campaign/1) and role templates (recruit-role-template/1) both give
a stage `plan` (per criterion it assesses: the questions, each with its probes, minutes,
whether it is kept unseen and the day a presentation topic was sent), `welcome_script`
and `close_script`. Each format words an error its own way, so the checks here report
where in the plan the problem is and let the caller name the stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, TypeAdapter

from recruit_app.domain.plans import QUESTIONS_MAX, clean_minutes, clean_probes, clean_text
from recruit_app.errors import ValidationError

# A place in the plan, as a path from the stage: ("plan", 0, "questions", 2, "minutes").
Loc = tuple[Any, ...]
# How a format turns a place in the stage and a rule's message into its own error.
Fail = Callable[[Loc, str], ValidationError]

# --- the shape -------------------------------------------------------------------------


class PlanShape(BaseModel):
    """Strict, as every file value is: "4" is not a whole number, true is not 1."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class PlanQuestionEntry(PlanShape):
    text: str
    probes: list[str] = []
    minutes: int = 0
    unseen: bool = False
    sent_on: str | None = None


class PlanCellEntry(PlanShape):
    criterion: str
    questions: list[PlanQuestionEntry] = []


PLAN_SHAPE: TypeAdapter[list[PlanCellEntry]] = TypeAdapter(list[PlanCellEntry])

# A plan's fields as a recruiting manager would name them.
PLAN_LABELS = {
    "plan": "the question plan",
    "criterion": "the criterion",
    "questions": "the questions",
    "text": "the question",
    "probes": "the probes",
    "minutes": "the minutes",
    "unseen": "unseen",
    "sent_on": "the day it was sent",
}
# Pydantic's error types as a recruiting manager would read them.
SHAPE_PROBLEMS = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be an ordinary number, not NaN or infinity",
    "bool_type": "must be true or false",
    "list_type": "must be a list ([...])",
    "dict_type": "must be an object ({...})",
    "model_type": "must be an object ({...})",
    "model_attributes_type": "must be an object ({...})",
    "missing": "is missing",
}


# --- what comes out --------------------------------------------------------------------


@dataclass(frozen=True)
class PlanQuestionDef:
    text: str
    probes: tuple[str, ...] = ()
    minutes: int = 0
    unseen: bool = False
    sent_on: date | None = None


@dataclass(frozen=True)
class PlanCellDef:
    code: str  # one of the criteria the stage assesses, spelled as the criterion is
    questions: tuple[PlanQuestionDef, ...] = ()


# --- checking ----------------------------------------------------------------------------


def parse_plan_shape(raw: Any, fail: Fail) -> list[PlanCellEntry]:
    """A stage's `plan` value in the shape a plan has, or the first thing wrong with it."""
    try:
        return PLAN_SHAPE.validate_python(raw)
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        loc: Loc = ("plan", *error["loc"])
        field = next((part for part in reversed(loc) if isinstance(part, str)), "plan")
        kind = error["type"]
        if kind == "extra_forbidden":
            raise fail(loc, f"{field} is not something a question plan can hold.") from None
        problem = SHAPE_PROBLEMS.get(kind, str(error["msg"]))
        if field == "sent_on" and kind == "string_type":
            problem = "must be a date written YYYY-MM-DD"
        value = error.get("input")
        if kind != "missing" and isinstance(value, str | int | float | bool):
            problem += f", not {shown_value(value)}"
        raise fail(loc, f"{PLAN_LABELS.get(field, field)} {problem}.") from None


def check_plan(
    entries: Sequence[PlanCellEntry], assessed: Sequence[str], fail: Fail
) -> tuple[PlanCellDef, ...]:
    """The plan by the plan editor's rules: each entry for a criterion the stage assesses
    (codes match ignoring case, as they do on the advert), once, with at most QUESTIONS_MAX
    questions in all. Entries without questions say nothing and are left out."""
    codes = {code.casefold(): code for code in assessed}
    found: list[PlanCellDef] = []
    seen: set[str] = set()
    count = 0
    for number, entry in enumerate(entries):
        spot: Loc = ("plan", number)
        code = codes.get(entry.criterion.casefold())
        if code is None:
            raise fail(
                (*spot, "criterion"),
                f"{shown_value(entry.criterion)} is not one of the criteria this stage assesses.",
            )
        if code in seen:
            raise fail(("plan",), f"{code} has two entries in the plan.")
        seen.add(code)
        questions = tuple(
            _question(question, (*spot, "questions", index), fail)
            for index, question in enumerate(entry.questions)
        )
        count += len(questions)
        if count > QUESTIONS_MAX:
            raise fail(("plan",), f"A plan can hold at most {QUESTIONS_MAX} questions.")
        if questions:
            found.append(PlanCellDef(code, questions))
    return tuple(found)


def _question(question: PlanQuestionEntry, at: Loc, fail: Fail) -> PlanQuestionDef:
    texts = [("text", question.text)] + [("probes", p) for p in question.probes]
    for name, text in texts:
        if "\x00" in text:
            raise fail((*at, name), "It contains a NUL character.")
    try:
        text = clean_text(question.text, "text")
        probes = clean_probes(question.probes, "probes")
        minutes = clean_minutes(question.minutes, "minutes")
    except ValidationError as exc:
        raise fail((*at, exc.field or ""), exc.message) from None
    return PlanQuestionDef(
        text, probes, minutes, question.unseen, plan_day(question.sent_on, (*at, "sent_on"), fail)
    )


def plan_day(text: str | None, at: Loc, fail: Fail) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(at, f"{shown_value(text)} is not a date written YYYY-MM-DD.") from None


def shown_value(value: Any, limit: int = 60) -> str:
    """A value for a message, cut short: a file's value can be megabytes long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- writing -----------------------------------------------------------------------------


def plan_question_json(
    text: str, probes: Sequence[str], minutes: int, unseen: bool, sent_on: date | None
) -> dict[str, Any]:
    """One question as every file writes it."""
    return {
        "text": text,
        "probes": list(probes),
        "minutes": minutes,
        "unseen": unseen,
        "sent_on": sent_on.isoformat() if sent_on else None,
    }


def plan_to_json(plan: Sequence[PlanCellDef]) -> list[dict[str, Any]]:
    return [
        {
            "criterion": cell.code,
            "questions": [
                plan_question_json(q.text, q.probes, q.minutes, q.unseen, q.sent_on)
                for q in cell.questions
            ],
        }
        for cell in plan
    ]
