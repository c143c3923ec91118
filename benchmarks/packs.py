"""PDF packs: the information pack, a panel pack of 300 score sheets, and outcome letters
for a thousand candidates.

Baselines are ReportLab laying out the very same flowables on the same pages, used the
documented way (benchmarks/baselines/pdf.py): the house page and running header, outline
entries, a table of contents by multiBuild where the pack has one, and "Page X of Y" by a
canvas that numbers the pages once it has them all. In one process for the packs, and in
two spawned workers for the letters that import only what they render with. The app's
samples and the baseline's alternate. The app's times include its database reads; the
baselines start from the documents already read.
"""

from __future__ import annotations

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
from benchmarks.baselines.letters import render_letters
from benchmarks.baselines.pdf import BareDocTemplate, numbered_canvas, running_header
from benchmarks.harness import Result, summarise, time_alternating
from benchmarks.synthetic import add_campaign, score_rows, stage_with_panel
from db.models import Advert, Candidate, Outcome, Score, Stage
from exports.styles import Theme
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


def _pdf_facts(path: Path) -> tuple[int, str]:
    """Pages and title of a PDF the app wrote (untimed), for the baseline to match."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return len(reader.pages), (reader.metadata.title or "") if reader.metadata else ""


def _organisation(theme: Theme, doc: Any) -> str:
    return theme.organisation or str(getattr(doc, "organisation", "") or "").strip()


def _info_pack_job(ctx: ServiceContext, backend: Backend, work: Path, repeat: int) -> Result:
    """Baseline: ReportLab laying out the same flowables on the same pages, with a table
    of contents by multiBuild (two passes, as the app's) and "Page X of Y" by a two-pass
    canvas (benchmarks/baselines/pdf.py)."""
    from exports.info_pack import info_pack_flowables
    from exports.styles import make_styles

    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    target = work / "pack.pdf"
    export_info_pack(ctx, campaign_id, target)
    pages, title = _pdf_facts(target)
    doc, theme = info_pack_document(ctx, campaign_id), document_theme(ctx)
    styles = make_styles(theme)
    header = running_header(_organisation(theme, doc), title)
    bare_target = work / "bare-pack.pdf"

    def bare() -> None:
        with bare_target.open("wb") as handle:
            BareDocTemplate(handle, title=title, on_page=header).multiBuild(
                info_pack_flowables(doc, styles), canvasmaker=numbered_canvas()
            )

    ours, base = time_alternating(lambda: export_info_pack(ctx, campaign_id, target), bare, repeat)
    return summarise(
        backend.label(
            f"information pack, {pages} pages{_if_differs(bare_target, pages)}, "
            "including the database reads"
        ),
        ours,
        base,
        "ratio <= 3, under 0.15 s",
        lambda m, r: r is not None and r <= 3 and m < 0.15,
    )


def _if_differs(bare_target: Path, pages: int) -> str:
    """Words for the label if the baseline's layout came out a different length."""
    bare_pages, _title = _pdf_facts(bare_target)
    return "" if bare_pages == pages else f" (the baseline's: {bare_pages})"


# --- the panel pack ----------------------------------------------------------------------


def _panel_pack_job(
    ctx: ServiceContext, backend: Backend, work: Path, count: int, repeat: int
) -> Result:
    """A sift of `count` candidates, 7 criteria and a panel of 3: a score sheet each.
    Baseline: ReportLab laying out the same flowables on the same pages, "Page X of Y" by
    a two-pass canvas."""
    from exports.panel_pack import panel_pack_flowables
    from exports.styles import make_styles

    campaign_id = add_campaign(ctx.db, "PANEL-PACK", "Panel pack", count)
    stage_id, _cells, _assessors = stage_with_panel(ctx.db, campaign_id)
    target = work / "panel-pack.pdf"
    export_panel_pack(ctx, stage_id, target)
    pages, title = _pdf_facts(target)
    doc, theme = panel_pack_document(ctx, stage_id), document_theme(ctx)
    styles = make_styles(theme)
    header = running_header(_organisation(theme, doc), title)
    bare_target = work / "bare-panel-pack.pdf"

    def bare() -> None:
        with bare_target.open("wb") as handle:
            BareDocTemplate(handle, title=title, on_page=header).multiBuild(
                panel_pack_flowables(doc, styles), canvasmaker=numbered_canvas()
            )

    ours, base = time_alternating(lambda: export_panel_pack(ctx, stage_id, target), bare, repeat)
    return summarise(
        backend.label(
            f"panel pack, {count:,} score sheets{_if_differs(bare_target, pages)}, "
            "including the database reads"
        ),
        ours,
        base,
        "ratio <= 3, under 30 s",
        lambda m, r: r is not None and r <= 3 and m < 30,
    )


# --- outcome letters ---------------------------------------------------------------------


def _letters_job(
    ctx: ServiceContext, backend: Backend, work: Path, count: int, repeat: int
) -> Result:
    """Baseline: two spawned workers that import only what they render with (ReportLab and
    the letters' flowables: benchmarks/baselines/letters.py), each drawing half the
    letters, one file each, with the same page furniture."""
    stage_id = _decided_stage(ctx, count)
    out = work / "letters"
    made = iter(range(1_000))
    document = letters_document(ctx, stage_id, today=DEMO_DAY)
    theme = document_theme(ctx)
    folders: list[Path] = []

    def ours() -> None:
        export_letters(ctx, stage_id, out / str(next(made)), today=DEMO_DAY)

    def new_folder() -> None:
        folder = work / f"bare-{next(made)}"
        folder.mkdir()
        folders.append(folder)

    heavy: set[str] = set()

    def bare() -> None:
        halves = [document.letters[0::2], document.letters[1::2]]
        folder = str(folders[-1])
        with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
            for _done, imported in pool.map(
                render_letters, [(document, h, theme, folder) for h in halves]
            ):
                heavy.update(imported)

    samples, base = time_alternating(ours, bare, repeat, warmup=0, before_baseline=new_folder)
    assert not heavy, f"the baseline's workers imported {sorted(heavy)}"
    written = len(list(folders[-1].iterdir()))
    assert written == count, f"the baseline wrote {written} letters, not {count}"
    return summarise(
        backend.label(f"outcome letters for {count:,} candidates, one file each"),
        samples,
        base,
        "ratio <= 3, under 10 s",
        lambda m, r: r is not None and r <= 3 and m < 10,
    )


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
