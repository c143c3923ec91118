"""Team mode secured by PostgreSQL itself, tried with a raw SQL client as each person.

A throwaway server that checks passwords (SCRAM) is set up exactly as the README's team
set-up says (its code blocks are read and run), then people and campaigns are added
through the app. Each person then connects with their own credentials, as psql would,
and tries what they must not do: every attempt must be refused by the server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors

from db.pg_roles import role_name
from tests.helpers import pg_server

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MIGRATION = ROOT / "db" / "migrations" / "versions" / "0008_team_security_on_postgresql.py"
APPLICATIONS_MIGRATION = ROOT / "db" / "migrations" / "versions" / "0011_applications.py"
PLANS_MIGRATION = (
    ROOT / "db" / "migrations" / "versions" / "0012_interview_plans_cell_scales_leads.py"
)
EQUALITY_MIGRATION = ROOT / "db" / "migrations" / "versions" / "0013_equality_monitoring.py"
DATABASE = "recruit"
PASSWORDS = {
    "ada@department.gov.uk": "ada-secret-2026",
    "rita@department.gov.uk": "rita-secret-2026",
    "oscar@department.gov.uk": "oscar-secret-2026",
    "pat@department.gov.uk": "pat-secret-2026",
    "cleo@department.gov.uk": "cleo-secret-2026",
    "eve@department.gov.uk": "eve-secret-2026",
}
PEOPLE = [  # (name, e-mail, role); Ada is made by the README's `users create-admin`
    ("Rita Manager", "rita@department.gov.uk", "recruiting_manager"),
    ("Oscar Other", "oscar@department.gov.uk", "recruiting_manager"),
    ("Pat Panel", "pat@department.gov.uk", "panel_member"),
    ("Cleo Chair", "cleo@department.gov.uk", "panel_member"),
    ("Eve Elsewhere", "eve@department.gov.uk", "panel_member"),
]
CANDIDATES_CSV = (
    "First name,Surname,E-mail,Phone,Guaranteed interview,Reasonable adjustments,"
    "Extra time,Unavailable dates,Nationality\n"
    "Zofia,Wiśniewska,zofia@example.org,07700 900001,yes,Ramp access,15,2030-01-02,Polish\n"
    "Tomasz,Nowak,tomasz@example.org,07700 900002,no,,0,,Polish\n"
    "Amara,Okafor,amara@example.org,07700 900003,no,Large print,0,,British\n"
)
EQUALITY_CSV = (
    "E-mail,Sex,Ethnic group\n"
    "zofia@example.org,Female,White\n"
    "tomasz@example.org,Male,Prefer not to say\n"
    "amara@example.org,Female,Black\n"
)
APPLICATIONS_CSV = (
    "E-mail,Personal statement\n"
    "zofia@example.org,Zofia Wiśniewska (zofia@example.org) has run payments for years.\n"
    "tomasz@example.org,Tomasz Nowak writes Java.\n"
)


@dataclass
class World:
    server: pg_server.ThrowawayServer
    ids: dict[str, int]

    def connect(self, email: str, password: str | None = None) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.server.host,
            port=self.server.port,
            dbname=DATABASE,
            user=role_name(DATABASE, email),
            password=password if password is not None else PASSWORDS[email],
            autocommit=True,
        )

    def owner(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.server.host,
            port=self.server.port,
            dbname=DATABASE,
            user="recruit_owner",
            password="owner-secret",
            autocommit=True,
        )

    @property
    def team_url(self) -> str:
        return f"postgresql://{self.server.host}:{self.server.port}/{DATABASE}"


def _team_setup_blocks() -> list[tuple[str, str]]:
    """The README's team set-up, as (language, code) in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A team on a shared PostgreSQL server", 1)[1].split("\n## ", 1)[0]
    return [
        (language, "\n".join(line.strip() for line in body.splitlines()))
        for language, body in re.findall(r"```(\w+)\n(.*?)```", section, flags=re.DOTALL)
    ]


