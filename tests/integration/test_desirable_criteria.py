"""Essential and desirable criteria: only essential ones carry a pass mark by default.

A candidate who meets every essential criterion is never rejected for a desirable one,
unless a manager sets a minimum on the desirable cell, which the matrix warns about.
"""

from __future__ import annotations

import json

import pytest

from db.models import Candidate, Person
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as svc
from recruit_app.services.campaign_files import (
    create_from_template,
    export_campaign,
    import_campaign,
)

ESSENTIAL = ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6", "EXP7"]
DESIRABLE = ["DES1", "DES2", "DES3", "DES4", "DES5", "DES6", "DES7", "DES8"]


@pytest.fixture
def campaign(ctx):
    """The DVLA developer/tester campaign: its CV sift assesses 7 essential and 8
    desirable criteria."""
    return create_from_template(ctx, "DVLA-DEVTEST", title="Developer/Tester", reference="DT-1")


def _sift(ctx, campaign):
    return svc.stages_overview(ctx, campaign.id).stages[0]


def _cell_warnings(overview):
    return [(f.field, f.message) for f in overview.findings if f.field.startswith("cell:")]


def test_a_template_gives_a_pass_mark_to_essential_criteria_only(ctx, campaign):
    overview = svc.stages_overview(ctx, campaign.id)
    sift = overview.stages[0]
    assert [(c.code, c.pass_mark) for c in sift.cells] == [
        *((code, 4) for code in ESSENTIAL),
        *((code, None) for code in DESIRABLE),
    ]
    assert _cell_warnings(overview) == []


def test_a_minimum_on_a_desirable_cell_is_kept_and_warned_about_beside_it(ctx, campaign):
    overview = svc.stages_overview(ctx, campaign.id)
    cells = [
        svc.CellChoice(s.id, c.criterion_id, c.weight, 5 if c.code == "DES2" else c.pass_mark)
        for s in overview.stages
        for c in s.cells
    ]
    saved = svc.save_matrix(
        ctx, campaign.id, cells, expected_versions={s.id: s.version for s in overview.stages}
    )
    assert dict((c.code, c.pass_mark) for c in saved.stages[0].cells)["DES2"] == 5
    assert _cell_warnings(saved) == [
        (
            "cell:0:DES2",
            "Delivering or testing card payment services that meet the Payment Card Industry "
            "(PCI) security standard (DES2) is desirable, but CV sift gives it a pass mark of "
            "5: candidates below it will be rejected, even if they meet every essential "
            "criterion.",
        )
    ]


def _panel_and_candidates(ctx, campaign, count):
    sift = _sift(ctx, campaign)
    with ctx.db.session() as session:
        people = [Person(name=n, email=f"{n[:3].lower()}@example.org") for n in ("Ann", "Bob")]
        session.add_all(people)
        for number in range(1, count + 1):
            session.add(
                Candidate(
                    campaign_id=campaign.id,
                    candidate_number=f"{number:04d}",
                    first_name=f"First{number}",
                    last_name="Candidate",
                    email=f"c{number}@example.com",
                )
            )
        session.commit()
        ids = [p.id for p in people]
    svc.set_panel(
        ctx,
        sift.id,
        [svc.SeatChoice(ids[0], "chair"), svc.SeatChoice(ids[1], "member")],
        expected_version=sift.version,
    )
    return sift.id, ids


def _score(ctx, stage_id, assessor, values_by_number):
    sheet = sc.scoring_sheet(ctx, stage_id, assessor)
    for candidate in sheet.candidates:
        for criterion, value in zip(
            sheet.criteria, values_by_number[candidate.number], strict=True
        ):
            sc.save_score(
                ctx,
                stage_id,
                assessor,
                candidate.id,
                criterion.cell_id,
                value=value,
                evidence="Seen in the CV",
                expected_version=None,
            )
    sc.submit_scores(ctx, stage_id, assessor, [c.id for c in sheet.candidates])


def test_meeting_every_essential_criterion_is_enough_to_pass_the_sift(ctx, campaign):
    stage_id, panel = _panel_and_candidates(ctx, campaign, 4)
    #           essential (EXP1..EXP7)   desirable (DES1..DES5)
    scores = {
        "0001": [4, 4, 4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1],  # every essential met only
        "0002": [5, 5, 5, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 2, 2],
        "0003": [7, 7, 7, 7, 7, 7, 3, 7, 7, 7, 7, 7, 7, 7, 7],  # below on an essential one
        "0004": [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3],
    }
    for assessor in panel:
        _score(ctx, stage_id, assessor, scores)
    view = res.stage_results(ctx, stage_id)
    assert [(r.number, r.rank, r.total, r.passed, r.progresses) for r in view.rows] == [
        ("0004", 1, 59.0, True, True),
        ("0002", 2, 51.0, True, True),
        ("0001", 3, 36.0, True, True),
        ("0003", None, 101.0, False, False),
    ]
    rows = {r.number: r for r in view.rows}
    assert (rows["0001"].failed_criteria, rows["0001"].below_criteria) == ((), tuple(DESIRABLE))
    assert (rows["0004"].failed_criteria, rows["0004"].below_criteria) == ((), ("DES8",))
    assert (rows["0003"].failed_criteria, rows["0003"].below_criteria) == (("EXP7",), ("EXP7",))
    criteria = {c.code: c for c in view.criteria}
    assert (criteria["EXP1"].essential, criteria["EXP1"].pass_mark) == (True, 4)
    assert (criteria["DES1"].essential, criteria["DES1"].pass_mark) == (False, None)
    assert criteria["DES1"].standard == 4


def test_a_campaign_file_follows_the_same_rule(ctx, campaign, tmp_path):
    data = json.loads(export_campaign(ctx, "DT-1", tmp_path / "dt.json").read_text())
    sift = data["stages"][0]["criteria"]
    assert {c["code"]: c["pass_mark"] for c in sift} == {
        **dict.fromkeys(ESSENTIAL, 4),
        **dict.fromkeys(DESIRABLE, None),
    }
    for cell in sift:
        del cell["pass_mark"]  # a cell that says nothing takes the default for its criterion
    sift[0]["pass_mark"] = None  # one that says "none" keeps none
    sift[-1]["pass_mark"] = 3  # a minimum given on a desirable cell is kept, and warned about
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    copy = import_campaign(ctx, path, reference="DT-2")
    overview = svc.stages_overview(ctx, copy.id)
    assert [(c.code, c.pass_mark) for c in overview.stages[0].cells] == [
        ("EXP1", None),
        *((code, 4) for code in ESSENTIAL[1:]),
        *((code, None) for code in DESIRABLE[:-1]),
        ("DES8", 3),
    ]
    assert [field for field, _message in _cell_warnings(overview)] == ["cell:0:DES8"]
