"""Erasure means erased (issue 11): erasing a candidate, on request or by the retention
purge, leaves none of their personal values anywhere in the database, in any table or JSON
column, nor in the SQLite file's free pages and WAL, nor in PostgreSQL's table files, nor in
the log; and keeps their number, scores and outcomes, so the statistics still add up.

The check reads every column of every table (and the raw files) for distinctive values,
rather than the columns we know about: a copy we did not think of fails it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, col, select

from db.models import AuditEvent, Campaign, Candidate, ModeratedScore, Outcome, Score, Stage
from recruit_app.services import candidates, letters, results, retention, scoring
from tests.helpers import use_cases as uc

FIRST, LAST = "Quintessa", "Vorstenbosch"
EMAIL = "quintessa.vorstenbosch@example.net"
PHONE = "07700 900456"
# Words only the erased candidate's own rows hold, and their names wherever they are copied.
MARKS = (
    FIRST,
    LAST,
    EMAIL,
    PHONE,
    "07700900456",
    "QV-ADJUST",
    "QV-EXTRA",
    "QV-EVIDENCE",
    "QV-RATIONALE",
    "QV-REASON",
    "QV-FEEDBACK",
    "QV-CONFLICT",
    "Zanzibar",
)
OTHER_NAME = "Bartholomew Ekwueme-Lindqvist"  # another candidate: never erased here
# The tables an erasure rewrites, so their old row versions need vacuuming on PostgreSQL.
REWRITTEN = (
    "application_part",
    "audit_event",
    "candidate",
    "conflict_declaration",
    "interview_slot",
    "moderated_score",
    "outcome",
    "score",
    "stage",
    "timetable_event",
)


@dataclass
class Scene:
    world: uc.World
    erased: int  # the candidate erased
    other: int  # a candidate whose rows mention the erased one by name
    number: str
    demo_values: tuple[str, ...]  # the erased candidate's details before we changed them
    scores: list[tuple[int, int | None]]
    outcomes: list[tuple[int, str]]


@pytest.fixture
def scene(database, tmp_path: Path) -> Iterator[Scene]:
    """The use-case world, with one interviewee's personal data copied everywhere the app
    copies it: the trail of their edits, draft scores, agreed score, tie note, outcome,
    feedback, conflict declaration, and another candidate's outcome reason naming them."""
    ids = uc.build_world(database)
    world = uc.World(ids, database, tmp_path)
    admin, tom = world.admin, world.ctx("panel_on")
    erased, other = ids.interviewees[0], ids.interviewees[1]
    with database.session() as session:
        candidate = session.get(Candidate, erased)
        demo_values = tuple(
            v
            for v in (
                f"{candidate.first_name} {candidate.last_name}",
                candidate.email,
                candidate.phone,
            )
            if v.strip()
        )
        number = candidate.candidate_number
        # Set up what the import screen would have kept: other information, dates, time.
        candidate.extra = {"Previous employer": "Zanzibar Widgets", "Note": "QV-EXTRA"}
        candidate.unavailable_dates = ["2026-12-24"]
        candidate.extra_minutes = 25
        session.get(Candidate, other).first_name, session.get(Candidate, other).last_name = (
            "Bartholomew",
            "Ekwueme-Lindqvist",
        )
        session.commit()
    candidates.update_candidate(
        admin,
        erased,
        {
            "first_name": FIRST,
            "last_name": LAST,
            "email": EMAIL,
            "phone": PHONE,
            "adjustments": "QV-ADJUST: a quiet room, please",
        },
        expected_version=None,
    )
    cell = ids.cells[0][0]
    scoring.save_score(
        tom,
        ids.interview_id,
        world.person("panel_on"),
        erased,
        cell,
        value=4,
        evidence="QV-EVIDENCE: talked about the Zanzibar project",
        expected_version=None,
    )
    scoring.declare_conflict(
        tom,
        ids.extra_id,
        world.person("panel_on"),
        erased,
        f"QV-CONFLICT: {FIRST} {LAST} is my neighbour",
    )
    results.record_agreed_score(
        tom,
        ids.interview_id,
        erased,
        cell,
        value=5,
        rationale=f"QV-RATIONALE: {FIRST} gave the clearest example",
        expected_version=None,
    )
    results.resolve_tie(
        tom,
        ids.interview_id,
        note=f"Settled on the lead criterion: {FIRST} {LAST} ahead of {OTHER_NAME}",
        progress=[],
        expected_version=None,
    )
    results.set_outcome(
        admin,
        ids.interview_id,
        erased,
        kind="withdrawn",
        reason="QV-REASON: moving to Zanzibar",
        today=uc.TODAY,
    )
    results.set_outcome(
        admin,
        ids.interview_id,
        other,
        kind="withdrawn",
        reason=f"Withdrew a day after {FIRST.upper()} {LAST.upper()} did ({EMAIL})",
        today=uc.TODAY,
    )
    letters.set_feedback(
        admin,
        ids.interview_id,
        erased,
        "QV-FEEDBACK: a thoughtful answer on testing",
        expected_version=None,
    )
    with database.session() as session:
        scores = list(session.exec(select(Score.id, Score.value).order_by(col(Score.id))))
        outcomes = list(session.exec(select(Outcome.id, Outcome.kind).order_by(col(Outcome.id))))
    text_now = _everything(database)
    for mark in (*MARKS[:4], "QV-EVIDENCE", "QV-RATIONALE", "QV-REASON", "QV-FEEDBACK"):
        assert mark.lower() in text_now.lower(), f"the scene should have copied {mark}"
    yield Scene(world, erased, other, number, demo_values, scores, outcomes)


