"""The application beside the scoring sheet, driven by the keyboard as a panel member at a
name-blind CV sift: the redacted text follows the cursor, one answer at a time when
sifting by criterion, and a candidate's markup is shown as typed, never obeyed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from recruit_app.services import adverts
from recruit_app.services import stages as stage_svc
from recruit_app.services.applications import (
    ApplicationView,
    PartView,
    StageApplications,
    import_applications,
)
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.people import create_person
from recruit_app.settings import Settings
from ui import change_bus
from ui.context import AppContext
from ui.scoring.reader import NONE_IMPORTED, SCORING, ApplicationReader
from ui.scoring.scoring_tab import READING_APPLICATIONS, ScoringTab

TIMEOUT = 10_000
SIFT = "CV sift"  # the template's first stage: name-blind, criteria EXP1 to EXP6
EXP1 = (
    "Back-end or full-stack development in at least one modern web language (such as Java, "
    "C#, Python, PHP or JavaScript with Node.js) and its ecosystem (EXP1)"
)
EXP2 = "Working in agile teams with version control (EXP2)"
PEOPLE = (
    "Candidate number,First name,Last name,Email\n"
    "0001,Siân,Evans,sian.evans@example.org\n"
    "0002,Zoë,Clarke,zoe.clarke@example.net\n"
    "0003,Amara,Okafor,amara.okafor@example.org\n"
)
# A line per candidate: number, personal statement, EXP1 answer, EXP2 answer; 0003 has none.
APPLICATIONS = (
    "Candidate number,Personal statement,EXP1,EXP2\r\n"
    '0001,"I am Siân Evans (sian.evans@example.org). I moved our payments service to '
    'Python.","At Leeds I rebuilt the payments service.\n\nSiân Evans led the work.",'
    '"Git every day."\r\n'
    '0002,"Zoë Clarke here.","<b>bold</b> <script>alert(1)</script>",\r\n'
)
SIAN = (
    "Personal statement\n"
    "15 words (limit 12): over the limit\n"
    "I am [name] ([e-mail]). I moved our payments service to Python.\n"
)


@pytest.fixture
def campaign(qtbot, sqlite_url, tmp_path):
    """A DDAT-DEV-SEO campaign of three with Pat Reader on the CV sift's panel:
    (context acting as the manager, campaign id, Pat's person id)."""
    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    ctx = context.service_context()
    summary = create_from_template(ctx, "DDAT-DEV-SEO", title="Developers", reference="READ-1")
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert import_candidates(ctx, summary.id, people).imported == 3
    pat = create_person(ctx, name="Pat Reader", email="pat@example.org")
    sift = next(s for s in stage_svc.stages_overview(ctx, summary.id).stages if s.name == SIFT)
    assert sift.name_blind
    stage_svc.set_panel(
        ctx, sift.id, [stage_svc.SeatChoice(pat.id, "member")], expected_version=sift.version
    )
    yield context, summary.id, pat.id
    context.shutdown()


def _import(context, campaign_id, tmp_path) -> None:
    ctx = context.service_context()
    form = adverts.get_advert(ctx, campaign_id)
    adverts.save_advert(
        ctx,
        campaign_id,
        fields={"statement_word_limit": 12, "answer_word_limit": 250},
        criteria=None,
        expected_version=form.version,
    )
    path = tmp_path / "applications.csv"
    path.write_text(APPLICATIONS, encoding="utf-8")
    report = import_applications(ctx, campaign_id, path)
    assert (report.imported, report.parts) == (2, 5)


def _open(qtbot, context, campaign_id) -> ScoringTab:
    tab = ScoringTab(context, campaign_id)
    qtbot.addWidget(tab)
    tab.resize(1366, 760)
    tab.show()
    with qtbot.waitSignals([tab.loaded, tab.applications_loaded], timeout=TIMEOUT):
        tab.load()
    assert tab.stage_combo.currentText() == SIFT
    return tab


@pytest.fixture
def pat_at_the_sift(qtbot, campaign, tmp_path) -> ScoringTab:
    """The scoring tab as Pat Reader, a panel member, at the name-blind CV sift."""
    context, campaign_id, pat = campaign
    _import(context, campaign_id, tmp_path)
    context.actor = Actor("Pat Reader", role="panel_member", person_id=pat)
    return _open(qtbot, context, campaign_id)


def _cell(tab) -> tuple[str, str | None]:
    index = tab.table.currentIndex()
    criterion = tab.model.criterion_at(index.column())
    return tab.model.candidate_at(index.row()).number, criterion.code if criterion else None


def _column(tab, code: str) -> int:
    criteria = range(1, tab.model.criteria_count + 1)
    return next(c for c in criteria if tab.model.criterion_at(c).code == code)


def test_the_name_blind_application_follows_the_cursor(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    reader = tab.reader
    assert reader.isVisibleTo(tab)
    assert tab.show_applications_box.isVisibleTo(tab) and tab.show_applications_box.isChecked()
    assert _cell(tab) == ("0001", "EXP1")
    assert reader.heading.text() == "Candidate 0001"
    assert reader.badge.isVisibleTo(tab) and reader.badge.text() == "name-blind"
    # The whole application, the answer to the criterion being scored marked and highlighted.
    assert reader.shown_text() == (
        SIAN + f"{SCORING}\n{EXP1}\n12 words (limit 250)\n"
        "At Leeds I rebuilt the payments service.\n[name] led the work.\n\n"
        f"{EXP2}\n3 words (limit 250)\nGit every day."
    )
    assert "Siân" not in reader.shown_text() and "sian.evans" not in reader.shown_text()

    # Along the row: the same candidate, the highlight moves to the next criterion's answer.
    qtbot.keyClick(tab.table, Qt.Key.Key_Right)
    assert _cell(tab) == ("0001", "EXP2")
    assert reader.shown_text() == (
        SIAN + f"{EXP1}\n12 words (limit 250)\n"
        "At Leeds I rebuilt the payments service.\n[name] led the work.\n"
        f"{SCORING}\n{EXP2}\n3 words (limit 250)\nGit every day.\n"
    )

    # Down the column: the next candidate, who left EXP2 blank.
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert _cell(tab) == ("0002", "EXP2")
    assert reader.heading.text() == "Candidate 0002"
    assert reader.shown_text() == (
        "No answer to this criterion (EXP2) in this application.\n"
        "Personal statement\n3 words (limit 12)\n[name] here.\n"
        f"{EXP1}\n7 words (limit 250)\n<b>bold</b> <script>alert(1)</script>"
    )

    # A candidate with nothing imported.
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert _cell(tab) == ("0003", "EXP2")
    assert reader.heading.text() == "Candidate 0003"
    assert reader.shown_text() == "No application has been imported for this candidate."

    # Back up with the keyboard: the first page again.
    qtbot.keyClick(tab.table, Qt.Key.Key_Up)
    qtbot.keyClick(tab.table, Qt.Key.Key_Up)
    qtbot.keyClick(tab.table, Qt.Key.Key_Left)
    assert _cell(tab) == ("0001", "EXP1")
    assert reader.shown_text().startswith(SIAN + f"{SCORING}\n{EXP1}\n")


def test_a_candidates_markup_is_shown_as_typed(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    tab.table.setCurrentIndex(tab.model.index(1, 1))
    assert _cell(tab) == ("0002", "EXP1")
    text = tab.reader.shown_text()
    assert "<b>bold</b> <script>alert(1)</script>" in text
    html = tab.reader.text.toHtml()
    assert "<script" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sifting_by_criterion_shows_the_one_answer(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.by_criterion_box.setChecked(True)
    # The recorded shuffle decides the order: find EXP1's column and 0001's row in it.
    column = next(
        c
        for c in range(1, tab.model.criteria_count + 1)
        if tab.model.criterion_at(c).code == "EXP1"
    )
    rows = [tab.model.candidate_at(r).number for r in range(tab.model.rowCount())]
    tab.table.setCurrentIndex(tab.model.index(rows.index("0001"), column))
    assert tab.reader.heading.text() == "Candidate 0001"
    assert tab.reader.shown_text() == (
        f"{EXP1}\n12 words (limit 250)\n"
        "At Leeds I rebuilt the payments service.\n[name] led the work."
    )
    # Onto 0002 with the keyboard, from the row above (or below) in the shuffle.
    at = rows.index("0002")
    tab.table.setCurrentIndex(tab.model.index(at - 1 if at else at + 1, column))
    qtbot.keyClick(tab.table, Qt.Key.Key_Down if at else Qt.Key.Key_Up)
    assert _cell(tab) == ("0002", "EXP1")
    assert tab.reader.heading.text() == "Candidate 0002"
    assert tab.reader.shown_text() == (
        f"{EXP1}\n7 words (limit 250)\n<b>bold</b> <script>alert(1)</script>"
    )
    # A criterion 0001 did not answer.
    exp3 = next(
        c
        for c in range(1, tab.model.criteria_count + 1)
        if tab.model.criterion_at(c).code == "EXP3"
    )
    tab.table.setCurrentIndex(tab.model.index(rows.index("0001"), exp3))
    assert tab.reader.shown_text() == "No answer to this criterion (EXP3)."


def test_the_reader_can_be_hidden_and_scrolled_from_the_sheet(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    tab.show_applications_box.setChecked(False)
    assert not tab.reader.isVisibleTo(tab)
    assert tab.table.hasFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)  # moved while hidden: shown once back
    tab.show_applications_box.setChecked(True)
    assert tab.reader.heading.text() == "Candidate 0002"
    tab.reader.resize(tab.reader.width(), 120)  # less room than the page needs
    qtbot.waitUntil(lambda: tab.reader.text.verticalScrollBar().maximum() > 0)
    bar = tab.reader.text.verticalScrollBar()
    bar.setValue(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert bar.value() > 0
    assert tab.table.hasFocus()


def test_a_change_to_the_stages_hides_what_was_read_until_read_again(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    with qtbot.waitSignals([tab.loaded, tab.applications_loaded], timeout=TIMEOUT):
        tab.context.bus.publish(change_bus.STAGES)
        # At once: nothing read under the old settings is left on show.
        assert tab.reader.shown_text() == READING_APPLICATIONS
        assert tab.reader.heading.text() == ""
    assert tab.reader.heading.text() == "Candidate 0001"
    assert tab.reader.shown_text().startswith(SIAN)


def test_a_manager_reads_the_original(qtbot, campaign, tmp_path):
    context, campaign_id, _pat = campaign
    _import(context, campaign_id, tmp_path)
    tab = _open(qtbot, context, campaign_id)
    assert tab.model.candidate_at(0).label == "Candidate 0001"  # the sheet stays name-blind
    assert not tab.reader.badge.isVisibleTo(tab)
    assert tab.reader.shown_text().startswith(
        "Personal statement\n15 words (limit 12): over the limit\n"
        "I am Siân Evans (sian.evans@example.org)."
    )


def test_a_stage_without_applications_says_so(qtbot, campaign):
    context, campaign_id, pat = campaign
    context.actor = Actor("Pat Reader", role="panel_member", person_id=pat)
    tab = _open(qtbot, context, campaign_id)
    assert tab.reader.shown_text() == NONE_IMPORTED
    assert tab.reader.heading.text() == ""
    assert not tab.show_applications_box.isVisibleTo(tab)


def _top_line(tab) -> str:
    """The first line of text in view in the reader."""
    browser = tab.reader.text
    line = browser.fontMetrics().height()
    return (
        browser.cursorForPosition(QPoint(browser.viewport().width() // 2, line // 2)).block().text()
    )


def test_the_answer_being_scored_is_scrolled_into_view(qtbot, pat_at_the_sift):
    tab = pat_at_the_sift
    tab.reader.resize(tab.reader.width(), 140)  # room for a few lines only
    tab.table.setCurrentIndex(tab.model.index(0, 0))  # the candidate's name: no criterion
    qtbot.waitUntil(lambda: tab.reader.text.verticalScrollBar().maximum() > 0)
    assert tab.reader.text.verticalScrollBar().value() == 0
    qtbot.keyClick(tab.table, Qt.Key.Key_Right)
    qtbot.keyClick(tab.table, Qt.Key.Key_Right)
    assert _cell(tab) == ("0001", "EXP2")
    assert tab.reader.text.verticalScrollBar().value() > 0
    assert _top_line(tab) == SCORING


# --- the reader on its own -------------------------------------------------------------------


def _part(kind: str, text: str, **extra) -> PartView:
    fields = {
        "id": 1,
        "version": 1,
        "kind": kind,
        "criterion": "",
        "criterion_title": "",
        "label": "",
        "text": text,
        "words": len(text.split()),
        "limit": 0,
        "has_file": False,
        "no_text": False,
        "note": "",
    }
    return PartView(**(fields | extra))


def test_the_whole_application_reads_in_order_with_each_parts_words(qtbot):
    reader = ApplicationReader()
    qtbot.addWidget(reader)
    reader.resize(400, 600)
    reader.show()
    parts = (  # as the service might order them: CV first, files among the rest
        _part("document", "", label="[name] degree.pdf", has_file=True, no_text=True,
              note="A scan: no text could be read"),
        _part("cv", "Ten years of Python."),
        _part("eligibility", "Yes", label="Right to work in the UK"),
        _part("answer", "One two three four", criterion="EXP1", criterion_title="Code", limit=3),
        _part("statement", "I like services.", label="Personal statement", limit=250),
    )  # fmt: skip
    reader.set_applications(
        StageApplications(7, True, {5: ApplicationView(5, "0005", True, parts)})
    )
    reader.show_candidate(5, "EXP1", one_criterion=False)
    assert reader.heading.text() == "Candidate 0005" and reader.badge.isVisibleTo(reader)
    assert reader.shown_text() == (
        "Personal statement\n3 words (limit 250)\nI like services.\n"
        "CV\n4 words\nTen years of Python.\n"
        f"{SCORING}\nCode (EXP1)\n4 words (limit 3): over the limit\nOne two three four\n"
        "\nRight to work in the UK\n1 word\nYes\n"
        "Document: [name] degree.pdf\nNo text: needs reading in the original\n"
        "A scan: no text could be read"
    )
    reader.show_candidate(5, "EXP1", one_criterion=True)
    assert reader.shown_text() == (
        "Code (EXP1)\n4 words (limit 3): over the limit\nOne two three four"
    )
    reader.show_candidate(6, "EXP1", one_criterion=True, label="Candidate 0006")
    assert reader.heading.text() == "Candidate 0006"
    assert reader.shown_text() == "No application has been imported for this candidate."
