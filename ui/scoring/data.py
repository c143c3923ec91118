"""What the scoring tab reads in one go: the scoring stages, the panel, and one member's sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.scoring import PanelMember, ScoringSheet


@dataclass(frozen=True)
class StageChoice:
    id: int
    name: str
    finalised: bool
    has_panel: bool


@dataclass(frozen=True)
class ScoringData:
    reference: str
    stages: tuple[StageChoice, ...]
    stage_id: int | None
    members: tuple[PanelMember, ...]
    assessor_id: int | None
    sheet: ScoringSheet | None  # None when the stage has nobody to score as
    by_criterion: bool


def read_scoring(
    ctx: ServiceContext,
    campaign_id: int,
    stage_id: int | None,
    assessor_id: int | None,
    by_criterion: bool,
) -> ScoringData:
    """Runs in a worker. Unknown or missing choices fall back to sensible ones."""
    from recruit_app.domain.stage_rules import SCORING_KINDS
    from recruit_app.services.scoring import panel_members, scoring_sheet
    from recruit_app.services.stages import stages_overview

    overview = stages_overview(ctx, campaign_id)
    me = ctx.actor.person_id if ctx.actor.role == "panel_member" else None
    stages = [
        s
        for s in overview.stages
        if s.kind in SCORING_KINDS and (me is None or any(p.person_id == me for p in s.panel))
    ]
    choices = tuple(StageChoice(s.id, s.name, s.finalised, bool(s.panel)) for s in stages)
    if stage_id not in {s.id for s in choices}:
        # The stage being scored now: the first open one with a panel.
        stage_id = next(
            (s.id for s in choices if s.has_panel and not s.finalised),
            choices[0].id if choices else None,
        )
    members = tuple(panel_members(ctx, stage_id)) if stage_id is not None else ()
    ids = [m.person_id for m in members]
    if assessor_id not in ids:
        assessor_id = me if me in ids else (ids[0] if ids else None)
    sheet = None
    if stage_id is not None and assessor_id is not None:
        sheet = scoring_sheet(ctx, stage_id, assessor_id, by_criterion=by_criterion)
    return ScoringData(
        overview.reference, choices, stage_id, members, assessor_id, sheet, by_criterion
    )
