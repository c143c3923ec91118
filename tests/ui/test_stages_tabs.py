"""The Stages and Assessment matrix tabs, driven through real widgets on real databases."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QPushButton
from sqlmodel import select

from db.models import AdvertCriterion, Candidate, Person, Score, Stage, StageCriterion
from recruit_app.services import stages as svc
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.people import create_person
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.stages.dialogs import AddStageDialog, PersonDialog
from ui.stages.matrix_model import FIRST_STAGE
from ui.stages.matrix_tab import MatrixTab
from ui.stages.panel import ROLE
from ui.stages.stages_tab import StagesTab

CLICK = Qt.MouseButton.LeftButton
SIFT, EXERCISE, INTERVIEW = range(3)  # the template's stages, in order


# --- fixtures and helpers ------------------------------------------------------------


@pytest.fixture
def make_context(qtbot, app_home):
    """An app context on a database URL; shut down (workers waited for) before widgets close."""
    contexts: list[AppContext] = []

    def make(url: str) -> AppContext:
        context = AppContext(Settings(), actor=Actor("Alex Manager"))
        context.use_database(open_db(url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def context(make_context, sqlite_url):
    return make_context(sqlite_url)


def _campaign(context: AppContext):
    return create_from_template(
        context.service_context(), "DDAT-DEV-SEO", title="Developer", reference="DEV-1"
    )


def _open(qtbot, cls, context: AppContext, campaign_id: int):
    tab = cls(context, campaign_id)
    qtbot.addWidget(tab)
    tab.resize(1280, 780)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.load()
    return tab


def _overview(context: AppContext, campaign_id: int):
    return svc.stages_overview(context.service_context(), campaign_id)


def _column(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _save(qtbot, tab) -> None:
    """Ctrl+S, as a person saves; waits for the save and the reload it causes."""
    tab.activateWindow()  # the shortcut belongs to the tab's window, which must be active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab, timeout=5000)
    target = QApplication.focusWidget() or tab
    with qtbot.waitSignals([tab.saved, tab.loaded], timeout=10_000):
        qtbot.keyClick(target, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def _score(context: AppContext, stage_id: int, code: str) -> None:
    """A score on `code` at the stage: what makes a stage, and its cells, permanent."""
    with context.database.session() as session:
        stage = session.get(Stage, stage_id)
        cell = session.exec(
            select(StageCriterion)
            .join(AdvertCriterion, AdvertCriterion.id == StageCriterion.advert_criterion_id)
            .where(StageCriterion.stage_id == stage_id, AdvertCriterion.code == code)
        ).one()
        person = Person(name="Priya Shah", email="priya@example.gov.uk")
        candidate = Candidate(campaign_id=stage.campaign_id, candidate_number="0001")
        session.add_all([person, candidate])
        session.flush()
        session.add(
            Score(
                stage_criterion_id=cell.id,
                candidate_id=candidate.id,
                assessor_id=person.id,
                value=5,
            )
        )
        session.commit()


def _open_editor(view, index, kind):
    """Start editing `index` as F2 would, and return the delegate's editor."""
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)  # the open editor of that cell
    assert isinstance(editor, kind)
    return editor


def _commit(qtbot, view, editor) -> None:
    """Enter, as a person ends an edit; Qt commits it a moment later, so wait for that."""
    index = view.currentIndex()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=5000)


# --- the stages tab ------------------------------------------------------------------