def _everything(database) -> str:
    """Every value of every row of every table, as text."""
    found = []
    with database.engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.exec_driver_sql(f"SELECT * FROM {quote(table.name)}").all()
            found.append(f"{table.name}: {rows!r}")
    return "\n".join(found)


def _left(haystack: str, marks: tuple[str, ...]) -> list[str]:
    low = haystack.lower()
    return [m for m in marks if m.lower() in low]


def _erase(scene: Scene, how: str) -> None:
    world = scene.world
    if how == "request":
        retention.erase_candidate(
            world.admin,
            scene.erased,
            reason=f"{FIRST} {LAST} asked by e-mail from {EMAIL} on 2 February",
        )
    else:
        with world.db.session() as session:
            session.get(Campaign, world.ids.campaign_id).archived = True
            session.commit()
        report = retention.purge(world.admin, dry_run=False, today=date(2031, 1, 6))
        assert scene.number in {d.candidate_number for d in report.candidates}


@pytest.mark.parametrize("how", ["request", "purge"])
def test_erasure_leaves_no_personal_value_in_any_table(
    scene: Scene, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    db = scene.world.db
    caplog.set_level(logging.DEBUG)
    _erase(scene, how)

    everything = _everything(db)
    assert _left(everything, MARKS + scene.demo_values) == []
    # The log names nobody either.
    assert _left(caplog.text, MARKS + scene.demo_values) == []

    with db.session() as session:
        # The number, every score and every outcome stay, value for value.
        candidate = session.get(Candidate, scene.erased)
        assert candidate.candidate_number == scene.number and candidate.erased_at is not None
        assert (candidate.extra, candidate.unavailable_dates, candidate.extra_minutes) == (
            {},
            [],
            0,
        )
        assert list(session.exec(select(Score.id, Score.value).order_by(col(Score.id)))) == (
            scene.scores
        )
        assert list(session.exec(select(Outcome.id, Outcome.kind).order_by(col(Outcome.id)))) == (
            scene.outcomes
        )
        agreed = session.exec(
            select(ModeratedScore).where(ModeratedScore.candidate_id == scene.erased)
        ).one()
        assert (agreed.value, agreed.rationale) == (5, "")
        # Another candidate's words keep all but the erased candidate's name and e-mail
        # (the purge erases that other candidate too: they withdrew as well).
        other = session.exec(
            select(Outcome).where(
                Outcome.candidate_id == scene.other,
                Outcome.stage_id == scene.world.ids.interview_id,
            )
        ).one()
        stage = session.get(Stage, scene.world.ids.interview_id)
        if how == "request":
            assert other.reason == "Withdrew a day after [erased] did ([erased])"
            assert stage.tie_note == (
                f"Settled on the lead criterion: [erased] ahead of {OTHER_NAME}"
            )
        else:
            assert other.reason == ""
            assert stage.tie_note == "Settled on the lead criterion: [erased] ahead of [erased]"
        # The trail keeps what happened, to whom by number, and the other candidate's name.
        actions = [
            e.action
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.campaign_id == scene.world.ids.campaign_id)
            )
        ]
        for action in ("outcome.set", "outcome.feedback", "score.agree", "results.tie"):
            assert action in actions
        tie = session.exec(select(AuditEvent).where(AuditEvent.action == "results.tie")).one()
        assert tie.after["note"] == stage.tie_note
    if how == "request":
        with db.session() as session:
            event = session.exec(
                select(AuditEvent).where(AuditEvent.action == "candidate.erase")
            ).one()
            assert event.summary == (
                f"Erased candidate {scene.number}'s personal data: [erased] asked by e-mail "
                "from [erased] on 2 February"
            )


