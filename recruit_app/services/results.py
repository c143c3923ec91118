"""Results use cases: moderation, the merit order, finalising, outcomes and exports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from math import fsum, isfinite
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnClause, Float, and_, case, cast, func, literal_column
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
    OverallOverride,
    PanelAssignment,
    Person,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from db.types import utcnow
from recruit_app import vocabulary
from recruit_app.domain.dates import plain_date
from recruit_app.domain.report import AssessorTotals, assessor_line
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
    totals_note,
)
from recruit_app.domain.stage_rules import (
    SCORING_KINDS,
    Scale,
    ScalePoint,
    scale_for,
    standard_mark,
)
from recruit_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from recruit_app.services.access import (
    NAME_BLIND_RULE,
    Use,
    campaign_for,
    details_hidden,
    score_sight,
    stage_for,
)
from recruit_app.services.candidates import StageCandidate, candidate_rows_at_stage
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import ALLOWED, require
from recruit_app.services.scoring import cell_scale
from recruit_app.services.uow import (
    STALE_MESSAGE,
    check_version,
    plain_rows,
    select_columns,
    touch,
    unit_of_work,
)
from recruit_app.vocabulary import StageKind

if TYPE_CHECKING:
    from recruit_app.services.stages import StageView

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
    # The scale it is scored on (its cell's, else the stage's): code, name and ends. Its
    # scores and pass mark are on it; the total puts it on the stage's (ResultsView.totals_note).
    scale: str = ""
    scale_name: str = ""
    low: float | None = None
    high: float | None = None
    own_scale: bool = False  # scored on a scale other than the stage's
    # Its place among the lead criteria for tie-breaks (the advert's lead_rank): 1 first; 0
    # after the ordered ones. Not "rank": that word is the merit order's.
    lead_place: int = 0


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
    # The chair's override of the overall score: `total` is then the override, and
    # `computed_total` the total the scores give.
    overridden: bool = False
    override_reason: str = ""
    computed_total: float | None = None
    override_id: int | None = None
    override_version: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "candidate_number": self.number,
            "total": None if self.total is None else round(self.total, 2),
            "overridden": self.overridden,
            "override_reason": self.override_reason,
            "total_from_scores": None
            if self.computed_total is None
            else round(self.computed_total, 2),
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
    # How the total puts criteria scored on different scales together, "" when they share one.
    totals_note: str = ""
    # The lead criteria's codes in tie-break order (by lead rank, then matrix order).
    lead: tuple[str, ...] = ()


# Not frozen: one is made per candidate and criterion (70,000 for a big sift), and a frozen
# dataclass is three times slower to make. Treat as read-only.
@dataclass(slots=True)
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
    # The screen's list leaves the evidence out ("" in `scores`): read one pair's with
    # moderation_pair when it is looked at. Pairs from moderation_pair hold it.
    evidence_read: bool = True


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


@dataclass(frozen=True)
class ResultsScreen:
    """Everything the Results screen shows, read in one transaction (results_screen)."""

    reference: str
    stages: tuple[StageView, ...]  # the stages that score, in campaign order
    stage_id: int | None
    results: ResultsView | None
    problem: str  # why the results could not be worked out, "" when they were
    pairs: tuple[ModerationPair, ...]  # without evidence: see moderation_pair
    every_pair: bool  # False: only the pairs needing an agreed score or holding one
    scorers: tuple[str, ...]  # who submitted scores at the stage, by name
    pairs_note: str  # why the pairs are not shown (a permission), "" when they are
    assessors: tuple[AssessorView, ...]
    assessors_note: str
    scale: tuple[ScalePoint, ...]
    # A matrix cell scored on its own scale -> that scale's points (agreed scores use them).
    cell_scales: Mapping[int, tuple[ScalePoint, ...]] = field(default_factory=dict)

    def scale_for(self, cell_id: int) -> tuple[ScalePoint, ...]:
        """The points a pair's agreed score is chosen from: its cell's, else the stage's."""
        return self.cell_scales.get(cell_id, self.scale)

    def stage(self) -> StageView | None:
        return next((s for s in self.stages if s.id == self.stage_id), None)


NO_RESULTS = ResultsScreen("", (), None, None, "", (), False, (), "", (), "", ())
CONSISTENCY_REFUSED = (
    "Only recruiting managers see how each assessor's scores compare with the others'."
)


def default_stage(stages: Sequence[StageView]) -> int | None:
    """Where the work is: the first scored stage still open, else the last scored one."""
    scored = [s for s in stages if s.has_scores]
    open_ = [s for s in scored if not s.finalised]
    chosen = open_[0] if open_ else (scored[-1] if scored else (stages[0] if stages else None))
    return chosen.id if chosen else None


