"""Scoring use cases: a panel member's sheet, drafts, submitting, conflicts, imports.

Independence: until a panel member submits for a candidate, nothing here shows them
anyone else's scores for that candidate. Name-blind stages show candidate numbers only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from db import audit
from db.bulk import insert_rows
from db.locks import lock_stage, lock_stages
from db.models import (
    AdvertCriterion,
    Campaign,
    Candidate,
    ConflictDeclaration,
    CriterionLevel,
    InterviewSlot,
    PanelAssignment,
    Person,
    Score,
    SiftOrder,
    Stage,
    StageCriterion,
    id_of,
)
from db.types import utcnow
from recruit_app.domain.candidate_numbers import sort_numbers
from recruit_app.domain.results import candidate_order_for, criterion_order_for, new_seed
from recruit_app.domain.stage_rules import SCORING_KINDS, Scale, scale_for
from recruit_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from recruit_app.services.access import Use, campaign_for, stage_for
from recruit_app.services.candidates import (
    at_stage_query,
    candidate_rows_at_stage,
)
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import (
    STALE_MESSAGE,
    check_version,
    plain_rows,
    select_columns,
    touch,
    unit_of_work,
)

EVIDENCE_LIMIT = 10_000


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class SheetCriterion:
    cell_id: int  # the stage's matrix cell
    code: str
    title: str
    element: str
    level: int | None
    pass_mark: int | None
    weight: float
    lead: bool
    indicators: tuple[str, ...]
    # The scale this criterion is scored on: the cell's own, else the stage's (the
    # sheet's `scale`); None where the stage's applies (see ScoringSheet.scale_of).
    scale: Scale | None = None


class SheetCandidate(NamedTuple):
    id: int
    number: str
    label: str  # the number only at a name-blind stage
    conflict: bool
    submitted: bool  # this panel member has submitted their scores for them


class MyScore(NamedTuple):
    """One of the member's scores (a named tuple: a big sheet makes tens of thousands)."""

    id: int | None
    version: int
    value: int | None
    evidence: str
    status: str  # "draft", "submitted" or "" for none yet


class OtherScore(NamedTuple):
    assessor: str
    value: int | None
    evidence: str


@dataclass(frozen=True)
class ScoringSheet:
    stage_id: int
    stage_name: str
    name_blind: bool
    finalised: bool
    assessor_id: int
    assessor_name: str
    scale: Scale
    criteria: tuple[SheetCriterion, ...]
    candidates: tuple[SheetCandidate, ...]
    scores: dict[tuple[int, int], MyScore]  # (candidate id, cell id)
    others: dict[tuple[int, int], tuple[OtherScore, ...]]  # only where this member submitted
    criterion_order: tuple[int, ...]  # cell ids, shuffled for sift-by-criterion
    candidate_order: tuple[int, ...]  # candidate ids, shuffled for sift-by-criterion
    seed: int | None
    # The stage's first day: scores submitted before it are asked about first.
    starts_on: date | None = None

    def score(self, candidate_id: int, cell_id: int) -> MyScore:
        return self.scores.get((candidate_id, cell_id), MyScore(None, 0, None, "", ""))

    def scale_of(self, criterion: SheetCriterion) -> Scale:
        """The scale the criterion is scored on: its cell's own, else the stage's."""
        return criterion.scale or self.scale

    @property
    def mixed_scales(self) -> bool:
        return any(c.scale is not None and c.scale != self.scale for c in self.criteria)


@dataclass(frozen=True)
class PanelMember:
    person_id: int
    name: str
    role: str
    panel_number: int


# --- loading -------------------------------------------------------------------------


def _stage(session: Session, ctx: ServiceContext, stage_id: int, use: Use) -> Stage:
    return stage_for(session, ctx, stage_id, use)


def stage_scale(stage: Stage) -> Scale:
    return scale_for(stage.scale, stage.custom_scale)


def cell_scale(stage: Stage, cell: StageCriterion) -> Scale:
    """The scale a matrix cell is scored on: its own ("custom": its points), else the
    stage's."""
    if not cell.scale:
        return stage_scale(stage)
    return scale_for(cell.scale, cell.custom_scale)


def own_scale(stage: Stage, cell: StageCriterion) -> Scale | None:
    """The cell's scale where it has one of its own, else None (the stage's)."""
    if not cell.scale:
        return None
    try:
        return scale_for(cell.scale, cell.custom_scale)
    except ValidationError:  # a custom scale without its points yet: the stage's
        return None


def _seat(session: Session, stage: Stage, person_id: int) -> PanelAssignment:
    seat = session.exec(
        select(PanelAssignment).where(
            PanelAssignment.stage_id == stage.id, PanelAssignment.person_id == person_id
        )
    ).first()
    if seat is None:
        raise PermissionDenied(f"That person is not on the panel for {stage.name}.")
    return seat


def _may_score_as(ctx: ServiceContext, person_id: int) -> None:
    """Panel members score as themselves; managers may enter paper scores for anyone."""
    if ctx.actor.role == "panel_member" and ctx.actor.person_id != person_id:
        raise PermissionDenied("Panel members can only see and enter their own scores.")


