"""The campaign report: funnel, score distributions, merit orders, timetable, outcomes,
assessor consistency and the departures from each stage's question plan.

Everything is read in one short transaction and totalled in SQL (GROUP BY), never by
loading score rows one by one, so a campaign of ten thousand candidates reports in about
the time one of forty does. The PDF is drawn afterwards, outside the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, literal_column
from sqlmodel import Session, col, select

from db.models import (
    Advert,
    AdvertCriterion,
    Candidate,
    ModeratedScore,
    Outcome,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from db.ordering import by_number
from db.types import utcnow
from recruit_app import vocabulary
from recruit_app.domain.dates import london_date
from recruit_app.domain.report import (
    ScoreGroup,
    StageTiming,
    assessor_line,
    distribution,
    funnel,
    standing,
    summary_sentences,
)
from recruit_app.domain.results import reserve_expired
from recruit_app.domain.stage_rules import scale_for
from recruit_app.errors import Cancelled, ValidationError
from recruit_app.readmodels import (
    CampaignReportDocument,
    FairnessLine,
    FairnessSection,
    FairnessTable,
    IsCancelled,
    MeritOrder,
    MeritRow,
    Progress,
    ReserveGroup,
    StageConsistency,
    StageDeviations,
    StageDistribution,
)
from recruit_app.services.access import campaign_for
from recruit_app.services.branding import printed_name
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.plans import read_deviations
from recruit_app.services.results import assessor_totals, results_in
from recruit_app.services.scoring import stage_scale
from recruit_app.services.uow import select_columns, unit_of_work

__all__ = [
    "MERIT_ORDER_LIMIT",
    "CampaignReportDocument",
    "campaign_report_document",
    "export_campaign_report",
]

# A merit order longer than this is counted, not listed: the results export (CSV or XLSX)
# holds every row, and a report of hundreds of pages of numbers helps nobody.
MERIT_ORDER_LIMIT = 100
CANCELLED_MESSAGE = "The export was cancelled; no file was written."
NOT_DECIDED = "Not decided yet"
# Orders outcomes recorded without scores: the good news first.
_KIND_ORDER = {
    vocabulary.Outcome.APPOINT: 0,
    vocabulary.Outcome.RESERVE: 1,
    vocabulary.Outcome.PROGRESS: 2,
    vocabulary.Outcome.REJECT: 3,
    vocabulary.Outcome.WITHDRAWN: 4,
}


# --- entry points --------------------------------------------------------------------


def campaign_report_document(
    ctx: ServiceContext, campaign_id: int, *, today: date | None = None
) -> CampaignReportDocument:
    """The campaign report's content, read in one transaction."""
    require(ctx.actor, "campaign.manage")
    today = today or london_date(utcnow())
    with unit_of_work(ctx, read_only=True) as session:
        return _document(session, ctx, campaign_id, today)


def export_campaign_report(
    ctx: ServiceContext,
    campaign_id: int,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    today: date | None = None,
) -> Path:
    """Write the campaign report as a PDF at `path` (atomically: all or nothing)."""
    from exports.report import write_campaign_report
    from recruit_app.services.branding import document_theme

    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ValidationError(
            f"Save the campaign report as a .pdf file, not {path.suffix or 'without a suffix'}.",
            "path",
        )
    steps = 3

    def step(done: int) -> None:
        if progress is not None:
            progress(done, steps)

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled(CANCELLED_MESSAGE)

    step(0)
    check()
    document = campaign_report_document(ctx, campaign_id, today=today)
    step(1)
    check()
    theme = document_theme(ctx, personal=True)
    step(2)
    # The renderer calls back between sections, so a cancel lands within a section or so.
    written = write_campaign_report(document, path, theme, checkpoint=check)
    step(3)
    return written


# --- reading ---------------------------------------------------------------------------


