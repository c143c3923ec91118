"""Departures from a stage's question plan on real databases: recorded and listed through the
services and the command line, who may list them, numbers only at a name-blind stage, none
without a plan, and printed in the chair's copy of the panel pack and the campaign report."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import Candidate, Person, PlanDeviation, Stage
from recruit_app.cli import main
from recruit_app.domain.dates import london_date, short_date
from recruit_app.errors import PermissionDenied, ValidationError
from recruit_app.services.campaign_report import (
    campaign_report_document,
    export_campaign_report,
)
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.panel_pack import export_panel_pack, panel_pack_document
from recruit_app.services.plans import record_deviation, stage_deviations
from recruit_app.services.retention import erase_candidate
from recruit_app.services.stages import update_stage

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

DEMO_DAY = date(2026, 11, 25)
REFERENCE = "283922"
VIDEO = "Video interview"
SKIPPED = "Question 4 was not asked: the candidate's connection dropped."
ADDED = "Asked one more question about testing, <b> & co:\n\n- on pairing"


@pytest.fixture
def demo(ctx):
    build_demo(ctx, today=DEMO_DAY)
    with ctx.db.session() as session:
        stages = {s.name: s.id for s in session.exec(select(Stage))}
        candidates = {c.candidate_number: c.id for c in session.exec(select(Candidate))}
    return ctx, stages, candidates


def _as(ctx, name: str):
    with ctx.db.session() as session:
        found = session.exec(select(Person).where(Person.name == name)).one()
        return replace(ctx, actor=Actor(found.name, found.role, found.id))


def _names(ctx) -> set[str]:
    with ctx.db.session() as session:
        return {
            f"{c.first_name} {c.last_name}"
            for c in session.exec(select(Candidate))
            if c.first_name and c.last_name
        }


def _text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _without_headers(path: Path) -> str:
    """The PDF's text without the running header and footer of each page."""
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]
    return " ".join(re.sub(r"^.*? Page \d+ of \d+ ?", "", t, count=1) for t in pages)


def _recorded(ctx, stages, candidates):
    """Marek (independent member) records one, the manager another, in that order."""
    marek = _as(ctx, "Marek Kowalski")
    first = record_deviation(marek, stages[VIDEO], candidates["0003"], SKIPPED)
    second = record_deviation(ctx, stages[VIDEO], candidates["0001"], ADDED)
    return marek, first, second


# --- the service ---------------------------------------------------------------------


def test_listed_oldest_first_by_number_for_the_stages_panel_and_managers(demo):
    ctx, stages, candidates = demo
    assert stage_deviations(ctx, stages[VIDEO]) == []
    marek, first, second = _recorded(ctx, stages, candidates)
    listed = stage_deviations(marek, stages[VIDEO])
    assert listed == [first, second] == stage_deviations(ctx, stages[VIDEO])
    assert [(d.candidate_number, d.note, d.recorded_by) for d in listed] == [
        ("0003", SKIPPED, "Marek Kowalski"),
        ("0001", ADDED.strip(), "Alex Manager"),
    ]
    assert listed[0].recorded_at <= listed[1].recorded_at
    assert listed[0].recorded_at.utcoffset() == timedelta(0)
    # The other stages have none of them.
    assert stage_deviations(ctx, stages["CV sift"]) == []
    # A panel member of another stage only: refused, naming the role.
    with pytest.raises(PermissionDenied, match="panel member"):
        stage_deviations(marek, stages["Technical exercise"])


def test_a_name_blind_stage_lists_candidate_numbers_only(demo):
    ctx, stages, candidates = demo
    update_stage(ctx, stages[VIDEO], {"name_blind": True}, expected_version=None)
    _recorded(ctx, stages, candidates)
    tom = _as(ctx, "Tom Okonkwo")
    listed = stage_deviations(tom, stages[VIDEO])
    assert [d.candidate_number for d in listed] == ["0003", "0001"]
    seen = repr(listed) + json.dumps([d.to_json() for d in listed])
    assert not [name for name in _names(ctx) if name in seen]


