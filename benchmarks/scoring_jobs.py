"""Candidates and scores at scale: importing, computing results, saving one score.

Each job's baseline does the same work with the bare libraries (benchmarks/baselines:
csv, re, sqlite3 or psycopg, plain Python) on the same database, through a connection set
up as the app's are: the same reads and checks, the same rows into the real tables. The
app's samples and the baseline's alternate. Once per job, untimed, the baseline's result
is checked against the app's, so that it is provably the same work.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import col, select

from benchmarks.backends import Backend, backends
from benchmarks.baselines.imports import bare_candidate_import, bare_score_import
from benchmarks.baselines.results import bare_merit_list
from benchmarks.harness import Result, summarise, time_alternating, time_calls
from benchmarks.synthetic import (
    ASSESSORS,
    CRITERIA,
    MODERATION_SPREAD,
    add_campaign,
    agreed_rows,
    people,
    score_rows,
    stage_with_panel,
)
from db.models import Candidate, ModeratedScore, Person, Score
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.results import stage_results
from recruit_app.services.scoring import import_scores, save_score
from recruit_app.services.uow import select_columns as columns


def _csv(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First name", "Last name", "Email", "Phone"])
        for person in people(count, seed=21):
            writer.writerow(
                [person["first_name"], person["last_name"], person["email"], "07700 900000"]
            )
    return path


@contextmanager
def _bare_connection(backend: Backend) -> Iterator[Any]:
    """One bare connection for the whole job, as the app keeps its pool's."""
    with closing(backend.connect()) as connection:
        yield connection


def run(quick: bool, pg_url: str | None = None) -> list[Result]:
    count, score_count, repeat = (300, 3_000, 1) if quick else (10_000, 100_000, 5)
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder,
        backends(Path(folder), "scores", pg_url) as found,
    ):
        work = Path(folder)
        for backend in found:
            db = open_db(backend.url)
            ctx = ServiceContext(db, Actor("benchmark"))
            with _bare_connection(backend) as connection:
                results.append(_import_job(ctx, backend, connection, work, count, repeat))
                results.append(
                    _score_import_job(ctx, backend, connection, count, score_count, repeat)
                )
                results += _results_and_save_jobs(ctx, backend, connection, count, repeat)
            db.dispose()
    return results


# --- importing candidates ------------------------------------------------------------


def _people_of(ctx: ServiceContext, campaign_id: int) -> list[tuple[Any, ...]]:
    with ctx.db.session() as session:
        return [
            tuple(row)
            for row in session.execute(
                columns(
                    Candidate.candidate_number,
                    Candidate.first_name,
                    Candidate.last_name,
                    Candidate.email,
                    Candidate.phone,
                    Candidate.status,
                    Candidate.extra,
                    Candidate.unavailable_dates,
                )
                .where(Candidate.campaign_id == campaign_id)
                .order_by(col(Candidate.candidate_number))
            )
        ]


def _import_job(
    ctx: ServiceContext, backend: Backend, connection: Any, work: Path, count: int, repeat: int
) -> Result:
    """The app's import against csv + re + the driver doing the same: both into a fresh
    campaign (made untimed before each sample) in the real candidate table."""
    path = _csv(work / "candidates.csv", count)
    made = iter(range(1_000))
    targets: dict[str, int] = {}

    def fresh(side: str) -> None:
        targets[side] = add_campaign(ctx.db, f"IMPORT-{next(made)}", "Import", 0)

    ours, bare = time_alternating(
        lambda: import_candidates(ctx, targets["app"], path),
        lambda: bare_candidate_import(connection, backend.name, path, targets["bare"]),
        repeat,
        before=lambda: fresh("app"),
        before_baseline=lambda: fresh("bare"),
    )
    # The same candidates went in, the same way: the baseline is the same work.
    app_rows, bare_rows = _people_of(ctx, targets["app"]), _people_of(ctx, targets["bare"])
    assert len(app_rows) == count and app_rows == bare_rows, "the baselines' rows differ"
    return summarise(
        backend.label(f"import {count:,} candidates from CSV"),
        ours,
        bare,
        "ratio <= 5, under 1 s",
        lambda m, r: r is not None and r <= 5 and m < 1.0,
    )


# --- importing scores ----------------------------------------------------------------


