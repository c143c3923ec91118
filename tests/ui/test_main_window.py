"""The main window and the campaign list, driven through real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from recruit_app.services import campaigns as svc
from recruit_app.services.context import Actor, ServiceContext
from ui.campaigns.model import CampaignTableModel


def _titles(window) -> list[str]:
    model = window.campaigns.model
    return [model.campaign_at(row).title for row in range(model.rowCount())]


def _open_new_dialog(qtbot, page):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=5000)
    return page.dialog


def _create_through_dialog(qtbot, window, title: str, reference: str = "") -> None:
    page = window.campaigns
    dialog = _open_new_dialog(qtbot, page)
    qtbot.keyClicks(dialog.title_edit, title)
    if reference:
        qtbot.keyClicks(dialog.reference_edit, reference)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_window_opens_with_navigation_and_empty_state(window):
    entries = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert entries == ["Campaigns", "Template library", "People", "Audit trail", "Settings"]
    page = window.campaigns
    assert page.body.currentWidget() is page.message
    assert "No campaigns yet" in page.message.label.text()
    assert page.demo_button.isVisible()
    assert window.database_label.text().startswith("SQLite: ")
    window.navigation.setCurrentRow(1)
    assert window.pages.currentWidget() is window.library
    assert not page.open_button.isEnabled()  # nothing selected yet
    assert page.open_button.parent() is not None and page.open_button.isVisibleTo(page)


def test_create_rename_delete_through_the_widgets(qtbot, window, tmp_path):
    page = window.campaigns
    _create_through_dialog(qtbot, window, "Software Developer", "283922")
    assert _titles(window) == ["Software Developer"]
    assert page.body.currentWidget() is page.table
    assert page.selected().reference == "283922"

    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog.title_edit.text() == "Software Developer"
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Senior Software Developer")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _titles(window) == ["Senior Software Developer"]

    window.grab().save(str(tmp_path / "main-window.png"))
    assert (tmp_path / "main-window.png").stat().st_size > 10_000

    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "Delete “Senior Software Developer” (283922)?"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(
            box.findChild(type(page.delete_button), "confirmDeleteButton"),
            Qt.MouseButton.LeftButton,
        )
    assert _titles(window) == []
    assert "No campaigns yet" in page.message.label.text()


def test_cancelling_delete_keeps_the_campaign(qtbot, window):
    page = window.campaigns
    _create_through_dialog(qtbot, window, "Keep me")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    box = page.dialog
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert page.dialog is None  # the answer was taken
    # A delete would have been started as the answer was taken: nothing is running.
    assert page.context.writes.running == 0
    assert _titles(window) == ["Keep me"]


def test_bad_input_shows_next_to_the_field_and_keeps_what_was_typed(qtbot, window):
    page = window.campaigns
    _create_through_dialog(qtbot, window, "First", "R-1")
    dialog = _open_new_dialog(qtbot, page)
    assert not dialog.save_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.title_edit, "Second")
    qtbot.keyClicks(dialog.reference_edit, "R-1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reference_error.isVisible(), timeout=5000)
    assert (
        dialog.reference_error.text() == "The reference 'R-1' is already used by another campaign."
    )
    assert dialog.isVisible()
    assert (dialog.title_edit.text(), dialog.reference_edit.text()) == ("Second", "R-1")
    dialog.title_edit.setText("x" * 201)
    dialog.reference_edit.setText("R-2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.title_error.isVisible(), timeout=5000)
    assert "keep it to 200 or fewer" in dialog.title_error.text()
    assert not dialog.reference_error.isVisible()
    dialog.reject()
    assert _titles(window) == ["First"]


def test_rename_over_someone_elses_change_is_refused_then_can_reload(qtbot, window):
    page = window.campaigns
    _create_through_dialog(qtbot, window, "Developer", "R-1")
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    # Meanwhile, on another desktop:
    other = ServiceContext(page.context.database, Actor("Sam Chair"))
    svc.rename_campaign(other, page.selected().id, title="Lead Developer", expected_version=1)
    dialog.title_edit.setText("Senior Developer")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form_error.isVisible(), timeout=5000)
    assert "was changed by Sam Chair on" in dialog.form_error.text()
    assert dialog.reload_button.isVisible()
    assert dialog.title_edit.text() == "Senior Developer"  # nothing typed is lost
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now titled “Lead Developer”" in dialog.form_error.text(), timeout=5000)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _titles(window) == ["Senior Developer"]


def test_duplicate_archive_and_search(qtbot, window):
    page = window.campaigns
    _create_through_dialog(qtbot, window, "Developer", "R-1")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(page.duplicate_button, Qt.MouseButton.LeftButton)
    assert sorted(_titles(window)) == ["Copy of Developer", "Developer"]
    assert page.selected().title == "Copy of Developer"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert _titles(window) == ["Developer"]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show_archived.setChecked(True)
    assert sorted(_titles(window)) == ["Copy of Developer", "Developer"]
    qtbot.keyClicks(page.search, "copy")
    assert _titles(window) == ["Copy of Developer"]
    page.search.setText("zzz")
    assert page.message.label.text() == "No campaign matches your search."


def test_demo_button_fills_the_list(qtbot, window):
    page = window.campaigns
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert _titles(window) == ["Software Developer"]


def test_newer_database_shows_the_reason_and_a_way_out(qtbot, make_window, sqlite_url):
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(sqlite_url)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    window = make_window(sqlite_url, wait=False)
    page = window.campaigns
    qtbot.waitUntil(lambda: "newer version of Recruit" in page.message.label.text(), timeout=5000)
    assert page.settings_button.isVisible()
    assert not page.new_button.isEnabled()
    qtbot.mouseClick(page.settings_button, Qt.MouseButton.LeftButton)
    assert window.settings_dialog is not None and window.settings_dialog.isVisible()
    window.settings_dialog.reject()


def test_campaign_model_passes_the_model_tester(qtmodeltester, ctx):
    for title in ("Alpha", "Beta", "Gamma"):
        svc.create_campaign(ctx, title=title)
    model = CampaignTableModel()
    model.set_campaigns(svc.list_campaigns(ctx))
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.campaign_at(r).title for r in range(3)] == ["Gamma", "Beta", "Alpha"]
    model.set_filter("ET")
    assert [model.campaign_at(r).title for r in range(1)] == ["Beta"] and model.rowCount() == 1


def test_dialog_buttons_are_standard(qtbot, window):
    dialog = _open_new_dialog(qtbot, window.campaigns)
    assert dialog.buttons.standardButtons() == (
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    assert isinstance(dialog.title_error, QLabel)
    dialog.reject()


def test_a_panel_member_is_offered_opening_campaigns_not_making_them(qtbot, window):
    page = window.campaigns
    assert page.new_button.isVisibleTo(page) and page.delete_button.isVisibleTo(page)
    window.context.actor = Actor("Sam Rivera", role="panel_member", person_id=None)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.open_button.isVisibleTo(page)
    for button in (
        page.new_button,
        page.empty_new_button,
        page.rename_button,
        page.duplicate_button,
        page.archive_button,
        page.delete_button,
    ):
        assert not button.isVisibleTo(page), button.text()


def test_a_new_campaign_opens_and_enter_opens_the_chosen_one(qtbot, window):
    page = window.campaigns
    opened: list[tuple[int, str, str]] = []
    page.open_requested.connect(lambda *args: opened.append(args))
    _create_through_dialog(qtbot, window, "Software Developer", "283922")
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert [(ref, title) for _id, ref, title in opened] == [("283922", "Software Developer")]
    for window_opened in list(window.campaign_windows.values()):
        qtbot.addWidget(window_opened)
    opened.clear()
    page.table.setFocus()
    page.select_campaign(page.selected().id)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [(ref, title) for _id, ref, title in opened] == [("283922", "Software Developer")]
    opened.clear()
    centre = page.table.visualRect(page.table.model().index(0, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert len(opened) == 1  # a double-click opens it once


def test_the_list_shows_closing_date_candidates_and_the_stage_in_progress(qtbot, window):
    from datetime import UTC, datetime

    from ui.campaigns.model import COLUMNS, status_label

    page = window.campaigns
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert COLUMNS == (
        "Reference", "Title", "Status", "Closes", "Candidates", "In progress", "Last changed",
    )  # fmt: skip
    row = [page.model.index(0, c).data() for c in range(6)]
    demo = page.model.index(0, 0).data(Qt.ItemDataRole.UserRole)
    closes = demo.closes_at
    assert closes is not None and demo.candidates == 40
    assert row[4:] == ["40", "Video interview"]  # the sift and the exercise are final
    # A live campaign whose advert has closed says so, whatever its stored status.
    assert demo.status == "live"
    assert status_label(demo, closes) == "Closed to applications"
    assert status_label(demo, closes.replace(year=closes.year - 1)) == "Live"
    assert row[2] == status_label(demo, datetime.now(UTC))
