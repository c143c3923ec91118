"""Fault injection with real processes: imports, upgrades and backups killed (SIGKILL)
part-way, on SQLite and PostgreSQL, then the database checked: whole, every row kept or
none added, and nothing half-written left under a real name. (Letters exports killed
part-way: tests/integration/test_fault_injection_exports.py.)
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from db import schema
from recruit_app.cli import main
from tests.helpers.old_databases import database_at_first_revision_with_rows

ROOT = Path(__file__).resolve().parents[2]


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _demo_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "recruit.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    return path


# --- backups ---------------------------------------------------------------------------


def test_a_backup_killed_part_way_never_leaves_a_file_under_the_backups_name(tmp_path):
    source = _demo_database(tmp_path / "db")
    with closing(sqlite3.connect(source)) as connection:  # big enough to take a while
        connection.execute("CREATE TABLE padding (x BLOB)")
        connection.executemany("INSERT INTO padding VALUES (randomblob(4096))", [()] * 40_000)
        connection.commit()
    outcomes = []
    for attempt in range(6):
        target = tmp_path / f"out {attempt}" / "copy.sqlite3"
        target.parent.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "recruit_app", "--db", str(source), "db", "backup", str(target)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill it once the copy has started (a file appears in the folder), or at once.
        deadline = time.monotonic() + 60
        while attempt and process.poll() is None and time.monotonic() < deadline:
            if any(target.parent.iterdir()):
                time.sleep(0.01 * attempt)
                break
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        outcomes.append(code)
        if target.exists():  # only a finished, checked backup may carry the name
            assert code == 0
            assert _counts(target) == _counts(source)
    assert -signal.SIGKILL in outcomes


# --- upgrades ---------------------------------------------------------------------------


def _faults(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.faults", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def _upgrade_with_faults(pristine: str, mode: str, every: int, first: int = 1) -> list[dict]:
    """Fault the upgrade at every `every`th statement from `first`, and at the last one.

    The whole upgrade of the old database sends about 90 statements across all the
    migrations; each attempt costs an upgrade and a check (about a second).
    """
    total = int(_faults("count", pristine)[-1])
    points = list(range(first, total + 1, every))
    if points[-1] != total:
        points.append(total)
    results = [json.loads(line) for line in _faults("upgrade", pristine, mode, *map(str, points))]
    assert len(results) == len(points)
    return results


def _all_recovered(results: list[dict], ended: str) -> None:
    """Each fault left the old revision or (past the commit) the newest, never one between,
    and the next start opened and upgraded it with every row kept."""
    old, head = schema.known_revisions()[0], schema.head_revision()
    halfway = [r for r in results if r["left_at"] not in (old, head)]
    assert halfway == [], halfway[:5]
    if ended == "raised":  # a failing migration changes nothing at all
        assert {r["left_at"] for r in results} == {old}
    bad = [r for r in results if r["check"] != "finished"]
    assert bad == [], bad[:5]
    assert sum(r["ended"] == ended for r in results) >= len(results) - 1


def test_an_upgrade_killed_at_any_statement_is_finished_by_the_next_start(tmp_path):
    pristine = tmp_path / "old.sqlite3"
    database_at_first_revision_with_rows(str(pristine))
    results = _upgrade_with_faults(str(pristine), "kill", every=2)
    _all_recovered(results, "signal 9")


def test_an_upgrade_that_fails_at_any_statement_changes_nothing(tmp_path):
    pristine = tmp_path / "old.sqlite3"
    database_at_first_revision_with_rows(str(pristine))
    results = _upgrade_with_faults(str(pristine), "raise", every=5, first=2)
    _all_recovered(results, "raised")


@pytest.mark.postgres
def test_a_postgresql_upgrade_killed_at_any_statement_is_finished_by_the_next_start(
    pg_empty_url,
):
    database_at_first_revision_with_rows(pg_empty_url)
    results = _upgrade_with_faults(pg_empty_url, "kill", every=3)
    _all_recovered(results, "signal 9")


# --- imports ---------------------------------------------------------------------------

IMPORTED = 6_000  # three chunks of rows: kills fall between them too


@pytest.mark.usefixtures("sign_in_on_postgres")
def test_an_import_killed_at_any_statement_adds_all_or_nothing(capsys, db_url, tmp_path):
    from recruit_app.services.database import open_db

    attempts = 26  # more statements than a whole import sends: the last ones finish
    for n in range(attempts):
        args = ["--db", db_url, "campaign", "create", "--title", f"T{n}", "--reference", f"R{n}"]
        assert main(args) == 0
    capsys.readouterr()
    lines = ["First name,Surname,E-mail"]
    lines += [f"Person,Number {n},person.{n}@example.org" for n in range(IMPORTED)]
    source = tmp_path / "people.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.helpers.faults",
            "command",
            *map(str, range(1, attempts + 1)),
            "--",
            "--db",
            db_url,
            "candidates",
            "import",
            "R{n}",
            str(source),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    ended = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(ended) == attempts
    db = open_db(db_url)
    try:
        with db.engine.connect() as connection:
            counts = dict(
                connection.execute(
                    text(
                        "SELECT campaign.reference, count(candidate.id) FROM campaign "
                        "LEFT JOIN candidate ON candidate.campaign_id = campaign.id "
                        "GROUP BY campaign.reference"
                    )
                ).all()
            )
            if db.backend == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.dispose()
    for n, attempt in enumerate(ended):
        expected = IMPORTED if attempt["ended"] == "finished" else 0
        assert attempt["ended"] in ("finished", "signal 9"), attempt
        assert counts[f"R{n}"] == expected, (n, attempt, counts[f"R{n}"])
    kinds = [a["ended"] for a in ended]
    assert kinds.count("signal 9") >= 10 and kinds[-1] == "finished"
    # A killed import can simply be run again.
    assert main(["--db", db_url, "candidates", "import", "R0", str(source)]) == 0
