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
    dialog.organisation_edit.setText("Home Office")
    with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.context.database.target.path == new_file
    assert window.campaigns.model.rowCount() == 0
    assert window.database_label.text() == f"SQLite: {new_file}"
    saved = json.loads((app_home / "config" / "settings.json").read_text())
    assert saved == {
        "database_url": str(new_file),
        "organisation_name": "Home Office",
        "brand_colour": "",
        "logo_path": "",
    }


def test_the_organisation_colour_and_logo_are_checked_then_used_on_documents(
    qtbot, window, tmp_path, app_home
):
    from PySide6.QtGui import QColor, QImage

    from recruit_app.services.branding import document_theme

    logo = tmp_path / "logo.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#8f23b3"))
    assert image.save(str(logo))
    dialog = _open_settings(qtbot, window)
    dialog.colour_edit.setText("purple")
    dialog.logo_edit.setText(str(tmp_path / "missing.png"))
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused: each reason beside its field
    assert dialog.colour_error.text() == "'purple' is not a colour: write it like #1d70b8."
    assert dialog.logo_error.text() == f"There is no file at {tmp_path / 'missing.png'}."
    assert not (app_home / "config" / "settings.json").exists()

    dialog.colour_edit.setText("#8F23B3")
    dialog.logo_edit.setText(str(logo))
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    theme = document_theme(window.context.service_context())
    assert (theme.primary, theme.logo_path) == ("#8f23b3", logo)
