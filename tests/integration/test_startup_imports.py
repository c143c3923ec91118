"""Commands and the window's first read load only what they use (issue 14).

Each check runs a fresh interpreter and lists `sys.modules` after the work, so a module
level import added anywhere on the path shows up here, not as a slower start weeks later.
Timings are the benchmarks' business (benchmarks/commands.py), never asserted here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]

# Never needed to list campaigns, ask whether people sign in, or check the schema.
HEAVY = (
    "alembic",
    "reportlab",
    "PySide6",
    "shiboken6",
    "openpyxl",
    "ui",
    "argon2",
    "exports.pdf",
)
# The table classes and what builds them: the campaign list and the opening checks are
# plain SQL, so these stay unloaded too.
TABLE_CLASSES = (
    "sqlmodel",
    "pydantic",
    "sqlalchemy.orm",
    "db.models",
    "recruit_app.services.campaigns",
)
# What only a refresh of the built-in library, or a change to people, needs.
LIBRARY_AND_PEOPLE = (
    "recruit_app.domain.library_format",
    "recruit_app.services.library",
    "db.library",
    "recruit_app.services.people",
    "recruit_app.services.stages",
)


def loaded_after(code: str, home: Path) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (which must succeed)."""
    script = f"import json, sys\n{code}\nprint('MODULES ' + json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "RECRUIT_APP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("RECRUIT_APP_USER", "RECRUIT_APP_PASSWORD", "RECRUIT_APP_DB"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def loaded_of(modules: set[str], families: tuple[str, ...]) -> list[str]:
    """The members of `modules` that are one of `families` or inside one of them."""
    return sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in families))


def run_cli(*argv: str) -> str:
    return f"from recruit_app.cli import main\nassert main({list(argv)!r}) == 0"


def test_importing_the_command_line_loads_no_data_layer(app_home):
    modules = loaded_after("import recruit_app.cli", app_home)
    assert loaded_of(modules, ("sqlalchemy", *HEAVY, *TABLE_CLASSES)) == []


def test_campaign_list_loads_neither_the_table_classes_nor_anything_heavy(sqlite_url, app_home):
    modules = loaded_after(run_cli("--db", sqlite_url, "campaign", "list", "--json"), app_home)
    assert "recruit_app.services.campaign_list" in modules  # it did run the command
    assert loaded_of(modules, HEAVY + TABLE_CLASSES + LIBRARY_AND_PEOPLE) == []


def test_db_info_loads_neither_the_table_classes_nor_anything_heavy(sqlite_url, app_home):
    modules = loaded_after(run_cli("--db", sqlite_url, "db", "info", "--json"), app_home)
    assert loaded_of(modules, HEAVY + TABLE_CLASSES + LIBRARY_AND_PEOPLE) == []


def test_the_windows_first_read_checks_sign_in_without_the_table_classes(sqlite_url, app_home):
    # What the window's worker runs first (ui.sign_in.opening), on an up-to-date database.
    code = (
        "from ui.sign_in.opening import open_and_check\n"
        f"opened = open_and_check({sqlite_url!r})\n"
        "assert not opened.sign_in_required\n"
        "opened.database.dispose()"
    )
    modules = loaded_after(code, app_home) - {"ui", "ui.sign_in", "ui.sign_in.opening"}
    assert loaded_of(modules, HEAVY + TABLE_CLASSES + LIBRARY_AND_PEOPLE) == []


def test_a_database_that_asks_for_sign_in_is_refused_without_the_table_classes(
    sqlite_url, app_home
):
    from recruit_app.cli import EXIT_USER_ERROR

    with closing(sqlite3.connect(sqlite_url)) as connection, connection:
        connection.execute(
            "INSERT INTO app_setting (key, value, version, updated_at, updated_by) "
            "VALUES ('sign_in_required', 'true', 1, '2026-01-01 00:00:00', 'test')"
        )
    code = (
        "from recruit_app.cli import main\n"
        f"assert main(['--db', {sqlite_url!r}, 'campaign', 'list', '--json']) == "
        f"{EXIT_USER_ERROR}"
    )
    modules = loaded_after(code, app_home)
    assert loaded_of(modules, HEAVY + TABLE_CLASSES) == []


# --- the plain-SQL list is the service's list ------------------------------------------


def test_the_plain_sql_list_matches_the_service_for_an_administrator(ctx):
    from recruit_app.services import campaign_list, campaigns

    made = [campaigns.create_campaign(ctx, title=f"Campaign {n}") for n in range(4)]
    campaigns.set_archived(ctx, made[1].id, archived=True, expected_version=None)
    for archived in (False, True):
        fast = campaign_list.list_campaigns(ctx, include_archived=archived)
        assert fast == campaigns.list_campaigns(ctx, include_archived=archived)
        assert [c.to_json() for c in fast] == [
            c.to_json() for c in campaigns.list_campaigns(ctx, include_archived=archived)
        ]
    assert len(campaign_list.list_campaigns(ctx)) == 3
    assert all(c.created_at.tzinfo is not None for c in campaign_list.list_campaigns(ctx))


def test_everyone_else_gets_the_services_list_with_its_rules(ctx):
    from dataclasses import replace

    from recruit_app.services import campaign_list, campaigns
    from recruit_app.services.context import Actor

    campaigns.create_campaign(ctx, title="Someone's campaign")
    panel = replace(ctx, actor=Actor("Pat Panel", role="panel_member", person_id=None))
    assert campaign_list.list_campaigns(panel) == campaigns.list_campaigns(panel) == []


# --- the built-in library is compared at each opening ----------------------------------


def test_opening_refreshes_a_library_written_by_another_version(db_url):
    from recruit_app.library import builtin
    from recruit_app.services.database import open_db

    db = open_db(db_url)
    try:
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE app_meta SET value = 'an older release' WHERE key = :key"),
                {"key": builtin.META_KEY},
            )
        assert db.meta(builtin.META_KEY) == "an older release"
    finally:
        db.dispose()
    db = open_db(db_url)
    try:
        assert db.meta(builtin.META_KEY) == builtin.fingerprint()
    finally:
        db.dispose()


def test_setting_and_meta_read_plain_values(database):
    from recruit_app.library import builtin

    assert database.setting("no such setting") is None
    assert database.meta("no such fact") is None
    assert database.meta(builtin.META_KEY) == builtin.fingerprint()


@pytest.mark.parametrize("required", [True, False])
def test_the_sign_in_setting_reads_back_as_written(sqlite_url, required):
    from recruit_app.services.auth import (
        create_first_administrator,
        set_sign_in_required,
        sign_in_required,
    )
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.database import open_db

    db = open_db(sqlite_url)
    try:
        admin = create_first_administrator(
            db, email="ada@example.org", name="Ada Admin", password="correct horse battery"
        )
        set_sign_in_required(ServiceContext(db=db, actor=admin), required)
        assert sign_in_required(db) is required
    finally:
        db.dispose()