def results_screen(
    ctx: ServiceContext, campaign_id: int, stage_id: int | None, *, every_pair: bool = False
) -> ResultsScreen:
    """The stages to choose from and, for the chosen one (or where the work is), its merit
    order, moderation pairs and assessor consistency: one transaction, one read of the
    scores, plain rows throughout. A part the person may not see is left out with the
    reason, not the whole screen.

    The moderation pairs are those needing an agreed score or holding one, unless
    `every_pair` (70,000 for a big sift: read when asked for)."""
    from recruit_app.services.stages import overview_in

    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        overview = overview_in(session, ctx, campaign_id)
        stages = tuple(s for s in overview.stages if s.kind in SCORING_KINDS) or overview.stages
        if stage_id not in {s.id for s in stages}:
            stage_id = default_stage(stages)
        if stage_id is None:
            return replace(NO_RESULTS, reference=overview.reference, stages=stages)
        chosen = next(s for s in stages if s.id == stage_id)
        stage = _stage(session, ctx, stage_id, "view")
        agreed = _agreed(session, stage)
        scan = _scan(session, stage, agreed, every_pair=every_pair)
        try:
            results, problem = results_in(session, ctx, stage, scan, agreed), ""
        except ValidationError as exc:  # the stage's rules cannot give results yet
            results, problem = None, exc.message
        try:
            if ctx.actor.role == "panel_member":
                _may_moderate(session, ctx, stage)
            pairs, pairs_note = tuple(_pairs(session, ctx, stage, scan, agreed)), ""
            names = _names(session)
            scorers = tuple(sorted(names.get(a, str(a)) for a in scan.scores))
        except PermissionDenied as exc:
            pairs, pairs_note, scorers = (), exc.message, ()
        if ctx.actor.role in ALLOWED["campaign.manage"]:
            managed = _stage(session, ctx, stage_id, "manage")
            assessors, assessors_note = tuple(_consistency(session, managed, scan)), ""
        else:
            assessors, assessors_note = (), CONSISTENCY_REFUSED
        cell_scales = {
            cell_id: scale.points for cell_id, scale in _own_scales(session, stage).items()
        }
    try:
        scale = scale_for(chosen.scale, chosen.custom_scale).points
    except ValidationError:  # custom points still being written: nothing to agree on yet
        scale = ()
    return ResultsScreen(
        overview.reference,
        stages,
        stage_id,
        results,
        problem,
        pairs,
        every_pair,
        scorers,
        pairs_note,
        assessors,
        assessors_note,
        scale,
        cell_scales,
    )


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
    found = []
    stage_ends = _ends(stage.scale, stage.custom_scale)
    for cell, a in rows:
        code = cell.scale or stage.scale
        custom = cell.custom_scale if cell.scale else stage.custom_scale
        low, high = _ends(code, custom)
        found.append(
            ResultCriterion(
                id_of(cell),
                a.code,
                a.title,
                cell.weight,
                cell.pass_mark,
                a.lead,
                a.essential,
                standard_mark(code, custom),
                code,
                _scale_name(code, custom),
                low,
                high,
                bool(cell.scale) and (low, high) != stage_ends,
                a.lead_rank,
            )
        )
    return found


def _ends(code: str, custom: Sequence[Mapping[str, Any]]) -> tuple[float | None, float | None]:
    try:
        scale = scale_for(code, custom)
    except ValidationError:  # a custom scale still being written
        return None, None
    return float(scale.minimum), float(scale.maximum)


def _scale_name(code: str, custom: Sequence[Mapping[str, Any]]) -> str:
    try:
        return scale_for(code, custom).name
    except ValidationError:
        return "Custom scale"


def _own_scales(session: Session, stage: Stage) -> dict[int, Scale]:
    """The stage's matrix cells scored on a scale of their own, with it."""
    found = {}
    for cell in session.exec(
        select(StageCriterion).where(
            StageCriterion.stage_id == stage.id, StageCriterion.scale != ""
        )
    ):
        try:
            found[id_of(cell)] = cell_scale(stage, cell)
        except ValidationError:  # custom points still being written
            continue
    return found


def stage_rules(stage: Stage, criteria: Sequence[ResultCriterion]) -> StageRules:
    """The rules results are worked out by: the stage's settings and its cells' scales.

    A pre-sift on the lead criteria puts through everyone who meets the lead pass marks
    (a lead cell without one needs its scale's standard mark), whatever the stage's
    progression rule says."""
    lead_sift = stage.kind == StageKind.LEAD_SIFT
    low, high = _ends(stage.scale, stage.custom_scale)
    return StageRules(
        criteria=tuple(
            CriterionSpec(
                c.code,
                c.weight,
                c.standard if lead_sift and c.lead and c.pass_mark is None else c.pass_mark,
                c.lead,
                c.essential,
                c.standard,
                c.low if c.own_scale else None,
                c.high if c.own_scale else None,
                c.lead_place,
            )
            for c in criteria
        ),
        pass_mark_total=stage.pass_mark_total,
        min_assessors=stage.min_assessors,
        moderation_spread=stage.moderation_spread,
        progress_rule="all_passing" if lead_sift else stage.progress_rule,
        progress_count=None if lead_sift else stage.progress_count,
        is_sift=stage.kind in (StageKind.SIFT, StageKind.LEAD_SIFT),
        scale_range=None if low is None or high is None else (low, high),
    )


