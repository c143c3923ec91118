"""Scoring, moderation, merit order, outcomes and exports on real databases."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from db.models import AuditEvent, Candidate, Outcome, Person
from recruit_app.errors import ConflictError, PermissionDenied, ValidationError
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext

SIFT_CODES = ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6"]


@pytest.fixture
def sift(ctx):
    """The developer campaign's name-blind CV sift with a panel of three and 4 candidates."""
    campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")
    stage = stage_svc.stages_overview(ctx, campaign.id).stages[0]
    with ctx.db.session() as session:
        people = [
            Person(name=n, email=e)
            for n, e in (
                ("Hannah Lee", "hannah@example.org"),
                ("Tom Okonkwo", "tom@example.org"),
                ("Marek Kowalski", "marek@example.org"),
            )
        ]
        session.add_all(people)
        for number, (first, last, gis) in enumerate(
            [
                ("Siân", "Evans", False),
                ("Chidi", "Okafor", True),
                ("Zoë", "Clarke", False),
                ("Niamh", "O'Brien", False),
            ],
            1,
        ):
            session.add(
                Candidate(
                    campaign_id=campaign.id,
                    candidate_number=f"{number:04d}",
                    first_name=first,
                    last_name=last,
                    guaranteed_interview=gis,
                    email=f"c{number}@example.com",
                )
            )
        session.commit()
        ids = [p.id for p in people]
    stage_svc.set_panel(
        ctx,
        stage.id,
        [
            stage_svc.SeatChoice(ids[0], "chair"),
            stage_svc.SeatChoice(ids[1], "member"),
            stage_svc.SeatChoice(ids[2], "independent"),
        ],
        expected_version=stage.version,
    )
    return campaign, stage.id, ids


def _score_all(ctx, stage_id, assessor, values_by_number, submit=True):
    sheet = sc.scoring_sheet(ctx, stage_id, assessor)
    for candidate in sheet.candidates:
        values = values_by_number[candidate.number]
        for criterion, value in zip(sheet.criteria, values, strict=True):
            sc.save_score(
                ctx,
                stage_id,
                assessor,
                candidate.id,
                criterion.cell_id,
                value=value,
                evidence=f"Evidence for {criterion.code}",
                expected_version=None,
            )
    if submit:
        sc.submit_scores(ctx, stage_id, assessor, [c.id for c in sheet.candidates])


def test_the_sheet_is_name_blind_and_independent(ctx, sift):
    _campaign, stage_id, (hannah, tom, _marek) = sift
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)
    assert [c.label for c in sheet.candidates] == [
        "Candidate 0001",
        "Candidate 0002",
        "Candidate 0003",
        "Candidate 0004",
    ]
    assert [c.code for c in sheet.criteria] == SIFT_CODES
    assert [p.label for p in sheet.scale.points][3] == "Acceptable demonstration"
    first = sheet.candidates[0]
    sc.save_score(
        ctx,
        stage_id,
        tom,
        first.id,
        sheet.criteria[0].cell_id,
        value=6,
        evidence="Tom's view",
        expected_version=None,
    )
    _score_all(ctx, stage_id, tom, {c.number: [5] * 6 for c in sheet.candidates})
    # Hannah has not submitted: she sees none of Tom's scores.
    assert sc.scoring_sheet(ctx, stage_id, hannah).others == {}
    _score_all(ctx, stage_id, hannah, {c.number: [4] * 6 for c in sheet.candidates})
    seen = sc.scoring_sheet(ctx, stage_id, hannah).others[(first.id, sheet.criteria[0].cell_id)]
    assert [(o.assessor, o.value) for o in seen] == [("Tom Okonkwo", 5)]


def test_scores_must_be_on_the_scale_and_complete_before_submitting(ctx, sift):
    _campaign, stage_id, (hannah, _tom, _marek) = sift
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)
    first, cell = sheet.candidates[0], sheet.criteria[0].cell_id
    with pytest.raises(ValidationError, match=r"9 is not on this stage's scale \(1, 2, 3"):
        sc.save_score(
            ctx, stage_id, hannah, first.id, cell, value=9, evidence="", expected_version=None
        )
    sc.save_score(
        ctx, stage_id, hannah, first.id, cell, value=5, evidence="", expected_version=None
    )
    with pytest.raises(ValidationError, match="Still to score: 0001: EXP2, EXP3, EXP4, EXP5"):
        sc.submit_scores(ctx, stage_id, hannah, [first.id])


