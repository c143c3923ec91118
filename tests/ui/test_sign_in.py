"""Signing in to the desktop app: the dialog, the waits after failures, the first
administrator, changing one's password, signing out and in as someone else."""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from recruit_app.services.auth import (
    create_first_administrator,
    reset_password,
    set_sign_in_required,
    sign_in,
)
from recruit_app.services.campaigns import create_campaign
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.people import create_person
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.sign_in.dialogs import ChangePasswordDialog, FirstAdministratorDialog, SignInDialog

PASSWORD = "correct horse battery"
WRONG = "The e-mail address or password is not right."
WAIT = re.compile(r"Too many attempts that failed: try again in [1-5] seconds?\.")


def _team(url: str) -> dict[str, int]:
    """An administrator and two recruiting managers with passwords, a campaign each, and
    sign-in switched on."""
    db = open_db(url)
    try:
        admin = create_first_administrator(
            db, email="ada@example.org", name="Ada Admin", password=PASSWORD
        )
        ctx = ServiceContext(db, admin)
        ids = {"ada": admin.person_id}
        for key, name in (("rita", "Rita Manager"), ("max", "Max Manager")):
            person = create_person(
                ctx, name=name, email=f"{key}@example.org", role="recruiting_manager"
            )
            reset_password(ctx, person.id, PASSWORD)
            ids[key] = person.id
            manager = Actor(name, "recruiting_manager", person.id)
            create_campaign(ServiceContext(db, manager), title=f"{name.split()[0]}'s campaign")
        pam = create_person(ctx, name="Pam Panel", email="pam@example.org", role="panel_member")
        reset_password(ctx, pam.id, PASSWORD)
        ids["pam"] = pam.id
        if db.backend == "sqlite":
            set_sign_in_required(ctx, True)
    finally:
        db.dispose()
    return ids


@pytest.fixture
def open_window(qtbot, app_home):
    """A main window as the app builds it: nobody named, so the database decides on sign-in."""
    contexts: list[AppContext] = []

    def make(url: str) -> MainWindow:
        context = AppContext(Settings(), db_url_override=url)
        contexts.append(context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1100, 650)
        window.show()
        window.open_database()
        return window

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def team_url(sqlite_url):
    _team(sqlite_url)
    return sqlite_url


def _dialog(qtbot, window):
    qtbot.waitUntil(lambda: window.sign_in.dialog is not None, timeout=10_000)
    dialog = window.sign_in.dialog
    assert dialog.isVisible()
    return dialog


def _try(qtbot, dialog, email: str, password: str) -> None:
    """Type (QTest cannot type "@": the address is set as if pasted) and press Sign in."""
    dialog.email_edit.setText(email)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _refused(qtbot, dialog) -> str:
    """The message once the worker has answered (pressing Sign in hides the last one)."""
    qtbot.waitUntil(
        lambda: dialog.buttons.isEnabled() and dialog.form_error.isVisible(), timeout=10_000
    )
    return dialog.form_error.text()


def _sign_in_as(qtbot, window, email: str) -> None:
    dialog = _dialog(qtbot, window)
    with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
        _try(qtbot, dialog, email, PASSWORD)
    assert not dialog.isVisible()


def _titles(window) -> list[str]:
    model = window.campaigns.model
    return sorted(model.campaign_at(row).title for row in range(model.rowCount()))


def _assert_signed_out(window) -> None:
    assert window.content.currentWidget() is window.signed_out
    assert window.signed_out.title.text() == "Sign in to see campaigns."
    assert window.campaigns.model.rowCount() == 0
    assert window.context.database is None
    assert not window.person_label.isVisible()
    assert not window.navigation.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert window.sign_in_action.isVisible() and not window.sign_out_action.isVisible()


def test_a_file_with_sign_in_switched_on_asks_at_start(qtbot, open_window, team_url, tmp_path):
    window = open_window(team_url)
    dialog = _dialog(qtbot, window)
    assert isinstance(dialog, SignInDialog)
    assert dialog.save_button.text() == "Sign in"
    assert dialog.intro.text() == "This database asks everyone to sign in."
    assert dialog.where.text() == f"SQLite: {team_url}"
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    _assert_signed_out(window)  # behind the dialog: nothing from the database
    assert window.database_label.text() == f"SQLite: {team_url}"
    dialog.grab().save(str(tmp_path / "sign-in.png"))
    assert (tmp_path / "sign-in.png").stat().st_size > 5_000


