"""Stage use cases: the stages of a campaign, what each assesses, and who sits on its panels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db import audit
from db.locks import lock_stage, lock_stages
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    PanelAssignment,
    Person,
    Score,
    Stage,
    StageCriterion,
    id_of,
)
from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.stage_rules import (
    INTERVIEW_KINDS,
    MatrixCriterion,
    MatrixStage,
    PanelSeat,
    can_remove_stage,
    cell_scale_code,
    check_matrix,
    check_panel,
    check_stage,
    check_stage_name_free,
    clean_cell_scale,
    clean_pass_mark,
    clean_stage_changes,
    clean_stage_name,
    clean_weight,
    scale_for,
)
from recruit_app.domain.stage_rules import custom_scale as custom_scale_points
from recruit_app.domain.stage_rules import default_pass_mark as domain_default_pass_mark
from recruit_app.errors import NotFound, ValidationError
from recruit_app.services.access import Use, campaign_for, stage_for
from recruit_app.services.context import ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import check_version, touch, unit_of_work
from recruit_app.vocabulary import PanelRole, StageKind

DEFAULT_MODES = {
    "sift": "online",
    "lead_sift": "online",
    "online_test": "online",
    "technical_exercise": "online",
    "telephone_interview": "telephone",
    "video_interview": "video",
    "assessment_centre": "in_person",
    "panel_interview": "in_person",
    "presentation": "in_person",
}


# --- read models ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    criterion_id: int  # the advert criterion
    code: str
    weight: float
    pass_mark: int | None
    # The scale it is scored on: its own ("custom" with custom_scale's points), else
    # ("") the stage's; see `scale_code` for the one in force.
    scale: str = ""
    custom_scale: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class SeatView:
    person_id: int
    name: str
    email: str
    role: str
    panel_number: int


@dataclass(frozen=True)
class StageView:
    id: int
    version: int
    position: int
    name: str
    kind: str
    mode: str
    starts_on: date | None
    ends_on: date | None
    scale: str
    custom_scale: tuple[dict[str, Any], ...]
    pass_mark_total: float | None
    name_blind: bool
    min_assessors: int
    moderation_spread: int
    progress_rule: str
    progress_count: int | None
    finalised: bool
    location: str
    video_link: str
    slot_plan: dict[str, Any]
    invitations_on: date | None
    notice_days: int
    cells: tuple[MatrixCell, ...]
    panel: tuple[SeatView, ...]
    has_scores: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "mode": self.mode,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "name_blind": self.name_blind,
            "scale": self.scale,
            "pass_mark_total": self.pass_mark_total,
            "min_assessors": self.min_assessors,
            "moderation_spread": self.moderation_spread,
            "progress_rule": self.progress_rule,
            "progress_count": self.progress_count,
            "finalised": self.finalised,
            "criteria": [
                {
                    "code": c.code,
                    "weight": c.weight,
                    "pass_mark": c.pass_mark,
                    "scale": c.scale or self.scale,
                    "own_scale": bool(c.scale),
                }
                for c in self.cells
            ],
            "panel": [
                {"name": s.name, "email": s.email, "role": s.role, "panel": s.panel_number}
                for s in self.panel
            ],
        }


@dataclass(frozen=True)
class CriterionColumn:
    id: int
    code: str
    title: str
    element: str
    essential: bool
    lead: bool
    lead_rank: int = 0  # the lead criteria's order for tie-breaks: 1 first; 0 unordered


@dataclass(frozen=True)
class StagesOverview:
    campaign_id: int
    reference: str
    stages: tuple[StageView, ...]
    criteria: tuple[CriterionColumn, ...]
    findings: tuple[Finding, ...]

    @property
    def lead(self) -> tuple[str, ...]:
        """The lead criteria's codes in tie-break order: by lead rank, then advert order."""
        return lead_order(self.criteria)


