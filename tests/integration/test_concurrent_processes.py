"""Two desktops at once, with real processes, on SQLite and PostgreSQL.

Each race makes its processes check the database at the same moment and write at the
same moment (tests/helpers/races.py), which is when a read-then-write use case goes wrong.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from recruit_app.cli import main
from recruit_app.errors import PermissionDenied

ROOT = Path(__file__).resolve().parents[2]


def _race(count: int, *args: str, table: str = "candidate") -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.races", str(count), "--", *args],
        cwd=ROOT,
        env={**os.environ, "RACE_TABLE": table},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def _people_csv(path: Path, first: int, count: int, *, case: str = "lower") -> Path:
    lines = ["First name,Surname,E-mail"]
    for n in range(first, first + count):
        email = f"person.{n}@example.org"
        lines.append(f"Person,Number {n},{email.upper() if case == 'upper' else email}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _campaign(capsys, db_url: str) -> str:
    assert main(["--db", db_url, "campaign", "create", "--title", "Race", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["reference"]


def _candidates(db_url: str) -> list[tuple[str, str]]:
    from recruit_app.services.database import open_db

    db = open_db(db_url)
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT candidate_number, email FROM candidate ORDER BY candidate_number")
            ).all()
    finally:
        db.dispose()
    return [tuple(r) for r in rows]


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_two_imports_of_the_same_people_at_once_add_each_person_once(capsys, db_url, tmp_path):
    reference = _campaign(capsys, db_url)
    lower = _people_csv(tmp_path / "lower.csv", 1, 30)
    upper = _people_csv(tmp_path / "upper.csv", 1, 30, case="upper")
    # The same people, one file in capitals: the e-mails are the same addresses.
    lower.rename(tmp_path / "0.csv")
    upper.rename(tmp_path / "1.csv")
    ended = _race(
        2, "--db", db_url, "candidates", "import", reference, str(tmp_path / "{n}.csv"), "--json"
    )
    assert [e["code"] for e in ended] == [0, 0], [e["err"] for e in ended]
    reports = sorted((json.loads(e["out"]) for e in ended), key=lambda r: -r["imported"])
    assert [r["imported"] for r in reports] == [30, 0]
    assert {s["reason"] for s in reports[1]["skipped"]} == {"already in this campaign"}
    assert len(reports[1]["skipped"]) == 30
    rows = _candidates(db_url)
    assert len(rows) == 30
    assert len({email.lower() for _, email in rows}) == 30


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_simultaneous_imports_without_numbers_all_succeed_with_distinct_numbers(
    capsys, db_url, tmp_path
):
    reference = _campaign(capsys, db_url)
    for n in range(3):
        _people_csv(tmp_path / f"{n}.csv", 100 * n, 25)
    ended = _race(
        3, "--db", db_url, "candidates", "import", reference, str(tmp_path / "{n}.csv"), "--json"
    )
    assert [e["code"] for e in ended] == [0, 0, 0], [e["err"] for e in ended]
    assert sorted(json.loads(e["out"])["imported"] for e in ended) == [25, 25, 25]
    numbers = [number for number, _ in _candidates(db_url)]
    assert numbers == [f"{n:04d}" for n in range(1, 76)]


def test_the_database_refuses_a_second_candidate_with_the_same_e_mail(database):
    """The rule holds below the app: a raw INSERT of a case variant is refused."""
    from sqlalchemy.exc import IntegrityError

    insert = text(
        "INSERT INTO candidate (version, updated_at, updated_by, campaign_id, "
        "candidate_number, first_name, last_name, email, phone, guaranteed_interview, "
        "redeployment, adjustments, extra_minutes, unavailable_dates, extra, status, "
        "created_at) VALUES (1, :now, 'x', 1, :number, 'A', 'B', :email, '', false, false, "
        "'', 0, '[]', '{}', 'applied', :now)"
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO campaign (id, version, updated_at, updated_by, reference, title, "
                "status, archived, created_at, holiday_region) VALUES (1, 1, :now, 'x', 'R', "
                "'R', 'draft', false, :now, 'england-and-wales')"
            ),
            {"now": now},
        )
        connection.execute(insert, {"now": now, "number": "1", "email": "ann@example.org"})
        # Erased candidates have no e-mail: any number of them may share the blank.
        connection.execute(insert, {"now": now, "number": "2", "email": ""})
        connection.execute(insert, {"now": now, "number": "3", "email": ""})
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(insert, {"now": now, "number": "4", "email": "ANN@example.org"})


# --- a busy SQLite file ----------------------------------------------------------------


def test_a_busy_sqlite_database_gives_a_plain_message_after_a_wait(capsys, sqlite_url):
    reference = _campaign(capsys, sqlite_url)
    with closing(sqlite3.connect(sqlite_url, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "recruit_app",
                "--db",
                sqlite_url,
                "campaign",
                "rename",
                reference,
                "--title",
                "Renamed",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        # Reading goes on while another program writes.
        listed = subprocess.run(
            [sys.executable, "-m", "recruit_app", "--db", sqlite_url, "campaign", "list"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        other.execute("ROLLBACK")
    assert done.returncode == 1, done.stderr
    assert "The database is busy" in done.stderr and "Traceback" not in done.stderr
    assert listed.returncode == 0 and reference in listed.stdout
    assert main(["--db", sqlite_url, "campaign", "rename", reference, "--title", "Renamed"]) == 0


# --- sign-in failures counted under parallel guesses --------------------------------------


def test_parallel_wrong_passwords_are_each_counted(sqlite_url):
    """The app counts failed sign-ins on SQLite desks; on PostgreSQL the server checks
    passwords (tests/integration/test_pg_security.py tries parallel guesses there)."""
    from recruit_app.services.auth import WRONG, create_first_administrator, sign_in
    from recruit_app.services.database import open_db

    database = open_db(sqlite_url)

    create_first_administrator(
        database, email="ada@example.org", name="Ada Admin", password="correct horse battery"
    )
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    start = threading.Barrier(12)
    said: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        try:
            sign_in(database, "ada@example.org", f"wrong guess {n}", now=moment)
        except PermissionDenied as exc:
            said.append(exc.message)
        except Exception as exc:  # anything else is the failure this test looks for
            said.append(f"unexpected {type(exc).__name__}")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(said) == 12
    assert [m for m in said if m.startswith("unexpected")] == []
    # Three free guesses, then each must wait: only three were ever checked.
    assert said.count(WRONG) == 3
    assert sum(m.startswith("Too many attempts") for m in said) == 9
    with database.engine.connect() as connection:
        failures = connection.execute(
            text("SELECT failed_sign_ins FROM person WHERE email = 'ada@example.org'")
        ).scalar()
    database.dispose()
    assert failures == 3