def _document(
    session: Session, ctx: ServiceContext, campaign_id: int, today: date
) -> CampaignReportDocument:
    # Recruiting managers see the report of campaigns they own or that are shared with them.
    campaign = campaign_for(session, ctx, campaign_id, "manage")
    grade = session.exec(select(Advert.grade).where(Advert.campaign_id == campaign_id)).first()
    stages = list(
        session.exec(
            select(Stage)
            .where(Stage.campaign_id == campaign_id)
            .order_by(col(Stage.position), col(Stage.id))
        )
    )
    applied = session.exec(
        select(func.count()).select_from(Candidate).where(Candidate.campaign_id == campaign_id)
    ).one()
    outcome_counts = _outcome_counts(session, campaign_id)
    rows = funnel(applied, [(s.name, outcome_counts.get(id_of(s), {})) for s in stages])
    now = standing(applied, _latest_outcomes(session, campaign_id))
    cells = _cells(session, campaign_id)
    first_scores = _first_scores(session, campaign_id)
    scored = set(first_scores)
    status = vocabulary.CampaignStatus.label_for(campaign.status)
    return CampaignReportDocument(
        organisation=printed_name(session, ctx),
        reference=campaign.reference,
        title=campaign.title,
        status=f"{status} (archived)" if campaign.archived else status,
        produced_on=today,
        grade=grade or "",
        applied=applied,
        summary=summary_sentences(now, rows),
        funnel=rows if applied else (),
        standing=now,
        distributions=_distributions(session, campaign_id, stages, cells),
        merit_orders=tuple(
            order
            for stage in stages
            if (order := _merit_order(session, ctx, stage, stage.id in scored, outcome_counts))
        ),
        timings=_timings(stages, first_scores),
        reserves=_reserves(session, campaign_id, stages, today),
        consistency=_consistency(session, campaign_id, stages),
        deviations=_deviations(session, stages),
        fairness=_fairness(session, ctx, campaign_id, stages),
    )


def _outcome_counts(session: Session, campaign_id: int) -> dict[int, dict[str, int]]:
    """stage id -> outcome kind -> candidates."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
        select(Outcome.stage_id, Outcome.kind, func.count())
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .where(Stage.campaign_id == campaign_id)
        .group_by(col(Outcome.stage_id), col(Outcome.kind))
    )
    for stage_id, kind, count in rows:
        found[stage_id][kind] = count
    return found


def _latest_outcomes(session: Session, campaign_id: int) -> dict[str, int]:
    """Candidates counted by the kind of their latest outcome, latest by stage order."""
    latest = (
        select(
            col(Outcome.candidate_id).label("candidate_id"),
            func.max(Stage.position).label("position"),
        )
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .where(Stage.campaign_id == campaign_id)
        .group_by(col(Outcome.candidate_id))
        .subquery()
    )
    rows = session.execute(
        select(Outcome.kind, func.count(func.distinct(Outcome.candidate_id)))
        .join(Stage, col(Stage.id) == Outcome.stage_id)
        .join(
            latest,
            and_(
                latest.c.candidate_id == Outcome.candidate_id,
                latest.c.position == Stage.position,
            ),
        )
        .where(Stage.campaign_id == campaign_id)
        .group_by(col(Outcome.kind))
    )
    return {kind: count for kind, count in rows}


class _Cell(NamedTuple):
    id: int
    stage_id: int
    code: str
    title: str
    pass_mark: float | None
    scale: str = ""  # its own scale, "" for the stage's
    custom_scale: Any = ()


def _cells(session: Session, campaign_id: int) -> list[_Cell]:
    """The assessment matrix of every stage, in matrix order."""
    rows = session.execute(
        select_columns(
            StageCriterion.id,
            StageCriterion.stage_id,
            AdvertCriterion.code,
            AdvertCriterion.title,
            StageCriterion.pass_mark,
            StageCriterion.scale,
            StageCriterion.custom_scale,
        )
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .where(Stage.campaign_id == campaign_id)
        .order_by(col(StageCriterion.stage_id), col(StageCriterion.position))
    )
    return [_Cell(*row) for row in rows]


def _submitted(campaign_id: int) -> ColumnElement[bool]:
    """The where-clause of a submitted score with a value at one of the campaign's stages."""
    return and_(
        col(Stage.campaign_id) == campaign_id,
        col(Score.status) == "submitted",
        col(Score.value).is_not(None),
    )


