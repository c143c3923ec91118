"""Results use cases: moderation, the merit order, finalising, outcomes and exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit
from db.locks import lock_stage
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    Candidate,
    ModeratedScore,
    Outcome,
    PanelAssignment,
    Person,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from db.types import utcnow
from recruit_app import vocabulary
from recruit_app.domain.assessors import AssessorScore, consistency
from recruit_app.domain.dates import plain_date
from recruit_app.domain.results import (
    GUARANTEED_FLAG,
    TIE_FLAG,
    CandidateScores,
    CriterionSpec,
    StageResults,
    StageRules,
    Summary,
    compute_results,
    reserve_expired,
    reserve_expiry,
)
from recruit_app.domain.stage_rules import standard_mark
from recruit_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from recruit_app.services.access import (
    NAME_BLIND_RULE,
    Use,
    campaign_for,
    details_hidden,
    score_sight,
    stage_for,
)
from recruit_app.services.candidates import candidate_rows_at_stage, candidates_at_stage
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.scoring import stage_scale
from recruit_app.services.uow import (
    STALE_MESSAGE,
    check_version,
    plain_rows,
    select_columns,
    touch,
    unit_of_work,
)

# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class ResultCriterion:
    cell_id: int
    code: str
    title: str
    weight: float
    pass_mark: float | None
    lead: bool
    essential: bool = True
    standard: float | None = None  # a desirable score under it shows as below, failing no one


# Not frozen: tens of thousands are made per results run, and a frozen dataclass is
# three times slower to make. Treat as read-only.
@dataclass(slots=True)
class ResultRow:
    candidate_id: int
    number: str
    label: str
    guaranteed_interview: bool
    criterion_scores: Mapping[str, float | None]
    total: float | None
    passed: bool
    failed_criteria: tuple[str, ...]
    rank: int | None
    progresses: bool | None
    flags: tuple[str, ...]
    outcome: str | None
    outcome_id: int | None
    outcome_version: int
    reserve_expires_on: date | None
    below_criteria: tuple[str, ...] = ()  # the failed ones, and desirable ones under standard
    # Independence: the person acting has not yet submitted their own scores for this
    # candidate, so sees nothing worked out from anyone's (access.score_sight).
    withheld: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "candidate_number": self.number,
            "total": None if self.total is None else round(self.total, 2),
            "passed": None if self.withheld else self.passed,
            "criteria": {
                code: None if v is None else round(v, 2)
                for code, v in self.criterion_scores.items()
            },
            "guaranteed_interview": self.guaranteed_interview,
            "progresses": self.progresses,
            "outcome": self.outcome,
            "flags": list(self.flags),
            "scores_withheld": self.withheld,
        }


@dataclass(frozen=True)
class ResultsView:
    stage_id: int
    stage_name: str
    stage_version: int
    finalised: bool
    criteria: tuple[ResultCriterion, ...]
    rows: tuple[ResultRow, ...]
    blockers: tuple[str, ...]
    can_finalise: bool
    cutoff_tie: tuple[int, ...]
    tie_note: str
    merit_order_shown: bool = True  # False: a panel member who still owes scores here
    details_hidden: bool = False  # name-blind: no scheme flags either (access.py)
    notice: str = ""  # the rules that hide something from the person acting, in words


@dataclass(frozen=True)
class ModerationPair:
    candidate_id: int
    label: str
    cell_id: int
    code: str
    scores: tuple[tuple[str, int | None, str], ...]  # assessor name, score, evidence
    spread: float
    flagged: bool
    agreed: int | None
    rationale: str
    agreed_id: int | None
    agreed_version: int


@dataclass(frozen=True)
class AssessorView:
    name: str
    count: int
    mean: float
    spread: float
    panel_mean: float | None
    difference: float | None
    moderated: int
    moved_away: int
    label: str


# --- gathering scores ----------------------------------------------------------------


def _stage(session: Session, ctx: ServiceContext, stage_id: int, use: Use) -> Stage:
    return stage_for(session, ctx, stage_id, use)


def _criteria(session: Session, stage: Stage) -> list[ResultCriterion]:
    rows = session.exec(
        select(StageCriterion, AdvertCriterion)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .where(StageCriterion.stage_id == stage.id)
        .order_by(col(StageCriterion.position))
    )
    standard = standard_mark(stage.scale, stage.custom_scale)
    return [
        ResultCriterion(
            id_of(cell),
            a.code,
            a.title,
            cell.weight,
            cell.pass_mark,
            a.lead,
            a.essential,
            standard,
        )
        for cell, a in rows
    ]


def _submitted(
    session: Session, stage: Stage, codes: Mapping[int, str]
) -> dict[int, dict[str, Summary]]:
    """candidate -> criterion code -> count, mean, lowest and highest submitted score,
    totalled in SQL.

    Fetched in one go on the connection, not through the ORM: tens of thousands of plain
    rows come back, and results for a large campaign must stay well under a second.
    """
    found: dict[int, dict[str, Summary]] = {}
    if not codes:
        return found
    # Grouped in the order of the unique (criterion, candidate, assessor) index, which
    # SQLite then walks without sorting.
    rows = plain_rows(
        session,
        select_columns(
            Score.candidate_id,
            Score.stage_criterion_id,
            func.count(),
            func.sum(Score.value),
            func.min(Score.value),
            func.max(Score.value),
        )
        .where(
            col(Score.stage_criterion_id).in_(list(codes)),
            Score.status == "submitted",
            col(Score.value).is_not(None),
        )
        .group_by(col(Score.stage_criterion_id), col(Score.candidate_id)),
    )
    for candidate_id, cell_id, count, total, low, high in rows:
        cells = found.get(candidate_id)
        if cells is None:
            cells = found[candidate_id] = {}
        cells[codes[cell_id]] = Summary(count, total / count, float(low), float(high))
    return found


def _agreed(session: Session, stage: Stage) -> dict[int, dict[int, ModeratedScore]]:
    found: dict[int, dict[int, ModeratedScore]] = {}
    rows = session.exec(
        select(ModeratedScore)
        .join(StageCriterion, col(StageCriterion.id) == ModeratedScore.stage_criterion_id)
        .where(StageCriterion.stage_id == stage.id)
    )
    for row in rows:
        found.setdefault(row.candidate_id, {})[row.stage_criterion_id] = row
    return found


def _compute(
    session: Session, stage: Stage
) -> tuple[list[ResultCriterion], list[Any], StageResults]:
    criteria = _criteria(session, stage)
    codes = {c.cell_id: c.code for c in criteria}
    people = candidate_rows_at_stage(session, stage)
    submitted = _submitted(session, stage, codes)
    agreed = _agreed(session, stage)
    rules = StageRules(
        criteria=tuple(
            CriterionSpec(c.code, c.weight, c.pass_mark, c.lead, c.essential, c.standard)
            for c in criteria
        ),
        pass_mark_total=stage.pass_mark_total,
        min_assessors=stage.min_assessors,
        moderation_spread=stage.moderation_spread,
        progress_rule=stage.progress_rule,
        progress_count=stage.progress_count,
        is_sift=stage.kind == "sift",
    )
    resolved = set(stage.tie_progress) if stage.tie_note else set()
    scores = [
        CandidateScores(
            candidate_id=p.id,
            number=p.candidate_number,
            guaranteed_interview=p.guaranteed_interview,
            submitted=submitted.get(p.id, {}),
            agreed={
                codes[cell]: float(m.value)
                for cell, m in agreed.get(p.id, {}).items()
                if cell in codes
            },
            resolved_tie=p.id in resolved,
        )
        for p in people
    ]
    return criteria, people, compute_results(rules, scores)


def _label(candidate: Candidate, hidden: bool) -> str:
    if hidden:
        return f"Candidate {candidate.candidate_number}"
    return f"{candidate.candidate_number} {candidate.first_name} {candidate.last_name}".strip()


def stage_results(ctx: ServiceContext, stage_id: int) -> ResultsView:
    """The merit order as it stands, with what still blocks finalising."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return results_in(session, ctx, _stage(session, ctx, stage_id, "view"))


