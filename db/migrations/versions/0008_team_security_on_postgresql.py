"""team mode secured by PostgreSQL itself

Both backends: a person's login role (person.db_role), the role that wrote each audit
event (audit_event.db_role), and the database's own record of changes (data_change).

PostgreSQL only (see db/pg_roles.py and the README's team set-up):
- three group roles, the same on every Recruit database of a server, granted the least
  each needs; CONNECT to this database for them only;
- row-level security on every table, its policies deciding from the person row of the
  signed-in role (`session_user`): administrators everything; recruiting managers the
  campaigns they own, share or nobody owns; panel members the stages they sit on (and the
  earlier ones, to know who reached theirs), others' scores for a candidate only once they
  have submitted theirs (all of a stage once they owe nothing there, or as its chair);
- panel members read candidates through the view recruit_panel.candidate (first on their
  search_path), which blanks names, contact details, flags, adjustments and other
  information unless they sit on a stage without name-blinding that the candidate
  reached; the table itself is not granted to them;
- the audit trail is append-only: INSERT for the groups, stamped by a trigger with the
  role, the person and the time; nothing else for anyone but the owner; erasure's
  redaction goes through recruit_redact_audit_events, for administrators only;
- statement triggers on every other table record each change (role, transaction, table,
  operation, rows) in data_change, so a change made with a raw SQL client is on record;
- people become login roles through recruit_enrol (SECURITY DEFINER, owned by the schema
  owner, who needs CREATEROLE): it takes a SCRAM verifier made on the client, never a
  password, and creates only Recruit person roles.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:22:05.222215
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

GROUPS = ("recruit_administrators", "recruit_managers", "recruit_panel_members")
ADMINS, MANAGERS, PANEL = GROUPS
EVERYONE = ", ".join(GROUPS)
STAFF = f"{ADMINS}, {MANAGERS}"
# jit off: these are small lookups the planner over-costs (a set-returning function is
# guessed at 1,000 rows), and compiling them took 0.3 s a call on a 2,000-candidate stage.
DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp SET jit = off"

# What each group may do with each table; row-level security then limits the rows.
# Every table has a line: tests/integration/test_pg_security.py fails on one without.
GRANTS: dict[str, dict[str, str]] = {
    # The template library: everyone reads; administrators and managers edit their own.
    "framework": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "criterion": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "criterion_level": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "question": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "role_template": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    # Campaign data: panel members read some, managers change the campaigns they manage.
    "campaign": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "campaign_share": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "timetable_event": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "advert": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "post": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "advert_publication": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "advert_criterion": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "stage": {
        EVERYONE: "SELECT",
        STAFF: "INSERT, UPDATE, DELETE",
        # The chair settles ties: these columns only.
        PANEL: "UPDATE (tie_note, tie_progress, version, updated_at, updated_by)",
    },
    "stage_criterion": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "person": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE"},  # nobody is deleted
    "panel_assignment": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    # Panel members read candidates through recruit_panel.candidate only.
    "candidate": {STAFF: "SELECT, INSERT, UPDATE, DELETE"},
    "person_busy": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "conflict_declaration": {EVERYONE: "SELECT, INSERT", STAFF: "UPDATE, DELETE"},
    "interview_slot": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "score": {EVERYONE: "SELECT, INSERT, UPDATE", STAFF: "DELETE"},
    "moderated_score": {EVERYONE: "SELECT, INSERT, UPDATE", STAFF: "DELETE"},
    "outcome": {EVERYONE: "SELECT", STAFF: "INSERT, UPDATE, DELETE"},
    "app_meta": {EVERYONE: "SELECT"},  # the built-in library's stamp: the owner writes it
    "sift_order": {EVERYONE: "SELECT, INSERT", STAFF: "DELETE"},
    "app_setting": {EVERYONE: "SELECT", ADMINS: "INSERT, UPDATE"},
    "audit_event": {EVERYONE: "SELECT, INSERT"},  # append-only
    "data_change": {ADMINS: "SELECT"},  # written by the database's triggers only
    "alembic_version": {EVERYONE: "SELECT"},
}

# Each function runs as the schema's owner, so the policies that call it do not recurse
# into each other's row-level security; each finds the person from `session_user`.
FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION recruit_me() RETURNS integer LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT id FROM person WHERE db_role = session_user AND active
$$""",
    f"""
CREATE OR REPLACE FUNCTION recruit_my_role() RETURNS text LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT role FROM person WHERE db_role = session_user AND active
$$""",
    f"""
CREATE OR REPLACE FUNCTION recruit_managed_campaigns() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT c.id FROM campaign c
  JOIN person p ON p.db_role = session_user AND p.active
  WHERE p.role = 'administrator'
     OR (p.role = 'recruiting_manager' AND (
         c.owner_id IS NULL OR c.owner_id = p.id
         OR EXISTS (SELECT 1 FROM campaign_share s
                    WHERE s.campaign_id = c.id AND s.person_id = p.id)))
$$""",
    f"""
CREATE OR REPLACE FUNCTION recruit_seats()
RETURNS TABLE (stage_id integer, campaign_id integer, stage_position integer,
               name_blind boolean, chair boolean, previous_stage integer,
               panel_number integer)
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT st.id, st.campaign_id, st.position, st.name_blind, a.panel_role = 'chair',
         (SELECT e.id FROM stage e WHERE e.campaign_id = st.campaign_id
          AND e.position < st.position ORDER BY e.position DESC LIMIT 1),
         a.panel_number
  FROM panel_assignment a
  JOIN stage st ON st.id = a.stage_id
  JOIN person p ON p.id = a.person_id AND p.db_role = session_user AND p.active
$$""",
    f"""
CREATE OR REPLACE FUNCTION recruit_visible_campaigns() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT recruit_managed_campaigns()
  UNION SELECT campaign_id FROM recruit_seats()
$$""",
    # A panel member sees the stages they sit on and the earlier ones (whose outcomes say
    # who reached theirs); nothing after their last.
    f"""
CREATE OR REPLACE FUNCTION recruit_visible_stages() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT st.id FROM stage st WHERE st.campaign_id IN (SELECT recruit_managed_campaigns())
  UNION
  SELECT st.id FROM stage st
  JOIN (SELECT campaign_id, max(stage_position) AS last FROM recruit_seats()
        GROUP BY campaign_id) s
    ON s.campaign_id = st.campaign_id AND st.position <= s.last
$$""",
    # The candidates who reached a stage the panel member sits on (everyone reaches the
    # first; a later one, those the stage before progressed), and whether any of those
    # stages shows names.
    f"""
CREATE OR REPLACE FUNCTION recruit_panel_candidates()
RETURNS TABLE (candidate_id integer, named boolean)
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT c.id, bool_or(NOT s.name_blind)
  FROM recruit_seats() s
  JOIN candidate c ON c.campaign_id = s.campaign_id
  WHERE s.previous_stage IS NULL OR EXISTS (
    SELECT 1 FROM outcome o WHERE o.stage_id = s.previous_stage
    AND o.candidate_id = c.id AND o.kind = 'progress')
  GROUP BY c.id
$$""",
    # Stages where the panel member has submitted every score they owe: for each
    # candidate who reached it, has not withdrawn, is not in conflict with them and (where
    # interviews are booked) is booked on their panel, every criterion.
    f"""
CREATE OR REPLACE FUNCTION recruit_completed_stages() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  -- Counted, not searched cell by cell: my submitted scores for the candidates I owe them
  -- (one score per cell, by the unique index) against candidates x criteria. Two scans,
  -- whatever the planner's statistics say.
  SELECT s.stage_id FROM recruit_seats() s
  CROSS JOIN LATERAL (
    WITH owed AS (
      SELECT c.id FROM candidate c
      WHERE c.campaign_id = s.campaign_id
        AND (s.previous_stage IS NULL OR c.id IN (
             SELECT o.candidate_id FROM outcome o
             WHERE o.stage_id = s.previous_stage AND o.kind = 'progress'))
        AND c.id NOT IN (SELECT w.candidate_id FROM outcome w WHERE w.kind = 'withdrawn')
        AND c.id NOT IN (SELECT d.candidate_id FROM conflict_declaration d
                         WHERE d.person_id = (SELECT recruit_me()))
        -- where interviews are booked, a member owes only those booked on their panel
        AND (NOT EXISTS (SELECT 1 FROM interview_slot b
                         WHERE b.stage_id = s.stage_id AND b.status = 'booked')
             OR c.id IN (SELECT b.candidate_id FROM interview_slot b
                         WHERE b.stage_id = s.stage_id AND b.status = 'booked'
                           AND b.panel_number = s.panel_number)))
    SELECT (SELECT count(*) FROM owed)
           * (SELECT count(*) FROM stage_criterion k WHERE k.stage_id = s.stage_id) AS cells,
           (SELECT count(*) FROM score x JOIN stage_criterion sc ON sc.id = x.stage_criterion_id
            WHERE sc.stage_id = s.stage_id AND x.assessor_id = (SELECT recruit_me())
              AND x.status = 'submitted' AND x.candidate_id IN (SELECT id FROM owed)) AS done
  ) t
  WHERE t.done = t.cells
$$""",
    # Criteria (cells) whose every score the person may read: the campaigns they manage,
    # the stages they chair, and the stages where they owe nothing more.
    f"""
CREATE OR REPLACE FUNCTION recruit_readable_cells() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT sc.id FROM stage_criterion sc
  JOIN stage st ON st.id = sc.stage_id
  WHERE st.campaign_id IN (SELECT recruit_managed_campaigns())
     OR st.id IN (SELECT stage_id FROM recruit_seats() WHERE chair)
     OR st.id IN (SELECT recruit_completed_stages())
$$""",
    # Independence: the (criterion, candidate) pairs where others' scores become readable
    # because the panel member has submitted all of theirs for that candidate there.
    f"""
CREATE OR REPLACE FUNCTION recruit_unlocked_scores()
RETURNS TABLE (cell_id integer, candidate_id integer)
LANGUAGE sql STABLE {DEFINER} AS $$
  WITH mine AS (
    SELECT sc.stage_id, s.candidate_id, count(*) AS done
    FROM score s JOIN stage_criterion sc ON sc.id = s.stage_criterion_id
    WHERE s.assessor_id = (SELECT recruit_me()) AND s.status = 'submitted'
    GROUP BY sc.stage_id, s.candidate_id)
  SELECT sc.id, mine.candidate_id FROM mine
  JOIN stage_criterion sc ON sc.stage_id = mine.stage_id
  WHERE mine.done = (SELECT count(*) FROM stage_criterion x WHERE x.stage_id = mine.stage_id)
$$""",
    # Cells of the stages the person may score at: managed campaigns, or a seat.
    f"""
CREATE OR REPLACE FUNCTION recruit_scorable_cells() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT sc.id FROM stage_criterion sc JOIN stage st ON st.id = sc.stage_id
  WHERE st.campaign_id IN (SELECT recruit_managed_campaigns())
     OR st.id IN (SELECT stage_id FROM recruit_seats())
$$""",
    # Cells whose scores the person may enter for anyone (paper scores): managed campaigns.
    f"""
CREATE OR REPLACE FUNCTION recruit_campaign_cells() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT sc.id FROM stage_criterion sc JOIN stage st ON st.id = sc.stage_id
  WHERE st.campaign_id IN (SELECT recruit_managed_campaigns())
$$""",
    # Cells whose agreed scores the person may record: managed campaigns, chaired stages.
    f"""
CREATE OR REPLACE FUNCTION recruit_moderated_cells() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT recruit_campaign_cells()
  UNION
  SELECT sc.id FROM stage_criterion sc
  WHERE sc.stage_id IN (SELECT stage_id FROM recruit_seats() WHERE chair)
$$""",
    # Candidates of the campaigns the person manages.
    f"""
CREATE OR REPLACE FUNCTION recruit_managed_candidates() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT c.id FROM candidate c WHERE c.campaign_id IN (SELECT recruit_managed_campaigns())
$$""",
    # Outcomes a panel member may read: of the stages before theirs (who reached it), and
    # of their own once they owe nothing there, or as its chair.
    f"""
CREATE OR REPLACE FUNCTION recruit_outcome_stages() RETURNS SETOF integer
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT st.id FROM stage st WHERE st.campaign_id IN (SELECT recruit_managed_campaigns())
  UNION
  SELECT st.id FROM stage st JOIN recruit_seats() s
    ON s.campaign_id = st.campaign_id AND st.position < s.stage_position
  UNION SELECT stage_id FROM recruit_seats() WHERE chair
  UNION SELECT recruit_completed_stages()
$$""",
    f"""
CREATE OR REPLACE FUNCTION recruit_is_owner() RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT session_user = (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                         WHERE c.oid = 'public.person'::regclass)
      OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
$$""",
    # The same rule as db.pg_roles.role_name (e-mails are stored trimmed and lower case).
    """
CREATE OR REPLACE FUNCTION recruit_role_name(p_email text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN octet_length(current_database() || ':' || p_email) <= 63
              THEN current_database() || ':' || p_email
              ELSE 'recruit~' || md5(current_database() || ':' || p_email) END
$$""",
    # Make or update a person's login role: name, group, LOGIN while active with a
    # password, panel members' search_path. Takes a SCRAM verifier, never a password.
    f"""
CREATE OR REPLACE FUNCTION recruit_enrol(p_person integer, p_verifier text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  target person%ROWTYPE;
  caller text := recruit_my_role();
  wanted text;
  grp text;
  g text;
  can_login boolean;
BEGIN
  SELECT * INTO target FROM person WHERE id = p_person FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'there is no person %', p_person USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT (caller = 'administrator' OR recruit_is_owner()
          OR (caller = 'recruiting_manager' AND target.role = 'panel_member'
              AND p_verifier IS NULL)) THEN
    RAISE EXCEPTION 'permission denied to enrol person %', p_person
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_verifier IS NOT NULL AND p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'only a SCRAM verifier is accepted, never a password'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  wanted := recruit_role_name(target.email);
  IF target.db_role IS NOT NULL AND target.db_role <> wanted
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = target.db_role) THEN
    EXECUTE format('ALTER ROLE %I RENAME TO %I', target.db_role, wanted);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted AND (rolsuper OR rolcreaterole
             OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
    RAISE EXCEPTION 'the role % is not a Recruit person''s role', wanted
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted) THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', wanted);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;  -- made meanwhile by another enrolment
    END;
  END IF;
  IF p_verifier IS NOT NULL THEN
    EXECUTE format('ALTER ROLE %I PASSWORD %L', wanted, p_verifier);
  END IF;
  grp := CASE target.role WHEN 'administrator' THEN '{ADMINS}'
                          WHEN 'recruiting_manager' THEN '{MANAGERS}'
                          ELSE '{PANEL}' END;
  FOREACH g IN ARRAY ARRAY['{ADMINS}', '{MANAGERS}', '{PANEL}'] LOOP
    IF g <> grp AND pg_has_role(wanted, g, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', g, wanted);
    END IF;
  END LOOP;
  IF NOT pg_has_role(wanted, grp, 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', grp, wanted);
  END IF;
  IF target.role = 'panel_member' THEN
    EXECUTE format('ALTER ROLE %I SET search_path = recruit_panel, public', wanted);
  ELSE
    EXECUTE format('ALTER ROLE %I RESET search_path', wanted);
  END IF;
  can_login := target.active AND (p_verifier IS NOT NULL OR target.password_changed_at IS NOT NULL);
  EXECUTE format('ALTER ROLE %I %s', wanted, CASE WHEN can_login THEN 'LOGIN' ELSE 'NOLOGIN' END);
  IF target.db_role IS DISTINCT FROM wanted THEN
    UPDATE person SET db_role = wanted WHERE id = p_person;
  END IF;
  RETURN wanted;
END
$$""",
    # A person changes their own password (the verifier is made on their desktop).
    f"""
CREATE OR REPLACE FUNCTION recruit_change_my_password(p_verifier text) RETURNS void
LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  IF recruit_me() IS NULL THEN
    RAISE EXCEPTION 'only a person of this database may' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'only a SCRAM verifier is accepted, never a password'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_verifier);
  UPDATE person SET password_changed_at = now() AT TIME ZONE 'UTC' WHERE id = recruit_me();
END
$$""",
    # Erasure's redaction of audit events: the one change the trail allows, for
    # administrators only, itself on record in data_change.
    f"""
CREATE OR REPLACE FUNCTION recruit_redact_audit_events(
  p_ids integer[], p_summaries text[], p_befores text[], p_afters text[])
RETURNS integer LANGUAGE plpgsql {DEFINER} AS $$
DECLARE changed integer;
BEGIN
  IF NOT (recruit_my_role() = 'administrator' OR recruit_is_owner()) THEN
    RAISE EXCEPTION 'only an administrator may redact the audit trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE audit_event e SET summary = r.summary, before = r.before::json, after = r.after::json
  FROM unnest(p_ids, p_summaries, p_befores, p_afters) AS r(id, summary, before, after)
  WHERE e.id = r.id;
  GET DIAGNOSTICS changed = ROW_COUNT;
  INSERT INTO data_change (occurred_at, db_role, transaction_id, table_name, operation, rows, ids)
  VALUES (now() AT TIME ZONE 'UTC', session_user, txid_current(), 'audit_event', 'REDACT',
          changed, to_json(p_ids[1:200]))
  ON CONFLICT (transaction_id, table_name, operation)
  DO UPDATE SET rows = data_change.rows + EXCLUDED.rows;
  RETURN changed;
END
$$""",
    # Every audit event says which role wrote it, and when, whatever the client claimed;
    # a person's events name the person.
    f"""
CREATE OR REPLACE FUNCTION recruit_stamp_audit_event() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE who person%ROWTYPE;
BEGIN
  NEW.db_role := session_user;
  SELECT * INTO who FROM person WHERE db_role = session_user;
  IF FOUND THEN  -- a person: no back-dating, no speaking for someone else
    NEW.occurred_at := now() AT TIME ZONE 'UTC';
    NEW.actor_id := who.id;
    NEW.actor_name := who.name;
  END IF;
  RETURN NEW;
END
$$""",
    # One row per transaction, table and operation: who changed how many rows.
    f"""
CREATE OR REPLACE FUNCTION recruit_record_change() RETURNS trigger
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE n integer; some_ids json;
BEGIN
  SELECT count(*), coalesce(json_agg(x.id) FILTER (WHERE x.rn <= 200), '[]'::json)
    INTO n, some_ids
    FROM (SELECT to_jsonb(c) -> 'id' AS id, row_number() OVER () AS rn FROM changed c) x;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO data_change (occurred_at, db_role, transaction_id, table_name, operation, rows, ids)
  VALUES (now() AT TIME ZONE 'UTC', session_user, txid_current(), TG_TABLE_NAME, TG_OP, n,
          some_ids)
  ON CONFLICT (transaction_id, table_name, operation)
  DO UPDATE SET rows = data_change.rows + EXCLUDED.rows;
  RETURN NULL;
END
$$""",
]

