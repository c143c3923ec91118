"""What the Candidates tab reads in one worker call: the stages and the chosen stage's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.candidates.model import Row, prepare

if TYPE_CHECKING:
    from recruit_app.services.context import ServiceContext


@dataclass(frozen=True)
class CandidatesData:
    stages: tuple[tuple[int, str], ...]  # (id, name) in stage order
    stage_id: int | None  # None: everyone; the stage asked for, unless it has gone
    rows: list[Row]
    everyone_allowed: bool = True  # a panel member sees only the stages they sit on


def read_candidates(ctx: ServiceContext, campaign_id: int, stage_id: int | None) -> CandidatesData:
    """Runs in a worker; the rows come prepared, so the GUI thread only shows them."""
    from recruit_app.services.candidates import list_candidates
    from recruit_app.services.stages import stages_overview

    stages = tuple((s.id, s.name) for s in stages_overview(ctx, campaign_id).stages)
    everyone = ctx.actor.role != "panel_member"
    if stage_id not in {sid for sid, _ in stages}:
        # Removed meanwhile: show everyone rather than an error (a panel member, their first).
        stage_id = None if everyone or not stages else stages[0][0]
    if stage_id is None and not everyone:
        return CandidatesData(stages, None, [], everyone_allowed=False)
    views = list_candidates(ctx, campaign_id, stage_id=stage_id)
    return CandidatesData(stages, stage_id, prepare(views), everyone)
