"""Screens at scale: the scoring sheet's first paint, the candidate search, peak memory.

Timed in this process through the same tabs and models the app uses (offscreen Qt); the
peak memory is the app's own process with a big campaign open on the scoring sheet.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView
from sqlalchemy import insert

from benchmarks.harness import Result, base_env, python, summarise, time_calls
from benchmarks.synthetic import add_campaign, score_rows, stage_with_panel
from db.models import Score
from recruit_app.services.candidates import list_candidates
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.settings import Settings

SEARCH = "brien"  # a surname fragment: O'Brien
PEAK_SCRIPT = str(Path(__file__).parent / "peak_memory_app.py")


def run(quick: bool) -> list[Result]:
    sheet_size, search_size, repeat = (100, 300, 2) if quick else (2_000, 10_000, 7)
    memory_size = 300 if quick else 10_000
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder:
        work = Path(folder)
        os.environ["RECRUIT_APP_HOME"] = str(work / "home")
        path = work / "screens.sqlite3"
        db = open_db(str(path))
        ctx = ServiceContext(db, Actor("benchmark"))
        results = [
            _sheet_job(ctx, path, sheet_size, repeat),
            *_list_jobs(ctx, search_size, repeat),
        ]
        db.dispose()
        results.append(_memory_job(work, memory_size))
    del app
    return results


def add_scored_stage(ctx: ServiceContext, count: int, reference: str) -> tuple[int, int, int]:
    """A campaign of `count` candidates at a 7-criterion sift with a panel of 3; the first
    member has scored half the candidates. Returns the campaign, stage and member ids."""
    campaign_id = add_campaign(ctx.db, reference, "Screens", count)
    stage_id, cells, assessors = stage_with_panel(ctx.db, campaign_id)
    rows = [
        row
        for row in score_rows(ctx.db, campaign_id, cells, assessors)
        if row["assessor_id"] == assessors[0] and row["candidate_id"] % 2
    ]
    with ctx.db.session() as session:
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Score), rows[start : start + 20_000])
        session.commit()
    return campaign_id, stage_id, assessors[0]


# --- the scoring sheet -----------------------------------------------------------------


def _sheet_job(ctx: ServiceContext, path: Path, count: int, repeat: int) -> Result:
    from ui.context import AppContext
    from ui.scoring.data import read_scoring
    from ui.scoring.scoring_tab import ScoringTab

    campaign_id, stage_id, member = add_scored_stage(ctx, count, "SHEET")
    context = AppContext(Settings(), actor=Actor("benchmark"))
    context.use_database(ctx.db)
    tab = ScoringTab(context, campaign_id)
    tab.resize(1280, 800)
    tab.show()

    def through_the_tab() -> None:
        data = read_scoring(ctx, campaign_id, stage_id, member, False)
        tab.fill(data)
        tab.grab()  # the first paint, done now rather than at the next event loop turn

    samples = time_calls(through_the_tab, repeat)
    tab.close()
    context.shutdown()
    return summarise(
        f"scoring sheet for {count:,} candidates x 7 criteria: query, model and first paint",
        samples,
        time_calls(lambda: _bare_sheet(path, stage_id, member), repeat),
        "ratio <= 2, under 0.3 s",
        lambda m, r: r is not None and r <= 2 and m < 0.3,
    )


Index = QModelIndex | QPersistentModelIndex


class _BareModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 8

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None


def _bare_sheet(path: Path, stage_id: int, member: int) -> None:
    """The same reads with sqlite3, pivoted in Python, shown in a bare QTableView."""
    with closing(sqlite3.connect(path)) as connection:
        people = connection.execute(
            "SELECT id, candidate_number, first_name, last_name FROM candidate "
            "WHERE campaign_id = (SELECT campaign_id FROM stage WHERE id = ?) ORDER BY id",
            (stage_id,),
        ).fetchall()
        cells = [
            cell
            for (cell,) in connection.execute(
                "SELECT id FROM stage_criterion WHERE stage_id = ? ORDER BY position", (stage_id,)
            )
        ]
        scores = {
            (candidate, cell): value
            for candidate, cell, value in connection.execute(
                "SELECT s.candidate_id, s.stage_criterion_id, s.value FROM score s "
                "JOIN stage_criterion c ON c.id = s.stage_criterion_id "
                "WHERE c.stage_id = ? AND s.assessor_id = ?",
                (stage_id, member),
            )
        }
    rows = [
        (f"{number} {first} {last}", *(scores.get((cid, cell)) for cell in cells))
        for cid, number, first, last in people
    ]
    view = QTableView()
    view.resize(1280, 800)
    view.setModel(_BareModel(rows))
    view.show()
    view.grab()
    view.close()


# --- the candidate search --------------------------------------------------------------


def _list_jobs(ctx: ServiceContext, count: int, repeat: int) -> list[Result]:
    """Searching the candidate list, and sorting it by name, as the Candidates tab does."""
    from ui.candidates.model import NAME, NUMBER, CandidatesModel, fold, prepare

    campaign_id = add_campaign(ctx.db, "SEARCH", "Search", count)
    rows = prepare(list_candidates(ctx, campaign_id))
    model = CandidatesModel()
    model.set_rows(rows)
    view = QTableView()
    view.resize(1280, 800)
    view.setModel(model)
    view.show()

    def search() -> None:
        model.set_filter("")
        model.set_filter(SEARCH)
        view.grab()

    names = [fold(f"{r.view.first_name} {r.view.last_name}") for r in rows]

    def bare_scan() -> None:
        needle = fold(SEARCH)
        [n for n in names if needle in n]

    samples = time_calls(search, repeat)
    searched = summarise(
        f"candidate list search, {count:,} candidates, a surname fragment",
        samples,
        time_calls(bare_scan, repeat),
        "under 50 ms",
        lambda m, _r: m < 0.05,
    )
    # Sorting by name from the list's first order (by number), with a search showing.
    model.set_filter(SEARCH)
    samples = time_calls(
        lambda: model.sort(NAME, Qt.SortOrder.AscendingOrder),
        repeat,
        before=lambda: model.sort(NUMBER, Qt.SortOrder.AscendingOrder),
    )
    view.close()
    sorted_ = summarise(
        f"candidate list sorted by name, {count:,} candidates",
        samples,
        time_calls(lambda: sorted(range(len(names)), key=names.__getitem__), repeat),
        "under 100 ms",
        lambda m, _r: m < 0.1,
    )
    return [searched, sorted_]


# --- peak memory -----------------------------------------------------------------------


def _memory_job(work: Path, count: int) -> Result:
    """Megabytes, not seconds, in the time columns: the JSON keeps one shape for every job."""
    path = work / "memory.sqlite3"
    db = open_db(str(path))
    ctx = ServiceContext(db, Actor("benchmark"))
    campaign_id, _stage_id, _member = add_scored_stage(ctx, count, "MEMORY")
    db.dispose()
    env = base_env(RECRUIT_APP_HOME=str(work / "home"))
    samples = []
    for _ in range(2):
        done = subprocess.run(
            [python(), PEAK_SCRIPT, str(path), str(campaign_id)],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        marks = [line for line in done.stdout.splitlines() if line.startswith("BENCHMARK rss_mb")]
        if not marks:
            raise RuntimeError(f"peak memory script failed: {done.stderr[-2000:]}")
        samples.append(float(marks[-1].split()[2]))
    return summarise(
        f"peak memory in MB (not s), the app with {count:,} candidates on the scoring sheet",
        samples,
        None,
        "under 400 MB RSS",
        lambda m, _r: m < 400,
    )
