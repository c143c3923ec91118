"""The People and Audit trail screens, driven through their real widgets on the demo data."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from recruit_app.services.audit_trail import audit_events
from recruit_app.services.auth import sign_in
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.people import create_person, list_people
from recruit_app.services.stages import stages_overview
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.people.model import NAME

DEMO_DAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_db(str(path))
    build_demo(ServiceContext(db=db, actor=Actor("Recruit set-up")), today=DEMO_DAY)
    db.dispose()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "recruit.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def as_admin(demo_path: Path):
    """A service context on the same file, acting as the demo's administrator."""
    db = open_db(str(demo_path))
    admin = next(p for p in _people(db) if p.role == "administrator")
    yield ServiceContext(db=db, actor=Actor(admin.name, "administrator", admin.id))
    db.dispose()


def _people(db):
    return list_people(ServiceContext(db=db, actor=Actor("Reader")))


@pytest.fixture
def open_as(qtbot, demo_path: Path, as_admin: ServiceContext):
    """The main window on the demo database, acting as the demo person with this e-mail."""
    contexts: list[AppContext] = []
    people = {p.email: p for p in list_people(as_admin)}

    def open_window(email: str) -> MainWindow:
        person = people[email]
        actor = Actor(person.name, person.role, person.id)
        context = AppContext(Settings(), db_url_override=str(demo_path), actor=actor)
        contexts.append(context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1100, 650)
        window.show()
        with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
            window.open_database()
        return window

    yield open_window
    for context in contexts:
        context.shutdown()


ADMIN = "alex.morgan@example.gov.uk"
MANAGER = "priya.raman@example.gov.uk"
PANEL = "tom.okonkwo@example.gov.uk"
ALEX_CHOICE = "Alex Morgan (alex.morgan@example.gov.uk)"  # as the person filter lists him


def _entries(window: MainWindow) -> list[str]:
    items = (window.navigation.item(row) for row in range(window.navigation.count()))
    return [item.text() for item in items if not item.isHidden()]


def _show_people(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        window.navigation.setCurrentRow(_entries(window).index("People"))


def _names(window: MainWindow) -> list[str]:
    model = window.people.model
    return [model.index(row, NAME).data() for row in range(model.rowCount())]


def _select(window: MainWindow, name: str) -> None:
    window.people.table.selectRow(_names(window).index(name))


# --- who sees the screens ------------------------------------------------------------


def test_panel_members_see_neither_people_nor_audit_trail(open_as):
    assert _entries(open_as(ADMIN)) == [
        "Campaigns",
        "Template library",
        "People",
        "Audit trail",
        "Settings",
    ]
    assert _entries(open_as(PANEL)) == ["Campaigns", "Template library", "Settings"]


def test_the_people_list_shows_everyone_with_their_panels(qtbot, open_as):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    assert _names(window) == [
        "Alex Morgan",
        "Hannah Lee",
        "Marek Kowalski",
        "Priya Raman",
        "Tom Okonkwo",
    ]
    row = _names(window).index("Priya Raman")
    cells = [window.people.model.index(row, c).data() for c in range(6)]
    assert cells == [
        "Priya Raman",
        "priya.raman@example.gov.uk",
        "Recruiting manager",
        "Yes",
        "Yes",
        "—",
    ]
    window.people.search.setText("kowal")
    assert _names(window) == ["Marek Kowalski"]


# --- adding and changing people -----------------------------------------------------------


def test_adding_a_person_lists_them_and_audits_it(qtbot, open_as, as_admin):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    window.people.add_button.click()
    dialog = window.people.dialog
    dialog.name_edit.setText("  Siân  O'Connor ")
    dialog.email_edit.setText("Sian.OConnor@Example.gov.uk")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("panel_member"))
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        dialog.save_button.click()
    assert "Siân O'Connor" in _names(window)
    assert window.people.selected().name == "Siân O'Connor"
    assert window.people.status.text() == "Added Siân O'Connor."
    added = next(p for p in list_people(as_admin) if p.name == "Siân O'Connor")
    assert (added.email, added.role, added.active) == (
        "sian.oconnor@example.gov.uk",
        "panel_member",
        True,
    )
    event = audit_events(as_admin).rows[0]
    assert (event.who, event.action, event.what) == (
        "Alex Morgan",
        "person.create",
        "Added Siân O'Connor",
    )