def _scores_of_campaign(query: Any, campaign_id: int) -> Any:
    return (
        query.join(StageCriterion, col(StageCriterion.id) == Score.stage_criterion_id)
        .join(Stage, col(Stage.id) == StageCriterion.stage_id)
        .where(_submitted(campaign_id))
    )


def _first_scores(session: Session, campaign_id: int) -> dict[int, date | None]:
    """stage id -> the London day of its first submitted score, for stages with scores."""
    rows = session.execute(
        _scores_of_campaign(
            select(StageCriterion.stage_id, func.min(Score.submitted_at)), campaign_id
        ).group_by(col(StageCriterion.stage_id))
    )
    return {stage_id: london_date(first) if first else None for stage_id, first in rows}


def _pair_totals(campaign_id: int) -> Any:
    """Each candidate's submitted scores on each criterion, summed and counted."""
    return _scores_of_campaign(
        select(
            col(Score.stage_criterion_id).label("cell_id"),
            col(Score.candidate_id).label("candidate_id"),
            func.sum(Score.value).label("value_sum"),
            func.count(col(Score.value)).label("value_count"),
        ),
        campaign_id,
    ).group_by(col(Score.stage_criterion_id), col(Score.candidate_id))


def _score_groups(session: Session, campaign_id: int) -> dict[int, list[ScoreGroup]]:
    """cell id -> (sum, count, candidates): candidates with the same score counted together.

    A candidate's score is the panel's agreed score where there is one, otherwise the
    mean of the submitted scores: kept as a sum and a count so the domain works exactly.
    """
    pairs = _pair_totals(campaign_id).subquery()
    agreed = col(ModeratedScore.value)
    value_sum = case((agreed.is_not(None), agreed), else_=pairs.c.value_sum)
    value_count = case((agreed.is_not(None), literal_column("1")), else_=pairs.c.value_count)
    rows = session.execute(
        select(pairs.c.cell_id, value_sum, value_count, func.count())
        .select_from(pairs)
        .outerjoin(
            ModeratedScore,
            and_(
                col(ModeratedScore.stage_criterion_id) == pairs.c.cell_id,
                col(ModeratedScore.candidate_id) == pairs.c.candidate_id,
            ),
        )
        .group_by(pairs.c.cell_id, value_sum, value_count)
    )
    found: dict[int, list[ScoreGroup]] = defaultdict(list)
    for cell_id, total, count, candidates in rows:
        found[cell_id].append((int(total), int(count), int(candidates)))
    return found


def _distributions(
    session: Session, campaign_id: int, stages: Sequence[Stage], cells: Iterable[_Cell]
) -> tuple[StageDistribution, ...]:
    groups = _score_groups(session, campaign_id)
    if not groups:
        return ()
    by_stage: dict[int, list[_Cell]] = defaultdict(list)
    for cell in cells:
        by_stage[cell.stage_id].append(cell)
    found = []
    for stage in stages:
        scored = [c for c in by_stage.get(id_of(stage), []) if groups.get(c.id)]
        if not scored:
            continue
        # One table per scale: a strength scored 1 to 4 beside behaviours scored 1 to 7
        # gets its own, named after the stage and its scale.
        on_scale: dict[str, list[_Cell]] = {}
        for c in scored:
            on_scale.setdefault(c.scale if c.scale and c.scale != stage.scale else "", []).append(c)
        for code, group in on_scale.items():
            try:
                scale = scale_for(code, group[0].custom_scale or []) if code else stage_scale(stage)
            except ValidationError:
                # A custom scale broken since scoring cannot place the scores; leave it out.
                continue
            criteria = tuple(
                distribution(c.code, c.title, c.pass_mark, scale.values, groups[c.id])
                for c in group
            )
            found.append(
                StageDistribution(
                    stage=f"{stage.name} ({scale.name})" if code else stage.name,
                    scale_name=scale.name,
                    scale_points=tuple((p.value, p.label) for p in scale.points),
                    criteria=criteria,
                )
            )
    return tuple(found)


