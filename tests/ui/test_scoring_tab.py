"""The Scoring tab driven by the keyboard on the demo campaign (and on a 2,000-candidate stage)."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from db.models import Person
from recruit_app.services import scoring as sc
from recruit_app.services import stages as stage_svc
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.scoring.scoring_tab import ScoringTab
from ui.scoring.sheet_model import LOCKED_BACK

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 10_000
# The demo's open stage: its sift and technical exercise are already final.
VIDEO = "Video interview"
VIDEO_CODES = ["DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP", "EXP1"]
VIDEO_CODES += ["TEAM", "PACE", "PROBLEMSOLVER"]  # the demo's behaviours and strength
TOM_SAYS = "Tom's view: explained the trade-offs well"


@pytest.fixture
def demo_on(qtbot):
    """An app context on `url` holding the demo campaign, acting as `actor`."""
    contexts: list[AppContext] = []

    def make(url: str, actor: Actor | None = None) -> tuple[AppContext, int]:
        context = AppContext(Settings(), actor=Actor("Alex Manager"))
        context.use_database(open_db(url))
        contexts.append(context)
        ctx = context.service_context()
        build_demo(ctx, today=DEMO_DAY)
        if actor is not None:
            context.actor = actor
        return context, campaign_id_for(ctx, "283922")

    yield make
    for context in contexts:
        context.shutdown()


def _open(qtbot, tab: ScoringTab) -> ScoringTab:
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


@pytest.fixture
def tab(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    return _open(qtbot, ScoringTab(context, campaign_id))


def _ctx(tab):
    return tab.context.service_context()


def _person(tab, name: str) -> int:
    members = sc.panel_members(_ctx(tab), tab.stage_id)
    return next(m.person_id for m in members if m.name == name)


def _mine(tab, candidate_number: str) -> dict[str, tuple[int | None, str, str]]:
    """Hannah's saved scores for one candidate, read through the services: code -> score."""
    sheet = sc.scoring_sheet(_ctx(tab), tab.stage_id, tab.assessor_id)
    candidate = next(c for c in sheet.candidates if c.number == candidate_number)
    found = {}
    for criterion in sheet.criteria:
        score = sheet.score(candidate.id, criterion.cell_id)
        if score.id is not None:
            found[criterion.code] = (score.value, score.evidence, score.status)
    return found


def _row(tab, row: int) -> list[str]:
    return [tab.model.index(row, c).data() for c in range(tab.model.columnCount())]


def _type(qtbot, tab, text: str, *, enter: bool = True) -> None:
    """Type into the sheet as a person does, and wait for the draft to be saved."""
    if not enter:
        qtbot.keyClicks(tab.table, text)
        return
    # What the last load started (the application's and the plan's reads, a shuffle being
    # recorded) is done first, as a person reading the sheet would be; then type.
    qtbot.waitUntil(
        lambda: tab.context.reads.running == 0 and tab.context.writes.running == 0,
        timeout=TIMEOUT,
    )
    tab.table.setFocus()
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        qtbot.keyClicks(tab.table, text)
        qtbot.keyClick(tab.table, Qt.Key.Key_Return)


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _box_text(box: QMessageBox) -> str:
    return "\n".join(t for t in (box.text(), box.informativeText()) if t)


def _score_as_tom(tab, numbers: list[str], value: int = 5) -> None:
    """Tom scores and submits these candidates through the services, as on his own desk."""
    ctx, tom = _ctx(tab), _person(tab, "Tom Okonkwo")
    sheet = sc.scoring_sheet(ctx, tab.stage_id, tom)
    chosen = [c for c in sheet.candidates if c.number in numbers]
    for candidate in chosen:
        for criterion in sheet.criteria:
            sc.save_score(
                ctx,
                tab.stage_id,
                tom,
                candidate.id,
                criterion.cell_id,
                value=min(value, sheet.scale_of(criterion).maximum),  # the strength's is 4
                evidence=f"{TOM_SAYS} ({criterion.code})",
                expected_version=None,
            )
    sc.submit_scores(ctx, tab.stage_id, tom, [c.id for c in chosen])