def lead_order(criteria: Sequence[CriterionColumn]) -> tuple[str, ...]:
    leads = [(n, c) for n, c in enumerate(criteria) if c.lead]
    ranked = sorted((c.lead_rank, n, c.code) for n, c in leads if c.lead_rank >= 1)
    return (*(code for _r, _n, code in ranked), *(c.code for _n, c in leads if c.lead_rank < 1))


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    email: str
    role: str
    active: bool


# --- loading -------------------------------------------------------------------------


def _campaign(session: Session, ctx: ServiceContext, campaign_id: int, use: Use) -> Campaign:
    return campaign_for(session, ctx, campaign_id, use)


def _stage(session: Session, ctx: ServiceContext, stage_id: int, use: Use) -> Stage:
    return stage_for(session, ctx, stage_id, use)


def _stages(session: Session, campaign_id: int) -> list[Stage]:
    return list(
        session.exec(
            select(Stage)
            .where(Stage.campaign_id == campaign_id)
            .order_by(col(Stage.position), col(Stage.id))
        )
    )


def _criteria(session: Session, campaign_id: int) -> list[AdvertCriterion]:
    return list(
        session.exec(
            select(AdvertCriterion)
            .join(Advert, col(Advert.id) == AdvertCriterion.advert_id)
            .where(Advert.campaign_id == campaign_id)
            .order_by(col(AdvertCriterion.position), col(AdvertCriterion.id))
        )
    )


def _scored_stage_ids(session: Session, stage_ids: list[int]) -> set[int]:
    if not stage_ids:
        return set()
    rows = session.exec(
        select(StageCriterion.stage_id)
        .join(Score, col(Score.stage_criterion_id) == StageCriterion.id)
        .where(col(StageCriterion.stage_id).in_(stage_ids))
        .distinct()
    )
    return set(rows)


def stage_view(session: Session, stage: Stage, *, has_scores: bool | None = None) -> StageView:
    assert stage.id is not None
    cells = session.exec(
        select(StageCriterion, AdvertCriterion.code)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .where(StageCriterion.stage_id == stage.id)
        .order_by(col(StageCriterion.position))
    ).all()
    seats = session.exec(
        select(PanelAssignment, Person)
        .join(Person, col(Person.id) == PanelAssignment.person_id)
        .where(PanelAssignment.stage_id == stage.id)
        .order_by(
            col(PanelAssignment.panel_number), col(PanelAssignment.panel_role), col(Person.name)
        )
    ).all()
    if has_scores is None:
        has_scores = stage.id in _scored_stage_ids(session, [stage.id])
    return StageView(
        id=stage.id,
        version=stage.version,
        position=stage.position,
        name=stage.name,
        kind=stage.kind,
        mode=stage.mode,
        starts_on=stage.starts_on,
        ends_on=stage.ends_on,
        scale=stage.scale,
        custom_scale=tuple(stage.custom_scale),
        pass_mark_total=stage.pass_mark_total,
        name_blind=stage.name_blind,
        min_assessors=stage.min_assessors,
        moderation_spread=stage.moderation_spread,
        progress_rule=stage.progress_rule,
        progress_count=stage.progress_count,
        finalised=stage.finalised_at is not None,
        location=stage.location,
        video_link=stage.video_link,
        slot_plan=dict(stage.slot_plan),
        invitations_on=stage.invitations_on,
        notice_days=stage.notice_days,
        cells=tuple(
            MatrixCell(
                c.advert_criterion_id,
                code,
                c.weight,
                c.pass_mark,
                c.scale,
                tuple(c.custom_scale),
            )
            for c, code in cells
        ),
        panel=tuple(
            SeatView(id_of(p), p.name, p.email, a.panel_role, a.panel_number) for a, p in seats
        ),
        has_scores=has_scores,
    )


