"""The permission table of issue 7: every public use case against every position.

Each cell either works, or raises PermissionDenied naming the role of the person refused
and changes nothing. The rows live in tests/helpers/use_cases.py; the world (the demo
campaign with people in every position) is built once and copied for each cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recruit_app.errors import PermissionDenied
from tests.helpers import use_cases as uc


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uc.WorldIds]:
    return uc.world_file(tmp_path_factory)


@pytest.fixture
def world(world_template: tuple[Path, uc.WorldIds], tmp_path: Path) -> Iterator[uc.World]:
    with uc.open_world(*world_template, tmp_path) as opened:
        yield opened


CELLS = [
    pytest.param(case, position, id=f"{uc.param_id(case.key)}-{position}")
    for case, position in uc.cells()
]


# --- the table is whole ------------------------------------------------------------------


def test_every_public_use_case_has_a_row() -> None:
    public = uc.public_use_cases()
    rows = {case.function for case in uc.USE_CASES}
    assert sorted(public - set(uc.NOT_USE_CASES) - rows) == []
    assert sorted(rows - public) == []  # a row for a use case that is gone or renamed
    assert sorted(set(uc.NOT_USE_CASES) - public) == []
    assert sorted(rows & set(uc.NOT_USE_CASES)) == []


def test_every_row_has_a_cell_for_every_position() -> None:
    for case in uc.USE_CASES:
        assert tuple(case.cells) == uc.POSITIONS, case.key
        assert set(case.cells.values()) <= {uc.WORKS, uc.REFUSED, uc.HIDDEN}, case.key
        assert case.cells["admin"] == uc.WORKS, f"{case.key}: an administrator may do anything"
    assert len(CELLS) == len(uc.USE_CASES) * len(uc.POSITIONS)


def test_the_table_says_what_the_issue_says() -> None:
    """A few cells read straight off issue 7, so a mistaken row cannot pass unnoticed."""
    cell = {(case.key, p): v for case in uc.USE_CASES for p, v in case.cells.items()}
    # Panel members cannot edit adverts, stages, matrices, outcomes.
    for key in (
        "adverts.save_advert",
        "stages.update_stage",
        "stages.save_matrix",
        "stages.set_panel",
        "results.set_outcome",
        "results.finalise_stage",
    ):
        for panel in ("panel_on", "panel_elsewhere", "panel_outsider"):
            assert cell[key, panel] == uc.REFUSED, (key, panel)
    # Recruiting managers: their own campaigns fully, others' only if shared with them.
    for key in ("adverts.save_advert", "stages.update_stage", "campaigns.delete_campaign"):
        assert [cell[key, p] for p in ("rm_owner", "rm_shared", "rm_other")] == [
            uc.WORKS,
            uc.WORKS,
            uc.REFUSED,
        ]
    # Panel members: only the stages they sit on.
    assert [cell["scoring.save_score", p] for p in uc.POSITIONS[4:]] == [
        uc.WORKS,
        uc.REFUSED,
        uc.REFUSED,
    ]
    # Only an administrator manages people beyond panel members, and settings.
    for key in ("people.create_person[recruiting manager]", "retention.set_retention_months"):
        assert [p for p in uc.POSITIONS if cell[key, p] == uc.WORKS] == ["admin"]


# --- each cell ---------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "position"), CELLS)
def test_cell(world: uc.World, case: uc.UseCase, position: str) -> None:
    if case.prepare is not None:
        case.prepare(world)
    ctx = world.ctx(uc.acting_actor(case, position))
    expected = case.cells[position]
    if expected == uc.REFUSED:
        before = uc.fingerprint(world.db)
        with pytest.raises(PermissionDenied) as refused:
            case.act(world, ctx)
        message = str(refused.value)
        assert uc.refusal_pattern(ctx.actor.role).search(message), (
            f"the refusal does not name the role ({ctx.actor.role}): {message!r}"
        )
        assert uc.fingerprint(world.db) == before, "a refused call changed the database"
        return
    result = case.act(world, ctx)
    if expected == uc.HIDDEN or isinstance(result, uc.Seen):
        # A list that works for everyone allowed to list, but must leave the campaign out.
        assert result == uc.Seen(campaign=expected == uc.WORKS)


# --- name-blind stages -------------------------------------------------------------------


@pytest.mark.parametrize("stage", [*uc.BLIND_STAGES, uc.SHOWING_STAGE])
@pytest.mark.parametrize("path", sorted(uc.SEEING_PATHS))
def test_panel_members_never_see_names_at_a_name_blind_stage(
    world: uc.World, path: str, stage: str
) -> None:
    stage_id = uc.stage_to_look_at(world, stage)
    everyone = uc.candidate_names(world.db, world.ids.campaign_id)
    text = uc.SEEING_PATHS[path](world, world.ctx(uc.seer(path, stage)), stage_id)
    seen = uc.names_seen(text, everyone)
    if stage in uc.BLIND_STAGES:
        assert seen == set()
    else:  # the same path at a stage that shows names: the search does find them
        interviewees = uc.candidate_names(
            world.db, world.ids.campaign_id, only=world.ids.interviewees
        )
        assert len(interviewees) == 16
        assert seen == interviewees


@pytest.mark.parametrize("stage", [*uc.BLIND_STAGES, uc.SHOWING_STAGE])
@pytest.mark.parametrize("path", sorted(uc.SEEING_PATHS))
def test_name_blind_hides_every_personal_detail_not_only_the_name(
    world: uc.World, path: str, stage: str
) -> None:
    """No scheme flag, adjustment, extra time, unavailable date or other information at a
    name-blind stage, by any path (issue 12); at a stage that shows names the panel member
    sees what the panel needs of them (proof that the search finds a detail when shown)."""
    uc.mark_personal_details(world)
    stage_id = uc.stage_to_look_at(world, stage)
    text = uc.SEEING_PATHS[path](world, world.ctx(uc.seer(path, stage)), stage_id)
    seen = uc.details_seen(text)
    if stage in uc.BLIND_STAGES:
        assert seen == set()
    elif path == "candidates.list_candidates":
        assert seen == set(uc.DETAIL_MARKERS)


def test_managers_still_see_the_details_at_a_name_blind_stage(world: uc.World) -> None:
    """The details still drive the rules and stay the recruiting manager's to see."""
    uc.mark_personal_details(world)
    stage_id = uc.stage_to_look_at(world, "blind interview")
    text = uc.SEEING_PATHS["candidates.list_candidates"](world, world.ctx("rm_owner"), stage_id)
    assert uc.details_seen(text) == set(uc.DETAIL_MARKERS)


