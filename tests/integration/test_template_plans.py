"""A role template carries its question plans, its chair's scripts and an order of lead
criteria: through its files (JSON and CSV), into a campaign made from it, and out again.

On real databases (SQLite, and PostgreSQL when one is named): the template is imported
and exported by the library's own services, the campaign read back as the question plan
screen (`stages plan --json`) and the results screen's tie-break read it.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Candidate, Person, PlanQuestion
from recruit_app.domain.library_format import parse_role_template
from recruit_app.errors import ValidationError
from recruit_app.services import campaigns
from recruit_app.services import library as lib
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import (
    create_from_template,
    export_campaign,
    import_campaign,
)
from recruit_app.services.context import ServiceContext
from recruit_app.services.library_files import export_entry, import_file
from recruit_app.services.plans import stage_plan
from tests.helpers.fingerprint import fingerprint
from tests.integration.test_file_fuzzing import (
    FUZZ,
    Imports,
    _check_library_entry,
    broken_csv,
    broken_json,
)

WELCOME = "Welcome the candidate and introduce the panel."
CLOSE = "Ask for their questions; say when they will hear."


def template_data() -> dict[str, Any]:
    """A template naming three leads: B2 first, B1 second, C with no place (after them)."""
    return {
        "format": "recruit-role-template/1",
        "code": "POLICY-G7",
        "title": "Policy adviser",
        "grade": "Grade 7",
        "criteria": [
            {
                "code": "B1",
                "element": "BEH",
                "title": "Seeing the big picture",
                "level": 4,
                "lead": True,
                "lead_rank": 2,
            },
            {
                "code": "B2",
                "element": "BEH",
                "title": "Working together",
                "level": 4,
                "lead": True,
                "lead_rank": 1,
            },
            {"code": "S1", "element": "STR", "title": "Resilient"},
            {"code": "C", "element": "EXP", "title": "Policy experience", "lead": True},
        ],
        "stages": [
            {
                "name": "Panel interview",
                "kind": "panel_interview",
                "mode": "video",
                "min_assessors": 2,
                "pass_mark": 4,
                "criteria": ["B1", "B2", "S1"],
                "plan": [
                    {
                        "criterion": "B2",
                        "questions": [
                            {
                                "text": "Tell us about a time you brought two teams together.",
                                "probes": ["What stood in the way?", "What changed?"],
                                "minutes": 10,
                                "unseen": False,
                                "sent_on": None,
                            },
                            {
                                "text": "=What would you do differently?",  # formula-like
                                "probes": [],
                                "minutes": 5,
                                "unseen": False,
                                "sent_on": None,
                            },
                        ],
                    },
                    {
                        "criterion": "s1",  # codes match ignoring case
                        "questions": [
                            {
                                "text": "What gives you energy at work?",
                                "probes": ["And what drains it?"],
                                "minutes": 5,
                                "unseen": True,
                                "sent_on": "2026-03-02",
                            }
                        ],
                    },
                ],
                "welcome_script": WELCOME,
                "close_script": CLOSE,
            },
            {
                "name": "Written exercise",
                "kind": "technical_exercise",
                "mode": "online",
                "min_assessors": 2,
                "criteria": ["C"],
            },
        ],
    }


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _stage_id(ctx: ServiceContext, campaign_id: int, name: str) -> int:
    overview = stage_svc.stages_overview(ctx, campaign_id)
    return next(s.id for s in overview.stages if s.name == name)


# --- the template's files --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_back_the_same_file(ctx, tmp_path, fmt):
    report = import_file(ctx, write(tmp_path, "policy.json", template_data()))
    assert (report.kind, report.code, report.created) == ("template", "POLICY-G7", True)
    stored = lib.get_template(ctx, "POLICY-G7").definition
    assert [(c.code, c.lead, c.lead_rank) for c in stored.criteria] == [
        ("B1", True, 2),
        ("B2", True, 1),
        ("S1", False, 0),
        ("C", True, 0),
    ]
    interview = stored.stages[0]
    assert [cell.code for cell in interview.plan] == ["B2", "S1"]  # the criterion's spelling
    assert (interview.welcome_script, interview.close_script) == (WELCOME, CLOSE)

    first = export_entry(ctx, "POLICY-G7", tmp_path / f"first.{fmt}")
    again = import_file(ctx, first)
    assert (again.code, again.created) == ("POLICY-G7", False)
    assert lib.get_template(ctx, "POLICY-G7").definition == stored
    second = export_entry(ctx, "POLICY-G7", tmp_path / f"second.{fmt}")
    assert second.read_bytes() == first.read_bytes()
    if fmt == "json":
        data = json.loads(first.read_text(encoding="utf-8"))
        assert data["stages"][0]["plan"][1]["questions"][0]["sent_on"] == "2026-03-02"
        assert data["criteria"][3]["lead_rank"] == 0
        assert data["stages"][1]["plan"] == []
    else:
        rows = list(csv.DictReader(io.StringIO(first.read_text(encoding="utf-8-sig"))))
        questions = [r for r in rows if r["record"] == "question"]
        assert [(r["code"], r["minutes"], r["unseen"]) for r in questions] == [
            ("B2", "10", "no"),
            ("B2", "5", "no"),
            ("S1", "5", "yes"),
        ]
        assert questions[1]["value"] == "'=What would you do differently?"  # never a formula


def test_an_older_template_file_still_reads(ctx, tmp_path):
    """Before plans: one `lead: true` and no plan, scripts or lead_rank; a CSV without the
    new columns. The lead reads as a lead with no place in the order."""
    data = template_data()
    for criterion in data["criteria"]:
        criterion.pop("lead_rank", None)
        criterion["lead"] = criterion["code"] == "B1"
    for stage in data["stages"]:
        for key in ("plan", "welcome_script", "close_script"):
            stage.pop(key, None)
    import_file(ctx, write(tmp_path, "old.json", data))
    stored = lib.get_template(ctx, "POLICY-G7").definition
    assert [(c.code, c.lead_rank) for c in stored.criteria if c.lead] == [("B1", 0)]
    assert all(s.plan == () and s.welcome_script == "" for s in stored.stages)

    exported = export_entry(ctx, "POLICY-G7", tmp_path / "new.csv")
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    old_columns = list(rows[0])[: list(rows[0]).index("lead_rank")]
    out = io.StringIO()
    writer = csv.DictWriter(out, old_columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    report = import_file(ctx, write(tmp_path, "old.csv", out.getvalue()))
    assert report.created is False
    assert lib.get_template(ctx, "POLICY-G7").definition == stored


# --- a campaign made from the template -------------------------------------------------


def test_a_campaign_from_the_template_gets_its_plans_scripts_and_lead_order(ctx, tmp_path):
    import_file(ctx, write(tmp_path, "policy.json", template_data()))
    campaign = create_from_template(ctx, "POLICY-G7", reference="POL-1")
    overview = stage_svc.stages_overview(ctx, campaign.id)
    assert overview.lead == ("B2", "B1", "C")  # what `stages list --json` prints as lead
    interview = _stage_id(ctx, campaign.id, "Panel interview")

    plan = stage_plan(ctx, interview)  # what `stages plan --json` prints
    expected = copy.deepcopy(template_data()["stages"][0]["plan"])
    expected[1]["criterion"] = "S1"
    # The template's day a topic was sent belongs to another campaign: this one's is not yet.
    expected[1]["questions"][0]["sent_on"] = None
    assert plan.to_json()["plan"] == expected
    assert plan.to_json()["total_minutes"] == 20
    assert (plan.welcome_script, plan.close_script) == (WELCOME, CLOSE)
    exercise = stage_plan(ctx, _stage_id(ctx, campaign.id, "Written exercise"))
    assert exercise.questions == 0 and exercise.welcome_script == ""

    # The campaign's own file carries the plan and the lead order, and reads back.
    first = export_campaign(ctx, "POL-1", tmp_path / "pol-1.json")
    data = json.loads(first.read_text(encoding="utf-8"))
    assert [(c["code"], c["lead"], c["lead_rank"]) for c in data["criteria"]] == [
        ("B1", True, 2),
        ("B2", True, 1),
        ("S1", False, 0),
        ("C", True, 0),
    ]
    copied = import_campaign(ctx, first, reference="POL-2")
    assert stage_svc.stages_overview(ctx, copied.id).lead == ("B2", "B1", "C")
    assert stage_plan(ctx, _stage_id(ctx, copied.id, "Panel interview")).to_json()["plan"] == (
        expected
    )
    second = export_campaign(ctx, "POL-2", tmp_path / "pol-2.json")
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8").replace(
        "POL-1", "POL-2"
    )


def test_the_template_s_lead_order_breaks_ties_in_the_results(ctx, tmp_path):
    import_file(ctx, write(tmp_path, "policy.json", template_data()))
    campaign = create_from_template(ctx, "POLICY-G7", reference="POL-1")
    with ctx.db.session() as session:
        people = [
            Person(name="Hannah Lee", email="hannah@example.org"),
            Person(name="Tom Okonkwo", email="tom@example.org"),
            Person(name="Marek Kowalski", email="marek@example.org"),
        ]
        session.add_all(people)
        for number in (1, 2, 3):
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
        chair, member, independent = (p.id for p in people)
    interview = _stage_id(ctx, campaign.id, "Panel interview")
    version = next(
        s.version for s in stage_svc.stages_overview(ctx, campaign.id).stages if s.id == interview
    )
    stage_svc.set_panel(
        ctx,
        interview,
        [
            stage_svc.SeatChoice(chair, "chair"),
            stage_svc.SeatChoice(member, "member"),
            stage_svc.SeatChoice(independent, "independent"),
        ],
        expected_version=version,
    )
    # Equal totals (15): B2 decides first, then B1; by B1 first the order would reverse.
    scores = {
        "0001": {"B1": 6, "B2": 4, "S1": 5},
        "0002": {"B1": 4, "B2": 6, "S1": 5},
        "0003": {"B1": 5, "B2": 5, "S1": 5},
    }
    for assessor in (chair, member):
        sheet = sc.scoring_sheet(ctx, interview, assessor)
        for candidate in sheet.candidates:
            for criterion in sheet.criteria:
                sc.save_score(
                    ctx,
                    interview,
                    assessor,
                    candidate.id,
                    criterion.cell_id,
                    value=scores[candidate.number][criterion.code],
                    evidence="",
                    expected_version=None,
                )
        sc.submit_scores(ctx, interview, assessor, [c.id for c in sheet.candidates])
    view = res.stage_results(ctx, interview)
    assert view.lead == ("B2", "B1")  # the leads this stage assesses, in the template's order
    assert [(r.number, r.total, r.rank) for r in view.rows] == [
        ("0002", 15, 1),
        ("0003", 15, 2),
        ("0001", 15, 3),
    ]
    assert view.cutoff_tie == ()


def test_a_duplicated_campaign_keeps_its_plans(ctx, tmp_path):
    import_file(ctx, write(tmp_path, "policy.json", template_data()))
    source = create_from_template(ctx, "POLICY-G7", reference="POL-1")
    with ctx.db.session() as session:  # the source's presentation topic has gone out
        for question in session.exec(select(PlanQuestion).where(PlanQuestion.unseen)):
            question.sent_on = date(2026, 3, 2)
        session.commit()
    duplicate = campaigns.duplicate_campaign(ctx, source.id)
    original = stage_plan(ctx, _stage_id(ctx, source.id, "Panel interview")).to_json()["plan"]
    copied = stage_plan(ctx, _stage_id(ctx, duplicate.id, "Panel interview"))
    assert original[1]["questions"][0]["sent_on"] == "2026-03-02"
    original[1]["questions"][0]["sent_on"] = None  # the copy's candidates have been sent nothing
    assert copied.to_json()["plan"] == original
    assert (copied.welcome_script, copied.close_script) == (WELCOME, CLOSE)
    assert stage_svc.stages_overview(ctx, duplicate.id).lead == ("B2", "B1", "C")


# --- the built-in Home Office template -------------------------------------------------


def test_the_home_office_hr_business_partner_template_has_its_two_lead_competencies(ctx, tmp_path):
    template = lib.get_template(ctx, "HO-HRBP-G7").definition
    assert [c.code for c in sorted(template.criteria, key=lambda c: c.lead_rank) if c.lead] == [
        "LC",
        "CP",
        "EXP1",
    ]
    campaign = create_from_template(ctx, "HO-HRBP-G7", reference="HR-1")
    assert stage_svc.stages_overview(ctx, campaign.id).lead == ("LC", "CP", "EXP1")
    telephone = stage_plan(ctx, _stage_id(ctx, campaign.id, "Telephone interview"))
    assert [c["criterion"] for c in telephone.to_json()["plan"]] == ["LC", "CP"]
    assert "aspirations" in telephone.close_script
    panel = stage_plan(ctx, _stage_id(ctx, campaign.id, "Panel interview and presentation"))
    assert [c.code for c in panel.cells if c.questions] == [
        "LC",
        "CP",
        "SBP",
        "CI",
        "DAP",
        "MQS",
        "EXP1",
    ]
    assert panel.total_minutes == 50

    # Exported and imported as one's own, it is the same template under another code.
    exported = export_entry(ctx, "HO-HRBP-G7", tmp_path / "hrbp.json")
    mine = exported.read_text(encoding="utf-8").replace("HO-HRBP-G7", "MY-HRBP")
    import_file(ctx, write(tmp_path, "mine.json", mine))
    again = export_entry(ctx, "MY-HRBP", tmp_path / "again.json")
    assert again.read_text(encoding="utf-8") == mine


# --- hostile files ---------------------------------------------------------------------


def _question(data: dict[str, Any]) -> dict[str, Any]:
    return data["stages"][0]["plan"][0]["questions"][0]


HOSTILE = [
    (
        "two leads in one place",
        lambda d: d["criteria"][0].update(lead_rank=1),
        "criteria[1].lead_rank: B1 and B2 are both lead criterion 1",
    ),
    (
        "a place for a criterion that is not lead",
        lambda d: d["criteria"][2].update(lead_rank=3),
        "criteria[2].lead_rank: S1 is not a lead criterion",
    ),
    ("a negative place", lambda d: d["criteria"][0].update(lead_rank=-1), "criteria[0].lead_rank"),
    ("a place too far", lambda d: d["criteria"][0].update(lead_rank=21), "criteria[0].lead_rank"),
    ("a place as text", lambda d: d["criteria"][0].update(lead_rank="1"), "criteria[0].lead_rank"),
    (
        "a plan for a criterion the stage does not assess",
        lambda d: d["stages"][0]["plan"][0].update(criterion="C"),
        "stages[0].plan[0].criterion: 'C' is not one of the criteria this stage assesses",
    ),
    (
        "a criterion planned twice",
        lambda d: d["stages"][0]["plan"][1].update(criterion="B2"),
        "stages[0].plan: B2 has two entries in the plan",
    ),
    (
        "negative minutes",
        lambda d: _question(d).update(minutes=-5),
        "stages[0].plan[0].questions[0].minutes: the minutes must be between 0 and 180",
    ),
    (
        "minutes as text",
        lambda d: _question(d).update(minutes="10"),
        "stages[0].plan[0].questions[0].minutes: the minutes must be a whole number",
    ),
    (
        "an oversized question",
        lambda d: _question(d).update(text="x" * 2001),
        "stages[0].plan[0].questions[0].text: A question must be 2,000 characters or fewer",
    ),
    (
        "an empty question",
        lambda d: _question(d).update(text="  "),
        "stages[0].plan[0].questions[0].text: write the question",
    ),
    (
        "an oversized probe",
        lambda d: _question(d).update(probes=["y" * 501]),
        "stages[0].plan[0].questions[0].probes",
    ),
    (
        "too many probes",
        lambda d: _question(d).update(probes=[f"Probe {n}" for n in range(11)]),
        "stages[0].plan[0].questions[0].probes",
    ),
    (
        "a day that is not one",
        lambda d: _question(d).update(sent_on="next Tuesday"),
        "stages[0].plan[0].questions[0].sent_on: 'next Tuesday' is not a date",
    ),
    (
        "something a question cannot hold",
        lambda d: _question(d).update(colour="red"),
        "stages[0].plan[0].questions[0].colour: colour is not something a question plan",
    ),
    (
        "a plan that is not a list",
        lambda d: d["stages"][0].update(plan={"B2": []}),
        "stages[0].plan: the question plan must be a list",
    ),
    (
        "too many questions",
        lambda d: d["stages"][0]["plan"][0].update(questions=[{"text": "Why?"}] * 101),
        "stages[0].plan: A plan can hold at most 100 questions",
    ),
    (
        "an oversized script",
        lambda d: d["stages"][0].update(welcome_script="w" * 10_001),
        "stages[0].welcome_script is 10001 characters long",
    ),
    (
        "a script that is not text",
        lambda d: d["stages"][1].update(close_script=["Bye"]),
        "stages[1].close_script must be text",
    ),
]


@pytest.mark.parametrize(
    ("mangle", "expected"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_template_files_are_refused_naming_the_field(ctx, tmp_path, mangle, expected):
    lib.list_library(ctx)  # the built-in library, loaded before the fingerprint
    data = template_data()
    mangle(data)
    before = fingerprint(ctx.db)
    with pytest.raises(ValidationError) as caught:
        import_file(ctx, write(tmp_path, "hostile.json", data))
    assert caught.value.message.startswith("hostile.json: ")
    assert expected in caught.value.message, caught.value.message
    assert fingerprint(ctx.db) == before


def _csv_lines(ctx: ServiceContext, tmp_path: Path) -> list[list[str]]:
    import_file(ctx, write(tmp_path, "policy.json", template_data()))
    exported = export_entry(ctx, "POLICY-G7", tmp_path / "policy.csv")
    return list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))


def _csv_text(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue().replace("POLICY-G7", "OTHER")


def test_a_hostile_question_row_names_its_line(ctx, tmp_path):
    lines = _csv_lines(ctx, tmp_path)
    header = lines[0]
    first = next(n for n, row in enumerate(lines) if row[0] == "question")
    lines[first][header.index("minutes")] = "-3"
    with pytest.raises(ValidationError, match=rf"Line {first + 1}: stages\[0\]\.plan\[0\]"):
        import_file(ctx, write(tmp_path, "bad.csv", _csv_text(lines)))
    lines[first][header.index("minutes")] = "ten"
    with pytest.raises(ValidationError, match=rf"Line {first + 1}, column minutes: 'ten'"):
        import_file(ctx, write(tmp_path, "bad.csv", _csv_text(lines)))
    lines[first][header.index("minutes")] = "10"
    lines[first][header.index("code")] = "C"
    with pytest.raises(ValidationError, match=rf"Line {first + 1}: .*'C' is not one of the"):
        import_file(ctx, write(tmp_path, "bad.csv", _csv_text(lines)))
    # A question before any stage has no stage to belong to.
    orphan = lines.pop(first)
    lines.insert(1, orphan)
    with pytest.raises(ValidationError, match="Line 2, column record: a question belongs"):
        import_file(ctx, write(tmp_path, "bad.csv", _csv_text(lines)))
    assert lib.find_entry(ctx, "POLICY-G7") == "template"
    with pytest.raises(Exception, match="nothing with the code 'OTHER'"):
        lib.find_entry(ctx, "OTHER")


def test_a_saved_template_keeps_to_the_same_rules(ctx):
    definition = parse_role_template(template_data())
    criteria = tuple(replace(c, lead_rank=1) if c.code == "B1" else c for c in definition.criteria)
    with pytest.raises(ValidationError, match="B1 and B2 are both lead criterion 1"):
        lib.save_template(ctx, replace(definition, criteria=criteria), create=True)
    interview = definition.stages[0]
    unassessed = replace(interview, criteria=("B1", "S1"))  # B2 planned, no longer assessed
    with pytest.raises(ValidationError, match=r"stages\[0\]\.plan\[0\]\.criterion: 'B2'"):
        lib.save_template(
            ctx, replace(definition, stages=(unassessed, *definition.stages[1:])), create=True
        )
    saved = lib.save_template(ctx, definition, create=True)
    assert saved.definition == definition
    assert lib.get_template(ctx, "POLICY-G7").definition == definition


# --- fuzzing a template with plans -----------------------------------------------------


@pytest.fixture
def fuzz_imports(ctx: ServiceContext, tmp_path: Path) -> Imports:
    lib.list_library(ctx)  # the built-in library, loaded before the first fingerprint
    import_file(ctx, write(tmp_path, "policy.json", template_data()))
    return Imports(ctx, tmp_path)


def _exported(imports: Imports, fmt: str) -> str:
    path = export_entry(imports.ctx, "POLICY-G7", imports.folder / f"source.{fmt}")
    return path.read_bytes().decode("utf-8-sig").replace("POLICY-G7", "FUZZ-TPL")


@pytest.fixture
def plan_json(fuzz_imports: Imports) -> dict[str, Any]:
    return json.loads(_exported(fuzz_imports, "json"))


@pytest.fixture
def plan_csv(fuzz_imports: Imports) -> str:
    return _exported(fuzz_imports, "csv")


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_template_json_with_plans(fuzz_imports, plan_json, data):
    text = data.draw(broken_json(plan_json))
    _check_library_entry(fuzz_imports, fuzz_imports.file("template.json", text))


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_template_csv_with_plans(fuzz_imports, plan_csv, data):
    text = data.draw(broken_csv(plan_csv))
    _check_library_entry(fuzz_imports, fuzz_imports.file("template.csv", text))