# Functions the policies call run as the person querying, so every group may execute
# them; the ones that change roles or the trail check who calls them themselves.
POLICY_FUNCTIONS = (
    "recruit_me()",
    "recruit_my_role()",
    "recruit_managed_campaigns()",
    "recruit_seats()",
    "recruit_visible_campaigns()",
    "recruit_visible_stages()",
    "recruit_panel_candidates()",
    "recruit_completed_stages()",
    "recruit_readable_cells()",
    "recruit_unlocked_scores()",
    "recruit_scorable_cells()",
    "recruit_campaign_cells()",
    "recruit_moderated_cells()",
    "recruit_managed_candidates()",
    "recruit_outcome_stages()",
    "recruit_is_owner()",
    "recruit_role_name(text)",
)
PRIVILEGED_FUNCTIONS = {
    "recruit_enrol(integer, text)": STAFF,
    "recruit_change_my_password(text)": EVERYONE,
    "recruit_redact_audit_events(integer[], text[], text[], text[])": ADMINS,
}

ADMIN = "(SELECT recruit_my_role()) = 'administrator'"
STAFF_ROLE = "(SELECT recruit_my_role()) IN ('administrator', 'recruiting_manager')"
PERSON = "(SELECT recruit_me()) IS NOT NULL"
VISIBLE = "campaign_id IN (SELECT recruit_visible_campaigns())"
MANAGED = "campaign_id IN (SELECT recruit_managed_campaigns())"