def test_no_plan_no_departure_and_an_erased_candidates_is_gone(demo):
    ctx, stages, candidates = demo
    with pytest.raises(ValidationError) as refused:
        record_deviation(ctx, stages["Technical exercise"], candidates["0001"], "Skipped one.")
    assert refused.value.field == "stage"
    assert refused.value.message == (
        "Technical exercise has no question plan to depart from: set its questions first."
    )
    with ctx.db.session() as session:
        assert session.exec(select(PlanDeviation)).all() == []
    _recorded(ctx, stages, candidates)
    erase_candidate(ctx, candidates["0003"], reason="asked")
    assert [d.candidate_number for d in stage_deviations(ctx, stages[VIDEO])] == ["0001"]


def test_a_nul_or_control_character_is_left_out_not_a_crash(demo):
    """PostgreSQL cannot store NUL in text, and a PDF cannot print a control character."""
    ctx, stages, candidates = demo
    view = record_deviation(
        ctx, stages[VIDEO], candidates["0003"], "Skip\x00ped\x07 one.\n\tThen\x1b."
    )
    assert view.note == "Skipped one.\n\tThen."
    assert [d.note for d in stage_deviations(ctx, stages[VIDEO])] == [view.note]
    with pytest.raises(ValidationError):
        record_deviation(ctx, stages[VIDEO], candidates["0003"], "\x00 \x07")


# --- the command line ----------------------------------------------------------------


