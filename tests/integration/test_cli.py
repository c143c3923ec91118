"""The command line, run in-process against real database files and servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recruit_app import __version__
from recruit_app.cli import main

pytestmark = pytest.mark.usefixtures("sign_in_on_postgres")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args: str):
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"recruit-app {__version__}"


def test_campaign_create_list_show_json_shapes(capsys, db_url):
    created = run_json(
        capsys,
        "--db",
        db_url,
        "campaign",
        "create",
        "--title",
        "Developer",
        "--reference",
        "283922",
        "--json",
    )
    assert created["reference"] == "283922" and created["title"] == "Developer"
    assert created["status"] == "draft" and created["archived"] is False
    assert set(created) == {
        "reference",
        "title",
        "status",
        "archived",
        "created_at",
        "updated_at",
        "updated_by",
        "version",
        "closes_at",
        "candidates",
        "stage_in_progress",
    }
    listed = run_json(capsys, "--db", db_url, "campaign", "list", "--json")
    assert [c["reference"] for c in listed] == ["283922"]
    assert (listed[0]["closes_at"], listed[0]["candidates"], listed[0]["stage_in_progress"]) == (
        None,
        0,
        "",
    )
    shown = run_json(capsys, "--db", db_url, "campaign", "show", "283922", "--json")
    assert shown["advert"]["title"] == "Developer"
    assert shown["stages"] == [] and shown["candidate_count"] == 0


def test_environment_variable_chooses_the_database(capsys, monkeypatch, sqlite_url):
    monkeypatch.setenv("RECRUIT_APP_DB", sqlite_url)
    run_json(capsys, "campaign", "create", "--title", "From env", "--json")
    listed = run_json(capsys, "--db", sqlite_url, "campaign", "list", "--json")
    assert [c["title"] for c in listed] == ["From env"]


def test_default_database_is_created_in_the_data_folder(capsys, app_home):
    run_json(capsys, "campaign", "create", "--title", "Default", "--json")
    assert (app_home / "data" / "recruit.sqlite3").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["campaign", "create", "--title", "   "], "Give the campaign a title."),
        (["campaign", "create", "--title", "x" * 300], "keep it to 200 or fewer"),
        (["campaign", "show", "NOPE"], "no campaign with the reference 'NOPE'"),
        (["--db", "mysql://x@y/z", "campaign", "list"], "not 'mysql'"),
        (
            ["--db", "postgresql://u:hunter2@127.0.0.1:1/db", "campaign", "list"],
            "cannot reach the PostgreSQL database",
        ),
    ],
)
def test_errors_go_to_stderr_in_words_with_exit_1(capsys, sqlite_url, args, message):
    if "--db" not in args:
        args = ["--db", sqlite_url, *args]
    code, out, err = run(capsys, *args)
    assert code == 1
    assert out == ""
    assert err.startswith("recruit-app: ") and message in err
    assert "Traceback" not in err and "hunter2" not in err


def test_duplicate_reference_is_an_error(capsys, db_url):
    run_json(
        capsys, "--db", db_url, "campaign", "create", "--title", "A", "--reference", "R-1", "--json"
    )
    code, _out, err = run(
        capsys, "--db", db_url, "campaign", "create", "--title", "B", "--reference", "R-1"
    )
    assert code == 1 and "'R-1' is already used" in err


def test_rename_archive_delete(capsys, sqlite_url):
    run_json(
        capsys,
        "--db",
        sqlite_url,
        "campaign",
        "create",
        "--title",
        "A",
        "--reference",
        "R-1",
        "--json",
    )
    assert run(capsys, "--db", sqlite_url, "campaign", "rename", "R-1", "--title", "B")[0] == 0
    assert run(capsys, "--db", sqlite_url, "campaign", "archive", "R-1")[0] == 0
    assert run_json(capsys, "--db", sqlite_url, "campaign", "list", "--json") == []
    everything = run_json(capsys, "--db", sqlite_url, "campaign", "list", "--all", "--json")
    assert everything[0]["title"] == "B" and everything[0]["archived"] is True
    code, _out, err = run(capsys, "--db", sqlite_url, "campaign", "delete", "R-1")
    assert code == 1 and "--yes" in err
    assert run(capsys, "--db", sqlite_url, "campaign", "delete", "R-1", "--yes")[0] == 0
    assert run_json(capsys, "--db", sqlite_url, "campaign", "list", "--all", "--json") == []


def test_demo_twice_does_not_duplicate(capsys, db_url):
    first = run_json(capsys, "--db", db_url, "demo", "--json")
    second = run_json(capsys, "--db", db_url, "demo", "--json")
    assert first["created"] is True and second["created"] is False
    assert first["candidates"] == second["candidates"] == 40
    listed = run_json(capsys, "--db", db_url, "campaign", "list", "--json")
    assert [c["reference"] for c in listed] == ["283922"]
    info = run_json(capsys, "--db", db_url, "db", "info", "--json")
    assert info["counts"]["candidates"] == 40 and info["counts"]["stages"] == 3


def test_db_info_json(capsys, db_url):
    info = run_json(capsys, "--db", db_url, "db", "info", "--json")
    assert info["schema_revision"] == info["head_revision"] and info["up_to_date"] is True
    assert info["counts"]["campaigns"] == 0
    if db_url.startswith("postgresql"):
        assert info["backend"] == "postgresql" and info["size_bytes"] is None
    else:
        assert info["backend"] == "sqlite" and info["url"] == db_url


def test_db_info_masks_passwords(capsys, pg_url):
    from sqlalchemy.engine import make_url

    with_password = make_url(pg_url).set(password="not-really-needed")
    info = run_json(
        capsys, "--db", with_password.render_as_string(hide_password=False), "db", "info", "--json"
    )
    assert "not-really-needed" not in json.dumps(info) and ":***@" in info["url"]


def test_db_backup_of_sqlite(capsys, sqlite_url, tmp_path):
    run_json(capsys, "--db", sqlite_url, "campaign", "create", "--title", "Keep me", "--json")
    target = tmp_path / "backups" / "copy.sqlite3"
    code, out, _err = run(capsys, "--db", sqlite_url, "db", "backup", str(target))
    assert code == 0 and str(target) in out
    copied = run_json(capsys, "--db", str(target), "campaign", "list", "--json")
    assert [c["title"] for c in copied] == ["Keep me"]
    code, _out, err = run(capsys, "--db", sqlite_url, "db", "backup", str(target))
    assert code == 1 and "already exists" in err


def test_db_backup_of_postgresql_points_to_pg_dump(capsys, pg_url, tmp_path):
    code, _out, err = run(capsys, "--db", pg_url, "db", "backup", str(tmp_path / "x"))
    assert code == 1 and "pg_dump" in err


def test_db_upgrade_reports_the_revision(capsys, sqlite_url):
    from db import schema

    code, out, _err = run(capsys, "--db", sqlite_url, "db", "upgrade")
    assert code == 0 and f"schema {schema.head_revision()}" in out


def test_installed_entry_points_run(tmp_path):
    env = {**os.environ, "RECRUIT_APP_HOME": str(tmp_path)}
    module = subprocess.run(
        [sys.executable, "-m", "recruit_app", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert module.stdout.strip() == f"recruit-app {__version__}"
    script = Path(sys.executable).with_name("recruit-app")
    done = subprocess.run(
        [str(script), "campaign", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout) == []
