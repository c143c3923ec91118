"""A decision checked and written in one transaction: nobody changes what it checked between.

Desktop A appoints a candidate, which needs them to have passed; desktop B (the chair)
records an agreed score that makes them fail. B tries at the worst moment: after A has
checked the merit order and before A writes the outcome. B must then wait for A (and here,
with a short lock wait, give up), never slip in: otherwise A appoints a candidate who failed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from recruit_app.errors import DatabaseUnavailable
from recruit_app.services import auth, people
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import ServiceContext
from recruit_app.services.database import open_db

PASSWORD = "correct horse battery"
SHORT_LOCK_WAIT_MS = 300  # B's own limit on waiting for A's lock, so the test ends


@contextmanager
def desktop(url: str, email: str, *, short_lock_wait: bool = False) -> Iterator[ServiceContext]:
    db = open_db(url)
    try:
        # Signing in on PostgreSQL connects as the person: a new engine, so listen after.
        actor = auth.sign_in(db, email, PASSWORD)
        if short_lock_wait:
            event.listen(db.engine, "connect", _short_wait(db.backend))
            db.engine.dispose()  # connections made from now on get the short wait
        yield ServiceContext(db, actor)
    finally:
        db.dispose()


def _short_wait(backend: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if backend == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout={SHORT_LOCK_WAIT_MS}")
        else:
            cursor.execute(f"SET lock_timeout = {SHORT_LOCK_WAIT_MS}")
        cursor.close()
        if backend != "sqlite":
            dbapi_connection.commit()

    return on_connect


@pytest.fixture
def scored(db_url: str, tmp_path: Path) -> dict[str, Any]:
    """A sift where both panel members gave every candidate 5 on every criterion."""
    db = open_db(db_url)
    try:
        admin = ServiceContext(
            db,
            auth.create_first_administrator(
                db, email="ada@example.org", name="Ada Admin", password=PASSWORD
            ),
        )
        ids = {}
        for name, email, role in (
            ("Rita Manager", "rita@example.org", "recruiting_manager"),
            ("Hannah Lee", "hannah@example.org", "panel_member"),
            ("Tom Okonkwo", "tom@example.org", "panel_member"),
        ):
            ids[email] = people.create_person(admin, name=name, email=email, role=role).id
            auth.reset_password(admin, ids[email], PASSWORD)
        rita = ServiceContext(db, auth.sign_in(db, "rita@example.org", PASSWORD))
        campaign = create_from_template(rita, "DDAT-DEV-SEO", title="Developer", reference="D-1")
        csv = tmp_path / "people.csv"
        csv.write_text(
            "First name,Last name,Email\n"
            + "".join(f"P{n},F{n},p{n}@example.com\n" for n in range(1, 4)),
            encoding="utf-8",
        )
        import_candidates(rita, campaign.id, csv)
        stage = stage_svc.stages_overview(rita, campaign.id).stages[0]
        stage_svc.set_panel(
            rita,
            stage.id,
            [
                stage_svc.SeatChoice(ids["hannah@example.org"], "chair"),
                stage_svc.SeatChoice(ids["tom@example.org"], "member"),
            ],
            expected_version=stage.version,
        )
        for email in ("hannah@example.org", "tom@example.org"):
            sheet = sc.scoring_sheet(rita, stage.id, ids[email])
            for candidate in sheet.candidates:
                for criterion in sheet.criteria:
                    sc.save_score(
                        rita,
                        stage.id,
                        ids[email],
                        candidate.id,
                        criterion.cell_id,
                        value=5,
                        evidence="Good evidence",
                        expected_version=sheet.score(candidate.id, criterion.cell_id).version,
                    )
            sc.submit_scores(rita, stage.id, ids[email], [c.id for c in sheet.candidates])
        view = res.stage_results(rita, stage.id)
        assert all(r.passed for r in view.rows)
        return {"url": db_url, "stage_id": stage.id, "view": view}
    finally:
        db.dispose()


def test_a_score_change_cannot_slip_between_the_merit_check_and_the_appointment(scored):
    view = scored["view"]
    stage_id = scored["stage_id"]
    candidate = view.rows[0]
    cell = next(c for c in view.criteria if c.pass_mark is not None)
    said: list[BaseException | None] = []

    with (
        desktop(scored["url"], "rita@example.org") as rita,
        desktop(scored["url"], "hannah@example.org", short_lock_wait=True) as hannah,
    ):

        def chair_lowers_the_score() -> None:
            try:
                res.record_agreed_score(
                    hannah,
                    stage_id,
                    candidate.candidate_id,
                    cell.cell_id,
                    value=1,
                    rationale="On reflection the evidence was thin.",
                    expected_version=None,
                )
                said.append(None)
            except DatabaseUnavailable as exc:
                said.append(exc)

        chair_went = False

        def before_the_outcome_is_written(_conn, _cursor, statement: str, *_a: Any) -> None:
            nonlocal chair_went
            if not chair_went and statement.lstrip().upper().startswith("INSERT INTO OUTCOME"):
                chair_went = True
                chair = threading.Thread(target=chair_lowers_the_score)
                chair.start()
                chair.join(60)

        event.listen(rita.db.engine, "before_cursor_execute", before_the_outcome_is_written)
        res.set_outcome(
            rita, stage_id, candidate.candidate_id, kind="appoint", reason="Best for the post"
        )
        assert chair_went
        final = res.stage_results(rita, stage_id)

    row = next(r for r in final.rows if r.candidate_id == candidate.candidate_id)
    # The chair could not change the score while the appointment was being decided...
    assert len(said) == 1 and isinstance(said[0], DatabaseUnavailable), said
    # ...so the appointed candidate is one who passed.
    assert row.outcome == "appoint" and row.passed