def test_wrong_password_keeps_the_email_then_three_failures_make_you_wait(
    qtbot, open_window, team_url, tmp_path
):
    window = open_window(team_url)
    dialog = _dialog(qtbot, window)
    _try(qtbot, dialog, "rita@example.org", "not the password")
    assert _refused(qtbot, dialog) == WRONG
    assert dialog.email_edit.text() == "rita@example.org"
    assert dialog.password_edit.text() == ""
    assert dialog.isVisible() and window.context.database is None
    dialog.grab().save(str(tmp_path / "sign-in-refused.png"))

    for _ in range(2):
        _try(qtbot, dialog, "rita@example.org", "still not it")
        assert _refused(qtbot, dialog) == WRONG
    # Three failures in a row: even the right password must wait now.
    dialog.form_error.hide()
    _try(qtbot, dialog, "rita@example.org", PASSWORD)
    assert WAIT.fullmatch(_refused(qtbot, dialog)), dialog.form_error.text()
    assert dialog.password_edit.text() == "" and dialog.isVisible()
    _assert_signed_out(window)


def test_an_empty_field_is_refused_before_any_check(qtbot, open_window, team_url):
    window = open_window(team_url)
    dialog = _dialog(qtbot, window)
    dialog.password_edit.setText(PASSWORD)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.label_for("email")
    assert error.isVisible() and error.text() == "Give the e-mail address you sign in with."
    assert dialog.password_edit.text() == PASSWORD  # not tried, so not cleared
    assert window.context.writes.running == 0


def test_the_right_password_shows_campaigns_as_that_person(qtbot, open_window, team_url, tmp_path):
    ids = _team_ids(team_url)
    window = open_window(team_url)
    _sign_in_as(qtbot, window, "rita@example.org")
    assert window.context.actor == Actor("Rita Manager", "recruiting_manager", ids["rita"])
    assert _titles(window) == ["Rita's campaign"]  # not Max's
    assert window.content.currentWidget() is window.pages
    assert window.person_label.text() == "Signed in as Rita Manager (recruiting manager)"
    assert window.person_label.isVisible()
    assert window.sign_out_action.isVisible() and window.change_password_action.isVisible()
    assert not window.sign_in_action.isVisible()
    window.grab().save(str(tmp_path / "signed-in.png"))
    assert (tmp_path / "signed-in.png").stat().st_size > 10_000


def _team_ids(url: str) -> dict[str, int]:
    from recruit_app.services.people import list_people

    db = open_db(url)
    try:
        admin = Actor("Ada Admin", "administrator")
        rows = list_people(ServiceContext(db, admin))
    finally:
        db.dispose()
    return {row.email.split("@")[0]: row.id for row in rows}


def test_cancel_shows_no_campaigns_and_a_way_to_sign_in(qtbot, open_window, team_url, tmp_path):
    window = open_window(team_url)
    dialog = _dialog(qtbot, window)
    dialog.reject()
    assert window.sign_in.dialog is None
    _assert_signed_out(window)
    assert window.signed_out.sign_in_button.isVisible()
    assert window.signed_out.detail.text() == (
        "This database asks everyone to sign in. Nothing from it is shown until you do."
    )
    assert window.signed_out.where.text() == f"SQLite: {team_url}"
    window.grab().save(str(tmp_path / "signed-out.png"))
    window.navigation.setCurrentRow(1)  # the library cannot be reached either
    assert window.content.currentWidget() is window.signed_out

    qtbot.mouseClick(window.signed_out.sign_in_button, Qt.MouseButton.LeftButton)
    _sign_in_as(qtbot, window, "ada@example.org")
    assert _titles(window) == ["Max's campaign", "Rita's campaign"]  # an administrator
    assert window.person_label.text() == "Signed in as Ada Admin (administrator)"


@pytest.mark.postgres
def test_first_administrator_on_a_new_shared_database(qtbot, open_window, pg_url, tmp_path):
    window = open_window(pg_url)
    dialog = _dialog(qtbot, window)
    assert isinstance(dialog, FirstAdministratorDialog)
    _assert_signed_out(window)
    assert window.database_label.text().startswith("PostgreSQL: ")
    dialog.name_edit.setText("Ada Admin")
    dialog.email_edit.setText("ada@example.org")
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText("correct horse battery!")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.label_for("again").text() == "The two passwords are not the same."
    assert dialog.password_edit.text() == "" and dialog.again_edit.text() == ""
    assert dialog.name_edit.text() == "Ada Admin"
    dialog.grab().save(str(tmp_path / "first-administrator.png"))

    dialog.password_edit.setText("short")
    dialog.again_edit.setText("short")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.label_for("password")
    qtbot.waitUntil(error.isVisible, timeout=5000)
    assert error.text() == "Choose a password of at least 10 characters."
    assert not dialog.label_for("again").isVisible()

    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD)
    with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    actor = window.context.actor
    assert (actor.name, actor.role) == ("Ada Admin", "administrator")
    assert window.person_label.text() == "Signed in as Ada Admin (administrator)"
    assert "No campaigns yet" in window.campaigns.message.label.text()
    # The administrator can sign in with what they chose.
    assert sign_in(window.context.database, "ada@example.org", PASSWORD) == actor