def _overview(session: Session, campaign: Campaign) -> StagesOverview:
    assert campaign.id is not None
    stages = _stages(session, campaign.id)
    scored = _scored_stage_ids(session, [s.id for s in stages if s.id is not None])
    views = tuple(stage_view(session, s, has_scores=s.id in scored) for s in stages)
    criteria = tuple(
        CriterionColumn(id_of(c), c.code, c.title, c.element, c.essential, c.lead, c.lead_rank)
        for c in _criteria(session, campaign.id)
    )
    findings = check_matrix(
        [MatrixCriterion(c.code, c.title, c.essential, c.lead) for c in criteria],
        [
            MatrixStage(
                v.name,
                v.kind,
                tuple(cell.code for cell in v.cells),
                tuple((c.code, c.pass_mark) for c in v.cells if c.pass_mark is not None),
            )
            for v in views
        ],
    )
    for view in views:
        findings += check_panel(
            view.name,
            view.kind,
            [PanelSeat(s.person_id, s.name, s.role, s.panel_number) for s in view.panel],
        )
    return StagesOverview(campaign.id, campaign.reference, views, criteria, tuple(findings))


def stages_overview(ctx: ServiceContext, campaign_id: int) -> StagesOverview:
    """The campaign's stages, matrix and checks; a panel member gets only the stages they
    sit on (and no findings, which are the manager's to act on)."""
    require(ctx.actor, "campaign.view")
    with unit_of_work(ctx, read_only=True) as session:
        return overview_in(session, ctx, campaign_id)


def overview_in(session: Session, ctx: ServiceContext, campaign_id: int) -> StagesOverview:
    """Within the caller's transaction: what stages_overview returns."""
    overview = _overview(session, _campaign(session, ctx, campaign_id, "view"))
    if ctx.actor.role != "panel_member":
        return overview
    mine = tuple(
        v for v in overview.stages if any(p.person_id == ctx.actor.person_id for p in v.panel)
    )
    return replace(overview, stages=mine, findings=())


def _audit(
    session: Session,
    ctx: ServiceContext,
    campaign: Campaign,
    action: str,
    stage_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor_name=ctx.actor.name,
        actor_id=ctx.actor.person_id,
        action=action,
        entity="stage",
        entity_id=stage_id,
        campaign_id=campaign.id,
        campaign_reference=campaign.reference,
        summary=summary,
        before=before,
        after=after,
    )


# --- adding, changing, moving and removing stages -------------------------------------


def add_stage(
    ctx: ServiceContext, campaign_id: int, *, name: str, kind: str = "custom"
) -> StageView:
    require(ctx.actor, "campaign.manage")
    name = clean_stage_name(name)
    if kind not in StageKind.codes():
        raise ValidationError(f"{kind!r} is not a kind of stage.", "kind")
    with unit_of_work(ctx) as session:
        campaign = _campaign(session, ctx, campaign_id, "manage")
        stages = _stages(session, campaign_id)
        check_stage_name_free(name, [s.name for s in stages])
        stage = Stage(
            campaign_id=campaign_id,
            position=len(stages),
            name=name,
            kind=kind,
            mode=DEFAULT_MODES.get(kind, ""),
            name_blind=kind in ("sift", "lead_sift"),
            min_assessors=3 if kind in INTERVIEW_KINDS else 2,
            updated_by=ctx.actor.name,
        )
        session.add(stage)
        session.flush()
        _audit(
            session,
            ctx,
            campaign,
            "stage.add",
            stage.id,
            f"Added the stage {name}",
            after={"name": name, "kind": kind, "position": stage.position + 1},
        )
        return stage_view(session, stage, has_scores=False)