def _merit_order(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    has_scores: bool,
    outcome_counts: dict[int, dict[str, int]],
) -> MeritOrder | None:
    decided = sum(outcome_counts.get(id_of(stage), {}).values())
    if has_scores:
        return _scored_merit_order(session, ctx, stage)
    if decided:
        return _outcomes_only(session, stage, decided)
    return None


def _scored_merit_order(session: Session, ctx: ServiceContext, stage: Stage) -> MeritOrder | None:
    finalised = stage.finalised_at is not None
    try:
        view = results_in(session, ctx, stage)
    except ValidationError as error:
        return MeritOrder(
            stage.name,
            stage.name_blind,
            finalised,
            True,
            (),
            0,
            note=f"The merit order cannot be worked out: {error.message}",
        )
    if not view.rows:
        return None
    shown = view.rows[:MERIT_ORDER_LIMIT]
    names = {} if stage.name_blind else _names(session, [r.candidate_id for r in shown])
    rows = tuple(
        MeritRow(
            rank=r.rank,
            number=r.number,
            name=names.get(r.candidate_id, ""),
            total=r.total,
            outcome=vocabulary.Outcome.label_for(r.outcome) if r.outcome else NOT_DECIDED,
        )
        for r in shown
    )
    overridden = [
        f"candidate {r.number}'s overall score was overridden by the chair "
        f"(from {r.computed_total:g}): {r.override_reason}"
        if r.computed_total is not None
        else f"candidate {r.number}'s overall score was overridden by the chair: "
        f"{r.override_reason}"
        for r in shown
        if r.overridden
    ]
    said = f"In this order, {'; '.join(overridden)}." if overridden else ""
    note = " ".join(n for n in (view.totals_note, said) if n)
    return MeritOrder(
        stage.name, stage.name_blind, finalised, True, rows, len(view.rows), note=note
    )


def _outcomes_only(session: Session, stage: Stage, decided: int) -> MeritOrder:
    """A stage whose outcomes were recorded without scores in Recruit: who got what."""
    kind_order = case(
        *[(col(Outcome.kind) == kind, place) for kind, place in _KIND_ORDER.items()],
        else_=len(_KIND_ORDER),
    )
    rows = session.execute(
        select_columns(
            Outcome.rank,
            Candidate.candidate_number,
            Candidate.first_name,
            Candidate.last_name,
            Outcome.kind,
        )
        .join(Candidate, col(Candidate.id) == Outcome.candidate_id)
        .where(Outcome.stage_id == stage.id)
        .order_by(
            kind_order,
            col(Outcome.rank).is_(None),
            col(Outcome.rank),
            *by_number(session, Candidate.candidate_number),
        )
        .limit(MERIT_ORDER_LIMIT)
    )
    listed = tuple(
        MeritRow(
            rank=rank,
            number=number,
            name="" if stage.name_blind else f"{first} {last}".strip(),
            total=None,
            outcome=vocabulary.Outcome.label_for(kind),
        )
        for rank, number, first, last, kind in rows
    )
    return MeritOrder(
        stage.name, stage.name_blind, stage.finalised_at is not None, False, listed, decided
    )


def _names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Candidate.id, Candidate.first_name, Candidate.last_name).where(
            col(Candidate.id).in_(list(ids))
        )
    )
    return {cid: f"{first} {last}".strip() for cid, first, last in rows}