def panel_members(ctx: ServiceContext, stage_id: int) -> list[PanelMember]:
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return _members_in(session, ctx, stage_id)


def _members_in(session: Session, ctx: ServiceContext, stage_id: int) -> list[PanelMember]:
    _stage(session, ctx, stage_id, "view")
    rows = session.exec(
        select(PanelAssignment, Person)
        .join(Person, col(Person.id) == PanelAssignment.person_id)
        .where(PanelAssignment.stage_id == stage_id)
        .order_by(col(PanelAssignment.panel_number), col(Person.name))
    )
    members = [PanelMember(id_of(p), p.name, a.panel_role, a.panel_number) for a, p in rows]
    if ctx.actor.role == "panel_member":
        members = [m for m in members if m.person_id == ctx.actor.person_id]
    return members


def other_scores(
    ctx: ServiceContext, stage_id: int, assessor_id: int, candidate_id: int, cell_id: int
) -> tuple[OtherScore, ...] | None:
    """The other assessors' submitted scores on one cell of a member's sheet, or None while
    the member has not submitted their own for the candidate (independence): what the
    screen shows beside the cell in front."""
    require(ctx.actor, "campaign.view")
    _may_score_as(ctx, assessor_id)
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "view")
        _seat(session, stage, assessor_id)
        cells = select(StageCriterion.id).where(StageCriterion.stage_id == stage.id)
        count = len(criteria_of_stage(session, stage))
        sent = session.exec(
            select(func.count()).where(
                col(Score.stage_criterion_id).in_(cells),
                Score.assessor_id == assessor_id,
                Score.candidate_id == candidate_id,
                Score.status == "submitted",
            )
        ).one()
        if not count or sent < count:
            return None
        found = _others(session, cells, assessor_id, {candidate_id}, candidate_id=candidate_id)
        return found.get((candidate_id, cell_id), ())


@dataclass(frozen=True)
class StageChoice:
    id: int
    name: str
    finalised: bool
    has_panel: bool


@dataclass(frozen=True)
class ScoringScreen:
    """What the scoring screen shows, read in one transaction (scoring_screen)."""

    reference: str
    stages: tuple[StageChoice, ...]
    stage_id: int | None
    members: tuple[PanelMember, ...]
    assessor_id: int | None
    sheet: ScoringSheet | None  # None when the stage has nobody to score as
    by_criterion: bool


def scoring_screen(
    ctx: ServiceContext,
    campaign_id: int,
    stage_id: int | None,
    assessor_id: int | None,
    by_criterion: bool,
) -> ScoringScreen:
    """The scoring stages, the chosen one's panel and one member's sheet, in one
    transaction (a writing one when sifting by criterion: the member's shuffle is recorded
    the first time). Unknown or missing choices fall back to sensible ones: the first open
    stage with a panel, and the member acting where they sit on it."""
    from recruit_app.services.stages import overview_in

    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=not by_criterion) as session:
        overview = overview_in(session, ctx, campaign_id)
        me = ctx.actor.person_id if ctx.actor.role == "panel_member" else None
        choices = tuple(
            StageChoice(s.id, s.name, s.finalised, bool(s.panel))
            for s in overview.stages
            if s.kind in SCORING_KINDS and (me is None or any(p.person_id == me for p in s.panel))
        )
        if stage_id not in {s.id for s in choices}:
            # The stage being scored now: the first open one with a panel.
            stage_id = next(
                (s.id for s in choices if s.has_panel and not s.finalised),
                choices[0].id if choices else None,
            )
        members = tuple(_members_in(session, ctx, stage_id)) if stage_id is not None else ()
        ids = [m.person_id for m in members]
        if assessor_id not in ids:
            assessor_id = me if me in ids else (ids[0] if ids else None)
        sheet = None
        if stage_id is not None and assessor_id is not None:
            sheet = _sheet_in(session, ctx, stage_id, assessor_id, by_criterion, False)
        return ScoringScreen(
            overview.reference, choices, stage_id, members, assessor_id, sheet, by_criterion
        )


def criteria_of_stage(session: Session, stage: Stage) -> list[SheetCriterion]:
    rows = session.exec(
        select(StageCriterion, AdvertCriterion)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .where(StageCriterion.stage_id == stage.id)
        .order_by(col(StageCriterion.position))
    ).all()
    linked = [(a.criterion_id, a.level) for _c, a in rows if a.criterion_id and a.level]
    indicators: dict[tuple[int, int], tuple[str, ...]] = {}
    if linked:
        for level in session.exec(
            select(CriterionLevel).where(
                col(CriterionLevel.criterion_id).in_([cid for cid, _ in linked])
            )
        ):
            indicators[(level.criterion_id, level.level)] = tuple(level.positive_indicators)
    return [
        SheetCriterion(
            id_of(cell),
            a.code,
            a.title,
            a.element,
            a.level,
            cell.pass_mark,
            cell.weight,
            a.lead,
            indicators.get((a.criterion_id or -1, a.level or -1), ()),
            own_scale(stage, cell),
        )
        for cell, a in rows
    ]