def test_a_subject_access_record_holds_every_event_that_erasure_blanks(scene: Scene) -> None:
    """What erasure finds is what subject access shows: the events about their outcomes
    and agreed scores too, not only those filed under the candidate."""
    from recruit_app.services import candidate_data

    record = candidate_data.candidate_record(scene.world.admin, scene.erased)
    told = repr(record.history)
    for mark in ("QV-EVIDENCE", "QV-RATIONALE", "QV-REASON", "QV-FEEDBACK", EMAIL):
        assert mark in told
    retention.erase_candidate(scene.world.admin, scene.erased, reason="")
    after = candidate_data.candidate_record(scene.world.admin, scene.erased)
    assert len(after.history) == len(record.history) + 1  # and the erasure itself
    assert _left(repr(after), MARKS) == []


def test_the_merit_order_kept_by_finalising_keeps_numbers_and_scores_only(
    database, tmp_path: Path
) -> None:
    """A finalised stage's event holds the merit order by number; erasure keeps it whole
    for statistics, and removes anything else an older version put beside the number."""
    ids = uc.build_world(database)
    world = uc.World(ids, database, tmp_path)
    results.finalise_stage(world.admin, ids.interview_id, expected_version=None, today=uc.TODAY)
    erased = ids.interviewees[0]
    number = uc.number_of(world, erased)
    with database.session() as session:
        event = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "results.finalise", AuditEvent.entity_id == ids.interview_id
            )
        ).one()
        order = event.after["merit_order"]
        mine = next(r for r in order if r["candidate_number"] == number)
        # As a version before 1.0 recorded it: with the name shown at the stage.
        event.after = {
            "merit_order": [
                {**r, "name": f"{FIRST} {LAST}"} if r["candidate_number"] == number else r
                for r in order
            ]
        }
        session.add(event)
        session.commit()
    retention.erase_candidate(world.admin, erased, reason="")
    with database.session() as session:
        event = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "results.finalise", AuditEvent.entity_id == ids.interview_id
            )
        ).one()
        assert event.after["merit_order"] == order  # the name has gone, the scores stay
        assert next(r for r in order if r["candidate_number"] == number) == mine


def test_deleting_a_campaign_blanks_the_trail_of_its_candidates(database, tmp_path: Path) -> None:
    """Deleting a campaign keeps its audit trail, without the personal values it holds
    about the candidates deleted with it."""
    from recruit_app.services import campaigns

    ids = uc.build_world(database)
    world = uc.World(ids, database, tmp_path)
    erased = ids.interviewees[0]
    candidates.update_candidate(
        world.admin, erased, {"first_name": FIRST, "email": EMAIL}, expected_version=None
    )
    results.set_outcome(
        world.admin,
        ids.interview_id,
        erased,
        kind="withdrawn",
        reason="QV-REASON: moving to Zanzibar",
        today=uc.TODAY,
    )
    assert _left(_everything(database), (FIRST, EMAIL, "QV-REASON"))  # in the trail
    campaigns.delete_campaign(world.admin, ids.campaign_id, expected_version=None)
    assert _left(_everything(database), (FIRST, EMAIL, "QV-REASON")) == []
    actions = {e.action for e in audit_trail_events(database)}
    assert {"outcome.set", "candidate.update", "campaign.delete"} <= actions


