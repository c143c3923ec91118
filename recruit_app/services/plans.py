"""Question plan use cases: read a stage's plan, replace it, pick questions from the bank,
and record a departure from it with one candidate, and list those recorded."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db import audit
from db.models import (
    AdvertCriterion,
    Campaign,
    Candidate,
    Criterion,
    PlanDeviation,
    PlanQuestion,
    Question,
    Stage,
    StageCriterion,
    id_of,
)
from recruit_app.domain.dates import london_date
from recruit_app.domain.plans import (
    PlanCell,
    PlanItem,
    PlanQuestionView,
    StagePlan,
    clean_plan,
    clean_script,
    plan_findings,
    slot_minutes_of,
)
from recruit_app.errors import NotFound, ValidationError
from recruit_app.readmodels import PlanDeviationLine
from recruit_app.services.access import stage_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import audit_stage, check_version, touch, unit_of_work

NOTE_MAX = 5000
# NUL cannot be stored in PostgreSQL text; the other control characters cannot be printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class BankQuestion:
    """A question of the bank that suits a cell: its criterion, at its level or any."""

    id: int
    criterion: str  # the library criterion's code
    level: int | None
    text: str
    probes: tuple[str, ...]


@dataclass(frozen=True)
class DeviationView:
    """A departure from the plan with one candidate, who is named by number only."""

    id: int
    candidate_number: str
    note: str
    recorded_by: str
    recorded_at: datetime  # UTC

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate_number,
            "note": self.note,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }

    def as_line(self) -> PlanDeviationLine:
        """As the chair's copy of the panel pack and the campaign report print it."""
        return PlanDeviationLine(
            self.candidate_number, self.note, self.recorded_by, london_date(self.recorded_at)
        )


# --- reading -------------------------------------------------------------------------


def _cells(session: Session, stage_id: int) -> list[tuple[StageCriterion, AdvertCriterion]]:
    return [
        (cell, criterion)
        for cell, criterion in session.exec(
            select(StageCriterion, AdvertCriterion)
            .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
            .where(StageCriterion.stage_id == stage_id)
            .order_by(col(StageCriterion.position), col(StageCriterion.id))
        )
    ]


def read_plan(session: Session, stage: Stage) -> StagePlan:
    """The stage's plan from an open session (no permission check: callers check)."""
    stage_id = id_of(stage)
    questions: dict[int, list[PlanQuestionView]] = {}
    for row in session.exec(
        select(PlanQuestion)
        .where(PlanQuestion.stage_id == stage_id)
        .order_by(col(PlanQuestion.position), col(PlanQuestion.id))
    ):
        questions.setdefault(row.stage_criterion_id, []).append(
            PlanQuestionView(
                id=id_of(row),
                question_id=row.question_id,
                text=row.text,
                probes=tuple(row.probes or ()),
                minutes=row.minutes,
                unseen=row.unseen,
                sent_on=row.sent_on,
            )
        )
    cells = tuple(
        PlanCell(
            cell_id=id_of(cell),
            code=criterion.code,
            title=criterion.title,
            element=criterion.element,
            level=criterion.level,
            library_criterion_id=criterion.criterion_id,
            questions=tuple(questions.get(id_of(cell), ())),
        )
        for cell, criterion in _cells(session, stage_id)
    )
    slot_minutes = slot_minutes_of(stage.slot_plan)
    findings = plan_findings(
        [(c.code, c.element, [(q.minutes, q.unseen) for q in c.questions]) for c in cells],
        slot_minutes,
    )
    return StagePlan(
        stage_id=stage_id,
        version=stage.version,
        stage_name=stage.name,
        stage_kind=stage.kind,
        cells=cells,
        welcome_script=stage.welcome_script or "",
        close_script=stage.close_script or "",
        slot_minutes=slot_minutes,
        findings=findings,
    )


def has_questions(session: Session, stage_id: int) -> bool:
    """Whether the stage's plan has a question (there is a plan to depart from)."""
    found = session.exec(
        select(PlanQuestion.id).where(PlanQuestion.stage_id == stage_id).limit(1)
    ).first()
    return found is not None


def read_deviations(session: Session, stage_ids: Iterable[int]) -> dict[int, list[DeviationView]]:
    """The departures recorded at these stages, by stage id, oldest first (no permission
    check: callers check). A note blanked by erasing its candidate is left out."""
    ids = list(stage_ids)
    found: dict[int, list[DeviationView]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(PlanDeviation, Candidate.candidate_number)
        .join(Candidate, col(Candidate.id) == PlanDeviation.candidate_id)
        .where(col(PlanDeviation.stage_id).in_(ids), PlanDeviation.note != "")
        .order_by(col(PlanDeviation.recorded_at), col(PlanDeviation.id))
    )
    for row, number in rows:
        found.setdefault(row.stage_id, []).append(
            DeviationView(id_of(row), number, row.note, row.recorded_by, row.recorded_at)
        )
    return found