def _by_advert(condition: str) -> str:
    return f"advert_id IN (SELECT id FROM advert WHERE {condition})"


def _by_stage(ids: str) -> str:
    return f"stage_id IN (SELECT {ids})"


# (table, policy name, command, USING, WITH CHECK); None where the command takes none.
POLICIES: list[tuple[str, str, str, str | None, str | None]] = [
    # the library: builtin entries are the owner's (db upgrade loads them)
    ("framework", "read", "SELECT", PERSON, None),
    ("framework", "edit", "ALL", f"{STAFF_ROLE} AND NOT builtin", f"{STAFF_ROLE} AND NOT builtin"),
    ("criterion", "read", "SELECT", PERSON, None),
    (
        "criterion",
        "edit",
        "ALL",
        f"{STAFF_ROLE} AND framework_id IN (SELECT id FROM framework WHERE NOT builtin)",
        f"{STAFF_ROLE} AND framework_id IN (SELECT id FROM framework WHERE NOT builtin)",
    ),
    ("criterion_level", "read", "SELECT", PERSON, None),
    (
        "criterion_level",
        "edit",
        "ALL",
        f"{STAFF_ROLE} AND criterion_id IN (SELECT c.id FROM criterion c JOIN framework f "
        "ON f.id = c.framework_id WHERE NOT f.builtin)",
        f"{STAFF_ROLE} AND criterion_id IN (SELECT c.id FROM criterion c JOIN framework f "
        "ON f.id = c.framework_id WHERE NOT f.builtin)",
    ),
    ("question", "read", "SELECT", PERSON, None),
    ("question", "edit", "ALL", f"{STAFF_ROLE} AND NOT builtin", f"{STAFF_ROLE} AND NOT builtin"),
    ("role_template", "read", "SELECT", PERSON, None),
    (
        "role_template",
        "edit",
        "ALL",
        f"{STAFF_ROLE} AND NOT builtin",
        f"{STAFF_ROLE} AND NOT builtin",
    ),
    # campaigns
    # Each read policy also holds for a row just inserted (INSERT ... RETURNING), which
    # the functions, reading the table as the statement began, cannot see yet.
    (
        "campaign",
        "read",
        "SELECT",
        f"{ADMIN} OR ({STAFF_ROLE} AND (owner_id IS NULL OR owner_id = (SELECT recruit_me()))) "
        "OR id IN (SELECT recruit_visible_campaigns())",
        None,
    ),
    (
        "campaign",
        "create",
        "INSERT",
        None,
        f"{ADMIN} OR ({STAFF_ROLE} AND owner_id = (SELECT recruit_me()))",
    ),
    (
        "campaign",
        "change",
        "UPDATE",
        "id IN (SELECT recruit_managed_campaigns())",
        f"{ADMIN} OR ({STAFF_ROLE} AND (owner_id IS NULL OR owner_id = (SELECT recruit_me()) "
        "OR id IN (SELECT recruit_managed_campaigns())))",
    ),
    ("campaign", "remove", "DELETE", "id IN (SELECT recruit_managed_campaigns())", None),
]
for _table in ("campaign_share", "timetable_event", "advert", "post"):
    POLICIES += [
        (_table, "read", "SELECT", VISIBLE, None),
        (_table, "manage", "ALL", MANAGED, MANAGED),
    ]