def _run_cli(args: list[str], email: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "RECRUIT_APP_HOME": env.pop("home"), **env}
    if email is not None:
        environment["RECRUIT_APP_USER"] = email
        environment["RECRUIT_APP_PASSWORD"] = PASSWORDS[email]
    return subprocess.run(
        [sys.executable, "-m", "recruit_app", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    try:
        server = pg_server.start()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but no throwaway PostgreSQL server could start: {exc}")
        pytest.skip(f"no throwaway PostgreSQL server: {exc}")
    home = str(tmp_path_factory.mktemp("home"))
    try:
        where = f"{server.host}:{server.port}"
        for language, code in _team_setup_blocks():
            code = code.replace("server:5432", where)
            if language == "sql":
                with psycopg.connect(server.url(), autocommit=True) as admin:
                    for statement in filter(None, (s.strip() for s in code.split(";"))):
                        admin.execute(statement)
            elif language == "sh":
                for command in code.replace("\\\n", " ").splitlines():
                    words = shlex.split(command)
                    if not words or words[0] != "recruit-app":
                        continue
                    if "--user" in words:
                        continue  # the desktop's step: tried by the tests below
                    done = _run_cli(
                        words[1:],
                        home=home,
                        RECRUIT_APP_PASSWORD=PASSWORDS["ada@department.gov.uk"],
                    )
                    assert done.returncode == 0, done.stderr
        ids = _fill(World(server, {}), home)
        yield World(server, ids)
    finally:
        pg_server.stop(server)


def _fill(world: World, home: str) -> dict[str, int]:
    """People, two campaigns and some scores, all added through the app as their people."""
    from recruit_app.services import auth, people, stages
    from recruit_app.services import scoring as sc
    from recruit_app.services.applications import import_applications
    from recruit_app.services.campaign_files import create_from_template
    from recruit_app.services.candidates import import_candidates
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.database import open_db

    def desktop(email: str) -> ServiceContext:
        db = open_db(world.team_url)
        return ServiceContext(db, auth.sign_in(db, email, PASSWORDS[email]))

    ids: dict[str, int] = {}
    ada = desktop("ada@department.gov.uk")
    for name, email, role in PEOPLE:
        ids[email] = people.create_person(ada, name=name, email=email, role=role).id
        auth.reset_password(ada, ids[email], PASSWORDS[email])
    ids["ada@department.gov.uk"] = ada.actor.person_id or 0
    csv = Path(home) / "candidates.csv"
    csv.write_text(CANDIDATES_CSV, encoding="utf-8")
    for manager, reference, seats in (
        (
            "rita@department.gov.uk",
            "R-1",
            [("cleo@department.gov.uk", "chair"), ("pat@department.gov.uk", "member")],
        ),
        ("oscar@department.gov.uk", "O-1", [("eve@department.gov.uk", "member")]),
    ):
        ctx = desktop(manager)
        campaign = create_from_template(ctx, "DDAT-DEV-SEO", title=reference, reference=reference)
        ids[reference] = campaign.id
        import_candidates(ctx, campaign.id, csv)
        answers = Path(home) / "applications.csv"
        answers.write_text(APPLICATIONS_CSV, encoding="utf-8")
        documents = Path(home) / "documents"
        documents.mkdir(exist_ok=True)
        (documents / "zofia@example.org CV.txt").write_text("Zofia Wiśniewska, CV", "utf-8")
        import_applications(ctx, campaign.id, answers, documents=documents)
        sift = stages.stages_overview(ctx, campaign.id).stages[0]
        assert sift.name_blind
        ids[f"{reference} sift"] = sift.id
        stages.set_panel(
            ctx,
            sift.id,
            [stages.SeatChoice(ids[email], role) for email, role in seats],
            expected_version=sift.version,
        )
        ctx.db.dispose()
    # Cleo scores and submits everyone; Pat submits the first candidate only.
    for email, submit_all in (("cleo@department.gov.uk", True), ("pat@department.gov.uk", False)):
        ctx = desktop(email)
        sheet = sc.scoring_sheet(ctx, ids["R-1 sift"], ids[email])
        for n, candidate in enumerate(sheet.candidates):
            if not submit_all and n > 0:
                break
            for criterion in sheet.criteria:
                sc.save_score(
                    ctx,
                    ids["R-1 sift"],
                    ids[email],
                    candidate.id,
                    criterion.cell_id,
                    value=5,
                    evidence=f"{email} on {candidate.number}",
                    expected_version=sheet.score(candidate.id, criterion.cell_id).version,
                )
            sc.submit_scores(ctx, ids["R-1 sift"], ids[email], [candidate.id])
            ids.setdefault("first candidate", candidate.id)
        ctx.db.dispose()
    # Rita is given equality monitoring and imports her candidates' answers; Oscar is not.
    from recruit_app.services.equality import import_answers

    people.set_equality_monitoring(ada, ids["rita@department.gov.uk"], True, expected_version=None)
    monitoring = Path(home) / "monitoring.csv"
    monitoring.write_text(EQUALITY_CSV, encoding="utf-8")
    rita = desktop("rita@department.gov.uk")
    import_answers(rita, ids["R-1"], monitoring)
    rita.db.dispose()
    oscar_answers = desktop("ada@department.gov.uk")
    import_answers(oscar_answers, ids["O-1"], monitoring)
    oscar_answers.db.dispose()
    ada.db.dispose()
    return ids


def _refused(connection: psycopg.Connection[Any], sql: str, *params: Any) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        connection.execute(sql, params or None)


# --- signing in -----------------------------------------------------------------------------


def test_the_server_checks_each_persons_own_password(world: World) -> None:
    with world.connect("pat@department.gov.uk") as pat:
        assert pat.execute("SELECT current_user").fetchone() == (
            role_name(DATABASE, "pat@department.gov.uk"),
        )
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        world.connect("pat@department.gov.uk", "not her password")


def test_the_desktop_step_of_the_readme_signs_in_with_email_and_password(
    world: World, tmp_path: Path
) -> None:
    ((_, code),) = [b for b in _team_setup_blocks() if "--user" in b[1]]
    words = shlex.split(code.replace("server:5432", f"{world.server.host}:{world.server.port}"))
    done = _run_cli(
        words[1:], home=str(tmp_path), RECRUIT_APP_PASSWORD=PASSWORDS["ada@department.gov.uk"]
    )
    assert done.returncode == 0, done.stderr
    assert "R-1" in done.stdout and "O-1" in done.stdout
    wrong = _run_cli(words[1:], home=str(tmp_path), RECRUIT_APP_PASSWORD="a wrong guess")
    assert wrong.returncode == 1
    assert "The e-mail address or password is not right." in wrong.stderr


def test_parallel_wrong_guesses_are_each_refused_in_words(world: World) -> None:
    from recruit_app.errors import PermissionDenied
    from recruit_app.services.auth import WRONG, sign_in
    from recruit_app.services.database import open_db

    said: list[str] = []
    start = threading.Barrier(8)

    def guess(n: int) -> None:
        db = open_db(world.team_url)
        try:
            start.wait()
            sign_in(db, "rita@department.gov.uk", f"guess number {n}")
        except PermissionDenied as exc:
            said.append(exc.message)
        except Exception as exc:  # the crash this test looks for
            said.append(f"unexpected {type(exc).__name__}")
        finally:
            db.dispose()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert said == [WRONG] * 8


def test_no_password_reaches_the_server_in_clear(world: World) -> None:
    log = pg_server.server_log(world.server)
    assert "ALTER ROLE" in log  # statements are logged: the check below is real
    for password in PASSWORDS.values():
        assert password not in log


def test_settings_never_keep_a_password() -> None:
    from recruit_app.errors import ValidationError
    from recruit_app.settings import Settings

    with pytest.raises(ValidationError, match="never keep a password"):
        Settings().set("database_url", "postgresql://rita:secret@server:5432/recruit")
    Settings().set("database_url", "postgresql://server:5432/recruit")


# --- name-blind and independence, below the app ------------------------------------------


def test_a_panel_member_reads_no_personal_detail_at_a_name_blind_stage(world: World) -> None:
    with world.connect("pat@department.gov.uk") as pat:
        rows = pat.execute(
            "SELECT first_name, last_name, email, phone, guaranteed_interview, redeployment, "
            "adjustments, extra_minutes, unavailable_dates::text, extra::text, candidate_number "
            "FROM candidate ORDER BY candidate_number"
        ).fetchall()
        assert [r[:10] for r in rows] == [("", "", "", "", False, False, "", 0, "[]", "{}")] * 3
        _refused(pat, "SELECT first_name FROM public.candidate")
        text = str(pat.execute("SELECT * FROM candidate").fetchall())
        for value in ("Zofia", "Wiśniewska", "zofia@example.org", "07700", "Ramp", "Polish"):
            assert value not in text


def test_a_panel_member_reads_only_redacted_applications_at_a_name_blind_stage(
    world: World,
) -> None:
    with world.connect("pat@department.gov.uk") as pat:
        rows = pat.execute(
            "SELECT text, redacted_text, file_name, content, source, redactions::text, key "
            "FROM application_part ORDER BY id"
        ).fetchall()
        assert len(rows) == 3  # R-1's: two statements and a CV; none of O-1's
        texts = [r[0] for r in rows]
        assert texts == [r[1] for r in rows]
        assert "[name] ([e-mail]) has run payments for years." in texts
        assert [(r[2], r[3], r[4], r[5]) for r in rows] == [("", None, "", "[]")] * 3
        _refused(pat, "SELECT text FROM public.application_part")
        _refused(pat, "UPDATE public.application_part SET redacted_text = text")
        with pytest.raises(errors.ObjectNotInPrerequisiteState):  # the view is read-only
            pat.execute("UPDATE application_part SET redacted_text = text")
        everything = str(pat.execute("SELECT * FROM application_part").fetchall())
        for value in ("Zofia", "Wiśniewska", "zofia@example.org", "Tomasz"):
            assert value not in everything
    with world.connect("eve@department.gov.uk") as eve:  # on O-1's panel: O-1's only
        seen = [r[0] for r in eve.execute("SELECT candidate_id FROM application_part")]
        assert len(seen) == 3 and world.ids["first candidate"] not in seen
    with world.connect("oscar@department.gov.uk") as oscar:
        ids = [r[0] for r in oscar.execute("SELECT DISTINCT candidate_id FROM application_part")]
        assert ids and world.ids["first candidate"] not in ids  # O-1's only
        _refused_rows = oscar.execute(
            "DELETE FROM application_part WHERE candidate_id = %s", (world.ids["first candidate"],)
        )
        assert _refused_rows.rowcount == 0
    with world.connect("rita@department.gov.uk") as rita:
        texts = [r[0] for r in rita.execute("SELECT text FROM application_part WHERE kind = 'cv'")]
        assert texts == ["Zofia Wiśniewska, CV"]


def test_a_panel_member_sees_others_scores_only_after_submitting_their_own(world: World) -> None:
    pat_id, first = world.ids["pat@department.gov.uk"], world.ids["first candidate"]
    with world.connect("pat@department.gov.uk") as pat:
        others = pat.execute(
            "SELECT DISTINCT candidate_id FROM score WHERE assessor_id <> %s", (pat_id,)
        ).fetchall()
        assert others == [(first,)]  # Cleo scored all three; Pat submitted only the first
        agreed_or_outcomes = pat.execute(
            "SELECT count(*) FROM outcome WHERE stage_id = %s", (world.ids["R-1 sift"],)
        ).fetchone()
        assert agreed_or_outcomes == (0,)


def test_people_outside_a_campaign_read_nothing_of_it(world: World) -> None:
    r1 = world.ids["R-1"]
    for email in ("eve@department.gov.uk", "oscar@department.gov.uk"):
        with world.connect(email) as outsider:
            for sql in (
                "SELECT count(*) FROM campaign WHERE id = %s",
                "SELECT count(*) FROM candidate WHERE campaign_id = %s",
                "SELECT count(*) FROM stage WHERE campaign_id = %s",
                "SELECT count(*) FROM advert WHERE campaign_id = %s",
                "SELECT count(*) FROM audit_event WHERE campaign_id = %s",
                "SELECT count(*) FROM score s "
                "JOIN stage_criterion c ON c.id = s.stage_criterion_id "
                "JOIN stage t ON t.id = c.stage_id WHERE t.campaign_id = %s",
            ):
                assert outsider.execute(sql, (r1,)).fetchone() == (0,), (email, sql)


def test_another_manager_cannot_change_a_campaign_not_shared_with_them(world: World) -> None:
    r1 = world.ids["R-1"]
    with world.connect("oscar@department.gov.uk") as oscar:
        assert oscar.execute("UPDATE campaign SET title = 'x' WHERE id = %s", (r1,)).rowcount == 0
        assert oscar.execute("DELETE FROM candidate WHERE campaign_id = %s", (r1,)).rowcount == 0
    with world.connect("rita@department.gov.uk") as rita:
        assert rita.execute("SELECT title FROM campaign WHERE id = %s", (r1,)).fetchone() == (
            "R-1",
        )
        assert rita.execute(
            "SELECT count(*) FROM candidate WHERE campaign_id = %s", (r1,)
        ).fetchone() == (3,)


# --- roles and the trail ------------------------------------------------------------------


def test_nobody_makes_themselves_more(world: World) -> None:
    for email in ("pat@department.gov.uk", "rita@department.gov.uk", "oscar@department.gov.uk"):
        with world.connect(email) as person:
            try:
                changed = person.execute(
                    "UPDATE person SET role = 'administrator' WHERE email = %s", (email,)
                ).rowcount
            except errors.InsufficientPrivilege:
                changed = 0
            assert changed == 0, email
            with pytest.raises(errors.InsufficientPrivilege):
                person.execute(
                    "INSERT INTO person (version, updated_at, updated_by, name, email, role, "
                    "active, failed_sign_ins) VALUES (1, now(), 'x', 'Mallory', "
                    "'mallory@example.org', 'administrator', true, 0)"
                )
            for sql in (
                "GRANT recruit_administrators TO CURRENT_USER",
                "ALTER ROLE CURRENT_USER CREATEROLE",
                "SET ROLE recruit_administrators",
            ):
                with pytest.raises((errors.InsufficientPrivilege, errors.InvalidGrantOperation)):
                    person.execute(sql)
            _refused(person, "SELECT recruit_redact_audit_events('{1}', '{x}', '{}', '{}')")
    with world.connect("pat@department.gov.uk") as pat:
        _refused(pat, "SELECT recruit_enrol(%s, NULL)", world.ids["pat@department.gov.uk"])
    with world.connect("rita@department.gov.uk") as rita:
        # A manager may enrol a panel member, but never give a password, nor enrol more.
        _refused(
            rita,
            "SELECT recruit_enrol(%s, 'SCRAM-SHA-256$4096:abc')",
            world.ids["pat@department.gov.uk"],
        )
        _refused(rita, "SELECT recruit_enrol(%s, NULL)", world.ids["oscar@department.gov.uk"])


@pytest.mark.parametrize(
    "email",
    [
        "ada@department.gov.uk",
        "rita@department.gov.uk",
        "oscar@department.gov.uk",
        "pat@department.gov.uk",
        "eve@department.gov.uk",
    ],
)
def test_the_audit_trail_is_append_only_for_everyone(world: World, email: str) -> None:
    with world.connect(email) as person:
        for sql in (
            "DELETE FROM audit_event",
            "UPDATE audit_event SET summary = 'nothing happened'",
            "TRUNCATE audit_event",
            "DELETE FROM data_change",
        ):
            _refused(person, sql)
        forged = person.execute(
            "INSERT INTO audit_event (occurred_at, actor_id, actor_name, action, entity, "
            "campaign_reference, summary) VALUES ('2000-01-01', 1, 'Ada Admin', 'x.forged', "
            "'campaign', '', 'forged') RETURNING actor_name, db_role, occurred_at > '2020-01-01'"
        ).fetchone()
    name = next((n for n, e, _r in PEOPLE if e == email), "Ada Admin")
    assert forged == (name, role_name(DATABASE, email), True)


def test_a_change_made_with_a_raw_client_is_recorded_with_its_role(world: World) -> None:
    with world.connect("rita@department.gov.uk") as rita, rita.transaction():
        updated = rita.execute(
            "UPDATE candidate SET phone = '000' WHERE campaign_id = %s", (world.ids["R-1"],)
        ).rowcount
        transaction = rita.execute("SELECT txid_current()").fetchone()
    assert updated == 3
    with world.connect("ada@department.gov.uk") as ada:
        recorded = ada.execute(
            "SELECT db_role, table_name, operation, rows FROM data_change "
            "WHERE transaction_id = %s",
            transaction,
        ).fetchall()
    assert recorded == [(role_name(DATABASE, "rita@department.gov.uk"), "candidate", "UPDATE", 3)]


def test_only_administrators_redact_the_trail_and_it_is_recorded(world: World) -> None:
    with world.connect("ada@department.gov.uk") as ada:
        event_id, summary = ada.execute(
            "SELECT id, summary FROM audit_event ORDER BY id LIMIT 1"
        ).fetchone()
        with ada.transaction():
            count = ada.execute(
                "SELECT recruit_redact_audit_events(%s, %s, %s, %s)",
                ([event_id], [summary], ['{"erased": true}'], ['{"erased": true}']),
            ).fetchone()
            transaction = ada.execute("SELECT txid_current()").fetchone()
        assert count == (1,)
        assert ada.execute(
            "SELECT operation, rows FROM data_change WHERE transaction_id = %s", transaction
        ).fetchall() == [("REDACT", 1)]


def test_a_deactivated_person_can_no_longer_connect(world: World) -> None:
    from recruit_app.services import auth, people
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.database import open_db

    db = open_db(world.team_url)
    try:
        ada = ServiceContext(
            db, auth.sign_in(db, "ada@department.gov.uk", PASSWORDS["ada@department.gov.uk"])
        )
        eve = next(p for p in people.list_people(ada) if p.email == "eve@department.gov.uk")
        assert eve.db_role == role_name(DATABASE, "eve@department.gov.uk")
        people.set_active(ada, eve.id, False, expected_version=eve.version)
        with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
            world.connect("eve@department.gov.uk")
        eve = next(p for p in people.list_people(ada) if p.email == "eve@department.gov.uk")
        people.set_active(ada, eve.id, True, expected_version=eve.version)
        world.connect("eve@department.gov.uk").close()
    finally:
        db.dispose()


# --- every table decided ------------------------------------------------------------------


def _migration(path: Path = MIGRATION) -> Any:
    spec = importlib.util.spec_from_file_location(f"migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_table_has_row_level_security_policies_and_a_grant_decision(world: World) -> None:
    decided = (
        _migration().GRANTS
        | _migration(APPLICATIONS_MIGRATION).GRANTS
        | _migration(PLANS_MIGRATION).GRANTS
        | _migration(EQUALITY_MIGRATION).GRANTS
    )
    with world.owner() as owner:
        tables = dict(
            owner.execute(
                "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ).fetchall()
        )
        policies = {
            t for (t,) in owner.execute("SELECT DISTINCT tablename FROM pg_policies").fetchall()
        }
        panel_grants = {
            (t, p)
            for t, p in owner.execute(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = 'recruit_panel_members' AND table_schema = 'public'"
            ).fetchall()
        }
    assert set(tables) == set(decided)
    assert [t for t, secured in tables.items() if not secured] == []
    assert set(tables) - policies == set()
    assert ("candidate", "SELECT") not in panel_grants
    assert not {p for t, p in panel_grants if t == "application_part"}
    assert not {p for t, p in panel_grants if t == "audit_event"} - {"SELECT", "INSERT"}
    assert not {p for t, p in panel_grants if t == "equality_answer"}


# --- equality monitoring (issue 18) ---------------------------------------------------------


def test_equality_answers_are_read_by_administrators_and_people_given_monitoring_only(
    world: World,
) -> None:
    r1, o1 = world.ids["R-1"], world.ids["O-1"]
    count = (
        "SELECT count(*) FROM equality_answer a JOIN candidate c ON c.id = a.candidate_id "
        "WHERE c.campaign_id = %s"
    )
    with world.connect("ada@department.gov.uk") as ada:  # every campaign's
        assert ada.execute(count, (r1,)).fetchone() == (6,)
        assert ada.execute(count, (o1,)).fetchone() == (6,)
    with world.connect("rita@department.gov.uk") as rita:  # given it: her campaigns' only
        assert rita.execute("SELECT count(*) FROM equality_answer").fetchone() == (6,)
        assert rita.execute(count, (r1,)).fetchone() == (6,)
        assert rita.execute(
            "SELECT count(*) FROM equality_answer a JOIN candidate c ON c.id = a.candidate_id "
            "WHERE c.campaign_id = %s AND a.category = 'female'",
            (r1,),
        ).fetchone() == (2,)
        # Not another manager's campaign's, even by writing.
        assert (
            rita.execute(
                "UPDATE equality_answer SET category = 'x' WHERE candidate_id IN "
                "(SELECT id FROM candidate WHERE campaign_id = %s)",
                (o1,),
            ).rowcount
            == 0
        )
    for email in (
        "oscar@department.gov.uk",  # a manager without it
        "pat@department.gov.uk",  # panel members
        "cleo@department.gov.uk",
        "eve@department.gov.uk",
    ):
        with world.connect(email) as person:
            _refused(person, "SELECT count(*) FROM equality_answer")
            _refused(person, "SELECT candidate_id FROM equality_answer LIMIT 1")
            _refused(
                person,
                "INSERT INTO equality_answer (candidate_id, characteristic, category, source, "
                "imported_at, imported_by) VALUES (%s, 'sex', 'male', '', now(), '')",
                world.ids["first candidate"],
            )
            _refused(person, "DELETE FROM equality_answer")
            # Nor through the functions erasure and subject access use, for a candidate
            # who is not theirs to manage.
            _refused(
                person,
                "SELECT * FROM recruit_own_equality_answers(%s)",
                world.ids["first candidate"],
            )
            _refused(
                person,
                "SELECT recruit_erase_equality_answers(ARRAY[%s]::integer[])",
                world.ids["first candidate"],
            )


def test_a_manager_without_monitoring_gives_subject_access_and_erases_answers(
    world: World,
) -> None:
    from recruit_app.services.candidate_data import candidate_record
    from recruit_app.services.retention import erase_candidate

    o1 = world.ids["O-1"]
    with world.owner() as owner:
        numbers = dict(
            owner.execute(
                "SELECT candidate_number, id FROM candidate WHERE campaign_id = %s", (o1,)
            ).fetchall()
        )
    oscar = _desktop(world, "oscar@department.gov.uk")
    try:
        # Subject access: the candidate's own answers, through the database's function.
        record = candidate_record(oscar, numbers["0002"])
        assert record.details["equality_monitoring"] == {
            "Sex": "Male",
            "Ethnic group": "Prefer not to say",
        }
        erase_candidate(oscar, numbers["0003"], reason="asked to be forgotten")
    finally:
        oscar.db.dispose()
    with world.owner() as owner:
        left = dict(
            owner.execute(
                "SELECT a.candidate_id, count(*) FROM equality_answer a "
                "JOIN candidate c ON c.id = a.candidate_id WHERE c.campaign_id = %s "
                "GROUP BY a.candidate_id",
                (o1,),
            ).fetchall()
        )
    assert left == {numbers["0001"]: 2, numbers["0002"]: 2}


def test_only_an_administrator_gives_equality_monitoring(world: World) -> None:
    pat = world.ids["pat@department.gov.uk"]
    for email in ("rita@department.gov.uk", "oscar@department.gov.uk"):
        with world.connect(email) as manager:
            # Managers may change panel members' rows, but not this flag, nor their own.
            _refused(manager, "UPDATE person SET equality_monitoring = true WHERE id = %s", pat)
            try:
                changed = manager.execute(
                    "UPDATE person SET equality_monitoring = true WHERE email = %s", (email,)
                ).rowcount
            except errors.InsufficientPrivilege:
                changed = 0
            assert changed == 0
            for sql in ("GRANT recruit_equality TO CURRENT_USER", "SET ROLE recruit_equality"):
                if email == "rita@department.gov.uk" and sql.startswith("SET ROLE"):
                    continue  # she is a member: nothing more to gain
                with pytest.raises((errors.InsufficientPrivilege, errors.InvalidGrantOperation)):
                    manager.execute(sql)
    with world.owner() as owner:
        members = {
            name
            for (name,) in owner.execute(
                "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = 'recruit_equality'"
            ).fetchall()
        }
    assert members == {role_name(DATABASE, "rita@department.gov.uk")}


# --- the app's own rules agree with the server's (issue 12) ---------------------------------


def _desktop(world: World, email: str) -> Any:
    from recruit_app.services import auth
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.database import open_db

    db = open_db(world.team_url)
    return ServiceContext(db, auth.sign_in(db, email, PASSWORDS[email]))


def test_the_results_a_panel_member_sees_agree_with_the_servers_independence(
    world: World,
) -> None:
    """Pat has submitted for the first candidate only: the server lets him read others'
    scores for that one alone, and the app shows that candidate's scores, the others'
    withheld, and no merit order; Cleo chairs the sift and sees it all, as on the server."""
    from recruit_app.services.results import stage_results

    pat = _desktop(world, "pat@department.gov.uk")
    try:
        view = stage_results(pat, world.ids["R-1 sift"])
    finally:
        pat.db.dispose()
    with world.connect("pat@department.gov.uk") as raw:
        unlocked = {
            r[0]
            for r in raw.execute(
                "SELECT DISTINCT candidate_id FROM score WHERE assessor_id <> %s",
                (world.ids["pat@department.gov.uk"],),
            ).fetchall()
        }
    assert unlocked == {world.ids["first candidate"]}
    assert {r.candidate_id for r in view.rows if not r.withheld} == unlocked
    assert not view.merit_order_shown and "submitted your own scores" in view.notice
    assert all(r.rank is None and r.progresses is None for r in view.rows)
    shown = next(r for r in view.rows if not r.withheld)
    assert shown.total is not None and all(v is not None for v in shown.criterion_scores.values())
    cleo = _desktop(world, "cleo@department.gov.uk")
    try:
        chaired = stage_results(cleo, world.ids["R-1 sift"])
    finally:
        cleo.db.dispose()
    ada = _desktop(world, "ada@department.gov.uk")
    try:
        managed = stage_results(ada, world.ids["R-1 sift"])
    finally:
        ada.db.dispose()
    assert chaired.merit_order_shown and not any(r.withheld for r in chaired.rows)
    assert [(r.rank, r.total, r.passed) for r in chaired.rows] == [
        (r.rank, r.total, r.passed) for r in managed.rows
    ]
    # Name-blind: the chair is a panel member too, so no scheme flag; the manager sees it.
    assert [r.guaranteed_interview for r in chaired.rows] == [False] * 3
    assert any(r.guaranteed_interview for r in managed.rows)


def test_the_candidates_a_panel_member_sees_agree_with_the_servers_name_blind_view(
    world: World,
) -> None:
    from recruit_app.services.candidates import list_candidates

    pat = _desktop(world, "pat@department.gov.uk")
    try:
        listed = list_candidates(pat, world.ids["R-1"], stage_id=world.ids["R-1 sift"])
    finally:
        pat.db.dispose()
    assert len(listed) == 3
    for c in listed:
        assert (c.first_name, c.email, c.guaranteed_interview, c.adjustments) == ("", "", False, "")
        assert (c.extra_minutes, c.unavailable_dates, dict(c.extra)) == (0, (), {})
        assert set(c.to_json()) == {"candidate_number", "status", "outcomes"}


def test_a_panel_member_reads_an_application_name_blind_from_the_command_line(
    world: World, tmp_path: Path
) -> None:
    args = ["--db", world.team_url, "applications", "show", "R-1", "0001", "--json"]
    done = _run_cli(args, "pat@department.gov.uk", home=str(tmp_path))
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["redacted"] is True
    assert shown["answers"][0]["text"] == "[name] ([e-mail]) has run payments for years."
    assert [(d["name"], d["text"]) for d in shown["documents"]] == [
        ("[e-mail] CV.txt", "[name], CV")
    ]
    assert "Zofia" not in done.stdout and "Wiśniewska" not in done.stdout
    search = _run_cli(
        ["--db", world.team_url, "applications", "show", "O-1", "0001"],
        "pat@department.gov.uk",
        home=str(tmp_path),
    )
    assert search.returncode == 1  # not one of Pat's: the server hides it altogether
    assert "There is no campaign with the reference 'O-1'" in search.stderr