def test_change_password(qtbot, open_window, team_url, tmp_path):
    window = open_window(team_url)
    _sign_in_as(qtbot, window, "rita@example.org")
    window.change_password_action.trigger()
    dialog = window.password_dialog
    assert isinstance(dialog, ChangePasswordDialog) and dialog.isVisible()
    assert dialog.intro.text() == "Signed in as Rita Manager."
    dialog.old_edit.setText("not my password")
    dialog.new_edit.setText("a brand new passphrase")
    dialog.again_edit.setText("a brand new passphrase")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.label_for("old_password")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "The current password is not right."
    assert dialog.old_edit.text() == ""
    assert dialog.new_edit.text() == "a brand new passphrase"  # only what failed is cleared
    dialog.grab().save(str(tmp_path / "change-password.png"))

    dialog.old_edit.setText(PASSWORD)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Your password is changed."
    database = window.context.database
    with pytest.raises(Exception, match="not right"):
        sign_in(database, "rita@example.org", PASSWORD)
    assert sign_in(database, "rita@example.org", "a brand new passphrase").name == "Rita Manager"


def test_sign_out_closes_campaign_windows_and_back_in_as_someone_else(qtbot, open_window, team_url):
    window = open_window(team_url)
    _sign_in_as(qtbot, window, "rita@example.org")
    campaign = window.campaigns.model.campaign_at(0)
    campaign_window = window.open_campaign(campaign.id, campaign.reference, campaign.title)
    builder = campaign_window.advert
    qtbot.waitUntil(lambda: builder.form is not None, timeout=10_000)
    builder.editors["title"].edit.setText("Rita's campaign, edited")
    assert builder.dirty

    # Signing out asks about the unsaved edit; keeping them keeps Rita signed in.
    window.sign_out_action.trigger()
    question = campaign_window.question
    assert isinstance(question, QMessageBox) and question.isVisible()
    question.button(QMessageBox.StandardButton.Cancel).click()
    assert campaign_window.isVisible()
    assert window.context.actor.name == "Rita Manager" and window.context.database is not None
    assert window.statusBar().currentMessage() == (
        "Still signed in: a campaign window was kept open with its changes."
    )

    window.sign_out_action.trigger()
    campaign_window.question.button(QMessageBox.StandardButton.Discard).click()
    assert window.campaign_windows == {}
    dialog = _dialog(qtbot, window)
    assert isinstance(dialog, SignInDialog)
    assert dialog.email_edit.text() == "rita@example.org"  # offered again
    _assert_signed_out(window)
    assert window.statusBar().currentMessage() == "Rita Manager signed out."

    dialog.email_edit.clear()
    _sign_in_as(qtbot, window, "max@example.org")
    assert _titles(window) == ["Max's campaign"]
    assert window.person_label.text() == "Signed in as Max Manager (recruiting manager)"


def test_switching_database_in_settings_goes_through_sign_in(
    qtbot, open_window, sqlite_url, sqlite_template, tmp_path
):
    team_file = tmp_path / "team.sqlite3"
    shutil.copyfile(sqlite_template, team_file)
    _team(str(team_file))
    window = open_window(sqlite_url)  # a file without sign-in: the desk's owner acts
    qtbot.waitUntil(lambda: window.context.database is not None, timeout=10_000)
    assert window.sign_in.dialog is None and not window.context.signed_in
    assert not window.sign_out_action.isVisible()
    window.open_settings()
    settings = window.settings_dialog
    settings.database_edit.setText(str(team_file))
    qtbot.mouseClick(settings.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, window)
    assert not settings.isVisible()
    assert dialog.where.text() == f"SQLite: {team_file}"
    _assert_signed_out(window)
    _sign_in_as(qtbot, window, "max@example.org")
    assert _titles(window) == ["Max's campaign"]
    assert window.database_label.text() == f"SQLite: {team_file}"


def _entries(window) -> list[str]:
    items = (window.navigation.item(row) for row in range(window.navigation.count()))
    return [item.text() for item in items if not item.isHidden()]


def test_the_side_bar_and_people_screen_follow_who_signs_in(qtbot, open_window, team_url):
    window = open_window(team_url)
    _sign_in_as(qtbot, window, "pam@example.org")
    assert _entries(window) == ["Campaigns", "Template library", "Settings"]

    window.sign_out_action.trigger()
    dialog = _dialog(qtbot, window)
    dialog.email_edit.clear()
    _sign_in_as(qtbot, window, "rita@example.org")
    assert _entries(window) == [
        "Campaigns",
        "Template library",
        "People",
        "Audit trail",
        "Settings",
    ]
    assert window.people.password_button.isHidden()  # only administrators set passwords