def _cell_spreads(stage: Stage, criteria: Sequence[ResultCriterion]) -> dict[int, float]:
    """The spread that calls for moderation on each cell scored on its own scale."""
    rules = stage_rules(stage, criteria)
    return {
        c.cell_id: rules.spread_for(spec)
        for c, spec in zip(criteria, rules.criteria, strict=True)
        if c.own_scale
    }


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


@dataclass(frozen=True)
class _Agreed:
    id: int
    value: int
    rationale: str
    version: int


def _agreed(session: Session, stage: Stage) -> dict[int, dict[int, _Agreed]]:
    """candidate -> stage criterion -> the agreed score, as plain rows."""
    found: dict[int, dict[int, _Agreed]] = {}
    rows = plain_rows(
        session,
        select_columns(
            ModeratedScore.candidate_id,
            ModeratedScore.stage_criterion_id,
            ModeratedScore.id,
            ModeratedScore.value,
            ModeratedScore.rationale,
            ModeratedScore.version,
        )
        .join(StageCriterion, col(StageCriterion.id) == ModeratedScore.stage_criterion_id)
        .where(StageCriterion.stage_id == stage.id),
    )
    for candidate_id, cell_id, id_, value, rationale, version in rows:
        found.setdefault(candidate_id, {})[cell_id] = _Agreed(id_, value, rationale, version)
    return found


def _compute(
    session: Session,
    stage: Stage,
    scan: _Scan | None = None,
    agreed: dict[int, dict[int, _Agreed]] | None = None,
    overrides: Mapping[int, OverallOverride] | None = None,
) -> tuple[list[ResultCriterion], list[Any], StageResults]:
    """The stage's results; from `scan`, `agreed` and `overrides` where the caller has
    read them."""
    criteria = _criteria(session, stage)
    codes = {c.cell_id: c.code for c in criteria}
    people = candidate_rows_at_stage(session, stage)
    submitted = scan.summaries(codes) if scan else _submitted(session, stage, codes)
    if agreed is None:
        agreed = _agreed(session, stage)
    rules = stage_rules(stage, criteria)
    if overrides is None:
        overrides = _overrides(session, stage)
    resolved = set(stage.tie_progress) if stage.tie_note else set()
    none: dict[str, Summary] = {}
    no_agreed: dict[str, float] = {}
    scores = [
        CandidateScores(
            candidate_id=p.id,
            number=p.candidate_number,
            guaranteed_interview=p.guaranteed_interview,
            submitted=submitted.get(p.id, none),
            agreed={
                codes[cell]: float(m.value) for cell, m in agreed[p.id].items() if cell in codes
            }
            if p.id in agreed
            else no_agreed,
            resolved_tie=p.id in resolved,
            override=(overrides[p.id].value, overrides[p.id].reason) if p.id in overrides else None,
        )
        for p in people
    ]
    return criteria, people, compute_results(rules, scores)


def _overrides(session: Session, stage: Stage) -> dict[int, OverallOverride]:
    """candidate -> the chair's override of their overall score at the stage."""
    return {
        o.candidate_id: o
        for o in session.exec(select(OverallOverride).where(OverallOverride.stage_id == stage.id))
    }


def _label(candidate: Candidate | StageCandidate, hidden: bool) -> str:
    if hidden:
        return f"Candidate {candidate.candidate_number}"
    return f"{candidate.candidate_number} {candidate.first_name} {candidate.last_name}".strip()


