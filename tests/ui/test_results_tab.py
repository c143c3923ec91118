"""The Results tab driven through real widgets: the demo's final sift and a live sift."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from db.models import Candidate
from recruit_app.domain.dates import short_date
from recruit_app.domain.results import reserve_expiry
from recruit_app.services import results as res
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.access import NAME_BLIND_RULE
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.people import create_person
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.results.tab import ResultsTab
from ui.results.words import BAD, number, outcome_text

DEMO_DAY = date(2026, 11, 25)  # the demo's CV sift is finalised the week before
TIMEOUT = 10_000
CANDIDATES = [("Siân", "Evans", False), ("Chidi", "Okafor", True), ("Zoë", "Clarke", False)]
CANDIDATES.append(("Niamh", "O'Brien", False))
# Hannah and Tom agree; Marek gives 0003 a 7 on EXP1 where they gave 5: moderation needed.
SCORES = {
    "0001": [6, 6, 5, 5, 5, 4],
    "0002": [4, 4, 4, 4, 4, 4],
    "0003": [5, 5, 5, 5, 5, 5],
    "0004": [3, 5, 5, 5, 5, 5],
}
SPREAD = {**SCORES, "0003": [7, 5, 5, 5, 5, 5]}


@pytest.fixture
def contexts():
    made: list[AppContext] = []
    yield made
    for context in made:
        context.shutdown()


def _context(url: str, made: list[AppContext], actor: Actor | None = None) -> AppContext:
    context = AppContext(Settings(), actor=actor or Actor("Alex Manager"))
    context.use_database(open_db(url))
    made.append(context)
    return context


@pytest.fixture
def demo_on(contexts):
    """An app context on `url` holding the demo campaign, and the campaign's id."""

    def make(url: str) -> tuple[AppContext, int]:
        context = _context(url, contexts)
        ctx = context.service_context()
        build_demo(ctx, today=DEMO_DAY)
        return context, campaign_id_for(ctx, "283922")

    return make


@pytest.fixture
def live_on(contexts):
    """A fresh developer campaign: a CV sift, a panel of three, four candidates, all scored.

    `marek` is the scores Marek Kowalski submits; by default one pair needs moderation.
    Returns the app context, the campaign id and the sift's id.
    """

    def make(url: str, *, marek=SPREAD, hannah=SCORES, tom=SCORES) -> tuple[AppContext, int, int]:
        context = _context(url, contexts)
        ctx = context.service_context()
        campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")
        stage = stage_svc.stages_overview(ctx, campaign.id).stages[0]
        people = [
            create_person(ctx, name=name, email=email)
            for name, email in (
                ("Hannah Lee", "hannah@example.org"),
                ("Tom Okonkwo", "tom@example.org"),
                ("Marek Kowalski", "marek@example.org"),
            )
        ]
        with ctx.db.session() as session:
            for number_, (first, last, gis) in enumerate(CANDIDATES, 1):
                session.add(
                    Candidate(
                        campaign_id=campaign.id,
                        candidate_number=f"{number_:04d}",
                        first_name=first,
                        last_name=last,
                        guaranteed_interview=gis,
                        email=f"c{number_}@example.com",
                    )
                )
            session.commit()
        seats = zip(people, ("chair", "member", "independent"), strict=True)
        stage_svc.set_panel(
            ctx,
            stage.id,
            [stage_svc.SeatChoice(p.id, role) for p, role in seats],
            expected_version=stage.version,
        )
        for person, scores in zip(people, (hannah, tom, marek), strict=True):
            _score_all(ctx, stage.id, person.id, scores)
        return context, campaign.id, stage.id

    return make