for _table in ("advert_publication", "advert_criterion"):
    POLICIES += [
        (_table, "read", "SELECT", _by_advert(VISIBLE), None),
        (_table, "manage", "ALL", _by_advert(MANAGED), _by_advert(MANAGED)),
    ]
POLICIES += [
    ("stage", "read", "SELECT", f"{MANAGED} OR id IN (SELECT recruit_visible_stages())", None),
    ("stage", "manage", "ALL", MANAGED, MANAGED),
    # the chair's tie note (the column grant allows no other column)
    (
        "stage",
        "chair",
        "UPDATE",
        "id IN (SELECT stage_id FROM recruit_seats() WHERE chair)",
        "id IN (SELECT stage_id FROM recruit_seats() WHERE chair)",
    ),
    ("stage_criterion", "read", "SELECT", _by_stage("recruit_visible_stages()"), None),
    (
        "stage_criterion",
        "manage",
        "ALL",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
    ),
    # people: everyone of this database sees who is who; administrators change anyone,
    # managers add and change panel members only, and nobody may make someone more
    ("person", "read", "SELECT", PERSON, None),
    ("person", "add", "INSERT", None, f"{ADMIN} OR ({STAFF_ROLE} AND role = 'panel_member')"),
    (
        "person",
        "change",
        "UPDATE",
        f"{ADMIN} OR ({STAFF_ROLE} AND role = 'panel_member')",
        f"{ADMIN} OR ({STAFF_ROLE} AND role = 'panel_member')",
    ),
    ("panel_assignment", "read", "SELECT", _by_stage("recruit_visible_stages()"), None),
    (
        "panel_assignment",
        "manage",
        "ALL",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
    ),
    ("candidate", "manage", "ALL", MANAGED, MANAGED),
    ("person_busy", "read", "SELECT", PERSON, None),
    ("person_busy", "manage", "ALL", STAFF_ROLE, STAFF_ROLE),
    (
        "conflict_declaration",
        "read",
        "SELECT",
        "person_id = (SELECT recruit_me()) OR candidate_id IN (SELECT recruit_managed_candidates())",
        None,
    ),
    (
        "conflict_declaration",
        "declare",
        "INSERT",
        None,
        "person_id = (SELECT recruit_me()) OR candidate_id IN (SELECT recruit_managed_candidates())",
    ),
    (
        "conflict_declaration",
        "manage",
        "UPDATE",
        "candidate_id IN (SELECT recruit_managed_candidates())",
        "candidate_id IN (SELECT recruit_managed_candidates())",
    ),
    (
        "conflict_declaration",
        "remove",
        "DELETE",
        "candidate_id IN (SELECT recruit_managed_candidates())",
        None,
    ),
    ("interview_slot", "read", "SELECT", _by_stage("recruit_visible_stages()"), None),
    (
        "interview_slot",
        "manage",
        "ALL",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
    ),
    # scores: your own, or once you have submitted yours (independence)
    (
        "score",
        "read",
        "SELECT",
        "assessor_id = (SELECT recruit_me()) "
        "OR stage_criterion_id IN (SELECT recruit_readable_cells()) "
        "OR (stage_criterion_id, candidate_id) IN "
        "(SELECT cell_id, candidate_id FROM recruit_unlocked_scores())",
        None,
    ),
    (
        "score",
        "enter",
        "INSERT",
        None,
        "stage_criterion_id IN (SELECT recruit_campaign_cells()) "
        "OR (assessor_id = (SELECT recruit_me()) "
        "AND stage_criterion_id IN (SELECT recruit_scorable_cells()))",
    ),
    (
        "score",
        "change",
        "UPDATE",
        "stage_criterion_id IN (SELECT recruit_campaign_cells()) "
        "OR assessor_id = (SELECT recruit_me())",
        "stage_criterion_id IN (SELECT recruit_campaign_cells()) "
        "OR (assessor_id = (SELECT recruit_me()) "
        "AND stage_criterion_id IN (SELECT recruit_scorable_cells()))",
    ),
    ("score", "remove", "DELETE", "stage_criterion_id IN (SELECT recruit_campaign_cells())", None),
    (
        "moderated_score",
        "read",
        "SELECT",
        "stage_criterion_id IN (SELECT recruit_readable_cells()) "
        "OR (stage_criterion_id, candidate_id) IN "
        "(SELECT cell_id, candidate_id FROM recruit_unlocked_scores())",
        None,
    ),
    (
        "moderated_score",
        "agree",
        "ALL",
        "stage_criterion_id IN (SELECT recruit_moderated_cells())",
        "stage_criterion_id IN (SELECT recruit_moderated_cells())",
    ),
    ("outcome", "read", "SELECT", _by_stage("recruit_outcome_stages()"), None),
    (
        "outcome",
        "manage",
        "ALL",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
        f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
    ),
    ("app_meta", "read", "SELECT", PERSON, None),
    (
        "sift_order",
        "read",
        "SELECT",
        f"person_id = (SELECT recruit_me()) OR stage_id IN (SELECT id FROM stage WHERE {MANAGED})",
        None,
    ),
    (
        "sift_order",
        "record",
        "INSERT",
        None,
        "person_id = (SELECT recruit_me()) AND stage_id IN (SELECT stage_id FROM recruit_seats())",
    ),
    ("sift_order", "remove", "DELETE", f"stage_id IN (SELECT id FROM stage WHERE {MANAGED})", None),
    ("app_setting", "read", "SELECT", PERSON, None),
    ("app_setting", "change", "ALL", ADMIN, ADMIN),
    # the audit trail: administrators read it all, managers their campaigns' and their
    # own, panel members their own; anyone of this database may add (stamped by a trigger)
    (
        "audit_event",
        "read",
        "SELECT",
        f"{ADMIN} OR db_role = session_user OR actor_id = (SELECT recruit_me()) "
        f"OR ({STAFF_ROLE} AND campaign_id IN (SELECT recruit_managed_campaigns()))",
        None,
    ),
    ("audit_event", "add", "INSERT", None, PERSON),
    ("data_change", "read", "SELECT", ADMIN, None),
    ("alembic_version", "read", "SELECT", PERSON, None),
]