def stage_results(ctx: ServiceContext, stage_id: int) -> ResultsView:
    """The merit order as it stands, with what still blocks finalising."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return results_in(session, ctx, _stage(session, ctx, stage_id, "view"))


def results_in(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    scan: _Scan | None = None,
    agreed: dict[int, dict[int, _Agreed]] | None = None,
    only: int | None = None,
) -> ResultsView:
    """Within the caller's transaction: the stage's results (see stage_results), as the
    person acting may see them: independence and name-blind (access.py) decide. With
    `only`, the merit order is worked out in full but the view holds that candidate's row
    alone (what one outcome needs)."""
    stage_id = stage.id
    assert stage_id is not None
    overrides = _overrides(session, stage)
    criteria, people, computed = _compute(session, stage, scan, agreed, overrides)
    hidden = details_hidden(ctx, stage)
    sight = score_sight(session, ctx, stage)
    by_id = {p.id: p for p in people}
    # Plain rows: after finalising, every candidate at the stage has one.
    wanted = select_columns(
        Outcome.candidate_id,
        Outcome.kind,
        Outcome.id,
        Outcome.version,
        Outcome.reserve_expires_on,
    ).where(Outcome.stage_id == stage_id)
    if only is not None:
        wanted = wanted.where(Outcome.candidate_id == only)
    outcomes = {o.candidate_id: o for o in session.execute(wanted)}
    tied = set(computed.cutoff_tie)
    rows = []
    for result in computed.results:
        if only is not None and result.candidate_id != only:
            continue
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
                overridden=result.overridden,
                override_reason=result.override_reason,
                computed_total=result.computed_total,
                override_id=overrides[result.candidate_id].id if result.overridden else None,
                override_version=overrides[result.candidate_id].version if result.overridden else 0,
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
        totals_note=totals_note(stage_rules(stage, criteria), {c.code: c.title for c in criteria}),
        lead=lead_codes(criteria),
    )


def lead_codes(criteria: Sequence[ResultCriterion]) -> tuple[str, ...]:
    """The lead criteria's codes in tie-break order: by lead rank, then matrix order."""
    leads = [(n, c) for n, c in enumerate(criteria) if c.lead]
    ranked = sorted((c.lead_place, n, c.code) for n, c in leads if c.lead_place >= 1)
    return (*(code for _r, _n, code in ranked), *(c.code for _n, c in leads if c.lead_place < 1))


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


def _may_moderate(
    session: Session, ctx: ServiceContext, stage: Stage, what: str = "record agreed scores"
) -> None:
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
            f"As a panel member, {ctx.actor.name} may not {what}: "
            f"only the chair of {stage.name} can."
        )


def moderation_view(ctx: ServiceContext, stage_id: int) -> list[ModerationPair]:
    """Each candidate and criterion with the assessors' scores side by side, evidence too."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "view")
        if ctx.actor.role == "panel_member":
            _may_moderate(session, ctx, stage)
        agreed = _agreed(session, stage)
        scan = _scan(session, stage, agreed)
        return _pairs(session, ctx, stage, scan, agreed, evidence=_evidence(session, stage))


def moderation_pair(
    ctx: ServiceContext, stage_id: int, candidate_id: int, cell_id: int
) -> ModerationPair:
    """One candidate and criterion, with each assessor's evidence: what the screen reads
    when a pair is looked at (its list leaves the evidence out)."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        stage = _stage(session, ctx, stage_id, "view")
        if ctx.actor.role == "panel_member":
            _may_moderate(session, ctx, stage)
        return _one_pair(session, ctx, stage, candidate_id, cell_id)


def _one_pair(
    session: Session, ctx: ServiceContext, stage: Stage, candidate_id: int, cell_id: int
) -> ModerationPair:
    agreed = _agreed(session, stage)
    scan = _scan(session, stage, agreed, candidate_id=candidate_id, cell_id=cell_id)
    evidence = _evidence(session, stage, candidate_id, cell_id)
    pairs = _pairs(session, ctx, stage, scan, agreed, candidate_id=candidate_id, evidence=evidence)
    found = [p for p in pairs if p.cell_id == cell_id]
    if not found:
        raise NotFound("That candidate is no longer at this stage.")
    return found[0]


