"""The campaign window as a whole: its tabs, in the order a campaign runs, kept in step."""

from __future__ import annotations

from datetime import date

import pytest

from recruit_app.services.campaigns import find_campaign
from recruit_app.services.candidates import list_candidates, update_candidate
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.settings import Settings
from ui import change_bus
from ui.campaign.window import CampaignWindow
from ui.context import AppContext
from ui.widgets import LoadWhenShown

DEMO_DAY = date(2026, 11, 25)


@pytest.fixture
def demo_window(qtbot, app_home, sqlite_url):
    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    ctx = context.service_context()
    build_demo(ctx, today=DEMO_DAY)
    campaign = find_campaign(ctx, "283922")
    window = CampaignWindow(context, campaign.id, campaign.reference, campaign.title)
    qtbot.addWidget(window)
    window.resize(1400, 880)
    window.show()
    yield window
    context.shutdown()


def _wait_loaded(qtbot, window: CampaignWindow) -> None:
    """Each tab reads when first shown: show them in turn, as someone looking round would."""
    window.tabs.setCurrentWidget(window.candidates)
    qtbot.waitUntil(lambda: window.candidates.model.rowCount() == 40, timeout=15_000)
    window.tabs.setCurrentWidget(window.results)
    qtbot.waitUntil(lambda: window.results.data.results is not None, timeout=15_000)
    window.tabs.setCurrentWidget(window.scoring)
    qtbot.waitUntil(lambda: window.scoring.model.sheet is not None, timeout=15_000)


def _waiting(tab) -> bool:
    return tab.findChild(LoadWhenShown, "loadWhenShown").waiting


def test_the_window_reads_the_tab_in_front_only_then_each_tab_when_shown(qtbot, demo_window):
    advert = demo_window.advert
    qtbot.waitUntil(lambda: advert.form is not None, timeout=15_000)
    assert demo_window.tabs.currentWidget() is advert and not _waiting(advert)
    # Nothing else was read: the other tabs wait until they are shown.
    assert demo_window.candidates.model.rowCount() == 0
    assert demo_window.results.data.results is None
    assert demo_window.scoring.model.sheet is None
    assert all(_waiting(t) for t in demo_window.all_tabs() if t is not advert)
    with qtbot.waitSignal(demo_window.results.loaded, timeout=15_000):
        demo_window.tabs.setCurrentWidget(demo_window.results)
    assert demo_window.results.data.results is not None
    assert demo_window.candidates.model.rowCount() == 0  # still not shown, still not read


def test_every_part_of_the_campaign_has_a_tab_in_the_order_it_runs(qtbot, demo_window):
    labels = [demo_window.tabs.tabText(i) for i in range(demo_window.tabs.count())]
    assert labels == [
        "Advert",
        "Posts",
        "Stages",
        "Assessment matrix",
        "Timetable",
        "Candidates",
        "Scoring",
        "Results",
        "Fairness",  # an administrator's (services.equality.may_monitor)
        "Interview slots",
        "Exports",
    ]
    _wait_loaded(qtbot, demo_window)
    assert demo_window.windowTitle() == "283922 – Software Developer – Recruit"


def test_a_change_made_elsewhere_reaches_the_candidates_and_results_tabs(qtbot, demo_window):
    _wait_loaded(qtbot, demo_window)
    context = demo_window.context
    ctx = context.service_context()
    campaign_id = demo_window.campaign_id
    first = next(c for c in list_candidates(ctx, campaign_id) if c.candidate_number == "0001")
    update_candidate(ctx, first.id, {"last_name": "Evans-Price"}, expected_version=first.version)
    # The tab in front reads the change at once; a hidden one when it is shown again.
    with qtbot.waitSignal(demo_window.scoring.loaded, timeout=10_000):
        context.bus.publish(change_bus.CANDIDATES)
    assert _waiting(demo_window.candidates) and _waiting(demo_window.results)
    with qtbot.waitSignal(demo_window.results.loaded, timeout=10_000):
        demo_window.tabs.setCurrentWidget(demo_window.results)
    with qtbot.waitSignal(demo_window.candidates.loaded, timeout=10_000):
        demo_window.tabs.setCurrentWidget(demo_window.candidates)
    names = [
        demo_window.candidates.model.index(row, 1).data()
        for row in range(demo_window.candidates.model.rowCount())
    ]
    assert any("Evans-Price" in str(name) for name in names)


def test_closing_with_nothing_unsaved_does_not_ask(qtbot, demo_window):
    _wait_loaded(qtbot, demo_window)
    with qtbot.waitSignal(demo_window.closed, timeout=5000):
        demo_window.close()
    assert demo_window.question is None


def test_the_window_never_opens_past_the_screens_edges(qtbot, demo_window):
    """On a small laptop screen the campaign window fits, with room for its frame."""
    room = demo_window.screen().availableGeometry()
    hint = demo_window.sizeHint()
    assert hint.width() <= room.width() and hint.height() <= room.height()
    assert hint.width() == min(1280, room.width() - 16)
    assert hint.height() == min(820, room.height() - 48)


def test_every_tab_narrows_to_a_1024_wide_window_and_fits_a_laptop_screen(qtbot, demo_window):
    """A 1366 x 768 laptop, or a window halved to 1024: every tab keeps its buttons and
    tables whole (rows of buttons wrap rather than set a minimum no screen can give)."""
    window = demo_window
    _wait_loaded(qtbot, window)
    for tab in window.all_tabs():
        window.tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        label = window.tabs.tabText(window.tabs.indexOf(tab))
        hint = tab.minimumSizeHint()
        assert hint.width() <= 1000, (label, hint.width())
        assert hint.height() <= 680, (label, hint.height())
    needed = window.minimumSizeHint()
    assert needed.width() <= 1000 and needed.height() <= 680, needed
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    for tab in window.all_tabs():  # narrowed, each tab is as wide as the window lets it be
        window.tabs.setCurrentWidget(tab)
        assert tab.width() <= 1024