def results_in(session: Session, ctx: ServiceContext, stage: Stage) -> ResultsView:
    """Within the caller's transaction: the stage's results (see stage_results), as the
    person acting may see them: independence and name-blind (access.py) decide."""
    stage_id = stage.id
    assert stage_id is not None
    criteria, people, computed = _compute(session, stage)
    hidden = details_hidden(ctx, stage)
    sight = score_sight(session, ctx, stage)
    by_id = {p.id: p for p in people}
    outcomes = {
        o.candidate_id: o for o in session.exec(select(Outcome).where(Outcome.stage_id == stage_id))
    }
    tied = set(computed.cutoff_tie)
    rows = []
    for result in computed.results:
        person = by_id[result.candidate_id]
        label = _label(person, hidden)
        if not sight.sees(result.candidate_id):
            rows.append(_withheld(result.candidate_id, result.number, label, criteria))
            continue
        outcome = outcomes.get(result.candidate_id) if sight.merit_order else None
        progresses = result.progresses
        if (
            stage.tie_note
            and result.candidate_id in tied
            and not result.guaranteed_interview_progress
        ):
            progresses = result.candidate_id in stage.tie_progress
        flags = result.flags
        if hidden:
            flags = tuple(f for f in flags if f != GUARANTEED_FLAG)
        if not sight.merit_order:
            flags = tuple(f for f in flags if f != TIE_FLAG)
        rows.append(
            ResultRow(
                result.candidate_id,
                result.number,
                label,
                False if hidden else person.guaranteed_interview,
                result.criterion_scores,
                result.total,
                result.passed,
                result.failed_criteria,
                result.rank if sight.merit_order else None,
                progresses if sight.merit_order else None,
                flags,
                outcome.kind if outcome else None,
                outcome.id if outcome else None,
                outcome.version if outcome else 0,
                outcome.reserve_expires_on if outcome else None,
                result.below_criteria,
            )
        )
    blockers = list(computed.blockers)
    if stage.tie_note:
        blockers = [b for b in blockers if not b.startswith("A tie at the cut-off")]
    if not sight.merit_order:
        # Not the merit order: the rows by candidate number, nothing of the cut-off.
        rows.sort(key=lambda r: _number_key(r.number))
        blockers = []
    notice = " ".join(n for n in (sight.notice, NAME_BLIND_RULE if hidden else "") if n)
    return ResultsView(
        stage_id=stage_id,
        stage_name=stage.name,
        stage_version=stage.version,
        finalised=stage.finalised_at is not None,
        criteria=tuple(criteria),
        rows=tuple(rows),
        blockers=tuple(blockers),
        can_finalise=not blockers and sight.merit_order,
        cutoff_tie=computed.cutoff_tie if sight.merit_order else (),
        tie_note=stage.tie_note if sight.merit_order else "",
        merit_order_shown=sight.merit_order,
        details_hidden=hidden,
        notice=notice,
    )


