"""PostgreSQL as a real multi-user backend: several desktops writing at the same moment.

Every desktop here has its own Database (its own engine and connection pool) and its own
signed-in person, as separate computers in a team would. Threads are released together
by barriers, and where one writer must wait for another the test watches the server's own
lock table instead of sleeping, so each race happens the same way on every run.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, func, text
from sqlmodel import col, select

from db.engine import parse_database_url
from db.models import (
    AuditEvent,
    Campaign,
    Candidate,
    ModeratedScore,
    PanelAssignment,
    Score,
    Stage,
)
from recruit_app.errors import ConflictError, DatabaseUnavailable, ValidationError
from recruit_app.services import auth, people
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.campaigns import CampaignSummary, create_campaign
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.uow import CONNECTION_LOST_MESSAGE, describe_moment

pytestmark = pytest.mark.postgres

PASSWORD = "correct horse battery"
WAIT = 30.0  # seconds: a generous bound on every barrier, event, lock wait and join
CANDIDATES = 20
RITA = "rita@example.org"  # recruiting manager who owns the campaign
HANNAH = "hannah@example.org"  # panel member, chair of the sift
TOM = "tom@example.org"  # panel member


@dataclass(frozen=True)
class Team:
    url: str
    admin: ServiceContext
    rita: ServiceContext
    campaign_id: int
    stage_id: int
    hannah_id: int
    tom_id: int


def _write_candidates(folder: Path, name: str, count: int, first: int = 1) -> Path:
    lines = ["First name,Last name,Email"]
    lines += [f"Person{n},Family{n},person{n}@example.com" for n in range(first, first + count)]
    path = folder / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def team(pg_url: str, tmp_path: Path) -> Iterator[Team]:
    """A campaign owned by Rita, 20 candidates, and a sift chaired by Hannah with Tom."""
    db = open_db(pg_url)
    try:
        admin = ServiceContext(
            db,
            auth.create_first_administrator(
                db, email="ada@example.org", name="Ada Admin", password=PASSWORD
            ),
        )
        ids = {}
        for name, email, role in (
            ("Rita Manager", RITA, "recruiting_manager"),
            ("Hannah Lee", HANNAH, "panel_member"),
            ("Tom Okonkwo", TOM, "panel_member"),
        ):
            ids[email] = people.create_person(admin, name=name, email=email, role=role).id
            auth.reset_password(admin, ids[email], PASSWORD)
        rita = ServiceContext(db, auth.sign_in(db, RITA, PASSWORD))
        campaign = create_from_template(rita, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")
        import_candidates(rita, campaign.id, _write_candidates(tmp_path, "first.csv", CANDIDATES))
        stage = stage_svc.stages_overview(rita, campaign.id).stages[0]
        stage_svc.set_panel(
            rita,
            stage.id,
            [stage_svc.SeatChoice(ids[HANNAH], "chair"), stage_svc.SeatChoice(ids[TOM], "member")],
            expected_version=stage.version,
        )
        yield Team(pg_url, admin, rita, campaign.id, stage.id, ids[HANNAH], ids[TOM])
    finally:
        db.dispose()


@pytest.fixture
def monitor(pg_url: str) -> Iterator[Engine]:
    """A separate connection to the same database, like a DBA's console."""
    engine = create_engine(parse_database_url(pg_url).url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@contextmanager
def desktop(url: str, email: str) -> Iterator[ServiceContext]:
    """One person's desktop: its own engine and pool, signed in as they would be."""
    db = open_db(url)
    try:
        yield ServiceContext(db, auth.sign_in(db, email, PASSWORD))
    finally:
        db.dispose()


def run_together(*jobs: Callable[[], Any], barrier: threading.Barrier | None = None) -> list[Any]:
    """Run each job on its own thread; return what each returned or the exception it raised.

    A job that fails breaks the barrier, so its partner stops waiting instead of hanging.
    """
    outcomes: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            outcomes[index] = job()
        except BaseException as exc:  # handed back to the test to assert on
            outcomes[index] = exc
            if barrier is not None:
                barrier.abort()

    threads = [
        threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a desktop was still busy after the timeout"
    return outcomes


def backend_pid(connection: Any) -> int:
    """The server process serving a SQLAlchemy connection."""
    return connection.connection.dbapi_connection.info.backend_pid


def wait_until_blocked_on_a_lock(monitor: Engine, pid: int) -> None:
    """Poll the server until the backend `pid` is waiting for a row or index lock."""
    deadline = time.monotonic() + WAIT
    with monitor.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar()
            if waiting == "Lock":
                return
            time.sleep(0.005)
    raise AssertionError(f"backend {pid} never waited for a lock")


class Race:
    """Two desktops reaching the same write having read the same state.

    Both stop just before the statement starting with `prefix` until both are there. The
    first desktop then runs it and holds its lock; the second runs it too and blocks on
    that lock; only once the server shows the second waiting does the first commit.
    """

    def __init__(
        self, monitor: Engine, prefix: str, *, first: ServiceContext, second: ServiceContext
    ) -> None:
        self.monitor, self.prefix = monitor, prefix
        self.both_read = threading.Barrier(2, timeout=WAIT)
        self.first_wrote = threading.Event()
        self.second_pid: int | None = None
        self.second_waited = False
        event.listen(first.db.engine, "before_cursor_execute", self._first_about_to_write)
        event.listen(first.db.engine, "after_cursor_execute", self._first_has_written)
        event.listen(second.db.engine, "before_cursor_execute", self._second_about_to_write)

    def _first_about_to_write(self, _conn, _cursor, statement: str, *_args: Any) -> None:
        # Once only: a use case may write the same row twice in one transaction.
        if statement.startswith(self.prefix) and not self.first_wrote.is_set():
            self.both_read.wait()

    def _first_has_written(self, _conn, _cursor, statement: str, *_args: Any) -> None:
        if statement.startswith(self.prefix) and not self.first_wrote.is_set():
            self.first_wrote.set()
            assert self.second_pid is not None
            wait_until_blocked_on_a_lock(self.monitor, self.second_pid)
            self.second_waited = True

    def _second_about_to_write(self, conn, _cursor, statement: str, *_args: Any) -> None:
        if statement.startswith(self.prefix) and self.second_pid is None:
            self.second_pid = backend_pid(conn)
            self.both_read.wait()
            assert self.first_wrote.wait(WAIT), "the first desktop never wrote"


def terminate(monitor: Engine, pid: int) -> str:
    """Kill a backend as `pg_terminate_backend` does; return what it was doing then."""
    with monitor.connect() as connection:
        state = connection.execute(
            text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar()
        gone = connection.execute(
            text("SELECT pg_terminate_backend(:pid, :wait_ms)"),
            {"pid": pid, "wait_ms": int(WAIT * 1000)},
        ).scalar()
    assert gone is True
    return state


def audit_actions(ctx: ServiceContext) -> Counter[tuple[str, str]]:
    with ctx.db.session() as session:
        return Counter(session.exec(select(AuditEvent.action, AuditEvent.actor_name)).all())


# --- two panel members submitting at the same moment ------------------------------------


def _hannahs_score(values: tuple[int, ...], i: int, j: int) -> int:
    return values[(i + j) % len(values)]


def _toms_score(values: tuple[int, ...], i: int, j: int) -> int:
    return values[(3 * i + 2 * j + 1) % len(values)]


def test_two_panel_members_scoring_the_same_candidate_at_once_both_count(team: Team) -> None:
    barrier = threading.Barrier(2, timeout=WAIT)

    def score_everyone(email: str, pattern: Callable[[tuple[int, ...], int, int], int]) -> int:
        with desktop(team.url, email) as me:
            assessor = me.actor.person_id
            assert assessor is not None
            sheet = sc.scoring_sheet(me, team.stage_id, assessor)
            values = tuple(sheet.scale.values)
            for i, candidate in enumerate(sheet.candidates):
                for j, criterion in enumerate(sheet.criteria):
                    barrier.wait()  # both write the same candidate and criterion together
                    sc.save_score(
                        me,
                        team.stage_id,
                        assessor,
                        candidate.id,
                        criterion.cell_id,
                        value=pattern(values, i, j),
                        evidence=f"{me.actor.name} on {candidate.number} {criterion.code}",
                        expected_version=sheet.score(candidate.id, criterion.cell_id).version,
                    )
                barrier.wait()  # and press Submit together
                sc.submit_scores(me, team.stage_id, assessor, [candidate.id])
            return len(sheet.candidates)

    outcomes = run_together(
        lambda: score_everyone(HANNAH, _hannahs_score),
        lambda: score_everyone(TOM, _toms_score),
        barrier=barrier,
    )

    assert outcomes == [CANDIDATES, CANDIDATES]
    sheet = sc.scoring_sheet(team.rita, team.stage_id, team.hannah_id)
    values = tuple(sheet.scale.values)
    expected = {}
    for i, candidate in enumerate(sheet.candidates):
        for j, criterion in enumerate(sheet.criteria):
            for assessor, name, pattern in (
                (team.hannah_id, "Hannah Lee", _hannahs_score),
                (team.tom_id, "Tom Okonkwo", _toms_score),
            ):
                expected[(candidate.id, criterion.cell_id, assessor)] = (
                    pattern(values, i, j),
                    f"{name} on {candidate.number} {criterion.code}",
                    "submitted",
                    name,
                )
    with team.admin.db.session() as session:
        stored = {
            (s.candidate_id, s.stage_criterion_id, s.assessor_id): (
                s.value,
                s.evidence,
                s.status,
                s.updated_by,
            )
            for s in session.exec(select(Score))
        }
    assert len(expected) == CANDIDATES * len(sheet.criteria) * 2
    assert stored == expected
    submits = Counter(n for (a, n) in audit_actions(team.admin).elements() if a == "scores.submit")
    assert submits == {"Hannah Lee": CANDIDATES, "Tom Okonkwo": CANDIDATES}
    # Each now sees the other's submitted score beside their own, as the sheet shows it.
    first, criterion = sheet.candidates[0], sheet.criteria[0]
    hannahs_view = sc.scoring_sheet(team.rita, team.stage_id, team.hannah_id)
    assert hannahs_view.others[(first.id, criterion.cell_id)] == (
        sc.OtherScore(
            "Tom Okonkwo",
            _toms_score(values, 0, 0),
            f"Tom Okonkwo on {first.number} {criterion.code}",
        ),
    )


# --- a manager and the panel chair changing the same stage -----------------------------


def _stored_stage(ctx: ServiceContext, stage_id: int) -> tuple[Any, ...]:
    with ctx.db.session() as session:
        stage = session.get(Stage, stage_id)
        assert stage is not None
        return (stage.version, stage.updated_by, stage.moderation_spread, stage.tie_note)


def test_the_chair_saving_over_the_managers_change_is_refused_by_name(team: Team) -> None:
    """Both opened the same version; the manager saved first, so the chair's save is refused."""
    with desktop(team.url, RITA) as rita, desktop(team.url, HANNAH) as hannah:
        managers_copy = stage_svc.stages_overview(rita, team.campaign_id).stages[0].version
        chairs_copy = res.stage_results(hannah, team.stage_id).stage_version
        assert managers_copy == chairs_copy

        saved = stage_svc.update_stage(
            rita, team.stage_id, {"moderation_spread": 3}, expected_version=managers_copy
        )
        with pytest.raises(ConflictError) as refused:
            res.resolve_tie(
                hannah,
                team.stage_id,
                note="Drawn by lot",
                progress=[],
                expected_version=chairs_copy,
            )

    assert refused.value.changed_by == "Rita Manager"
    assert refused.value.message == (
        f"The stage {saved.name} was changed by Rita Manager on "
        f"{describe_moment(refused.value.changed_at)}, after you opened it. "
        "Reload to see their change, then make yours again."
    )
    assert saved.version > managers_copy
    assert _stored_stage(team.admin, team.stage_id) == (saved.version, "Rita Manager", 3, "")
    actions = audit_actions(team.admin)
    assert actions[("stage.update", "Rita Manager")] == 1
    assert actions[("results.tie", "Hannah Lee")] == 0


def test_a_manager_and_the_chair_saving_the_same_stage_at_the_same_moment(
    team: Team, monitor: Engine
) -> None:
    """Both opened the same version and save at once. Each use case that changes a stage
    starts by taking the stage's row lock (db.locks): the chair's save waits for the
    manager's to commit, then reads the stage afresh and is refused by name."""
    with desktop(team.url, RITA) as rita, desktop(team.url, HANNAH) as hannah:
        version = stage_svc.stages_overview(rita, team.campaign_id).stages[0].version
        assert res.stage_results(hannah, team.stage_id).stage_version == version
        race = Race(monitor, "SELECT stage.id", first=rita, second=hannah)
        manager, chair = run_together(
            lambda: stage_svc.update_stage(
                rita, team.stage_id, {"moderation_spread": 4}, expected_version=version
            ),
            lambda: res.resolve_tie(
                hannah, team.stage_id, note="Drawn by lot", progress=[], expected_version=version
            ),
            barrier=race.both_read,
        )

    assert race.second_waited
    assert isinstance(manager, stage_svc.StageView), manager
    assert manager.version > version and manager.moderation_spread == 4
    assert isinstance(chair, ConflictError), chair
    assert chair.changed_by == "Rita Manager"
    assert chair.message.startswith("The stage CV sift was changed by Rita Manager on ")
    assert _stored_stage(team.admin, team.stage_id) == (manager.version, "Rita Manager", 4, "")
    actions = audit_actions(team.admin)
    assert actions[("stage.update", "Rita Manager")] == 1
    assert actions[("results.tie", "Hannah Lee")] == 0


def test_the_chair_and_a_manager_agreeing_the_first_score_at_once(
    team: Team, monitor: Engine
) -> None:
    """Neither saw an agreed score. Agreeing one starts by taking the stage's row lock
    (db.locks), so the manager waits for the chair, then finds her score and is told who
    saved it. (Without the lock the unique index would decide, with STALE_MESSAGE.)"""
    with desktop(team.url, HANNAH) as hannah, desktop(team.url, RITA) as rita:
        pair = res.moderation_view(hannah, team.stage_id)[0]
        assert (pair.agreed, pair.agreed_version) == (None, 0)
        race = Race(monitor, "SELECT stage.id", first=hannah, second=rita)
        chair, manager = run_together(
            *(
                lambda ctx=ctx, value=value: res.record_agreed_score(
                    ctx,
                    team.stage_id,
                    pair.candidate_id,
                    pair.cell_id,
                    value=value,
                    rationale=f"{ctx.actor.name}'s view",
                    expected_version=pair.agreed_version,
                )
                for ctx, value in ((hannah, 5), (rita, 4))
            ),
            barrier=race.both_read,
        )

    assert race.second_waited
    assert isinstance(chair, res.ModerationPair), chair
    assert (chair.agreed, chair.rationale, chair.agreed_version) == (5, "Hannah Lee's view", 1)
    assert isinstance(manager, ConflictError), manager
    assert manager.changed_by == "Hannah Lee"
    assert manager.message.startswith("The agreed score was changed by Hannah Lee on ")
    with team.admin.db.session() as session:
        stored = session.exec(select(ModeratedScore)).all()
    assert [
        (m.candidate_id, m.stage_criterion_id, m.value, m.rationale, m.updated_by) for m in stored
    ] == [(pair.candidate_id, pair.cell_id, 5, "Hannah Lee's view", "Hannah Lee")]
    actions = audit_actions(team.admin)
    assert actions[("score.agree", "Hannah Lee")] == 1
    assert actions[("score.agree", "Rita Manager")] == 0


def test_a_manager_entering_paper_scores_while_the_member_types_keeps_one(
    team: Team, monitor: Engine
) -> None:
    """Both sheets showed no score (version 0); the manager's paper score lands first (the
    member's save waits on the stage lock, db.locks), so the member's is refused by name
    rather than silently replacing it or failing in database words."""
    with desktop(team.url, RITA) as rita, desktop(team.url, HANNAH) as hannah:
        sheet = sc.scoring_sheet(hannah, team.stage_id, team.hannah_id)
        candidate, criterion = sheet.candidates[0], sheet.criteria[0]
        shown = sheet.score(candidate.id, criterion.cell_id).version
        assert shown == 0
        race = Race(monitor, "SELECT stage.id", first=rita, second=hannah)
        manager, member = run_together(
            *(
                lambda ctx=ctx, value=value: sc.save_score(
                    ctx,
                    team.stage_id,
                    team.hannah_id,
                    candidate.id,
                    criterion.cell_id,
                    value=value,
                    evidence=f"typed by {ctx.actor.name}",
                    expected_version=shown,
                )
                for ctx, value in ((rita, 3), (hannah, 6))
            ),
            barrier=race.both_read,
        )

    assert race.second_waited
    assert isinstance(manager, sc.MyScore), manager
    assert (manager.value, manager.evidence, manager.version) == (3, "typed by Rita Manager", 1)
    assert isinstance(member, ConflictError), member
    assert member.changed_by == "Rita Manager"
    with team.admin.db.session() as session:
        stored = session.exec(select(Score)).all()
    assert [(s.assessor_id, s.value, s.evidence, s.updated_by) for s in stored] == [
        (team.hannah_id, 3, "typed by Rita Manager", "Rita Manager")
    ]
    assert not any(name == "Hannah Lee" for _a, name in audit_actions(team.admin))


# --- a session killed in the middle of its transaction ----------------------------------


def _candidates_of(ctx: ServiceContext, campaign_id: int) -> list[tuple[Any, ...]]:
    with ctx.db.session() as session:
        rows = session.exec(
            select(Candidate)
            .where(Candidate.campaign_id == campaign_id)
            .order_by(col(Candidate.id))
        )
        return [
            (c.id, c.candidate_number, c.first_name, c.last_name, c.email, c.version) for c in rows
        ]


def _count(ctx: ServiceContext, model: Any) -> int:
    with ctx.db.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_an_import_whose_session_is_killed_leaves_nothing_half_written(
    team: Team, monitor: Engine, tmp_path: Path
) -> None:
    """5,000 rows go in 2,000 at a time in one transaction; the server kills the session
    after the first 2,000 are written. None of them may stay."""
    big = _write_candidates(tmp_path, "big.csv", 5_000, first=1_000)
    before = _candidates_of(team.admin, team.campaign_id)
    audit_before = _count(team.admin, AuditEvent)
    assert len(before) == CANDIDATES
    with desktop(team.url, RITA) as rita:
        checked_out: list[int] = []
        event.listen(
            rita.db.engine,
            "checkout",
            lambda dbapi_connection, *_: checked_out.append(dbapi_connection.info.backend_pid),
        )
        killed: list[str] = []

        def kill_after_the_first_chunk(done: int, _total: int, step: str) -> None:
            if step == "Adding candidates" and not killed:
                assert done == 2_000
                killed.append(terminate(monitor, checked_out[-1]))

        with pytest.raises(DatabaseUnavailable) as refused:
            import_candidates(rita, team.campaign_id, big, progress=kill_after_the_first_chunk)

        assert killed == ["idle in transaction"]  # it was inside its transaction
        assert refused.value.message == CONNECTION_LOST_MESSAGE
        assert refused.value.__cause__ is None and refused.value.__suppress_context__
        assert _candidates_of(team.admin, team.campaign_id) == before
        assert _count(team.admin, AuditEvent) == audit_before

        # The same desktop carries on: its pool drops the dead connection.
        report = import_candidates(rita, team.campaign_id, big)
    assert report.imported == 5_000
    assert len(_candidates_of(team.admin, team.campaign_id)) == CANDIDATES + 5_000


def test_a_panel_change_whose_session_is_killed_keeps_the_old_panel(
    team: Team, monitor: Engine
) -> None:
    """Setting a panel deletes every seat and adds the new ones in one transaction; killed
    between the two, the stage must keep its old panel, not end up with none."""

    def seats() -> list[tuple[int, str, int]]:
        with team.admin.db.session() as session:
            return list(
                session.exec(
                    select(PanelAssignment.person_id, PanelAssignment.panel_role, Stage.version)
                    .join(Stage, col(Stage.id) == PanelAssignment.stage_id)
                    .where(PanelAssignment.stage_id == team.stage_id)
                    .order_by(col(PanelAssignment.person_id))
                ).all()
            )

    before = seats()
    audit_before = _count(team.admin, AuditEvent)
    assert [(p, r) for p, r, _v in before] == [(team.hannah_id, "chair"), (team.tom_id, "member")]
    killed: list[str] = []

    def kill_once_the_old_seats_are_gone(conn, _cursor, statement, *_args) -> None:
        if statement.startswith("INSERT INTO panel_assignment ") and not killed:
            killed.append(terminate(monitor, backend_pid(conn)))

    with desktop(team.url, RITA) as rita:
        version = before[0][2]
        event.listen(rita.db.engine, "before_cursor_execute", kill_once_the_old_seats_are_gone)
        with pytest.raises(DatabaseUnavailable) as refused:
            stage_svc.set_panel(
                rita,
                team.stage_id,
                [stage_svc.SeatChoice(team.tom_id, "chair")],
                expected_version=version,
            )

    assert killed == ["idle in transaction"]
    assert refused.value.message == CONNECTION_LOST_MESSAGE
    assert seats() == before
    assert _count(team.admin, AuditEvent) == audit_before


# --- two desktops creating a campaign with the same reference --------------------------


def test_two_desktops_creating_the_same_reference_at_once_make_one_campaign(
    team: Team, monitor: Engine
) -> None:
    """Both see the reference free; the unique index lets Rita's in, and Ada's insert,
    waiting on it, is refused in the same words as when the reference was taken earlier."""
    with desktop(team.url, RITA) as rita, desktop(team.url, "ada@example.org") as ada:
        race = Race(monitor, "INSERT INTO campaign ", first=rita, second=ada)
        made, refused = run_together(
            lambda: create_campaign(rita, title="Analyst", reference="ANA-1"),
            lambda: create_campaign(ada, title="Data analyst", reference="ANA-1"),
            barrier=race.both_read,
        )

    assert race.second_waited
    assert isinstance(made, CampaignSummary), made
    assert (made.reference, made.title) == ("ANA-1", "Analyst")
    assert isinstance(refused, ValidationError), refused
    assert refused.message == "The reference 'ANA-1' is already used by another campaign."
    assert refused.field == "reference"
    with team.admin.db.session() as session:
        titles = session.exec(select(Campaign.title).where(Campaign.reference == "ANA-1")).all()
    assert titles == ["Analyst"]
    actions = audit_actions(team.admin)
    assert actions[("campaign.create", "Rita Manager")] == 2  # DEV-1 and ANA-1
    assert actions[("campaign.create", "Ada Admin")] == 0
