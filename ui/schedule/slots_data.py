"""What the slots tab reads in one go: the stages to choose from and one stage's slots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from recruit_app.domain.stage_rules import INTERVIEW_KINDS

if TYPE_CHECKING:
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.slots import SlotsView
    from recruit_app.services.stages import StageView


@dataclass(frozen=True)
class SlotsData:
    stages: tuple[StageView, ...]  # interviewing stages first
    view: SlotsView | None  # the chosen stage's slots; None when there are no stages


def read_slots(ctx: ServiceContext, campaign_id: int, stage_id: int | None) -> SlotsData:
    """Runs in a worker: the stages to choose from and the slots of the chosen one."""
    from recruit_app.services.slots import list_slots
    from recruit_app.services.stages import stages_overview

    stages = sorted(
        stages_overview(ctx, campaign_id).stages,
        key=lambda s: (s.kind not in INTERVIEW_KINDS, s.position),
    )
    if stage_id not in {s.id for s in stages}:
        stage_id = stages[0].id if stages else None
    return SlotsData(tuple(stages), list_slots(ctx, stage_id) if stage_id is not None else None)