def _withheld(
    candidate_id: int, number: str, label: str, criteria: list[ResultCriterion]
) -> ResultRow:
    """A candidate's row before the panel member has submitted their own scores for them:
    who they are, and nothing worked out from anyone's scores."""
    return ResultRow(
        candidate_id,
        number,
        label,
        False,
        dict.fromkeys((c.code for c in criteria), None),
        None,
        False,
        (),
        None,
        None,
        (),
        None,
        None,
        0,
        None,
        (),
        withheld=True,
    )


def _number_key(number: str) -> tuple[int, str]:
    """Candidate numbers sort as numbers ("0010" after "0009"), others after them."""
    return (int(number), number) if number.isdigit() else (10**12, number)


# --- moderation ----------------------------------------------------------------------


def _may_moderate(session: Session, ctx: ServiceContext, stage: Stage) -> None:
    """The stage's chair, or a recruiting manager or administrator."""
    require(ctx.actor, "results.moderate")
    if ctx.actor.role != "panel_member":
        return
    chair = session.exec(
        select(PanelAssignment).where(
            PanelAssignment.stage_id == stage.id,
            PanelAssignment.person_id == ctx.actor.person_id,
            PanelAssignment.panel_role == "chair",
        )
    ).first()
    if chair is None:
        raise PermissionDenied(
            f"As a panel member, {ctx.actor.name} may not record agreed scores: "
            f"only the chair of {stage.name} can."
        )