class _Scan:
    """Every submitted score of a stage, read once and walked once: each pair's (candidate,
    criterion) summary for the merit order, each assessor's totals for consistency, and the
    scores of the pairs moderation lists (those needing an agreed score or holding one, or
    every pair where `every_pair`)."""

    def __init__(
        self,
        rows: Sequence[tuple[int, int, int, int | None]],
        agreed: Mapping[int, Mapping[int, _Agreed]],
        spread_needed: int,
        every_pair: bool,
        cell_spread: Mapping[int, float] | None = None,
    ) -> None:
        # pair -> count, mean, lowest and highest submitted score
        self.summary: dict[tuple[int, int], Summary] = {}
        # pair -> (assessor, score) for the pairs kept, by assessor id
        self.pairs: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}
        # assessor -> every score; their scores on pairs shared with others, and the others'
        # mean on each of those; their scores on pairs with an agreed score, and the agreed.
        self.scores: dict[int, list[int]] = defaultdict(list)
        self.shared: dict[int, list[int]] = defaultdict(list)
        self.others: dict[int, list[float]] = defaultdict(list)
        self.settled: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.every_pair = every_pair
        summary, pairs = self.summary, self.pairs
        scores, shared, others, settled_by = self.scores, self.shared, self.others, self.settled
        key: tuple[int, int] | None = None
        given: list[tuple[int, int]] = []
        # rows: (stage criterion, candidate, assessor, value), sorted in that order, so each
        # pair's scores come together; a last empty row closes the last pair.
        for cell_id, candidate_id, assessor_id, value in (*rows, (0, 0, 0, None)):
            if key == (candidate_id, cell_id):
                if value is not None:
                    given.append((assessor_id, value))
                continue
            if given:
                assert key is not None  # given is only filled once a pair has begun
                count = len(given)
                values = [v for _a, v in given]
                total, low, high = sum(values), min(values), max(values)
                summary[key] = Summary(count, total / count, float(low), float(high))
                settled = agreed[key[0]].get(key[1]) if key[0] in agreed else None
                needed = cell_spread.get(key[1], spread_needed) if cell_spread else spread_needed
                if every_pair or settled or (count > 1 and high - low >= needed - 1e-9):
                    pairs[key] = tuple(given)
                if count == 1:
                    scores[given[0][0]].append(values[0])
                else:
                    for a, v in given:
                        scores[a].append(v)
                        shared[a].append(v)
                        others[a].append((total - v) / (count - 1))
                if settled is not None:
                    for a, v in given:
                        settled_by[a].append((v, settled.value))
            key = (candidate_id, cell_id)
            given = [] if value is None else [(assessor_id, value)]

    def summaries(self, codes: Mapping[int, str]) -> dict[int, dict[str, Summary]]:
        """candidate -> criterion code -> count, mean, lowest and highest (as _submitted)."""
        found: dict[int, dict[str, Summary]] = {}
        for (candidate_id, cell_id), summary in self.summary.items():
            code = codes.get(cell_id)
            if code is None:
                continue
            cells = found.get(candidate_id)
            if cells is None:
                cells = found[candidate_id] = {}
            cells[code] = summary
        return found

    def assessor_totals(self, names: Mapping[int, str]) -> list[AssessorTotals]:
        """As assessor_totals reads them in SQL, by assessor id."""
        return [
            AssessorTotals(
                name=names.get(a, str(a)),
                count=len(values),
                value_sum=float(sum(values)),
                square_sum=float(sum(v * v for v in values)),
                compared=len(self.shared[a]),
                own_sum=float(sum(self.shared[a])),
                panel_sum=fsum(self.others[a]),
                moderated=len(self.settled[a]),
                moved_away=sum(1 for v, agreed in self.settled[a] if v != agreed),
            )
            for a, values in sorted(self.scores.items())
        ]


def _scan(
    session: Session,
    stage: Stage,
    agreed: Mapping[int, Mapping[int, _Agreed]],
    *,
    every_pair: bool = True,
    candidate_id: int | None = None,
    cell_id: int | None = None,
) -> _Scan:
    """One read of the stage's submitted scores (or one candidate's, or one pair's), off the
    covering index ix_score_results, as plain rows; `every_pair` False keeps the scores
    of the pairs moderation needs only (see _Scan)."""
    cells = select(StageCriterion.id).where(StageCriterion.stage_id == stage.id)
    query = select_columns(
        Score.stage_criterion_id, Score.candidate_id, Score.assessor_id, Score.value
    ).where(
        col(Score.stage_criterion_id).in_(cells.scalar_subquery()),
        Score.status == "submitted",
    )
    if candidate_id is not None:
        query = query.where(Score.candidate_id == candidate_id)
    if cell_id is not None:
        query = query.where(Score.stage_criterion_id == cell_id)
    order = (Score.stage_criterion_id, Score.candidate_id, Score.assessor_id)
    rows = plain_rows(session, query.order_by(*(col(c) for c in order)))
    spreads = _cell_spreads(stage, _criteria(session, stage))
    return _Scan(rows, agreed, stage.moderation_spread, every_pair, spreads)


def _evidence(
    session: Session, stage: Stage, candidate_id: int | None = None, cell_id: int | None = None
) -> dict[tuple[int, int, int], str]:
    """(candidate, stage criterion, assessor) -> the evidence note, where there is one."""
    query = (
        select(Score.candidate_id, Score.stage_criterion_id, Score.assessor_id, Score.evidence)
        .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
        .where(
            StageCriterion.stage_id == stage.id,
            Score.status == "submitted",
            Score.evidence != "",
        )
    )
    if candidate_id is not None:
        query = query.where(Score.candidate_id == candidate_id)
    if cell_id is not None:
        query = query.where(Score.stage_criterion_id == cell_id)
    return {(c, cell, a): text for c, cell, a, text in session.exec(query)}


def _names(session: Session) -> dict[int, str]:
    """Everyone's name by id: the assessors of a stage are among them."""
    return {id_: name for id_, name in session.exec(select(Person.id, Person.name)) if id_}


