"""Where nobody signs in (a SQLite file on one desk), the audit trail names the person at
the desk: the name given in Settings or with --your-name, else this computer's user."""

from __future__ import annotations

import json
from pathlib import Path

from recruit_app.cli import main
from recruit_app.services.context import Actor, computer_user
from recruit_app.settings import Settings


def _who(capsys, sqlite_url: str) -> list[str]:
    assert main(["--db", sqlite_url, "audit", "list", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    return [event["who"] for event in events]


def test_the_audit_trail_names_the_person_at_the_desk(capsys, app_home: Path, sqlite_url: str):
    assert main(["--db", sqlite_url, "campaign", "create", "--title", "Unnamed"]) == 0
    settings = Settings()
    settings.set("your_name", "Jane Smith")
    settings.save()
    assert main(["--db", sqlite_url, "campaign", "create", "--title", "Named"]) == 0
    words = ["--db", sqlite_url, "--your-name", " Ravi\tPatel ", "campaign", "create"]
    assert main([*words, "--title", "Given"]) == 0
    capsys.readouterr()
    assert _who(capsys, sqlite_url) == ["Ravi Patel", "Jane Smith", computer_user()]


def test_a_name_is_cleaned_and_kept_short() -> None:
    assert Actor.local_owner("  Jane\x00\x1b  Smith\n").name == "Jane Smith"
    assert Actor.local_owner("   ").name == computer_user()
    assert len(Actor.local_owner("x" * 1000).name) == 200
