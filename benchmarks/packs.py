"""PDF packs: the information pack, a panel pack of 300 score sheets, and outcome letters
for a thousand candidates.

Baselines are ReportLab building the very same flowables with a plain SimpleDocTemplate
(one layout pass, no database, no page furniture), in one process for the packs and in two
processes for the letters: what ReportLab itself needs for the same pages.
"""

from __future__ import annotations

import io
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import select

from benchmarks.backends import Backend, backends
from benchmarks.harness import Result, summarise, time_calls
from benchmarks.synthetic import add_campaign, score_rows, stage_with_panel
from db.models import Advert, Candidate, Outcome, Score, Stage
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.branding import document_theme
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.info_pack import export_info_pack, info_pack_document
from recruit_app.services.letters import export_letters, letters_document
from recruit_app.services.panel_pack import export_panel_pack, panel_pack_document

DEMO_DAY = date(2026, 11, 25)


def run(quick: bool, pg_url: str | None = None) -> list[Result]:
    letters, sheets, repeat = (60, 20, 1) if quick else (1_000, 300, 3)
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder,
        backends(Path(folder), "packs", pg_url) as found,
    ):
        work = Path(folder)
        os.environ["RECRUIT_APP_HOME"] = str(work / "home")
        for backend in found:
            db = open_db(backend.url)
            ctx = ServiceContext(db, Actor("benchmark"), organisation="Home Office")
            space = work / backend.name
            space.mkdir()
            results.append(_info_pack_job(ctx, backend, space, repeat * 3))
            results.append(_panel_pack_job(ctx, backend, space, sheets, repeat))
            results.append(_letters_job(ctx, backend, space, letters, repeat))
            db.dispose()
    return results


# --- the information pack --------------------------------------------------------------


def _info_pack_job(ctx: ServiceContext, backend: Backend, work: Path, repeat: int) -> Result:
    from reportlab.platypus import SimpleDocTemplate

    from exports.info_pack import info_pack_flowables
    from exports.styles import make_styles

    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    target = work / "pack.pdf"
    samples = time_calls(lambda: export_info_pack(ctx, campaign_id, target), repeat)
    doc, styles = info_pack_document(ctx, campaign_id), make_styles(document_theme(ctx))

    def bare() -> None:
        SimpleDocTemplate(io.BytesIO()).build(info_pack_flowables(doc, styles))

    from pypdf import PdfReader

    pages = len(PdfReader(target).pages)
    return summarise(
        backend.label(f"information pack, {pages} pages, including the database reads"),
        samples,
        time_calls(bare, repeat),
        "ratio <= 3, under 0.15 s",
        lambda m, r: r is not None and r <= 3 and m < 0.15,
    )


# --- the panel pack ----------------------------------------------------------------------


def _panel_pack_job(
    ctx: ServiceContext, backend: Backend, work: Path, count: int, repeat: int
) -> Result:
    """A sift of `count` candidates, 7 criteria and a panel of 3: a score sheet each."""
    from reportlab.platypus import SimpleDocTemplate

    from exports.panel_pack import panel_pack_flowables
    from exports.styles import make_styles

    campaign_id = add_campaign(ctx.db, "PANEL-PACK", "Panel pack", count)
    stage_id, _cells, _assessors = stage_with_panel(ctx.db, campaign_id)
    target = work / "panel-pack.pdf"
    samples = time_calls(lambda: export_panel_pack(ctx, stage_id, target), repeat)
    doc, styles = panel_pack_document(ctx, stage_id), make_styles(document_theme(ctx))

    def bare() -> None:
        SimpleDocTemplate(io.BytesIO()).build(panel_pack_flowables(doc, styles))

    return summarise(
        backend.label(f"panel pack, {count:,} score sheets, including the database reads"),
        samples,
        time_calls(bare, repeat),
        "ratio <= 3, under 30 s",
        lambda m, r: r is not None and r <= 3 and m < 30,
    )


# --- outcome letters ---------------------------------------------------------------------


def _letters_job(
    ctx: ServiceContext, backend: Backend, work: Path, count: int, repeat: int
) -> Result:
    stage_id = _decided_stage(ctx, count)
    out = work / "letters"
    made = iter(range(1_000))

    def ours() -> None:
        export_letters(ctx, stage_id, out / str(next(made)), today=DEMO_DAY)

    samples = time_calls(ours, repeat, warmup=0)
    document = letters_document(ctx, stage_id, today=DEMO_DAY)
    theme = document_theme(ctx)
    bare_out = work / "bare"
    bare_out.mkdir()

    def bare() -> None:
        halves = [document.letters[0::2], document.letters[1::2]]
        with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
            list(pool.map(_bare_letters, [(document, h, theme, str(bare_out)) for h in halves]))

    return summarise(
        backend.label(f"outcome letters for {count:,} candidates, one file each"),
        samples,
        time_calls(bare, repeat, warmup=0),
        "ratio <= 3, under 10 s",
        lambda m, r: r is not None and r <= 3 and m < 10,
    )


def _bare_letters(job: tuple[Any, Any, Any, str]) -> int:
    """In a worker: each letter's flowables built with a plain SimpleDocTemplate."""
    from reportlab.platypus import SimpleDocTemplate

    from exports.letters import letter_flowables

    document, letters, theme, folder = job
    for letter in letters:
        path = os.path.join(folder, f"{letter.candidate_number}.pdf")
        SimpleDocTemplate(path).build(letter_flowables(document, letter, theme))
    return len(letters)


def _decided_stage(ctx: ServiceContext, count: int) -> int:
    """A finalised sift of `count` candidates, every one scored by three assessors, a third
    progressing, with feedback offered: each letter carries a table of scores."""
    campaign_id = add_campaign(ctx.db, "LETTERS", "Letters", count)
    stage_id, cells, assessors = stage_with_panel(ctx.db, campaign_id)
    rows = score_rows(ctx.db, campaign_id, cells, assessors)
    now = datetime.now(UTC)
    with ctx.db.session() as session:
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Score), rows[start : start + 20_000])
        ids = session.exec(select(Candidate.id).where(Candidate.campaign_id == campaign_id)).all()
        session.execute(
            insert(Outcome),
            [
                {
                    "stage_id": stage_id,
                    "candidate_id": cid,
                    "kind": "progress" if n % 3 == 0 else "reject",
                    "reason": "",
                    "feedback": "The panel saw good evidence of delivery; say more about design.",
                    "updated_at": now,
                    "updated_by": "benchmark",
                    "version": 1,
                }
                for n, cid in enumerate(ids)
            ],
        )
        stage = session.get(Stage, stage_id)
        assert stage is not None
        stage.finalised_at = now
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).one()
        advert.offers_feedback = True
        session.commit()
    return stage_id
