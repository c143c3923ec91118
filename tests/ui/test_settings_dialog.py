"""The settings dialog: seeing, testing and switching the database."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from recruit_app.services import campaigns as svc


def _open_settings(qtbot, window):
    settings_row = window.navigation.count() - 1
    assert window.navigation.item(settings_row).text() == "Settings"
    window.navigation.setCurrentRow(settings_row)  # the Settings entry opens the dialog
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.pages.currentIndex() == 0  # the page behind stays where it was
    return dialog


def test_shows_the_database_in_use(qtbot, window, sqlite_url):
    dialog = _open_settings(qtbot, window)
    assert dialog.current_label.text() == f"SQLite file: {sqlite_url}"
    dialog.reject()


def test_test_connection_reports_success_and_failure(qtbot, window, tmp_path):
    dialog = _open_settings(qtbot, window)
    dialog.database_edit.setText(str(tmp_path / "new.sqlite3"))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Recruit will create it there" in dialog.test_result.text(), timeout=5000
    )
    assert not (tmp_path / "new.sqlite3").exists()  # a test changes nothing
    dialog.database_edit.setText("postgresql://nobody:pw@127.0.0.1:1/recruit")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "cannot reach the PostgreSQL" in dialog.test_result.text(), timeout=10_000
    )
    dialog.database_edit.setText("not a url://at all")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is not a database URL" in dialog.test_result.text(), timeout=5000)
    dialog.database_edit.setText(str(tmp_path / "no such folder" / "new.sqlite3"))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "does not exist" in dialog.test_result.text(), timeout=5000)
    assert not (tmp_path / "no such folder").exists()
    dialog.reject()


def test_a_file_in_a_folder_that_does_not_exist_is_refused_not_made(
    qtbot, window, sqlite_url, tmp_path, app_home
):
    typo = tmp_path / "tema" / "other.sqlite3"
    dialog = _open_settings(qtbot, window)
    dialog.database_edit.setText(str(typo))
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.switch_error.isVisible(), timeout=5000)
    assert f"The folder {typo.parent} does not exist" in dialog.switch_error.text()
    assert f"Still using SQLite file: {sqlite_url}." in dialog.switch_error.text()
    assert not typo.parent.exists()
    assert str(window.context.database.target.path) == sqlite_url
    dialog.reject()


def test_failed_switch_keeps_the_previous_database(qtbot, window, sqlite_url, tmp_path, app_home):
    svc.create_campaign(window.context.service_context(), title="Still here")
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    dialog = _open_settings(qtbot, window)
    dialog.database_edit.setText(str(bad))
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.switch_error.isVisible(), timeout=5000)
    assert dialog.switch_error.text().startswith("Could not switch: ")
    assert f"Still using SQLite file: {sqlite_url}." in dialog.switch_error.text()
    assert dialog.isVisible() and dialog.database_edit.text() == str(bad)
    assert str(window.context.database.target.path) == sqlite_url
    assert not (app_home / "config" / "settings.json").exists()
    dialog.reject()


def test_switching_to_a_new_file_reloads_the_list_and_saves_the_choice(
    qtbot, window, tmp_path, app_home
):
    svc.create_campaign(window.context.service_context(), title="In the old database")
    new_file = tmp_path / "team" / "other.sqlite3"
    new_file.parent.mkdir()  # Recruit makes no folder for a path typed in (a typo?)
    dialog = _open_settings(qtbot, window)
    dialog.database_edit.setText(str(new_file))
    dialog.your_name_edit.setText("  Jane   Smith ")
    with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.context.database.target.path == new_file
    assert window.campaigns.model.rowCount() == 0
    assert window.database_label.text() == f"SQLite: {new_file}"
    saved = json.loads((app_home / "config" / "settings.json").read_text())
    assert saved == {"database_url": str(new_file), "your_name": "Jane Smith"}


def _open_settings_read(qtbot, window):
    """The dialog once it has read the organisation's settings from the database."""
    window.navigation.setCurrentRow(window.navigation.count() - 1)
    dialog = window.settings_dialog
    if dialog.organisation_loaded is None:  # read off the GUI thread, delivered in the loop
        with qtbot.waitSignal(dialog.organisation_loaded_signal, timeout=10_000):
            pass
    return dialog