def stage_plan(ctx: ServiceContext, stage_id: int) -> StagePlan:
    """The stage's question plan, for its managers and the panel members sitting on it."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return read_plan(session, stage_for(session, ctx, stage_id, "view"))


def bank_questions(ctx: ServiceContext, stage_id: int, cell_id: int) -> list[BankQuestion]:
    """The bank's questions for a cell's library criterion: those for the advert's level
    and those for any level (a criterion written for the advert has none)."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = stage_for(session, ctx, stage_id, "view")
        cell = session.get(StageCriterion, cell_id)
        if cell is None or cell.stage_id != stage.id:
            raise NotFound(f"{stage.name} no longer assesses that criterion.")
        criterion = session.get(AdvertCriterion, cell.advert_criterion_id)
        if criterion is None or criterion.criterion_id is None:
            return []
        found = []
        for question, code in session.exec(
            select(Question, Criterion.code)
            .join(Criterion, col(Criterion.id) == Question.criterion_id)
            .where(
                Question.criterion_id == criterion.criterion_id, col(Question.retired).is_(False)
            )
            .order_by(col(Question.level).nulls_first(), col(Question.position), col(Question.id))
        ):
            if criterion.level is not None and question.level not in (None, criterion.level):
                continue
            found.append(
                BankQuestion(
                    id_of(question), code, question.level, question.text, tuple(question.probes)
                )
            )
        return found


# --- writing -------------------------------------------------------------------------


def _values(plan: StagePlan) -> dict[str, Any]:
    return {
        "plan": [c.to_json() for c in plan.cells if c.questions],
        "welcome_script": plan.welcome_script,
        "close_script": plan.close_script,
    }


def write_plan(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    items: Sequence[PlanItem],
    *,
    welcome_script: str,
    close_script: str,
) -> None:
    """Replace the stage's plan with `items` (checked) in the open session; no audit."""
    stage_id = id_of(stage)
    cleaned = clean_plan(items)
    welcome = clean_script(welcome_script, "welcome_script")
    close = clean_script(close_script, "close_script")
    cells = {id_of(cell) for cell, _criterion in _cells(session, stage_id)}
    for index, item in enumerate(cleaned):
        if item.cell_id not in cells:
            raise ValidationError(
                f"{stage.name} no longer assesses the criterion of question {index + 1}: "
                "reload the plan.",
                f"questions[{index}].criterion",
            )
    known = {
        qid
        for qid in session.exec(
            select(Question.id).where(
                col(Question.id).in_({i.question_id for i in cleaned if i.question_id})
            )
        )
    }
    for row in session.exec(select(PlanQuestion).where(PlanQuestion.stage_id == stage_id)):
        session.delete(row)
    session.flush()
    for position, item in enumerate(cleaned):
        session.add(
            PlanQuestion(
                stage_id=stage_id,
                stage_criterion_id=item.cell_id,
                # A bank question removed meanwhile: the plan keeps the words.
                question_id=item.question_id if item.question_id in known else None,
                position=position,
                text=item.text,
                probes=list(item.probes),
                minutes=item.minutes,
                unseen=item.unseen,
                sent_on=item.sent_on,
                updated_by=ctx.actor.name,
            )
        )
    stage.welcome_script, stage.close_script = welcome, close
    touch(stage, ctx)
    session.add(stage)
    session.flush()


def save_plan(
    ctx: ServiceContext,
    stage_id: int,
    items: Sequence[PlanItem],
    *,
    welcome_script: str,
    close_script: str,
    expected_version: int | None,
) -> StagePlan:
    """Replace the stage's question plan and the chair's script, in one transaction."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        stage = stage_for(session, ctx, stage_id, "manage")
        check_version(stage, expected_version, f"The plan of {stage.name}")
        before = _values(read_plan(session, stage))
        write_plan(
            session, ctx, stage, items, welcome_script=welcome_script, close_script=close_script
        )
        plan = read_plan(session, stage)
        audit_stage(
            session,
            ctx,
            stage,
            "plan.save",
            f"Set the question plan of {stage.name}: {plan.questions} questions, "
            f"{plan.total_minutes} minutes",
            before=before,
            after=_values(plan),
        )
        return plan


def record_deviation(
    ctx: ServiceContext, stage_id: int, candidate_id: int, note: str
) -> DeviationView:
    """Record that the plan was not followed with one candidate (a question left out, one
    added): by a panel member sitting on the stage, or a manager."""
    require(ctx.actor, "campaign.view")
    note = _CONTROL.sub("", note).strip()
    if not note:
        raise ValidationError("Say how the interview departed from the plan.", "note")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note must be {NOTE_MAX:,} characters or fewer.", "note")
    with unit_of_work(ctx) as session:
        stage = stage_for(session, ctx, stage_id, "view")
        candidate = session.get(Candidate, candidate_id)
        if candidate is None or candidate.campaign_id != stage.campaign_id:
            raise NotFound("That candidate is no longer in the campaign.")
        if not has_questions(session, id_of(stage)):
            raise ValidationError(
                f"{stage.name} has no question plan to depart from: set its questions first.",
                "stage",
            )
        row = PlanDeviation(
            stage_id=id_of(stage), candidate_id=candidate_id, note=note, recorded_by=ctx.actor.name
        )
        session.add(row)
        session.flush()
        # Filed under the candidate: erasing them blanks the note here too.
        campaign = session.get(Campaign, stage.campaign_id)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="plan.deviation",
            entity="candidate",
            entity_id=candidate_id,
            campaign_id=stage.campaign_id,
            campaign_reference=campaign.reference if campaign else "",
            summary=f"Recorded a departure from the plan of {stage.name} "
            f"with candidate {candidate.candidate_number}",
            after={"stage": stage.name, "candidate": candidate.candidate_number, "note": note},
        )
        return DeviationView(
            id_of(row), candidate.candidate_number, note, row.recorded_by, row.recorded_at
        )


def stage_deviations(ctx: ServiceContext, stage_id: int) -> list[DeviationView]:
    """The departures from the stage's plan recorded so far, oldest first: for its managers
    and the panel members sitting on it. Candidates are named by number only, as at a
    name-blind stage."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = stage_for(session, ctx, stage_id, "view")
        return read_deviations(session, [id_of(stage)]).get(id_of(stage), [])