def assigned_candidates(session: Session, stage: Stage, seat: PanelAssignment) -> list[Any]:
    """Everyone who reached the stage (as plain rows); where interviews are booked, those on
    this member's panel."""
    everyone = candidate_rows_at_stage(session, stage)
    booked = session.exec(
        select(InterviewSlot.candidate_id, InterviewSlot.panel_number).where(
            InterviewSlot.stage_id == stage.id, InterviewSlot.status == "booked"
        )
    ).all()
    if not booked:
        return everyone
    mine = {cid for cid, panel in booked if panel == seat.panel_number}
    return [c for c in everyone if c.id in mine]


def may_score(session: Session, stage: Stage, seat: PanelAssignment, candidate_id: int) -> bool:
    """Whether this candidate is one of the member's at this stage (without loading everyone)."""
    reached = session.execute(
        at_stage_query(
            session, stage, select(Candidate.id).where(Candidate.id == candidate_id), False
        )
    ).first()
    if reached is None:
        return False
    slots = session.exec(
        select(InterviewSlot.candidate_id, InterviewSlot.panel_number).where(
            InterviewSlot.stage_id == stage.id, InterviewSlot.status == "booked"
        )
    ).all()
    return not slots or (candidate_id, seat.panel_number) in set(slots)


def _conflicted(session: Session, person_id: int, candidate_ids: Iterable[int]) -> set[int]:
    # A person's declarations are few: fetch them all rather than send thousands of ids.
    declared = set(
        session.exec(
            select(ConflictDeclaration.candidate_id).where(
                ConflictDeclaration.person_id == person_id
            )
        )
    )
    return declared.intersection(candidate_ids) if declared else set()


def scoring_sheet(
    ctx: ServiceContext, stage_id: int, assessor_id: int, *, by_criterion: bool = False
) -> ScoringSheet:
    """The panel member's sheet: their candidates by the stage's criteria, their scores."""
    require(ctx.actor, "campaign.view")
    _may_score_as(ctx, assessor_id)
    with unit_of_work(ctx, read_only=not by_criterion) as session:
        return _sheet_in(session, ctx, stage_id, assessor_id, by_criterion)


def _sheet_in(
    session: Session,
    ctx: ServiceContext,
    stage_id: int,
    assessor_id: int,
    by_criterion: bool,
    with_others: bool = True,
) -> ScoringSheet:
    """Within the caller's transaction (a writing one where `by_criterion`: the member's
    shuffle is recorded the first time): what scoring_sheet returns. Without `with_others`
    the sheet holds no one else's scores (`others` empty): the screen reads them for the
    cell in front (other_scores), as a full sheet holds 140,000 of them."""
    _may_score_as(ctx, assessor_id)
    stage = _stage(session, ctx, stage_id, "view")
    seat = _seat(session, stage, assessor_id)
    person = session.get(Person, assessor_id)
    assert person is not None
    criteria = criteria_of_stage(session, stage)
    people = assigned_candidates(session, stage, seat)
    ids = [c.id for c in people]
    conflicted = _conflicted(session, assessor_id, ids)
    mine, submitted = _scores(session, stage, assessor_id, ids, len(criteria))
    cells_here = select(StageCriterion.id).where(StageCriterion.stage_id == stage.id)
    others = _others(session, cells_here, assessor_id, submitted) if with_others else {}
    candidates = tuple(
        SheetCandidate(
            c.id,
            c.candidate_number,
            _label(c, stage.name_blind),
            c.id in conflicted,
            c.id in submitted,
        )
        for c in people
    )
    seed = _seed(session, stage, assessor_id) if by_criterion else None
    cells = [c.cell_id for c in criteria]
    return ScoringSheet(
        stage_id=stage_id,
        stage_name=stage.name,
        name_blind=stage.name_blind,
        finalised=stage.finalised_at is not None,
        assessor_id=assessor_id,
        assessor_name=person.name,
        scale=stage_scale(stage),
        criteria=tuple(criteria),
        candidates=candidates,
        scores=mine,
        others=others,
        criterion_order=tuple(criterion_order_for(cells, seed) if seed else cells),
        candidate_order=tuple(candidate_order_for(ids, seed) if seed else ids),
        seed=seed,
        starts_on=stage.starts_on,
    )


def _label(candidate: Candidate, name_blind: bool) -> str:
    if name_blind:
        return f"Candidate {candidate.candidate_number}"
    return f"{candidate.candidate_number} {candidate.first_name} {candidate.last_name}".strip()