def test_the_organisation_is_checked_then_stored_for_every_desk_and_audited(
    qtbot, window, tmp_path, app_home
):
    from PySide6.QtGui import QColor, QImage

    from recruit_app.services.audit_trail import audit_events
    from recruit_app.services.branding import document_theme, organisation_settings

    logo = tmp_path / "logo #1 é.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#8f23b3"))
    assert image.save(str(logo))
    dialog = _open_settings_read(qtbot, window)
    assert dialog.organisation_status.text().startswith("Not yet set for every desk")
    dialog.organisation_edit.setText("Home  Office")
    dialog.colour_edit.setText("purple")
    dialog.logo_edit.setText(str(tmp_path / "missing.png"))
    dialog.marking_edit.setText("OFFICIAL-SENSITIVE")
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused: each reason beside its field
    assert dialog.colour_error.text() == "'purple' is not a colour: write it like #1d70b8."
    assert dialog.logo_error.text() == f"There is no file at {tmp_path / 'missing.png'}."
    ctx = window.context.service_context()
    assert not organisation_settings(ctx).in_database  # nothing stored

    dialog.colour_edit.setText("#8F23B3")
    dialog.logo_edit.setText(str(logo))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    stored = organisation_settings(ctx)
    assert (stored.name, stored.colour, stored.marking, stored.logo_name, stored.in_database) == (
        "Home Office",
        "#8f23b3",
        "OFFICIAL-SENSITIVE",
        "logo #1 é.png",
        True,
    )
    theme = document_theme(ctx, personal=True)
    assert (theme.organisation, theme.primary, theme.marking) == (
        "Home Office",
        "#8f23b3",
        "OFFICIAL-SENSITIVE",
    )
    assert theme.logo_path is not None and theme.logo_path.read_bytes() == logo.read_bytes()
    # Nothing of the organisation is kept on this desk: another desk prints the same.
    saved = app_home / "config" / "settings.json"
    assert not saved.exists() or "Home Office" not in saved.read_text()
    event = audit_events(ctx).rows[0]
    assert (event.who, event.what) == (
        "Alex Manager",
        "Changed the organisation printed on documents: its name, its colour, the marking, "
        "the logo",
    )

    # Opened again: what is stored, and saving unchanged stores nothing more.
    dialog = _open_settings_read(qtbot, window)
    assert dialog.organisation_status.isHidden()
    assert dialog.logo_edit.text() == "logo #1 é.png"
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert audit_events(ctx).total == 1

    # Emptying the logo removes it.
    dialog = _open_settings_read(qtbot, window)
    dialog.logo_edit.clear()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert organisation_settings(ctx).logo_name == ""
    assert document_theme(ctx).logo_path is None


def test_a_panel_member_sees_the_organisation_but_cannot_change_it(qtbot, make_window, sqlite_url):
    from recruit_app.services.branding import set_organisation
    from recruit_app.services.context import Actor, ServiceContext

    window = make_window(sqlite_url)
    set_organisation(window.context.service_context(), name="HMRC", colour="", marking="")
    window.context.actor = Actor("Pat Panel", "panel_member")
    dialog = _open_settings_read(qtbot, window)
    assert dialog.organisation_edit.text() == "HMRC"
    assert dialog.organisation_edit.isReadOnly() and dialog.marking_edit.isReadOnly()
    assert not dialog.browse_logo_button.isEnabled()
    assert dialog.organisation_status.text() == "An administrator sets these for every desk."
    assert dialog.database_group.isHidden()
    assert isinstance(window.context.service_context(), ServiceContext)


def test_your_name_is_what_the_audit_trail_records_without_sign_in(qtbot, app_home, sqlite_url):
    from recruit_app.services.audit_trail import audit_events
    from recruit_app.services.context import computer_user
    from recruit_app.settings import Settings
    from ui.context import AppContext
    from ui.main_window import MainWindow

    context = AppContext(Settings(), db_url_override=sqlite_url)
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
            window.open_database()
        assert context.actor.name == computer_user()  # nobody gave a name yet
        assert window.person_label.text() == f"Working as {computer_user()}"
        dialog = _open_settings_read(qtbot, window)
        assert dialog.your_name_edit.placeholderText() == (
            f"Empty: this computer's user, {computer_user()}"
        )
        dialog.your_name_edit.setText("Jane\x00 Smith")
        with qtbot.waitSignal(dialog.finished, timeout=10_000):
            qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        assert context.actor.name == "Jane Smith"
        assert window.person_label.text() == "Working as Jane Smith"
        svc.create_campaign(context.service_context(), title="Named")
        assert audit_events(context.service_context()).rows[0].who == "Jane Smith"
        # The next start acts under the same name.
        assert AppContext(Settings(), db_url_override=sqlite_url).desk_owner().name == (
            "Jane Smith"
        )
    finally:
        context.shutdown()