def moderation_view(ctx: ServiceContext, stage_id: int) -> list[ModerationPair]:
    """Each candidate and criterion with the assessors' scores side by side."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "view")
        if ctx.actor.role == "panel_member":
            _may_moderate(session, ctx, stage)
        criteria = _criteria(session, stage)
        people = candidates_at_stage(session, stage)
        hidden = details_hidden(ctx, stage)
        rows = session.exec(
            select(Score, Person.name)
            .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
            .join(Person, col(Person.id) == Score.assessor_id)
            .where(StageCriterion.stage_id == stage_id, Score.status == "submitted")
            .order_by(col(Person.name))
        )
        scores: dict[tuple[int, int], list[tuple[str, int | None, str]]] = {}
        for score, name in rows:
            scores.setdefault((score.candidate_id, score.stage_criterion_id), []).append(
                (name, score.value, score.evidence)
            )
        agreed = _agreed(session, stage)
        pairs = []
        for person in people:
            person_id = id_of(person)
            for criterion in criteria:
                found = scores.get((person_id, criterion.cell_id), [])
                values = [v for _n, v, _e in found if v is not None]
                spread = float(max(values) - min(values)) if values else 0.0
                moderated = agreed.get(person_id, {}).get(criterion.cell_id)
                pairs.append(
                    ModerationPair(
                        person_id,
                        _label(person, hidden),
                        criterion.cell_id,
                        criterion.code,
                        tuple(found),
                        spread,
                        spread >= stage.moderation_spread and len(values) > 1,
                        moderated.value if moderated else None,
                        moderated.rationale if moderated else "",
                        moderated.id if moderated else None,
                        moderated.version if moderated else 0,
                    )
                )
        return pairs


def record_agreed_score(
    ctx: ServiceContext,
    stage_id: int,
    candidate_id: int,
    cell_id: int,
    *,
    value: int,
    rationale: str,
    expected_version: int | None,
) -> ModerationPair:
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _may_moderate(session, ctx, stage)
        if stage.finalised_at is not None:
            raise ValidationError(f"The results of {stage.name} are final.")
        if value not in stage_scale(stage).values:
            raise ValidationError(f"{value} is not on this stage's scale.", "value")
        rationale = rationale.strip()
        if not rationale:
            raise ValidationError("Say why the panel agreed this score.", "rationale")
        if len(rationale) > 5000:
            raise ValidationError("Keep the rationale to 5,000 characters.", "rationale")
        cell = session.get(StageCriterion, cell_id)
        if cell is None or cell.stage_id != stage_id:
            raise NotFound("That criterion is not assessed at this stage.")
        row = session.exec(
            select(ModeratedScore).where(
                ModeratedScore.stage_criterion_id == cell_id,
                ModeratedScore.candidate_id == candidate_id,
            )
        ).first()
        before = None
        if row is None:
            row = ModeratedScore(
                stage_criterion_id=cell_id,
                candidate_id=candidate_id,
                value=value,
                rationale=rationale,
                updated_by=ctx.actor.name,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                # Another desktop agreed this score after this one showed none.
                raise ConflictError(STALE_MESSAGE) from None
        else:
            check_version(row, expected_version, "The agreed score")
            before = {"value": row.value, "rationale": row.rationale}
            row.value, row.rationale = value, rationale
            touch(row, ctx)
        session.flush()
        campaign = session.get(Campaign, stage.campaign_id)
        candidate = session.get(Candidate, candidate_id)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="score.agree",
            entity="moderated_score",
            entity_id=row.id,
            campaign_id=stage.campaign_id,
            campaign_reference=campaign.reference if campaign else "",
            summary=f"Agreed score for candidate "
            f"{candidate.candidate_number if candidate else candidate_id}",
            before=before,
            after={"value": value, "rationale": rationale},
        )
    return next(
        p
        for p in moderation_view(ctx, stage_id)
        if p.candidate_id == candidate_id and p.cell_id == cell_id
    )


# --- finalising and outcomes ---------------------------------------------------------


def resolve_tie(
    ctx: ServiceContext,
    stage_id: int,
    *,
    note: str,
    progress: list[int],
    expected_version: int | None,
) -> ResultsView:
    """Record how the chair settled a tie at the cut-off, and who of the tied progresses."""
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _may_moderate(session, ctx, stage)
        check_version(stage, expected_version, f"The stage {stage.name}")
        if not note.strip():
            raise ValidationError("Record how the tie was settled.", "note")
        stage.tie_note, stage.tie_progress = note.strip(), sorted(set(progress))
        touch(stage, ctx)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="results.tie",
            entity="stage",
            entity_id=stage.id,
            campaign_id=stage.campaign_id,
            summary="Settled a tie at the cut-off",
            after={"note": stage.tie_note, "progress": stage.tie_progress},
        )
    return stage_results(ctx, stage_id)


def finalise_stage(
    ctx: ServiceContext, stage_id: int, *, expected_version: int | None, today: date | None = None
) -> ResultsView:
    """Fix the results: outcomes for everyone at the stage, and the scores locked."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        check_version(stage, expected_version, f"The stage {stage.name}")
        finalise_in(session, ctx, stage, today or date.today())
        session.flush()
        return results_in(session, ctx, stage)


