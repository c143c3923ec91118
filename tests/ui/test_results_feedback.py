"""The Feedback… button on the Results tab: the panel's words to a candidate, saved safely."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.letters import FEEDBACK_LIMIT, outcome_feedback, set_feedback
from recruit_app.services.stages import stages_overview
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.results.feedback_dialog import LIMIT, FeedbackDialog
from ui.results.tab import ResultsTab

DEMO_DAY = date(2026, 11, 25)  # the demo's CV sift and technical exercise are final
TIMEOUT = 10_000


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
def demo(contexts, sqlite_url):
    """An app context on the demo, the campaign's id and its stages' ids by name."""
    context = _context(sqlite_url, contexts)
    ctx = context.service_context()
    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    stages = {s.name: s.id for s in stages_overview(ctx, campaign_id).stages}
    return context, campaign_id, stages


def _open(qtbot, tab: ResultsTab, stage_id: int) -> ResultsTab:
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    tab.stage_id = stage_id
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


def _candidate_id(tab: ResultsTab, number: str) -> int:
    assert tab.results is not None
    return next(r.candidate_id for r in tab.results.rows if r.number == number)


def _dialog(qtbot, tab: ResultsTab, number: str) -> FeedbackDialog:
    tab.select_candidate(_candidate_id(tab, number))
    button: QPushButton = tab.feedback_button
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, FeedbackDialog), timeout=TIMEOUT)
    dialog = tab.dialog
    assert isinstance(dialog, FeedbackDialog)
    return dialog


def _error(dialog, field: str) -> QLabel:
    return dialog.findChild(QLabel, f"{field}Error")


def test_feedback_is_shown_changed_and_saved(qtbot, demo):
    context, campaign_id, stages = demo
    tab = _open(qtbot, ResultsTab(context, campaign_id), stages["CV sift"])
    dialog = _dialog(qtbot, tab, "0004")
    assert dialog.findChild(QLabel, "feedbackCandidate").text() == "0004 Niamh O'Brien"
    assert dialog.findChild(QLabel, "feedbackOutcome").text() == "Not progressed at CV sift"
    assert dialog.findChild(QLabel, "feedbackNotOffered") is None  # the demo offers feedback
    assert dialog.text.toPlainText().startswith("Your CV showed sound experience")
    dialog.text.setPlainText("Good examples of delivery.\n\nSay more about testing.")
    assert dialog.count.text() == f"51 of {LIMIT:,} characters"
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert tab.status.text() == "Feedback saved for 0004 Niamh O'Brien."
    saved = outcome_feedback(
        context.service_context(), stages["CV sift"], _candidate_id(tab, "0004")
    )
    assert saved.feedback == "Good examples of delivery.\n\nSay more about testing."
    assert LIMIT == FEEDBACK_LIMIT


def test_too_long_feedback_is_refused_beside_the_field(qtbot, demo):
    context, campaign_id, stages = demo
    tab = _open(qtbot, ResultsTab(context, campaign_id), stages["CV sift"])
    dialog = _dialog(qtbot, tab, "0006")
    dialog.text.setPlainText("x" * (FEEDBACK_LIMIT + 10))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog, "feedback").isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "feedback").text() == (
        "Keep the feedback to 5,000 characters; it has 5,010."
    )
    assert dialog.isVisible()
    assert len(dialog.text.toPlainText()) == FEEDBACK_LIMIT + 10  # what was typed stays


def test_feedback_changed_meanwhile_offers_a_reload_that_keeps_what_was_typed(qtbot, demo):
    context, campaign_id, stages = demo
    tab = _open(qtbot, ResultsTab(context, campaign_id), stages["Technical exercise"])
    dialog = _dialog(qtbot, tab, "0002")
    # Someone saves other feedback from another desk while the dialog is open.
    ctx = context.service_context()
    candidate_id = _candidate_id(tab, "0002")
    now = outcome_feedback(ctx, stages["Technical exercise"], candidate_id)
    set_feedback(
        ctx,
        stages["Technical exercise"],
        candidate_id,
        "Their words.",
        expected_version=now.version,
    )
    dialog.text.setPlainText("My words.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reload_button.isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "form").text().startswith("The feedback was changed by Alex Manager")
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.reload_button.isVisible(), timeout=TIMEOUT)
    assert (
        _error(dialog, "form")
        .text()
        .startswith(
            "The outcome is now: Not progressed at Technical exercise. Their feedback reads: "
            "“Their words.”. What you typed is kept"
        )
    )
    assert dialog.text.toPlainText() == "My words."
    with qtbot.waitSignal(tab.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = outcome_feedback(ctx, stages["Technical exercise"], candidate_id)
    assert saved.feedback == "My words."


def test_feedback_needs_an_outcome_and_is_not_for_panel_members(qtbot, demo, contexts, sqlite_url):
    context, campaign_id, stages = demo
    tab = _open(qtbot, ResultsTab(context, campaign_id), stages["Video interview"])
    assert tab.results is not None and tab.results.rows
    tab.select_candidate(tab.results.rows[0].candidate_id)
    assert tab.selected_row() is not None
    assert not tab.feedback_button.isEnabled()  # nobody has an outcome here yet
    tab.select_candidate(-1)
    assert not tab.feedback_button.isEnabled()

    tom = next(
        s
        for s in stages_overview(context.service_context(), campaign_id).stages[0].panel
        if s.name == "Tom Okonkwo"
    )
    member = Actor("Tom Okonkwo", role="panel_member", person_id=tom.person_id)
    theirs = ResultsTab(_context(sqlite_url, contexts, member), campaign_id)
    qtbot.addWidget(theirs)
    theirs.show()
    assert not theirs.feedback_button.isVisibleTo(theirs)