def test_the_stages_tab_lists_the_template_stages(qtbot, qtmodeltester, make_context, db_url):
    context = make_context(db_url)
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)
    assert _column(tab.model, 1) == ["CV sift", "Technical exercise", "Video interview"]
    assert _column(tab.model, 2) == ["Sift", "Technical exercise", "Video interview"]
    assert _column(tab.model, 4) == ["Online", "Online", "Video"]
    assert _column(tab.model, 5) == ["Yes", "No", "No"]
    assert _column(tab.model, 6) == ["", "", ""]
    # The first stage is open in the editor, with its settings and the panel check.
    assert tab.editor.heading.text() == "CV sift"  # the name says the kind
    assert tab.editor.form.name_edit.text() == "CV sift"
    assert tab.editor.form.name_blind.isChecked()
    assert tab.editor.form.scale.combo.currentData() == "sp7"
    assert tab.editor.form.scale.model.rowCount() == 7  # the built-in points, read-only
    assert not tab.editor.form.scale.model.flags(tab.editor.form.scale.model.index(0, 1)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert tab.editor.panel.warnings.isVisible()
    assert "CV sift has no panel yet" in tab.editor.panel.warnings.text()
    assert not tab.dirty and not tab.editor.save_button.isEnabled()
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    qtmodeltester.check(tab.model)


def test_adding_renaming_moving_and_removing_a_stage(qtbot, make_context, db_url):
    context = make_context(db_url)
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)

    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = tab.dialog
    assert isinstance(dialog, AddStageDialog) and dialog.isVisible()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("presentation"))
    assert dialog.name_edit.text() == "Presentation"  # the name follows the kind
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Final presentation")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    assert _column(tab.model, 1)[-1] == "Final presentation"
    assert tab.editor.heading.text() == "Final presentation"  # selected once added

    tab.editor.form.name_edit.selectAll()
    qtbot.keyClicks(tab.editor.form.name_edit, "Leadership presentation")
    assert tab.dirty and tab.editor.save_button.isEnabled()
    _save(qtbot, tab)
    assert not tab.dirty
    assert [s.name for s in _overview(context, campaign.id).stages][-1] == (
        "Leadership presentation"
    )

    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(tab.up_button, CLICK)
    expected = ["CV sift", "Technical exercise", "Leadership presentation", "Video interview"]
    assert _column(tab.model, 1) == expected
    assert [s.name for s in _overview(context, campaign.id).stages] == expected
    assert tab.selected_stage().name == "Leadership presentation"  # it stays selected

    qtbot.mouseClick(tab.remove_button, CLICK)
    box = tab.dialog
    assert box.text() == "Remove Leadership presentation from this campaign?"
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(box.findChild(QPushButton, "confirmRemoveStageButton"), CLICK)
    expected = ["CV sift", "Technical exercise", "Video interview"]
    assert _column(tab.model, 1) == expected
    assert [s.name for s in _overview(context, campaign.id).stages] == expected


def test_an_end_before_the_start_is_shown_beside_the_end_date(qtbot, context):
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)
    tab.select_stage(_overview(context, campaign.id).stages[EXERCISE].id)
    form = tab.editor.form
    qtbot.mouseClick(form.starts.enabled, CLICK)
    form.starts.edit.setDate(QDate(2027, 2, 2))
    qtbot.mouseClick(form.ends.enabled, CLICK)
    form.ends.edit.setDate(QDate(2027, 2, 1))
    assert tab.dirty
    qtbot.mouseClick(tab.editor.save_button, CLICK)
    error = form.errors["ends_on"]
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "Technical exercise ends before it starts."
    assert not form.errors["starts_on"].isVisible()
    # What was typed stays, to be corrected; nothing was saved.
    assert (form.starts.value(), form.ends.value()) == (date(2027, 2, 2), date(2027, 2, 1))
    assert tab.dirty
    assert _overview(context, campaign.id).stages[EXERCISE].starts_on is None

    form.ends.edit.setDate(QDate(2027, 2, 5))
    _save(qtbot, tab)
    assert not error.isVisible()
    saved = _overview(context, campaign.id).stages[EXERCISE]
    assert (saved.starts_on, saved.ends_on) == (date(2027, 2, 2), date(2027, 2, 5))
    assert _column(tab.model, 3)[EXERCISE] == "2–5 Feb 2027"


