"""The Candidates tab and its import wizard, driven through real widgets on the demo campaign."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from recruit_app.services import candidates as candidate_svc
from recruit_app.services.access import NAME_BLIND_RULE
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.candidates import CandidateView
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.stages import stages_overview
from recruit_app.settings import Settings
from ui.candidates.data import CandidatesData
from ui.candidates.model import EMAIL, FLAGS, NAME, NUMBER, STATUS, prepare
from ui.candidates.tab import CandidatesTab
from ui.context import AppContext
from ui.progress import JobProgress

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 10_000

# Line 3 has a malformed e-mail, line 4 repeats line 2's, line 6 is already in the demo.
# Mapped by "Personal email" instead, only line 4 ('grace@@example') is wrong.
PEOPLE_CSV = (
    "First name,Last name,Email,Personal email,Team\n"
    "Ada,Lovelace,ada@example.org,ada.l@example.com,Engines\n"
    "Alan,Turing,not-an-email,alan@example.com,Bletchley\n"
    "Grace,Hopper,ADA@example.org,grace@@example,Navy\n"
    "Katherine,Johnson,kj@example.org,kj@example.com,NASA\n"
    "Mary,Jackson,niamh.obrien@example.org,mary@example.com,NASA\n"
)


@pytest.fixture
def demo_on(qtbot):
    """An app context on `url` holding the demo campaign, and the campaign's id."""
    contexts: list[AppContext] = []

    def make(url: str, actor: Actor | None = None) -> tuple[AppContext, int]:
        owner = AppContext(Settings(), actor=Actor("Alex Manager"))
        owner.use_database(open_db(url))
        contexts.append(owner)
        ctx = owner.service_context()
        build_demo(ctx, today=DEMO_DAY)
        campaign_id = campaign_id_for(ctx, "283922")
        if actor is None:
            return owner, campaign_id
        context = AppContext(Settings(), actor=actor)
        context.use_database(open_db(url))
        contexts.append(context)
        return context, campaign_id

    yield make
    for context in contexts:
        context.shutdown()


def _open(qtbot, tab: CandidatesTab) -> CandidatesTab:
    qtbot.addWidget(tab)
    tab.resize(1180, 720)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


