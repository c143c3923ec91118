"""The demo's video interview mixes scales: two Success Profiles behaviours at the grade's
level on the 1 to 7 scale beside a strength on its own 1 to 4 guide, each asked a question
from the bank (the strength's unseen) in a plan that fits the hour, and the panel pack
prints those questions. Scored, the strength counts towards the total on the 1 to 7 scale
while its pass mark stays on its own."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Advert
from recruit_app.cli import main
from recruit_app.library import load_json
from recruit_app.services import results as res
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.campaign_files import export_campaign, import_campaign
from recruit_app.services.demo import DEMO_FILE, build_demo
from recruit_app.services.panel_pack import export_panel_pack
from recruit_app.services.plans import bank_questions, stage_plan
from recruit_app.services.scoring import import_scores, scoring_sheet
from recruit_app.services.stages import stages_overview
from tests.exports.test_panel_pack import body, pages_of

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

DEMO_DAY = date(2026, 11, 25)
SP7, OWN = {"scale": "sp7", "own_scale": False}, {"scale": "strengths4", "own_scale": True}
TEMPLATE_CODES = ["DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP", "EXP1"]
ADDED = ["TEAM", "PACE", "PROBLEMSOLVER"]
# The bank's first question for each added criterion at its level, as the plan asks it.
TEAM_Q = (
    "Tell me about a time when you worked with other teams or organisations to achieve a "
    "shared goal."
)
TEAM_PROBES = (
    "Who did you need to work with?",
    "What got in the way of working together?",
    "How did you overcome it?",
)
PACE_Q = "Tell me about a time when you led a team to deliver a challenging objective."
PACE_PROBES = (
    "How did you set goals and monitor progress?",
    "How did you support people who were struggling?",
    "What did the team achieve?",
)
STRENGTH_Q = "What kinds of problems do you most enjoy solving?"
STRENGTH_PROBES = ("Why those?", "How often do you get to do that?")


@pytest.fixture
def demo(ctx):
    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    stages = {s.name: s for s in stages_overview(ctx, campaign_id).stages}
    return ctx, campaign_id, stages


def _library_criterion(framework_file: str, code: str) -> dict:
    found = load_json(f"frameworks/{framework_file}")["criteria"]
    return next(c for c in found if c["code"] == code)


def test_the_advert_adds_two_behaviours_at_the_grades_level_and_a_strength(demo):
    ctx, campaign_id, _stages = demo
    overview = stages_overview(ctx, campaign_id)
    added = [(c.code, c.title, c.element, c.essential) for c in overview.criteria][-3:]
    # Titles from the built-in frameworks, not written for the demo.
    team = _library_criterion("sp_behaviours.json", "TEAM")
    pace = _library_criterion("sp_behaviours.json", "PACE")
    strength = _library_criterion("sp_strengths.json", "PROBLEMSOLVER")
    assert [team["name"], pace["name"], strength["name"]] == [
        "Working Together",
        "Delivering at Pace",
        "Problem Solver",
    ]
    assert added == [
        ("TEAM", "Working Together", "BEH", True),
        ("PACE", "Delivering at Pace", "BEH", True),
        ("PROBLEMSOLVER", "Problem Solver", "STR", True),
    ]
    with ctx.db.session() as session:
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).one()
    # Level 3 is the behaviours' level for the advert's grade.
    assert advert.grade == "Senior Executive Officer"
    for behaviour in (team, pace):
        level = next(x for x in behaviour["levels"] if x["level"] == 3)
        assert "Senior Executive Officer" in level["grades"]
    # The selection process says the interview assesses behaviours and a strength.
    assert advert.selection_process == load_json(DEMO_FILE)["advert"]["selection_process"]
    first_line = advert.selection_process.splitlines()[0]
    assert first_line.endswith(
        "The interview looks at them too, and adds two behaviours and one strength, all "
        "named in the person specification."
    )
    assert "Strength questions are not sent in advance" in advert.selection_process
    # The template's stages other than the interview assess only what they did.
    assert [[c.code for c in s.cells] for s in overview.stages] == [
        ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6"],
        ["PROG", "SWDN", "TEST"],
        [*TEMPLATE_CODES, *ADDED],
    ]


def test_the_interview_cells_keep_their_own_scales_in_the_stages_json(demo, capsys, db_url):
    ctx, campaign_id, stages = demo
    interview = stages["Video interview"]
    expected = [
        *[{"code": code, "weight": 1.0, "pass_mark": 4, **SP7} for code in TEMPLATE_CODES],
        {"code": "TEAM", "weight": 1.0, "pass_mark": 4, **SP7},
        {"code": "PACE", "weight": 1.0, "pass_mark": 4, **SP7},
        # The strength on its 1 to 4 guide, with that guide's pass mark ("Potential Strength").
        {"code": "PROBLEMSOLVER", "weight": 1.0, "pass_mark": 3, **OWN},
    ]
    assert interview.scale == "sp7"
    assert interview.to_json()["criteria"] == expected
    code = main(["--db", db_url, "stages", "list", "283922", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    listed = {s["name"]: s for s in json.loads(out)}
    assert listed["Video interview"]["scale"] == "sp7"
    assert listed["Video interview"]["criteria"] == expected
    # The other stages stay on one scale.
    for name in ("CV sift", "Technical exercise"):
        assert all(c["own_scale"] is False for c in listed[name]["criteria"]), name
    # The matrix raises nothing about the cells: a strength's 3 is a pass mark on its guide.
    overview = stages_overview(ctx, campaign_id)
    assert [f for f in overview.findings if f.field.startswith("cell:")] == []


def test_the_plan_asks_a_bank_question_for_each_and_keeps_the_strengths_unseen(demo):
    ctx, _campaign_id, stages = demo
    stage_id = stages["Video interview"].id
    plan = stage_plan(ctx, stage_id)
    assert [c.code for c in plan.cells] == [*TEMPLATE_CODES, *ADDED]
    assert [len(c.questions) for c in plan.cells] == [1] * 10
    by_code = {c.code: c for c in plan.cells}
    asked = [
        (code, q.text, q.probes, q.minutes, q.unseen)
        for code in ADDED
        for q in by_code[code].questions
    ]
    assert asked == [
        ("TEAM", TEAM_Q, TEAM_PROBES, 5, False),
        ("PACE", PACE_Q, PACE_PROBES, 5, False),
        ("PROBLEMSOLVER", STRENGTH_Q, STRENGTH_PROBES, 5, True),
    ]
    # Each from the bank: the first question the bank offers for the cell.
    for code in ADDED:
        cell = by_code[code]
        first = bank_questions(ctx, stage_id, cell.cell_id)[0]
        assert cell.questions[0].question_id == first.id, code
        assert cell.questions[0].text == first.text, code
    # Only the strength's question is unseen, and the plan fits the hour with time to spare.
    assert [c.code for c in plan.cells if any(q.unseen for q in c.questions)] == ["PROBLEMSOLVER"]
    assert (plan.total_minutes, plan.slot_minutes, plan.findings) == (50, 60, ())
    assert plan.total_minutes <= 60
    assert plan.to_json()["warnings"] == []


def _questions_by_candidate(texts: list[str]) -> dict[str, str]:
    """Each candidate's question pages as one text, the running heads of pages after the
    first taken out (a question is never split between pages)."""
    found: dict[str, str] = {}
    label = ""
    for text in texts:
        start = re.match(r"Interview questions · Video interview (\d{4} .+?): questions ", text)
        if start:
            label = start.group(1)
            found[label] = text
        elif label and text.startswith(f"{label}: questions (continued) "):
            found[label] += " " + text.removeprefix(f"{label}: questions (continued) ")
        else:
            label = ""
    return found


def test_the_panel_pack_prints_the_behaviour_and_strength_questions(demo, tmp_path: Path):
    ctx, _campaign_id, stages = demo
    path = export_panel_pack(ctx, stages["Video interview"].id, tmp_path / "interview.pdf")
    texts = [body(t) for t in pages_of(path)]
    questions = _questions_by_candidate(texts)
    assert len(questions) == 8  # one set for each interviewee
    for label, asked in questions.items():
        assert asked.endswith(
            "EXP1 Back-end or full-stack development in at least one modern web language "
            "(such as Java, C#, Python, PHP or JavaScript with Node.js) and its ecosystem "
            "7. Tell us about a back-end or full-stack service you built in a modern web "
            "language. What was your part in it? 5 minutes "
            "Probes • Which parts of the language's ecosystem did you rely on, and why? "
            "• What would you do differently now? Notes "
            f"TEAM Working Together 8. {TEAM_Q} 5 minutes "
            "Probes • " + " • ".join(TEAM_PROBES) + " Notes "
            f"PACE Delivering at Pace 9. {PACE_Q} 5 minutes "
            "Probes • " + " • ".join(PACE_PROBES) + " Notes "
            f"PROBLEMSOLVER Problem Solver 10. {STRENGTH_Q} 5 minutes · unseen: not sent to "
            "candidates in advance Probes • " + " • ".join(STRENGTH_PROBES) + " Notes"
        ), label
        assert "50 minutes of questions; the slots are 60 minutes long." in asked, label
    # The score sheets show the behaviours at their level and the strength with its
    # indicators and its pass mark on its own guide.
    everything = " ".join(texts)
    assert "TEAM Working Together Behaviours · Level 3 · Essential · Pass mark 4" in everything
    assert "PACE Delivering at Pace Behaviours · Level 3 · Essential · Pass mark 4" in everything
    assert (
        "PROBLEMSOLVER Problem Solver Strengths · All grades · Essential · Pass mark 3"
        in everything
    )
    assert "Signs the level is not met • Solves problems competently" in everything


# --- scored: the merit order on mixed scales --------------------------------------------

# Each interviewee's score on the 1 to 7 criteria (with exceptions) and on the strength.
SCORES = {
    "0001": (5, {}, 3),
    "0003": (5, {}, 4),
    "0005": (6, {}, 2),  # below the strength's pass mark of 3: fails, high as the rest are
    "0009": (4, {}, 4),
    "0014": (5, {"TEAM": 6}, 3),  # the same sum as 0003's, but a lower strength
    "0018": (6, {}, 3),
    "0023": (4, {"TEAM": 3}, 4),  # below TEAM's pass mark of 4
    "0028": (4, {}, 3),  # 3 passes on the strength's own scale, though under the stage's 4
}


def test_scored_the_strength_counts_on_the_stages_scale_and_passes_on_its_own(demo):
    ctx, campaign_id, stages = demo
    stage_id = stages["Video interview"].id
    panel = {s.email: s.person_id for s in stages_overview(ctx, campaign_id).stages[2].panel}
    sheet = scoring_sheet(ctx, stage_id, next(iter(panel.values())))
    assert sorted(c.number for c in sheet.candidates) == sorted(SCORES)
    rows = []
    for number, (base, exceptions, strength) in SCORES.items():
        for criterion in sheet.criteria:
            value = strength if criterion.code == "PROBLEMSOLVER" else base
            value = exceptions.get(criterion.code, value)
            for email in panel:
                rows.append(
                    (
                        len(rows) + 2,
                        {
                            "candidate_number": number,
                            "criterion": criterion.code,
                            "assessor": email,
                            "score": str(value),
                            "evidence": f"Seen at interview: {criterion.code}.",
                        },
                    )
                )
    import_scores(ctx, stage_id, rows, source="interview.csv")
    view = res.stage_results(ctx, stage_id)
    assert view.blockers == ()
    order = [(r.number, r.total, r.rank, r.passed, r.failed_criteria) for r in view.rows]
    assert order == [
        ("0018", 59.0, 1, True, ()),  # 9 x 6, and the strength's 3 counted as 5
        ("0003", 52.0, 2, True, ()),  # 9 x 5, and 4 counted as 7
        ("0014", 51.0, 3, True, ()),  # 8 x 5 and a 6, and 3 counted as 5: behind 0003
        ("0001", 50.0, 4, True, ()),
        ("0009", 43.0, 5, True, ()),
        ("0028", 41.0, 6, True, ()),
        ("0005", 57.0, None, False, ("PROBLEMSOLVER",)),
        ("0023", 42.0, None, False, ("TEAM",)),
    ]
    by_number = {r.number: r for r in view.rows}
    # Each criterion's own score stays on its scale.
    assert by_number["0003"].criterion_scores["PROBLEMSOLVER"] == 4
    assert by_number["0003"].criterion_scores["TEAM"] == 5
    strength = next(c for c in view.criteria if c.code == "PROBLEMSOLVER")
    assert (strength.own_scale, strength.low, strength.high, strength.pass_mark) == (
        True,
        1,
        4,
        3,
    )
    assert view.totals_note == (
        "Totals put each criterion on the 1 to 7 scale: Problem Solver's 1 to 4 counts as "
        "1, 3, 5, 7. Each criterion's own score and pass mark stay on its scale."
    )


def test_a_campaign_file_keeps_the_strengths_own_scale(demo, tmp_path: Path):
    ctx, _campaign_id, _stages = demo
    path = export_campaign(ctx, "283922", tmp_path / "demo.json")
    copy = import_campaign(ctx, path, reference="COPY-1")
    interview = stages_overview(ctx, copy.id).stages[2]
    strength = next(c for c in interview.to_json()["criteria"] if c["code"] == "PROBLEMSOLVER")
    assert strength == {"code": "PROBLEMSOLVER", "weight": 1.0, "pass_mark": 3, **OWN}