def _score_all(ctx, stage_id: int, assessor: int, values_by_number, only=()) -> None:
    sheet = sc.scoring_sheet(ctx, stage_id, assessor)
    chosen = [c for c in sheet.candidates if (not only or c.id in only) and not c.submitted]
    for candidate in chosen:
        values = values_by_number[candidate.number]
        for criterion, value in zip(sheet.criteria, values, strict=True):
            sc.save_score(
                ctx,
                stage_id,
                assessor,
                candidate.id,
                criterion.cell_id,
                value=value,
                evidence=f"Evidence for {criterion.code}",
                expected_version=None,
            )
    sc.submit_scores(ctx, stage_id, assessor, [c.id for c in chosen])


def _open(qtbot, tab: ResultsTab) -> ResultsTab:
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


def _choose_the_sift(qtbot, tab: ResultsTab) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.stage_combo.activated.emit(tab.stage_combo.findText("CV sift (final)"))
    assert tab.stage_combo.currentText() == "CV sift (final)"


def _column(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _row(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _error(dialog, field: str) -> QLabel:
    return dialog.findChild(QLabel, f"{field}Error")


def _save_and_wait(qtbot, tab: ResultsTab, dialog) -> None:
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def _save_refused(qtbot, dialog, field: str) -> str:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog, field).isVisible(), timeout=TIMEOUT)
    assert dialog.isVisible()  # what was typed stays, to be put right
    return _error(dialog, field).text()


def _expected_row(view, row) -> list[str]:
    """What the merit table should show for a service row, column by column."""
    scores = []
    for criterion in view.criteria:
        below = criterion.code in row.failed_criteria
        scores.append(number(row.criterion_scores[criterion.code]) + (" ↓" if below else ""))
    return [
        "" if row.rank is None else str(row.rank),
        row.label,
        number(row.total),
        *scores,
        "Yes" if row.passed else "No",  # the demo's sift is fully scored: never "Not yet"
        "Yes" if row.guaranteed_interview else "",
        {True: "Yes", False: "No", None: "To decide"}[row.progresses],
        outcome_text(row),
        "; ".join(row.flags),
    ]


# --- the demo: a finalised sift ------------------------------------------------------


def test_the_demo_sift_shows_its_merit_order_moderation_and_assessors(
    qtbot, qtmodeltester, demo_on, db_url
):
    context, campaign_id = demo_on(db_url)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    # The interview has no scores yet: the tab opens where the work was done last.
    assert tab.stage_combo.currentText() == "Technical exercise (final)"
    assert [tab.stage_combo.itemText(i) for i in range(3)] == [
        "CV sift (final)",
        "Technical exercise (final)",
        "Video interview",
    ]
    _choose_the_sift(qtbot, tab)
    for model in (tab.merit_model, tab.moderation_model, tab.consistency_model):
        qtmodeltester.check(model)
    view = res.stage_results(context.service_context(), tab.stage_id)
    model = tab.merit_model
    assert model.rowCount() == 40
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == [
        "Rank",
        "Candidate",
        "Total",
        "EXP1",
        "EXP2",
        "EXP3",
        "EXP4",
        "EXP5",
        "EXP6",
        "Passed",
        "Guaranteed interview",
        "Progresses",
        "Outcome",
        "Flags",
    ]
    for row in range(5):
        assert _row(model, row) == _expected_row(view, view.rows[row])
    assert _row(model, 0)[:3] == ["1", view.rows[0].label, number(view.rows[0].total)]
    assert _column(model, 1) == [r.label for r in view.rows]
    assert _column(model, 0) == [str(rank) for rank in range(1, 15)] + [""] * 26
    assert _column(model, 11) == ["Yes"] * 14 + ["No"] * 26
    assert _column(model, 12) == ["Progressed"] * 14 + ["Not progressed"] * 26
    assert tab.merit_summary.text() == (
        "40 candidates: 14 progress, 26 do not. "
        "Recorded outcomes: 14 progressed, 26 not progressed."
    )
    # The last candidate is below the pass mark on EXP1: marked, and said in full on hover.
    last = view.rows[-1]
    assert "EXP1" in last.failed_criteria
    exp1 = model.index(39, model.column_of("EXP1"))
    assert exp1.data() == f"{number(last.criterion_scores['EXP1'])} ↓"
    assert exp1.data(Qt.ItemDataRole.ForegroundRole) == BAD
    flags = model.index(39, model.flags_column).data(Qt.ItemDataRole.ToolTipRole)
    assert flags == "\n".join(f"• {f}" for f in last.flags)

    assert tab.blockers.text() == (
        "The results are final: every candidate has an outcome; the scores are locked."
    )
    assert tab.finalise_button.isHidden() and tab.tie_button.isHidden()

    # Moderation: the one pair the panel had to agree, shown by default, agreed at 5.
    moderation = tab.moderation_model
    assert moderation.rowCount() == 1
    header = [
        moderation.headerData(c, Qt.Orientation.Horizontal) for c in range(moderation.columnCount())
    ]
    assert header == [
        "Candidate",
        "Criterion",
        "Hannah Lee",
        "Marek Kowalski",
        "Tom Okonkwo",
        "Spread",
        "Agreed",
    ]
    assert _row(moderation, 0) == ["0003 Łukasz Nowak", "EXP1", "4", "4", "6", "2", "5"]
    assert tab.pages.tabText(1) == "Moderation"  # nothing left to agree
    # The screen reads the pairs to agree and the agreed ones; every pair when asked.
    assert not tab.data.every_pair
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show_all.setChecked(True)
    assert tab.data.every_pair
    assert moderation.rowCount() == 240  # 40 candidates × 6 criteria
    assert _row(moderation, 0)[:2] == ["0003 Łukasz Nowak", "EXP1"]  # flagged pairs first

    consistency = tab.consistency_model
    assert _column(consistency, 0) == ["Tom Okonkwo", "Hannah Lee", "Marek Kowalski"]
    assert _column(consistency, 1) == ["240", "240", "234"]  # Marek declared a conflict
    assert _column(consistency, 6) == ["1 of 1"] * 3
    assert _column(consistency, 7) == ["In line with the panel"] * 3


