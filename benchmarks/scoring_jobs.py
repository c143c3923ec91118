"""Candidates and scores at scale: importing, computing results, saving one score."""

from __future__ import annotations

import csv
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert
from sqlmodel import col, select

from benchmarks.backends import Backend, backends
from benchmarks.harness import Result, summarise, time_calls
from benchmarks.synthetic import (
    ASSESSORS,
    CRITERIA,
    add_campaign,
    people,
    score_rows,
    stage_with_panel,
)
from db.models import (
    Candidate,
    Person,
    Score,
)
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.results import stage_results
from recruit_app.services.scoring import import_scores, save_score


def _csv(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First name", "Last name", "Email", "Phone"])
        for person in people(count, seed=21):
            writer.writerow(
                [person["first_name"], person["last_name"], person["email"], "07700 900000"]
            )
    return path


def _bare_csv_import(path: Path, backend: Backend) -> None:
    """The physical limit: csv parsing plus one executemany of the same rows (every column
    the candidate table stores) in one transaction, through the bare driver."""
    stamp = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with closing(backend.connect()) as connection:
        cursor = connection.cursor()
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_person (campaign INTEGER, number TEXT, first TEXT, "
            "last TEXT, email TEXT, phone TEXT, gis BOOLEAN, ris BOOLEAN, adjustments TEXT, "
            "extra_minutes INTEGER, unavailable TEXT, extra TEXT, status TEXT, created TEXT, "
            "updated TEXT, updated_by TEXT, version INTEGER)"
        )
        connection.commit()
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        with connection:
            cursor.execute("DELETE FROM bench_person")
            cursor.executemany(
                backend.sql(
                    "INSERT INTO bench_person VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        1,
                        f"{n:05d}",
                        first,
                        last,
                        email.lower(),
                        phone,
                        False,
                        False,
                        "",
                        0,
                        "[]",
                        "{}",
                        "applied",
                        stamp,
                        stamp,
                        "benchmark",
                        1,
                    )
                    for n, (first, last, email, phone) in enumerate(rows)
                ],
            )


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
            results.append(_import_job(ctx, backend, work, count, repeat))
            results.append(_score_import_job(ctx, backend, count, score_count, repeat))
            results += _results_and_save_jobs(ctx, backend, count, repeat)
            db.dispose()
    return results


def _import_job(
    ctx: ServiceContext, backend: Backend, work: Path, count: int, repeat: int
) -> Result:
    path = _csv(work / "candidates.csv", count)
    made = iter(range(1_000))

    def through_the_service() -> None:
        campaign_id = add_campaign(ctx.db, f"IMPORT-{next(made)}", "Import", 0)
        import_candidates(ctx, campaign_id, path)

    samples = time_calls(through_the_service, repeat)
    baseline = time_calls(lambda: _bare_csv_import(path, backend), repeat)
    return summarise(
        backend.label(f"import {count:,} candidates from CSV"),
        samples,
        baseline,
        "ratio <= 5, under 1 s",
        lambda m, r: r is not None and r <= 5 and m < 1.0,
    )


def _score_import_job(
    ctx: ServiceContext, backend: Backend, count: int, score_count: int, repeat: int
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

    samples = []
    for _ in range(repeat + 1):
        clear()
        samples += time_calls(
            lambda: import_scores(ctx, stage_id, rows, source="bench.csv"), 1, warmup=0
        )
    stamp = datetime.now(UTC) if backend.name != "sqlite" else datetime.now(UTC).isoformat(sep=" ")
    bare = [
        (r["stage_criterion_id"], r["candidate_id"], r["assessor_id"], r["value"], stamp, stamp)
        for r in raw
    ]

    def baseline() -> None:
        """One driver executemany of the same rows into the real score table (its indexes,
        constraints and foreign keys included): what any import must at least pay."""
        with closing(backend.connect()) as connection, connection:
            connection.cursor().executemany(
                backend.sql(
                    "INSERT INTO score (stage_criterion_id, candidate_id, assessor_id, value, "
                    "evidence, status, submitted_at, version, updated_at, updated_by) "
                    "VALUES (?, ?, ?, ?, '', 'submitted', ?, 1, ?, 'benchmark')"
                ),
                bare,
            )

    baseline_samples = []
    for _ in range(repeat):
        clear()
        baseline_samples += time_calls(baseline, 1, warmup=0)
    return summarise(
        backend.label(f"import {len(rows):,} score rows"),
        samples[1:],
        baseline_samples,
        "ratio <= 5",
        lambda _m, r: r is not None and r <= 5,
    )


def _results_and_save_jobs(
    ctx: ServiceContext, backend: Backend, count: int, repeat: int
) -> list[Result]:
    campaign_id = add_campaign(ctx.db, "RESULTS", "Results", count)
    stage_id, cells, assessors = stage_with_panel(ctx.db, campaign_id)
    rows = score_rows(ctx.db, campaign_id, cells, assessors)
    with ctx.db.session() as session:
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Score), rows[start : start + 20_000])
        session.commit()

    def bare_group_by() -> None:
        with closing(backend.connect()) as connection:
            cursor = connection.cursor()
            cursor.execute(
                backend.sql(
                    "SELECT s.candidate_id, s.stage_criterion_id, count(*), avg(s.value), "
                    "min(s.value), max(s.value) FROM score s JOIN stage_criterion c "
                    "ON c.id = s.stage_criterion_id WHERE c.stage_id = ? "
                    "GROUP BY s.candidate_id, s.stage_criterion_id"
                ),
                (stage_id,),
            )
            cursor.fetchall()

    results = [
        summarise(
            backend.label(
                f"results for {count:,} candidates x {CRITERIA} criteria x {ASSESSORS} assessors"
            ),
            time_calls(lambda: stage_results(ctx, stage_id), repeat),
            time_calls(bare_group_by, repeat),
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
