"""Applications: importing a folder of 1,000 two-page PDF CVs, and name-blind redaction of
1,000 applications.

The import's baseline is pypdf used the documented way on the same files (benchmarks/
baselines/documents.py): the text of every page, nothing else. The app's import does that
and, on top, its checks of each file, matching names to candidates, redaction and saving
every file and text in one transaction; its samples and the baseline's alternate, and the
parts of the previous sample are deleted untimed before each. Redaction has an absolute
target (under 5 s for 1,000 applications of a CV, a statement and six answers each).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import select

from benchmarks.backends import backends
from benchmarks.baselines.documents import extract_folder_bare
from benchmarks.harness import Result, summarise, time_alternating, time_calls
from benchmarks.synthetic import add_campaign
from benchmarks.synthetic_documents import write_cv_pdfs
from db.models import ApplicationPart, Candidate
from recruit_app.domain.redaction import Person, redact
from recruit_app.services.applications import import_applications
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db


def run(quick: bool, pg_url: str | None = None) -> list[Result]:
    count, repeat = (30, 1) if quick else (1_000, 3)
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder,
        backends(Path(folder), "applications", pg_url) as found,
    ):
        work = Path(folder)
        os.environ["RECRUIT_APP_HOME"] = str(work / "home")
        cvs = work / "cvs"
        cvs.mkdir()
        people: list[tuple[str, str, str, str]] = []
        for backend in found:
            db = open_db(backend.url)
            ctx = ServiceContext(db, Actor("benchmark"))
            campaign_id = add_campaign(db, "APPS-1", "Applications", count)
            with db.session() as session:
                people = [
                    (number, first, last, email)
                    for number, first, last, email in session.exec(
                        select(
                            Candidate.candidate_number,
                            Candidate.first_name,
                            Candidate.last_name,
                            Candidate.email,
                        ).where(Candidate.campaign_id == campaign_id)
                    ).all()
                ]
            if not any(cvs.iterdir()):
                write_cv_pdfs(cvs, [p[0] for p in people], [(p[1], p[2]) for p in people])
            results.append(_import_job(ctx, backend.name, campaign_id, cvs, count, repeat))
            db.dispose()
        results.append(_redaction_job(people, count, repeat))
    return results


def _import_job(
    ctx: ServiceContext, backend: str, campaign_id: int, cvs: Path, count: int, repeat: int
) -> Result:
    def clear() -> None:
        with ctx.db.session() as session:
            session.execute(delete(ApplicationPart))
            session.commit()

    def app() -> None:
        report = import_applications(ctx, campaign_id, None, documents=cvs)
        assert report.documents == count and not report.skipped, report.to_json()

    ours, bare = time_alternating(
        app, lambda: extract_folder_bare(cvs), repeat, warmup=1, before=clear
    )
    return summarise(
        f"applications [{backend}]: import {count:,} two-page PDF CVs "
        "(read, extract, redact, save)",
        ours,
        bare,
        "within 3x of pypdf extracting the same files",
        lambda _median, ratio: ratio is not None and ratio <= 3,
    )


def _redaction_job(people: list[tuple[str, str, str, str]], count: int, repeat: int) -> Result:
    """Each candidate's CV, statement and six answers of about 100 words, each naming them."""
    texts = []
    for number, first, last, email in people[:count]:
        person = Person(first, last, email, "07700 900" + number[-3:].rjust(3, "0"))
        cv = (
            f"Name: {first} {last}\nAddress: 12 Station Road, Leeds LS1 4AB\n"
            f"Email: {email} | Phone: 07700 900{number[-3:]}\n"
            "https://www.linkedin.com/in/someone\n\n"
            + "Software developer at a Leeds council, building Python services. "
            * 25
        )
        statement = f"My name is {first} {last}. " + "I build public services that work. " * 40
        answers = [f"As {first} I led the work. " + "We shipped it weekly with tests. " * 15] * 6
        texts.append((person, [cv, statement, *answers]))

    def app() -> None:
        for person, parts in texts:
            for text in parts:
                redact(text, person)

    samples = time_calls(app, repeat, warmup=1)
    return summarise(
        f"applications: name-blind redaction of {count:,} applications (CV, statement, 6 answers)",
        samples,
        None,
        "under 5 s",
        lambda median, _ratio: median < 5.0,
    )