def test_choosing_a_stage_still_to_score_says_what_is_missing(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.stage_combo.setCurrentIndex(2)
        tab.stage_combo.activated.emit(2)
    assert tab.results.stage_name == "Video interview"
    assert tab.stage_info.text() == (
        "Video interview · Success Profiles scale (1 to 7) · everyone who passes progresses"
    )
    assert tab.blockers.text() == ("Before the results can be finalised:\n• 240 scores are missing")
    assert tab.blockers.toolTip().startswith("240 scores are missing (candidate 0001: DATM has")
    model = tab.merit_model
    assert model.rowCount() == 8  # those the technical exercise progressed
    assert set(_column(model, model.column_of("Passed"))) == {"Not yet"}  # not a fail
    assert set(_column(model, model.column_of("Progresses"))) == {"To decide"}
    assert tab.finalise_button.isVisible() and tab.finalise_button.isEnabled()
    assert tab.moderation_model.rowCount() == 0
    assert tab.consistency_hint.text() == "No panel member has submitted scores at this stage yet."


def test_exporting_writes_a_csv_with_the_header_first(qtbot, demo_on, sqlite_url, tmp_path):
    context, campaign_id = demo_on(sqlite_url)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    _choose_the_sift(qtbot, tab)
    _click(qtbot, tab.export_button)
    chooser = tab.dialog
    assert isinstance(chooser, QFileDialog)
    target = tmp_path / "sift-results"  # no suffix: the chosen type supplies it
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT) as written:
        chooser.setDirectory(str(tmp_path))
        chooser.selectFile(str(target))
        chooser.accept()
    path = written.args[0]
    assert path == tmp_path / "sift-results.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Rank", "Candidate", "Total", "Passed"]
    assert rows[0][-4:] == ["Guaranteed interview", "Progresses", "Outcome", "Flags"]
    assert rows[1][:2] == ["1", tab.merit_model.index(0, 1).data()]
    assert len(rows) == 41
    assert tab.status.text() == f"Wrote {path}"


# --- a live sift -----------------------------------------------------------------------