def finalise_in(session: Session, ctx: ServiceContext, stage: Stage, decided: date) -> None:
    """Within the caller's transaction: check, then write the outcomes and lock the scores."""
    view = results_in(session, ctx, stage)
    if view.finalised:
        raise ValidationError(f"The results of {view.stage_name} are already final.")
    if not view.can_finalise:
        raise ValidationError(
            "The results cannot be finalised yet:\n" + "\n".join(f"- {b}" for b in view.blockers)
        )
    existing = {
        o.candidate_id for o in session.exec(select(Outcome).where(Outcome.stage_id == stage.id))
    }
    for row in view.rows:
        if row.candidate_id not in existing:
            session.add(
                Outcome(
                    stage_id=id_of(stage),
                    candidate_id=row.candidate_id,
                    kind="progress" if row.progresses else "reject",
                    rank=row.rank,
                    decided_on=decided,
                    reason="; ".join(row.flags),
                    updated_by=ctx.actor.name,
                )
            )
    stage.finalised_at = utcnow()
    touch(stage, ctx)
    campaign = session.get(Campaign, stage.campaign_id)
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action="results.finalise",
        entity="stage",
        entity_id=stage.id,
        campaign_id=stage.campaign_id,
        campaign_reference=campaign.reference if campaign else "",
        summary=f"Finalised the results of {stage.name}",
        after={"merit_order": [r.to_json() for r in view.rows]},
    )


