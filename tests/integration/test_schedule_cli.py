"""Stages, timetable, slots and calendar commands on the demo campaign."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import icalendar
import pytest

from recruit_app.cli import main
from recruit_app.domain.dates import monday_of
from recruit_app.services.demo import demo_dates

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
    dates = demo_dates(date.today())
    sift_week = monday_of(date.today()) - timedelta(weeks=1)
    assert [(s["name"], s["kind"], s["name_blind"]) for s in stages] == [
        ("CV sift", "sift", True),
        ("Technical exercise", "technical_exercise", False),
        ("Video interview", "video_interview", False),
    ]
    # The week before today, or a week or two earlier when a bank holiday falls in it.
    assert stages[0]["starts_on"] == dates.day(date(2023, 5, 8)).isoformat()
    assert sift_week - timedelta(weeks=2) <= date.fromisoformat(stages[0]["starts_on"])
    assert date.fromisoformat(stages[0]["starts_on"]) <= sift_week
    # Three weeks later, or further when the interviews would meet a bank holiday.
    assert stages[2]["starts_on"] == dates.day(date(2023, 5, 29)).isoformat()
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


def test_a_sunday_closing_date_is_flagged_alike_by_advert_check_and_timetable(capsys, sqlite_url):
    from recruit_app.domain.dates import LONDON, long_date
    from recruit_app.services.adverts import campaign_id_for, get_advert, save_advert
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.services.database import open_db

    run(capsys, "--db", sqlite_url, "demo")
    db = open_db(sqlite_url)
    try:
        ctx = ServiceContext(db=db, actor=Actor.local_owner())
        campaign_id = campaign_id_for(ctx, "283922")
        form = get_advert(ctx, campaign_id)
        sunday = form.fields["closes_at"] + timedelta(days=3)  # the demo closes on a Thursday
        save_advert(
            ctx,
            campaign_id,
            fields={"closes_at": sunday},
            criteria=None,
            expected_version=form.version,
        )
    finally:
        db.dispose()
    day = sunday.astimezone(LONDON).date()
    assert day.weekday() == 6
    expected = [
        {
            "severity": "warning",
            "kind": "non-working-day",
            "field": "closes_at",
            "message": f"{long_date(day)} falls at a weekend, and the advert closes that day.",
            "text": "",
            "start": -1,
            "end": -1,
        }
    ]
    checked = run_json(capsys, "--db", sqlite_url, "advert", "check", "283922")
    timetable = run_json(capsys, "--db", sqlite_url, "timetable", "283922")
    assert [f for f in checked if f["kind"] == "non-working-day"] == expected
    assert [f for f in timetable["findings"] if f["kind"] == "non-working-day"] == expected


# --- slots list and slots cancel --------------------------------------------------------


def _slots(capsys, url, *more):
    return run_json(
        capsys, "--db", url, *more, "slots", "list", "283922", "--stage", "Video interview"
    )


def test_slots_list_json(capsys, db_url):
    from recruit_app.domain.dates import LONDON

    run(capsys, "--db", db_url, "demo")
    listed = _slots(capsys, db_url)
    assert len(listed) == 20
    assert all(
        set(s) == {"starts_at", "ends_at", "panel", "candidate_number", "status"} for s in listed
    )
    booked = [s for s in listed if s["status"] == "booked"]
    assert len(booked) == 8 and all(s["candidate_number"] for s in booked)
    assert {s["status"] for s in listed} == {"open", "booked"}
    assert all(s["candidate_number"] is None for s in listed if s["status"] == "open")
    first = listed[0]
    starts, ends = (datetime.fromisoformat(first[k]) for k in ("starts_at", "ends_at"))
    # UK wall-clock times with their offset: +00:00 in winter, +01:00 in summer.
    assert starts.utcoffset() == starts.astimezone(LONDON).utcoffset()
    assert (starts.hour, starts.minute, ends.hour, ends.minute) == (9, 30, 10, 30)
    assert first["panel"] == 1
    assert starts.date() == demo_dates(date.today()).day(date(2023, 5, 29))


def test_slots_cancel(capsys, db_url):
    run(capsys, "--db", db_url, "demo")
    number = next(s["candidate_number"] for s in _slots(capsys, db_url) if s["status"] == "booked")
    args = ["--db", db_url, "slots", "cancel", "283922", "--stage", "Video interview"]
    out = run(capsys, *args, "--candidate", number)
    assert out.startswith(f"Cancelled candidate {number}'s slot at ")
    after = [s for s in _slots(capsys, db_url) if s["candidate_number"] == number]
    assert [s["status"] for s in after] == ["cancelled"]

    for missing in (number, "9999"):
        code = main([*args, "--candidate", missing])
        assert code == 1
        assert capsys.readouterr().err.strip() == (
            f"recruit-app: Candidate {missing} has no booked slot at Video interview."
        )


def test_a_panel_member_lists_slots_by_number_at_a_name_blind_stage(
    capsys, sqlite_url, monkeypatch
):
    from recruit_app.services import stages as stage_svc
    from recruit_app.services.adverts import campaign_id_for
    from recruit_app.services.context import Actor, ServiceContext
    from recruit_app.services.database import open_db

    run(capsys, "--db", sqlite_url, "demo")
    db = open_db(sqlite_url)
    try:
        ctx = ServiceContext(db=db, actor=Actor.local_owner())
        interview = stage_svc.stages_overview(ctx, campaign_id_for(ctx, "283922")).stages[2]
        stage_svc.update_stage(
            ctx, interview.id, {"name_blind": True}, expected_version=interview.version
        )
    finally:
        db.dispose()
    tom = ["--user", "tom.okonkwo@example.gov.uk"]
    monkeypatch.setenv("RECRUIT_APP_PASSWORD", "demo-panel-2026")
    listed = _slots(capsys, sqlite_url, *tom)
    numbers = [s["candidate_number"] for s in listed if s["candidate_number"]]
    assert len(numbers) == 8
    text = run(
        capsys, "--db", sqlite_url, *tom, "slots", "list", "283922", "--stage", "Video interview"
    )
    assert all(f"Candidate {n}" in text for n in numbers)
    for name in ("Mohammed", "Al-Sayed", "Siân", "Evans", "Chidi", "Okafor"):
        assert name not in text
    # Cancelling is the recruiting manager's: refused, and nothing changes.
    code = main(
        [
            "--db",
            sqlite_url,
            *tom,
            "slots",
            "cancel",
            "283922",
            "--stage",
            "Video interview",
            "--candidate",
            numbers[0],
        ]
    )
    assert code == 1 and "panel member" in capsys.readouterr().err
    assert [s["status"] for s in _slots(capsys, sqlite_url)].count("booked") == 8


def test_the_campaign_file_carries_the_timetable(capsys, sqlite_url, tmp_path):
    run(capsys, "--db", sqlite_url, "demo")
    first = tmp_path / "demo.json"
    run(capsys, "--db", sqlite_url, "campaign", "export", "283922", str(first))
    data = json.loads(first.read_text())
    dates = demo_dates(date.today())
    assert data["timetable"] == {
        "holiday_region": "england-and-wales",
        "decisions_on": dates.day(date(2023, 6, 9)).isoformat(),
        "expected_start_on": dates.day(date(2023, 7, 3)).isoformat(),
        "events": [
            {
                "title": "Online information event, 12:00 to 13:00",
                "starts_on": dates.day(date(2023, 5, 3)).isoformat(),
                "ends_on": None,
                "note": "",
            }
        ],
    }
    run(capsys, "--db", sqlite_url, "campaign", "import", str(first), "--reference", "COPY-1")
    original = run_json(capsys, "--db", sqlite_url, "timetable", "283922")
    copied = run_json(capsys, "--db", sqlite_url, "timetable", "COPY-1")
    assert copied.pop("reference") == "COPY-1" and original.pop("reference") == "283922"
    assert copied == original
    second = tmp_path / "copy.json"
    run(capsys, "--db", sqlite_url, "campaign", "export", "COPY-1", str(second))
    again = json.loads(second.read_text())
    assert again.pop("reference") == "COPY-1" and data.pop("reference") == "283922"
    assert again == data