def _scores(
    session: Session, stage: Stage, assessor_id: int, ids: list[int], criteria_count: int
) -> tuple[dict[tuple[int, int], MyScore], set[int]]:
    """The member's own scores, and the candidates they have submitted (every criterion).
    Plain rows: a big sheet holds tens of thousands."""
    cells = select(StageCriterion.id).where(StageCriterion.stage_id == stage.id)
    rows = plain_rows(
        session,
        select_columns(
            Score.candidate_id,
            Score.stage_criterion_id,
            Score.id,
            Score.version,
            Score.value,
            Score.evidence,
            Score.status,
        ).where(col(Score.stage_criterion_id).in_(cells), Score.assessor_id == assessor_id),
    )
    wanted = set(ids)
    mine: dict[tuple[int, int], MyScore] = {}
    sent: Counter[int] = Counter()
    for candidate, cell, score_id, version, value, evidence, status in rows:
        if candidate in wanted:
            mine[(candidate, cell)] = MyScore(score_id, version, value, evidence, status)
            if status == "submitted":
                sent[candidate] += 1
    # Submitted means every criterion: a partial import leaves the rest to be entered.
    submitted = {candidate for candidate, count in sent.items() if count >= criteria_count}
    return mine, submitted


def _others(
    session: Session,
    cells: Any,
    assessor_id: int,
    submitted: set[int],
    *,
    candidate_id: int | None = None,
) -> dict[tuple[int, int], tuple[OtherScore, ...]]:
    """Others' submitted scores, for the candidates this member has submitted
    (independence): `submitted`, or `candidate_id` alone."""
    if not submitted:
        return {}
    mine_submitted = select(Score.candidate_id).where(
        col(Score.stage_criterion_id).in_(cells),
        Score.assessor_id == assessor_id,
        Score.status == "submitted",
    )
    rows = plain_rows(
        session,
        select_columns(
            Score.candidate_id,
            Score.stage_criterion_id,
            Score.value,
            Score.evidence,
            Person.name,
        )
        .join(Person, col(Person.id) == Score.assessor_id)
        .where(
            col(Score.stage_criterion_id).in_(cells),
            Score.assessor_id != assessor_id,
            Score.status == "submitted",
            col(Score.candidate_id).in_(mine_submitted),
            *([Score.candidate_id == candidate_id] if candidate_id is not None else []),
        ),
    )
    others: dict[tuple[int, int], list[OtherScore]] = {}
    for candidate, cell, value, evidence, name in rows:
        if candidate in submitted:
            others.setdefault((candidate, cell), []).append(OtherScore(name, value, evidence))
    return {key: tuple(found) for key, found in others.items()}


def _seed(session: Session, stage: Stage, person_id: int) -> int:
    """The panel member's recorded shuffle for this stage (made the first time it is asked)."""
    row = session.exec(
        select(SiftOrder).where(SiftOrder.stage_id == stage.id, SiftOrder.person_id == person_id)
    ).first()
    if row is None:
        row = SiftOrder(stage_id=id_of(stage), person_id=person_id, seed=new_seed())
        session.add(row)
        session.flush()
    return row.seed


# --- entering and submitting ---------------------------------------------------------


def _check_open(stage: Stage) -> None:
    if stage.finalised_at is not None:
        raise ValidationError(f"The results of {stage.name} are final, so its scores are locked.")


def _campaign_of(session: Session, stage: Stage) -> Campaign:
    campaign = session.get(Campaign, stage.campaign_id)
    assert campaign is not None
    return campaign


def save_score(
    ctx: ServiceContext,
    stage_id: int,
    assessor_id: int,
    candidate_id: int,
    cell_id: int,
    *,
    value: int | None,
    evidence: str,
    expected_version: int | None,
) -> MyScore:
    """Save one score as a draft, as it is typed.

    `expected_version` is the version the sheet showed: 0 when it showed no score, so a score
    made meanwhile (a manager entering paper scores as this member) is not overwritten;
    None skips the check (imports and the demo).
    """
    require(ctx.actor, "score.enter")
    _may_score_as(ctx, assessor_id)
    evidence = evidence.strip()
    if len(evidence) > EVIDENCE_LIMIT:
        raise ValidationError(
            f"Keep the evidence note to {EVIDENCE_LIMIT:,} characters.", "evidence"
        )
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _check_open(stage)
        seat = _seat(session, stage, assessor_id)
        cell = session.get(StageCriterion, cell_id)
        if cell is None or cell.stage_id != stage_id:
            raise NotFound("That criterion is not assessed at this stage.")
        scale = cell_scale(stage, cell)
        if value is not None and value not in scale.values:
            whose = "this criterion's" if cell.scale else "this stage's"
            raise ValidationError(f"{value} is not on {whose} scale ({_points(scale)}).", "value")
        if not may_score(session, stage, seat, candidate_id):
            raise PermissionDenied("That candidate is not one of yours at this stage.")
        if _conflicted(session, assessor_id, [candidate_id]):
            raise PermissionDenied("You declared a conflict of interest with that candidate.")
        score = session.exec(
            select(Score).where(
                Score.stage_criterion_id == cell_id,
                Score.candidate_id == candidate_id,
                Score.assessor_id == assessor_id,
            )
        ).first()
        before = None
        if score is None:
            score = Score(
                stage_criterion_id=cell_id,
                candidate_id=candidate_id,
                assessor_id=assessor_id,
                updated_by=ctx.actor.name,
            )
            session.add(score)
        else:
            if score.status == "submitted":
                raise ValidationError(
                    "These scores were submitted, so they can no longer be changed here."
                )
            check_version(score, expected_version, "This score")
            touch(score, ctx)
            before = {"value": score.value, "evidence": score.evidence}
        score.value, score.evidence, score.status = value, evidence, "draft"
        try:
            session.flush()
        except IntegrityError:
            # Another desktop made this score after this sheet showed none (a manager
            # entering paper scores as this member): theirs stands.
            raise ConflictError(STALE_MESSAGE) from None
        _audit_draft(session, ctx, stage, cell, score, before)
        return MyScore(score.id, score.version, score.value, score.evidence, score.status)


