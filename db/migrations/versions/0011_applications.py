"""applications: CVs, statements, answers and documents, with their name-blind text

The table application_part holds each part of a candidate's application: the text as
written or extracted, the text with the candidate's own identifiers replaced (computed at
import, correctable by the manager), and the original file. Two advert columns give the
application form's word limits (0: none).

On PostgreSQL (the team security of 0008 extended to the new table): only administrators
and managers are granted the table, limited by row-level security to the candidates of
campaigns they manage; panel members read it through the view recruit_panel.application_part
(first on their search_path), which gives them the redacted text, no file and no file
name unless they sit on a stage without name-blinding that the candidate reached. Every
change is recorded in data_change, as for the other tables.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

GROUPS = ("recruit_administrators", "recruit_managers", "recruit_panel_members")
ADMINS, MANAGERS, PANEL = GROUPS
EVERYONE = ", ".join(GROUPS)
STAFF = f"{ADMINS}, {MANAGERS}"

# Read beside 0008's GRANTS by tests/integration/test_pg_security.py: every table decided.
GRANTS: dict[str, dict[str, str]] = {
    # Panel members read applications through recruit_panel.application_part only.
    "application_part": {STAFF: "SELECT, INSERT, UPDATE, DELETE"},
}
MANAGED = "candidate_id IN (SELECT recruit_managed_candidates())"

PANEL_VIEW = """
CREATE OR REPLACE VIEW recruit_panel.application_part WITH (security_barrier = true) AS
SELECT a.id, a.version, a.updated_at, a.updated_by, a.candidate_id,
  CASE WHEN v.named THEN a.key ELSE a.kind END AS key,
  a.kind, a.advert_criterion_id, a.label, a.position,
  CASE WHEN v.named THEN a.text ELSE a.redacted_text END AS text,
  a.redacted_text,
  CASE WHEN v.named THEN a.redactions ELSE '[]'::json END AS redactions,
  a.redaction_checked, a.words,
  CASE WHEN v.named THEN a.file_name ELSE '' END AS file_name,
  a.media_type,
  CASE WHEN v.named THEN a.content ELSE NULL END AS content,
  a.byte_size, a.no_text, a.note,
  CASE WHEN v.named THEN a.source ELSE '' END AS source,
  a.created_at
FROM public.application_part a
JOIN public.recruit_panel_candidates() v ON v.candidate_id = a.candidate_id
"""


def upgrade() -> None:
    op.create_table(
        "application_part",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("advert_criterion_id", sa.Integer(), nullable=True),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("redacted_text", sa.Text(), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("redaction_checked", sa.Boolean(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("no_text", sa.Boolean(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cv', 'statement', 'answer', 'eligibility', 'document')",
            name=op.f("ck_application_part_kind_known"),
        ),
        sa.CheckConstraint("words >= 0", name=op.f("ck_application_part_words_not_negative")),
        sa.ForeignKeyConstraint(
            ["advert_criterion_id"],
            ["advert_criterion.id"],
            name=op.f("fk_application_part_advert_criterion_id_advert_criterion"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_application_part_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_part")),
        sa.UniqueConstraint("candidate_id", "key", name=op.f("uq_application_part_candidate_id")),
    )
    with op.batch_alter_table("application_part", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_part_advert_criterion_id"),
            ["advert_criterion_id"],
            unique=False,
        )
    with op.batch_alter_table("advert", schema=None) as batch_op:
        for name in ("statement_word_limit", "answer_word_limit"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_security()


def _postgresql_security() -> None:
    run = op.execute
    for table, grants in GRANTS.items():
        run(f"REVOKE ALL ON {table} FROM PUBLIC")
        for groups, privileges in grants.items():
            run(f"GRANT {privileges} ON {table} TO {groups}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(
            f'CREATE POLICY "manage" ON {table} FOR ALL TO {EVERYONE} '
            f"USING ({MANAGED}) WITH CHECK ({MANAGED})"
        )
        for operation, kind in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            run(
                f"CREATE TRIGGER record_{operation.lower()} AFTER {operation} ON {table} "
                f"REFERENCING {kind} TABLE AS changed "
                "FOR EACH STATEMENT EXECUTE FUNCTION recruit_record_change()"
            )
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {EVERYONE}")
    run(PANEL_VIEW)
    run(f"GRANT SELECT ON recruit_panel.application_part TO {PANEL}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP VIEW IF EXISTS recruit_panel.application_part")
    with op.batch_alter_table("advert", schema=None) as batch_op:
        batch_op.drop_column("answer_word_limit")
        batch_op.drop_column("statement_word_limit")
    with op.batch_alter_table("application_part", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_part_advert_criterion_id"))
    op.drop_table("application_part")
