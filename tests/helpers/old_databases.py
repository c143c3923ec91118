"""Databases at the first schema revision, holding a few rows, for upgrade tests."""

from __future__ import annotations

from sqlalchemy import text

from db import schema

OLD_ROWS = [
    "INSERT INTO campaign (id, version, updated_at, updated_by, reference, title, status, "
    "archived, created_at) VALUES (1, 1, '2026-01-01', 'x', 'OLD-1', 'Old', 'draft', false, "
    "'2026-01-01')",
    "INSERT INTO stage (version, updated_at, updated_by, campaign_id, position, name, kind, "
    "mode, scale, custom_scale, name_blind, min_assessors, moderation_spread, progress_rule) "
    "VALUES (1, '2026-01-01', 'x', 1, 0, 'Sift', 'sift', '', 'sp7', '[]', true, 2, 2, "
    "'all_passing')",
    "INSERT INTO candidate (version, updated_at, updated_by, campaign_id, candidate_number, "
    "first_name, last_name, email, phone, guaranteed_interview, redeployment, adjustments, "
    "unavailable_dates, extra, status, created_at) VALUES (1, '2026-01-01', 'x', 1, '0001', "
    "'Siân', 'Evans', 's@example.org', '', false, false, '', '[]', '{}', 'applied', "
    "'2026-01-01')",
]


def database_at_first_revision_with_rows(url: str) -> None:
    """Build the schema of the first migration at `url` and put OLD_ROWS in it."""
    from alembic import command

    from db.engine import make_engine, parse_database_url
    from db.migrate import alembic_config

    engine = make_engine(parse_database_url(url))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, schema.known_revisions()[0])
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    engine.dispose()