def _audit_draft(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    cell: StageCriterion,
    score: Score,
    before: dict[str, Any] | None,
) -> None:
    """One event per draft saved. Filed under the candidate, so that erasing the candidate
    also blanks the evidence copied here; the summary names them by number only."""
    campaign = _campaign_of(session, stage)
    candidate = session.get(Candidate, score.candidate_id)
    criterion = session.get(AdvertCriterion, cell.advert_criterion_id)
    number = candidate.candidate_number if candidate is not None else score.candidate_id
    code = criterion.code if criterion is not None else cell.id
    summary = f"Saved a draft score for candidate {number} on {code}"
    if score.assessor_id != ctx.actor.person_id:
        assessor = session.get(Person, score.assessor_id)
        summary += f" for {assessor.name if assessor is not None else 'another assessor'}"
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action="score.save",
        entity="candidate",
        entity_id=score.candidate_id,
        campaign_id=campaign.id,
        campaign_reference=campaign.reference,
        summary=summary,
        before=before,
        after={"value": score.value, "evidence": score.evidence},
    )


def submit_scores(
    ctx: ServiceContext, stage_id: int, assessor_id: int, candidate_ids: list[int]
) -> int:
    """Make a panel member's scores final for these candidates; every criterion needs one."""
    require(ctx.actor, "score.enter")
    _may_score_as(ctx, assessor_id)
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _check_open(stage)
        _seat(session, stage, assessor_id)
        cells = {c.cell_id: c.code for c in criteria_of_stage(session, stage)}
        scores = list(
            session.exec(
                select(Score).where(
                    col(Score.stage_criterion_id).in_(cells),
                    col(Score.candidate_id).in_(candidate_ids),
                    Score.assessor_id == assessor_id,
                )
            )
        )
        numbers = dict(
            session.exec(
                select(Candidate.id, Candidate.candidate_number).where(
                    col(Candidate.id).in_(candidate_ids)
                )
            ).all()
        )
        gaps = []
        for candidate_id in candidate_ids:
            have = {
                s.stage_criterion_id
                for s in scores
                if s.candidate_id == candidate_id and s.value is not None
            }
            missing = [cells[c] for c in cells if c not in have]
            if missing:
                gaps.append(f"{numbers.get(candidate_id, candidate_id)}: {', '.join(missing)}")
        if gaps:
            raise ValidationError(
                "Score every criterion before submitting. Still to score: " + "; ".join(gaps) + "."
            )
        now = utcnow()
        count = 0
        for score in scores:
            if score.status != "submitted":
                score.status, score.submitted_at = "submitted", now
                touch(score, ctx)
                count += 1
        campaign = _campaign_of(session, stage)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="scores.submit",
            entity="stage",
            entity_id=stage.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Submitted {count} scores for {len(candidate_ids)} candidates",
            after={
                "assessor_id": assessor_id,
                "candidates": sort_numbers(str(numbers.get(c, c)) for c in candidate_ids),
                "scores": [
                    [str(numbers.get(s.candidate_id)), cells[s.stage_criterion_id], s.value]
                    for s in scores
                ],
            },
        )
        return count


def declare_conflict(
    ctx: ServiceContext, stage_id: int, person_id: int, candidate_id: int, note: str
) -> str:
    """Record a conflict of interest: the person stops scoring that candidate.

    Returns the message for the manager, who must find cover.
    """
    require(ctx.actor, "campaign.view")
    _may_score_as(ctx, person_id)
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _seat(session, stage, person_id)
        candidate = session.get(Candidate, candidate_id)
        person = session.get(Person, person_id)
        if candidate is None or person is None or candidate.campaign_id != stage.campaign_id:
            raise NotFound("That candidate is not part of this campaign.")
        if not _conflicted(session, person_id, [candidate_id]):
            session.add(
                ConflictDeclaration(
                    person_id=person_id, candidate_id=candidate_id, note=note.strip()[:2000]
                )
            )
        drafts = session.exec(
            select(Score)
            .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
            .where(
                Score.candidate_id == candidate_id,
                Score.assessor_id == person_id,
                StageCriterion.stage_id == stage_id,
                Score.status == "draft",
            )
        ).all()
        for draft in drafts:
            session.delete(draft)
        campaign = _campaign_of(session, stage)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="conflict.declare",
            entity="candidate",
            entity_id=candidate_id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"{person.name} declared a conflict with candidate "
            f"{candidate.candidate_number}",
        )
        return (
            f"{person.name} has declared a conflict of interest with candidate "
            f"{candidate.candidate_number} and will not score them. Find another panel "
            f"member to cover {stage.name} for this candidate."
        )