@pytest.fixture
def tab(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    return _open(qtbot, CandidatesTab(context, campaign_id))


def _column(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _double_click_row(qtbot, table, row: int) -> None:
    centre = table.visualRect(table.model().index(row, NAME)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def _choose_stage(qtbot, tab: CandidatesTab, name: str) -> None:
    combo = tab.stage_combo
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText(name))
        combo.activated.emit(combo.currentIndex())


def _count(tab: CandidatesTab) -> int:
    ctx = tab.context.service_context()
    return len(candidate_svc.list_candidates(ctx, tab.campaign_id))


def _step(qtbot, wizard, click, step: str) -> None:
    with qtbot.waitSignal(wizard.step_shown, timeout=TIMEOUT, check_params_cb=lambda s: s == step):
        click()


def _open_wizard(qtbot, tab: CandidatesTab, path: Path):
    tab.import_file(path)
    wizard = tab.dialog
    qtbot.waitUntil(lambda: wizard.step == "mapping", timeout=TIMEOUT)
    return wizard


def _rows(model) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_everyone_with_flags_and_a_count(qtbot, qtmodeltester, demo_on, db_url):
    context, campaign_id = demo_on(db_url)
    tab = _open(qtbot, CandidatesTab(context, campaign_id))
    model = tab.model
    qtmodeltester.check(model)
    assert model.rowCount() == 40
    assert tab.count.text() == "40 candidates"
    assert [model.index(0, c).data() for c in (NUMBER, NAME, EMAIL, STATUS)] == [
        "0001",
        "Siân Evans",
        "sian.evans@example.org",
        "Progressed (Technical exercise)",
    ]
    flags = dict(zip(_column(model, NUMBER), _column(model, FLAGS), strict=True))
    assert flags["0001"] == "Adj +15 min"
    assert flags["0005"] == "GIS"
    assert flags["0012"] == "RIS"
    assert flags["0009"] == "Away ×2"
    assert flags["0002"] == ""
    away = model.index(8, FLAGS).data(Qt.ItemDataRole.ToolTipRole)
    assert away == "Unavailable: Tue 8 Dec 2026, Wed 9 Dec 2026"
    assert (
        model.index(0, FLAGS)
        .data(Qt.ItemDataRole.ToolTipRole)
        .startswith("Adjustments: Extra 15 minutes")
    )
    assert model.index(0, STATUS).data(Qt.ItemDataRole.ToolTipRole) == (
        "CV sift: Progressed\nTechnical exercise: Progressed"
    )
    assert not tab.notice.isVisible()
    assert not tab.table.isColumnHidden(EMAIL)

    # The model tester keeps watching while the view sorts and filters.
    tab.table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    tab.search.setText("o")
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("reject"))
    assert 0 < model.rowCount() < 40


def test_search_narrows_by_surname_number_or_email(qtbot, tab):
    qtbot.keyClicks(tab.search, "brien")
    assert _column(tab.model, NAME) == ["Niamh O'Brien"]
    assert tab.count.text() == "40 candidates, 1 shown"
    tab.search.setText("SIAN")  # no accent, any case
    assert _column(tab.model, NAME) == ["Siân Evans"]
    tab.search.setText("0007")
    assert _column(tab.model, NAME) == ["José García"]
    tab.search.setText("@example.com")
    assert len(_column(tab.model, NAME)) == 13
    tab.search.setText("nobody by this name")
    assert tab.model.rowCount() == 0
    assert tab.count.text() == "40 candidates, 0 shown"
    tab.search.clear()
    assert tab.count.text() == "40 candidates"


def test_filtering_by_stage_and_status(qtbot, tab):
    _choose_stage(qtbot, tab, "Video interview")
    assert tab.model.rowCount() == 8
    assert _column(tab.model, NUMBER) == ["0001", "0003", "0005", "0009", "0014", "0018", "0023",
                                          "0028"]  # fmt: skip
    assert tab.count.text() == "8 candidates reached Video interview"
    tab.search.setText("ravi")
    assert tab.count.text() == "8 candidates reached Video interview, 1 shown"
    tab.search.clear()

    _choose_stage(qtbot, tab, "All candidates")
    combo = tab.status_combo
    combo.setCurrentIndex(combo.findText("Not progressed"))
    assert tab.count.text() == "40 candidates, 32 shown"
    assert set(_column(tab.model, STATUS)) == {
        "Not progressed (CV sift)",
        "Not progressed (Technical exercise)",
    }
    combo.setCurrentIndex(combo.findText("Progressed"))
    assert tab.model.rowCount() == 8


def test_sorting_by_number_and_name_keeps_the_selection(qtbot, tab):
    table, header = tab.table, tab.table.horizontalHeader()
    tab.select_candidate(tab.model.candidate_at(3).id)  # Niamh O'Brien
    x = header.sectionViewportPosition(NAME) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == NAME
    names = _column(tab.model, NAME)
    assert names[:4] == [
        "Agnieszka Kowalczyk",
        "Amélie Dubois",
        "Anaïs Lefèvre",
        "Aoife Ní Bhriain",
    ]
    assert names[-1] == "Zoë Clarke"
    assert [c.first_name for c in tab.selected_candidates()] == ["Niamh"]
    assert table.currentIndex().row() == names.index("Niamh O'Brien")

    table.sortByColumn(NUMBER, Qt.SortOrder.DescendingOrder)
    assert _column(tab.model, NUMBER)[:2] == ["0040", "0039"]
    assert [c.first_name for c in tab.selected_candidates()] == ["Niamh"]
    table.sortByColumn(FLAGS, Qt.SortOrder.DescendingOrder)
    assert _column(tab.model, NUMBER)[0] == "0001"  # two flags, the most


def test_filtering_and_sorting_ten_thousand_rows(qtbot, tab):
    """How quickly is for the benchmarks (candidate list search and sort jobs)."""
    views = [
        CandidateView(
            id=n, version=1, candidate_number=f"{n:05d}", first_name=f"Given{n}",
            last_name=f"Family{n % 977}", email=f"person{n}@example.org", phone="",
            guaranteed_interview=n % 17 == 0, redeployment=False, adjustments="",
            extra_minutes=0, unavailable_dates=(), extra={}, outcomes={}, status="Applied",
        )
        for n in range(1, 10_001)
    ]  # fmt: skip
    tab.fill(CandidatesData((), None, prepare(views)))
    assert tab.count.text() == "10,000 candidates"
    for text, shown in (("family12", 121), ("family1", 1221), ("person99", 111), ("", 10_000)):
        tab.search.setText(text)
        assert tab.model.rowCount() == shown, text
    tab.search.setText("family976")
    assert tab.count.text() == "10,000 candidates, 10 shown"
    assert _column(tab.model, NAME)[0] == "Given976 Family976"  # by number until sorted
    tab.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    names = _column(tab.model, NAME)
    assert names[0] == "Given1953 Family976" and names == sorted(names, key=str.casefold)
    assert tab.count.text() == "10,000 candidates, 10 shown"


# --- editing -------------------------------------------------------------------------


def test_an_email_another_candidate_has_is_refused_beside_the_field(qtbot, demo_on, db_url):
    context, campaign_id = demo_on(db_url)
    tab = _open(qtbot, CandidatesTab(context, campaign_id))
    _double_click_row(qtbot, tab.table, 0)
    dialog = tab.dialog
    assert dialog.objectName() == "candidateDialog"
    assert dialog.first_name.text() == "Siân"
    assert dialog.extra_minutes.value() == 15
    dialog.email.setText("Niamh.OBrien@example.org")
    _click(qtbot, dialog.save_button)
    error = dialog.findChild(QLabel, "emailError")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert error.text() == "Another candidate in this campaign has that e-mail."
    assert dialog.isVisible()
    assert dialog.email.text() == "Niamh.OBrien@example.org"

    dialog.email.setText("sian.evans@example.net")
    dialog.guaranteed.setChecked(True)
    dialog.dates.add(date(2026, 12, 10))
    with qtbot.waitSignal(context.bus.changed, timeout=TIMEOUT) as told:
        _click(qtbot, dialog.save_button)
    assert told.args == [frozenset({"candidates"})]
    assert not dialog.isVisible()
    assert tab.model.index(0, EMAIL).data() == "sian.evans@example.net"
    assert tab.model.index(0, FLAGS).data() == "GIS Adj +15 min Away ×1"
    assert [c.candidate_number for c in tab.selected_candidates()] == ["0001"]
    saved = candidate_svc.list_candidates(context.service_context(), campaign_id)[0]
    assert (saved.email, saved.unavailable_dates) == ("sian.evans@example.net", ("2026-12-10",))


def test_a_newer_save_is_offered_to_reload(qtbot, tab):
    tab.select_candidate(tab.model.candidate_at(1).id)
    _click(qtbot, tab.edit_button)
    dialog = tab.dialog
    ctx = tab.context.service_context()
    zoe = tab.model.candidate_at(1)
    candidate_svc.update_candidate(ctx, zoe.id, {"phone": "0161 496 0000"}, expected_version=1)
    dialog.phone.setText("020 7946 0999")
    _click(qtbot, dialog.save_button)
    qtbot.waitUntil(dialog.reload_button.isVisible, timeout=TIMEOUT)
    assert dialog.form_error.text().startswith("Candidate 0002 was changed by Alex Manager")
    with qtbot.waitSignal(dialog.reload_button.clicked, timeout=TIMEOUT):
        _click(qtbot, dialog.reload_button)
    qtbot.waitUntil(lambda: not dialog.reload_button.isVisible(), timeout=TIMEOUT)
    assert "Their version: Zoë Clarke, zoe.clarke@example.net, 0161 496 0000." in (
        dialog.form_error.text()
    )
    assert dialog.phone.text() == "020 7946 0999"  # what was typed is kept
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        _click(qtbot, dialog.save_button)
    assert candidate_svc.list_candidates(ctx, tab.campaign_id)[1].phone == "020 7946 0999"


def test_a_late_paper_application_is_added_by_hand_with_an_imports_checks(qtbot, tab):
    before = _count(tab)
    _click(qtbot, tab.add_button)
    dialog = tab.dialog
    assert dialog.objectName() == "newCandidateDialog"
    assert dialog.windowTitle() == "Add a candidate"
    assert dialog.number.placeholderText() == "Leave blank for the next number"
    qtbot.keyClicks(dialog.first_name, "Aoife")
    dialog.last_name.setText("Ní Bhriain")  # QTest types no accented letters
    qtbot.keyClicks(dialog.email, "NIAMH.OBRIEN@example.org")  # the demo's Niamh has it
    _click(qtbot, dialog.save_button)
    error = dialog.findChild(QLabel, "emailError")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert error.text() == "Already in this campaign."
    assert _count(tab) == before  # nothing added
    dialog.email.setText("aoife@example.org")
    dialog.extra_minutes.setValue(10)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        _click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    number = f"{before + 1:04d}"
    assert [c.candidate_number for c in tab.selected_candidates()] == [number]
    chosen = tab.selected_candidates()[0]
    assert (chosen.first_name, chosen.last_name, chosen.email, chosen.extra_minutes) == (
        "Aoife",
        "Ní Bhriain",
        "aoife@example.org",
        10,
    )
    assert tab.count.text().startswith(f"{before + 1} candidates")


def test_a_panel_member_is_not_offered_adding_a_candidate(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url, Actor("Tom Okonkwo", role="panel_member"))
    tab = CandidatesTab(context, campaign_id)
    qtbot.addWidget(tab)
    assert not tab.add_button.isEnabled()
    assert tab.add_button.toolTip().startswith("Add one candidate by hand")


# --- importing -----------------------------------------------------------------------


def test_the_wizard_previews_remaps_and_imports(qtbot, qtmodeltester, tab, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE_CSV, encoding="utf-8")
    _click(qtbot, tab.import_button)
    chooser = tab.dialog
    assert chooser.objectName() == "importFileDialog"
    chooser.setDirectory(str(tmp_path))
    chooser.selectFile(str(path))
    chooser.accept()
    qtbot.waitUntil(lambda: getattr(tab.dialog, "step", "") == "mapping", timeout=TIMEOUT)
    wizard = tab.dialog
    page = wizard.mapping_page
    assert page.title.text() == "Match the columns of people.csv"
    assert page.mapping() == {
        "First name": "first_name",
        "Last name": "last_name",
        "Email": "email",
        "Personal email": "extra",
        "Team": "extra",
    }
    assert page.combos["Email"].currentText() == "E-mail"
    assert page.findChild(QLabel, "example:Team").text() == "Engines"

    _step(qtbot, wizard, lambda: _click(qtbot, wizard.next_button), "preview")
    preview = wizard.preview_page
    assert preview.title.text() == "2 rows ready to import"
    assert _rows(preview.problems) == [
        ("3", "Email", "Malformed e-mail 'not-an-email'"),
        ("4", "Email", "Duplicate of line 2"),
        ("6", "Email", "Already in this campaign"),
    ]
    assert preview.problems_box.title() == "Rows with problems (3)"
    qtmodeltester.check(preview.problems)
    assert [r[:4] for r in _rows(preview.sample)] == [
        ("2", "Ada", "Lovelace", "ada@example.org"),
        ("5", "Katherine", "Johnson", "kj@example.org"),
    ]
    assert _rows(preview.sample)[0][6] == "Personal email: ada.l@example.com; Team: Engines"
    assert wizard.import_button.text() == "&Import 2 candidates"

    # Take the e-mail from the other column: the first becomes other information.
    _step(qtbot, wizard, lambda: _click(qtbot, wizard.back_button), "mapping")
    page.choose("Personal email", "email")
    assert page.mapping()["Email"] == "extra"
    assert page.note.text() == (
        "“Email” now kept as other information: E-mail comes from “Personal email”."
    )
    _step(qtbot, wizard, lambda: _click(qtbot, wizard.next_button), "preview")
    assert preview.title.text() == "4 rows ready to import"
    assert _rows(preview.problems) == [("4", "Personal email", "Malformed e-mail 'grace@@example'")]

    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        _click(qtbot, wizard.import_button)
    assert wizard.step == "report"
    report = wizard.report_page
    assert report.title.text() == "Imported 4 candidates"
    assert (
        report.summary.text()
        == "Their candidate numbers: 0041 to 0044. 1 row skipped, listed below."
    )
    assert _rows(report.skipped) == [("4", "Personal email", "Malformed e-mail 'grace@@example'")]
    assert tab.count.text() == "44 candidates"
    assert tab.model.index(40, NAME).data() == "Ada Lovelace"
    assert tab.model.index(40, EMAIL).data() == "ada.l@example.com"
    _click(qtbot, wizard.close_button)
    assert tab.dialog is None


def test_a_workbook_whose_headings_are_not_recognised(qtbot, tab, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Given", "Family", "Contact", "Extra time (minutes)"])
    sheet.append(["Aoife", "Ní Bhriain", "aoife@example.ie", 15])
    sheet.append(["Tom", "Jones", "tom@example.ie", 0])
    workbook.save(tmp_path / "people.xlsx")
    wizard = _open_wizard(qtbot, tab, tmp_path / "people.xlsx")
    page = wizard.mapping_page
    assert page.form_error.text() == "Choose the column that holds candidates' e-mail addresses."
    assert page.mapping()["Extra time (minutes)"] == "extra_minutes"
    page.choose("Given", "first_name")
    page.choose("Family", "last_name")
    page.choose("Contact", "email")
    assert not page.form_error.isVisible()
    _step(qtbot, wizard, lambda: _click(qtbot, wizard.next_button), "preview")
    assert wizard.preview_page.title.text() == "2 rows ready to import"
    assert _rows(wizard.preview_page.sample)[0][6] == "+15 minutes"
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        _click(qtbot, wizard.import_button)
    assert tab.count.text() == "42 candidates"


def test_choosing_the_same_field_twice_or_none_is_explained(qtbot, tab, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE_CSV, encoding="utf-8")
    wizard = _open_wizard(qtbot, tab, path)
    page = wizard.mapping_page
    page.choose("Email", "ignore")
    _step(qtbot, wizard, lambda: _click(qtbot, wizard.next_button), "mapping")
    assert page.form_error.text() == "Choose the column that holds candidates' e-mail addresses."
    assert wizard.step == "mapping"


def test_a_file_that_cannot_be_read_says_why(qtbot, tab, tmp_path):
    path = tmp_path / "people.ods"
    path.write_bytes(b"not really")
    tab.import_file(path)
    wizard = tab.dialog
    qtbot.waitUntil(lambda: "cannot be imported" in wizard.loading.text(), timeout=TIMEOUT)
    assert "Save it from your spreadsheet program" in wizard.loading.text()
    assert not wizard.next_button.isVisible()


def test_cancelling_a_big_import_adds_nothing(qtbot, demo_on, db_url, tmp_path, monkeypatch):
    context, campaign_id = demo_on(db_url)
    tab = _open(qtbot, CandidatesTab(context, campaign_id))
    rows = "".join(f"Given{n},Family{n},p{n}@example.org\n" for n in range(20_000))
    path = tmp_path / "big.csv"
    path.write_text("First name,Last name,Email\n" + rows, encoding="utf-8")
    report = JobProgress.report

    def pausing(self, done, total, phase):
        report(self, done, total, phase)
        if phase == "Adding candidates":
            # Hold the worker after its first batch until the person has pressed Cancel.
            self._stop.wait(TIMEOUT / 1000)

    monkeypatch.setattr(JobProgress, "report", pausing)
    wizard = _open_wizard(qtbot, tab, path)
    _step(qtbot, wizard, lambda: _click(qtbot, wizard.next_button), "preview")
    assert wizard.preview_page.title.text() == "20,000 rows ready to import"
    _click(qtbot, wizard.import_button)
    job = wizard.job
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=TIMEOUT)
    progress = job.dialog
    qtbot.waitUntil(lambda: progress.labelText() == "Adding candidates…", timeout=TIMEOUT)
    assert progress.value() == 100  # the first 2,000 of 20,000, in tenths of a percent
    assert not wizard.import_button.isEnabled()
    cancel = progress.findChild(QPushButton)
    _step(qtbot, wizard, lambda: qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton), "preview")
    assert wizard.preview_page.note.text() == "The import was cancelled; nothing was added."
    assert wizard.job is None and wizard.import_button.isEnabled()
    assert _count(tab) == 40
    assert tab.count.text() == "40 candidates"


