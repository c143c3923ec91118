"""the standard sections of an advert and information pack

Columns on the advert table (so the row-level security policies and grants of 0008 cover
them as they cover the rest of the row): when candidates hear, feedback, reasonable
adjustments, the Redeployment Interview Scheme, expenses, security checks, the recruitment
principles and complaints. Existing rows get "" (the checker then asks for each).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    "hearing_back",
    "feedback_statement",
    "adjustments_statement",
    "redeployment_statement",
    "expenses",
    "security_statement",
    "recruitment_principles",
    "complaints",
)


def upgrade() -> None:
    with op.batch_alter_table("advert", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("advert", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
