"""interview plans, a scale per matrix cell, ordered lead criteria, overall overrides

- plan_question: a stage's interview plan, question by question for each matrix cell,
  with probes, minutes, unseen (strength questions) and the day a topic is sent;
- plan_deviation: a departure from the plan with one candidate, recorded;
- stage.welcome_script and stage.close_script: the chair's script;
- stage_criterion.scale and custom_scale: the cell's own scale ("": the stage's);
- advert_criterion.lead_rank: the order of several lead criteria in the tie-break;
- overall_override: the chair's override of a candidate's overall score, with why.

On PostgreSQL the new tables get grants, row-level security and change records as 0008
gives the others: plans and deviations are read by whoever sees the stage and changed by
its managers (deviations also recorded by its panel); an override is read where the
stage's outcomes are, and set by its managers or its chair.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 08:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

GROUPS = ("recruit_administrators", "recruit_managers", "recruit_panel_members")
ADMINS, MANAGERS, PANEL = GROUPS
EVERYONE = ", ".join(GROUPS)
STAFF = f"{ADMINS}, {MANAGERS}"

# Read beside 0008's GRANTS by tests/integration/test_pg_security.py: every table decided.
GRANTS: dict[str, dict[str, str]] = {
    "plan_question": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "plan_deviation": {EVERYONE: "SELECT, INSERT", STAFF: "UPDATE, DELETE"},
    "overall_override": {EVERYONE: "SELECT, INSERT, UPDATE", STAFF: "DELETE"},
}
MANAGED_STAGE = (
    "stage_id IN (SELECT id FROM stage WHERE campaign_id IN (SELECT recruit_managed_campaigns()))"
)
VISIBLE_STAGE = "stage_id IN (SELECT recruit_visible_stages())"
SEATED = "stage_id IN (SELECT stage_id FROM recruit_seats())"
CHAIRED = "stage_id IN (SELECT stage_id FROM recruit_seats() WHERE chair)"
OUTCOME_STAGE = "stage_id IN (SELECT recruit_outcome_stages())"
POLICIES: list[tuple[str, str, str, str | None, str | None]] = [
    ("plan_question", "read", "SELECT", f"{VISIBLE_STAGE} OR {MANAGED_STAGE}", None),
    ("plan_question", "manage", "ALL", MANAGED_STAGE, MANAGED_STAGE),
    ("plan_deviation", "read", "SELECT", f"{VISIBLE_STAGE} OR {MANAGED_STAGE}", None),
    ("plan_deviation", "record", "INSERT", None, f"{SEATED} OR {MANAGED_STAGE}"),
    ("plan_deviation", "manage", "ALL", MANAGED_STAGE, MANAGED_STAGE),
    ("overall_override", "read", "SELECT", f"{OUTCOME_STAGE} OR {MANAGED_STAGE}", None),
    ("overall_override", "set", "INSERT", None, f"{CHAIRED} OR {MANAGED_STAGE}"),
    (
        "overall_override",
        "change",
        "UPDATE",
        f"{CHAIRED} OR {MANAGED_STAGE}",
        f"{CHAIRED} OR {MANAGED_STAGE}",
    ),
    ("overall_override", "remove", "DELETE", MANAGED_STAGE, None),
]


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "plan_question",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("stage_criterion_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("probes", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("unseen", sa.Boolean(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_plan_question_minutes_not_negative")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_plan_question_question_id_question"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stage_criterion_id"],
            ["stage_criterion.id"],
            name=op.f("fk_plan_question_stage_criterion_id_stage_criterion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stage.id"],
            name=op.f("fk_plan_question_stage_id_stage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_question")),
    )
    with op.batch_alter_table("plan_question", schema=None) as batch_op:
        for column in ("question_id", "stage_criterion_id", "stage_id"):
            batch_op.create_index(batch_op.f(f"ix_plan_question_{column}"), [column], unique=False)
    op.create_table(
        "plan_deviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_at", db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_plan_deviation_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stage.id"],
            name=op.f("fk_plan_deviation_stage_id_stage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_deviation")),
    )
    with op.batch_alter_table("plan_deviation", schema=None) as batch_op:
        for column in ("candidate_id", "stage_id"):
            batch_op.create_index(batch_op.f(f"ix_plan_deviation_{column}"), [column], unique=False)
    op.create_table(
        "overall_override",
        *_versioned(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_overall_override_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stage.id"],
            name=op.f("fk_overall_override_stage_id_stage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overall_override")),
        sa.UniqueConstraint("stage_id", "candidate_id", name=op.f("uq_overall_override_stage_id")),
    )
    with op.batch_alter_table("overall_override", schema=None) as batch_op:
        for column in ("candidate_id", "stage_id"):
            batch_op.create_index(
                batch_op.f(f"ix_overall_override_{column}"), [column], unique=False
            )
    with op.batch_alter_table("advert_criterion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lead_rank", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("stage", schema=None) as batch_op:
        for name in ("welcome_script", "close_script"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("stage_criterion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scale",
                sqlmodel.sql.sqltypes.AutoString(length=40),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("custom_scale", sa.JSON(), nullable=False, server_default="[]")
        )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_security()


def _postgresql_security() -> None:
    run = op.execute
    for table, grants in GRANTS.items():
        run(f"REVOKE ALL ON {table} FROM PUBLIC")
        for groups, privileges in grants.items():
            run(f"GRANT {privileges} ON {table} TO {groups}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for operation, kind in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            run(
                f"CREATE TRIGGER record_{operation.lower()} AFTER {operation} ON {table} "
                f"REFERENCING {kind} TABLE AS changed "
                "FOR EACH STATEMENT EXECUTE FUNCTION recruit_record_change()"
            )
    for table, name, command, using, check in POLICIES:
        clauses = (f" USING ({using})" if using else "") + (
            f" WITH CHECK ({check})" if check else ""
        )
        run(f'CREATE POLICY "{name}" ON {table} FOR {command} TO {EVERYONE}{clauses}')
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {EVERYONE}")


def downgrade() -> None:
    with op.batch_alter_table("stage_criterion", schema=None) as batch_op:
        batch_op.drop_column("custom_scale")
        batch_op.drop_column("scale")
    with op.batch_alter_table("stage", schema=None) as batch_op:
        batch_op.drop_column("close_script")
        batch_op.drop_column("welcome_script")
    with op.batch_alter_table("advert_criterion", schema=None) as batch_op:
        batch_op.drop_column("lead_rank")
    op.drop_table("overall_override")
    op.drop_table("plan_deviation")
    op.drop_table("plan_question")
