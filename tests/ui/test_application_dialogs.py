"""The applications dialogs opened from the Candidates tab, driven through real widgets on
a real SQLite database: importing answers and documents with a preview of every problem,
checking what name-blind reading hides, and searching applications."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QPushButton

from recruit_app.services import applications as apps
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.candidates import import_candidates
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.settings import Settings
from ui.applications.import_dialog import ImportApplicationsDialog
from ui.applications.review_dialog import ReviewDialog
from ui.applications.search import SearchDialog
from ui.applications.spans import Offsets, hide, marked, show_again
from ui.candidates.tab import CandidatesTab
from ui.context import AppContext

TIMEOUT = 10_000
CLICK = Qt.MouseButton.LeftButton
REFERENCE = "APP-UI"
PEOPLE = (
    "Candidate number,First name,Last name,Email\n"
    "0001,Siân,Evans,sian.evans@example.org\n"
    "0002,Tomasz,Nowak,tomasz@example.org\n"
    "0003,Amara,Okafor,amara.okafor@example.org\n"
)
AGILE = "Working in agile teams with version control"
# Line 3 leaves the agile answer empty; line 4 names a candidate the campaign lacks.
ANSWERS = (
    f"Candidate number,Personal statement,EXP1 example,{AGILE}\n"
    '0001,"I am Siân Evans and I studied at Hogwarts.","Payments in Python.","Git daily."\n'
    '0002,"Tomasz here: a PRINCE2 practitioner.","Java at a bank.",\n'
    '0099,"Who am I?","x","y"\n'
)


@pytest.fixture
def make_context(qtbot, app_home):
    contexts: list[AppContext] = []

    def make(url: str, actor: Actor | None = None) -> AppContext:
        context = AppContext(Settings(), actor=actor or Actor("Alex Manager"))
        context.use_database(open_db(url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def context(make_context, sqlite_url):
    return make_context(sqlite_url)


@pytest.fixture
def campaign_id(context, tmp_path) -> int:
    """A DDAT-DEV-SEO campaign (its first stage, CV sift, is name-blind) of three."""
    ctx = context.service_context()
    campaign = create_from_template(ctx, "DDAT-DEV-SEO", title="Developers", reference=REFERENCE)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert import_candidates(ctx, campaign.id, people).imported == 3
    return campaign.id


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def _open_tab(qtbot, context, campaign_id) -> CandidatesTab:
    tab = CandidatesTab(context, campaign_id)
    qtbot.addWidget(tab)
    tab.resize(1280, 700)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


def _click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, CLICK)


def _rows(model) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def _preview(qtbot, dialog: ImportApplicationsDialog, click) -> None:
    with qtbot.waitSignal(dialog.previewed, timeout=TIMEOUT):
        click()


# --- importing -----------------------------------------------------------------------


def test_the_import_previews_every_problem_remaps_and_imports(
    qtbot, qtmodeltester, context, campaign_id, tmp_path
):
    from recruit_app.services import adverts

    ctx = context.service_context()
    form = adverts.get_advert(ctx, campaign_id)
    adverts.save_advert(
        ctx,
        campaign_id,
        fields={"statement_word_limit": 8},
        criteria=None,
        expected_version=form.version,
    )
    tab = _open_tab(qtbot, context, campaign_id)
    _click(qtbot, tab.import_applications_button)
    dialog = tab.dialog
    assert isinstance(dialog, ImportApplicationsDialog) and dialog.isVisible()
    assert dialog.step == "choose"
    assert not dialog.preview_button.isEnabled()  # neither file chosen yet
    dialog.set_paths(_answers(tmp_path), None)
    _preview(qtbot, dialog, lambda: _click(qtbot, dialog.preview_button))

    page = dialog.preview_page
    assert dialog.step == "preview"
    assert page.mapping_box.mapping() == {
        "Candidate number": "number",
        "Personal statement": "statement",
        "EXP1 example": "criterion:EXP1",
        AGILE: "criterion:EXP2",
    }
    combo = page.mapping_box.combos["EXP1 example"]
    assert combo.itemText(combo.findData("criterion:PROG")).endswith("(PROG)")
    assert _rows(page.findings.problems) == [
        ("Line 3", AGILE, "Empty answer"),
        ("Line 4", "", f"There is no candidate numbered '0099' in {REFERENCE}"),
    ]
    qtmodeltester.check(page.findings.problems, force_py=True)
    assert page.findings.tabText(0) == "Problems (2)"
    assert page.findings.tabText(1) == "Over the word limit (1)"
    assert _rows(page.findings.over_limit) == [("0001", "Personal statement", "9", "8", "Line 2")]
    assert "1 part over the word limit" in page.summary.text()
    assert page.title.text() == "5 parts of applications ready to import"
    assert "answers.csv: 5 answers from 2 candidates." in page.summary.text()
    assert "2 problems will be skipped" in page.summary.text()
    assert dialog.import_button.text() == "&Import 5 parts"

    # The agile column not imported: its empty answer is no longer a problem.
    _preview(qtbot, dialog, lambda: page.mapping_box.choose(AGILE, "ignore"))
    assert dialog.last.table.mapping[AGILE] == "ignore"
    assert _rows(page.findings.problems) == [
        ("Line 4", "", f"There is no candidate numbered '0099' in {REFERENCE}"),
    ]
    assert page.title.text() == "4 parts of applications ready to import"
    # A criterion taken by another column leaves the one that had it.
    _preview(qtbot, dialog, lambda: page.mapping_box.choose(AGILE, "criterion:EXP1"))
    assert page.mapping_box.mapping()["EXP1 example"] == "ignore"
    assert "“EXP1 example” now not imported" in page.mapping_box.note.text()
    _preview(qtbot, dialog, lambda: page.mapping_box.choose(AGILE, "ignore"))
    assert page.title.text() == "2 parts of applications ready to import"  # statements only
    _preview(qtbot, dialog, lambda: page.mapping_box.choose("EXP1 example", "criterion:EXP1"))

    # Nothing is written by a preview.
    assert apps.show_application(ctx, campaign_id, "0001").parts == ()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT) as done:
        _click(qtbot, dialog.import_button)
    report = done.args[0]
    assert (report.imported, report.parts) == (2, 4)
    assert dialog.step == "report"
    assert dialog.report_page.title.text() == "Imported the applications of 2 candidates"
    assert _rows(dialog.report_page.findings.problems) == [
        ("Line 4", "", f"There is no candidate numbered '0099' in {REFERENCE}"),
    ]
    sian = apps.show_application(ctx, campaign_id, "0001")
    assert [(p.kind, p.criterion, p.text) for p in sian.parts] == [
        ("statement", "", "I am Siân Evans and I studied at Hogwarts."),
        ("answer", "EXP1", "Payments in Python."),
    ]
    _click(qtbot, dialog.close_button)
    assert tab.dialog is None


def test_documents_and_a_mapping_that_will_not_do(qtbot, context, campaign_id, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "0002 CV.txt").write_text("Tomasz Nowak, Java developer.", encoding="utf-8")
    (folder / "notes.txt").write_text("whose?", encoding="utf-8")
    table = tmp_path / "no number.csv"
    table.write_text("Name,Personal statement\nSiân,Hello\n", encoding="utf-8")
    dialog = ImportApplicationsDialog(context, campaign_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_paths(tmp_path / "missing.csv", None)
    _click(qtbot, dialog.preview_button)
    assert dialog.choose_page.table_error.text().startswith("There is no file at")
    assert dialog.step == "choose"

    dialog.set_paths(table, folder)
    _preview(qtbot, dialog, dialog.preview)
    page = dialog.preview_page
    # No column says whose each line is: the columns are shown to put it right.
    assert page.mapping_box.mapping() == {"Name": "ignore", "Personal statement": "statement"}
    assert "candidate number or the e-mail address" in page.note.text()
    assert not dialog.import_button.isEnabled()
    assert _rows(page.findings.problems) == [
        ("notes.txt", "", "Its name gives no candidate number or e-mail address of this campaign")
    ]
    assert "documents: 1 document for 1 candidate." in page.summary.text()

    dialog.set_paths(None, folder)  # the documents alone
    _preview(qtbot, dialog, dialog.preview)
    assert page.mapping_box.isHidden()
    assert dialog.import_button.isEnabled()
    # Cancelled before it could start (the single writer is kept busy till then): nothing.
    gate = threading.Event()
    context.writes.start(gate.wait)
    _click(qtbot, dialog.import_button)
    assert not dialog.import_button.isEnabled() and dialog.job is not None
    dialog.job.cancel()
    with qtbot.waitSignal(dialog.step_shown, timeout=TIMEOUT):
        gate.set()
    assert page.note.text() == "The import was cancelled; nothing was added."
    ctx = context.service_context()
    assert apps.show_application(ctx, campaign_id, "0002").parts == ()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        _click(qtbot, dialog.import_button)
    (cv,) = apps.show_application(ctx, campaign_id, "0002").documents
    assert (cv.kind, cv.label, cv.has_file) == ("cv", "0002 CV.txt", True)


# --- name-blind text -------------------------------------------------------------------


def _imported(context, campaign_id, tmp_path) -> None:
    report = apps.import_applications(context.service_context(), campaign_id, _answers(tmp_path))
    assert report.parts == 5


def _open_review(qtbot, tab: CandidatesTab) -> ReviewDialog:
    _click(qtbot, tab.review_redaction_button)
    dialog = tab.dialog
    assert isinstance(dialog, ReviewDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=TIMEOUT)
    return dialog


def _select(dialog: ReviewDialog, words: str) -> None:
    text = dialog.current.text
    start = text.index(words)
    cursor = dialog.original.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    dialog.original.setTextCursor(cursor)


def test_the_review_hides_a_selected_word_and_saves_it(
    qtbot, qtmodeltester, context, campaign_id, tmp_path
):
    _imported(context, campaign_id, tmp_path)
    tab = _open_tab(qtbot, context, campaign_id)
    dialog = _open_review(qtbot, tab)
    qtmodeltester.check(dialog.model, force_py=True)
    assert _rows(dialog.model)[0] == ("0001", "Personal statement", "1", "Not yet")
    assert dialog.count.text() == "5 parts: 5 still to check"
    assert dialog.current.candidate_number == "0001"
    assert dialog.redacted.toPlainText() == "I am [name] and I studied at Hogwarts."
    assert dialog.hidden_list.item(0).text() == "“Siân Evans” → [name]"
    assert not dialog.hide_button.isEnabled()

    _select(dialog, "Hogwarts")
    assert dialog.hide_button.isEnabled()
    _click(qtbot, dialog.hide_button)
    assert dialog.redacted.toPlainText() == "I am [name] and I studied at [removed]."
    assert dialog.hidden_list.count() == 2
    assert dialog.model.index(0, 3).data() == "Unsaved"

    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        _click(qtbot, dialog.save_button)
    ctx = context.service_context()
    view = apps.show_application(ctx, campaign_id, "0001", redacted=True)
    assert view.parts[0].text == "I am [name] and I studied at [removed]."
    item = next(i for i in apps.redaction_review(ctx, campaign_id) if i.id == dialog.current.id)
    assert item.checked and [s.kind for s in item.spans] == ["name", "manual"]
    assert dialog.model.index(0, 3).data() == "Checked"
    assert dialog.count.text() == "5 parts: 4 still to check"

    # Show the name again, then someone else saves first: told, and their version shown.
    dialog.hidden_list.setCurrentRow(0)
    _click(qtbot, dialog.show_button)
    assert dialog.redacted.toPlainText() == "I am Siân Evans and I studied at [removed]."
    apps.correct_redaction(ctx, item.id, [], expected_version=item.version)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        _click(qtbot, dialog.save_button)
    assert isinstance(dialog.error_box, QMessageBox)
    assert "changed by Alex Manager" in dialog.error_box.text()
    dialog.error_box.close()
    assert dialog.redacted.toPlainText() == "I am Siân Evans and I studied at Hogwarts."
    assert dialog.model.drafts == {}


def test_the_review_filters_and_asks_before_losing_changes(qtbot, context, campaign_id, tmp_path):
    _imported(context, campaign_id, tmp_path)
    dialog = ReviewDialog(context, campaign_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        dialog.load()
    qtbot.keyClicks(dialog.number_filter, "0002")
    assert {r[0] for r in _rows(dialog.proxy)} == {"0002"}
    assert dialog.current.candidate_number == "0002"
    # Words chosen from the keyboard: shift and the arrows in the original.
    cursor = dialog.original.textCursor()
    cursor.setPosition(dialog.current.text.index("PRINCE2"))
    dialog.original.setTextCursor(cursor)
    dialog.original.setFocus()
    for _ in "PRINCE2":
        qtbot.keyClick(dialog.original, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.original.textCursor().selectedText() == "PRINCE2"
    _click(qtbot, dialog.hide_button)
    assert dialog.redacted.toPlainText() == "[name] here: a [removed] practitioner."
    dialog.reject()
    box = dialog.question
    assert isinstance(box, QMessageBox) and dialog.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.model.drafts
    dialog.reject()
    dialog.question.button(QMessageBox.StandardButton.Discard).click()
    assert not dialog.isVisible()


def test_offsets_beyond_the_basic_plane_and_span_edits() -> None:
    text = "I 😀 am Siân"
    offsets = Offsets(text)
    assert offsets.to_qt(4) == 5 and offsets.from_qt(5) == 4
    spans = hide(text, (), 4, 11)  # "am Siân"
    assert marked(text, spans) == ("I 😀 [removed]", [(4, 13)])
    assert hide(text, spans, 1, 2) == spans  # a space alone hides nothing
    assert show_again(spans, 0) == ()


# --- searching -----------------------------------------------------------------------


def test_search_finds_a_word_and_opens_the_application(
    qtbot, qtmodeltester, context, campaign_id, tmp_path
):
    _imported(context, campaign_id, tmp_path)
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "0002 CV.txt").write_text("PRINCE2 Practitioner, 2019.", encoding="utf-8")
    apps.import_applications(context.service_context(), campaign_id, None, documents=folder)
    tab = _open_tab(qtbot, context, campaign_id)
    _click(qtbot, tab.search_applications_button)
    dialog = tab.dialog
    assert isinstance(dialog, SearchDialog)
    qtbot.keyClicks(dialog.words, "prince2")
    with qtbot.waitSignal(dialog.searched, timeout=TIMEOUT):
        qtbot.keyClick(dialog.words, Qt.Key.Key_Return)
    qtmodeltester.check(dialog.model, force_py=True)
    assert _rows(dialog.model) == [
        ("0002", "Personal statement", "Tomasz here: a PRINCE2 practitioner."),
        ("0002", "0002 CV.txt", "PRINCE2 Practitioner, 2019."),
    ]
    assert dialog.count.text() == "“prince2” is in 2 parts of the application of 1 candidate."

    dialog.table.activated.emit(dialog.model.index(1, 0))
    viewer = dialog.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.view is not None, timeout=TIMEOUT)
    assert viewer.part.label == "0002 CV.txt"
    assert viewer.text.toPlainText() == "PRINCE2 Practitioner, 2019."
    assert len(viewer.text.extraSelections()) == 1  # the word found, highlighted
    opened = []
    viewer.open_url = lambda url: opened.append(url.toLocalFile()) or True
    with qtbot.waitSignal(viewer.file_opened, timeout=TIMEOUT) as written:
        _click(qtbot, viewer.open_button)
    path = written.args[0]
    assert opened == [str(path)]
    assert path.read_text(encoding="utf-8") == "PRINCE2 Practitioner, 2019."
    shown = [viewer.parts.item(n).text() for n in range(viewer.parts.count())]
    assert shown[:2] == ["Personal statement", "CV: 0002 CV.txt"]
    assert shown[2].endswith("(EXP1)") and len(shown) == 3
    viewer.parts.setCurrentRow(0)  # the statement came as text: no file to open
    assert not viewer.open_button.isEnabled()
    _click(qtbot, viewer.close_button)
    assert not path.exists()  # the copy with personal data is gone
    assert dialog.viewer is None

    dialog.words.setText("nowhere to be found")
    with qtbot.waitSignal(dialog.searched, timeout=TIMEOUT):
        _click(qtbot, dialog.search_button)
    assert dialog.model.rowCount() == 0
    assert dialog.count.text() == "“nowhere to be found” appears in no application."


# --- who sees the buttons ------------------------------------------------------------


def test_a_panel_member_sees_none_of_the_application_buttons(
    qtbot, make_context, sqlite_url, context, campaign_id
):
    from recruit_app.services.people import create_person
    from recruit_app.services.stages import SeatChoice, set_panel, stages_overview

    ctx = context.service_context()
    pat = create_person(ctx, name="Pat Panel", email="pat@example.org")
    sift = stages_overview(ctx, campaign_id).stages[0]
    assert sift.name == "CV sift" and sift.name_blind
    set_panel(ctx, sift.id, [SeatChoice(pat.id, "member", 1)], expected_version=sift.version)
    manager = _open_tab(qtbot, context, campaign_id)
    names = ("importApplicationsButton", "reviewRedactionButton", "searchApplicationsButton")
    for name in names:
        assert manager.findChild(QPushButton, name).isVisible(), name

    panel = make_context(sqlite_url, Actor("Pat Panel", "panel_member", pat.id))
    tab = _open_tab(qtbot, panel, campaign_id)
    for name in names:
        button = tab.findChild(QPushButton, name)
        assert button is not None and not button.isVisible(), name
    tab.import_applications()  # not even when asked directly
    tab.review_redaction()
    tab.search_applications()
    assert tab.dialog is None