def test_record_and_list_from_the_command_line(demo, capsys, db_url):
    ctx, stages, candidates = demo
    base = ["--db", db_url, "stages"]
    record = [*base, "deviation", REFERENCE, "--stage", "video interview"]
    code = main([*record, "--candidate", "0003", "--note", SKIPPED])
    out, err = capsys.readouterr()
    assert (code, out, err) == (
        0,
        "Recorded a departure from the question plan with candidate 0003.\n",
        "",
    )
    record_deviation(ctx, stages[VIDEO], candidates["0001"], ADDED)
    code = main([*base, "deviations", REFERENCE, "--stage", VIDEO, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    listed = json.loads(out)
    assert [sorted(d) for d in listed] == [["candidate", "note", "recorded_at", "recorded_by"]] * 2
    by_cli = "Ada Admin" if db_url.startswith("postgresql") else Actor.local_owner().name
    assert [(d["candidate"], d["note"], d["recorded_by"]) for d in listed] == [
        ("0003", SKIPPED, by_cli),
        ("0001", ADDED.strip(), "Alex Manager"),
    ]
    moments = [datetime.fromisoformat(d["recorded_at"]) for d in listed]
    assert all(m.utcoffset() == timedelta(0) for m in moments) and moments[0] <= moments[1]

    code = main([*base, "deviations", REFERENCE, "--stage", VIDEO])
    out, _err = capsys.readouterr()
    lines = [line.rstrip() for line in out.splitlines()]
    assert code == 0 and lines[0].split() == ["Candidate", "Recorded", "By", "Note"]
    assert lines[1].startswith("0003 ") and lines[1].endswith(SKIPPED)
    # A note over several lines is one line of the listing.
    assert lines[2].endswith("Asked one more question about testing, <b> & co: - on pairing")
    assert len(lines) == 3

    code = main([*base, "deviations", REFERENCE, "--stage", "CV sift"])
    assert (code, capsys.readouterr().out) == (0, "No departures from the plan recorded.\n")
    code = main([*base, "deviations", REFERENCE, "--stage", "CV sift", "--json"])
    assert (code, json.loads(capsys.readouterr().out)) == (0, [])


@pytest.mark.parametrize(
    ("stage", "candidate", "note", "message"),
    [
        (VIDEO, "0003", "   ", "Say how the interview departed from the plan."),
        (VIDEO, "0099", "Skipped.", "283922 has no candidate numbered '0099'."),
        ("Nope", "0003", "Skipped.", "283922 has no stage called 'Nope'"),
        (
            "Technical exercise",
            "0001",
            "Skipped.",
            "Technical exercise has no question plan to depart from",
        ),
    ],
)
def test_the_command_line_refuses_in_words_and_records_nothing(
    demo, capsys, db_url, stage, candidate, note, message
):
    ctx, _stages, _candidates = demo
    record = ["--db", db_url, "stages", "deviation", REFERENCE, "--stage", stage]
    code = main([*record, "--candidate", candidate, "--note", note])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith(f"recruit-app: {message}")
    with ctx.db.session() as session:
        assert session.exec(select(PlanDeviation)).all() == []


def test_the_chairs_copy_from_the_command_line(demo, capsys, db_url, tmp_path):
    ctx, stages, candidates = demo
    record_deviation(ctx, stages[VIDEO], candidates["0003"], SKIPPED)
    pack = ["--db", db_url, "export", "pack", REFERENCE, "--kind", "panel", "--stage", VIDEO]
    assert main([*pack, "--out", str(tmp_path / "panel.pdf")]) == 0
    assert main([*pack, "--chair-copy", "--out", str(tmp_path / "chair.pdf")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Wrote the panel pack to {tmp_path / 'panel.pdf'}",
        f"Wrote the panel pack (the chair's copy) to {tmp_path / 'chair.pdf'}",
    ]
    welcome = "Welcome, and thank you for joining us."
    panel, chair = _text(tmp_path / "panel.pdf"), _text(tmp_path / "chair.pdf")
    for words in (welcome, "Running order", "Departures from the plan so far", SKIPPED):
        assert words not in panel and words in chair, words
    assert "Timing guide" in panel and "Timing guide" in chair
    # Only the panel pack has a chair's copy.
    report = ["--db", db_url, "export", "pack", REFERENCE, "--kind", "report"]
    code = main([*report, "--chair-copy", "--out", str(tmp_path / "report.pdf")])
    assert code == 1 and not (tmp_path / "report.pdf").exists()
    assert capsys.readouterr().err == (
        "recruit-app: The chair's copy is a copy of the panel pack, not of the campaign report.\n"
    )


# --- the chair's copy and the campaign report -------------------------------------------


def test_the_chairs_copy_reads_the_departures_and_the_panels_copy_does_not(demo):
    ctx, stages, candidates = demo
    _recorded(ctx, stages, candidates)
    hannah = _as(ctx, "Hannah Lee")  # a member of the interview panel, not its chair
    plain = panel_pack_document(hannah, stages[VIDEO])
    chair = panel_pack_document(hannah, stages[VIDEO], chair_copy=True)
    assert (plain.chair_copy, plain.deviations, plain.has_chair_brief) == (False, (), False)
    today = london_date(stage_deviations(ctx, stages[VIDEO])[0].recorded_at)
    assert [(d.candidate_number, d.recorded_by, d.recorded_on) for d in chair.deviations] == [
        ("0003", "Marek Kowalski", today),
        ("0001", "Alex Manager", today),
    ]
    assert chair.has_chair_brief and chair.welcome_script == plain.welcome_script


def test_the_chairs_copy_at_a_name_blind_stage_names_nobody(demo, tmp_path):
    ctx, stages, candidates = demo
    update_stage(ctx, stages[VIDEO], {"name_blind": True}, expected_version=None)
    _recorded(ctx, stages, candidates)
    tom = _as(ctx, "Tom Okonkwo")
    path = export_panel_pack(tom, stages[VIDEO], tmp_path / "chair.pdf", chair_copy=True)
    text = _without_headers(path)
    assert "Running order Day Time Candidate" in text
    assert "Candidate 0003 · recorded " in text and f"by Marek Kowalski {SKIPPED}" in text
    assert not [name for name in _names(ctx) if name in text]


def test_the_campaign_report_lists_the_departures_per_stage_by_number(demo, tmp_path):
    ctx, stages, candidates = demo
    _marek, first, second = _recorded(ctx, stages, candidates)
    document = campaign_report_document(ctx, _campaign(ctx))
    assert [(s.stage, [d.candidate_number for d in s.lines]) for s in document.deviations] == [
        (VIDEO, ["0003", "0001"])
    ]
    path = export_campaign_report(ctx, _campaign(ctx), tmp_path / "report.pdf")
    text = _without_headers(path)
    day = short_date(london_date(first.recorded_at))
    assert text.endswith(
        "Departures from the question plan Every candidate at an interview stage is asked the "
        "same questions in the same order. Where an interview departed from the stage's plan "
        "(a question left out, added or asked differently) the panel recorded it; these are "
        "those records. Candidates are shown by number only. "
        f"{VIDEO} 2 departures recorded. "
        f"Candidate 0003 · recorded {day} by Marek Kowalski {SKIPPED} "
        f"Candidate 0001 · recorded {short_date(london_date(second.recorded_at))} by Alex "
        "Manager Asked one more question about testing, <b> & co: • on pairing"
    )
    section = text[text.index("Departures from the question plan") :]
    assert not [name for name in _names(ctx) if name in section]


def _campaign(ctx) -> int:
    from recruit_app.services.adverts import campaign_id_for

    return campaign_id_for(ctx, REFERENCE)
