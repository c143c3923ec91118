"""The application reader beside the scoring sheet: moving between candidates.

A panel member at a name-blind sift of 1,000 candidates, each with an application of about
2,000 words (a personal statement and an answer per criterion, imported through the
service, so redacted as the app redacts). Each sample is one key press on the sheet (Down:
the next candidate, a new one every time, so nothing comes from the reader's cache) until
the tab is painted again (`grab()`): the sheet's cursor, the detail panel and the reader.
The baseline shows the same candidate's text in a bare QTextBrowser (plain text, no
markup) and paints it, samples alternating. Run alone: `python -m benchmarks.reader
[--quick]`.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextBrowser
from sqlmodel import select

from benchmarks.harness import Result, print_table, summarise, time_alternating
from benchmarks.synthetic import CRITERIA, add_campaign, people, stage_with_panel
from db.models import Advert, Stage
from recruit_app.services.applications import import_applications
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.settings import Settings

CANDIDATES = 1_000
MOVES = 200
STATEMENT_WORDS = 600
ANSWER_WORDS = (150, 280)  # each of the 7 answers: about 2,000 words in all; some over 250
PARAGRAPH = 80  # words
TARGET_S = 0.05
# The words the texts are made of: the vocabulary of a working life.
VOCABULARY = (
    "the team service data users delivery agile code review tested deployed pipeline "
    "stakeholders we I led built improved reduced cost time quality security accessible "
    "research prototype iterated measured outcome because so that which meant after before "
    "during project council department digital platform migration legacy python java cloud "
    "monitoring incident support mentoring junior colleagues feedback standards policy"
)
WORDS = VOCABULARY.split()


def _text(rng: random.Random, words: int, person: dict[str, str] | None = None) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if person is not None:  # what name-blind reading must hide
        chosen[:6] = ["I", "am", person["first_name"], person["last_name"], "at", person["email"]]
    paragraphs = [" ".join(chosen[n : n + PARAGRAPH]) for n in range(0, words, PARAGRAPH)]
    return "\n\n".join(p[0].upper() + p[1:] + "." for p in paragraphs)


def _applications_csv(path: Path, count: int, seed: int = 29) -> Path:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Candidate number", "Personal statement", *(f"C{n}" for n in range(CRITERIA))]
        )
        for n, person in enumerate(people(count)):
            writer.writerow(
                [
                    f"{n + 1:05d}",
                    _text(rng, STATEMENT_WORDS, person),
                    *(_text(rng, rng.randint(*ANSWER_WORDS)) for _ in range(CRITERIA)),
                ]
            )
    return path


def reading_campaign(folder: Path, count: int) -> tuple[Path, int, int, int]:
    """A SQLite file with a name-blind sift of `count` candidates and their applications:
    (path, campaign id, stage id, a panel member's person id)."""
    path = folder / f"reader-{count}.sqlite3"
    db = open_db(str(path))
    try:
        campaign_id = add_campaign(db, "READ", "Reading campaign", count)
        stage_id, _cells, assessors = stage_with_panel(db, campaign_id)
        with db.session() as session:
            stage = session.get(Stage, stage_id)
            assert stage is not None
            stage.name_blind = True
            advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).one()
            advert.statement_word_limit, advert.answer_word_limit = 750, 250
            session.add_all([stage, advert])
            session.commit()
        ctx = ServiceContext(db, Actor("benchmark"))
        started = time.perf_counter()
        report = import_applications(ctx, campaign_id, _applications_csv(folder / "a.csv", count))
        print(
            f"set-up: imported {report.parts:,} parts of {report.imported:,} applications "
            f"in {time.perf_counter() - started:.1f} s"
        )
    finally:
        db.dispose()
    return path, campaign_id, stage_id, assessors[0]


def _wait(signal: Any) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def _moves_job(
    path: Path, campaign_id: int, stage_id: int, member: int, moves: int, *, one_criterion: bool
) -> Result:
    from recruit_app.services.scoring import scoring_screen
    from ui.context import AppContext
    from ui.scoring.scoring_tab import ScoringTab

    actor = Actor("Assessor 0", "panel_member", member)
    context = AppContext(Settings(), actor=actor)
    context.use_database(open_db(str(path)))
    ctx = context.service_context()
    tab = ScoringTab(context, campaign_id)
    tab.resize(1366, 768)
    tab.show()
    tab.by_criterion = one_criterion
    tab.fill(scoring_screen(ctx, campaign_id, stage_id, member, one_criterion))
    if tab.reader.applications is None:
        _wait(tab.applications_loaded)
    applications = tab.reader.applications
    assert applications is not None and applications.redacted
    assert len(applications.by_candidate) == tab.model.rowCount()
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    tab.grab()
    texts = [
        "\n\n".join(p.text for p in applications.by_candidate[c.id].parts)
        for c in tab.model.candidates()
    ]
    bare = QTextBrowser()
    bare.resize(tab.reader.size())
    bare.show()
    shown = iter(texts[1:])

    def move() -> None:
        QTest.keyClick(tab.table, Qt.Key.Key_Down)
        tab.grab()

    def bare_move() -> None:
        bare.setPlainText(next(shown))
        bare.grab()

    ours, baseline = time_alternating(move, bare_move, moves, warmup=1)
    # Every press moved on to a new candidate (the warm-up's too).
    assert tab.table.currentIndex().row() == moves + 1
    bare.close()
    tab.close()
    context.shutdown()
    mode = "one answer (sift by criterion)" if one_criterion else "the whole application"
    return summarise(
        f"application reader, {len(texts):,} candidates of ~2,000 words at a name-blind sift: "
        f"Down to the next candidate, {mode}, tab painted",
        ours,
        baseline,
        "under 50 ms",
        lambda m, _r: m < TARGET_S,
    )


def run(quick: bool) -> list[Result]:
    count, moves = (100, 20) if quick else (CANDIDATES, MOVES)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder:
        work = Path(folder)
        os.environ["RECRUIT_APP_HOME"] = str(work / "home")
        path, campaign_id, stage_id, member = reading_campaign(work, count)
        results = [
            _moves_job(path, campaign_id, stage_id, member, moves, one_criterion=False),
            _moves_job(path, campaign_id, stage_id, member, moves, one_criterion=True),
        ]
    del app
    return results


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print_table(run(quick="--quick" in sys.argv))