def test_moderation_blocks_finalising_until_a_score_is_agreed(
    qtbot, qtmodeltester, live_on, db_url
):
    context, _campaign_id, stage_id = live_on(db_url)
    tab = _open(qtbot, ResultsTab(context, _campaign_id))
    qtmodeltester.check(tab.merit_model)
    assert tab.stage_id == stage_id
    assert _column(tab.merit_model, 1) == [
        "0001 Siân Evans",
        "0003 Zoë Clarke",
        "0002 Chidi Okafor",
        "0004 Niamh O'Brien",
    ]
    assert _column(tab.merit_model, 0) == ["1", "2", "3", ""]
    assert _column(tab.merit_model, 2) == ["31", "30.67", "24", "28"]
    assert _column(tab.merit_model, 10) == ["", "", "Yes", ""]  # guaranteed interview
    # The box gives the headline; the candidates it names are a hover away.
    assert tab.blockers.text() == (
        "Before the results can be finalised:\n• 1 criterion needs an agreed score after moderation"
    )
    assert tab.blockers.toolTip() == (
        "1 criterion needs an agreed score after moderation "
        "(candidate 0003: EXP1 scores differ by 2)"
    )
    assert tab.pages.tabText(1) == "Moderation (1 to agree)"

    # Finalising now is refused, naming what blocks it.
    _click(qtbot, tab.finalise_button)
    box = tab.dialog
    assert isinstance(box, QMessageBox) and box.objectName() == "finaliseRefused"
    assert box.text() == "The results of CV sift cannot be finalised yet."
    assert box.informativeText() == "• 1 criterion needs an agreed score after moderation"
    assert "candidate 0003: EXP1 scores differ by 2" in box.detailedText()
    box.accept()
    assert res.stage_results(context.service_context(), stage_id).finalised is False

    # The flagged pair is listed and highlighted; agreeing needs a score and a rationale.
    moderation = tab.moderation_model
    assert moderation.rowCount() == 1
    assert _row(moderation, 0) == ["0003 Zoë Clarke", "EXP1", "5", "7", "5", "2", "To agree"]
    assert moderation.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    tab.pages.setCurrentIndex(1)
    # The screen's list holds no evidence; selecting a pair reads its evidence.
    assert not moderation.pair_at(0).evidence_read
    tab.select_pair(*_pair_key(moderation, 0))
    qtbot.waitUntil(lambda: "Marek Kowalski (7): Evidence for EXP1" in tab.evidence.text())
    assert moderation.pair_at(0).evidence_read
    _click(qtbot, tab.agree_button)
    dialog = tab.dialog
    assert dialog.objectName() == "agreeScoreDialog"
    assert sorted(dialog.points) == [1, 2, 3, 4, 5, 6, 7]
    assert dialog.points[6].text() == "6  Strong demonstration"
    assert _save_refused(qtbot, dialog, "value") == "Choose the score the panel agreed."
    dialog.points[6].click()
    assert _save_refused(qtbot, dialog, "rationale") == "Say why the panel agreed this score."
    qtbot.keyClicks(dialog.rationale, "Strong evidence of leading a rebuild")
    _save_and_wait(qtbot, tab, dialog)

    assert tab.blockers.text() == (
        "Nothing blocks finalising. Check the merit order, then finalise the results."
    )
    assert _row(moderation, 0)[-1] == "6"
    assert tab.pages.tabText(1) == "Moderation"
    assert _column(tab.merit_model, 2)[:2] == ["31", "31"]
    assert tab.status.text() == "Agreed score saved for 0003 Zoë Clarke, EXP1."
    assert [r.moved_away for r in tab.data.assessors] == [1, 1, 1]
    assert tab.blockers.toolTip() == ""

    # Finalising asks first, then gives everyone an outcome.
    _click(qtbot, tab.finalise_button)
    box = tab.dialog
    assert box.objectName() == "confirmFinalise"
    assert box.text() == "Finalise the results of CV sift?"
    assert box.informativeText().startswith("3 candidates progress and 1 do not.")
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            box.findChild(QPushButton, "confirmFinaliseButton"), Qt.MouseButton.LeftButton
        )
    assert _column(tab.merit_model, 12) == ["Progressed"] * 3 + ["Not progressed"]
    assert tab.stage_combo.currentText() == "CV sift (final)"
    assert tab.finalise_button.isHidden()
    assert not tab.agree_button.isEnabled()  # the scores are locked now