@dataclass(frozen=True)
class ConflictView:
    person: str
    candidate_number: str
    note: str
    declared_at: datetime


def list_conflicts(ctx: ServiceContext, campaign_id: int) -> list[ConflictView]:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        campaign_for(session, ctx, campaign_id, "manage")
        rows = session.exec(
            select(ConflictDeclaration, Person.name, Candidate.candidate_number)
            .join(Person, col(Person.id) == ConflictDeclaration.person_id)
            .join(Candidate, col(Candidate.id) == ConflictDeclaration.candidate_id)
            .where(Candidate.campaign_id == campaign_id)
            .order_by(col(ConflictDeclaration.declared_at))
        )
        return [ConflictView(name, number, c.note, c.declared_at) for c, name, number in rows]


# --- imported scores -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRowProblem:
    line: int
    message: str


@dataclass(frozen=True)
class ScoreImportReport:
    imported: int
    replaced: int

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "replaced": self.replaced}


SCORE_COLUMNS = ("candidate_number", "criterion", "assessor", "score", "evidence")


def import_scores(
    ctx: ServiceContext, stage_id: int, rows: list[tuple[int, dict[str, str]]], *, source: str
) -> ScoreImportReport:
    """Scores from paper or a spreadsheet land as submitted; any bad row refuses them all."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        _check_open(stage)
        scale = stage_scale(stage)
        cells = {c.code.casefold(): c.cell_id for c in criteria_of_stage(session, stage)}
        people = {
            p.email.casefold(): id_of(p)
            for _a, p in session.exec(
                select(PanelAssignment, Person)
                .join(Person, col(Person.id) == PanelAssignment.person_id)
                .where(PanelAssignment.stage_id == stage_id)
            )
        }
        candidates = {c.candidate_number: c.id for c in candidate_rows_at_stage(session, stage)}
        clean, problems = _check_score_rows(
            rows, cells, people, candidates, scale, _cell_scales(session, stage)
        )
        if problems:
            listed = "\n".join(f"- line {p.line}: {p.message}" for p in problems)
            raise ValidationError(
                f"{source} was not imported; fix these rows and try again:\n{listed}"
            )
        replaced = _write_scores(session, ctx, clean)
        campaign = _campaign_of(session, stage)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="scores.import",
            entity="stage",
            entity_id=stage.id,
            campaign_id=campaign.id,
            campaign_reference=campaign.reference,
            summary=f"Imported {len(clean)} scores from {source}",
            after={"rows": len(clean), "replaced": replaced},
        )
        return ScoreImportReport(len(clean), replaced)


def _points(scale: Scale) -> str:
    """The scale's points in words: each one, or the ends of a long one ("0 to 100")."""
    values = scale.values
    if len(values) > 12 and list(values) == list(range(values[0], values[-1] + 1)):
        return f"{values[0]} to {values[-1]}"
    return ", ".join(str(v) for v in values)


def _cell_scales(session: Session, stage: Stage) -> dict[int, Scale]:
    """Each matrix cell of the stage with a scale of its own (the rest use the stage's)."""
    found = {}
    for cell in session.exec(
        select(StageCriterion).where(
            StageCriterion.stage_id == stage.id, StageCriterion.scale != ""
        )
    ):
        found[id_of(cell)] = cell_scale(stage, cell)
    return found


