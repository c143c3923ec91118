"""Migrations are the only source of the schema, and they match the models exactly."""

from __future__ import annotations

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


def test_no_drift_on_sqlite(tmp_path):
    assert _drift(str(tmp_path / "fresh.sqlite3")) == []


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