def _pairs(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    scan: _Scan,
    agreed: Mapping[int, Mapping[int, _Agreed]],
    *,
    candidate_id: int | None = None,
    evidence: Mapping[tuple[int, int, int], str] | None = None,
) -> list[ModerationPair]:
    """Every candidate at the stage x every criterion, by candidate then matrix order, with
    each assessor's score (by name), and their evidence where `evidence` is given (from
    _evidence; the screen's list leaves it out, see ModerationPair.evidence_read)."""
    criteria = _criteria(session, stage)
    people = candidate_rows_at_stage(session, stage)
    if candidate_id is not None:
        people = [p for p in people if p.id == candidate_id]
    hidden = details_hidden(ctx, stage)
    names = _names(session)
    # Assessors by name, as the sheet and the dialog list them (the scan gives them by id).
    by_name = sorted(names, key=lambda a: (names[a], a))
    order = {a: n for n, a in enumerate(by_name)}
    resort = by_name != sorted(names)
    # The same scores recur (three assessors, seven points): each tuple of lines made once.
    made: dict[tuple[tuple[int, int], ...], tuple[tuple[str, int | None, str], ...]] = {}
    spread_needed = stage.moderation_spread
    spreads = _cell_spreads(stage, criteria)
    found = []
    pairs = scan.pairs
    for person in people:
        label = ""
        mine = agreed.get(person.id, {})
        for criterion in criteria:
            given = pairs.get((person.id, criterion.cell_id))
            if given is None:
                if not scan.every_pair:
                    continue  # a pair moderation does not need: not listed
                given = ()
            if resort and len(given) > 1:
                given = tuple(sorted(given, key=lambda g: order.get(g[0], -1)))
            scores: tuple[tuple[str, int | None, str], ...]
            if evidence is not None:
                cell_id = criterion.cell_id
                scores = tuple(
                    (names.get(a, str(a)), v, evidence.get((person.id, cell_id, a), ""))
                    for a, v in given
                )
            else:
                scores = made.get(given) or made.setdefault(
                    given, tuple((names.get(a, str(a)), v, "") for a, v in given)
                )
            label = label or _label(person, hidden)
            summary = scan.summary.get((person.id, criterion.cell_id))
            spread = summary.high - summary.low if summary else 0.0
            moderated = mine.get(criterion.cell_id)
            found.append(
                ModerationPair(
                    person.id,
                    label,
                    criterion.cell_id,
                    criterion.code,
                    scores,
                    spread,
                    spread >= spreads.get(criterion.cell_id, spread_needed) - 1e-9
                    and len(given) > 1,
                    moderated.value if moderated else None,
                    moderated.rationale if moderated else "",
                    moderated.id if moderated else None,
                    moderated.version if moderated else 0,
                    evidence_read=evidence is not None,
                )
            )
    return found


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
        cell = session.get(StageCriterion, cell_id)
        if cell is None or cell.stage_id != stage_id:
            raise NotFound("That criterion is not assessed at this stage.")
        if value not in cell_scale(stage, cell).values:
            raise ValidationError(f"{value} is not on this criterion's scale.", "value")
        rationale = rationale.strip()
        if not rationale:
            raise ValidationError("Say why the panel agreed this score.", "rationale")
        if len(rationale) > 5000:
            raise ValidationError("Keep the rationale to 5,000 characters.", "rationale")
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
        return _one_pair(session, ctx, stage, candidate_id, cell_id)


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
) -> ResultRow:
    """Reserve, appoint, reject, withdraw: each recorded with its reason. Returns the
    candidate's row as it now stands: an outcome changes no one else's place, except a
    withdrawal, after which the candidate is no longer at the stage (read it again)."""
    require(ctx.actor, "campaign.manage")
    if kind not in vocabulary.Outcome.codes():
        raise ValidationError(f"{kind!r} is not an outcome.", "kind")
    decided = today or date.today()
    with unit_of_work(ctx) as session:
        # The merit order is checked and the outcome written in one transaction, under the
        # stage lock: no score can change in between (see db.locks).
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        # Appointing checks everyone ranked above; any other outcome needs the row alone.
        view = results_in(session, ctx, stage, only=None if kind == "appoint" else candidate_id)
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
            summary=f"Set the outcome of candidate {row.number} at {stage.name} to "
            f"{vocabulary.Outcome(kind).label}",
            before=before,
            after={
                "kind": kind,
                "reason": outcome.reason,
                "reserve_expires_on": outcome.reserve_expires_on.isoformat()
                if outcome.reserve_expires_on
                else None,
            },
        )
        session.flush()
        return replace(
            row,
            outcome=outcome.kind,
            outcome_id=outcome.id,
            outcome_version=outcome.version,
            reserve_expires_on=outcome.reserve_expires_on,
        )


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
        return _consistency(session, stage, _scan(session, stage, _agreed(session, stage)))


