"""A scale per matrix cell, ordered lead criteria, the lead pre-sift and the chair's override
of an overall score, through the services on real databases."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from typing import Any

import pytest
from sqlmodel import select

from db.models import AuditEvent, Candidate, OverallOverride, Person
from recruit_app.cli import main
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services import adverts, campaigns
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.retention import erase_rows
from recruit_app.services.score_files import import_scores_file

CRITERIA = [
    adverts.CriterionRow("B1", "Seeing the big picture", "BEH", lead=True, lead_rank=2),
    adverts.CriterionRow("B2", "Working together", "BEH", lead=True, lead_rank=1),
    adverts.CriterionRow("S1", "Resilient", "STR"),
    adverts.CriterionRow("A1", "Verbal reasoning", "ABI"),
]
REASON = "The presentation showed far more than the interview scores capture."


class World:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        campaign = campaigns.create_campaign(ctx, title="Policy adviser", reference="MIX-1")
        self.campaign_id = campaign.id
        form = adverts.get_advert(ctx, campaign.id)
        adverts.save_advert(
            ctx, campaign.id, fields={}, criteria=CRITERIA, expected_version=form.version
        )
        with ctx.db.session() as session:
            people = [
                Person(name="Hannah Lee", email="hannah@example.org"),
                Person(name="Tom Okonkwo", email="tom@example.org"),
                Person(name="Marek Kowalski", email="marek@example.org"),
            ]
            session.add_all(people)
            for number in range(1, 6):
                session.add(
                    Candidate(
                        campaign_id=campaign.id,
                        candidate_number=f"{number:04d}",
                        first_name=f"First{number}",
                        last_name=f"Last{number}",
                        email=f"c{number}@example.com",
                    )
                )
            session.commit()
            self.chair, self.member, self.independent = (p.id for p in people)
        overview = stage_svc.stages_overview(ctx, campaign.id)
        self.criteria = {c.code: c.id for c in overview.criteria}

    def stage(self, name: str, kind: str, cells: list[stage_svc.CellChoice]) -> int:
        stage = stage_svc.add_stage(self.ctx, self.campaign_id, name=name, kind=kind)
        stage = stage_svc.update_stage(
            self.ctx, stage.id, {"min_assessors": 2}, expected_version=stage.version
        )
        stage = stage_svc.set_panel(
            self.ctx,
            stage.id,
            [
                stage_svc.SeatChoice(self.chair, "chair"),
                stage_svc.SeatChoice(self.member, "member"),
                stage_svc.SeatChoice(self.independent, "independent"),
            ],
            expected_version=stage.version,
        )
        overview = stage_svc.stages_overview(self.ctx, self.campaign_id)
        others = [
            stage_svc.CellChoice(
                s.id, c.criterion_id, c.weight, c.pass_mark, c.scale, c.custom_scale
            )
            for s in overview.stages
            if s.id != stage.id
            for c in s.cells
        ]
        stage_svc.save_matrix(
            self.ctx,
            self.campaign_id,
            others + [replace(c, stage_id=stage.id) for c in cells],
            expected_versions={},
        )
        return stage.id

    def cell(self, code: str, scale: str = "", pass_mark: int | None = None) -> Any:
        return stage_svc.CellChoice(0, self.criteria[code], 1.0, pass_mark, scale)

    def score(self, stage_id: int, values: dict[str, dict[str, int]]) -> None:
        """The chair and the member give each candidate the same scores, and submit."""
        for assessor in (self.chair, self.member):
            sheet = sc.scoring_sheet(self.ctx, stage_id, assessor)
            for candidate in sheet.candidates:
                for criterion in sheet.criteria:
                    sc.save_score(
                        self.ctx,
                        stage_id,
                        assessor,
                        candidate.id,
                        criterion.cell_id,
                        value=values[candidate.number][criterion.code],
                        evidence="",
                        expected_version=None,
                    )
            sc.submit_scores(self.ctx, stage_id, assessor, [c.id for c in sheet.candidates])

    def as_person(self, person_id: int, name: str) -> ServiceContext:
        return ServiceContext(self.ctx.db, Actor(name, role="panel_member", person_id=person_id))


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    return World(ctx)


@pytest.fixture
def interview(world: World) -> int:
    """Behaviours on the 1 to 7 scale and a strength on its 1 to 4 guide, in one interview."""
    return world.stage(
        "Interview",
        "panel_interview",
        [
            world.cell("B1", pass_mark=4),
            world.cell("B2", pass_mark=4),
            world.cell("S1", "strengths4", 3),
        ],
    )


SCORES = {
    "0001": {"B1": 5, "B2": 5, "S1": 4},  # 5 + 5 + 7 = 17
    "0002": {"B1": 6, "B2": 4, "S1": 4},  # 6 + 4 + 7 = 17
    "0003": {"B1": 7, "B2": 7, "S1": 2},  # below the strength's pass mark of 3
    "0004": {"B1": 4, "B2": 6, "S1": 3},  # 4 + 6 + 5 = 15
    "0005": {"B1": 6, "B2": 6, "S1": 3},  # 6 + 6 + 5 = 17
}


def test_each_cell_is_scored_on_its_own_scale(world: World, interview: int) -> None:
    sheet = sc.scoring_sheet(world.ctx, interview, world.chair)
    by_code = {c.code: c for c in sheet.criteria}
    assert sheet.scale.values == tuple(range(1, 8))
    assert by_code["B1"].scale is None and sheet.scale_of(by_code["B1"]).maximum == 7
    assert sheet.scale_of(by_code["S1"]).values == (1, 2, 3, 4)
    assert [p.label for p in sheet.scale_of(by_code["S1"]).points] == [
        "Weakness",
        "Learned Behaviour",
        "Potential Strength",
        "Strength",
    ]
    first = sheet.candidates[0].id
    with pytest.raises(ValidationError, match=r"5 is not on this criterion's scale \(1, 2, 3, 4\)"):
        sc.save_score(
            world.ctx,
            interview,
            world.chair,
            first,
            by_code["S1"].cell_id,
            value=5,
            evidence="",
            expected_version=None,
        )
    sc.save_score(
        world.ctx,
        interview,
        world.chair,
        first,
        by_code["S1"].cell_id,
        value=4,
        evidence="",
        expected_version=None,
    )
    sc.save_score(
        world.ctx,
        interview,
        world.chair,
        first,
        by_code["B1"].cell_id,
        value=7,
        evidence="",
        expected_version=None,
    )
    # A pass mark off the cell's scale is refused.
    with pytest.raises(ValidationError, match="off its scale"):
        world.stage("Second", "panel_interview", [world.cell("S1", "strengths4", 5)])


def test_mixed_scales_give_an_exact_merit_order(world: World, interview: int) -> None:
    world.score(interview, SCORES)
    view = res.stage_results(world.ctx, interview)
    # Ties on 17 go to the lead criteria in their order: B2 (lead 1), then B1 (lead 2).
    assert [(r.number, r.rank, r.total) for r in view.rows] == [
        ("0005", 1, 17),  # B2 6
        ("0001", 2, 17),  # B2 5
        ("0002", 3, 17),  # B2 4
        ("0004", 4, 15),
        ("0003", None, 17),
    ]
    assert view.lead == ("B2", "B1")
    strength = next(c for c in view.criteria if c.code == "S1")
    assert (strength.scale, strength.low, strength.high, strength.own_scale) == (
        "strengths4",
        1,
        4,
        True,
    )
    assert strength.standard == 3
    assert view.rows[0].criterion_scores == {"B1": 6, "B2": 6, "S1": 3}
    assert view.rows[-1].failed_criteria == ("S1",)
    assert view.totals_note == (
        "Totals put each criterion on the 1 to 7 scale: Resilient's 1 to 4 counts as "
        "1, 3, 5, 7. Each criterion's own score and pass mark stay on its scale."
    )


def test_changing_the_lead_order_changes_the_tie_break(world: World, interview: int) -> None:
    world.score(interview, SCORES)
    form = adverts.get_advert(world.ctx, world.campaign_id)
    rows = [replace(c, lead_rank={"B1": 1, "B2": 2}.get(c.code, 0)) for c in form.criteria]
    adverts.save_advert(
        world.ctx, world.campaign_id, fields={}, criteria=rows, expected_version=form.version
    )
    view = res.stage_results(world.ctx, interview)
    assert view.lead == ("B1", "B2")
    # B1 first: 0002 and 0005 both 6, then B2 (6 beats 4); 0001 has B1 5.
    assert [(r.number, r.rank) for r in view.rows if r.rank] == [
        ("0005", 1),
        ("0002", 2),
        ("0001", 3),
        ("0004", 4),
    ]
    with pytest.raises(ValidationError, match="both lead criterion 1"):
        adverts.save_advert(
            world.ctx,
            world.campaign_id,
            fields={},
            criteria=[replace(c, lead_rank=1) for c in rows],
            expected_version=adverts.get_advert(world.ctx, world.campaign_id).version,
        )


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_stages_list_shows_cell_scales_and_the_lead_order(
    world: World, interview: int, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", db_url, "stages", "list", "MIX-1", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (stage,) = json.loads(out)
    assert stage["lead"] == ["B2", "B1"]
    assert [(c["code"], c["scale"], c["own_scale"]) for c in stage["criteria"]] == [
        ("B1", "sp7", False),
        ("B2", "sp7", False),
        ("S1", "strengths4", True),
    ]


def test_the_chair_overrides_an_overall_score(world: World, interview: int, tmp_path) -> None:
    world.score(interview, SCORES)
    fourth = next(r for r in res.stage_results(world.ctx, interview).rows if r.number == "0004")
    as_member = world.as_person(world.member, "Tom Okonkwo")
    with pytest.raises(PermissionDenied, match="only the chair"):
        res.override_overall(as_member, interview, fourth.candidate_id, 18, REASON)
    as_chair = world.as_person(world.chair, "Hannah Lee")
    with pytest.raises(ValidationError, match="Say why"):
        res.override_overall(as_chair, interview, fourth.candidate_id, 18, "  ")
    with pytest.raises(ValidationError, match="from 0 to 21"):
        res.override_overall(as_chair, interview, fourth.candidate_id, 22, REASON)
    view = res.override_overall(as_chair, interview, fourth.candidate_id, 18, REASON)
    assert [(r.number, r.rank, r.total) for r in view.rows] == [
        ("0004", 1, 18),
        ("0005", 2, 17),
        ("0001", 3, 17),
        ("0002", 4, 17),
        ("0003", None, 17),
    ]
    row = view.rows[0]
    assert (row.overridden, row.override_reason, row.computed_total) == (True, REASON, 15)
    assert f"overall score overridden by the chair: {REASON}" in row.flags
    shown = row.to_json()
    assert (shown["overridden"], shown["override_reason"], shown["total"]) == (True, REASON, 18)
    assert shown["total_from_scores"] == 15
    # A manager may change it; a stale version is refused.
    changed = res.override_overall(
        world.ctx,
        interview,
        fourth.candidate_id,
        17.5,
        REASON,
        expected_version=row.override_version,
    )
    assert changed.rows[0].total == 17.5
    path = res.export_results(world.ctx, interview, tmp_path / "results.csv")
    table = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert (table[0]["Candidate"].split()[0], table[0]["Overridden"]) == ("0004", "yes")
    assert table[0]["Override reason"] == REASON
    assert table[1]["Overridden"] == "no"
    with world.ctx.db.session() as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action.startswith("results.override"))  # type: ignore[union-attr]
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.actor_name, e.entity, e.entity_id) for e in events] == [
            ("Hannah Lee", "candidate", fourth.candidate_id),
            ("Alex Manager", "candidate", fourth.candidate_id),
        ]
        assert events[0].after["reason"] == REASON
        assert events[0].after["total_from_scores"] == 15
        assert events[1].before == {"value": 18.0, "reason": REASON}
    cleared = res.clear_override(as_chair, interview, fourth.candidate_id)
    assert [(r.number, r.total, r.overridden) for r in cleared.rows if r.number == "0004"] == [
        ("0004", 15, False)
    ]


def test_erasing_a_candidate_blanks_the_override_reason(world: World, interview: int) -> None:
    world.score(interview, SCORES)
    fourth = next(r for r in res.stage_results(world.ctx, interview).rows if r.number == "0004")
    res.override_overall(world.ctx, interview, fourth.candidate_id, 18, REASON)
    res.finalise_stage(world.ctx, interview, expected_version=None)
    with world.ctx.db.session() as session:
        erase_rows(session, [fourth.candidate_id])
        session.commit()
    with world.ctx.db.session() as session:
        override = session.exec(select(OverallOverride)).one()
        assert override.reason == ""
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert not [e.id for e in events if REASON in json.dumps([e.before, e.after, e.summary])]
        finalised = next(e for e in events if e.action == "results.finalise")
        entry = finalised.after["merit_order"][0]
        assert (entry["candidate_number"], entry["total"], entry["overridden"]) == (
            "0004",
            18,
            True,
        )
        assert entry["override_reason"] == ""
        assert "overall score overridden by the chair" in entry["flags"]
    view = res.stage_results(world.ctx, interview)
    assert view.rows[0].total == 18 and view.rows[0].override_reason == ""


def test_a_lead_pre_sift_puts_through_those_who_meet_the_lead_pass_marks(world: World) -> None:
    pre = world.stage(
        "Pre-sift", "lead_sift", [world.cell("B1", pass_mark=4), world.cell("B2", pass_mark=4)]
    )
    stage = stage_svc.stages_overview(world.ctx, world.campaign_id).stages[0]
    stage_svc.update_stage(
        world.ctx,
        pre,
        {"progress_rule": "top_n", "progress_count": 1},
        expected_version=stage.version,
    )
    interview = world.stage(
        "Interview", "panel_interview", [world.cell("B1"), world.cell("S1", "strengths4", 3)]
    )
    overview = stage_svc.stages_overview(world.ctx, world.campaign_id)
    assert [s.kind for s in overview.stages] == ["lead_sift", "panel_interview"]
    assert overview.stages[0].name_blind
    world.score(
        pre,
        {
            "0001": {"B1": 5, "B2": 4},
            "0002": {"B1": 3, "B2": 6},  # below the lead pass mark
            "0003": {"B1": 4, "B2": 4},
            "0004": {"B1": 6, "B2": 2},  # below the lead pass mark
            "0005": {"B1": 7, "B2": 7},
        },
    )
    view = res.stage_results(world.ctx, pre)
    # Everyone who meets the lead pass marks, whatever the stage's "top 1" says.
    assert {r.number: r.progresses for r in view.rows} == {
        "0005": True,
        "0001": True,
        "0003": True,
        "0002": False,
        "0004": False,
    }
    res.finalise_stage(world.ctx, pre, expected_version=None)
    sheet = sc.scoring_sheet(world.ctx, interview, world.chair)
    assert [c.number for c in sheet.candidates] == ["0001", "0003", "0005"]


def test_a_lead_pre_sift_warns_about_criteria_that_are_not_lead(world: World) -> None:
    world.stage("Pre-sift", "lead_sift", [world.cell("B1", pass_mark=4), world.cell("S1")])
    findings = stage_svc.stages_overview(world.ctx, world.campaign_id).findings
    assert any(
        "Pre-sift is a pre-sift on the lead criteria, but it also assesses Resilient (S1)"
        in f.message
        for f in findings
    )


def test_an_ability_test_percentile_comes_from_a_file(world: World, tmp_path) -> None:
    test = world.stage("Online test", "online_test", [world.cell("A1", "percentile", 40)])
    cell = stage_svc.stages_overview(world.ctx, world.campaign_id).stages[0].cells[0]
    assert (cell.scale, cell.pass_mark) == ("percentile", 40)
    good = tmp_path / "percentiles.csv"
    lines = ["candidate_number,criterion,assessor,score"]
    for number, value in (("0001", 100), ("0002", 39), ("0003", 40), ("0004", 0), ("0005", 75)):
        for email in ("hannah@example.org", "tom@example.org"):
            lines.append(f"{number},A1,{email},{value}")
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "candidate_number,criterion,assessor,score\n0001,A1,hannah@example.org,101\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"score '101' is not on the scale \(0 to 100\)"):
        import_scores_file(world.ctx, world.campaign_id, test, bad)
    report = import_scores_file(world.ctx, world.campaign_id, test, good)
    assert report.imported == 10
    view = res.stage_results(world.ctx, test)
    assert [(r.number, r.rank, r.passed) for r in view.rows] == [
        ("0001", 1, True),
        ("0005", 2, True),
        ("0003", 3, True),
        ("0002", None, False),
        ("0004", None, False),
    ]


def test_letters_reports_and_workbooks_show_each_criterion_on_its_scale(
    world: World, interview: int, tmp_path
) -> None:
    from openpyxl import load_workbook

    from recruit_app.services.campaign_report import campaign_report_document
    from recruit_app.services.letters import letters_document

    workbook = sc.export_workbook(world.ctx, world.campaign_id, world.chair, tmp_path / "w.xlsx")
    book = load_workbook(workbook)
    sheet = book["Interview"]
    checks = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert checks == {"C2:C6 E2:E6": ("list", '"1,2,3,4,5,6,7"'), "G2:G6": ("list", '"1,2,3,4"')}
    world.score(interview, SCORES)
    form = adverts.get_advert(world.ctx, world.campaign_id)
    adverts.save_advert(
        world.ctx,
        world.campaign_id,
        fields={"offers_feedback": True},
        criteria=None,
        expected_version=form.version,
    )
    res.override_overall(world.ctx, interview, candidate_ids(world)["0004"], 18, REASON)
    res.finalise_stage(world.ctx, interview, expected_version=None)
    doc = letters_document(world.ctx, interview)
    # Scales differ, so no one range for them all: each line says its own.
    assert (doc.scale_minimum, doc.scale_maximum) == (None, None)
    letter = next(item for item in doc.letters if item.candidate_number == "0003")
    assert [(line.title, line.score, line.pass_mark, line.met) for line in letter.scores] == [
        ("Seeing the big picture (scored 1 to 7)", 7, 4, True),
        ("Working together (scored 1 to 7)", 7, 4, True),
        ("Resilient (scored 1 to 4)", 2, 3, False),
    ]
    report = campaign_report_document(world.ctx, world.campaign_id)
    assert [
        (d.stage, d.scale_name, [c.code for c in d.criteria]) for d in report.distributions
    ] == [
        ("Interview", "Success Profiles scale (1 to 7)", ["B1", "B2"]),
        ("Interview (Strengths scale (1 to 4))", "Strengths scale (1 to 4)", ["S1"]),
    ]
    (order,) = report.merit_orders
    assert [(r.number, r.rank, r.total) for r in order.rows][:2] == [
        ("0004", 1, 18),
        ("0005", 2, 17),
    ]
    assert order.note.startswith("Totals put each criterion on the 1 to 7 scale")
    assert f"candidate 0004's overall score was overridden by the chair (from 15): {REASON}" in (
        order.note
    )


def candidate_ids(world: World) -> dict[str, int]:
    with world.ctx.db.session() as session:
        return {
            c.candidate_number: c.id
            for c in session.exec(
                select(Candidate).where(Candidate.campaign_id == world.campaign_id)
            )
        }