def audit_trail_events(database) -> list[AuditEvent]:
    with database.session() as session:
        return list(session.exec(select(AuditEvent)))


# --- the files themselves ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["request", "purge"])
def test_no_old_copy_survives_in_the_sqlite_file_or_its_wal(
    sqlite_url: str, tmp_path: Path, how: str
) -> None:
    from recruit_app.services.database import open_db

    db = open_db(sqlite_url)
    try:
        ids = uc.build_world(db)
        world = uc.World(ids, db, tmp_path)
        scene = _scene_on(world)
        _erase(scene, how)
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        path = Path(sqlite_url)
        raw = b"".join(
            p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
        )
        left = [m for m in MARKS + scene.demo_values if m.encode("utf-8") in raw]
        assert left == []
    finally:
        db.dispose()


def _scene_on(world: uc.World) -> Scene:
    """A smaller scene for the file checks: the details, a draft score and an outcome."""
    ids = world.ids
    erased = ids.interviewees[0]
    with world.db.session() as session:
        candidate = session.get(Candidate, erased)
        demo_values = (f"{candidate.first_name} {candidate.last_name}", candidate.email)
        number = candidate.candidate_number
    candidates.update_candidate(
        world.admin,
        erased,
        {"first_name": FIRST, "last_name": LAST, "email": EMAIL, "phone": PHONE},
        expected_version=None,
    )
    scoring.save_score(
        world.ctx("panel_on"),
        ids.interview_id,
        world.person("panel_on"),
        erased,
        ids.cells[0][0],
        value=4,
        evidence="QV-EVIDENCE: talked about the Zanzibar project",
        expected_version=None,
    )
    results.set_outcome(
        world.admin,
        ids.interview_id,
        erased,
        kind="withdrawn",
        reason="QV-REASON: moving to Zanzibar",
        today=uc.TODAY,
    )
    return Scene(world, erased, ids.interviewees[1], number, demo_values, [], [])


@pytest.mark.postgres
def test_erasure_vacuums_the_tables_it_rewrote_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """PostgreSQL keeps the old version of an updated row until VACUUM: erasure vacuums the
    tables it rewrote (where its role may), so no old version stays readable; VACUUM FULL,
    which the README asks the tables' owner to run after a purge, then leaves no byte of
    the erased values in the table files."""
    from recruit_app.services.database import open_db

    db = open_db(pg_url)
    try:
        ids = uc.build_world(db)
        world = uc.World(ids, db, tmp_path)
        scene = _scene_on(world)
        _erase(scene, "request")
        tables = sorted(REWRITTEN)
        with db.engine.connect() as connection:
            vacuumed = connection.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables "
                    "WHERE relname = ANY(:names) AND last_vacuum IS NOT NULL"
                ),
                {"names": tables},
            ).scalars()
            assert sorted(vacuumed) == tables
            if connection.exec_driver_sql("SHOW is_superuser").scalar() != "on":
                return  # counting dead row versions and reading the files need a superuser
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
            dead = {
                name: connection.execute(
                    text("SELECT dead_tuple_count FROM pgstattuple(:name)"), {"name": name}
                ).scalar()
                for name in tables
            }
            assert dead == dict.fromkeys(tables, 0)
            connection.exec_driver_sql("VACUUM FULL " + ", ".join(tables))
        raw = _pg_table_files(db)
        left = [m for m in MARKS + scene.demo_values if m.encode("utf-8") in raw]
        assert left == []
    finally:
        db.dispose()


def _pg_table_files(db) -> bytes:
    """The bytes of every table, index and TOAST file of the app's tables, after CHECKPOINT."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("CHECKPOINT")
        files = connection.execute(
            text(
                "SELECT pg_relation_filepath(oid) FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i') "
                "UNION SELECT pg_relation_filepath(reltoastrelid) FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND reltoastrelid <> 0"
            )
        ).scalars()
        chunks = []
        for path in files:
            size = connection.execute(
                text("SELECT (pg_stat_file(:p, true)).size"), {"p": path}
            ).scalar()
            if size:
                chunks.append(
                    connection.execute(text("SELECT pg_read_binary_file(:p)"), {"p": path}).scalar()
                )
        return b"".join(bytes(c) for c in chunks)
