"""Stages, timetable, slots and calendar commands on the demo campaign."""

from __future__ import annotations

import json
from datetime import date, timedelta

import icalendar
import pytest

from recruit_app.cli import main
from recruit_app.domain.dates import monday_of

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def run_json(capsys, *args):
    return json.loads(run(capsys, *args, "--json"))


def test_stages_list_json(capsys, db_url):
    run(capsys, "--db", db_url, "demo")
    stages = run_json(capsys, "--db", db_url, "stages", "list", "283922")
    sift_week = monday_of(date.today()) - timedelta(weeks=1)
    assert [(s["name"], s["kind"], s["name_blind"]) for s in stages] == [
        ("CV sift", "sift", True),
        ("Technical exercise", "technical_exercise", False),
        ("Video interview", "video_interview", False),
    ]
    assert stages[0]["starts_on"] == sift_week.isoformat()
    assert stages[2]["starts_on"] == (sift_week + timedelta(weeks=3)).isoformat()
    assert [c["code"] for c in stages[1]["criteria"]] == ["PROG", "SWDN", "TEST"]
    assert [(p["name"], p["role"]) for p in stages[2]["panel"]] == [
        ("Tom Okonkwo", "chair"),
        ("Marek Kowalski", "independent"),
        ("Hannah Lee", "member"),
    ]


def test_timetable_json(capsys, sqlite_url):
    run(capsys, "--db", sqlite_url, "demo")
    timetable = run_json(capsys, "--db", sqlite_url, "timetable", "283922")
    labels = [d["label"] for d in timetable["dates"]]
    assert labels == [
        "Advert opens",
        "Online information event, 12:00 to 13:00",
        "Advert closes",
        "CV sift",
        "Technical exercise",
        "Video interview",
        "Decisions",
        "Expected start date",
    ]
    assert timetable["region"] == "england-and-wales"
    assert all(f["severity"] == "warning" for f in timetable["findings"])


def test_slots_plan_and_ics(capsys, sqlite_url, tmp_path):
    run(capsys, "--db", sqlite_url, "demo")
    plan = run_json(
        capsys,
        "--db",
        sqlite_url,
        "slots",
        "plan",
        "283922",
        "--stage",
        "video interview",
        "--auto",
    )
    booked = [s for s in plan["slots"] if s["candidate"]]
    assert len(plan["slots"]) == 20 and len(booked) == 8
    assert plan["unplaced"] == []
    assert booked[0]["time"] == "09:30" and booked[0]["panel_members"] == [
        "Hannah Lee",
        "Marek Kowalski",
        "Tom Okonkwo",
    ]
    out = run(
        capsys,
        "--db",
        sqlite_url,
        "export",
        "ics",
        "283922",
        "--stage",
        "Video interview",
        "--out",
        str(tmp_path),
    )
    files = sorted(p.rsplit("/", 1)[-1] for p in out.split())
    assert len(files) == 1 + 3 + 8  # the schedule, three panel members, eight candidates
    schedule = icalendar.Calendar.from_ical(
        (tmp_path / "283922-video-interview-schedule.ics").read_bytes()
    )
    assert len(list(schedule.walk("VEVENT"))) == 8


def test_unknown_stage_names_the_stages(capsys, sqlite_url):
    run(capsys, "--db", sqlite_url, "demo")
    code = main(["--db", sqlite_url, "slots", "plan", "283922", "--stage", "Lunch"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "283922 has no stage called 'Lunch' (its stages: CV sift, Technical exercise, "
        "Video interview)." in err
    )