def set_outcome(
    ctx: ServiceContext,
    stage_id: int,
    candidate_id: int,
    *,
    kind: str,
    reason: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> ResultsView:
    """Reserve, appoint, reject, withdraw: each recorded with its reason."""
    require(ctx.actor, "campaign.manage")
    if kind not in vocabulary.Outcome.codes():
        raise ValidationError(f"{kind!r} is not an outcome.", "kind")
    decided = today or date.today()
    with unit_of_work(ctx) as session:
        # The merit order is checked and the outcome written in one transaction, under the
        # stage lock: no score can change in between (see db.locks).
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        view = results_in(session, ctx, stage)
        row = next((r for r in view.rows if r.candidate_id == candidate_id), None)
        if row is None:
            raise NotFound("That candidate did not reach this stage.")
        if kind == "appoint":
            _check_merit_order(view, row, reason)
        if kind in ("reserve", "appoint") and not row.passed:
            raise ValidationError(
                "Only candidates who passed can be appointed or put on the reserve list.", "kind"
            )
        outcome = session.exec(
            select(Outcome).where(
                Outcome.stage_id == stage_id, Outcome.candidate_id == candidate_id
            )
        ).first()
        before = None
        if outcome is None:
            outcome = Outcome(
                stage_id=stage_id, candidate_id=candidate_id, kind=kind, updated_by=ctx.actor.name
            )
            session.add(outcome)
        else:
            check_version(outcome, expected_version, "The outcome")
            before = {"kind": outcome.kind, "reason": outcome.reason}
            touch(outcome, ctx)
        outcome.kind, outcome.reason, outcome.decided_on = kind, reason.strip(), decided
        outcome.rank = row.rank
        outcome.reserve_expires_on = None
        if kind == "reserve":
            advert = session.exec(
                select(Advert).where(Advert.campaign_id == stage.campaign_id)
            ).first()
            months = advert.reserve_list_months if advert else 12
            outcome.reserve_expires_on = reserve_expiry(decided, months or 12)
        session.flush()
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="outcome.set",
            entity="outcome",
            entity_id=outcome.id,
            campaign_id=stage.campaign_id,
            summary=f"Candidate {row.number}: {vocabulary.Outcome(kind).label}",
            before=before,
            after={
                "kind": kind,
                "reason": outcome.reason,
                "reserve_expires_on": outcome.reserve_expires_on.isoformat()
                if outcome.reserve_expires_on
                else None,
            },
        )
    return stage_results(ctx, stage_id)


def _check_merit_order(view: ResultsView, row: ResultRow, reason: str) -> None:
    passed_over = [
        r.number
        for r in view.rows
        if r.rank is not None
        and row.rank is not None
        and r.rank < row.rank
        and r.outcome not in ("appoint", "withdrawn")
    ]
    if passed_over and not reason.strip():
        raise ValidationError(
            f"Candidate {row.number} is ranked {row.rank}; appointing them before "
            f"{', '.join(passed_over)} is out of merit order. Record the reason.",
            "reason",
        )


def extend_reserve(
    ctx: ServiceContext,
    outcome_id: int,
    *,
    new_expiry: date,
    approved_by: str,
    expected_version: int | None,
) -> date:
    require(ctx.actor, "campaign.manage")
    if not approved_by.strip():
        raise ValidationError("Say who approved the extension.", "approved_by")
    with unit_of_work(ctx) as session:
        outcome = session.get(Outcome, outcome_id)
        if outcome is None or outcome.kind != "reserve":
            raise NotFound("That reserve list entry no longer exists.")
        check_version(outcome, expected_version, "The reserve list entry")
        if outcome.reserve_expires_on and new_expiry <= outcome.reserve_expires_on:
            raise ValidationError(
                "An extension must end after the current expiry date.", "new_expiry"
            )
        before = outcome.reserve_expires_on
        outcome.reserve_expires_on = new_expiry
        outcome.reserve_extended_by = approved_by.strip()[:200]
        touch(outcome, ctx)
        stage = _stage(session, ctx, outcome.stage_id, "manage")
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="reserve.extend",
            entity="outcome",
            entity_id=outcome.id,
            campaign_id=stage.campaign_id,
            summary="Extended a reserve list entry",
            before={"expires_on": before.isoformat() if before else None},
            after={
                "expires_on": new_expiry.isoformat(),
                "approved_by": outcome.reserve_extended_by,
            },
        )
        return new_expiry