def _check_score_rows(
    rows: list[tuple[int, dict[str, str]]],
    cells: dict[str, int],
    people: dict[str, int],
    candidates: dict[str, int],
    scale: Scale,
    cell_scales: Mapping[int, Scale] | None = None,
) -> tuple[list[tuple[int, int, int, int, str]], list[ScoreRowProblem]]:
    """Every row checked (100,000 in a big import): lookups prepared once, messages only
    built for the rows that are wrong. A cell in `cell_scales` is scored on its own scale,
    the rest on `scale`."""
    allowed = {str(v): v for v in scale.values}
    points = _points(scale)
    # cell id -> its own scale's allowed texts and points in words
    own = {
        cell: ({str(v): v for v in own_scale.values}, _points(own_scale))
        for cell, own_scale in (cell_scales or {}).items()
    }
    clean: list[tuple[int, int, int, int, str]] = []
    problems: list[ScoreRowProblem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows:
        number = (row.get("candidate_number") or "").strip()
        code = (row.get("criterion") or "").strip().casefold()
        email = (row.get("assessor") or "").strip().casefold()
        text = (row.get("score") or "").strip()
        evidence = (row.get("evidence") or "").strip()
        on_scale, words = allowed, points
        if own and code in cells and cells[code] in own:
            on_scale, words = own[cells[code]]
        value = on_scale.get(text)
        # "05" is 5; isdigit() alone passes "²", and a thousand digits stop int() itself.
        if value is None and text.isascii() and text.isdigit() and len(text) <= 20:
            value = on_scale.get(str(int(text)))
        key = (number, code, email)
        if (
            number in candidates
            and code in cells
            and email in people
            and value is not None
            and len(evidence) <= EVIDENCE_LIMIT
            and key not in seen
        ):
            seen[key] = line
            clean.append((cells[code], candidates[number], people[email], value, evidence))
            continue
        wrong = []
        if number not in candidates:
            wrong.append(f"no candidate {number!r} at this stage")
        if code not in cells:
            wrong.append(f"no criterion {row.get('criterion', '')!r} at this stage")
        if email not in people:
            wrong.append(f"{row.get('assessor', '')!r} is not on this stage's panel")
        if value is None:
            wrong.append(f"score {text!r} is not on the scale ({words})")
        if len(evidence) > EVIDENCE_LIMIT:
            wrong.append("the evidence is too long")
        if not wrong:
            wrong.append(f"the same score as line {seen[key]}")
        problems.append(ScoreRowProblem(line, "; ".join(wrong)))
    return clean, problems


def _write_scores(
    session: Session, ctx: ServiceContext, clean: list[tuple[int, int, int, int, str]]
) -> int:
    """New scores go in as one bulk insert; the few that replace earlier ones are updated
    one by one, so their versions move on."""
    now = utcnow()
    cells = {cell for cell, _c, _p, _v, _e in clean}
    existing = {
        (cell, candidate, person): score_id
        for score_id, cell, candidate, person in session.connection().execute(
            select(Score.id, Score.stage_criterion_id, Score.candidate_id, Score.assessor_id).where(
                col(Score.stage_criterion_id).in_(cells)
            )
        )
    }
    fresh, replaced = [], 0
    for cell, candidate, person, value, evidence in clean:
        score_id = existing.get((cell, candidate, person))
        if score_id is None:
            fresh.append(
                {
                    "stage_criterion_id": cell,
                    "candidate_id": candidate,
                    "assessor_id": person,
                    "value": value,
                    "evidence": evidence,
                }
            )
            continue
        score = session.get(Score, score_id)
        assert score is not None
        score.value, score.evidence, score.status, score.submitted_at = (
            value,
            evidence,
            "submitted",
            now,
        )
        touch(score, ctx)
        replaced += 1
    insert_rows(
        session,
        Score.__table__,  # type: ignore[attr-defined]  # SQLAlchemy's; SQLModel's types omit it
        fresh,
        constants={
            "status": "submitted",
            "submitted_at": now,
            "version": 1,
            "updated_at": now,
            "updated_by": ctx.actor.name,
        },
    )
    return replaced


# --- offline scoring workbooks -------------------------------------------------------


def export_workbook(ctx: ServiceContext, campaign_id: int, assessor_id: int, path: Any) -> Any:
    """An XLSX a panel member can score offline: a sheet for each stage they sit on, and
    beside it their candidates' applications as the panel reads them (where imported)."""
    from exports.workbooks import (
        WorkbookCriterion,
        WorkbookRow,
        WorkbookSheet,
        write_scoring_workbook,
    )
    from recruit_app.services.applications import stage_applications
    from recruit_app.services.panel_pack import CHANGED_WHILE_READING, as_the_panel_reads

    require(ctx.actor, "score.enter")
    _may_score_as(ctx, assessor_id)
    with unit_of_work(ctx, read_only=True) as session:
        campaign = campaign_for(session, ctx, campaign_id, "view")
        person = session.get(Person, assessor_id)
        if person is None:
            raise NotFound("That person is no longer listed.")
        seats = session.exec(
            select(PanelAssignment, Stage)
            .join(Stage, col(Stage.id) == PanelAssignment.stage_id)
            .where(PanelAssignment.person_id == assessor_id, Stage.campaign_id == campaign_id)
            .order_by(col(Stage.position))
        ).all()
        if not seats:
            raise ValidationError(f"{person.name} is not on any panel in {campaign.reference}.")
        campaign_label, name, email = campaign.reference, person.name, person.email
        stage_ids = [id_of(stage) for _seat, stage in seats if stage.finalised_at is None]
    sheets = []
    for stage_id in stage_ids:
        sheet = scoring_sheet(ctx, stage_id, assessor_id)
        # As the stage's panel reads them: redacted at a name-blind stage.
        found = stage_applications(ctx, stage_id, for_panel=True)
        applications = as_the_panel_reads(found)
        if sheet.name_blind and not found.redacted:
            # Made name-blind in between: the applications were read with names in them.
            raise ConflictError(CHANGED_WHILE_READING)
        rows = tuple(
            WorkbookRow(
                c.number,
                c.label,
                {
                    k.code: (
                        sheet.score(c.id, k.cell_id).value,
                        sheet.score(c.id, k.cell_id).evidence,
                    )
                    for k in sheet.criteria
                },
                applications.get(c.id),
            )
            for c in sheet.candidates
            if not c.conflict and not c.submitted
        )
        sheets.append(
            WorkbookSheet(
                sheet.stage_name,
                tuple(sheet.scale.values),
                tuple(
                    WorkbookCriterion(
                        k.code, k.title, tuple(k.scale.values) if k.scale is not None else ()
                    )
                    for k in sheet.criteria
                ),
                rows,
            )
        )
    return write_scoring_workbook(
        path, campaign=campaign_label, assessor=name, assessor_email=email, sheets=sheets
    )


def import_workbook(ctx: ServiceContext, campaign_id: int, path: Any) -> ScoreImportReport:
    """Scores from an offline workbook, with the same checks as a CSV file; all or nothing."""
    require(ctx.actor, "score.enter")
    by_stage, email = _read_workbook(path)
    with unit_of_work(ctx) as session:
        lock_stages(session, campaign_id)  # decided under the stage locks: see db.locks
        campaign_for(session, ctx, campaign_id, "view")
        owner = session.exec(select(Person.id).where(Person.email == email.lower())).first()
        if ctx.actor.role == "panel_member" and owner != ctx.actor.person_id:
            raise PermissionDenied("That workbook belongs to another panel member.")
        stages = {
            s.name: s for s in session.exec(select(Stage).where(Stage.campaign_id == campaign_id))
        }
        problems, cleaned = [], []
        for stage_name, rows in by_stage.items():
            stage = stages.get(stage_name)
            if stage is None:
                problems.append(ScoreRowProblem(0, f"the campaign has no stage {stage_name!r}"))
                continue
            _check_open(stage)
            scored = [(line, {**row, "assessor": email}) for line, row in rows]
            clean, bad = _check_score_rows(
                scored,
                {c.code.casefold(): c.cell_id for c in criteria_of_stage(session, stage)},
                {
                    p.email.casefold(): id_of(p)
                    for _a, p in session.exec(
                        select(PanelAssignment, Person)
                        .join(Person, col(Person.id) == PanelAssignment.person_id)
                        .where(PanelAssignment.stage_id == stage.id)
                    )
                },
                {c.candidate_number: c.id for c in candidate_rows_at_stage(session, stage)},
                stage_scale(stage),
                _cell_scales(session, stage),
            )
            problems += [ScoreRowProblem(p.line, f"{stage_name}: {p.message}") for p in bad]
            cleaned += clean
        if problems:
            listed = "\n".join(
                f"- {'row ' + str(p.line) + ': ' if p.line else ''}{p.message}" for p in problems
            )
            raise ValidationError(
                f"{path.name} was not imported; fix these and try again:\n{listed}"
            )
        replaced = _write_scores(session, ctx, cleaned)
        audit.record(
            session,
            actor_name=ctx.actor.name,
            actor_id=ctx.actor.person_id,
            action="scores.import",
            entity="campaign",
            entity_id=campaign_id,
            campaign_id=campaign_id,
            summary=f"Imported {len(cleaned)} scores from the workbook {path.name}",
            after={"rows": len(cleaned)},
        )
        return ScoreImportReport(len(cleaned), replaced)


def _read_workbook(path: Any) -> tuple[dict[str, list[tuple[int, dict[str, str]]]], str]:
    """Rows of each stage sheet as CSV-like dicts, and the assessor's e-mail."""
    import zipfile

    from openpyxl import load_workbook

    from exports.workbooks import META_SHEET, SHEET_PREFIX
    from recruit_app.services.tabular import cell_text

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        raise ValidationError(f"{path.name} is not a scoring workbook Recruit can read.") from None
    try:
        if META_SHEET not in workbook.sheetnames:
            raise ValidationError(
                f"{path.name} is not a Recruit scoring workbook (it has no '{META_SHEET}' sheet)."
            )
        about = {
            cell_text(r[0]): cell_text(r[1])
            for r in workbook[META_SHEET].iter_rows(values_only=True)
            if r and len(r) > 1
        }
        email = about.get("Assessor e-mail", "")
        result: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for key, stage_name in about.items():
            if not key.startswith(SHEET_PREFIX) or key[len(SHEET_PREFIX) :] not in workbook:
                continue
            rows = list(workbook[key[len(SHEET_PREFIX) :]].iter_rows(values_only=True))
            headers = [cell_text(h) for h in rows[0]] if rows else []
            result[stage_name] = _workbook_rows(headers, rows[1:])
        return result, email
    finally:
        workbook.close()


def _workbook_rows(
    headers: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[int, dict[str, str]]]:
    from recruit_app.services.tabular import cell_text

    codes = [h[: -len(" score")] for h in headers if h.endswith(" score")]
    found = []
    for offset, row in enumerate(rows, start=2):
        cells = dict(zip(headers, (cell_text(v) for v in row), strict=False))
        for code in codes:
            value = cells.get(f"{code} score", "")
            if value:
                found.append(
                    (
                        offset,
                        {
                            "candidate_number": cells.get("Candidate number", ""),
                            "criterion": code,
                            "score": value,
                            "evidence": cells.get(f"{code} evidence", ""),
                        },
                    )
                )
    return found