def _choose_stage(qtbot, tab, name: str) -> None:
    combo = tab.stage_combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        combo.activated.emit(index)


# --- entering scores -------------------------------------------------------------------


def test_the_open_stage_and_its_panel_are_chosen(qtbot, qtmodeltester, tab):
    qtmodeltester.check(tab.model)
    assert tab.stage_combo.currentText() == VIDEO
    assert [tab.stage_combo.itemText(i) for i in range(3)] == [
        "CV sift (final)",
        "Technical exercise (final)",
        VIDEO,
    ]
    names = [tab.member_combo.itemText(i) for i in range(tab.member_combo.count())]
    assert names == ["Hannah Lee", "Marek Kowalski", "Tom Okonkwo"]
    assert "enter paper scores for any panel member" in tab.role_note.text()
    header = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(12)]
    assert header == ["Candidate", *VIDEO_CODES, "Status"]
    tip = tab.model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "PROG: Programming/software development, level 4; pass mark 4"
    assert _row(tab, 0) == ["0001 Siân Evans", *[""] * 10, "0 of 10 scored"]
    assert tab.stage_info.text() == (
        "8 candidates · 10 criteria · scores 1 to 7 · PROBLEMSOLVER 1 to 4 · names shown"
    )
    # The pass marks differ now (the strength's 3 is on its own scale): each header says its.
    tips = [
        tab.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in (8, 10)
    ]
    assert tips == [
        "TEAM: Working Together, level 3; pass mark 4",
        "PROBLEMSOLVER: Problem Solver, level 1; pass mark 3",
    ]
    assert tab.detail.heading.text() == "DATM · Data management"
    assert "Outstanding demonstration" in tab.detail.scale.text()


def test_typing_scores_saves_drafts_and_moves_along_the_row(qtbot, demo_on, db_url):
    context, campaign_id = demo_on(db_url)
    tab = _open(qtbot, ScoringTab(context, campaign_id))
    assert tab.table.currentIndex().row() == 0 and tab.table.currentIndex().column() == 1
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        qtbot.keyClicks(tab.table, "5")
        assert tab.model.index(0, 1).data() == "5"  # shown as typed, before Enter
        qtbot.keyClick(tab.table, Qt.Key.Key_Return)
        assert tab.model.index(0, 1).data() == "5 saving…"
    _type(qtbot, tab, "6")
    assert _row(tab, 0)[1:4] == ["5", "6", ""]
    assert _row(tab, 0)[-1] == "2 of 10 scored"
    assert (tab.table.currentIndex().row(), tab.table.currentIndex().column()) == (0, 3)
    assert tab.status.text() == "Saved 0001 Siân Evans, SWDN: 6 (a draft until you submit)."
    assert _mine(tab, "0001") == {"DATM": (5, "", "draft"), "SWDN": (6, "", "draft")}

    # Tab moves on too; at the end of the row the next candidate's first criterion follows.
    qtbot.keyClick(tab.table, Qt.Key.Key_Tab)
    assert tab.table.currentIndex().column() == 4
    tab.table.setCurrentIndex(tab.model.index(0, 10))  # the strength, on its own 1 to 4
    qtbot.keyClicks(tab.table, "5")
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.status.text() == "5 is not on the scale: type a score from 1 to 4."
    assert tab.table.currentIndex().column() == 10
    _type(qtbot, tab, "4")
    assert (tab.table.currentIndex().row(), tab.table.currentIndex().column()) == (1, 1)

    # Changing a draft, then clearing one with Delete.
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    _type(qtbot, tab, "3")
    tab.table.setCurrentIndex(tab.model.index(0, 2))
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert _mine(tab, "0001") == {
        "DATM": (3, "", "draft"),
        "SWDN": (None, "", "draft"),
        "PROBLEMSOLVER": (4, "", "draft"),
    }