def _pair_key(model, row: int) -> tuple[int, int]:
    pair = model.pair_at(row)
    return pair.candidate_id, pair.cell_id


def _select(tab: ResultsTab, label: str) -> None:
    row = _column(tab.merit_model, 1).index(label)
    tab.merit_table.selectRow(row)
    assert tab.selected_row().label == label


def test_appointing_out_of_merit_order_needs_a_reason_and_reserve_entries_extend(
    qtbot, live_on, sqlite_url
):
    agreed = {**SCORES, "0003": [6, 5, 5, 5, 5, 5]}  # no moderation needed
    context, campaign_id, _stage_id = live_on(sqlite_url, marek=agreed, hannah=agreed, tom=agreed)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    assert _column(tab.merit_model, 1)[:2] == ["0001 Siân Evans", "0003 Zoë Clarke"]

    # The second-ranked before the first: the service's words, beside the reason.
    _select(tab, "0003 Zoë Clarke")
    _click(qtbot, tab.outcome_buttons["appoint"])
    dialog = tab.dialog
    assert dialog.objectName() == "outcomeDialog"
    assert dialog.save_button.text() == "Appoint"
    assert _save_refused(qtbot, dialog, "reason") == (
        "Candidate 0003 is ranked 2; appointing them before 0001 is out of merit order. "
        "Record the reason."
    )
    qtbot.keyClicks(dialog.reason, "0001 withdrew by phone; written confirmation awaited")
    # An outcome changes its row and the counts: shown in place, the tab not read again.
    with qtbot.assertNotEmitted(tab.loaded):
        _save_and_wait(qtbot, tab, dialog)
    assert _column(tab.merit_model, 12)[1] == "Appointed"
    assert tab.merit_summary.text() == (
        "4 candidates: 3 progress, 1 do not. Recorded outcomes: 1 appointed."
    )
    assert not tab.outcome_buttons["appoint"].isEnabled()  # already appointed

    # The reserve list shows its expiry date; an extension needs who approved it.
    _select(tab, "0002 Chidi Okafor")
    assert not tab.extend_button.isEnabled()
    _click(qtbot, tab.outcome_buttons["reserve"])
    _save_and_wait(qtbot, tab, tab.dialog)
    expires = reserve_expiry(date.today(), 12)
    outcome = tab.merit_model.index(2, 12)
    assert outcome.data() == f"Reserve list to {short_date(expires)}"
    assert outcome.data(Qt.ItemDataRole.ToolTipRole) == (
        f"On the reserve list until {short_date(expires)}"
    )
    assert tab.selected_row().label == "0002 Chidi Okafor"  # the selection survives the reload

    _click(qtbot, tab.extend_button)
    dialog = tab.dialog
    assert dialog.objectName() == "extendReserveDialog"
    assert dialog.expiry.date() == QDate(*(expires + timedelta(weeks=8)).timetuple()[:3])
    assert _save_refused(qtbot, dialog, "approved_by") == "Say who approved the extension."
    dialog.expiry.setDate(QDate(expires.year, expires.month, expires.day))
    qtbot.keyClicks(dialog.approved_by, "Civil Service Commission")
    assert _save_refused(qtbot, dialog, "new_expiry") == (
        "An extension must end after the current expiry date."
    )
    later = expires + timedelta(weeks=6)
    dialog.expiry.setDate(QDate(later.year, later.month, later.day))
    _save_and_wait(qtbot, tab, dialog)
    assert tab.merit_model.index(2, 12).data() == f"Reserve list to {short_date(later)}"
    assert tab.status.text() == "The reserve list entry for 0002 Chidi Okafor is extended."

    # Nothing has run out yet, so expiring leaves the entry alone.
    _click(qtbot, tab.expire_button)
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            tab.dialog.findChild(QPushButton, "confirmExpireButton"), Qt.MouseButton.LeftButton
        )
    assert tab.status.text() == "No reserve list entry has expired."
    assert tab.merit_model.index(2, 12).data() == f"Reserve list to {short_date(later)}"

    # A withdrawn candidate leaves the stage's list.
    _select(tab, "0004 Niamh O'Brien")
    _click(qtbot, tab.outcome_buttons["withdrawn"])
    assert tab.dialog.save_button.text() == "Mark as withdrawn"
    _save_and_wait(qtbot, tab, tab.dialog)
    assert "0004 Niamh O'Brien" not in _column(tab.merit_model, 1)
    assert tab.merit_model.rowCount() == 3
    assert tab.selected_row() is None
    assert not tab.outcome_buttons["reject"].isEnabled()