def _score_import_job(
    ctx: ServiceContext,
    backend: Backend,
    connection: Any,
    count: int,
    score_count: int,
    repeat: int,
) -> Result:
    campaign_id = add_campaign(ctx.db, "SCORES-IMPORT", "Scores import", count)
    stage_id, cells, assessors = stage_with_panel(ctx.db, campaign_id)
    raw = score_rows(ctx.db, campaign_id, cells, assessors, score_count)
    with ctx.db.session() as session:
        numbers = dict(
            session.exec(
                select(Candidate.id, Candidate.candidate_number).where(
                    Candidate.campaign_id == campaign_id
                )
            ).all()
        )
        emails = dict(session.exec(select(Person.id, Person.email)).all())
        codes = {cell: f"C{n}" for n, cell in enumerate(cells)}
    rows = [
        (
            n + 2,
            {
                "candidate_number": numbers[r["candidate_id"]],
                "criterion": codes[r["stage_criterion_id"]],
                "assessor": emails[r["assessor_id"]],
                "score": str(r["value"]),
                "evidence": "",
            },
        )
        for n, r in enumerate(raw)
    ]

    def clear() -> None:
        with ctx.db.session() as session:
            session.execute(delete(Score).where(col(Score.stage_criterion_id).in_(cells)))
            session.commit()

    def stored() -> set[tuple[Any, ...]]:
        with ctx.db.session() as session:
            return {
                tuple(row)
                for row in session.execute(
                    columns(
                        Score.stage_criterion_id,
                        Score.candidate_id,
                        Score.assessor_id,
                        Score.value,
                        Score.status,
                        Score.version,
                    ).where(col(Score.stage_criterion_id).in_(cells))
                )
            }

    ours, bare = time_alternating(
        lambda: import_scores(ctx, stage_id, rows, source="bench.csv"),
        lambda: bare_score_import(connection, backend.name, stage_id, rows, "bench.csv"),
        repeat,
        before=clear,
    )
    by_baseline = stored()  # the last sample was the baseline's
    clear()
    import_scores(ctx, stage_id, rows, source="bench.csv")
    assert len(by_baseline) == len(rows) and stored() == by_baseline, "the scores differ"
    return summarise(
        backend.label(f"import {len(rows):,} score rows"),
        ours,
        bare,
        "ratio <= 5",
        lambda _m, r: r is not None and r <= 5,
    )


# --- results and saving a score ------------------------------------------------------


def _results_and_save_jobs(
    ctx: ServiceContext, backend: Backend, connection: Any, count: int, repeat: int
) -> list[Result]:
    campaign_id = add_campaign(ctx.db, "RESULTS", "Results", count)
    stage_id, cells, assessors = stage_with_panel(ctx.db, campaign_id)
    rows = score_rows(ctx.db, campaign_id, cells, assessors)
    agreed = agreed_rows(rows, MODERATION_SPREAD)
    with ctx.db.session() as session:
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Score), rows[start : start + 20_000])
        if agreed:
            session.execute(insert(ModeratedScore), agreed)
        session.commit()

    def bare() -> list[tuple[int, float | None, int | None]]:
        """In one read transaction, as the app's."""
        if backend.name == "sqlite":
            connection.execute("BEGIN DEFERRED")
        try:
            return bare_merit_list(connection, backend.marker, stage_id)
        finally:
            connection.rollback()

    # The baseline computes the very merit list the app shows.
    view = stage_results(ctx, stage_id)
    mine = bare()
    assert [(c, r) for c, _t, r in mine] == [(r.candidate_id, r.rank) for r in view.rows]
    assert all(
        (a is None and b.total is None) or (a is not None and abs(a - (b.total or 0)) < 1e-9)
        for (_c, a, _r), b in zip(mine, view.rows, strict=True)
    ), "the baseline's totals differ from the app's"

    ours, base = time_alternating(lambda: stage_results(ctx, stage_id), bare, repeat)
    results = [
        summarise(
            backend.label(
                f"results for {count:,} candidates x {CRITERIA} criteria x {ASSESSORS} assessors"
            ),
            ours,
            base,
            "ratio <= 3, under 0.5 s",
            lambda m, r: r is not None and r <= 3 and m < 0.5,
        )
    ]
    # Saving one draft, as a keystroke in the sheet does (in a worker, never the GUI thread).
    with ctx.db.session() as session:
        session.execute(
            delete(Score).where(
                col(Score.stage_criterion_id) == cells[0],
                col(Score.assessor_id) == assessors[0],
            )
        )
        session.commit()
        first = session.exec(
            select(Candidate.id).where(Candidate.campaign_id == campaign_id)
        ).first()
    assert first is not None  # the campaign has candidates
    values = iter(range(10_000))
    saves = time_calls(
        lambda: save_score(
            ctx,
            stage_id,
            assessors[0],
            first,
            cells[0],
            value=1 + next(values) % 7,
            evidence="",
            expected_version=None,
        ),
        max(repeat * 4, 2),
    )
    results.append(
        summarise(
            backend.label("save one score from the sheet"),
            saves,
            None,
            "under 20 ms",
            lambda m, _r: m < 0.02,
        )
    )
    return results