def update_stage(
    ctx: ServiceContext, stage_id: int, changes: dict[str, Any], *, expected_version: int | None
) -> StageView:
    require(ctx.actor, "campaign.manage")
    values = clean_stage_changes(changes)
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        campaign = _campaign(session, ctx, stage.campaign_id, "manage")
        check_version(stage, expected_version, f"The stage {stage.name}")
        before = {k: _jsonable(getattr(stage, k)) for k in values}
        for name, value in values.items():
            setattr(stage, name, value)
        check_stage(
            stage.name,
            starts_on=stage.starts_on,
            ends_on=stage.ends_on,
            progress_rule=stage.progress_rule,
            progress_count=stage.progress_count,
            scale=stage.scale,
            custom_scale=stage.custom_scale,
        )
        others = [s.name for s in _stages(session, stage.campaign_id) if s.id != stage.id]
        check_stage_name_free(stage.name, others)
        touch(stage, ctx)
        session.flush()
        _audit(
            session,
            ctx,
            campaign,
            "stage.update",
            stage.id,
            f"Changed {stage.name}",
            before,
            {k: _jsonable(getattr(stage, k)) for k in values},
        )
        return stage_view(session, stage)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def move_stage(ctx: ServiceContext, stage_id: int, new_index: int) -> StagesOverview:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        stage = _stage(session, ctx, stage_id, "manage")
        campaign = _campaign(session, ctx, stage.campaign_id, "manage")
        stages = [s for s in _stages(session, stage.campaign_id) if s.id != stage_id]
        new_index = max(0, min(new_index, len(stages)))
        old_position = stage.position
        stages.insert(new_index, stage)
        for position, item in enumerate(stages):
            if item.position != position:
                item.position = position
                touch(item, ctx)
        _audit(
            session,
            ctx,
            campaign,
            "stage.move",
            stage.id,
            f"Moved {stage.name} to position {new_index + 1}",
            before={"position": old_position + 1},
            after={"position": new_index + 1},
        )
        session.flush()
        return _overview(session, campaign)


def remove_stage(
    ctx: ServiceContext, stage_id: int, *, expected_version: int | None
) -> StagesOverview:
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        campaign = _campaign(session, ctx, stage.campaign_id, "manage")
        check_version(stage, expected_version, f"The stage {stage.name}")
        can_remove_stage(stage.id in _scored_stage_ids(session, [stage_id]), stage.name)
        _audit(
            session,
            ctx,
            campaign,
            "stage.remove",
            stage.id,
            f"Removed {stage.name}",
            before={"name": stage.name, "kind": stage.kind},
        )
        session.delete(stage)
        session.flush()
        for position, item in enumerate(_stages(session, id_of(campaign))):
            item.position = position
        session.flush()
        return _overview(session, campaign)


# --- the assessment matrix -----------------------------------------------------------


@dataclass(frozen=True)
class CellChoice:
    stage_id: int
    criterion_id: int
    weight: float = 1.0
    pass_mark: int | None = None
    # The cell's scale: "" for the stage's, a built-in scale, or "custom" with its points.
    scale: str = ""
    custom_scale: tuple[dict[str, Any], ...] = ()