# --- independence ------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(uc.SCORE_PATHS))
def test_a_panel_member_sees_no_one_elses_scores_before_submitting_their_own(
    world: uc.World, path: str
) -> None:
    """Sam sits on the interview panel and has scored nobody: no other assessor's score, nor
    any mean, total, rank, pass or fail, flag or outcome, by any path (issue 12)."""
    stage_id = world.ids.interview_id
    uc.seat_spare(world, stage_id)
    assert uc.scores_seen(uc.SCORE_PATHS[path](world, world.ctx(uc.SPARE), stage_id)) == set()
    if path.startswith("results."):
        # The same path shows the managers all of it: the search finds it when it is there.
        assert uc.scores_seen(uc.SCORE_PATHS[path](world, world.admin, stage_id)) >= {
            "mean or total",
            "rank",
            "pass or fail",
        }


@pytest.mark.parametrize("path", sorted(uc.SCORE_PATHS))
def test_submitting_for_one_candidate_shows_that_candidates_scores_not_the_merit_order(
    world: uc.World, path: str
) -> None:
    stage_id = world.ids.interview_id
    uc.seat_spare(world, stage_id)
    first = world.ids.interviewees[0]
    uc.submit_as(world, uc.SPARE, stage_id, (first,))
    text = uc.SCORE_PATHS[path](world, world.ctx(uc.SPARE), stage_id)
    seen = uc.scores_seen(text)
    assert not seen & {"rank", "progression", "outcome"}, seen
    if path in ("results.stage_results", "results.export_results[csv]"):
        assert "mean or total" in seen  # the first candidate's, now Sam has scored them
    if path == "scoring.scoring_sheet":
        assert "evidence" in seen  # the others' notes on the first candidate


@pytest.mark.parametrize("path", sorted(uc.SCORE_PATHS))
def test_the_merit_order_shows_once_every_owed_score_is_submitted(
    world: uc.World, path: str
) -> None:
    stage_id = world.ids.interview_id
    uc.seat_spare(world, stage_id)
    uc.submit_as(world, uc.SPARE, stage_id, world.ids.interviewees)
    seen = uc.scores_seen(uc.SCORE_PATHS[path](world, world.ctx(uc.SPARE), stage_id))
    if path.startswith("results."):
        assert seen >= {"mean or total", "rank", "pass or fail"}


@pytest.mark.parametrize("path", sorted(uc.SCORE_PATHS))
def test_the_chair_sees_the_stage_as_the_managers_do(world: uc.World, path: str) -> None:
    """Tom chairs the interviews and has scored nobody: he sees what the managers see."""
    stage_id = world.ids.interview_id
    chair = uc.SCORE_PATHS[path](world, world.ctx("panel_on"), stage_id)
    if path.startswith("results."):
        manager = uc.SCORE_PATHS[path](world, world.ctx("rm_owner"), stage_id)
        assert uc.scores_seen(chair) == uc.scores_seen(manager)
        assert "rank" in uc.scores_seen(chair)


def test_a_stages_outcomes_wait_for_the_members_own_scores(world: uc.World) -> None:
    """Seated on the final sift without having scored, Sam meets none of its outcomes: the
    outcomes of a stage are its merit order's, shown once he owes nothing there."""
    uc.seat_spare(world, world.ids.sift_id)
    for path, show in uc.SCORE_PATHS.items():
        if path in ("scoring.scoring_sheet", "scoring.export_workbook"):
            continue  # the sift is final: nothing left to score
        text = show(world, world.ctx(uc.SPARE), world.ids.sift_id)
        assert uc.scores_seen(text) == set(), path
    manager = uc.SCORE_PATHS["candidates.list_candidates"](
        world, world.ctx("rm_owner"), world.ids.sift_id
    )
    assert "outcome" in uc.scores_seen(manager)
