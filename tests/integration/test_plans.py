"""Question plans (issue 16) on real databases: the demo's plan from the bank, save and read,
the bank filter, the timing check, who may read and change a plan, deviations, the
command line's JSON, and plans through campaign export and import."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from db.models import AuditEvent, Candidate, Person, PlanDeviation, Stage
from recruit_app.cli import main
from recruit_app.domain.plans import PlanItem
from recruit_app.errors import ConflictError, PermissionDenied, ValidationError
from recruit_app.services.campaign_files import export_campaign, import_campaign
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.plans import bank_questions, record_deviation, save_plan, stage_plan

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

DEMO_DAY = date(2026, 11, 25)
CODES = ["DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP", "EXP1", "TEAM", "PACE", "PROBLEMSOLVER"]


@pytest.fixture
def demo(ctx):
    build_demo(ctx, today=DEMO_DAY)
    with ctx.db.session() as session:
        stages = {s.name: s.id for s in session.exec(select(Stage))}
    return ctx, stages


def _person(ctx, name: str) -> Actor:
    with ctx.db.session() as session:
        found = session.exec(select(Person).where(Person.name == name)).one()
        return Actor(found.name, found.role, found.id)


def _cells(ctx, stage_id: int) -> dict[str, int]:
    return {c.code: c.cell_id for c in stage_plan(ctx, stage_id).cells}


def test_the_demo_video_interview_has_a_plan_from_the_bank(demo):
    ctx, stages = demo
    plan = stage_plan(ctx, stages["Video interview"])
    assert [c.code for c in plan.cells] == CODES
    assert [len(c.questions) for c in plan.cells] == [1] * 10
    first = plan.cells[0].questions[0]
    assert first.text == (
        "Tell us about a data model you built or changed. "
        "How did you make sure it fitted the way the data is used?"
    )
    assert first.probes == (
        "How did you document it?",
        "How did you check the quality of the data?",
    )
    # The SFIA criteria's, the behaviours' and the strength's questions come from the bank;
    # EXP1 is the advert's own, written. Only the strength's is unseen.
    assert all(c.questions[0].question_id for c in plan.cells[:6])
    assert plan.cells[6].questions[0].question_id is None
    assert all(c.questions[0].question_id for c in plan.cells[7:])
    assert [c.questions[0].unseen for c in plan.cells] == [False] * 9 + [True]
    assert (plan.total_minutes, plan.slot_minutes, plan.findings) == (50, 60, ())
    assert plan.welcome_script.startswith("Welcome, and thank you for joining us.")
    assert plan.close_script.startswith("Thank you: that is the end of our questions.")


def test_save_then_read_in_order_with_the_timing_warning(demo):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    before = stage_plan(ctx, stage_id)
    cells = _cells(ctx, stage_id)
    bank = bank_questions(ctx, stage_id, cells["PROG"])[0]
    items = [
        PlanItem(cells["PROG"], "  Our own question?  ", (" Probe one ", "", "Probe two"), 30),
        PlanItem(cells["DATM"], "Data question", (), 5),
        PlanItem(cells["PROG"], bank.text, bank.probes, 30, question_id=bank.id),
    ]
    plan = save_plan(
        ctx,
        stage_id,
        items,
        welcome_script=" Hello. ",
        close_script="Goodbye.",
        expected_version=before.version,
    )
    assert plan.version == before.version + 1
    again = stage_plan(ctx, stage_id)
    assert again == plan
    by_code = {c.code: c for c in again.cells}
    assert [(q.text, q.probes, q.minutes) for q in by_code["PROG"].questions] == [
        ("Our own question?", ("Probe one", "Probe two"), 30),
        (bank.text, bank.probes, 30),
    ]
    assert by_code["PROG"].questions[1].question_id == bank.id
    assert [q.text for q in by_code["DATM"].questions] == ["Data question"]
    assert [c.code for c in again.cells if c.questions] == ["DATM", "PROG"]  # matrix order
    assert (again.welcome_script, again.close_script) == ("Hello.", "Goodbye.")
    assert [f.message for f in again.findings] == [
        "The plan takes 65 minutes; the slots are 60 minutes long."
    ]
    # Saving over a version not seen is refused, and changes nothing.
    with pytest.raises(ConflictError):
        save_plan(
            ctx,
            stage_id,
            [],
            welcome_script="",
            close_script="",
            expected_version=before.version,
        )
    assert stage_plan(ctx, stage_id) == again
    with ctx.db.session() as session:
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "plan.save")
            .order_by(col(AuditEvent.id).desc())
        ).first()
    assert event is not None and event.actor_name == ctx.actor.name
    assert event.before is not None and len(event.before["plan"]) == 10
    assert event.after is not None and event.after["welcome_script"] == "Hello."


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (PlanItem(0, "   "), "questions[0].text", "Write the question."),
        (PlanItem(0, "Q", minutes=181), "questions[0].minutes", "between 0 and 180"),
        (PlanItem(0, "Q", minutes=-1), "questions[0].minutes", "between 0 and 180"),
        (PlanItem(0, "Q", probes=("p",) * 11), "questions[0].probes", "at most 10 probes"),
        (PlanItem(0, "x" * 2001), "questions[0].text", "2,000 characters or fewer"),
    ],
)
def test_a_bad_question_is_refused_naming_the_field(demo, item, field, message):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    before = stage_plan(ctx, stage_id)
    item = replace(item, cell_id=before.cells[0].cell_id)
    with pytest.raises(ValidationError) as caught:
        save_plan(ctx, stage_id, [item], welcome_script="", close_script="", expected_version=None)
    assert caught.value.field == field and message in caught.value.message
    assert stage_plan(ctx, stage_id) == before


def test_a_question_for_another_stages_criterion_is_refused(demo):
    ctx, stages = demo
    other = stage_plan(ctx, stages["Technical exercise"]).cells[0].cell_id
    with pytest.raises(ValidationError) as caught:
        save_plan(
            ctx,
            stages["Video interview"],
            [PlanItem(other, "Q")],
            welcome_script="",
            close_script="",
            expected_version=None,
        )
    assert caught.value.field == "questions[0].criterion"


def test_unseen_outside_the_strengths_is_a_warning_not_a_refusal(demo):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    cells = _cells(ctx, stage_id)
    plan = save_plan(
        ctx,
        stage_id,
        [PlanItem(cells["TEST"], "Q", minutes=5, unseen=True)],
        welcome_script="",
        close_script="",
        expected_version=None,
    )
    assert plan.cells[3].questions[0].unseen is True
    assert [f.kind for f in plan.findings] == ["unseen"]
    assert plan.findings[0].message.startswith("TEST is not a strength")


def test_the_bank_is_filtered_to_the_cells_criterion_and_level(demo):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    cells = _cells(ctx, stage_id)
    datm = bank_questions(ctx, stage_id, cells["DATM"])
    assert {(q.criterion, q.level) for q in datm} == {("DATM", 4)} and len(datm) == 4
    prog = bank_questions(ctx, stage_id, cells["PROG"])  # the bank has level 3 ones too
    assert [q.level for q in prog] == [4, 4]
    assert prog[0].text.startswith("Describe a complex piece of software you led the build of.")
    assert bank_questions(ctx, stage_id, cells["EXP1"]) == []  # written for the advert


def test_a_panel_member_reads_the_plan_of_their_stage_and_cannot_change_it(demo):
    ctx, stages = demo
    marek = replace(ctx, actor=_person(ctx, "Marek Kowalski"))  # on the interview panel
    stage_id = stages["Video interview"]
    assert stage_plan(marek, stage_id) == stage_plan(ctx, stage_id)
    assert bank_questions(marek, stage_id, _cells(ctx, stage_id)["DATM"])
    with pytest.raises(PermissionDenied):
        save_plan(marek, stage_id, [], welcome_script="", close_script="", expected_version=None)
    with pytest.raises(PermissionDenied):
        stage_plan(marek, stages["Technical exercise"])  # not on that panel
    assert stage_plan(ctx, stage_id).questions == 10


def test_a_deviation_is_recorded_and_audited(demo):
    ctx, stages = demo
    marek = replace(ctx, actor=_person(ctx, "Marek Kowalski"))
    stage_id = stages["Video interview"]
    with ctx.db.session() as session:
        candidate = session.exec(
            select(Candidate).where(Candidate.candidate_number == "0003")
        ).one()
    assert candidate.id is not None
    with pytest.raises(ValidationError):
        record_deviation(marek, stage_id, candidate.id, "   ")
    view = record_deviation(marek, stage_id, candidate.id, " Question 4 was not asked: time. ")
    assert (view.candidate_number, view.note, view.recorded_by) == (
        "0003",
        "Question 4 was not asked: time.",
        "Marek Kowalski",
    )
    with ctx.db.session() as session:
        rows = session.exec(select(PlanDeviation)).all()
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "plan.deviation")).one()
    assert [(r.stage_id, r.candidate_id, r.note) for r in rows] == [
        (stage_id, candidate.id, "Question 4 was not asked: time.")
    ]
    assert event.actor_name == "Marek Kowalski"
    assert (event.entity, event.entity_id) == ("candidate", candidate.id)
    assert event.after == {
        "stage": "Video interview",
        "candidate": "0003",
        "note": "Question 4 was not asked: time.",
    }
    with pytest.raises(PermissionDenied):  # not on the technical exercise's panel
        record_deviation(marek, stages["Technical exercise"], candidate.id, "Note")
    # Erasing the candidate blanks the note, here and in the trail.
    from recruit_app.services.retention import erase_candidate

    erase_candidate(ctx, candidate.id, reason="asked")
    with ctx.db.session() as session:
        assert [r.note for r in session.exec(select(PlanDeviation)).all()] == [""]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "plan.deviation")).one()
    assert "Question 4" not in str(event.after)


def test_stages_plan_json(demo, capsys, db_url):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    cells = _cells(ctx, stage_id)
    save_plan(
        ctx,
        stage_id,
        [
            PlanItem(cells["SWDN"], "Design?", ("Why?",), 20, sent_on=date(2026, 12, 1)),
            PlanItem(cells["DATM"], "Data?", (), 30, unseen=True),
        ],
        welcome_script="Hi.",
        close_script="Bye.",
        expected_version=None,
    )
    code = main(
        ["--db", db_url, "stages", "plan", "283922", "--stage", "video interview", "--json"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out) == {
        "stage": "Video interview",
        "plan": [
            {
                "criterion": "DATM",
                "questions": [
                    {"text": "Data?", "probes": [], "minutes": 30, "unseen": True, "sent_on": None}
                ],
            },
            {
                "criterion": "SWDN",
                "questions": [
                    {
                        "text": "Design?",
                        "probes": ["Why?"],
                        "minutes": 20,
                        "unseen": False,
                        "sent_on": "2026-12-01",
                    }
                ],
            },
        ],
        "total_minutes": 50,
        "slot_minutes": 60,
        "warnings": [
            "DATM is not a strength: candidates are expected to prepare examples for it, "
            "so keeping its questions unseen is unusual."
        ],
    }
    code = main(["--db", db_url, "stages", "plan", "283922", "--stage", "Video interview"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[:5] == [
        "Question plan: Video interview",
        "DATM Data management",
        "   1. Data? (30 min, unseen)",
        "SWDN Software design",
        "   2. Design? (20 min, sent 2026-12-01)",
    ]
    assert "Total: 50 minutes; slots 60 minutes" in out
    code = main(["--db", db_url, "stages", "plan", "283922", "--stage", "Nope", "--json"])
    assert code != 0
    assert "no stage called 'Nope'" in capsys.readouterr().err


# --- campaign files ------------------------------------------------------------------


def test_plans_go_through_campaign_export_and_import_exactly(demo, tmp_path: Path):
    ctx, stages = demo
    stage_id = stages["Video interview"]
    cells = _cells(ctx, stage_id)
    save_plan(
        ctx,
        stage_id,
        [
            PlanItem(cells["SWDN"], "Design?", ("Why?", "How?"), 20, sent_on=date(2026, 12, 1)),
            PlanItem(cells["DATM"], "Data?", (), 0, unseen=True),
            PlanItem(cells["SWDN"], "Again?", (), 7),
        ],
        welcome_script="Hi.\n\nWelcome.",
        close_script="Bye.",
        expected_version=None,
    )
    first = export_campaign(ctx, "283922", tmp_path / "first.json")
    data = json.loads(first.read_text(encoding="utf-8"))
    interview = data["stages"][2]
    assert interview["plan"] == [
        {
            "criterion": "DATM",
            "questions": [
                {"text": "Data?", "probes": [], "minutes": 0, "unseen": True, "sent_on": None}
            ],
        },
        {
            "criterion": "SWDN",
            "questions": [
                {
                    "text": "Design?",
                    "probes": ["Why?", "How?"],
                    "minutes": 20,
                    "unseen": False,
                    "sent_on": "2026-12-01",
                },
                {"text": "Again?", "probes": [], "minutes": 7, "unseen": False, "sent_on": None},
            ],
        },
    ]
    assert (interview["welcome_script"], interview["close_script"]) == ("Hi.\n\nWelcome.", "Bye.")
    assert data["stages"][0]["plan"] == [] and data["stages"][0]["welcome_script"] == ""

    copy = import_campaign(ctx, first, reference="COPY-1")
    second = export_campaign(ctx, "COPY-1", tmp_path / "second.json")
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    assert two.pop("reference") == "COPY-1" and one.pop("reference") == "283922"
    assert one == two
    with ctx.db.session() as session:
        copied = session.exec(
            select(Stage).where(Stage.campaign_id == copy.id, Stage.name == "Video interview")
        ).one()
    assert copied.id is not None
    plan = stage_plan(ctx, copied.id)
    assert [q.text for c in plan.cells for q in c.questions] == ["Data?", "Design?", "Again?"]


def _broken(data: dict[str, Any], change: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    change(copy["stages"][2])
    return copy


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["plan"][0]["questions"][0].update(minutes="seven"),
            "Stage 'Video interview', plan for DATM, question 1: the minutes must be a whole "
            "number, not 'seven' (stages[2].plan[0].questions[0].minutes).",
        ),
        (
            lambda s: s["plan"][0]["questions"][0].update(minutes=200),
            "Stage 'Video interview', plan for DATM, question 1: the minutes must be between 0 "
            "and 180 (stages[2].plan[0].questions[0].minutes).",
        ),
        (
            lambda s: s["plan"][0]["questions"][0].update(text=" "),
            "Stage 'Video interview', plan for DATM, question 1: write the question "
            "(stages[2].plan[0].questions[0].text).",
        ),
        (
            lambda s: s["plan"][0]["questions"][0].update(colour="red"),
            "Stage 'Video interview', plan for DATM, question 1: colour is not something a "
            "campaign file can hold (stages[2].plan[0].questions[0].colour).",
        ),
        (
            lambda s: s["plan"][0]["questions"][0].update(sent_on="1 Dec"),
            "Stage 'Video interview', plan for DATM, question 1: '1 Dec' is not a date "
            "written YYYY-MM-DD (stages[2].plan[0].questions[0].sent_on).",
        ),
        (
            lambda s: s["plan"][0].update(criterion="EXP2"),
            "Stage 'Video interview', plan for EXP2: 'EXP2' is not one of the criteria this "
            "stage assesses (stages[2].plan[0].criterion).",
        ),
        (
            lambda s: s["plan"].append(s["plan"][0]),
            "Stage 'Video interview': DATM has two entries in the plan (stages[2].plan).",
        ),
        (
            lambda s: s.update(welcome_script=5),
            "Stage 'Video interview': the welcome script must be text, not 5 "
            "(stages[2].welcome_script).",
        ),
    ],
)
def test_a_malformed_plan_is_refused_naming_the_field(demo, tmp_path: Path, change, message):
    ctx, _stages = demo
    data = json.loads(export_campaign(ctx, "283922", tmp_path / "demo.json").read_text())
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_broken(data, change)), encoding="utf-8")
    with ctx.db.session() as session:
        campaigns = len(session.exec(select(Stage.campaign_id).distinct()).all())
    with pytest.raises(ValidationError) as caught:
        import_campaign(ctx, path, reference="BROKEN-1")
    assert caught.value.message == f"broken.json: {message}"
    with ctx.db.session() as session:
        assert len(session.exec(select(Stage.campaign_id).distinct()).all()) == campaigns