def test_a_save_over_someone_elses_change_asks_what_to_keep(qtbot, context):
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)
    sam = ServiceContext(context.database, Actor("Sam Chair"))
    sift = svc.stages_overview(sam, campaign.id).stages[SIFT]
    svc.update_stage(sam, sift.id, {"min_assessors": 3}, expected_version=sift.version)

    tab.editor.form.min_assessors.setValue(4)
    qtbot.mouseClick(tab.editor.save_button, CLICK)
    qtbot.waitUntil(lambda: isinstance(tab.editor.dialog, QMessageBox), timeout=10_000)
    box = tab.editor.dialog
    assert "The stage CV sift was changed by Sam Chair" in box.text()
    keep = next(b for b in box.buttons() if b.text() == "Keep mine")
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        qtbot.mouseClick(keep, CLICK)
    assert _overview(context, campaign.id).stages[SIFT].min_assessors == 4

    # Again, and this time take theirs: the editor shows their value, nothing unsaved.
    sift = svc.stages_overview(sam, campaign.id).stages[SIFT]
    svc.update_stage(sam, sift.id, {"min_assessors": 5}, expected_version=sift.version)
    tab.editor.form.min_assessors.setValue(6)
    qtbot.mouseClick(tab.editor.save_button, CLICK)
    qtbot.waitUntil(lambda: isinstance(tab.editor.dialog, QMessageBox), timeout=10_000)
    theirs = next(b for b in tab.editor.dialog.buttons() if b.text() == "Load theirs")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(theirs, CLICK)
    assert tab.editor.form.min_assessors.value() == 5 and not tab.dirty


def test_a_custom_scale_is_edited_checked_and_saved(qtbot, qtmodeltester, context):
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)
    scale = tab.editor.form.scale
    custom = scale.combo.findData("custom")
    scale.combo.setCurrentIndex(custom)
    assert scale.model.rowCount() == 7  # it starts from the scale shown before
    assert tab.dirty
    scale.combo.setCurrentIndex(scale.combo.findData("sp7"))
    assert not tab.dirty  # looking at Custom and going back changes nothing
    scale.combo.setCurrentIndex(custom)
    assert scale.add_button.isVisible()
    qtmodeltester.check(scale.model)
    scale.table.selectRow(6)
    qtbot.mouseClick(scale.remove_button, CLICK)
    label = _open_editor(scale.table, scale.model.index(0, 1), QLineEdit)
    label.clear()
    _commit(qtbot, scale.table, label)
    assert tab.dirty
    qtbot.mouseClick(tab.editor.save_button, CLICK)
    error = tab.editor.form.errors["custom_scale"]
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "Point 1: give it a label."

    label = _open_editor(scale.table, scale.model.index(0, 1), QLineEdit)
    qtbot.keyClicks(label, "None at all")
    _commit(qtbot, scale.table, label)
    _save(qtbot, tab)
    saved = _overview(context, campaign.id).stages[SIFT]
    assert saved.scale == "custom"
    assert [(p["value"], p["label"]) for p in saved.custom_scale][:2] == [
        (1, "None at all"),
        (2, "Minimal demonstration"),
    ]
    assert len(saved.custom_scale) == 6


def test_switching_stage_with_unsaved_edits_asks_first(qtbot, context):
    campaign = _campaign(context)
    tab = _open(qtbot, StagesTab, context, campaign.id)
    tab.editor.form.location.setText("")
    qtbot.keyClicks(tab.editor.form.location, "Room 2")
    assert tab.dirty
    tab.table.selectRow(INTERVIEW)
    assert isinstance(tab.dialog, QMessageBox)
    assert tab.selected_stage().name == "CV sift"  # still on the edited stage
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.dialog.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: tab.editor.heading.text() == "Video interview")
    assert _overview(context, campaign.id).stages[SIFT].location == "Room 2"


def test_a_stage_with_scores_cannot_be_removed(qtbot, context):
    campaign = _campaign(context)
    sift = _overview(context, campaign.id).stages[SIFT]
    _score(context, sift.id, "EXP1")
    tab = _open(qtbot, StagesTab, context, campaign.id)
    assert _column(tab.model, 6) == ["Scored", "", ""]
    # Not asked and then refused: the button is off, saying why in the core's words.
    assert tab.selected_stage().name == "CV sift"
    assert not tab.remove_button.isEnabled()
    assert tab.remove_button.toolTip() == (
        "CV sift has scores, so it cannot be removed: candidates' marks would be lost."
    )
    qtbot.mouseClick(tab.remove_button, CLICK)
    assert tab.dialog is None
    tab.table.selectRow(1)
    assert tab.remove_button.isEnabled()  # a stage without scores can go
    assert len(_overview(context, campaign.id).stages) == 3