PANEL_VIEW = """
CREATE OR REPLACE VIEW recruit_panel.candidate WITH (security_barrier = true) AS
SELECT c.id, c.version, c.updated_at, c.updated_by, c.campaign_id, c.candidate_number,
  CASE WHEN v.named THEN c.first_name ELSE '' END AS first_name,
  CASE WHEN v.named THEN c.last_name ELSE '' END AS last_name,
  CASE WHEN v.named THEN c.email ELSE '' END AS email,
  CASE WHEN v.named THEN c.phone ELSE '' END AS phone,
  CASE WHEN v.named THEN c.guaranteed_interview ELSE false END AS guaranteed_interview,
  CASE WHEN v.named THEN c.redeployment ELSE false END AS redeployment,
  CASE WHEN v.named THEN c.adjustments ELSE '' END AS adjustments,
  CASE WHEN v.named THEN c.extra_minutes ELSE 0 END AS extra_minutes,
  CASE WHEN v.named THEN c.unavailable_dates ELSE '[]'::json END AS unavailable_dates,
  CASE WHEN v.named THEN c.extra ELSE '{}'::json END AS extra,
  c.status, c.created_at, c.erased_at
FROM public.candidate c
JOIN public.recruit_panel_candidates() v ON v.candidate_id = c.id
"""

