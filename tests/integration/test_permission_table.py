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