def expire_reserves(ctx: ServiceContext, campaign_id: int, *, today: date | None = None) -> int:
    """Reserve entries past their date are rejected, with the reason recorded."""
    require(ctx.actor, "campaign.manage")
    today = today or date.today()
    with unit_of_work(ctx) as session:
        campaign = campaign_for(session, ctx, campaign_id, "manage")
        rows = session.exec(
            select(Outcome, Candidate.candidate_number)
            .join(Stage, col(Stage.id) == Outcome.stage_id)
            .join(Candidate, col(Candidate.id) == Outcome.candidate_id)
            .where(Stage.campaign_id == campaign_id, Outcome.kind == "reserve")
        )
        count = 0
        before: dict[str, str] = {}
        for outcome, number in rows:
            if outcome.reserve_expires_on and reserve_expired(outcome.reserve_expires_on, today):
                before[number] = f"reserve until {outcome.reserve_expires_on.isoformat()}"
                outcome.kind = "reject"
                outcome.reason = (
                    f"Reserve list expired on {plain_date(outcome.reserve_expires_on)}."
                )
                touch(outcome, ctx)
                count += 1
        if count:
            audit.record(
                session,
                actor_name=ctx.actor.name,
                actor_id=ctx.actor.person_id,
                action="reserve.expire",
                entity="campaign",
                entity_id=campaign_id,
                campaign_id=campaign_id,
                campaign_reference=campaign.reference,
                summary=f"{count} reserve entries expired",
                before={"outcomes": before},
                after={"outcomes": dict.fromkeys(before, "reject")},
            )
        return count


# --- assessor consistency and exports ------------------------------------------------


def assessor_consistency(ctx: ServiceContext, stage_id: int) -> list[AssessorView]:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        codes = {c.cell_id: c.code for c in _criteria(session, stage)}
        rows = session.execute(
            select(Score.assessor_id, Score.candidate_id, Score.stage_criterion_id, Score.value)
            .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
            .where(
                StageCriterion.stage_id == stage_id,
                Score.status == "submitted",
                col(Score.value).is_not(None),
            )
        )
        scores = [AssessorScore(a, c, codes[cell], float(v)) for a, c, cell, v in rows]
        agreed = {
            (cid, codes[cell]): float(m.value)
            for cid, cells in _agreed(session, stage).items()
            for cell, m in cells.items()
        }
        names = dict(session.exec(select(Person.id, Person.name)).all())
    return [
        AssessorView(
            names.get(s.assessor_id, str(s.assessor_id)),
            s.count,
            s.mean,
            s.spread,
            s.panel_mean,
            s.difference,
            s.moderated,
            s.moved_away,
            s.label,
        )
        for s in consistency(scores, agreed)
    ]


def export_results(ctx: ServiceContext, stage_id: int, path: Path) -> Path:
    """The merit order as CSV or XLSX (by suffix), safe to open in a spreadsheet."""
    from exports.tables import write_table

    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError(
            f"Save the results as a .csv or .xlsx file, not {path.suffix or 'no suffix'}.",
            "path",
        )
    view = stage_results(ctx, stage_id)
    # Name-blind: no scheme column at all for a panel member (access.details_hidden).
    scheme = [] if view.details_hidden else ["Guaranteed interview"]
    headers = [
        "Rank",
        "Candidate",
        "Total",
        "Passed",
        *[f"{c.code} {c.title}" for c in view.criteria],
        *scheme,
        "Progresses",
        "Outcome",
        "Flags",
    ]
    rows = [
        [
            r.rank if r.rank is not None else "",
            r.label,
            "" if r.total is None else round(r.total, 2),
            WITHHELD if r.withheld else "yes" if r.passed else "no",
            *[
                "" if (score := r.criterion_scores.get(c.code)) is None else round(score, 2)
                for c in view.criteria
            ],
            *(["yes" if r.guaranteed_interview else "no"] if scheme else []),
            _progress_words(view, r),
            r.outcome or "",
            "; ".join(r.flags),
        ]
        for r in view.rows
    ]
    if view.notice:
        # The rule in words, under the table, where the panel member reads the file.
        rows += [[""] * len(headers), [view.notice, *[""] * (len(headers) - 1)]]
    return write_table(path, headers, rows, title=f"{view.stage_name} results")


WITHHELD = "after yours"  # a withheld row's pass or fail: shown once you have submitted


def _progress_words(view: ResultsView, row: ResultRow) -> str:
    if not view.merit_order_shown:
        return "not shown yet"
    return {True: "yes", False: "no", None: "to decide"}[row.progresses]