def test_a_bad_email_is_refused_in_the_dialog_and_nothing_typed_is_lost(qtbot, open_as, as_admin):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    window.people.add_button.click()
    dialog = window.people.dialog
    dialog.name_edit.setText("Dev Patel")
    dialog.email_edit.setText("dev.patel at home")
    dialog.save_button.click()
    label = dialog.label_for("email")
    qtbot.waitUntil(lambda: label.isVisible(), timeout=10_000)
    assert label.text() == "'dev.patel at home' does not look like an e-mail address."
    assert dialog.isVisible()
    assert (dialog.name_edit.text(), dialog.email_edit.text()) == ("Dev Patel", "dev.patel at home")
    assert len(list_people(as_admin)) == 5


def test_deactivating_and_reactivating_someone(qtbot, open_as, as_admin):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    _select(window, "Tom Okonkwo")
    assert window.people.active_button.text() == "&Deactivate"
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        window.people.active_button.click()
    tom = next(p for p in list_people(as_admin) if p.name == "Tom Okonkwo")
    assert not tom.active
    assert window.people.status.text() == "Deactivated Tom Okonkwo."
    assert window.people.active_button.text() == "&Reactivate"
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        window.people.active_button.click()
    assert next(p for p in list_people(as_admin) if p.name == "Tom Okonkwo").active


def test_you_cannot_deactivate_yourself(qtbot, open_as):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    _select(window, "Alex Morgan")
    assert not window.people.active_button.isEnabled()
    assert window.people.active_button.toolTip() == "You cannot deactivate yourself."


def test_an_administrator_sets_a_password_they_then_sign_in_with(qtbot, open_as, demo_path):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    _select(window, "Hannah Lee")
    window.people.password_button.click()
    dialog = window.people.dialog
    dialog.password_edit.setText("a brand new pass phrase")
    dialog.confirm_edit.setText("a brand new pass phrase")
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        dialog.save_button.click()
    assert window.people.status.text() == "Set a new password for Hannah Lee."
    db = open_db(str(demo_path))
    try:
        actor = sign_in(db, "hannah.lee@example.gov.uk", "a brand new pass phrase")
    finally:
        db.dispose()
    assert (actor.name, actor.role) == ("Hannah Lee", "panel_member")


def test_passwords_that_differ_are_refused(qtbot, open_as):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    _select(window, "Hannah Lee")
    window.people.password_button.click()
    dialog = window.people.dialog
    dialog.password_edit.setText("a brand new pass phrase")
    dialog.confirm_edit.setText("a brand new pass phrasf")
    dialog.save_button.click()
    assert dialog.label_for("confirm").text() == "The two passwords are not the same."
    assert dialog.isVisible()


def test_a_recruiting_manager_changes_panel_members_only(qtbot, open_as):
    window = open_as(MANAGER)
    _show_people(qtbot, window)
    page = window.people
    assert page.password_button.isHidden()
    _select(window, "Alex Morgan")
    assert not page.edit_button.isEnabled()
    assert page.edit_button.toolTip() == (
        "Only an administrator can change administrators and recruiting managers."
    )
    _select(window, "Marek Kowalski")
    assert page.edit_button.isEnabled()
    page.add_button.click()
    roles = [page.dialog.role_combo.itemData(i) for i in range(page.dialog.role_combo.count())]
    assert roles == ["panel_member"]