def test_a_tie_at_the_cut_off_is_settled_with_a_note(qtbot, live_on, sqlite_url):
    even = {**SCORES, "0003": SCORES["0001"]}  # 0001 and 0003 share rank 1
    context, campaign_id, stage_id = live_on(sqlite_url, marek=even, hannah=even, tom=even)
    ctx = context.service_context()
    stage = stage_svc.stages_overview(ctx, campaign_id).stages[0]
    stage_svc.update_stage(
        ctx,
        stage_id,
        {"progress_rule": "top_n", "progress_count": 1},
        expected_version=stage.version,
    )
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    assert tab.stage_info.text().endswith(
        "only the top candidate progresses · name-blind for the panel"
    )
    assert _column(tab.merit_model, 0)[:2] == ["1", "1"]
    assert _column(tab.merit_model, 11)[:2] == ["To decide", "To decide"]
    assert "A tie at the cut-off needs a recorded decision: 0001, 0003" in tab.blockers.text()
    assert tab.tie_button.isVisible()

    _click(qtbot, tab.tie_button)
    dialog = tab.dialog
    assert dialog.objectName() == "tieDialog"
    assert dialog.findChild(QLabel, "tieIntro").text() == (
        "2 candidates share rank 1 at the cut-off. Only the top candidate progresses. "
        "Tick who progresses and record how the tie was settled."
    )
    items = [dialog.people.item(i) for i in range(dialog.people.count())]
    assert [i.text() for i in items] == ["0001 Siân Evans: total 31", "0003 Zoë Clarke: total 31"]
    assert _save_refused(qtbot, dialog, "note") == "Record how the tie was settled."
    items[1].setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(dialog.note, "The chair preferred 0003's evidence on the lead criterion")
    _save_and_wait(qtbot, tab, dialog)

    progresses = dict(zip(_column(tab.merit_model, 1), _column(tab.merit_model, 11), strict=True))
    assert progresses["0003 Zoë Clarke"] == "Yes"
    assert progresses["0001 Siân Evans"] == "No"
    assert progresses["0002 Chidi Okafor"] == "Yes"  # guaranteed interview at a sift
    assert tab.blockers.text().endswith(
        "The tie at the cut-off was settled: "
        "The chair preferred 0003's evidence on the lead criterion"
    )
    assert tab.tie_button.text() == "Change the &tie decision…"
    assert res.stage_results(ctx, stage_id).can_finalise


