"""The panel's copy of the panel pack against the chair's copy: the same questions, probes,
room for notes and timing guide in both; only the chair's copy has the running order, the
welcome and close script and the departures from the plan recorded so far."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from exports.panel_pack import (
    CHAIR_BRIEF_INTRO,
    DEVIATIONS_INTRO,
    PLAN_INTRO,
    render_panel_pack,
)
from recruit_app.readmodels import PlanDeviationLine
from tests.exports.test_panel_pack import THEME, body, outline_of, pages_of, person, slot
from tests.exports.test_plan_in_pack import WARNING, planned

WELCOME = "Welcome, and thank you for coming."
CLOSE = "Thank you. We will write within two weeks."
TIMING = (
    "Timing guide Question Criterion Minutes Running total "
    "1 PROG 10 10 2 PROG 5 15 3 TEST 50 65 "
    "65 minutes of questions; the slots are 60 minutes long. "
    f"Timing {WARNING}"
)
RUNNING_ORDER = (
    "Running order Day Time Candidate "
    "Mon 7 Dec 09:30–10:30 0001 Siân Evans Mon 7 Dec 10:45–11:45 0003 Łukasz Nowak"
)
DEVIATIONS = (
    PlanDeviationLine(
        "0003", "Question 2 was not asked: the call dropped.", "Marek Kowalski", date(2026, 12, 7)
    ),
    PlanDeviationLine(
        "0001", "Asked a question of our own <b> & more:\n\n- about Rust", "", date(2026, 12, 8)
    ),
)


def _texts(path: Path) -> list[str]:
    return [body(t) for t in pages_of(path)]


def _both(tmp_path: Path, **kw: object) -> tuple[list[str], list[str]]:
    doc = planned(welcome_script=WELCOME, close_script=CLOSE, **kw)
    ordinary = render_panel_pack(doc, tmp_path / "panel.pdf", THEME)
    chair = render_panel_pack(
        replace(doc, chair_copy=True, deviations=DEVIATIONS), tmp_path / "chair.pdf", THEME
    )
    return _texts(ordinary), _texts(chair)


def test_the_panels_copy_has_the_plan_but_no_script_nor_running_order(tmp_path: Path):
    ordinary, chair = _both(tmp_path)
    whole = " ".join(ordinary)
    for absent in (WELCOME, CLOSE, "Running order", "Chair's brief", "Question 2 was not asked"):
        assert absent not in whole, absent
    # The timing guide, once, after the schedule.
    plan_page = next(t for t in ordinary if t.startswith("Question plan"))
    assert plan_page == f"Question plan {PLAN_INTRO} {TIMING}"
    # The questions, probes and notes for every candidate, the same in both copies.
    questions = [t for t in ordinary if t.startswith("Interview questions")]
    assert len(questions) == 2
    assert questions == [t for t in chair if t.startswith("Interview questions")]
    assert "Probes • What was your part? • What would you change? Notes" in questions[0]


def test_the_chairs_copy_adds_the_brief_with_the_departures(tmp_path: Path):
    _ordinary, chair = _both(tmp_path)
    brief = next(t for t in chair if t.startswith("Chair's brief"))
    assert brief == (
        f"Chair's brief {CHAIR_BRIEF_INTRO} {RUNNING_ORDER} "
        f"Welcome {WELCOME} {TIMING} Close {CLOSE} "
        f"Departures from the plan so far {DEVIATIONS_INTRO} "
        "Candidate 0003 · recorded Mon 7 Dec 2026 by Marek Kowalski "
        "Question 2 was not asked: the call dropped. "
        "Candidate 0001 · recorded Tue 8 Dec 2026 "
        "Asked a question of our own <b> & more: • about Rust"
    )
    assert not any(t.startswith("Question plan") for t in chair)  # the brief has the guide


def test_the_copies_say_which_they_are_and_have_their_own_outline(tmp_path: Path):
    doc = planned()
    ordinary = PdfReader(render_panel_pack(doc, tmp_path / "panel.pdf", THEME))
    chair = PdfReader(
        render_panel_pack(replace(doc, chair_copy=True), tmp_path / "chair.pdf", THEME)
    )
    assert ordinary.metadata.title == "Panel pack: Video interview, 283922"
    assert chair.metadata.title == "Panel pack (chair's copy): Video interview, 283922"
    assert body(pages_of(tmp_path / "chair.pdf")[0]).startswith(
        "Home Office Panel pack (chair's copy): Video interview 283922 Software Developer"
    )
    titles = [[t for d, t, _ in outline_of(r) if d == 0] for r in (ordinary, chair)]
    assert titles == [
        ["Cover", "Schedule", "Question plan", "Candidates", "Score sheets"],
        ["Cover", "Schedule", "Chair's brief", "Candidates", "Score sheets"],
    ]


def test_a_long_departure_runs_across_pages_by_number_only_at_a_name_blind_stage(
    tmp_path: Path,
):
    """A note of the most the service keeps (5,000 characters) is no table cell to outgrow
    a page; at a name-blind stage the running order and the departures show numbers only."""
    first = slot(7, "09:30", "10:30", "0001", "Candidate 0001")
    blind = planned(
        name_blind=True,
        slots=(first,),
        candidates=(person("0001", "Siân", "Evans", blind=True, slot=first),),
        chair_copy=True,
        deviations=(
            PlanDeviationLine("0001", " ".join(["word"] * 1000)[:5000], "Tom", date(2026, 12, 7)),
        ),
    )
    texts = _texts(render_panel_pack(blind, tmp_path / "blind.pdf", THEME))
    start = next(i for i, t in enumerate(texts) if t.startswith("Chair's brief"))
    brief = " ".join(texts[start : start + 3])
    assert "Running order Day Time Candidate Mon 7 Dec 09:30–10:30 Candidate 0001 " in brief
    assert "Candidate 0001 · recorded Mon 7 Dec 2026 by Tom word word" in brief
    assert brief.count("word") == 1000
    assert texts[start + 1].startswith("word") or texts[start + 2].startswith("word")
    assert "Siân" not in " ".join(texts)


def test_no_plan_and_no_script_leaves_the_chairs_copy_without_a_brief_unless_departures(
    tmp_path: Path,
):
    bare = planned(plan=(), plan_warnings=(), welcome_script="", close_script="", chair_copy=True)
    texts = _texts(render_panel_pack(bare, tmp_path / "bare.pdf", THEME))
    assert not any(t.startswith(("Chair's brief", "Question plan")) for t in texts)
    # A plan emptied after departures were recorded: they are still listed.
    kept = replace(bare, deviations=DEVIATIONS[:1])
    texts = _texts(render_panel_pack(kept, tmp_path / "kept.pdf", THEME))
    brief = next(t for t in texts if t.startswith("Chair's brief"))
    assert brief.endswith(
        f"Departures from the plan so far {DEVIATIONS_INTRO} "
        "Candidate 0003 · recorded Mon 7 Dec 2026 by Marek Kowalski "
        "Question 2 was not asked: the call dropped."
    )
