"""equality monitoring: candidates' answers, kept apart, and who may read them

- equality_answer: a candidate's answer to one monitoring question (a characteristic's
  code and a category's code), deleted with the candidate and by erasure;
- person.equality_monitoring: the person may read the answers and the fairness figures
  made from them (administrators always may). The configurable list of characteristics
  and the suppression threshold are database settings (app_setting), defaults in code.

On PostgreSQL the answers are granted to administrators and a new group role,
recruit_equality, that a trigger on person gives the login role of each active recruiting
manager or administrator with the flag (and takes back when the flag, the role or
activity goes); nothing is granted to managers or panel members otherwise. Row-level
security: administrators every answer; a flagged manager the answers of the candidates
of campaigns they manage. Only an administrator may set the flag, whatever the client.
Erasure and subject access, which a manager without the flag may perform, reach a
candidate's own answers through two functions that check the candidate is theirs.
Every change is recorded in data_change, as for the other tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

GROUPS = ("recruit_administrators", "recruit_managers", "recruit_panel_members")
ADMINS, MANAGERS, PANEL = GROUPS
EVERYONE = ", ".join(GROUPS)
STAFF = f"{ADMINS}, {MANAGERS}"
EQUALITY = "recruit_equality"  # people given equality monitoring, whatever their group
READERS = f"{ADMINS}, {EQUALITY}"
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp SET jit = off"

# Read beside 0008's GRANTS by tests/integration/test_pg_security.py: every table decided.
GRANTS: dict[str, dict[str, str]] = {
    "equality_answer": {READERS: "SELECT, INSERT, UPDATE, DELETE"},
}
MAY_MONITOR = "(SELECT recruit_may_monitor())"
ADMIN = "(SELECT recruit_my_role()) = 'administrator'"
MANAGED = "candidate_id IN (SELECT recruit_managed_candidates())"
POLICIES: list[tuple[str, str, str, str | None, str | None]] = [
    (
        "equality_answer",
        "monitor",
        "ALL",
        f"{ADMIN} OR ({MAY_MONITOR} AND {MANAGED})",
        f"{ADMIN} OR ({MAY_MONITOR} AND {MANAGED})",
    ),
]

FUNCTIONS = [
    # Whether the person signed in may read equality monitoring answers.
    f"""
CREATE OR REPLACE FUNCTION recruit_may_monitor() RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT coalesce((SELECT p.role = 'administrator'
                      OR (p.role = 'recruiting_manager' AND p.equality_monitoring)
                   FROM person p WHERE p.db_role = session_user AND p.active), false)
$$""",
    # Only an administrator (or the schema's owner) sets or clears the flag.
    f"""
CREATE OR REPLACE FUNCTION recruit_guard_equality_flag() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  IF NEW.equality_monitoring
     IS DISTINCT FROM (CASE WHEN TG_OP = 'INSERT' THEN false ELSE OLD.equality_monitoring END)
     AND NOT (recruit_my_role() = 'administrator' OR recruit_is_owner()) THEN
    RAISE EXCEPTION 'only an administrator may give or take away equality monitoring'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$""",
    # The person's login role is in recruit_equality exactly while they may monitor.
    f"""
CREATE OR REPLACE FUNCTION recruit_sync_equality_role() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE wanted boolean;
BEGIN
  IF NEW.db_role IS NULL OR NOT EXISTS (
       SELECT 1 FROM pg_roles WHERE rolname = NEW.db_role AND NOT (rolsuper OR rolcreaterole
       OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
    RETURN NULL;
  END IF;
  wanted := NEW.active AND NEW.equality_monitoring
            AND NEW.role IN ('administrator', 'recruiting_manager');
  IF wanted AND NOT pg_has_role(NEW.db_role, '{EQUALITY}', 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', '{EQUALITY}', NEW.db_role);
  ELSIF NOT wanted AND pg_has_role(NEW.db_role, '{EQUALITY}', 'MEMBER') THEN
    EXECUTE format('REVOKE %I FROM %I', '{EQUALITY}', NEW.db_role);
  END IF;
  RETURN NULL;
END
$$""",
    # Erasure by the candidate's manager, flagged or not: their answers go.
    f"""
CREATE OR REPLACE FUNCTION recruit_erase_equality_answers(p_candidates integer[])
RETURNS integer LANGUAGE plpgsql {DEFINER} AS $$
DECLARE gone integer;
BEGIN
  IF NOT (recruit_my_role() = 'administrator' OR recruit_is_owner()) AND EXISTS (
       SELECT 1 FROM unnest(p_candidates) AS c(id)
       WHERE c.id NOT IN (SELECT recruit_managed_candidates())) THEN
    RAISE EXCEPTION 'permission denied to erase these candidates'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM equality_answer WHERE candidate_id = ANY (p_candidates);
  GET DIAGNOSTICS gone = ROW_COUNT;
  RETURN gone;
END
$$""",
    # Subject access by the candidate's manager: the candidate's own answers only.
    f"""
CREATE OR REPLACE FUNCTION recruit_own_equality_answers(p_candidate integer)
RETURNS TABLE (characteristic text, category text)
LANGUAGE plpgsql STABLE {DEFINER} AS $$
BEGIN
  IF NOT (recruit_my_role() = 'administrator' OR recruit_is_owner()
          OR p_candidate IN (SELECT recruit_managed_candidates())) THEN
    RAISE EXCEPTION 'permission denied to read candidate %', p_candidate
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT a.characteristic::text, a.category::text FROM equality_answer a
    WHERE a.candidate_id = p_candidate ORDER BY a.id;
END
$$""",
]
FUNCTION_GRANTS = {
    "recruit_may_monitor()": EVERYONE,
    "recruit_guard_equality_flag()": EVERYONE,
    "recruit_sync_equality_role()": EVERYONE,
    "recruit_erase_equality_answers(integer[])": STAFF,
    "recruit_own_equality_answers(integer)": STAFF,
}


def upgrade() -> None:
    op.create_table(
        "equality_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("characteristic", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("imported_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_equality_answer_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_answer")),
        sa.UniqueConstraint(
            "candidate_id", "characteristic", name=op.f("uq_equality_answer_candidate_id")
        ),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "equality_monitoring", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_security()


def _postgresql_security() -> None:
    run = op.execute
    run(
        f"DO $$ BEGIN CREATE ROLE {EQUALITY} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    for sql in FUNCTIONS:
        run(sql)
    for signature, groups in FUNCTION_GRANTS.items():
        run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        run(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups}")
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
        run(f'CREATE POLICY "{name}" ON {table} FOR {command} TO {READERS}{clauses}')
    run(
        "CREATE TRIGGER equality_flag_guard BEFORE INSERT OR UPDATE OF equality_monitoring "
        "ON person FOR EACH ROW EXECUTE FUNCTION recruit_guard_equality_flag()"
    )
    run(
        "CREATE TRIGGER equality_role_sync AFTER INSERT OR UPDATE OF equality_monitoring, "
        "role, active, db_role ON person FOR EACH ROW EXECUTE FUNCTION "
        "recruit_sync_equality_role()"
    )
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {EVERYONE}, {EQUALITY}")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("DROP TRIGGER IF EXISTS equality_role_sync ON person")
        op.execute("DROP TRIGGER IF EXISTS equality_flag_guard ON person")
    op.drop_table("equality_answer")  # with its policy, which calls recruit_may_monitor
    if postgresql:
        for signature in FUNCTION_GRANTS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("equality_monitoring")