def test_a_score_made_meanwhile_is_not_overwritten(ctx, sift):
    _campaign, stage_id, (hannah, _tom, _marek) = sift
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)  # Hannah's sheet shows no score yet
    first, cell = sheet.candidates[0], sheet.criteria[0].cell_id
    shown = sheet.score(first.id, cell).version
    assert shown == 0
    manager = ServiceContext(ctx.db, Actor("Alex Manager"))
    sc.save_score(
        manager, stage_id, hannah, first.id, cell, value=6, evidence="Paper", expected_version=0
    )
    with pytest.raises(ConflictError, match="This score was changed by Alex Manager"):
        sc.save_score(
            ctx, stage_id, hannah, first.id, cell, value=3, evidence="", expected_version=shown
        )
    assert sc.scoring_sheet(ctx, stage_id, hannah).score(first.id, cell).value == 6


def test_panel_members_score_only_as_themselves(database, sift):
    _campaign, stage_id, (hannah, tom, _marek) = sift
    as_tom = ServiceContext(database, Actor("Tom Okonkwo", role="panel_member", person_id=tom))
    with pytest.raises(PermissionDenied, match="only see and enter their own scores"):
        sc.scoring_sheet(as_tom, stage_id, hannah)
    assert sc.scoring_sheet(as_tom, stage_id, tom).assessor_name == "Tom Okonkwo"


def test_a_declared_conflict_stops_scoring(ctx, sift):
    _campaign, stage_id, (hannah, _tom, _marek) = sift
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)
    target = sheet.candidates[1]
    message = sc.declare_conflict(ctx, stage_id, hannah, target.id, "Worked together")
    assert message.startswith(
        "Hannah Lee has declared a conflict of interest with candidate "
        "0002 and will not score them. Find another panel member"
    )
    assert sc.scoring_sheet(ctx, stage_id, hannah).candidates[1].conflict
    with pytest.raises(PermissionDenied, match="declared a conflict"):
        sc.save_score(
            ctx,
            stage_id,
            hannah,
            target.id,
            sheet.criteria[0].cell_id,
            value=4,
            evidence="",
            expected_version=None,
        )


def test_sift_by_criterion_orders_are_seeded_and_recorded(ctx, sift):
    _campaign, stage_id, (hannah, tom, _marek) = sift
    first = sc.scoring_sheet(ctx, stage_id, hannah, by_criterion=True)
    again = sc.scoring_sheet(ctx, stage_id, hannah, by_criterion=True)
    other = sc.scoring_sheet(ctx, stage_id, tom, by_criterion=True)
    assert first.seed == again.seed and first.seed != other.seed
    assert first.candidate_order == again.candidate_order
    assert sorted(first.criterion_order) == sorted(c.cell_id for c in first.criteria)


def _numbers(view):
    return [
        (r.number, r.rank, None if r.total is None else round(r.total, 2), r.progresses)
        for r in view.rows
    ]


def test_merit_order_moderation_and_finalising(ctx, sift):
    _campaign, stage_id, (hannah, tom, marek) = sift
    scores = {
        "0001": [6, 6, 5, 5, 5, 4],
        "0002": [4, 4, 4, 4, 4, 4],
        "0003": [5, 5, 5, 5, 5, 5],
        "0004": [3, 5, 5, 5, 5, 5],
    }
    _score_all(ctx, stage_id, hannah, scores)
    _score_all(ctx, stage_id, tom, scores)
    spread = {**scores, "0003": [7, 5, 5, 5, 5, 5]}  # 7 against 5: moderation needed
    _score_all(ctx, stage_id, marek, spread)
    view = res.stage_results(ctx, stage_id)
    assert _numbers(view) == [
        ("0001", 1, 31.0, True),
        ("0003", 2, 30.67, True),
        ("0002", 3, 24.0, True),
        ("0004", None, 28.0, False),
    ]
    assert view.rows[3].failed_criteria == ("EXP1",)
    assert not view.can_finalise
    assert view.blockers == (
        "1 criterion needs an agreed score after moderation "
        "(candidate 0003: EXP1 scores differ by 2)",
    )
    with pytest.raises(ValidationError, match="cannot be finalised yet"):
        res.finalise_stage(ctx, stage_id, expected_version=view.stage_version)
    pair = next(p for p in res.moderation_view(ctx, stage_id) if p.flagged)
    assert (pair.code, [s[1] for s in pair.scores]) == ("EXP1", [5, 7, 5])
    res.record_agreed_score(
        ctx,
        stage_id,
        pair.candidate_id,
        pair.cell_id,
        value=6,
        rationale="Strong evidence of leading a rebuild",
        expected_version=None,
    )
    view = res.stage_results(ctx, stage_id)
    assert view.can_finalise and view.rows[1].criterion_scores["EXP1"] == 6.0
    done = res.finalise_stage(
        ctx, stage_id, expected_version=view.stage_version, today=date(2026, 11, 20)
    )
    assert done.finalised
    assert [(r.number, r.outcome) for r in done.rows] == [
        ("0001", "progress"),
        ("0003", "progress"),
        ("0002", "progress"),
        ("0004", "reject"),
    ]
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)
    with pytest.raises(ValidationError, match="are final, so its scores are locked"):
        sc.save_score(
            ctx,
            stage_id,
            hannah,
            sheet.candidates[0].id,
            sheet.criteria[0].cell_id,
            value=3,
            evidence="",
            expected_version=None,
        )
    stats = {s.name: s for s in res.assessor_consistency(ctx, stage_id)}
    assert stats["Marek Kowalski"].moved_away == 1 and stats["Hannah Lee"].moved_away == 1