def save_matrix(
    ctx: ServiceContext,
    campaign_id: int,
    cells: list[CellChoice],
    *,
    expected_versions: dict[int, int],
) -> StagesOverview:
    """Replace which criteria each stage assesses, with weights and pass marks."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx) as session:
        lock_stages(session, campaign_id)  # decided under the stage locks: see db.locks
        campaign = _campaign(session, ctx, campaign_id, "manage")
        stages = {s.id: s for s in _stages(session, campaign_id)}
        criteria = {c.id: c for c in _criteria(session, campaign_id)}
        for choice in cells:
            if choice.stage_id not in stages or choice.criterion_id not in criteria:
                raise NotFound("A stage or criterion in the matrix no longer exists; reload.")
            clean_weight(choice.weight)
            clean_pass_mark(choice.pass_mark)
            _check_cell_scale(choice, stages[choice.stage_id], criteria[choice.criterion_id])
        for stage_id, stage in stages.items():
            if stage_id in expected_versions:
                check_version(stage, expected_versions[stage_id], f"The stage {stage.name}")
        before = _matrix_cells(session, stages, criteria)
        wanted = {(c.stage_id, c.criterion_id): c for c in cells}
        for stage_id, stage in stages.items():
            _replace_cells(
                session,
                ctx,
                stage,
                criteria,
                {cid: choice for (sid, cid), choice in wanted.items() if sid == stage_id},
            )
        _audit(
            session,
            ctx,
            campaign,
            "stage.matrix",
            None,
            "Changed the assessment matrix",
            before={"cells": before},
            after={
                "cells": [
                    [
                        stages[c.stage_id].name,
                        criteria[c.criterion_id].code,
                        c.weight,
                        c.pass_mark,
                        *([c.scale] if c.scale else []),
                    ]
                    for c in cells
                ]
            },
        )
        session.flush()
        return _overview(session, campaign)


def _matrix_cells(
    session: Session, stages: dict[int | None, Stage], criteria: dict[int | None, AdvertCriterion]
) -> list[list[Any]]:
    """The matrix as the audit trail shows it: [stage, criterion code, weight, pass mark]."""
    rows = session.exec(
        select(StageCriterion)
        .where(col(StageCriterion.stage_id).in_([i for i in stages if i is not None]))
        .order_by(col(StageCriterion.stage_id), col(StageCriterion.position))
    )
    return [
        [
            stages[c.stage_id].name,
            criteria[c.advert_criterion_id].code,
            c.weight,
            c.pass_mark,
            *([c.scale] if c.scale else []),
        ]
        for c in rows
        if c.advert_criterion_id in criteria
    ]


def _check_cell_scale(choice: CellChoice, stage: Stage, criterion: AdvertCriterion) -> None:
    """A cell's scale is a known one, with its points if custom, and its pass mark on it."""
    code = clean_cell_scale(choice.scale)
    custom = list(choice.custom_scale) if code else list(stage.custom_scale)
    if code == "custom":
        custom_scale_points(custom)
    if choice.pass_mark is None:
        return
    try:
        scale = scale_for(cell_scale_code(code, stage.scale), custom)
    except ValidationError:  # the stage's own custom scale still being written
        return
    if not scale.minimum <= choice.pass_mark <= scale.maximum:
        raise ValidationError(
            f"The pass mark for {criterion.code} at {stage.name} is {choice.pass_mark}, off "
            f"its scale ({scale.name}, {scale.minimum} to {scale.maximum}).",
            "pass_mark",
        )


def _replace_cells(
    session: Session,
    ctx: ServiceContext,
    stage: Stage,
    criteria: dict[int | None, AdvertCriterion],
    wanted: dict[int, CellChoice],
) -> None:
    existing = {
        c.advert_criterion_id: c
        for c in session.exec(select(StageCriterion).where(StageCriterion.stage_id == stage.id))
    }
    changed = False
    for criterion_id, dropped in existing.items():
        if criterion_id in wanted:
            continue
        scores = session.exec(
            select(func.count()).select_from(Score).where(Score.stage_criterion_id == dropped.id)
        ).one()
        if scores:
            raise ValidationError(
                f"{stage.name} already has scores for {criteria[criterion_id].code}, so it "
                "must keep assessing it.",
                "matrix",
            )
        session.delete(dropped)
        changed = True
    order = [c.id for c in criteria.values()]
    for criterion_id, choice in wanted.items():
        cell = existing.get(criterion_id)
        if cell is None:
            cell = StageCriterion(
                stage_id=id_of(stage), advert_criterion_id=criterion_id, updated_by=ctx.actor.name
            )
            session.add(cell)
        custom = list(choice.custom_scale) if choice.scale == "custom" else []
        if (cell.weight, cell.pass_mark, cell.scale, cell.custom_scale) != (
            choice.weight,
            choice.pass_mark,
            choice.scale,
            custom,
        ) or cell.id is None:
            if cell.id is not None and (cell.scale, cell.custom_scale) != (choice.scale, custom):
                _refuse_rescale(session, stage, criteria[criterion_id], cell)
            cell.weight, cell.pass_mark = choice.weight, choice.pass_mark
            cell.scale, cell.custom_scale = choice.scale, custom
            touch(cell, ctx)
            changed = True
        cell.position = order.index(criterion_id)
    if changed:
        touch(stage, ctx)