def test_putting_someone_on_a_panel_from_the_people_screen(qtbot, open_as, as_admin):
    create_person(as_admin, name="Sam Spare", email="sam.spare@example.org")
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    _select(window, "Sam Spare")
    window.people.panels_button.click()
    dialog = window.people.dialog
    qtbot.waitUntil(lambda: dialog.stage_combo.count() > 0, timeout=10_000)
    dialog.stage_combo.setCurrentIndex(dialog.stage_combo.findText("Video interview"))
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("member"))
    with qtbot.waitSignal(window.people.loaded, timeout=10_000):
        dialog.add_button.click()
    campaign_id = next(iter(_campaign_ids(as_admin)))
    interview = next(
        s for s in stages_overview(as_admin, campaign_id).stages if s.name == "Video interview"
    )
    assert ("Sam Spare", "member") in {(seat.name, seat.role) for seat in interview.panel}
    row = _names(window).index("Sam Spare")
    assert window.people.model.index(row, 5).data() == "283922 Video interview (member)"


def _campaign_ids(ctx: ServiceContext) -> list[int]:
    from recruit_app.services.campaigns import list_campaigns

    return [c.id for c in list_campaigns(ctx)]


# --- the audit trail -------------------------------------------------------------------------


def _show_audit(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.audit.loaded, timeout=10_000):
        window.navigation.setCurrentRow(_entries(window).index("Audit trail"))


def _audit_column(window: MainWindow, column: int) -> list[str]:
    model = window.audit.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_audit_trail_lists_filters_and_cannot_be_edited(qtbot, open_as, as_admin):
    create_person(as_admin, name="Sam Spare", email="sam.spare@example.org")
    window = open_as(ADMIN)
    _show_audit(qtbot, window)
    page = window.audit
    assert _audit_column(window, 2) == [
        "person.create",
        "demo.build",
        "slots.allocate",
        "slots.generate",
        "results.finalise",  # the technical exercise
        "results.finalise",  # the CV sift
        "advert.publish",
    ]
    assert page.count_label.text() == "7 events, newest first."
    first = page.model.index(0, 0)
    assert not page.model.flags(first) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.person_combo.setCurrentIndex(page.person_combo.findText(ALEX_CHOICE))
    assert _audit_column(window, 3) == ["Added Sam Spare"]
    assert "sam.spare@example.org" in page.detail.toPlainText()
    # By kind of change, the person filter taken off again.
    page.person_combo.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.kind_combo.setCurrentIndex(
            page.kind_combo.findText("Outcomes, merit order and reserve lists")
        )
    assert _audit_column(window, 2) == ["results.finalise", "results.finalise"]
    assert [page.kind_combo.itemText(i) for i in (0, 1)] == [
        "Every kind of change",
        "Scores and conflicts of interest",
    ]


def test_the_audit_trail_exports_what_is_filtered_as_csv(qtbot, open_as, as_admin, tmp_path):
    create_person(as_admin, name="Sam Spare", email="sam.spare@example.org")
    window = open_as(ADMIN)
    _show_audit(qtbot, window)
    page = window.audit
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.person_combo.setCurrentIndex(page.person_combo.findText(ALEX_CHOICE))
    target = tmp_path / "trail.csv"
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_to(target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["When (UK time)", "Who", "Action", "What", "Campaign"]
    assert [row[1:4] for row in rows[1:]] == [["Alex Morgan", "person.create", "Added Sam Spare"]]
    assert page.status.text() == f"Wrote {target}"


def test_an_administrator_gives_a_manager_equality_monitoring(qtbot, open_as, as_admin):
    window = open_as(ADMIN)
    _show_people(qtbot, window)
    page = window.people
    _select(window, "Priya Raman")
    page.edit_button.click()
    dialog = page.dialog
    box = dialog.monitoring_box
    assert not box.isHidden() and box.isEnabled() and not box.isChecked()
    box.setChecked(True)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        dialog.save_button.click()
    priya = next(p for p in list_people(as_admin) if p.name == "Priya Raman")
    assert priya.equality_monitoring
    # Not for a panel member: the box is off and cannot be ticked.
    _select(window, "Marek Kowalski")
    page.edit_button.click()
    assert not page.dialog.monitoring_box.isEnabled()
    page.dialog.reject()


def test_a_manager_is_not_offered_giving_equality_monitoring(qtbot, open_as):
    window = open_as(MANAGER)
    _show_people(qtbot, window)
    window.people.add_button.click()
    assert window.people.dialog.monitoring_box.isHidden()
    window.people.dialog.reject()