def test_setting_a_panel_through_the_widgets(qtbot, qtmodeltester, make_context, db_url):
    context = make_context(db_url)
    campaign = _campaign(context)
    ctx = context.service_context()
    tom = create_person(ctx, name="Tom Okonkwo", email="tom@example.org")
    hannah = create_person(ctx, name="Hannah Lee", email="hannah@example.org")
    tab = _open(qtbot, StagesTab, context, campaign.id)
    tab.select_stage(_overview(context, campaign.id).stages[INTERVIEW].id)
    panel = tab.editor.panel

    panel.person_combo.setCurrentIndex(panel.person_combo.findText("Tom Okonkwo (tom@example.org)"))
    assert panel.role_combo.currentData() == "chair"  # the first seat is the chair's
    qtbot.mouseClick(panel.add_button, CLICK)
    warnings = panel.warnings.text()
    assert "has only one person (Tom Okonkwo)" in warnings
    assert "has no independent member" in warnings

    assert panel.person_combo.currentText() == "Hannah Lee (hannah@example.org)"
    assert panel.role_combo.currentData() == "independent"  # an interview needs one
    qtbot.mouseClick(panel.add_button, CLICK)

    qtbot.mouseClick(panel.new_button, CLICK)
    dialog = tab.editor.dialog
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.name_edit, "Marek Kowalski")
    dialog.email_edit.setText("marek@example.org")  # QTest cannot type "@"
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: len(panel.seats()) == 3, timeout=10_000)
    assert [(s.name, s.role) for s in panel.seats()] == [
        ("Tom Okonkwo", "chair"),
        ("Hannah Lee", "independent"),
        ("Marek Kowalski", "member"),
    ]
    assert not panel.warnings.isVisible()  # checked as the panel is built, before saving

    # Swap Hannah's and Marek's roles in the table.
    for row, role in ((1, "member"), (2, "independent")):
        editor = _open_editor(panel.table, panel.model.index(row, ROLE), QComboBox)
        editor.setCurrentIndex(editor.findData(role))
        _commit(qtbot, panel.table, editor)
    assert [s.role for s in panel.seats()] == ["chair", "member", "independent"]
    qtmodeltester.check(panel.model)
    assert tab.dirty
    _save(qtbot, tab)

    overview = _overview(context, campaign.id)
    interview = overview.stages[INTERVIEW]
    assert [(s.person_id, s.role, s.panel_number) for s in interview.panel] == [
        (tom.id, "chair", 1),
        (next(p.id for p in svc.list_people(ctx) if p.name == "Marek Kowalski"), "independent", 1),
        (hannah.id, "member", 1),
    ]
    assert not [f for f in overview.findings if "Video interview" in f.message]
    assert not panel.warnings.isVisible() and not tab.dirty


# --- the matrix tab ------------------------------------------------------------------


def _cell(tab, code: str, stage: int):
    row = next(r for r, c in enumerate(tab.model.criteria) if c.code == code)
    return tab.model.index(row, FIRST_STAGE + stage)


def test_the_matrix_shows_the_template_ticks(qtbot, qtmodeltester, make_context, db_url):
    context = make_context(db_url)
    campaign = _campaign(context)
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    model = tab.model
    assert _column(model, 0) == [
        "EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6",
        "DATM", "SWDN", "PROG", "TEST", "SINT", "ASUP",
    ]  # fmt: skip
    assert [model.headerData(FIRST_STAGE + i, Qt.Orientation.Horizontal) for i in range(3)] == [
        "CV sift",  # the name says the kind already
        "Technical exercise",
        "Video interview",
    ]
    sift = [model.index(r, FIRST_STAGE).data(Qt.ItemDataRole.CheckStateRole) for r in range(12)]
    assert sift == [Qt.CheckState.Checked] * 6 + [Qt.CheckState.Unchecked] * 6
    assert _cell(tab, "PROG", EXERCISE).data() == "×1 ≥4"
    assert _cell(tab, "EXP1", EXERCISE).data() is None
    assert model.index(0, 2).data() == "Essential, lead"
    assert model.index(5, 2).data() == "Essential"  # the advert lists the frameworks as essential
    assert tab.checks.item(0).text() == "No problems found."
    assert tab.status.text() == "12 criteria, 3 stages, 16 assessed"
    qtmodeltester.check(model)