def _consistency(session: Session, stage: Stage, scan: _Scan) -> list[AssessorView]:
    """One line per assessor, by assessor id (the order they joined the panel)."""
    names = _names(session)
    return [
        AssessorView(
            line.name,
            line.count,
            line.mean,
            line.spread,
            line.panel_mean,
            line.difference,
            line.moderated,
            line.moved_away,
            line.reading,
        )
        for line in map(assessor_line, scan.assessor_totals(names))
    ]


def assessor_totals(session: Session, where: Any) -> dict[int, list[AssessorTotals]]:
    """stage id -> each assessor's submitted scores there, totalled in SQL, by assessor id:
    what assessor consistency is read from (domain.report.assessor_line), for the stages
    `where` (a condition on StageCriterion or Stage) selects.

    On a pair (candidate, criterion) the others' mean is the pair's total less this
    assessor's score, over the pair's count less one: window sums give the pair's total
    beside each score without a second pass over the table.
    """
    pair = (col(Score.stage_criterion_id), col(Score.candidate_id))
    scores = (
        select_columns(
            col(StageCriterion.stage_id).label("stage_id"),
            col(Score.assessor_id).label("assessor_id"),
            col(Score.value).label("value"),
            col(ModeratedScore.value).label("agreed"),
            func.sum(Score.value).over(partition_by=pair).label("pair_sum"),
            func.count(col(Score.value)).over(partition_by=pair).label("pair_count"),
        )
        .join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .outerjoin(
            ModeratedScore,
            and_(
                col(ModeratedScore.stage_criterion_id) == Score.stage_criterion_id,
                col(ModeratedScore.candidate_id) == Score.candidate_id,
            ),
        )
        .where(where, col(Score.status) == "submitted", col(Score.value).is_not(None))
    )
    x = scores.subquery()
    shared = x.c.pair_count > 1
    others_mean = cast(x.c.pair_sum - x.c.value, Float) / (x.c.pair_count - 1)
    zero: ColumnClause[Any] = literal_column("0")
    one: ColumnClause[Any] = literal_column("1")
    rows = session.execute(
        select_columns(
            x.c.stage_id,
            Person.name,
            func.count(x.c.value),
            func.sum(x.c.value),
            func.sum(x.c.value * x.c.value),
            func.sum(case((shared, one), else_=zero)),
            func.sum(case((shared, x.c.value), else_=zero)),
            func.sum(case((shared, others_mean), else_=None)),
            func.count(x.c.agreed),
            func.sum(
                case((and_(x.c.agreed.is_not(None), x.c.agreed != x.c.value), one), else_=zero)
            ),
        )
        .join(Person, col(Person.id) == x.c.assessor_id)
        .group_by(x.c.stage_id, x.c.assessor_id, col(Person.name))
        .order_by(x.c.stage_id, x.c.assessor_id)
    )
    by_stage: dict[int, list[AssessorTotals]] = {}
    for stage_id, name, count, total, squares, compared, own, panel, moderated, moved in rows:
        by_stage.setdefault(stage_id, []).append(
            AssessorTotals(
                name=name,
                count=int(count),
                value_sum=float(total or 0),
                square_sum=float(squares or 0),
                compared=int(compared or 0),
                own_sum=float(own or 0),
                panel_sum=float(panel or 0),
                moderated=int(moderated or 0),
                moved_away=int(moved or 0),
            )
        )
    return by_stage


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
        *[
            f"{c.code} {c.title}" + (f" ({_ends_words(c)})" if c.own_scale else "")
            for c in view.criteria
        ],
        "Overridden",
        "Override reason",
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
            "yes" if r.overridden else "no",
            r.override_reason,
            *(["yes" if r.guaranteed_interview else "no"] if scheme else []),
            _progress_words(view, r),
            r.outcome or "",
            "; ".join(r.flags),
        ]
        for r in view.rows
    ]
    for note in (view.totals_note, view.notice):
        # The rule in words, under the table, where the panel member reads the file.
        if note:
            rows += [[""] * len(headers), [note, *[""] * (len(headers) - 1)]]
    return write_table(path, headers, rows, title=f"{view.stage_name} results")


def _ends_words(criterion: ResultCriterion) -> str:
    low, high = criterion.low, criterion.high
    if low is None or high is None:
        return criterion.scale_name
    return f"{low:g} to {high:g}"


WITHHELD = "after yours"  # a withheld row's pass or fail: shown once you have submitted


def _progress_words(view: ResultsView, row: ResultRow) -> str:
    if not view.merit_order_shown:
        return "not shown yet"
    return {True: "yes", False: "no", None: "to decide"}[row.progresses]


# --- the chair's override of an overall score ------------------------------------------

OVERRIDE_REASON_LIMIT = 2000


