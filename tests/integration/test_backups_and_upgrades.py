"""Backups and schema upgrades hold under odd paths, kills, full disks and two starts at once."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from db import schema
from db.backup import backup_sqlite, timestamped_backup_path
from db.database import open_database
from recruit_app.cli import main
from recruit_app.errors import DatabaseUnavailable
from tests.helpers.old_databases import database_at_first_revision_with_rows

ROOT = Path(__file__).resolve().parents[2]
ODD_NAMES = ["hash #1", "what?", "percent %41 and %", "accents éàø ünï", "semi;colon 'quote'"]


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _demo_database(folder: Path, name: str = "recruit.sqlite3") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert main(["--db", str(path), "demo"]) == 0
    return path


def _cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recruit_app", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        **kwargs,
    )


# --- backups -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ODD_NAMES)
def test_db_backup_at_an_odd_path_copies_everything(tmp_path, capsys, name):
    source = _demo_database(tmp_path / name, f"{name}.sqlite3")
    target = tmp_path / name / f"copy of {name}.sqlite3"
    capsys.readouterr()
    assert main(["--db", str(source), "db", "backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    counts = _counts(target)
    assert counts == _counts(source)
    assert counts["candidate"] == 40 and counts["campaign"] == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("name", ODD_NAMES)
def test_pre_upgrade_copy_at_an_odd_path_holds_the_old_rows(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    path = folder / f"{name}.sqlite3"
    database_at_first_revision_with_rows(str(path))
    db = open_database(str(path))
    try:
        assert db.backup_made is not None
        with closing(sqlite3.connect(db.backup_made)) as copy:
            assert copy.execute("SELECT reference FROM campaign").fetchall() == [("OLD-1",)]
            assert copy.execute("SELECT first_name FROM candidate").fetchall() == [("Siân",)]
    finally:
        db.dispose()


def test_a_backup_is_a_consistent_snapshot_while_another_process_writes(tmp_path):
    source = _demo_database(tmp_path)
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM candidate WHERE candidate_number > '0020'")
        copy = backup_sqlite(source, tmp_path / "while-writing.sqlite3")
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert _counts(copy)["candidate"] == 40  # the last committed state, not half a change


def test_two_backups_in_the_same_second_get_different_names(tmp_path):
    source = _demo_database(tmp_path)
    made = [
        backup_sqlite(source, timestamped_backup_path(source, "before-upgrade"), unique=True)
        for _ in range(3)
    ]
    assert len(set(made)) == 3
    assert all(p.parent == source.parent and ".before-upgrade" in p.name for p in made)
    for path in made:
        assert _counts(path) == _counts(source)


def test_a_backup_that_does_not_fit_on_the_disk_fails_loudly_and_leaves_nothing(tmp_path):
    source = _demo_database(tmp_path / "db")
    target = tmp_path / "out" / "copy.sqlite3"
    target.parent.mkdir()
    size = source.stat().st_size

    def small_disk() -> None:  # in the child: files may not grow past half the database
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    done = _cli("--db", str(source), "db", "backup", str(target), preexec_fn=small_disk)
    assert done.returncode == 1, done.stderr
    assert "backup" in done.stderr and "Traceback" not in done.stderr
    assert list(target.parent.iterdir()) == []


# --- upgrades --------------------------------------------------------------------------


def test_two_starts_at_once_both_open_an_old_database(tmp_path):
    path = tmp_path / "old.sqlite3"
    database_at_first_revision_with_rows(str(path))
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "recruit_app", "--db", str(path), "db", "upgrade"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in starts:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    copies = sorted(tmp_path.glob("old.*.before-upgrade.sqlite3"))
    assert copies, "the upgrade made no copy first"
    for copy in copies:
        with closing(sqlite3.connect(copy)) as connection:
            assert connection.execute("SELECT first_name FROM candidate").fetchall() == [("Siân",)]
    db = open_database(str(path))
    try:
        assert db.revision == schema.head_revision()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM candidate")).scalar() == 1
    finally:
        db.dispose()


# --- choosing a database -------------------------------------------------------------


def test_a_database_in_a_folder_that_does_not_exist_is_refused(tmp_path, capsys):
    path = tmp_path / "no such folder" / "recruit.sqlite3"
    assert main(["--db", str(path), "campaign", "list"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not path.parent.exists()
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        open_database(str(path))
    assert not path.parent.exists()


def test_the_default_database_folder_is_still_made_on_first_run(app_home, capsys):
    assert main(["campaign", "list"]) == 0
    assert (app_home / "data" / "recruit.sqlite3").exists()