def test_unticking_the_lead_at_the_sift_warns_at_once_and_saves(qtbot, make_context, db_url):
    context = make_context(db_url)
    campaign = _campaign(context)
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    tab.table.setFocus()
    tab.table.setCurrentIndex(_cell(tab, "EXP1", SIFT))
    with qtbot.waitSignal(tab.checked, timeout=1000):
        qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert _cell(tab, "EXP1", SIFT).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    texts = [tab.checks.item(i).text() for i in range(tab.checks.count())]
    assert texts == [
        "Consider: The lead criterion, Back-end or full-stack development in at least one "
        "modern web language (such as Java, C#, Python, PHP or JavaScript with Node.js) and its "
        "ecosystem (EXP1), is not assessed at the first scoring stage, CV sift."
    ]
    assert tab.dirty and tab.save_button.isEnabled()

    # Weight and pass mark of another cell, through the box beside the grid.
    tab.table.setCurrentIndex(_cell(tab, "PROG", EXERCISE))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)  # Enter goes to the weight
    assert tab.cell_editor.weight.hasFocus()
    tab.cell_editor.weight.setValue(2)
    tab.cell_editor.pass_mark.setValue(5)
    assert "Candidates need at least 5 (Good demonstration)" in tab.cell_editor.meaning.text()
    assert _cell(tab, "PROG", EXERCISE).data() == "×2 ≥5"

    # Tick a new cell: it takes the scale's usual pass mark.
    tab.table.setCurrentIndex(_cell(tab, "ASUP", EXERCISE))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert _cell(tab, "ASUP", EXERCISE).data() == "×1 ≥4"

    _save(qtbot, tab)
    assert not tab.dirty
    stages = _overview(context, campaign.id).stages
    assert "EXP1" not in [c.code for c in stages[SIFT].cells]
    assert [(c.code, c.weight, c.pass_mark) for c in stages[EXERCISE].cells] == [
        ("SWDN", 1.0, 4),
        ("PROG", 2.0, 5),
        ("TEST", 1.0, 4),
        ("ASUP", 1.0, 4),
    ]
    assert tab.checks.count() == 1  # the lead warning, as saved


def test_a_cell_takes_a_scale_of_its_own(qtbot, context):
    """A strength on its 1 to 4 guide at an interview scored 1 to 7: the pass mark follows."""
    campaign = _campaign(context)
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    tab.table.setCurrentIndex(_cell(tab, "PROG", EXERCISE))
    editor = tab.cell_editor
    assert editor.scale.currentText() == "Stage's scale"
    assert (editor.pass_mark.minimum(), editor.pass_mark.maximum()) == (0, 7)
    editor.scale.setCurrentIndex(editor.scale.findData("strengths4"))
    # The scale's standard mark for an essential criterion, and the range of its points.
    assert (editor.pass_mark.minimum(), editor.pass_mark.maximum()) == (0, 4)
    assert editor.pass_mark.value() == 3
    assert "Strengths scale (1 to 4). Candidates need at least 3 (Potential Strength)" in (
        editor.meaning.text()
    )
    assert _cell(tab, "PROG", EXERCISE).data() == "×1 ≥3 /4"
    _save(qtbot, tab)
    cells = {c.code: c for c in _overview(context, campaign.id).stages[EXERCISE].cells}
    assert (cells["PROG"].scale, cells["PROG"].pass_mark) == ("strengths4", 3)
    assert (cells["SWDN"].scale, cells["SWDN"].pass_mark) == ("", 4)
    # Back to the stage's scale: its standard mark again.
    tab.table.setCurrentIndex(_cell(tab, "PROG", EXERCISE))
    assert editor.scale.currentData() == "strengths4"
    editor.scale.setCurrentIndex(editor.scale.findData(""))
    assert editor.pass_mark.value() == 4
    assert _cell(tab, "PROG", EXERCISE).data() == "×1 ≥4"


