"""Recording a departure from the question plan from the Scoring tab, through real widgets on
the demo campaign: the action for the current candidate, its note dialog, off with a reason
where the stage has no plan, errors kept in the dialog; then the chair's copy chosen on the
Exports tab, under a name of its own, lists what was recorded."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton
from sqlmodel import select

from db.models import Candidate, Person, Stage
from recruit_app.services import plans
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.stages import update_stage
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.exports.tab import ExportsTab
from ui.scoring.scoring_tab import ScoringTab

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 30_000
VIDEO = "Video interview"
NOTE = "Question 4 was not asked: the candidate's connection dropped."


@pytest.fixture
def context(qtbot, app_home, sqlite_url):
    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    build_demo(context.service_context(), today=DEMO_DAY)
    yield context
    context.shutdown()


def _campaign(context: AppContext) -> int:
    return campaign_id_for(context.service_context(), "283922")


def _scoring(qtbot, context: AppContext) -> ScoringTab:
    tab = ScoringTab(context, _campaign(context))
    qtbot.addWidget(tab)
    tab.resize(1400, 760)
    tab.show()
    with qtbot.waitSignals([tab.loaded, tab.plan_checked], timeout=TIMEOUT):
        tab.load()
    return tab


def _stage_id(tab: ScoringTab, name: str) -> int:
    combo = tab.stage_combo
    return combo.itemData(next(i for i in range(combo.count()) if combo.itemText(i) == name))


def _open_dialog(qtbot, tab: ScoringTab, row: int):
    tab.table.setCurrentIndex(tab.model.index(row, 1))
    button = tab.findChild(QPushButton, "recordDeviation")
    assert button is tab.deviation_button and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.objectName() == "deviationDialog"
    return dialog


def test_a_departure_is_recorded_for_the_current_candidate(qtbot, context):
    tab = _scoring(qtbot, context)
    assert tab.stage_combo.currentText() == VIDEO and tab.has_plan
    button = tab.deviation_button
    assert button.text() == "Record a de&parture from the plan…"
    tab.table.setCurrentIndex(tab.model.index(1, 1))
    assert button.toolTip().endswith("Now: 0003 Łukasz Nowak.")
    dialog = _open_dialog(qtbot, tab, 1)
    intro = dialog.findChild(QLabel, "deviationIntro").text()
    assert "Say how the interview with 0003 Łukasz Nowak departed from the plan" in intro
    assert not dialog.save_button.isEnabled()  # nothing to record yet
    qtbot.keyClicks(dialog.note, "   ")
    assert not dialog.save_button.isEnabled()
    dialog.note.clear()
    qtbot.keyClicks(dialog.note, NOTE)
    assert dialog.save_button.text() == "Record" and dialog.save_button.isEnabled()
    with (
        qtbot.waitSignal(context.bus.changed, timeout=TIMEOUT) as published,
        qtbot.waitSignal(tab.deviation_recorded, timeout=TIMEOUT) as recorded,
    ):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert recorded.args[0].candidate_number == "0003"
    assert "stages" in published.args[0]  # an open chair's copy preview is made again
    assert not dialog.isVisible() and tab.dialog is None
    assert tab.status.text() == (
        "Recorded a departure from the plan with candidate 0003: the chair's copy of the "
        "panel pack lists it."
    )
    listed = plans.stage_deviations(context.service_context(), tab.stage_id)
    assert [(d.candidate_number, d.note, d.recorded_by) for d in listed] == [
        ("0003", NOTE, "Alex Manager")
    ]


def test_off_with_a_reason_where_the_stage_has_no_plan(qtbot, context):
    tab = _scoring(qtbot, context)
    combo = tab.stage_combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith("CV sift"))
    combo.setCurrentIndex(index)
    with qtbot.waitSignals([tab.loaded, tab.plan_checked], timeout=TIMEOUT):
        combo.activated.emit(index)
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    assert tab.model.rowCount() and not tab.has_plan
    assert not tab.deviation_button.isEnabled()
    assert tab.deviation_button.toolTip() == (
        "CV sift has no question plan, so there is nothing to depart from: its questions are "
        "set on the Stages tab."
    )
    tab.commands.ask_deviation()  # the shortcut's way in, with the button off: nothing opens
    assert tab.dialog is None


def test_errors_stay_in_the_dialog_and_nothing_is_recorded(qtbot, context):
    tab = _scoring(qtbot, context)
    dialog = _open_dialog(qtbot, tab, 0)
    dialog.note.setPlainText("x" * 5001)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.findChild(QLabel, "noteError")
    assert error.isVisible() and error.text() == "Keep the note to 5,000 characters."
    # The plan is emptied on another desk meanwhile: the service's refusal is shown here.
    ctx = context.service_context()
    plans.save_plan(
        ctx, tab.stage_id, [], welcome_script="", close_script="", expected_version=None
    )
    dialog.note.setPlainText(NOTE)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form_error.isVisible(), timeout=TIMEOUT)
    assert dialog.form_error.text() == (
        "Video interview has no question plan to depart from: set its questions first."
    )
    assert dialog.isVisible() and dialog.note.toPlainText() == NOTE  # nothing typed is lost
    assert plans.stage_deviations(ctx, tab.stage_id) == []
    dialog.reject()


def test_a_panel_member_at_a_name_blind_stage_records_by_number(qtbot, context):
    ctx = context.service_context()
    with ctx.db.session() as session:
        marek = session.exec(select(Person).where(Person.name == "Marek Kowalski")).one()
        actor = Actor(marek.name, marek.role, marek.id)
    tab = _scoring(qtbot, context)
    stage_id = _stage_id(tab, VIDEO)
    update_stage(ctx, stage_id, {"name_blind": True}, expected_version=None)
    context.actor = actor
    tab.close()
    tab = _scoring(qtbot, context)
    assert tab.model.candidate_at(0).label == "Candidate 0001"
    dialog = _open_dialog(qtbot, tab, 0)
    qtbot.keyClicks(dialog.note, NOTE)
    with qtbot.waitSignal(tab.deviation_recorded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    listed = plans.stage_deviations(context.service_context(), stage_id)
    assert [(d.candidate_number, d.recorded_by) for d in listed] == [("0001", "Marek Kowalski")]


def test_the_chairs_copy_on_the_exports_tab_lists_the_departure(qtbot, context, tmp_path):
    ctx = context.service_context()
    campaign_id = _campaign(context)
    with ctx.db.session() as session:
        stage_id = session.exec(select(Stage.id).where(Stage.name == VIDEO)).one()
        candidate = session.exec(
            select(Candidate.id).where(Candidate.candidate_number == "0003")
        ).one()
    plans.record_deviation(ctx, stage_id, candidate, NOTE)
    tab = ExportsTab(context, campaign_id)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.load()
    box = tab.findChild(QCheckBox, "chairCopy")
    assert box is tab.chair_box and box.text() == "Chair's copy"
    assert not box.isVisible()  # the information pack comes first
    row = next(
        i
        for i in range(tab.packs.count())
        if tab.packs.item(i).data(Qt.ItemDataRole.UserRole) == "panel"
    )
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.packs.setCurrentRow(row)
        tab.stage_combo.setCurrentIndex(tab.stage_combo.findText(VIDEO))
    assert box.isVisible() and tab.applications_box.isVisible() and not box.isChecked()
    assert tab._suggested_name(tab.kind(), False) == "283922-video-interview-panel-pack.pdf"
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        box.setChecked(True)  # a new preview, of the chair's copy
    assert tab.chair_copy()
    assert tab._suggested_name(tab.kind(), False) == (
        "283922-video-interview-panel-pack-chairs-copy.pdf"
    )
    target = tmp_path / tab._suggested_name(tab.kind(), False)
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT) as caught:
        tab.export_to(target)
    assert caught.args[0] == [target]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Chair's brief" in text and "Welcome, and thank you for joining us." in text
    assert "Candidate 0003 · recorded " in text and NOTE in text
    # Another pack: the choice is not offered, nor passed on.
    row = next(
        i
        for i in range(tab.packs.count())
        if tab.packs.item(i).data(Qt.ItemDataRole.UserRole) == "report"
    )
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.packs.setCurrentRow(row)
    assert not box.isVisible() and not tab.chair_copy()