def test_a_score_off_the_scale_is_refused_and_nothing_is_saved(qtbot, tab):
    _type(qtbot, tab, "4")
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    qtbot.keyClicks(tab.table, "9")
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.status.text() == "9 is not on the scale: type a score from 1 to 7."
    assert tab.table.beside == "9 is not on the scale: type a score from 1 to 7. Esc clears it."
    assert tab.model.index(0, 1).data() == "9"  # kept where it was typed, said beside it
    assert tab.table.currentIndex().column() == 1  # and the cursor stays to put it right
    assert not tab.drafts.busy
    assert _mine(tab, "0001") == {"DATM": (4, "", "draft")}
    # The scale beside follows the keys (the next key corrects); Escape drops what is typed.
    qtbot.keyClicks(tab.table, "7")
    assert tab.model.index(0, 1).data() == "7"
    assert '<td bgcolor="#fff3c4"><b>Outstanding demonstration</b>' in tab.detail.scale.text()
    qtbot.keyClick(tab.table, Qt.Key.Key_Escape)
    assert tab.model.index(0, 1).data() == "4" and not tab.drafts.busy
    assert '<td bgcolor="#fff3c4"><b>Acceptable demonstration</b>' in tab.detail.scale.text()


def test_an_evidence_note_is_saved_with_the_score(qtbot, tab):
    assert tab.detail.evidence_box.isEnabled()
    note = "Normalised the schema and explained why."
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        qtbot.keyClicks(tab.detail.evidence, note)
    assert tab.detail.evidence_state.text() == "Saved as a draft."
    assert _mine(tab, "0001") == {"DATM": (None, note, "draft")}
    _type(qtbot, tab, "6")
    assert _mine(tab, "0001") == {"DATM": (6, note, "draft")}
    # Coming back to the cell shows the note and highlights the score on the scale.
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    assert tab.detail.evidence_text() == note
    assert '<td bgcolor="#fff3c4"><b>Strong demonstration</b>' in tab.detail.scale.text()

    # A note typed, then left before the pause, is saved on leaving.
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        qtbot.keyClicks(tab.detail.evidence, " More.")
        tab.table.setCurrentIndex(tab.model.index(1, 1))
    assert _mine(tab, "0001")["DATM"] == (6, note + " More.", "draft")


def test_a_failed_save_puts_the_old_value_back_and_says_why(qtbot, tab):
    _type(qtbot, tab, "5")
    # Meanwhile Hannah declares a conflict with 0001 on another desk.
    candidate = tab.model.candidate_at(0)
    sc.declare_conflict(_ctx(tab), tab.stage_id, tab.assessor_id, candidate.id, "Neighbour")
    tab.table.setCurrentIndex(tab.model.index(0, 2))
    qtbot.keyClicks(tab.table, "4")
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tab.drafts.busy, timeout=TIMEOUT)
    assert tab.model.index(0, 2).data() == ""
    assert tab.status.text() == (
        "Not saved (0001 Siân Evans, SWDN): "
        "You declared a conflict of interest with that candidate."
    )


def test_a_score_made_meanwhile_is_a_conflict_not_overwritten(qtbot, tab):
    # A manager enters Hannah's paper score for 0001 DATM after her sheet was loaded.
    candidate, cell = tab.model.candidate_at(0), tab.model.criterion_at(1).cell_id
    sc.save_score(
        _ctx(tab),
        tab.stage_id,
        tab.assessor_id,
        candidate.id,
        cell,
        value=6,
        evidence="From paper",
        expected_version=0,
    )
    qtbot.keyClicks(tab.table, "3")
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tab.drafts.busy, timeout=TIMEOUT)
    assert _mine(tab, "0001") == {"DATM": (6, "From paper", "draft")}
    assert "changed by Alex Manager" in tab.status.text()


