"""Every button of the campaign window, walked as each role: the screen offers what the
core's permission table (services.permissions) allows, and nothing it would refuse."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QPushButton, QToolButton
from sqlmodel import select

from db.models import Person
from recruit_app.services.campaigns import find_campaign
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.permissions import may
from recruit_app.settings import Settings
from recruit_app.vocabulary import Role
from ui.campaign.window import CampaignWindow
from ui.context import AppContext

DEMO_DAY = date(2026, 11, 25)
MANAGE, VIEW, SCORE = "campaign.manage", "campaign.view", "score.enter"

# What each button of the campaign window does, as a use case of the permission table. A
# new button must be put here: the walk fails on one it cannot place.
# fmt: off
BUTTONS: dict[str, str] = {
    # Advert
    **dict.fromkeys(
        (
            "publishAdvert",
            "saveAdvert",
            "revertAdvert",
            "addCriterion",
            "addFromLibrary",
            "addPayZone",
            "moveDown",
            "moveUp",
            "removeCriterion",
            "suggestWording",
        ),
        MANAGE,
    ),
    "exportAdvert": VIEW,
    # Posts, stages, matrix, timetable
    **dict.fromkeys(
        (
            "addPost",
            "editPost",
            "movePostDown",
            "movePostUp",
            "removePost",
            "addStage",
            "moveStageDown",
            "moveStageUp",
            "removeStage",
            "planButton",
            "addSeat",
            "removeSeat",
            "newPerson",
            "revertStage",
            "saveStage",
            "revertMatrix",
            "saveMatrix",
            "addEvent",
            "changeDates",
            "removeEvent",
        ),
        MANAGE,
    ),
    # Candidates
    **dict.fromkeys(
        (
            "addCandidate",
            "editCandidate",
            "importCandidates",
            "importApplicationsButton",
            "reviewRedactionButton",
            "searchApplicationsButton",
        ),
        MANAGE,
    ),
    # Scoring
    **dict.fromkeys(("submitScores", "declareConflict", "exportWorkbook", "importScores"), SCORE),
    "recordDeviation": VIEW,
    # Results
    **dict.fromkeys(
        (
            "progressOutcome",
            "reserveOutcome",
            "appointOutcome",
            "withdrawnOutcome",
            "rejectOutcome",
            "extendReserve",
            "feedbackButton",
            "expireReserves",
            "finaliseButton",
        ),
        MANAGE,
    ),
    "exportResults": VIEW,
    # Interview slots
    **dict.fromkeys(
        (
            "addDay",
            "addSlot",
            "allocate",
            "cancelSlot",
            "freeSlot",
            "giveSlot",
            "makeSlots",
            "moveSlot",
            "savePlan",
            "swapSlots",
        ),
        MANAGE,
    ),
    "exportCalendars": VIEW,
    # Exports
    "exportButton": VIEW,
}
# fmt: on
QT_OWN = {"ScrollLeftButton", "ScrollRightButton", "qt_toolbar_ext_button", ""}


@pytest.fixture
def demo_url(app_home, sqlite_url):
    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    build_demo(context.service_context(), today=DEMO_DAY)
    context.shutdown()
    return sqlite_url


def _actor(url: str, role: str) -> Actor:
    if role == Role.ADMINISTRATOR:
        return Actor("Alex Manager")
    email = (
        "priya.raman@example.gov.uk"
        if role == Role.RECRUITING_MANAGER
        else ("tom.okonkwo@example.gov.uk")
    )  # the demo's owner; a panel member sitting on every stage
    db = open_db(url)
    try:
        with db.session() as session:
            person = session.exec(select(Person).where(Person.email == email)).one()
            return Actor(person.name, role=role, person_id=person.id)
    finally:
        db.dispose()


def _walk(qtbot, window: CampaignWindow) -> dict[str, tuple[str, bool]]:
    """objectName -> (tab, enabled) of every button shown, tab by tab."""
    found: dict[str, tuple[str, bool]] = {}
    for index in range(window.tabs.count()):
        if not window.tabs.isTabVisible(index):
            continue
        window.tabs.setCurrentIndex(index)
        tab = window.tabs.widget(index)
        qtbot.waitUntil(lambda t=tab: not getattr(t, "_load_pending", False), timeout=10_000)
        qtbot.wait(300)  # the tab's read comes back and sets its buttons
        label = window.tabs.tabText(index)
        for kind in (QPushButton, QToolButton):
            for button in tab.findChildren(kind):
                if button.isVisibleTo(window) and button.objectName() not in QT_OWN:
                    found[button.objectName()] = (label, button.isEnabled())
    return found


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.RECRUITING_MANAGER, Role.PANEL_MEMBER])
def test_every_button_shown_is_one_the_role_may_use(qtbot, demo_url, role):
    actor = _actor(demo_url, role)
    context = AppContext(Settings(), actor=actor)
    context.use_database(open_db(demo_url))
    campaign = find_campaign(context.service_context(), "283922")
    window = CampaignWindow(context, campaign.id, campaign.reference, campaign.title)
    qtbot.addWidget(window)
    window.show()
    try:
        opened_on = window.tabs.currentWidget()
        found = _walk(qtbot, window)
        unplaced = sorted(set(found) - set(BUTTONS))
        assert not unplaced, f"buttons with no use case in BUTTONS: {unplaced}"
        offered = {name for name, (_tab, enabled) in found.items() if enabled}
        refused = sorted(n for n in offered if not may(actor, BUTTONS[n]))
        assert not refused, f"{role} is offered what the core refuses: {refused}"
        shown_tabs = [
            window.tabs.tabText(i)
            for i in range(window.tabs.count())
            if window.tabs.isTabVisible(i)
        ]
        if role == Role.PANEL_MEMBER:
            # Opens on the scoring sheet; the manager's tabs are not there at all.
            assert opened_on is window.scoring
            assert shown_tabs == [
                "Candidates", "Scoring", "Results", "Interview slots", "Exports",
            ]  # fmt: skip
            assert {"submitScores", "declareConflict", "exportCalendars"} <= offered
        else:
            # The Fairness tab: an administrator's; a manager's only with equality
            # monitoring, which the demo's owner has not been given.
            assert ("Fairness" in shown_tabs) == (role == Role.ADMINISTRATOR)
            assert len(shown_tabs) == (11 if role == Role.ADMINISTRATOR else 10)
            assert {"publishAdvert", "addStage", "allocate", "importCandidates"} <= set(found)
    finally:
        window.close()
        context.shutdown()
