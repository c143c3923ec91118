"""Migrations are the only source of the schema, and they match the models exactly."""

from __future__ import annotations

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from db import schema
from db.database import open_database
from db.migrate import alembic_config
from db.models import metadata


def _drift(url: str) -> list:
    db = open_database(url)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        db.dispose()


# SQLAlchemy cannot reflect SQLite's indexes on expressions, so Alembic skips comparing
# them (with this warning); test_the_e_mail_index_is_there checks the one we have.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_no_drift_on_sqlite(tmp_path):
    assert _drift(str(tmp_path / "fresh.sqlite3")) == []


def test_the_e_mail_index_is_there(db_url):
    db = open_database(db_url)
    try:
        with db.engine.connect() as connection:
            if db.backend == "sqlite":
                sql = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'uq_candidate_campaign_email'"
                ).scalar()
            else:
                sql = connection.exec_driver_sql(
                    "SELECT indexdef FROM pg_indexes "
                    "WHERE indexname = 'uq_candidate_campaign_email'"
                ).scalar()
    finally:
        db.dispose()
    assert sql is not None and "UNIQUE" in sql.upper()
    plain = sql.replace("::text", "")  # PostgreSQL spells it lower((email)::text)
    assert re.search(r"lower\(\(?email\)?\)", plain) and re.search(r"email\)? <> ''", plain)


@pytest.mark.postgres
def test_no_drift_on_postgresql(pg_empty_url):
    assert _drift(pg_empty_url) == []


def test_file_names_give_the_revisions_in_order():
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == schema.head_revision()
    chain = [s.revision for s in scripts.walk_revisions()][::-1]
    assert chain == schema.known_revisions()
    for revision in chain:
        assert scripts.get_revision(revision).path.split("/")[-1].startswith(f"{revision}_")