def _refuse_rescale(
    session: Session, stage: Stage, criterion: AdvertCriterion, cell: StageCriterion
) -> None:
    """Scores already given on a cell's scale would mean something else on another."""
    scores = session.exec(
        select(func.count()).select_from(Score).where(Score.stage_criterion_id == cell.id)
    ).one()
    if scores:
        raise ValidationError(
            f"{stage.name} already has scores for {criterion.code}, so its scale cannot change.",
            "scale",
        )


def default_pass_mark(
    scale: str, *, essential: bool = True, custom: list[dict[str, Any]] | None = None
) -> int | None:
    """The pass mark a newly ticked cell starts with: none for a desirable criterion."""
    return domain_default_pass_mark(scale, essential=essential, custom=custom)


# --- panels --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatChoice:
    person_id: int
    role: str = "member"
    panel_number: int = 1


def set_panel(
    ctx: ServiceContext, stage_id: int, seats: list[SeatChoice], *, expected_version: int | None
) -> StageView:
    """Replace who sits on the stage's panels."""
    require(ctx.actor, "campaign.manage")
    people = [s.person_id for s in seats]
    if len(set(people)) != len(people):
        raise ValidationError("Someone is on the panel twice.", "panel")
    for seat in seats:
        if seat.role not in PanelRole.codes():
            raise ValidationError(f"{seat.role!r} is not a panel role.", "panel")
        if not 1 <= seat.panel_number <= 20:
            raise ValidationError("Panels are numbered 1 to 20.", "panel")
    with unit_of_work(ctx) as session:
        lock_stage(session, stage_id)  # decided under the stage lock: see db.locks
        stage = _stage(session, ctx, stage_id, "manage")
        campaign = _campaign(session, ctx, stage.campaign_id, "manage")
        check_version(stage, expected_version, f"The stage {stage.name}")
        found = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(people)))}
        missing = [pid for pid in people if pid not in found]
        if missing:
            raise NotFound("Someone chosen for the panel no longer exists; reload.")
        gone = [found[pid].name for pid in people if not found[pid].active]
        if gone:
            raise ValidationError(
                f"{', '.join(gone)} can no longer sit on panels (deactivated).", "panel"
            )
        old_seats = list(
            session.exec(select(PanelAssignment).where(PanelAssignment.stage_id == stage_id))
        )
        before = _panel_for_audit(session, old_seats)
        for old in old_seats:
            session.delete(old)
        session.flush()
        for seat in seats:
            session.add(
                PanelAssignment(
                    stage_id=stage_id,
                    person_id=seat.person_id,
                    panel_role=seat.role,
                    panel_number=seat.panel_number,
                    updated_by=ctx.actor.name,
                )
            )
        touch(stage, ctx)
        session.flush()
        _audit(
            session,
            ctx,
            campaign,
            "stage.panel",
            stage.id,
            f"Set the panel of {stage.name}",
            before={"panel": before},
            after={"panel": [[found[s.person_id].email, s.role, s.panel_number] for s in seats]},
        )
        return stage_view(session, stage)


def _panel_for_audit(session: Session, seats: list[PanelAssignment]) -> list[list[Any]]:
    emails = dict(
        session.exec(
            select(Person.id, Person.email).where(col(Person.id).in_([s.person_id for s in seats]))
        ).all()
    )
    return [[emails.get(s.person_id, ""), s.panel_role, s.panel_number] for s in seats]


def list_people(ctx: ServiceContext, *, include_inactive: bool = False) -> list[PersonView]:
    """The people a manager can put on panels."""
    require(ctx.actor, "campaign.manage")
    with unit_of_work(ctx, read_only=True) as session:
        query = select(Person).order_by(col(Person.name))
        if not include_inactive:
            query = query.where(col(Person.active).is_(True))
        return [
            PersonView(id_of(p), p.name, p.email, p.role, p.active) for p in session.exec(query)
        ]