def override_overall(
    ctx: ServiceContext,
    stage_id: int,
    candidate_id: int,
    value: float,
    reason: str,
    expected_version: int | None = None,
) -> ResultsView:
    """The chair (or a recruiting manager) overrides a candidate's overall score, with the
    reason: the CSJ interview form's override. It stands for the total in the merit order;
    the total from the scores is kept beside it, and the trail records both.

    `expected_version` is the override's version the screen showed (0: none), or None to
    skip the check."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        raise ValidationError("The overall score must be a number.", "value")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the overall score is overridden.", "reason")
    if len(reason) > OVERRIDE_REASON_LIMIT:
        raise ValidationError(f"Keep the reason to {OVERRIDE_REASON_LIMIT:,} characters.", "reason")
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _may_moderate(session, ctx, stage, "override overall scores")
        if stage.finalised_at is not None:
            raise ValidationError(f"The results of {stage.name} are final.")
        view = results_in(session, ctx, stage)
        row = next((r for r in view.rows if r.candidate_id == candidate_id), None)
        if row is None:
            raise NotFound("That candidate did not reach this stage.")
        highest = _highest_total(stage, view.criteria)
        if value < 0 or (highest is not None and value > highest + 1e-9):
            top = f"{highest:g}" if highest is not None else "the highest total"
            raise ValidationError(
                f"The overall score must be from 0 to {top}, the highest total at {stage.name}.",
                "value",
            )
        override = session.exec(
            select(OverallOverride).where(
                OverallOverride.stage_id == stage_id,
                OverallOverride.candidate_id == candidate_id,
            )
        ).first()
        before: dict[str, Any] | None = None
        if override is None:
            if expected_version:
                raise ConflictError(STALE_MESSAGE)
            override = OverallOverride(
                stage_id=stage_id,
                candidate_id=candidate_id,
                value=float(value),
                reason=reason,
                updated_by=ctx.actor.name,
            )
            session.add(override)
            try:
                session.flush()
            except IntegrityError:
                raise ConflictError(STALE_MESSAGE) from None
        else:
            check_version(override, expected_version, "The overridden score")
            before = {"value": override.value, "reason": override.reason}
            override.value, override.reason = float(value), reason
            touch(override, ctx)
        _audit_override(
            session,
            ctx,
            stage,
            row,
            "results.override",
            f"Overrode the overall score of candidate {row.number} at {stage.name}",
            before,
            {
                "value": float(value),
                "reason": reason,
                "total_from_scores": row.computed_total if row.overridden else row.total,
            },
        )
        session.flush()
        return results_in(session, ctx, stage)


def clear_override(
    ctx: ServiceContext, stage_id: int, candidate_id: int, expected_version: int | None = None
) -> ResultsView:
    """Take the chair's override away: the total from the scores stands again."""
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "view")
        _may_moderate(session, ctx, stage, "override overall scores")
        if stage.finalised_at is not None:
            raise ValidationError(f"The results of {stage.name} are final.")
        override = session.exec(
            select(OverallOverride).where(
                OverallOverride.stage_id == stage_id,
                OverallOverride.candidate_id == candidate_id,
            )
        ).first()
        if override is None:
            raise NotFound("That candidate's overall score is not overridden.")
        check_version(override, expected_version, "The overridden score")
        number = session.exec(
            select(Candidate.candidate_number).where(Candidate.id == candidate_id)
        ).first()
        before = {"value": override.value, "reason": override.reason}
        session.delete(override)
        session.flush()
        view = results_in(session, ctx, stage)
        row = next((r for r in view.rows if r.candidate_id == candidate_id), None)
        _audit_override(
            session,
            ctx,
            stage,
            row,
            "results.override_clear",
            f"Took away the override of candidate {number or candidate_id}'s overall score "
            f"at {stage.name}",
            before,
            {"total_from_scores": row.total if row else None},
            candidate_id=candidate_id,
        )
        return view


def _highest_total(stage: Stage, criteria: Sequence[ResultCriterion]) -> float | None:
    """The most a candidate can score in total at the stage (each cell on the stage's
    scale, weighted), or None when the stage's scale is not known yet."""
    _low, high = _ends(stage.scale, stage.custom_scale)
    if high is None or not criteria:
        return None
    return fsum(c.weight * high for c in criteria)


def _audit_override(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    row: ResultRow | None,
    action: str,
    summary: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    candidate_id: int | None = None,
) -> None:
    """Filed under the candidate, so erasing them blanks the reason here too
    (retention.events_about)."""
    campaign = session.get(Campaign, stage.campaign_id)
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity="candidate",
        entity_id=row.candidate_id if row else candidate_id,
        campaign_id=stage.campaign_id,
        campaign_reference=campaign.reference if campaign else "",
        summary=summary,
        before=before,
        after={"stage": stage.name, **after},
    )
