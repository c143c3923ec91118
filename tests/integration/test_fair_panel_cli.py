"""Independence and name-blind on the command line (issue 12), signed in as each person.

The world of the permission table (the demo campaign with people in every position) is
copied for each test; Sam Spare joins the interview panel having scored nobody.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from recruit_app.cli import main
from recruit_app.services.access import INDEPENDENCE_RULE, NAME_BLIND_RULE
from tests.helpers import use_cases as uc

INTERVIEW = "Video interview"


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uc.WorldIds]:
    return uc.world_file(tmp_path_factory)


@pytest.fixture
def world(world_template: tuple[Path, uc.WorldIds], tmp_path: Path) -> Iterator[uc.World]:
    with uc.open_world(*world_template, tmp_path) as opened:
        yield opened


def _as(capsys, monkeypatch, world: uc.World, who: str, *args: str) -> tuple[int, str, str]:
    """Run `recruit-app` signed in as `who` of the world; (exit code, stdout, stderr)."""
    monkeypatch.setenv("RECRUIT_APP_PASSWORD", uc.PASSWORD)
    email = uc.OUR_PEOPLE[who][1] if who in uc.OUR_PEOPLE else uc.DEMO_PEOPLE[who]
    path = str(world.folder / "world.sqlite3")
    code = main(["--db", path, "--user", email, *args])
    out, err = capsys.readouterr()
    return code, out, err


def _results_json(capsys, monkeypatch, world: uc.World, who: str) -> tuple[list[dict], str]:
    code, out, err = _as(
        capsys, monkeypatch, world, who, "results", world.ids.reference, "--stage", INTERVIEW,
        "--json",
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out), err


def test_results_json_shows_a_panel_member_who_has_not_scored_no_mean_or_total(
    capsys, monkeypatch, world: uc.World
) -> None:
    uc.seat_spare(world, world.ids.interview_id)
    rows, said = _results_json(capsys, monkeypatch, world, uc.SPARE)
    assert len(rows) == len(world.ids.interviewees)
    for row in rows:
        assert row["scores_withheld"] is True
        assert (row["rank"], row["total"], row["passed"], row["progresses"]) == (None,) * 4
        assert set(row["criteria"].values()) == {None}
        assert (row["outcome"], row["flags"]) == (None, [])
    numbers = [row["candidate_number"] for row in rows]
    assert numbers == sorted(numbers, key=int)  # by number: the merit order is not shown
    assert INDEPENDENCE_RULE in said  # the rule in words, beside the JSON
    # The owner of the campaign sees every mean and total, as before.
    owner, said = _results_json(capsys, monkeypatch, world, "rm_owner")
    assert all(r["total"] is not None for r in owner) and owner[0]["rank"] == 1
    assert said == ""


def test_results_json_shows_a_candidate_once_scored_and_the_order_once_all_are(
    capsys, monkeypatch, world: uc.World
) -> None:
    uc.seat_spare(world, world.ids.interview_id)
    first, *rest = world.ids.interviewees
    uc.submit_as(world, uc.SPARE, world.ids.interview_id, (first,))
    rows, said = _results_json(capsys, monkeypatch, world, uc.SPARE)
    shown = [r for r in rows if not r["scores_withheld"]]
    assert [r["candidate_number"] for r in shown] == [uc.number_of(world, first)]
    assert shown[0]["total"] is not None and shown[0]["rank"] is None
    assert f"You still owe scores for {len(rest)} candidates." in said
    uc.submit_as(world, uc.SPARE, world.ids.interview_id, tuple(rest))
    rows, said = _results_json(capsys, monkeypatch, world, uc.SPARE)
    assert not any(r["scores_withheld"] for r in rows)
    assert [r["rank"] for r in rows][:1] == [1] and said == ""


def test_results_export_and_table_withhold_and_say_why(
    capsys, monkeypatch, world: uc.World
) -> None:
    uc.seat_spare(world, world.ids.interview_id)
    out_file = world.folder / "results.csv"
    code, out, err = _as(
        capsys, monkeypatch, world, uc.SPARE, "results", world.ids.reference, "--stage",
        INTERVIEW, "--export", str(out_file),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Wrote the results to") and INDEPENDENCE_RULE in err
    with out_file.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    listed = [r for r in table if r["Candidate"].startswith(("Candidate", "0"))]
    assert len(listed) == len(world.ids.interviewees)
    assert {(r["Rank"], r["Total"], r["Passed"]) for r in listed} == {("", "", "after yours")}
    assert any(INDEPENDENCE_RULE in r["Rank"] for r in table)  # the rule, under the table
    code, out, err = _as(
        capsys, monkeypatch, world, uc.SPARE, "results", world.ids.reference, "--stage",
        INTERVIEW,
    )  # fmt: skip
    assert code == 0, err
    assert "after yours" in out and INDEPENDENCE_RULE in out


def test_a_name_blind_stage_shows_a_panel_member_no_personal_detail(
    capsys, monkeypatch, world: uc.World
) -> None:
    uc.mark_personal_details(world)
    uc.stage_to_look_at(world, "blind interview")
    code, out, err = _as(
        capsys, monkeypatch, world, "panel_on", "candidates", "list", world.ids.reference,
        "--stage", INTERVIEW, "--json",
    )  # fmt: skip
    assert code == 0, err
    listed = json.loads(out)
    assert listed and all(set(c) == {"candidate_number", "status", "outcomes"} for c in listed)
    code, out, err = _as(
        capsys, monkeypatch, world, "panel_on", "results", world.ids.reference, "--stage",
        INTERVIEW, "--json",
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    assert rows and not any(r["guaranteed_interview"] for r in rows)
    assert uc.details_seen(out) == set() and NAME_BLIND_RULE in err
    assert not any("guaranteed interview" in f for r in rows for f in r["flags"])
    # The recruiting manager still sees the flags that drive the rules.
    code, out, err = _as(
        capsys, monkeypatch, world, "rm_owner", "candidates", "list", world.ids.reference,
        "--stage", INTERVIEW, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert all(c["guaranteed_interview"] and c["redeployment"] for c in json.loads(out))