def _timings(
    stages: Sequence[Stage], first_scores: dict[int, date | None]
) -> tuple[StageTiming, ...]:
    timings = []
    for stage in stages:
        timing = StageTiming(
            stage=stage.name,
            planned_start=stage.starts_on,
            planned_end=stage.ends_on,
            first_score=first_scores.get(id_of(stage)),
            finalised=london_date(stage.finalised_at) if stage.finalised_at else None,
        )
        if any((timing.planned_start, timing.planned_end, timing.first_score, timing.finalised)):
            timings.append(timing)
    return tuple(timings)


def _reserves(
    session: Session, campaign_id: int, stages: Sequence[Stage], today: date
) -> tuple[ReserveGroup, ...]:
    """Reserve lists by stage and expiry date, counted in SQL; in stage order, soonest first."""
    position = {s.id: n for n, s in enumerate(stages)}
    names = {s.id: s.name for s in stages}
    rows = sorted(
        session.execute(
            select(Outcome.stage_id, col(Outcome.reserve_expires_on), func.count())
            .join(Stage, col(Stage.id) == Outcome.stage_id)
            .where(Stage.campaign_id == campaign_id, Outcome.kind == vocabulary.Outcome.RESERVE)
            .group_by(col(Outcome.stage_id), col(Outcome.reserve_expires_on))
        ).all(),
        key=lambda r: (position.get(r[0], 0), r[1] is None, r[1] or today),
    )
    return tuple(
        ReserveGroup(
            stage=names.get(stage_id, ""),
            expires_on=expires,
            candidates=count,
            expired=expires is not None and reserve_expired(expires, today),
        )
        for stage_id, expires, count in rows
    )


def _consistency(
    session: Session, campaign_id: int, stages: Sequence[Stage]
) -> tuple[StageConsistency, ...]:
    """Each assessor's scores against the rest of the panel's, per stage (assessor_totals)."""
    by_stage = assessor_totals(session, col(Stage.campaign_id) == campaign_id)
    found = []
    for stage in stages:
        totals = by_stage.get(id_of(stage))
        if totals:
            lines = sorted((assessor_line(t) for t in totals), key=lambda a: a.name.casefold())
            found.append(StageConsistency(stage.name, tuple(lines)))
    return tuple(found)


def _deviations(session: Session, stages: Sequence[Stage]) -> tuple[StageDeviations, ...]:
    """The departures from each stage's question plan, in stage order: candidate numbers,
    never names (the report goes round the recruiting team)."""
    found = read_deviations(session, [id_of(s) for s in stages])
    return tuple(
        StageDeviations(stage.name, tuple(d.as_line() for d in found[id_of(stage)]))
        for stage in stages
        if found.get(id_of(stage))
    )


def _fairness(
    session: Session, ctx: ServiceContext, campaign_id: int, stages: Sequence[Stage]
) -> FairnessSection | None:
    """Selection rates by group, one table per characteristic, suppressed as the Fairness
    screen is (services.equality.fairness_figures), read in the report's own transaction.
    None for anyone who may not see equality monitoring figures (their report says
    nothing of them at all) and where no candidate answered; a question nobody answered
    is left out."""
    from recruit_app.domain.fairness import fairness_report
    from recruit_app.services.equality import (
        _journeys,
        configured_characteristics,
        configured_threshold,
        may_monitor,
    )

    if not stages or not may_monitor(session, ctx):
        return None
    characteristics = configured_characteristics(session)
    journeys, _undecided = _journeys(session, campaign_id, [id_of(s) for s in stages])
    answered = {code for journey in journeys for code, given in journey.answers.items() if given}
    if not answered:  # no answers imported: a table of "Not answered" tells nothing
        return None
    characteristics = tuple(c for c in characteristics if c.code in answered)
    report = fairness_report(
        journeys,
        [s.name for s in stages],
        characteristics,
        threshold=configured_threshold(session),
    )
    tables = []
    for characteristic in characteristics:
        lines = tuple(
            FairnessLine.of(row, characteristic)
            for row in report.rows
            if row.characteristic == characteristic.code
        )
        tables.append(FairnessTable(characteristic.label, lines))
    return FairnessSection(report.threshold, tuple(tables))