def test_a_partial_import_leaves_the_rest_of_the_row_to_enter(ctx, sift):
    _campaign, stage_id, (hannah, _tom, _marek) = sift
    row = {"candidate_number": "0001", "assessor": "hannah@example.org", "evidence": "Paper"}
    sc.import_scores(
        ctx,
        stage_id,
        [
            (2, {**row, "criterion": "EXP1", "score": "5"}),
            (3, {**row, "criterion": "EXP2", "score": "6"}),
        ],
        source="paper.csv",
    )
    sheet = sc.scoring_sheet(ctx, stage_id, hannah)
    first = sheet.candidates[0]
    assert not first.submitted  # four criteria still to score
    cells = [c.cell_id for c in sheet.criteria]
    assert [sheet.score(first.id, c).status for c in cells[:3]] == ["submitted", "submitted", ""]
    with pytest.raises(ValidationError, match="were submitted"):
        sc.save_score(
            ctx, stage_id, hannah, first.id, cells[0], value=2, evidence="", expected_version=None
        )
    for cell in cells[2:]:
        sc.save_score(
            ctx, stage_id, hannah, first.id, cell, value=4, evidence="", expected_version=0
        )
    sc.submit_scores(ctx, stage_id, hannah, [first.id])
    assert sc.scoring_sheet(ctx, stage_id, hannah).candidates[0].submitted


def test_scores_csv_is_all_or_nothing(ctx, sift):
    _campaign, stage_id, _ids = sift
    good = [
        (
            2,
            {
                "candidate_number": "0001",
                "criterion": "EXP1",
                "assessor": "hannah@example.org",
                "score": "5",
                "evidence": "Paper sift",
            },
        )
    ]
    bad = [
        *good,
        (
            3,
            {
                "candidate_number": "0099",
                "criterion": "EXP1",
                "assessor": "hannah@example.org",
                "score": "5",
                "evidence": "",
            },
        ),
        (
            4,
            {
                "candidate_number": "0002",
                "criterion": "NOPE",
                "assessor": "stranger@example.org",
                "score": "12",
                "evidence": "",
            },
        ),
    ]
    with pytest.raises(ValidationError) as caught:
        sc.import_scores(ctx, stage_id, bad, source="paper.csv")
    assert caught.value.message == (
        "paper.csv was not imported; fix these rows and try again:\n"
        "- line 3: no candidate '0099' at this stage\n"
        "- line 4: no criterion 'NOPE' at this stage; 'stranger@example.org' is not on this "
        "stage's panel; score '12' is not on the scale (1, 2, 3, 4, 5, 6, 7)"
    )
    assert res.moderation_view(ctx, stage_id)[0].scores == ()
    report = sc.import_scores(ctx, stage_id, good, source="paper.csv")
    assert (report.imported, report.replaced) == (1, 0)
    assert res.moderation_view(ctx, stage_id)[0].scores == (("Hannah Lee", 5, "Paper sift"),)