def test_an_agreed_score_changed_meanwhile_is_not_overwritten_unknowingly(
    qtbot, live_on, sqlite_url
):
    context, campaign_id, stage_id = live_on(sqlite_url)
    ctx = context.service_context()
    pair = next(p for p in res.moderation_view(ctx, stage_id) if p.flagged)
    key = (pair.candidate_id, pair.cell_id)
    res.record_agreed_score(
        ctx, stage_id, *key, value=5, rationale="First view", expected_version=None
    )
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    tab.pages.setCurrentIndex(1)
    tab.select_pair(*key)
    _click(qtbot, tab.agree_button)  # reads the pair's evidence, then opens the dialog
    qtbot.waitUntil(lambda: tab.dialog is not None, timeout=TIMEOUT)
    dialog = tab.dialog
    assert dialog.pair.evidence_read  # the assessors' evidence is in front of the chair
    assert dialog.points[5].isChecked()  # what was agreed before, ready to change
    assert dialog.rationale.toPlainText() == "First view"
    # The chair changes it from another desk while the dialog is open.
    res.record_agreed_score(
        ctx, stage_id, *key, value=6, rationale="Chair's second look", expected_version=1
    )
    dialog.points[7].click()
    dialog.rationale.setPlainText("Outstanding evidence throughout")
    assert _save_refused(qtbot, dialog, "form").startswith(
        "The agreed score was changed by Alex Manager on "
    )
    assert dialog.reload_button.isVisible()
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.reload_button.isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "form").text().startswith("They agreed 6: Chair's second look")
    assert dialog.points[7].isChecked()  # what was typed is kept
    _save_and_wait(qtbot, tab, dialog)
    assert _row(tab.moderation_model, 0)[-1] == "7"


def test_a_panel_member_sees_the_merit_order_name_blind_and_no_decisions(
    qtbot, contexts, live_on, sqlite_url
):
    _context_, campaign_id, _stage_id = live_on(sqlite_url)
    stage = stage_svc.stages_overview(_context_.service_context(), campaign_id).stages[0]
    tom = next(s for s in stage.panel if s.name == "Tom Okonkwo")
    member = Actor("Tom Okonkwo", role="panel_member", person_id=tom.person_id)
    tab = _open(qtbot, ResultsTab(_context(sqlite_url, contexts, member), campaign_id))
    assert _column(tab.merit_model, 1)[0] == "Candidate 0001"  # the sift is name-blind
    assert tab.outcome_bar.isHidden() and tab.finalise_button.isHidden()
    assert tab.moderation_model.rowCount() == 0
    assert tab.moderation_hint.text() == (
        "As a panel member, Tom Okonkwo may not record agreed scores: "
        "only the chair of CV sift can."
    )
    assert tab.consistency_hint.text() == (
        "Only recruiting managers see how each assessor's scores compare with the others'."
    )