NOT_RECORDED = {"audit_event", "data_change", "alembic_version"}  # their own rules


def _postgresql_security() -> None:
    run = op.execute
    for group in GROUPS:
        run(
            f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    # Only Recruit's people connect; nobody else, not even to look.
    run(
        "DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', "
        f"current_database()); EXECUTE format('GRANT CONNECT ON DATABASE %I TO {EVERYONE}', "
        "current_database()); END $$"
    )
    # The shared application role of earlier versions (and anyone else granted anything
    # here) loses it: only the groups below, and the owner, keep a way in.
    run(
        f"""DO $$
DECLARE grantee text;
BEGIN
  FOR grantee IN
    SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
    WHERE g.table_schema = 'public' AND g.grantee NOT IN ('PUBLIC', current_user,
          {", ".join(f"'{g}'" for g in GROUPS)})
      AND g.grantee <> (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                        WHERE c.oid = 'public.campaign'::regclass)
      AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = g.grantee)
  LOOP
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', grantee);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', grantee);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %I',
                   grantee);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM %I',
                   grantee);
  END LOOP;
END $$"""
    )
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {EVERYONE}")
    for sql in FUNCTIONS:
        run(sql)
    for signature in (*POLICY_FUNCTIONS, *PRIVILEGED_FUNCTIONS):
        run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for signature in POLICY_FUNCTIONS:
        run(f"GRANT EXECUTE ON FUNCTION {signature} TO {EVERYONE}")
    for signature, groups in PRIVILEGED_FUNCTIONS.items():
        run(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups}")
    # Panel members' view of the candidates: first on their search_path, so the app's
    # own queries of "candidate" read it.
    run("CREATE SCHEMA IF NOT EXISTS recruit_panel")
    run("REVOKE ALL ON SCHEMA recruit_panel FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA recruit_panel TO {PANEL}")
    run(PANEL_VIEW)
    run(f"GRANT SELECT ON recruit_panel.candidate TO {PANEL}")
    for table, grants in GRANTS.items():
        run(f"REVOKE ALL ON {table} FROM PUBLIC")
        for groups, privileges in grants.items():
            run(f"GRANT {privileges} ON {table} TO {groups}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    run(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {EVERYONE}")
    for table, name, command, using, check in POLICIES:
        clauses = (f" USING ({using})" if using else "") + (
            f" WITH CHECK ({check})" if check else ""
        )
        run(f'DROP POLICY IF EXISTS "{name}" ON {table}')
        run(f'CREATE POLICY "{name}" ON {table} FOR {command} TO {EVERYONE}{clauses}')
    run(
        "CREATE TRIGGER stamp BEFORE INSERT ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION recruit_stamp_audit_event()"
    )
    for table in GRANTS:
        if table in NOT_RECORDED:
            continue
        for operation, kind in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            run(
                f"CREATE TRIGGER record_{operation.lower()} AFTER {operation} ON {table} "
                f"REFERENCING {kind} TABLE AS changed "
                "FOR EACH STATEMENT EXECUTE FUNCTION recruit_record_change()"
            )


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "data_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("db_role", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.Column("transaction_id", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_change")),
        sa.UniqueConstraint(
            "transaction_id", "table_name", "operation", name=op.f("uq_data_change_transaction_id")
        ),
    )
    with op.batch_alter_table("data_change", schema=None) as batch_op:
        batch_op.create_index("ix_data_change_time", ["occurred_at"], unique=False)

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("db_role", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=True)
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("db_role", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=True)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_person_db_role"), ["db_role"])

    # ### end Alembic commands ###
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_security()


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_person_db_role"), type_="unique")
        batch_op.drop_column("db_role")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("db_role")

    with op.batch_alter_table("data_change", schema=None) as batch_op:
        batch_op.drop_index("ix_data_change_time")

    op.drop_table("data_change")
    # ### end Alembic commands ###