# --- name-blind ----------------------------------------------------------------------


def test_a_panel_member_sees_numbers_only_at_a_name_blind_stage(qtbot, demo_on, sqlite_url):
    owner, campaign_id = demo_on(sqlite_url)
    sift = stages_overview(owner.service_context(), campaign_id).stages[0]
    hannah = next(seat for seat in sift.panel if seat.name == "Hannah Lee")
    context, _ = demo_on(
        sqlite_url, Actor("Hannah Lee", role="panel_member", person_id=hannah.person_id)
    )
    tab = _open(qtbot, CandidatesTab(context, campaign_id))
    _choose_stage(qtbot, tab, "CV sift")
    model = tab.model
    assert model.rowCount() == 40
    assert _column(model, NAME)[:2] == ["Candidate 0001", "Candidate 0002"]
    assert set(_column(model, EMAIL)) == {""}
    assert tab.table.isColumnHidden(EMAIL)  # an empty column is no use
    assert tab.table.isColumnHidden(NAME)  # it would only repeat the number
    assert tab.search.placeholderText() == "Search by number"
    shown = " ".join(
        str(model.index(r, c).data(role))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    )
    for name in ("Siân", "Evans", "O'Brien", "example.org"):
        assert name not in shown
    assert tab.notice.isVisible()
    assert tab.notice.text() == NAME_BLIND_RULE
    tab.search.setText("0004")
    assert _column(model, NAME) == ["Candidate 0004"]
    tab.search.setText("niamh")  # a name finds nobody: names are not searched when hidden
    assert model.rowCount() == 0
    tab.search.clear()
    tab.table.selectRow(0)
    assert not tab.edit_button.isEnabled()
    assert not tab.import_button.isEnabled()
    _double_click_row(qtbot, tab.table, 0)
    assert tab.dialog is None