def test_a_partly_imported_row_takes_only_the_missing_scores(qtbot, tab):
    with _ctx(tab).db.session() as session:
        email = session.get(Person, tab.assessor_id).email
    row = {"candidate_number": "0001", "assessor": email, "evidence": ""}
    sc.import_scores(
        _ctx(tab),
        tab.stage_id,
        [(2, {**row, "criterion": "DATM", "score": "5"})],
        source="paper.csv",
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    qtbot.keyClicks(tab.table, "3")
    assert tab.status.text() == "This DATM score was submitted, so it can no longer be changed."
    tab.table.setCurrentIndex(tab.model.index(0, 2))
    _type(qtbot, tab, "4")
    assert _mine(tab, "0001") == {"DATM": (5, "", "submitted"), "SWDN": (4, "", "draft")}


# --- submitting and independence ---------------------------------------------------------


def test_submitting_needs_every_criterion_then_shows_the_others(qtbot, tab, tmp_path):
    _score_as_tom(tab, ["0001"])
    hannah = tab.assessor_id
    for value in "543":
        _type(qtbot, tab, value)
    # Independence: Tom's submitted scores show nowhere before Hannah submits.
    for column in range(1, 8):
        tab.table.setCurrentIndex(tab.model.index(0, column))
        assert "Tom" not in tab.detail.shown_text()
        assert not tab.detail.others_box.isVisibleTo(tab)
    for row in range(tab.model.rowCount()):
        for column in range(tab.model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                assert "Tom" not in str(tab.model.index(row, column).data(role))

    _click(qtbot, tab.submit_button)
    box = tab.dialog
    assert box.objectName() == "confirmSubmit"
    assert box.text() == "Submit Hannah Lee's scores for 0001 Siân Evans?"
    qtbot.mouseClick(box.findChild(QPushButton, "confirmSubmitButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(tab.dialog, "objectName", str)() == "submitRefused")
    assert _box_text(tab.dialog) == (
        "Score every criterion before submitting. Still to score:\n"
        "0001: TEST, SINT, ASUP, EXP1, TEAM, PACE, PROBLEMSOLVER"
    )
    assert tab.status.text() == "Not submitted: 1 candidate still needs scores."
    tab.dialog.accept()
    assert not any(s == "submitted" for _v, _e, s in _mine(tab, "0001").values())

    tab.table.setCurrentIndex(tab.model.index(0, 4))
    for value in "4567453":  # the last the strength's, on its 1 to 4
        _type(qtbot, tab, value)
    assert _row(tab, 0)[-1] == "Ready to submit"
    assert tab.table.currentIndex().row() == 1  # the cursor has moved on to the next candidate
    _click(qtbot, tab.submit_button)
    assert tab.dialog.text() == "Submit Hannah Lee's scores for 0001 Siân Evans?"
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(
            tab.dialog.findChild(QPushButton, "confirmSubmitButton"), Qt.MouseButton.LeftButton
        )
    assert tab.status.text() == "Submitted 10 scores for 1 candidate."
    assert _row(tab, 0)[-1] == "Submitted"
    assert {s for _v, _e, s in _mine(tab, "0001").values()} == {"submitted"}
    assert sc.scoring_sheet(_ctx(tab), tab.stage_id, hannah).candidates[0].submitted

    # The row is read-only now, and Tom's scores and evidence are there to compare.
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    qtbot.keyClicks(tab.table, "2")
    assert tab.status.text() == (
        "Hannah Lee's scores for 0001 Siân Evans are submitted, so they can no longer be changed."
    )
    assert tab.model.index(0, 1).data() == "5"
    assert tab.detail.evidence.isReadOnly()
    assert tab.detail.others_box.isVisibleTo(tab)
    # The sheet holds nobody else's scores: the cell in front reads them.
    assert tab.model.sheet.others == {}
    qtbot.waitUntil(lambda: "Tom Okonkwo" in tab.detail.others.text())
    assert "<b>Tom Okonkwo</b>: 5 Good demonstration" in tab.detail.others.text()
    assert f"{TOM_SAYS} (DATM)" in tab.detail.others.text()
    assert tab.detail.evidence_state.text() == "Read only: submitted."
    qtbot.wait(50)  # the panel lays itself out again for Tom's scores
    tab.grab().save(str(tmp_path / "scoring-tab.png"))


def test_a_panel_member_scores_only_as_themselves(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    ctx = context.service_context()
    video = next(s for s in stage_svc.stages_overview(ctx, campaign_id).stages if s.name == VIDEO)
    tom = next(p.person_id for p in video.panel if p.name == "Tom Okonkwo")
    context.actor = Actor("Tom Okonkwo", role="panel_member", person_id=tom)
    tab = _open(qtbot, ScoringTab(context, campaign_id))
    assert [tab.member_combo.itemText(i) for i in range(tab.member_combo.count())] == [
        "Tom Okonkwo"
    ]
    assert not tab.member_combo.isEnabled()
    assert tab.role_note.text().startswith("You see and enter your own scores only.")
    _type(qtbot, tab, "6")
    assert _mine(tab, "0001") == {"DATM": (6, "", "draft")}


# --- name-blind and final stages -----------------------------------------------------------


def test_the_final_name_blind_sift_is_read_only(qtbot, tab):
    _choose_stage(qtbot, tab, "CV sift")
    assert tab.model.index(0, 0).data() == "Candidate 0001"
    assert all(
        tab.model.index(r, 0).data().startswith("Candidate ") for r in range(tab.model.rowCount())
    )
    assert "name-blind: candidate numbers only" in tab.stage_info.text()
    assert tab.banner.isVisibleTo(tab)
    assert tab.banner.text().startswith("The results of CV sift are final, so its scores are")
    assert not tab.submit_button.isEnabled() and not tab.conflict_button.isEnabled()
    before = _mine(tab, "0001")
    qtbot.keyClicks(tab.table, "2")
    assert tab.status.text() == "The results of CV sift are final, so its scores are locked."
    assert tab.model.typing() is None and not tab.drafts.busy
    assert _mine(tab, "0001") == before
    assert tab.detail.evidence.isReadOnly()


# --- sift by criterion ---------------------------------------------------------------------


def _order(tab) -> tuple[list[str], list[str]]:
    codes = [tab.model.criterion_at(c).code for c in range(1, tab.model.criteria_count + 1)]
    rows = [tab.model.candidate_at(r).number for r in range(tab.model.rowCount())]
    return codes, rows


def test_sift_by_criterion_uses_the_recorded_shuffle_and_moves_down(qtbot, tab):
    plain = _order(tab)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.by_criterion_box.setChecked(True)
    first = _order(tab)
    sheet = sc.scoring_sheet(_ctx(tab), tab.stage_id, tab.assessor_id, by_criterion=True)
    cells = {c.cell_id: c.code for c in sheet.criteria}
    numbers = {c.id: c.number for c in sheet.candidates}
    assert first == (
        [cells[i] for i in sheet.criterion_order],
        [numbers[i] for i in sheet.candidate_order],
    )
    assert sorted(first[0]) == sorted(plain[0]) and sorted(first[1]) == sorted(plain[1])
    assert tab.move_down_box.isChecked()
    assert "shuffled for Hannah Lee and recorded" in tab.banner.text()

    _type(qtbot, tab, "5")
    assert (tab.table.currentIndex().row(), tab.table.currentIndex().column()) == (1, 1)

    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.by_criterion_box.setChecked(False)
    assert _order(tab) == plain
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.by_criterion_box.setChecked(True)
    assert _order(tab) == first  # the same order the second time


# --- conflicts -----------------------------------------------------------------------------


def test_declaring_a_conflict_greys_the_row_and_blocks_typing(qtbot, tab):
    _type(qtbot, tab, "5")
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    _click(qtbot, tab.conflict_button)
    dialog = tab.dialog
    assert dialog.objectName() == "conflictDialog"
    assert not dialog.save_button.isEnabled()  # a note is needed
    qtbot.keyClicks(dialog.note, "We worked in the same team until 2024.")
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = tab.dialog
    assert box.objectName() == "conflictDeclared"
    assert box.text().startswith(
        "Hannah Lee has declared a conflict of interest with candidate 0001 and will not "
        "score them. Find another panel member to cover Video interview"
    )
    assert _row(tab, 0) == ["0001 Siân Evans", *[""] * 10, "Conflict declared"]  # drafts gone
    assert tab.model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) == LOCKED_BACK
    assert not tab.conflict_button.isEnabled()
    tab.table.setCurrentIndex(tab.model.index(0, 2))
    qtbot.keyClicks(tab.table, "4")
    assert tab.status.text() == (
        "Hannah Lee declared a conflict of interest with 0001 Siân Evans, so no scores "
        "can be entered for them."
    )
    assert tab.model.typing() is None
    assert _mine(tab, "0001") == {}
    # Entering scores skips the row.
    tab.table.setCurrentIndex(tab.model.index(7, 7))
    qtbot.keyClick(tab.table, Qt.Key.Key_Tab)
    assert tab.table.currentIndex().row() == 7  # the end: nowhere further to go


# --- offline workbooks and files -----------------------------------------------------------


def _accept_file(qtbot, tab, path, signal):
    chooser = tab.dialog
    assert isinstance(chooser, QFileDialog)
    with qtbot.waitSignal(signal, timeout=TIMEOUT) as caught:
        chooser.setDirectory(str(path.parent))
        chooser.selectFile(str(path))
        chooser.accept()
    return caught


def test_export_then_import_a_workbook_round_trips_a_score(qtbot, tab, tmp_path):
    _click(qtbot, tab.export_button)
    assert tab.dialog.objectName() == "exportWorkbookDialog"
    assert tab.dialog.selectedFiles()[0].endswith("283922-hannah-lee-scoring.xlsx")
    target = tmp_path / "hannah.xlsx"
    written = _accept_file(qtbot, tab, target, tab.exported).args[0]
    assert written == target
    workbook = load_workbook(target)
    sheet = workbook[VIDEO]
    assert [c.value for c in sheet[1]][:4] == [
        "Candidate number",
        "Candidate",
        "DATM score",
        "DATM evidence",
    ]
    assert sheet["A2"].value == "0001"
    sheet["C2"], sheet["D2"] = 9, "Off the scale"
    sheet["C3"] = "x"
    workbook.save(target)

    _click(qtbot, tab.import_button)
    chooser = tab.dialog
    chooser.setDirectory(str(tmp_path))
    chooser.selectFile(str(target))
    chooser.accept()
    qtbot.waitUntil(lambda: getattr(tab.dialog, "objectName", str)() == "importRefused")
    assert _box_text(tab.dialog) == (
        "hannah.xlsx was not imported; fix these and try again:\n"
        "- row 2: Video interview: score '9' is not on the scale (1, 2, 3, 4, 5, 6, 7)\n"
        "- row 3: Video interview: score 'x' is not on the scale (1, 2, 3, 4, 5, 6, 7)"
    )
    tab.dialog.accept()
    assert _mine(tab, "0001") == {}

    workbook = load_workbook(target)
    workbook[VIDEO]["C2"], workbook[VIDEO]["D2"] = 6, "Scored on paper"
    workbook[VIDEO]["C3"] = None
    workbook.save(target)
    _click(qtbot, tab.import_button)
    report = _accept_file(qtbot, tab, target, tab.imported).args[0]
    assert report.imported == 1
    qtbot.waitUntil(lambda: tab.model.index(0, 1).data() == "6", timeout=TIMEOUT)
    assert _mine(tab, "0001") == {"DATM": (6, "Scored on paper", "submitted")}
    assert tab.status.text() == "Imported 1 score from hannah.xlsx as submitted."


def test_a_refused_csv_import_lists_every_bad_row(qtbot, tab, tmp_path):
    path = tmp_path / "paper.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate_number", "criterion", "assessor", "score", "evidence"])
        writer.writerow(["0001", "DATM", "hannah.lee@example.gov.uk", "5", "Paper"])
        writer.writerow(["0099", "DATM", "hannah.lee@example.gov.uk", "5", ""])
        writer.writerow(["0003", "NOPE", "hannah.lee@example.gov.uk", "12", ""])
    _click(qtbot, tab.import_button)
    chooser = tab.dialog
    chooser.setDirectory(str(tmp_path))
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: getattr(tab.dialog, "objectName", str)() == "importRefused")
    assert _box_text(tab.dialog) == (
        "paper.csv was not imported; fix these rows and try again:\n"
        "- line 3: no candidate '0099' at this stage\n"
        "- line 4: no criterion 'NOPE' at this stage; score '12' is not on the scale "
        "(1, 2, 3, 4, 5, 6, 7)"
    )
    assert tab.status.text() == "paper.csv was not imported; fix these rows and try again:"
    assert _mine(tab, "0001") == {}


# --- a big stage -----------------------------------------------------------------------------


def test_a_stage_of_two_thousand_candidates_loads_and_paints(qtbot, qtmodeltester, sqlite_url):
    from db.models import Candidate, Person
    from recruit_app.services.campaign_files import create_from_template

    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    try:
        ctx = context.service_context()
        campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developers", reference="BIG-1")
        video = next(
            s for s in stage_svc.stages_overview(ctx, campaign.id).stages if s.name == VIDEO
        )
        stage_svc.move_stage(ctx, video.id, 0)  # first, so everyone has reached it
        with ctx.db.session() as session:
            people = [Person(name="Hannah Lee", email="hl@example.org")]
            session.add_all(people)
            session.add_all(
                Candidate(
                    campaign_id=campaign.id,
                    candidate_number=f"{n:04d}",
                    first_name="Sam",
                    last_name=f"Applicant {n}",
                    email=f"c{n}@example.com",
                )
                for n in range(1, 2001)
            )
            session.commit()
            hannah = people[0].id
        video = next(
            s for s in stage_svc.stages_overview(ctx, campaign.id).stages if s.id == video.id
        )
        stage_svc.set_panel(
            ctx, video.id, [stage_svc.SeatChoice(hannah, "chair")], expected_version=video.version
        )
        tab = _open(qtbot, ScoringTab(context, campaign.id))
        assert (tab.model.rowCount(), tab.model.columnCount()) == (2000, 9)
        assert not tab.grab().isNull()
        assert tab.model.index(1999, 0).data() == "2000 Sam Applicant 2000"
        tab.table.setCurrentIndex(tab.model.index(1999, 7))
        _type(qtbot, tab, "7")
        assert tab.model.index(1999, 8).data() == "1 of 7 scored"
        qtmodeltester.check(tab.model)
    finally:
        context.shutdown()


def test_each_column_takes_the_points_of_its_criterions_scale(qtbot):
    """Behaviours on 1 to 7 and a strength on its 1 to 4 guide, side by side."""
    from recruit_app.domain.stage_rules import SCALES
    from ui.scoring.sheet_model import SheetModel

    def criterion(cell_id: int, code: str, scale=None) -> sc.SheetCriterion:
        return sc.SheetCriterion(cell_id, code, code, "BEH", None, None, 1.0, False, (), scale)

    sheet = sc.ScoringSheet(
        stage_id=1,
        stage_name="Interview",
        name_blind=False,
        finalised=False,
        assessor_id=1,
        assessor_name="Hannah Lee",
        scale=SCALES["sp7"],
        criteria=(criterion(10, "B1"), criterion(11, "S1", SCALES["strengths4"])),
        candidates=(sc.SheetCandidate(5, "0001", "0001 Ann Lee", False, False),),
        scores={},
        others={},
        criterion_order=(10, 11),
        candidate_order=(5,),
        seed=None,
    )
    assert sheet.mixed_scales
    model = SheetModel()
    model.set_sheet(sheet)
    assert model.enter(0, 2, "5") == "5 is not on the scale: type a score from 1 to 4."
    with qtbot.waitSignal(model.entered, timeout=1000) as entered:
        assert model.enter(0, 1, "5") is None
    assert entered.args == [(5, 10), 5]
    with qtbot.waitSignal(model.entered, timeout=1000) as entered:
        assert model.enter(0, 2, "4") is None
    assert entered.args == [(5, 11), 4]
