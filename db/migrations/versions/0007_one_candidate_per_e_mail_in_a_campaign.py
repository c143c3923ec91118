"""one candidate per e-mail in a campaign, whatever its case

A unique index on (campaign, lower(e-mail)) for candidates that have an e-mail (erased
candidates have none). Imports already refused such duplicates, but two imports at the
same moment could each pass the check; from now on the database refuses the second.

If a database already holds such duplicates (from that race), the upgrade stops and
names them rather than choosing which candidate to change: nothing is changed, and the
message says what to fix with the previous version.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:32:23.766478
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from recruit_app.errors import DatabaseUnavailable

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    duplicates = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT campaign.reference, candidate.candidate_number FROM candidate "
                "JOIN campaign ON campaign.id = candidate.campaign_id "
                "WHERE candidate.email <> '' AND EXISTS (SELECT 1 FROM candidate other "
                "WHERE other.campaign_id = candidate.campaign_id AND other.id <> candidate.id "
                "AND lower(other.email) = lower(candidate.email)) "
                "ORDER BY campaign.reference, candidate.candidate_number"
            )
        )
        .all()
    )
    if duplicates:
        listed = ", ".join(f"{reference} {number}" for reference, number in duplicates[:20])
        raise DatabaseUnavailable(
            "The database could not be upgraded, and nothing was changed: some candidates share an e-mail within their campaign, which this version "
            f"refuses: {listed}. Withdraw or correct all but one of each with the previous "
            "version of Recruit, then open the database again."
        )
    op.create_index(
        "uq_candidate_campaign_email",
        "candidate",
        ["campaign_id", sa.text("lower(email)")],
        unique=True,
        sqlite_where=sa.text("email <> ''"),
        postgresql_where=sa.text("email <> ''"),
    )


def downgrade() -> None:
    op.drop_index("uq_candidate_campaign_email", table_name="candidate")
