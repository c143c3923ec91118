"""The commands that script what the screens do, beyond the whole campaign of
test_campaign_by_script: people, audit filters, retention, and the services' refusals."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")

PANEL_PASSWORD = "a long panel pass phrase"
EXERCISE = "Technical exercise"


def _runner(capsys: Any, db_url: str) -> Any:
    def run(*words: str, expect: int = 0) -> tuple[str, str]:
        code = main(["--db", db_url, *words])
        out, err = capsys.readouterr()
        assert code == expect, f"{' '.join(words)}: {code} {err}"
        return out, err

    return run


def test_people_from_the_command_line(capsys, db_url: str) -> None:
    run = _runner(capsys, db_url)
    added = json.loads(
        run("users", "add", "--name", "Sam Spare", "--email", "Sam@Example.org", "--json")[0]
    )
    assert added == {
        "name": "Sam Spare",
        "email": "sam@example.org",
        "role": "panel_member",
        "active": True,
    }
    _out, err = run(
        "users", "add", "--name", "Sam Again", "--email", "sam@example.org", expect=1
    )  # fmt: skip
    assert err == "recruit-app: Someone with the e-mail sam@example.org is already listed.\n"
    edited = json.loads(
        run(
            "users", "edit", "sam@example.org", "--name", "Sam Spares", "--new-email",
            "sam.spares@example.org", "--role", "recruiting_manager", "--json",
        )[0]
    )  # fmt: skip
    assert edited == {
        "name": "Sam Spares",
        "email": "sam.spares@example.org",
        "role": "recruiting_manager",
        "active": True,
    }
    assert run("users", "deactivate", "sam.spares@example.org")[0] == "Deactivated Sam Spares.\n"
    listed = json.loads(run("users", "list", "--json")[0])
    assert [p["active"] for p in listed if p["email"] == "sam.spares@example.org"] == [False]
    assert run("users", "reactivate", "sam.spares@example.org")[0] == "Reactivated Sam Spares.\n"
    _out, err = run("users", "deactivate", "nobody@example.org", expect=1)
    assert err == "recruit-app: Nobody with the e-mail nobody@example.org is listed.\n"

    # The audit trail, filtered as the screen filters it.
    trail = json.loads(run("audit", "list", "--json", "--since", date.today().isoformat())[0])
    actions = [e["action"] for e in trail["events"]]
    assert actions[:4] == [
        "person.activate",
        "person.deactivate",
        "person.update",
        "person.create",
    ]
    assert trail["events"][1]["changes"] == ["active: yes → no"]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    none = json.loads(run("audit", "list", "--json", "--since", tomorrow)[0])
    assert none == {"total": 0, "offset": 0, "events": []}
    _out, err = run("audit", "list", "--campaign", "NO-SUCH", expect=1)
    assert "has nothing about NO-SUCH" in err


def test_retention_period(capsys, db_url: str) -> None:
    run = _runner(capsys, db_url)
    run("retention", "set", "--months", "30")
    assert json.loads(run("retention", "show", "--json")[0]) == {"months": 30}
    _out, err = run("retention", "set", "--months", "0", expect=1)
    assert err.startswith("recruit-app: ")


def test_a_panel_member_is_refused_as_on_screen(capsys, db_url: str, monkeypatch) -> None:
    """The commands run the services' own permission checks: signed in as a panel member,
    setting a panel, a stage or an outcome is refused and changes nothing."""
    run = _runner(capsys, db_url)
    run("demo")
    run("users", "add", "--name", "Pam Panel", "--email", "pam@example.org")
    monkeypatch.setenv("RECRUIT_APP_PASSWORD", PANEL_PASSWORD)
    run("users", "set-password", "pam@example.org")
    # On a panel of the campaign, so that she may see it (on PostgreSQL the database itself
    # hides other campaigns from a panel member).
    run(
        "panels", "set", "283922", "--stage", EXERCISE, "--seat",
        "tom.okonkwo@example.gov.uk:chair", "--seat", "hannah.lee@example.gov.uk",
        "--seat", "pam@example.org",
    )  # fmt: skip
    before = run("panels", "list", "283922", "--stage", EXERCISE, "--json")[0]
    monkeypatch.setenv("RECRUIT_APP_USER", "pam@example.org")
    for words in (
        ("panels", "set", "283922", "--stage", EXERCISE, "--seat", "pam@example.org:chair"),
        ("stages", "edit", "283922", "--stage", EXERCISE, "--min-assessors", "1"),
        ("users", "add", "--name", "X Y", "--email", "xy@example.org"),
        ("retention", "set", "--months", "6"),
    ):
        _out, err = run(*words, expect=1)
        assert "panel member" in err.lower(), (words, err)
    monkeypatch.delenv("RECRUIT_APP_USER")
    monkeypatch.delenv("RECRUIT_APP_PASSWORD")
    if db_url.startswith("postgresql"):  # the administrator signs in again
        from tests.conftest import CLI_ADMIN

        monkeypatch.setenv("RECRUIT_APP_USER", CLI_ADMIN[0])
        monkeypatch.setenv("RECRUIT_APP_PASSWORD", CLI_ADMIN[2])
    assert run("panels", "list", "283922", "--stage", EXERCISE, "--json")[0] == before


def test_question_plan_round_trip_and_search(capsys, db_url: str, tmp_path) -> None:
    """`stages plan --json` is a file `stages set-plan` takes back, changed or not."""
    run = _runner(capsys, db_url)
    run("demo")
    shown = json.loads(run("stages", "plan", "283922", "--stage", "Video interview", "--json")[0])
    first = shown["plan"][0]["questions"][0]
    first["text"], first["minutes"] = "Tell us about a data model you designed.", 6
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(shown), encoding="utf-8")
    out, _err = run(
        "stages", "set-plan", "283922", "--stage", "Video interview", str(path), "--json"
    )  # fmt: skip
    saved = json.loads(out)
    assert saved["plan"] == shown["plan"]
    assert saved["total_minutes"] == shown["total_minutes"] + 1
    shown["plan"][0]["criterion"] = "NOPE"
    path.write_text(json.dumps(shown), encoding="utf-8")
    _out, err = run(
        "stages", "set-plan", "283922", "--stage", "Video interview", str(path), expect=1
    )  # fmt: skip
    assert err == (
        f"recruit-app: {path}, plan.0.criterion: 'NOPE' is not one of the criteria this "
        "stage assesses.\n"
    )

    hits = json.loads(run("applications", "search", "283922", "Met", "Office", "--json")[0])
    assert "0021" in {h["candidate_number"] for h in hits}
    assert all("met office" in " ".join(h["snippet"].split()).casefold() for h in hits)
