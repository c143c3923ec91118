"""The question plan dialog, driven through its widgets on a real database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from sqlmodel import select

from db.models import Stage
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.plans import stage_plan
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.stages.plan_editor import PlanEditorDialog
from ui.stages.stages_tab import StagesTab

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def make_context(qtbot, app_home):
    contexts: list[AppContext] = []

    def make(url: str, actor: Actor) -> AppContext:
        context = AppContext(Settings(), actor=actor)
        context.use_database(open_db(url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.shutdown()


def _interview(context: AppContext, slot_minutes: int) -> tuple[int, int]:
    """A campaign from the developer template; its video interview with slots of the length."""
    campaign = create_from_template(
        context.service_context(), "DDAT-DEV-SEO", title="Developer", reference="DEV-1"
    )
    with context.database.session() as session:
        stage = session.exec(
            select(Stage).where(Stage.campaign_id == campaign.id, Stage.name == "Video interview")
        ).one()
        stage.slot_plan = {"slot_minutes": slot_minutes}
        session.add(stage)
        session.commit()
        assert stage.id is not None
        return campaign.id, stage.id


def test_add_a_bank_question_see_the_timing_warning_and_save(qtbot, make_context, sqlite_url):
    context = make_context(sqlite_url, Actor("Alex Manager"))
    _campaign_id, stage_id = _interview(context, 45)
    dialog = PlanEditorDialog(context, stage_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.bank_loaded, timeout=10_000):
        dialog.show()
    assert dialog.cell_list.count() == 7
    assert dialog.cell_list.item(0).text() == "DATM Data management · no questions"
    assert dialog.bank_list.count() == 4  # the bank's level 4 questions for DATM
    assert not dialog.warning.isVisible()

    dialog.bank_list.setCurrentRow(1)
    qtbot.mouseClick(dialog.add_bank_button, CLICK)
    assert dialog.question_list.count() == 1
    assert dialog.text_edit.toPlainText() == (
        "How do you handle personal data safely in your day-to-day work?"
    )
    dialog.minutes_spin.setValue(55)
    assert dialog.timing.text() == "Total: 55 minutes of 45-minute slots."
    assert dialog.warning.isVisible()
    assert dialog.warning.text() == "The plan takes 55 minutes; the slots are 45 minutes long."

    qtbot.mouseClick(dialog.add_own_button, CLICK)
    qtbot.keyClicks(dialog.text_edit, "What would you change about our data model?")
    dialog.probes_edit.setPlainText("Why?\nWhat first?")
    dialog.minutes_spin.setValue(0)
    dialog.sent_check.setChecked(True)
    dialog.sent_date.setDate(QDate(2026, 12, 1))
    qtbot.mouseClick(dialog.up_button, CLICK)  # the question of our own goes first
    dialog.welcome_edit.setPlainText("Welcome to the interview.")
    dialog.close_edit.setPlainText("Thank you for coming.")

    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    plan = stage_plan(context.service_context(), stage_id)
    datm = plan.cells[0]
    assert [(q.text, q.probes, q.minutes) for q in datm.questions] == [
        ("What would you change about our data model?", ("Why?", "What first?"), 0),
        (
            "How do you handle personal data safely in your day-to-day work?",
            (
                "Which rules or standards did you apply?",
                "Give an example where you had to change your approach.",
            ),
            55,
        ),
    ]
    assert datm.questions[1].question_id is not None  # linked to the bank question
    assert [q.sent_on for q in datm.questions] == [date(2026, 12, 1), None]
    assert (plan.welcome_script, plan.close_script) == (
        "Welcome to the interview.",
        "Thank you for coming.",
    )
    assert [f.message for f in plan.findings] == [
        "The plan takes 55 minutes; the slots are 45 minutes long."
    ]


def test_an_empty_question_is_refused_beside_the_text(qtbot, make_context, sqlite_url):
    context = make_context(sqlite_url, Actor("Alex Manager"))
    _campaign_id, stage_id = _interview(context, 60)
    dialog = PlanEditorDialog(context, stage_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.plan_loaded, timeout=10_000):
        dialog.show()
    qtbot.mouseClick(dialog.add_own_button, CLICK)
    error = dialog.label_for("questions")
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: error.isVisible(), timeout=10_000)
    assert error.text() == "Write the question."
    assert dialog.isVisible()
    assert stage_plan(context.service_context(), stage_id).questions == 0


def test_the_plan_button_is_for_managers(qtbot, make_context, sqlite_url):
    manager = make_context(sqlite_url, Actor("Alex Manager"))
    campaign_id, _stage_id = _interview(manager, 60)
    tab = StagesTab(manager, campaign_id)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.load()
    assert tab.plan_button.isVisible()
    tab.table.selectRow(2)
    assert tab.plan_button.isEnabled()
    qtbot.mouseClick(tab.plan_button, CLICK)
    assert isinstance(tab.dialog, PlanEditorDialog)
    with qtbot.waitSignal(tab.dialog.plan_loaded, timeout=10_000):
        pass
    tab.dialog.reject()

    member = make_context(sqlite_url, Actor("Pat Panel", "panel_member", 999))
    seen = StagesTab(member, campaign_id)
    qtbot.addWidget(seen)
    seen.show()
    assert not seen.plan_button.isVisible()
