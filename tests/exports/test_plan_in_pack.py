"""The question plan in the panel pack: each candidate's questions in order with probes,
minutes and room for notes; in the chair's copy, the chair's brief with running order,
scripts and timing (tests/exports/test_chair_copy.py sets the two copies side by side)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from exports.panel_pack import (
    CHAIR_BRIEF_INTRO,
    DEVIATIONS_INTRO,
    QUESTIONS_INTRO,
    render_panel_pack,
)
from recruit_app.readmodels import PackPlanCriterion, PackPlanQuestion, PanelPackDocument
from tests.exports.test_panel_pack import THEME, body, interview_doc, outline_of, pages_of

PLAN = (
    PackPlanCriterion(
        "PROG",
        "Programming/software development",
        (
            PackPlanQuestion(
                1,
                "Describe a complex piece of software you led.",
                ("What was your part?", "What would you change?"),
                10,
                False,
                None,
            ),
            PackPlanQuestion(2, "How do you choose a library?", (), 5, False, None),
        ),
    ),
    PackPlanCriterion(
        "TEST",
        "Testing",
        (
            PackPlanQuestion(
                3,
                "What energises you about testing <b> & co?",
                ("When did you last enjoy it?",),
                50,
                True,
                None,
            ),
        ),
    ),
)
QUESTIONS = (
    "PROG Programming/software development "
    "1. Describe a complex piece of software you led. 10 minutes "
    "Probes • What was your part? • What would you change? Notes "
    "2. How do you choose a library? 5 minutes Notes "
    "TEST Testing "
    "3. What energises you about testing <b> & co? "
    "50 minutes · unseen: not sent to candidates in advance "
    "Probes • When did you last enjoy it? Notes"
)
WARNING = "The plan takes 65 minutes; the slots are 60 minutes long."


def planned(**kw: object) -> PanelPackDocument:
    values: dict[str, object] = {
        "plan": PLAN,
        "welcome_script": "Welcome, and thank you for coming.\n\nI chair this panel.",
        "close_script": "Thank you. We will write within two weeks.",
        "slot_minutes": 60,
        "plan_warnings": (WARNING,),
    }
    values.update(kw)
    return replace(interview_doc(), **values)  # type: ignore[arg-type]


def test_each_candidate_has_the_questions_in_order_after_their_score_sheet(tmp_path: Path):
    path = render_panel_pack(planned(), tmp_path / "pack.pdf", THEME)
    texts = [body(t) for t in pages_of(path)]
    intro = f"{QUESTIONS_INTRO} 65 minutes of questions; the slots are 60 minutes long."
    found = [i for i, t in enumerate(texts) if t.startswith("Interview questions")]
    assert [texts[i] for i in found] == [
        f"Interview questions · Video interview 0001 Siân Evans: questions {intro} {QUESTIONS}",
        f"Interview questions · Video interview 0003 Łukasz Nowak: questions {intro} {QUESTIONS}",
    ]
    # Each follows its candidate's score sheet, and is no bookmark of its own.
    assert texts[found[0] - 4].startswith("Score sheet · Video interview 0001 Siân Evans")
    assert texts[found[1] - 4].startswith("Score sheet · Video interview 0003 Łukasz Nowak")
    outline = [(depth, title) for depth, title, _ in outline_of(PdfReader(path))]
    assert outline == [
        (0, "Cover"),
        (0, "Schedule"),
        (0, "Question plan"),
        (0, "Candidates"),
        (0, "Score sheets"),
        (1, "0001 Siân Evans"),
        (1, "0003 Łukasz Nowak"),
    ]


def test_the_chairs_brief_has_the_running_order_scripts_and_timing(tmp_path: Path):
    path = render_panel_pack(planned(chair_copy=True), tmp_path / "pack.pdf", THEME)
    texts = [body(t) for t in pages_of(path)]
    brief = next(t for t in texts if t.startswith("Chair's brief"))
    assert brief == (
        f"Chair's brief {CHAIR_BRIEF_INTRO} "
        "Running order Day Time Candidate "
        "Mon 7 Dec 09:30–10:30 0001 Siân Evans Mon 7 Dec 10:45–11:45 0003 Łukasz Nowak "
        "Welcome Welcome, and thank you for coming. I chair this panel. "
        "Timing guide Question Criterion Minutes Running total "
        "1 PROG 10 10 2 PROG 5 15 3 TEST 50 65 "
        "65 minutes of questions; the slots are 60 minutes long. "
        f"Timing {WARNING} "
        "Close Thank you. We will write within two weeks. "
        f"Departures from the plan so far {DEVIATIONS_INTRO} None recorded so far."
    )


def test_a_long_plan_says_whose_notes_each_page_holds(tmp_path: Path):
    many = tuple(
        PackPlanQuestion(n, f"Question number {n}?", ("A probe?",), 5, False, date(2026, 12, 1))
        for n in range(1, 9)
    )
    doc = planned(plan=(PackPlanCriterion("PROG", "Programming", many),), plan_warnings=())
    texts = [body(t) for t in pages_of(render_panel_pack(doc, tmp_path / "p.pdf", THEME))]
    first = next(i for i, t in enumerate(texts) if t.startswith("Interview questions"))
    assert "5 minutes · sent to candidates on Tuesday 1 December 2026" in texts[first]
    following = texts[first + 1]
    assert following.startswith("0001 Siân Evans: questions (continued) ")
    asked = " ".join(texts[first : first + 4])
    numbers = [n for n in range(1, 9) if f"{n}. Question number {n}?" in asked]
    assert numbers == list(range(1, 9))


def test_no_plan_no_brief_and_no_question_pages(tmp_path: Path):
    texts = pages_of(render_panel_pack(interview_doc(), tmp_path / "pack.pdf", THEME))
    assert not any("Chair's brief" in t or "Interview questions" in t for t in texts)


def test_scripts_alone_make_a_brief_without_a_timing_guide(tmp_path: Path):
    doc = planned(plan=(), plan_warnings=(), close_script="", chair_copy=True)
    texts = [body(t) for t in pages_of(render_panel_pack(doc, tmp_path / "pack.pdf", THEME))]
    brief = next(t for t in texts if t.startswith("Chair's brief"))
    assert brief.endswith("Welcome Welcome, and thank you for coming. I chair this panel.")
    assert not any(t.startswith("Interview questions") for t in texts)
