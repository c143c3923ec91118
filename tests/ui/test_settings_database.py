"""The Settings dialog's "This database" group: sign-in and how long personal data is kept,
for administrators, saved in the database so every desktop follows them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from recruit_app.services.auth import create_first_administrator, sign_in_required
from recruit_app.services.branding import organisation_settings
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.retention import retention_months
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow

NO_ADMINISTRATOR = "Give an administrator a password first, or nobody could sign in."


def _open_settings(qtbot, window):
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _loaded(qtbot, dialog) -> None:
    qtbot.waitUntil(
        lambda: dialog.database_values is not None and dialog.organisation_loaded is not None,
        timeout=10_000,
    )


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)


def test_the_group_reads_then_saves_retention_and_the_sign_in_switch(
    qtbot, window, tmp_path, app_home
):
    ctx = window.context.service_context()
    create_first_administrator(ctx.db, email="ada@example.org", name="Ada Admin", password="x" * 12)
    dialog = _open_settings(qtbot, window)
    group = dialog.database_group
    assert group.isVisible() and group.title() == "This database"
    assert not dialog.retention_spin.isEnabled()  # until read, in a worker
    _loaded(qtbot, dialog)
    assert dialog.database_values == (False, 24)
    assert not dialog.sign_in_check.isChecked() and dialog.sign_in_check.isEnabled()
    assert dialog.sign_in_check.text() == "Ask everyone to sign in"
    assert dialog.retention_spin.value() == 24
    assert (dialog.retention_spin.minimum(), dialog.retention_spin.maximum()) == (1, 120)
    dialog.grab().save(str(tmp_path / "settings-database.png"))
    assert (tmp_path / "settings-database.png").stat().st_size > 10_000

    dialog.retention_spin.setValue(36)
    dialog.sign_in_check.setChecked(True)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert retention_months(ctx) == 36
    assert sign_in_required(ctx.db) is True
    assert window.statusBar().currentMessage() == (
        "Sign-in switched on: from the next start everyone signs in. "
        "Personal data is kept for 36 months after a campaign closes."
    )

    # Opened again, the group shows what the database now says; unchanged, nothing is written.
    dialog = _open_settings(qtbot, window)
    _loaded(qtbot, dialog)
    assert dialog.database_values == (True, 36)
    assert dialog.sign_in_check.isChecked() and dialog.retention_spin.value() == 36
    dialog.sign_in_check.setChecked(False)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert sign_in_required(ctx.db) is False and retention_months(ctx) == 36
    assert window.statusBar().currentMessage() == "Sign-in switched off."


def test_sign_in_is_refused_without_an_administrator_and_nothing_is_saved(
    qtbot, window, app_home, tmp_path
):
    ctx = window.context.service_context()
    dialog = _open_settings(qtbot, window)
    _loaded(qtbot, dialog)
    dialog.sign_in_check.setChecked(True)
    dialog.retention_spin.setValue(48)
    dialog.organisation_edit.setText("Home Office")
    _save(qtbot, dialog)
    qtbot.waitUntil(dialog.sign_in_error.isVisible, timeout=10_000)
    assert dialog.sign_in_error.text() == NO_ADMINISTRATOR
    assert not dialog.retention_error.isVisible()
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert dialog.sign_in_check.isChecked() and dialog.retention_spin.value() == 48  # kept
    dialog.grab().save(str(tmp_path / "settings-refused.png"))
    assert sign_in_required(ctx.db) is False
    assert retention_months(ctx) == 24  # not saved either
    assert not (app_home / "config" / "settings.json").exists()
    assert not organisation_settings(ctx).in_database

    # Unticked again, the rest saves.
    dialog.sign_in_check.setChecked(False)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert retention_months(ctx) == 48
    assert organisation_settings(ctx).name == "Home Office"


def test_people_other_than_administrators_do_not_see_the_group(qtbot, app_home, sqlite_url):
    context = AppContext(
        Settings(), db_url_override=sqlite_url, actor=Actor("Rita", "recruiting_manager", 7)
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.campaigns.loaded, timeout=10_000):
            window.open_database()
        dialog = _open_settings(qtbot, window)
        assert dialog.database_group.isHidden()
        # Its values are read off the GUI thread as the dialog opens: no read was started
        # but the organisation's, which everyone sees.
        assert window.context.reads.running == 1
        assert dialog.database_values is None
        dialog.reject()
    finally:
        context.shutdown()


@pytest.mark.postgres
def test_on_a_shared_server_everyone_signs_in(qtbot, make_window, pg_url):
    window = make_window(pg_url)
    dialog = _open_settings(qtbot, window)
    _loaded(qtbot, dialog)
    assert dialog.sign_in_check.text() == "Everyone signs in on a shared server"
    assert dialog.sign_in_check.isChecked() and not dialog.sign_in_check.isEnabled()
    assert not dialog.sign_in_hint.isVisible()
    dialog.retention_spin.setValue(12)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    db = open_db(pg_url)
    try:
        assert retention_months(ServiceContext(db, Actor("Ada", "administrator"))) == 12
    finally:
        db.dispose()
