"""Shared fixtures: a private app home per test, migrated template databases, contexts.

Integration tests take `db_url`, which runs them on a fresh copy of a migrated SQLite
file and, when RECRUIT_APP_TEST_PG names a PostgreSQL database, on a fresh PostgreSQL
database cloned from a migrated template. Under CI=true a missing PostgreSQL fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ENV = "RECRUIT_APP_TEST_PG"


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data, config and log folders."""
    home = tmp_path / "home"
    monkeypatch.setenv("RECRUIT_APP_HOME", str(home))
    monkeypatch.delenv("RECRUIT_APP_DB", raising=False)
    return home


# --- SQLite ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from recruit_app.services.database import open_db

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_db(str(path)).dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "recruit.sqlite3"
    shutil.copyfile(sqlite_template, path)
    path.chmod(0o600)
    return str(path)


# --- PostgreSQL --------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        message = (
            f"PostgreSQL tests need {PG_ENV}=postgresql://user@host:5432/dbname "
            "(a role allowed to create databases)"
        )
        if _under_ci():
            pytest.fail(f"CI=true but {PG_ENV} is not set: {message}")
        pytest.skip(message)
    return url


def _admin_engine(server_url: str):
    from sqlalchemy import create_engine

    from db.engine import parse_database_url

    target = parse_database_url(server_url)
    return create_engine(target.url, isolation_level="AUTOCOMMIT")


def _create_pg_database(server_url: str, name: str, template: str | None = None) -> str:
    from sqlalchemy import text

    from db.engine import parse_database_url

    engine = _admin_engine(server_url)
    try:
        with engine.connect() as connection:
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    finally:
        engine.dispose()
    url = parse_database_url(server_url).url.set(database=name)
    return url.render_as_string(hide_password=False)


def _drop_pg_database(server_url: str, name: str) -> None:
    """Drop the database and the login roles of its people (db.pg_roles names them
    after the database; roles belong to the whole server)."""
    from sqlalchemy import text

    engine = _admin_engine(server_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            roles = connection.execute(
                text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :prefix)"),
                {"prefix": f"{name}:"},
            ).scalars()
            for role in list(roles):
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_server_url: str) -> Iterator[str]:
    from recruit_app.services.database import open_db

    name = f"recruit_template_{uuid.uuid4().hex[:10]}"
    url = _create_pg_database(pg_server_url, name)
    open_db(url).dispose()
    yield name
    _drop_pg_database(pg_server_url, name)


@pytest.fixture
def pg_empty_url(pg_server_url: str) -> Iterator[str]:
    """A brand-new, empty PostgreSQL database."""
    name = f"recruit_test_{uuid.uuid4().hex[:10]}"
    url = _create_pg_database(pg_server_url, name)
    yield url
    _drop_pg_database(pg_server_url, name)


@pytest.fixture
def pg_url(pg_server_url: str, pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database with the current schema."""
    name = f"recruit_test_{uuid.uuid4().hex[:10]}"
    url = _create_pg_database(pg_server_url, name, template=pg_template)
    yield url
    _drop_pg_database(pg_server_url, name)


# --- either backend ----------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def database(db_url: str):
    from recruit_app.services.database import open_db

    db = open_db(db_url)
    yield db
    db.dispose()


@pytest.fixture
def ctx(database):
    from recruit_app.services.context import Actor, ServiceContext

    return ServiceContext(db=database, actor=Actor("Alex Manager"))


# --- signing in on PostgreSQL ----------------------------------------------------------

CLI_ADMIN = ("admin@example.org", "Ada Admin", "correct horse battery")


@pytest.fixture
def sign_in_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Command-line tests on PostgreSQL act as a signed-in administrator, as a team would."""
    if "db_url" not in request.fixturenames:
        return
    url = request.getfixturevalue("db_url")
    if not url.startswith("postgresql"):
        return
    from recruit_app.services.auth import create_first_administrator
    from recruit_app.services.database import open_db

    email, name, password = CLI_ADMIN
    db = open_db(url)
    try:
        create_first_administrator(db, email=email, name=name, password=password)
    finally:
        db.dispose()
    monkeypatch.setenv("RECRUIT_APP_USER", email)
    monkeypatch.setenv("RECRUIT_APP_PASSWORD", password)