def test_other_views_changes_refresh_the_tab(qtbot, live_on, sqlite_url):
    context, campaign_id, stage_id = live_on(sqlite_url)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    ctx = context.service_context()
    pair = next(p for p in res.moderation_view(ctx, stage_id) if p.flagged)
    res.record_agreed_score(
        ctx,
        stage_id,
        pair.candidate_id,
        pair.cell_id,
        value=5,
        rationale="Agreed at the panel meeting",
        expected_version=None,
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        context.bus.publish("scores")
    assert _row(tab.moderation_model, 0)[-1] == "5"
    assert tab.finalise_button.isEnabled()


def test_a_panel_member_sees_others_scores_only_after_submitting_their_own(
    qtbot, contexts, live_on, sqlite_url
):
    """Independence (issue 12): Priya joins the sift panel having scored nobody. The tab
    says the rule in words, withholds every mean, total, pass or fail and rank, and shows
    no scheme column (the sift is name-blind); each candidate she submits shows, and the
    merit order once she owes nothing."""
    owner, campaign_id, stage_id = live_on(sqlite_url)
    ctx = owner.service_context()
    priya = create_person(ctx, name="Priya Shah", email="priya@example.org")
    stage = stage_svc.stages_overview(ctx, campaign_id).stages[0]
    seats = [stage_svc.SeatChoice(s.person_id, s.role, s.panel_number) for s in stage.panel]
    stage_svc.set_panel(
        ctx, stage_id, [*seats, stage_svc.SeatChoice(priya.id)], expected_version=None
    )
    member = Actor("Priya Shah", role="panel_member", person_id=priya.id)
    context = _context(sqlite_url, contexts, member)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    model = tab.merit_model
    assert tab.merit_notice.isVisible()
    assert "only once you have submitted your own scores" in tab.merit_notice.text()
    assert "You still owe scores for 4 candidates." in tab.merit_notice.text()
    assert _column(model, model.column_of("Passed")) == ["After yours"] * 4
    assert _column(model, model.column_of("Progresses")) == ["Not shown yet"] * 4
    assert _column(model, 0) == [""] * 4 and _column(model, 2) == [""] * 4
    assert _column(model, 1) == [f"Candidate {n:04d}" for n in range(1, 5)]  # by number
    assert tab.merit_table.isColumnHidden(model.column_of("Guaranteed interview"))
    assert tab.merit_summary.text() == (
        "4 candidates, by candidate number. You have not submitted scores for any of them "
        "yet; the panel's scores for each show once you have."
    )
    # The rule is said once, above the table; the finalise box says what it means there.
    assert tab.blockers.text() == (
        "The merit order shows once you have submitted every score you owe."
    )
    # Priya submits her scores for 0002: that candidate's scores show, not the order.
    own = context.service_context()
    sheet = sc.scoring_sheet(own, stage_id, priya.id)
    second = next(c for c in sheet.candidates if c.number == "0002")
    _score_all(own, stage_id, priya.id, {"0002": SCORES["0002"]}, only=(second.id,))
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        context.bus.publish("scores")
    passed = _column(model, model.column_of("Passed"))
    assert passed[1] in ("Yes", "No") and passed.count("After yours") == 3
    assert _column(model, 2)[1] != "" and _column(model, 0) == [""] * 4
    assert "You still owe scores for 3 candidates." in tab.merit_notice.text()
    assert tab.merit_summary.text() == (
        "4 candidates, by candidate number. The panel's scores show for the 1 you have "
        "submitted for."
    )
    # Everyone submitted: the merit order, as the managers see it.
    _score_all(own, stage_id, priya.id, SCORES)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        context.bus.publish("scores")
    assert tab.merit_notice.text() == NAME_BLIND_RULE  # the sift is still name-blind
    assert "After yours" not in _column(model, model.column_of("Passed"))
    assert _column(model, 0)[0] == "1"


def test_the_chair_overrides_an_overall_score_with_a_reason(qtbot, live_on, sqlite_url):
    agreed = {**SCORES, "0003": [6, 5, 5, 5, 5, 5]}  # no moderation needed
    context, campaign_id, stage_id = live_on(sqlite_url, marek=agreed, hannah=agreed, tom=agreed)
    tab = _open(qtbot, ResultsTab(context, campaign_id))
    assert tab.override_button.isVisible()
    _select(tab, "0002 Chidi Okafor")
    _click(qtbot, tab.override_button)
    dialog = tab.dialog
    assert dialog.objectName() == "overrideDialog"
    assert not dialog.clear.isVisible()
    dialog.value.setValue(40)
    assert _save_refused(qtbot, dialog, "reason") != ""
    dialog.reason.setPlainText("The exercise showed far more than the sift could.")
    _save_and_wait(qtbot, tab, dialog)
    qtbot.waitUntil(lambda: _column(tab.merit_model, 1)[0] == "0002 Chidi Okafor", timeout=TIMEOUT)
    row = next(
        r for r in res.stage_results(context.service_context(), stage_id).rows
        if r.label == "0002 Chidi Okafor"
    )  # fmt: skip
    assert (row.total, row.overridden, row.override_reason) == (
        40.0,
        True,
        "The exercise showed far more than the sift could.",
    )
    _select(tab, "0002 Chidi Okafor")
    _click(qtbot, tab.override_button)
    dialog = tab.dialog
    assert dialog.clear.isVisible()
    dialog.clear.setChecked(True)
    assert dialog.save_button.text() == "Take away"
    _save_and_wait(qtbot, tab, dialog)
    qtbot.waitUntil(lambda: _column(tab.merit_model, 1)[0] == "0001 Siân Evans", timeout=TIMEOUT)