def test_outcomes_reserve_appointment_order_and_exports(ctx, sift, tmp_path):
    _campaign, stage_id, (hannah, tom, _marek) = sift
    scores = {"0001": [6] * 6, "0002": [5] * 6, "0003": [4] * 6, "0004": [4] * 6}
    _score_all(ctx, stage_id, hannah, scores)
    _score_all(ctx, stage_id, tom, scores)
    view = res.stage_results(ctx, stage_id)
    assert [r.rank for r in view.rows] == [1, 2, 3, 3]
    with pytest.raises(ValidationError, match="ranked 2; appointing them before 0001 is out"):
        res.set_outcome(ctx, stage_id, view.rows[1].candidate_id, kind="appoint")
    appointed = res.set_outcome(
        ctx,
        stage_id,
        view.rows[1].candidate_id,
        kind="appoint",
        reason="0001 withdrew by phone; written confirmation awaited",
    )
    assert (appointed.outcome, appointed.rank) == ("appoint", 2)
    reserve = res.set_outcome(
        ctx, stage_id, view.rows[2].candidate_id, kind="reserve", today=date(2026, 1, 31)
    )
    assert reserve.outcome == "reserve" and reserve.reserve_expires_on == date(2027, 1, 31)
    with ctx.db.session() as session:
        said = session.exec(
            select(AuditEvent.summary)
            .where(AuditEvent.action == "outcome.set")
            .order_by(col(AuditEvent.id))
        ).all()
    assert said == [  # in words, naming the candidate and the stage
        "Set the outcome of candidate 0002 at CV sift to Appointed",
        "Set the outcome of candidate 0003 at CV sift to Reserve list",
    ]
    # The row returned is the row as the merit order now shows it: nothing else moved.
    view = res.stage_results(ctx, stage_id)
    assert view.rows[1] == appointed and view.rows[2] == reserve
    with ctx.db.session() as session:
        outcome = session.exec(select(Outcome).where(Outcome.kind == "reserve")).one()
    res.extend_reserve(
        ctx,
        outcome.id,
        new_expiry=date(2027, 3, 31),
        approved_by="Civil Service Commission",
        expected_version=outcome.version,
    )
    assert res.expire_reserves(ctx, _campaign.id, today=date(2027, 3, 31)) == 0
    assert res.expire_reserves(ctx, _campaign.id, today=date(2027, 4, 1)) == 1
    final = res.stage_results(ctx, stage_id)
    assert final.rows[2].outcome == "reject"
    csv_path = res.export_results(ctx, stage_id, tmp_path / "results.csv")
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Rank", "Candidate", "Total", "Passed"]
    # Managers see names; panel members at a name-blind stage would not.
    assert rows[1][:4] == ["1", "0001 Siân Evans", "36.0", "yes"]
    xlsx = res.export_results(ctx, stage_id, tmp_path / "results.xlsx")
    sheet = load_workbook(xlsx).active
    assert sheet["B2"].value == "0001 Siân Evans" and sheet["A1"].value == "Rank"


def test_results_export_names_the_file_types_it_writes(ctx, sift, tmp_path):
    _campaign, stage_id, _ids = sift
    with pytest.raises(
        ValidationError, match=r"Save the results as a \.csv or \.xlsx file, not \.pdf"
    ):
        res.export_results(ctx, stage_id, tmp_path / "results.pdf")
    assert not (tmp_path / "results.pdf").exists()


def test_exports_neutralise_formulas(ctx, sift, tmp_path):
    from exports.tables import write_table

    path = write_table(
        tmp_path / "t.csv",
        ["Name"],
        [['=HYPERLINK("x")'], ["+44"], ["@sum"], ["-2"], ["plain"], [3]],
    )
    values = [r[0] for r in csv.reader(path.read_text(encoding="utf-8-sig").splitlines())]
    assert values == ["Name", '\'=HYPERLINK("x")', "'+44", "'@sum", "'-2", "plain", "3"]


def test_offline_workbook_round_trip(ctx, sift, tmp_path):
    _campaign, stage_id, (hannah, _tom, _marek) = sift
    path = sc.export_workbook(ctx, _campaign.id, hannah, tmp_path / "hannah.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["About this workbook", "CV sift"]
    sheet = workbook["CV sift"]
    assert [c.value for c in sheet[1]][:4] == [
        "Candidate number",
        "Candidate",
        "EXP1 score",
        "EXP1 evidence",
    ]
    assert sheet["B2"].value == "Candidate 0001"  # name-blind in the workbook too
    assert sheet.data_validations.dataValidation[0].formula1 == '"1,2,3,4,5,6,7"'
    for row in range(2, 6):
        for column in range(3, 3 + 2 * len(SIFT_CODES), 2):
            sheet.cell(row=row, column=column, value=5)
            sheet.cell(row=row, column=column + 1, value="Seen in the CV")
    sheet.cell(row=3, column=3, value=9)  # off the scale
    workbook.save(path)
    with pytest.raises(ValidationError, match="CV sift: score '9' is not on the scale"):
        sc.import_workbook(ctx, _campaign.id, path)
    assert res.moderation_view(ctx, stage_id)[0].scores == ()
    workbook = load_workbook(path)
    workbook["CV sift"].cell(row=3, column=3, value=4)
    workbook.save(path)
    report = sc.import_workbook(ctx, _campaign.id, path)
    assert report.imported == 4 * len(SIFT_CODES)
    sheet_now = sc.scoring_sheet(ctx, stage_id, hannah)
    assert all(c.submitted for c in sheet_now.candidates)


def test_a_file_that_is_not_a_workbook_is_refused(ctx, sift, tmp_path):
    path = tmp_path / "nope.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ValidationError, match="is not a scoring workbook Recruit can read"):
        sc.import_workbook(ctx, sift[0].id, path)
