"""A whole campaign scripted from the command line alone, from a role template to the
merged outcome letters, on SQLite and PostgreSQL: every step is `main([...])`."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

REF = "SCRIPT-1"
SIFT = "CV sift"
EXERCISE = "Technical exercise"
CHAIR, MEMBER = "priya.chair@example.gov.uk", "dan.member@example.gov.uk"
CRITERIA = ("EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6")
# Each candidate's score on every sift criterion from both assessors, but for candidate
# 0003's EXP2, where they differ by 4 (the stage asks for moderation beyond 2).
SCORES = {"0001": 5, "0002": 6, "0003": 4, "0004": 3}
FEEDBACK = "Your examples did not show enough depth."


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_a_campaign_from_template_to_letters(capsys, db_url: str, tmp_path: Path) -> None:
    def run(*words: str) -> str:
        code = main(["--db", db_url, *words])
        out, err = capsys.readouterr()
        assert code == 0, f"{' '.join(words)}: {err}"
        return out

    def run_json(*words: str) -> Any:
        return json.loads(run(*words, "--json"))

    # Dates ahead of today, wherever the test runs: closing in six weeks, the sift the
    # Monday after, the exercise a fortnight later.
    today = date.today()
    closes = today + timedelta(days=42)
    sift_starts = closes + timedelta(days=7 - closes.weekday())
    exercise_starts = sift_starts + timedelta(days=14)
    reserve_until = today + timedelta(days=500)

    created = run_json(
        "campaign", "create", "--template", "DDAT-DEV-SEO", "--title", "Senior Developer",
        "--reference", REF,
    )  # fmt: skip
    assert (created["reference"], created["status"]) == (REF, "draft")

    # --- the advert, field by field, then published --------------------------------------
    for field, value in (
        ("about_organisation", "We build the digital services of the department."),
        ("how_to_apply", "Apply online through Civil Service Jobs."),
        ("terms_and_conditions", "Civil Service terms and conditions apply."),
        ("contact_email", "jobs@example.gov.uk"),
        ("offers_feedback", "yes"),
    ):
        run("advert", "set", REF, field, value)
    saved = run_json("advert", "set", REF, "closes_at", f"{closes.isoformat()} 23:55")
    assert saved["field"] == "closes_at" and saved["value"].startswith(f"{closes}T23:55:00")
    set_list = run_json("advert", "set", REF, "locations", "Leeds", "Newport")
    assert set_list["value"] == ["Leeds", "Newport"]
    assert run("advert", "publish", REF).startswith(f"Published version 1 of the advert for {REF}")

    # --- stages, people and panels ---------------------------------------------------------
    edited = run_json(
        "stages", "edit", REF, "--stage", SIFT, "--starts-on", sift_starts.isoformat(),
        "--ends-on", (sift_starts + timedelta(days=4)).isoformat(), "--progress-rule", "top_n",
        "--progress-count", "2",
    )  # fmt: skip
    assert (edited["starts_on"], edited["progress_rule"], edited["progress_count"]) == (
        sift_starts.isoformat(),
        "top_n",
        2,
    )
    run(
        "stages", "edit", REF, "--stage", EXERCISE, "--starts-on", exercise_starts.isoformat(),
        "--ends-on", (exercise_starts + timedelta(days=4)).isoformat(),
    )  # fmt: skip
    for name, email in (("Priya Chair", CHAIR), ("Dan Member", MEMBER)):
        added = run_json("users", "add", "--name", name, "--email", email)
        assert added == {"name": name, "email": email, "role": "panel_member", "active": True}
    for stage in (SIFT, EXERCISE):
        run("panels", "set", REF, "--stage", stage, "--seat", f"{CHAIR}:chair", "--seat", MEMBER)
    assert run_json("panels", "list", REF, "--stage", SIFT) == [
        {"name": "Priya Chair", "email": CHAIR, "role": "chair", "panel": 1},
        {"name": "Dan Member", "email": MEMBER, "role": "member", "panel": 1},
    ]

    # --- candidates and the sift's scores ---------------------------------------------------
    people = tmp_path / "candidates.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate_number", "first_name", "last_name", "email"])
        for number, first, last in (
            ("0001", "Ann", "Archer"),
            ("0002", "Ben", "Baker"),
            ("0003", "Cat", "Carter"),
            ("0004", "Dev", "Dyer"),
        ):
            writer.writerow([number, first, last, f"{first.lower()}@example.com"])
    imported = run_json("candidates", "import", REF, str(people))
    assert (imported["imported"], imported["skipped"]) == (4, [])

    scores = tmp_path / "sift.csv"
    with scores.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate_number", "criterion", "assessor", "score", "evidence"])
        for number, score in SCORES.items():
            for code in CRITERIA:
                for assessor in (CHAIR, MEMBER):
                    given = score
                    if (number, code) == ("0003", "EXP2"):
                        given = 7 if assessor == CHAIR else 3
                    writer.writerow([number, code, assessor, given, f"Seen in the CV: {code}."])
    assert run_json("scores", "import", REF, "--stage", SIFT, str(scores))["imported"] == 48

    flagged = run_json("scores", "moderation", REF, "--stage", SIFT, "--flagged")
    assert [(p["candidate"], p["criterion"], p["spread"]) for p in flagged] == [
        ("0003 Cat Carter", "EXP2", 4.0)
    ]
    blocked = run("results", REF, "--stage", SIFT)
    assert "needs an agreed score after moderation (candidate 0003: EXP2" in blocked
    agreed = run_json(
        "scores", "agree", REF, "--stage", SIFT, "--candidate", "0003", "--criterion", "EXP2",
        "--score", "6", "--rationale", "The example showed clear impact.",
    )  # fmt: skip
    assert (agreed["agreed"], agreed["rationale"]) == (6, "The example showed clear impact.")

    # --- the merit order, outcomes and finalising -------------------------------------------
    order = run_json("results", REF, "--stage", SIFT)
    assert [
        (r["rank"], r["candidate_number"], r["total"], r["passed"], r["progresses"]) for r in order
    ] == [
        (1, "0002", 36.0, True, True),
        (2, "0001", 30.0, True, True),
        (3, "0003", 26.0, True, False),
        (None, "0004", 18.0, False, False),
    ]
    reserve = run_json(
        "results", "set-outcome", REF, "--stage", SIFT, "0003", "--outcome", "reserve",
        "--reason", "Passed; third in merit order.",
    )  # fmt: skip
    assert (reserve["outcome"], reserve["rank"]) == ("reserve", 3)
    final = run_json("results", "finalise", REF, "--stage", SIFT)
    assert [(r["candidate_number"], r["outcome"]) for r in final] == [
        ("0002", "progress"),
        ("0001", "progress"),
        ("0003", "reserve"),
        ("0004", "reject"),
    ]
    extended = run_json(
        "results", "extend-reserve", REF, "--stage", SIFT, "0003", "--until",
        reserve_until.isoformat(), "--approved-by", "Jo Director",
    )  # fmt: skip
    assert extended == {"candidate_number": "0003", "reserve_expires_on": str(reserve_until)}
    feedback = run_json("results", "feedback", REF, "--stage", SIFT, "0004", "--text", FEEDBACK)
    assert (feedback["outcome"], feedback["feedback"]) == ("reject", FEEDBACK)

    # --- the next stage's slots ---------------------------------------------------------------
    planned = run_json("slots", "plan", REF, "--stage", EXERCISE, "--auto")
    booked = [s for s in planned["slots"] if s["candidate"]]
    assert sorted(s["candidate"].split()[0] for s in booked) == ["0001", "0002"]
    late = exercise_starts + timedelta(days=4)
    moved = run_json(
        "slots", "move", REF, "--stage", EXERCISE, "--candidate", "0001", "--to",
        f"{late.isoformat()} 17:15",
    )  # fmt: skip
    assert (moved["candidate_number"], moved["starts_at"][:16]) == ("0001", f"{late}T17:15")
    listed = run_json("slots", "list", REF, "--stage", EXERCISE)
    assert [s["starts_at"][:16] for s in listed if s["candidate_number"] == "0001"] == [
        f"{late}T17:15"
    ]

    # --- the merged outcome letters -------------------------------------------------------------
    letters = tmp_path / "letters.pdf"
    run(
        "export",
        "pack",
        REF,
        "--kind",
        "letters",
        "--stage",
        SIFT,
        "--merge",
        "--out",
        str(letters),
    )
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(letters).pages]
    assert len(pages) == 4  # one page a letter, in candidate order
    assert [next(line for line in p.splitlines() if line.startswith("Dear ")) for p in pages] == [
        "Dear Ann,",
        "Dear Ben,",
        "Dear Cat,",
        "Dear Dev,",
    ]
    assert (
        f"We would like to keep you on our reserve list until {long_date(reserve_until)}."
        in pages[2]
    )
    assert FEEDBACK in pages[3] and FEEDBACK not in "".join(pages[:3])

    # --- and the audit trail tells the story ---------------------------------------------------
    trail = run_json("audit", "list", "--campaign", REF, "--limit", "500")
    actions = {e["action"] for e in trail["events"]}
    assert {
        "advert.save",
        "stage.update",
        "stage.panel",
        "outcome.set",
        "reserve.extend",
        "outcome.feedback",
        "slots.move",
    } <= actions
    assert trail["total"] == len(trail["events"])
