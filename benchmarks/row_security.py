"""The cost of PostgreSQL's row-level security (team mode, issue 13).

The same service calls (a stage's results, a panel member's scoring sheet) timed as a
signed-in person, whose connection the server filters row by row through the policies of
migration 0008, and as the database owner, whom no policy filters: the ratio is what the
policies cost. Samples alternate between the two. PostgreSQL only; skipped without --pg.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from benchmarks.backends import backends
from benchmarks.harness import Result, settle, summarise
from benchmarks.synthetic import add_campaign, score_rows, stage_with_panel
from db.models import Campaign, Person, Score
from recruit_app.services import auth, people
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.results import stage_results
from recruit_app.services.scoring import scoring_sheet

PASSWORD = "a long benchmark passphrase"


def _alternate(
    as_person: ServiceContext,
    as_owner: ServiceContext,
    work: Callable[[ServiceContext], object],
    repeat: int,
) -> tuple[list[float], list[float]]:
    """`work(ctx)` timed for each context in turn, `repeat` times each, after a warm-up."""
    work(as_person), work(as_owner)
    person: list[float] = []
    owner: list[float] = []
    for _ in range(repeat):
        for ctx, samples in ((as_person, person), (as_owner, owner)):
            settle()
            started = time.perf_counter()
            work(ctx)
            samples.append(time.perf_counter() - started)
    return person, owner


def _signed_in(url: str, email: str) -> ServiceContext:
    """A desktop of the team: the URL names nobody, the person signs in as themselves."""
    team = make_url(url).set(username=None, password=None)
    db = open_db(team.render_as_string(hide_password=False))
    return ServiceContext(db, auth.sign_in(db, email, PASSWORD))


def run(quick: bool, pg_url: str | None = None) -> list[Result]:
    if not pg_url:
        return []
    count, repeat = (200, 2) if quick else (2_000, 7)
    with (
        tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder,
        backends(Path(folder), "rls", pg_url) as found,
    ):
        backend = found[-1]
        owner_db = open_db(backend.url)
        owner = ServiceContext(owner_db, Actor("benchmark"))
        auth.create_first_administrator(
            owner_db, email="admin@bench.example", name="Admin", password=PASSWORD
        )
        manager = people.create_person(
            owner, name="Manager", email="manager@bench.example", role="recruiting_manager"
        )
        auth.reset_password(owner, manager.id, PASSWORD)
        campaign_id = add_campaign(owner_db, "RLS-1", "Row security", count)
        # A second campaign of the same size that neither person may see.
        other = add_campaign(owner_db, "RLS-2", "Someone else's", count)
        stage_id, cells, assessors = stage_with_panel(owner_db, campaign_id)
        _, other_cells, other_assessors = stage_with_panel(owner_db, other)
        with owner_db.session() as session:
            session.execute(
                update(Campaign).where(col(Campaign.id) == campaign_id).values(owner_id=manager.id)
            )
            rows = score_rows(owner_db, campaign_id, cells, assessors)
            rows += score_rows(owner_db, other, other_cells, other_assessors)
            for start in range(0, len(rows), 20_000):
                session.execute(insert(Score), rows[start : start + 20_000])
            session.commit()
            member_email = session.exec(select(Person.email).where(Person.id == assessors[0])).one()
        with owner_db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
            # What autovacuum does on a server within a minute of a load this size.
            raw.exec_driver_sql("ANALYZE")
        auth.reset_password(owner, assessors[0], PASSWORD)
        manager_ctx = _signed_in(backend.url, "manager@bench.example")
        member_ctx = _signed_in(backend.url, member_email)
        results = []
        try:
            size = f"{count:,} candidates x 7 criteria x 3 assessors"
            mine, base = _alternate(
                manager_ctx, owner, lambda ctx: stage_results(ctx, stage_id), repeat
            )
            results.append(
                summarise(
                    f"results for {size}, as the owning manager vs the owner (PostgreSQL)",
                    mine,
                    base,
                    "row security costs at most 2x",
                    lambda _m, r: r is not None and r <= 2,
                )
            )
            mine, base = _alternate(
                member_ctx,
                owner,
                lambda ctx: scoring_sheet(ctx, stage_id, assessors[0]),
                repeat,
            )
            results.append(
                summarise(
                    f"scoring sheet for {size}, as the panel member vs the owner (PostgreSQL)",
                    mine,
                    base,
                    "row security costs at most 2x",
                    lambda _m, r: r is not None and r <= 2,
                )
            )
        finally:
            for ctx in (manager_ctx, member_ctx, owner):
                ctx.db.dispose()
    return results