def test_a_pass_mark_on_a_desirable_cell_is_warned_about_beside_it(qtbot, context):
    campaign = create_from_template(
        context.service_context(), "DVLA-DEVTEST", title="Developer/Tester", reference="DT-1"
    )
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    # The template's desirable criteria count at the sift without a pass mark.
    assert _cell(tab, "DES1", SIFT).data() == "×1"
    assert _cell(tab, "EXP1", SIFT).data() == "×1 ≥4"
    # Ticking a desirable criterion elsewhere gives it none either.
    tab.table.setFocus()
    tab.table.setCurrentIndex(_cell(tab, "DES1", INTERVIEW))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert _cell(tab, "DES1", INTERVIEW).data() == "×1"
    assert "rejects nobody" in tab.cell_editor.meaning.text()
    assert not tab.cell_editor.warning.isVisible()

    # A minimum set on purpose is kept, and warned about at the cell and beside the grid.
    with qtbot.waitSignal(tab.checked, timeout=1000):
        tab.cell_editor.pass_mark.setValue(4)
    cell = _cell(tab, "DES1", INTERVIEW)
    warning = (
        "Relational and non-relational database systems (DES1) is desirable, but Panel "
        "interview gives it a pass mark of 4: candidates below it will be rejected, even if "
        "they meet every essential criterion."
    )
    assert cell.data() == "×1 ≥4 ⚠"
    assert warning in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert tab.cell_editor.warning.isVisible()
    assert tab.cell_editor.warning.text() == f"⚠ {warning}"
    assert [tab.checks.item(i).text() for i in range(tab.checks.count())] == [
        f"Consider: {warning}"
    ]
    # The check leads back to its cell.
    tab.table.setCurrentIndex(_cell(tab, "EXP1", SIFT))
    tab.checks.itemActivated.emit(tab.checks.item(0))
    assert tab.table.currentIndex() == cell

    _save(qtbot, tab)
    stages = _overview(context, campaign.id).stages
    assert ("DES1", 1.0, 4) in [(c.code, c.weight, c.pass_mark) for c in stages[INTERVIEW].cells]
    assert tab.cell_editor.warning.isVisible()  # as saved


def test_a_criterion_with_scores_cannot_be_removed_from_its_stage(qtbot, context):
    campaign = _campaign(context)
    _score(context, _overview(context, campaign.id).stages[SIFT].id, "EXP2")
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    tab.table.setCurrentIndex(_cell(tab, "EXP2", SIFT))
    tab.cell_editor.assessed.setChecked(False)  # the box beside the grid unticks it too
    assert _cell(tab, "EXP2", SIFT).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    qtbot.mouseClick(tab.save_button, CLICK)
    qtbot.waitUntil(tab.error.isVisible, timeout=10_000)
    assert tab.error.text() == (
        "Not saved: CV sift already has scores for EXP2, so it must keep assessing it."
    )
    assert tab.dirty  # the edit stays, to be put back or kept
    assert "EXP2" in [c.code for c in _overview(context, campaign.id).stages[SIFT].cells]


