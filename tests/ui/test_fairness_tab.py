"""The Fairness tab driven through real widgets: the demo with invented monitoring answers,
who is offered the tab, and the chart it draws."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db.models import Person
from recruit_app.domain.fairness import suppressed_text
from recruit_app.readmodels import FLAG_WORDS, UK_LAW_NOTE, FairnessLine
from recruit_app.services import equality
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.demo_equality import add_demo_monitoring
from recruit_app.services.people import set_equality_monitoring
from recruit_app.services.stages import stages_overview
from recruit_app.settings import Settings
from recruit_app.vocabulary import Role
from ui.campaign.window import CampaignWindow
from ui.context import AppContext
from ui.fairness.chart import FairnessChart
from ui.fairness.tab import FairnessTab

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 15_000
ADMIN = Actor("Alex Manager")


@pytest.fixture
def demo(sqlite_url):
    """The demo campaign with invented monitoring answers: (url, campaign id)."""
    db = open_db(sqlite_url)
    try:
        ctx = ServiceContext(db=db, actor=ADMIN)
        build_demo(ctx, today=DEMO_DAY)
        campaign_id = campaign_id_for(ctx, "283922")
        with db.session() as session:
            add_demo_monitoring(session, campaign_id, 2026)
            session.commit()
    finally:
        db.dispose()
    return sqlite_url, campaign_id


@pytest.fixture
def contexts():
    made: list[AppContext] = []
    yield made
    for context in made:
        context.shutdown()


def _context(url: str, made: list[AppContext], actor: Actor = ADMIN) -> AppContext:
    context = AppContext(Settings(), actor=actor)
    context.use_database(open_db(url))
    made.append(context)
    return context


def _person(url: str, email: str, role: str) -> Actor:
    db = open_db(url)
    try:
        with db.session() as session:
            person = session.exec(select(Person).where(Person.email == email)).one()
            return Actor(person.name, role=role, person_id=person.id)
    finally:
        db.dispose()


def _window(qtbot, context: AppContext, campaign_id: int) -> CampaignWindow:
    window = CampaignWindow(context, campaign_id, "283922", "Software Developer")
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    return window


def _labels(window: CampaignWindow) -> list[str]:
    return [
        window.tabs.tabText(i) for i in range(window.tabs.count()) if window.tabs.isTabVisible(i)
    ]


def _shown(tab: FairnessTab) -> list[tuple[str, ...]]:
    model = tab.model
    return [
        tuple(str(model.index(r, c).data()) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_the_cv_sift_shows_the_services_figures_the_flag_and_suppression(
    qtbot, qtmodeltester, demo, contexts
):
    url, campaign_id = demo
    context = _context(url, contexts)
    window = _window(qtbot, context, campaign_id)
    assert _labels(window)[7:9] == ["Results", "Fairness"]
    tab = window.fairness
    assert tab is not None
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        window.tabs.setCurrentWidget(tab)
    ctx = context.service_context()
    sift = stages_overview(ctx, campaign_id).stages[0]
    assert sift.name == "CV sift"
    expected = equality.fairness_figures(ctx, campaign_id, stage_id=sift.id, characteristic="sex")
    tab.choose("CV sift", "sex")
    assert tab.table.isColumnHidden(0)  # one stage: no stage column
    rows = _shown(tab)
    by_group = {row[1]: row for row in rows}
    female = next(r for r in expected.rows if r.group == "female")
    male = next(r for r in expected.rows if r.group == "male")
    assert (female.entered, female.progressed, male.entered, male.progressed) == (17, 9, 23, 5)
    assert male.flag and not female.flag
    assert by_group["Female"][2:] == (
        "17", "9", f"{female.rate * 100:.1f}%", "1.00", f"{female.p_value:.3f}", "",
    )  # fmt: skip
    assert by_group["Male"][2:] == (
        "23", "5", "21.7%", f"{male.impact_ratio:.2f}", f"{male.p_value:.3f}", FLAG_WORDS,
    )  # fmt: skip
    assert by_group["Male"][5] == "0.41" and by_group["Female"][4] == "52.9%"
    assert by_group["All candidates"][2:5] == ("40", "14", "35.0%")
    # Nobody chose "Prefer not to say" or gave no answer to this one: no rows for them.
    assert [row[1] for row in rows] == ["Female", "Male", "All candidates"]
    assert UK_LAW_NOTE in tab.note.text() and "Prefer not to say" in tab.note.text()
    qtmodeltester.check(tab.model)

    # All stages: the later stages' sex figures are suppressed as the service says.
    tab.choose(None, "sex")
    assert not tab.table.isColumnHidden(0)
    every = equality.fairness_figures(ctx, campaign_id, characteristic="sex")
    hidden = suppressed_text(5)
    suppressed = [(r.stage, r.group) for r in every.rows if r.suppressed]
    assert suppressed  # the technical exercise's and the interview's groups
    shown = {(row[0], row[1]): row for row in _shown(tab)}
    for stage, group in suppressed:
        label = {"female": "Female", "male": "Male"}[group]
        assert shown[stage, label][2:7] == (hidden,) * 5
    # The chart: the sift's two bars, then outlines for the suppressed groups.
    assert tab.chart.bars()[:2] == [("Female", female.rate), ("Male", male.rate)]
    assert ("Female", None) in tab.chart.bars() and ("Male", None) in tab.chart.bars()
    assert not tab.chart.grab().isNull()
    # Another question, where small groups are suppressed at the sift.
    tab.choose("CV sift", "ethnic_group")
    rows = _shown(tab)
    assert ("White", hidden) in [(row[1], row[2]) for row in rows]


def test_the_chart_draws_a_bar_per_group_and_an_outline_for_suppressed_ones(qtbot):
    def line(stage, group, entered, progressed, *, flag=False, suppressed=False, total=False):
        rate = None if suppressed or not entered else progressed / entered
        return FairnessLine(
            stage, group, None if suppressed else entered, None if suppressed else progressed,
            rate, None, flag, None, suppressed, total, compared=not total,
        )  # fmt: skip

    chart = FairnessChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    chart.set_lines(
        [
            line("Sift", "Female", 17, 9),
            line("Sift", "Male", 23, 5, flag=True),
            line("Sift", "All candidates", 40, 14, total=True),
            line("Interview", "Female", 0, 0, suppressed=True),
            line("Interview", "Male", 0, 0, suppressed=True),
        ],
        suppressed_text(5),
    )
    chart.show()
    image = chart.grab()
    assert not image.isNull()
    assert chart.drawn == [
        ("Sift", "Female", 9 / 17),
        ("Sift", "Male", 5 / 23),
        ("Interview", "Female", None),
        ("Interview", "Male", None),
    ]
    assert chart.bars() == [("Female", 9 / 17), ("Male", 5 / 23), ("Female", None), ("Male", None)]
    # The dashed line at four fifths of the highest rate; none where all are suppressed.
    assert chart.lines_drawn == [("Sift", pytest.approx(0.8 * 9 / 17))]


@pytest.mark.parametrize("role", [Role.RECRUITING_MANAGER, Role.PANEL_MEMBER])
def test_only_those_who_may_monitor_get_the_tab(qtbot, demo, contexts, role):
    url, campaign_id = demo
    email = "priya.raman@example.gov.uk" if role == Role.RECRUITING_MANAGER else (
        "tom.okonkwo@example.gov.uk"
    )  # fmt: skip
    actor = _person(url, email, role)
    context = _context(url, contexts, actor)
    window = _window(qtbot, context, campaign_id)
    qtbot.wait(500)  # a manager's check comes back from a worker: a refusal adds nothing
    assert context.reads.running == 0
    assert window.fairness is None
    assert "Fairness" not in _labels(window)
    assert not window.findChildren(FairnessTab)


def test_a_manager_given_equality_monitoring_gets_the_tab(qtbot, demo, contexts):
    url, campaign_id = demo
    actor = _person(url, "priya.raman@example.gov.uk", Role.RECRUITING_MANAGER)
    admin = _context(url, contexts)
    set_equality_monitoring(admin.service_context(), actor.person_id, True, expected_version=None)
    context = _context(url, contexts, actor)
    window = _window(qtbot, context, campaign_id)
    qtbot.waitUntil(lambda: window.fairness is not None, timeout=TIMEOUT)
    assert _labels(window)[7:9] == ["Results", "Fairness"]
    tab = window.fairness
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        window.tabs.setCurrentWidget(tab)
    tab.choose("CV sift", "sex")
    assert [row[1] for row in _shown(tab)] == ["Female", "Male", "All candidates"]
