"""Opening databases: new files, wrong files, read-only folders, newer schemas, servers."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from db import schema
from db.database import open_database
from recruit_app.errors import DatabaseUnavailable, SchemaTooNew, ValidationError
from tests.helpers.files import read_only_folder
from tests.helpers.old_databases import database_at_first_revision_with_rows


def test_new_sqlite_file_is_created_private_in_wal_mode_with_foreign_keys(tmp_path):
    path = tmp_path / "recruit.sqlite3"
    db = open_database(str(path))
    try:
        assert db.revision == schema.head_revision()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert db.backup_made is None  # nothing to back up in a new file
    finally:
        db.dispose()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are my interview notes, not a database.\n" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="is not a SQLite database"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_a_sqlite_database_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DatabaseUnavailable, match="is not a Recruit database"):
        open_database(str(path))


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        open_database(str(tmp_path))


def test_read_only_folder_gives_a_clear_message(tmp_path):
    with read_only_folder(tmp_path / "locked") as folder:
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            open_database(str(folder / "recruit.sqlite3"))
        assert not (folder / "recruit.sqlite3").exists()


def test_existing_database_in_a_read_only_folder_is_refused(tmp_path, sqlite_template):
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "recruit.sqlite3").write_bytes(sqlite_template.read_bytes())
    with read_only_folder(folder), pytest.raises(DatabaseUnavailable, match="read-only"):
        open_database(str(folder / "recruit.sqlite3"))


def test_newer_schema_is_refused_and_not_touched(sqlite_url):
    with sqlite3.connect(sqlite_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = Path(sqlite_url).read_bytes()
    with pytest.raises(SchemaTooNew, match="written by a newer version of Recruit") as caught:
        open_database(sqlite_url)
    assert "schema 9999" in caught.value.message and "Nothing was changed" in caught.value.message
    assert Path(sqlite_url).read_bytes() == before


@pytest.mark.postgres
def test_newer_schema_is_refused_on_postgresql(pg_url):
    db = open_database(pg_url)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(SchemaTooNew):
        open_database(pg_url)


def test_unreachable_postgresql_server_is_reported_in_words():
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database("postgresql://recruit:secret@127.0.0.1:1/recruit")
    message = caught.value.message
    assert message.startswith("Recruit cannot reach the PostgreSQL database")
    assert "127.0.0.1:1/recruit" in message and "secret" not in message


def test_malformed_url_is_a_validation_error():
    with pytest.raises(ValidationError, match="is not a database URL"):
        open_database("postgresql://user:pw@host:port/db")


def _check_upgraded(db) -> None:
    assert db.revision == schema.head_revision()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT reference FROM campaign")).all() == [("OLD-1",)]
        region = connection.execute(text("SELECT holiday_region FROM campaign")).scalar()
        assert region == "england-and-wales"
        stage = connection.execute(text("SELECT notice_days, location FROM stage")).one()
        assert tuple(stage) == (5, "")
        assert connection.execute(text("SELECT extra_minutes FROM candidate")).scalar() == 0


def test_upgrading_an_older_sqlite_file_backs_it_up_first(tmp_path):
    path = tmp_path / "old.sqlite3"
    database_at_first_revision_with_rows(str(path))
    db = open_database(str(path))
    try:
        _check_upgraded(db)
        assert db.backup_made is not None and db.backup_made.parent == tmp_path
        assert ".before-upgrade." in db.backup_made.name
        with closing(sqlite3.connect(db.backup_made)) as backup:
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            assert revision == schema.known_revisions()[0]
            assert backup.execute("SELECT reference FROM campaign").fetchall() == [("OLD-1",)]
    finally:
        db.dispose()


@pytest.mark.postgres
def test_upgrading_an_older_postgresql_database_keeps_its_rows(pg_empty_url):
    database_at_first_revision_with_rows(pg_empty_url)
    db = open_database(pg_empty_url)
    try:
        _check_upgraded(db)
        assert db.backup_made is None  # pg_dump is the tool for PostgreSQL
    finally:
        db.dispose()


def test_database_errors_in_the_log_never_carry_the_values_written(database, tmp_path):
    """An unexpected error goes to the log file with its traceback, but no personal data:
    neither the parameters nor PostgreSQL's DETAIL line quoting the row."""
    import logging

    from sqlalchemy.exc import IntegrityError

    from recruit_app.logs import log_to_file

    statement = text(
        "INSERT INTO person (name, email, role, active, version, updated_at, updated_by,"
        " failed_sign_ins) VALUES (:n, :e, :r, :a, 1, CURRENT_TIMESTAMP, 'test', 0)"
    )
    values = {"n": "Zofia Wiśniewska", "e": "zofia@example.org", "r": "panel_member", "a": True}
    with database.engine.begin() as connection:
        connection.execute(statement, values)
    with pytest.raises(IntegrityError) as raised, database.engine.begin() as connection:
        connection.execute(statement, values)
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(raised.value)

    log_file = tmp_path / "recruit-app.log"
    handler = log_to_file(str(log_file))
    logger = logging.getLogger("test.private")
    logger.addHandler(handler)
    try:
        try:
            raise raised.value
        except IntegrityError:
            logger.exception("unexpected error in cmd_test")
    finally:
        logger.removeHandler(handler)
        handler.close()
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error in cmd_test" in logged and "Traceback" in logged
    assert "IntegrityError: " in logged or "UniqueViolation: " in logged
    assert "Zofia" not in logged and "zofia@example.org" not in logged