def test_a_matrix_save_over_someone_elses_change_can_load_theirs(qtbot, context):
    campaign = _campaign(context)
    tab = _open(qtbot, MatrixTab, context, campaign.id)
    sam = ServiceContext(context.database, Actor("Sam Chair"))
    overview = svc.stages_overview(sam, campaign.id)
    cells = [
        svc.CellChoice(s.id, c.criterion_id, c.weight, c.pass_mark)
        for s in overview.stages
        for c in s.cells
        if c.code != "EXP6"
    ]
    svc.save_matrix(
        sam, campaign.id, cells, expected_versions={s.id: s.version for s in overview.stages}
    )
    tab.table.setCurrentIndex(_cell(tab, "DATM", SIFT))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    qtbot.mouseClick(tab.save_button, CLICK)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, QMessageBox), timeout=10_000)
    assert "The stage CV sift was changed by Sam Chair" in tab.dialog.text()
    theirs = next(b for b in tab.dialog.buttons() if b.text() == "Load theirs")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(theirs, CLICK)
    assert not tab.dirty
    assert _cell(tab, "EXP6", SIFT).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    assert _cell(tab, "DATM", SIFT).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )


def test_the_tabs_follow_each_others_changes(qtbot, context):
    campaign = _campaign(context)
    stages = _open(qtbot, StagesTab, context, campaign.id)
    matrix = _open(qtbot, MatrixTab, context, campaign.id)
    # An unsaved matrix edit survives a stage rename made in the other tab...
    matrix.table.setCurrentIndex(_cell(matrix, "EXP6", SIFT))
    qtbot.keyClick(matrix.table, Qt.Key.Key_Space)
    stages.editor.form.name_edit.setText("")
    qtbot.keyClicks(stages.editor.form.name_edit, "CV review")
    with qtbot.waitSignal(matrix.loaded, timeout=10_000):
        qtbot.mouseClick(stages.editor.save_button, CLICK)
    assert matrix.model.headerData(FIRST_STAGE, Qt.Orientation.Horizontal) == ("CV review\nSift")
    assert matrix.dirty
    # ...and saves without a conflict: the rename did not touch the matrix.
    _save(qtbot, matrix)
    assert matrix.dialog is None
    sift = _overview(context, campaign.id).stages[SIFT]
    assert "EXP6" not in [c.code for c in sift.cells]
    qtbot.waitUntil(lambda: stages.current.version == sift.version, timeout=10_000)


def test_screenshots_of_both_tabs(qtbot, context, tmp_path):
    campaign = _campaign(context)
    ctx = context.service_context()
    overview = _overview(context, campaign.id)
    days = [(date(2027, 1, 11), date(2027, 1, 15)), (date(2027, 1, 25), date(2027, 1, 29))]
    days.append((date(2027, 2, 8), date(2027, 2, 10)))
    for stage, (starts, ends) in zip(overview.stages, days, strict=True):
        svc.update_stage(
            ctx, stage.id, {"starts_on": starts, "ends_on": ends}, expected_version=stage.version
        )
    people = [
        create_person(ctx, name=name, email=f"{name.split()[0].lower()}@example.gov.uk")
        for name in ("Tom Okonkwo", "Hannah Lee", "Siân O'Brien")
    ]
    interview = _overview(context, campaign.id).stages[INTERVIEW]
    svc.set_panel(
        ctx,
        interview.id,
        [svc.SeatChoice(people[0].id, "chair"), svc.SeatChoice(people[1].id, "member")],
        expected_version=interview.version,
    )
    _score(context, overview.stages[SIFT].id, "EXP1")

    stages = _open(qtbot, StagesTab, context, campaign.id)
    stages.select_stage(interview.id)
    stages.editor.form.location.setText("Room 3.14, 2 Marsham Street, London")
    qtbot.wait(50)
    stages.grab().save(str(tmp_path / "stages-tab.png"))

    matrix = _open(qtbot, MatrixTab, context, campaign.id)
    matrix.table.setCurrentIndex(_cell(matrix, "EXP1", SIFT))
    qtbot.keyClick(matrix.table, Qt.Key.Key_Space)
    matrix.table.setCurrentIndex(_cell(matrix, "EXP5", SIFT))
    qtbot.keyClick(matrix.table, Qt.Key.Key_Space)
    matrix.table.setCurrentIndex(_cell(matrix, "PROG", EXERCISE))
    matrix.cell_editor.weight.setValue(2)
    qtbot.wait(50)
    matrix.grab().save(str(tmp_path / "matrix-tab.png"))
    assert stages.editor.panel.warnings.isVisible() and matrix.checks.count() == 2