def test_a_name_blind_stage_shows_a_panel_member_no_personal_detail(qtbot, demo_on, sqlite_url):
    """Not only the name: no scheme flag, adjustment, extra time, unavailable date or other
    information (issue 12); the manager's list still shows them all."""
    owner, campaign_id = demo_on(sqlite_url)
    ctx = owner.service_context()
    sift = stages_overview(ctx, campaign_id).stages[0]
    first = candidate_svc.list_candidates(ctx, campaign_id)[0]
    candidate_svc.update_candidate(
        ctx,
        first.id,
        {
            "guaranteed_interview": True,
            "redeployment": True,
            "adjustments": "Quillramp access",
            "extra_minutes": 37,
            "unavailable_dates": ["2027-02-03"],
        },
        expected_version=first.version,
    )
    hannah = next(seat for seat in sift.panel if seat.name == "Hannah Lee")
    context, _ = demo_on(
        sqlite_url, Actor("Hannah Lee", role="panel_member", person_id=hannah.person_id)
    )
    tab = _open(qtbot, CandidatesTab(context, campaign_id))
    _choose_stage(qtbot, tab, "CV sift")
    model = tab.model
    shown = " ".join(
        str(model.index(r, c).data(role))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    )
    for detail in ("GIS", "RIS", "Quillramp", "Adj", "+37", "37 min", "Away", "3 Feb"):
        assert detail not in shown, detail
    assert set(_column(model, FLAGS)) <= {"", None}
    assert tab.table.isColumnHidden(FLAGS)
    assert "scheme flags, adjustments" in tab.notice.text()
    managing = _open(qtbot, CandidatesTab(owner, campaign_id))
    _choose_stage(qtbot, managing, "CV sift")
    flags = _column(managing.model, FLAGS)
    assert any("GIS" in (f or "") and "+37 min" in (f or "") for f in flags)
    assert not managing.table.isColumnHidden(FLAGS)
    assert not managing.table.isColumnHidden(NAME)
    assert managing.search.placeholderText() == "Search by number, name or e-mail"


def test_after_an_import_the_list_says_it_is_adding_them_until_it_is_read(qtbot, tab):
    from recruit_app.services.candidates import ImportReport

    before = tab.model.total
    tab._imported(ImportReport(60_000, (), False))
    assert tab.count.text() == "Adding 60,000 new candidates to the list…"
    assert not tab.table.isEnabled()  # nothing to pick from a list being replaced
    qtbot.waitSignal(tab.loaded, timeout=TIMEOUT).wait()
    assert tab.table.isEnabled()
    assert tab.count.text().startswith(f"{before} candidates")
