"""What the results tab reads in one go: the stages, and one stage's results and checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from recruit_app.domain.stage_rules import SCORING_KINDS, ScalePoint, scale_for
from recruit_app.errors import PermissionDenied, ValidationError

if TYPE_CHECKING:
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.results import AssessorView, ModerationPair, ResultsView
    from recruit_app.services.stages import StageView

T = TypeVar("T")


@dataclass(frozen=True)
class ResultsData:
    reference: str
    stages: tuple[StageView, ...]  # the stages that score, in campaign order
    stage_id: int | None
    results: ResultsView | None
    problem: str  # why the results could not be worked out, "" when they were
    pairs: tuple[ModerationPair, ...]
    pairs_note: str  # why the pairs are not shown (a permission), "" when they are
    assessors: tuple[AssessorView, ...]
    assessors_note: str
    scale: tuple[ScalePoint, ...]

    def stage(self) -> StageView | None:
        return next((s for s in self.stages if s.id == self.stage_id), None)


def default_stage(stages: tuple[StageView, ...]) -> int | None:
    """Where the work is: the first scored stage still open, else the last scored one."""
    scored = [s for s in stages if s.has_scores]
    open_ = [s for s in scored if not s.finalised]
    chosen = open_[0] if open_ else (scored[-1] if scored else (stages[0] if stages else None))
    return chosen.id if chosen else None


def read_results(ctx: ServiceContext, campaign_id: int, stage_id: int | None) -> ResultsData:
    """Runs in a worker: the stages to choose from and everything about the chosen one."""
    from recruit_app.services.results import assessor_consistency, moderation_view, stage_results
    from recruit_app.services.stages import stages_overview

    overview = stages_overview(ctx, campaign_id)
    stages = tuple(s for s in overview.stages if s.kind in SCORING_KINDS) or overview.stages
    if stage_id not in {s.id for s in stages}:
        stage_id = default_stage(stages)
    if stage_id is None:
        return ResultsData(overview.reference, stages, None, None, "", (), "", (), "", ())
    stage = next(s for s in stages if s.id == stage_id)
    try:
        results, problem = stage_results(ctx, stage_id), ""
    except ValidationError as exc:  # the stage's rules cannot give results yet
        results, problem = None, exc.message
    pairs, pairs_note = _allowed(lambda: moderation_view(ctx, stage_id))
    assessors, assessors_note = _allowed(
        lambda: assessor_consistency(ctx, stage_id),
        "Only recruiting managers see how each assessor's scores compare with the others'.",
    )
    try:
        scale = scale_for(stage.scale, stage.custom_scale).points
    except ValidationError:  # custom points still being written: nothing to agree on yet
        scale = ()
    return ResultsData(
        overview.reference,
        stages,
        stage_id,
        results,
        problem,
        tuple(pairs),
        pairs_note,
        tuple(assessors),
        assessors_note,
        scale,
    )


def _allowed(read: Callable[[], list[T]], reason: str = "") -> tuple[list[T], str]:
    """A part the person may not see is left out with the reason (`reason`, where the
    service's own refusal would speak of something else), not the whole tab."""
    try:
        return read(), ""
    except PermissionDenied as exc:
        return [], reason or exc.message


EMPTY = ResultsData("", (), None, None, "", (), "", (), "", ())
