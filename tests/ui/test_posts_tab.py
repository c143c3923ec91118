"""The Posts tab, driven through real widgets on a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.posts import add_post, list_posts, update_post
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.posts import POSTS, PostsTab
from ui.posts.dialog import CODE_ROLE, PostDialog
from ui.posts.model import PostsModel
from ui.posts.tab import NO_POSTS_NOTE, POSTS_NOTE

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def make_context(qtbot, app_home):
    contexts: list[AppContext] = []

    def make(url: str, actor: Actor | None = None) -> AppContext:
        context = AppContext(Settings(), actor=actor or Actor("Alex Manager"))
        context.use_database(open_db(url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def context(make_context, sqlite_url):
    return make_context(sqlite_url)


@pytest.fixture
def campaign_id(context: AppContext) -> int:
    return create_from_template(
        context.service_context(), "HO-HRBP-G7", title="HR Business Partners", reference="HR-1"
    ).id


def _open(qtbot, context: AppContext, campaign_id: int) -> PostsTab:
    tab = PostsTab(context, campaign_id)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.load()
    return tab


def _column(tab: PostsTab, column: int) -> list[str]:
    return [tab.model.index(row, column).data() for row in range(tab.model.rowCount())]


def _dialog(tab: PostsTab) -> PostDialog:
    dialog = tab.dialog
    assert isinstance(dialog, PostDialog) and dialog.isVisible()
    return dialog


def _tick(dialog: PostDialog, *codes: str) -> None:
    for row in range(dialog.criteria_list.count()):
        item = dialog.criteria_list.item(row)
        if item.data(CODE_ROLE) in codes:
            item.setCheckState(Qt.CheckState.Checked)


def test_add_a_post_through_the_dialog(qtbot, context, campaign_id) -> None:
    tab = _open(qtbot, context, campaign_id)
    assert tab.model.rowCount() == 0
    assert tab.note.text() == NO_POSTS_NOTE
    assert not tab.edit_button.isEnabled() and not tab.remove_button.isEnabled()
    published: list[frozenset[str]] = []
    context.bus.changed.connect(published.append)

    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = _dialog(tab)
    assert dialog.all_criteria.isChecked() and not dialog.criteria_list.isEnabled()
    assert dialog.grade_edit.placeholderText() == "The advert's: Grade 7"
    qtbot.keyClicks(dialog.title_edit, "Senior HR Business Partner")
    qtbot.keyClicks(dialog.grade_edit, "Grade 6")
    dialog.count_spin.setValue(2)
    dialog.locations_edit.setPlainText("Croydon\n\nSheffield\n")
    dialog.description_edit.setPlainText("Lead the people agenda.")
    dialog.responsibilities_edit.setPlainText("Coach leaders\nShape change")
    dialog.all_criteria.setChecked(False)
    assert dialog.criteria_list.isEnabled()
    _tick(dialog, "EXP1", "LC")
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    assert tab.dialog is None
    assert _column(tab, 0) == ["A"]
    assert _column(tab, 1) == ["Senior HR Business Partner"]
    assert _column(tab, 2) == ["Grade 6"]
    assert _column(tab, 3) == ["2"]
    assert _column(tab, 4) == ["Croydon, Sheffield"]
    assert _column(tab, 5) == ["2 of 11"]
    assert tab.note.text() == POSTS_NOTE
    assert "one annex per post" in tab.note.text()
    assert tab.selected_post() is not None and tab.selected_post().title.startswith("Senior")
    assert published == [frozenset({POSTS})]
    [post] = list_posts(context.service_context(), campaign_id).posts
    assert post.criteria == ("EXP1", "LC")
    assert post.responsibilities == "Coach leaders\nShape change"


def test_errors_show_beside_their_fields_and_keep_the_dialog(qtbot, context, campaign_id) -> None:
    add_post(context.service_context(), campaign_id, {"title": "Head of Talent"})
    tab = _open(qtbot, context, campaign_id)
    qtbot.mouseClick(tab.add_button, CLICK)
    dialog = _dialog(tab)
    qtbot.mouseClick(dialog.save_button, CLICK)
    error = dialog.findChild(type(dialog.form_error), "titleError")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "Give the post a title."
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.title_edit, "head of talent")
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: "already has a post" in error.text(), timeout=10_000)

    # Choosing criteria one by one but ticking none is caught before any save.
    dialog.title_edit.setText("Deputy Head of Talent")
    dialog.all_criteria.setChecked(False)
    qtbot.mouseClick(dialog.save_button, CLICK)
    criteria_error = dialog.findChild(type(dialog.form_error), "criteriaError")
    assert criteria_error.isVisible() and "Tick the criteria" in criteria_error.text()
    assert not error.isVisible()
    _tick(dialog, "CP")
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    assert _column(tab, 1) == ["Head of Talent", "Deputy Head of Talent"]
    assert _column(tab, 5) == ["All 11", "1 of 11"]


def test_edit_with_a_conflict_offers_to_reload(qtbot, context, campaign_id) -> None:
    ctx = context.service_context()
    post = add_post(ctx, campaign_id, {"title": "Head of Talent", "criteria": ["EXP1"]})
    tab = _open(qtbot, context, campaign_id)
    tab.table.selectRow(0)
    tab.table.doubleClicked.emit(tab.model.index(0, 1))
    dialog = _dialog(tab)
    assert dialog.title_edit.text() == "Head of Talent"
    assert not dialog.all_criteria.isChecked()
    assert dialog.chosen_codes() == ["EXP1"]

    other = ServiceContext(db=ctx.db, actor=Actor("Sam Other"))
    update_post(other, post.id, {"grade": "Grade 6"}, post.version)
    dialog.count_spin.setValue(4)
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(dialog.reload_button.isVisible, timeout=10_000)
    assert "changed by Sam Other" in dialog.form_error.text()
    qtbot.mouseClick(dialog.reload_button, CLICK)
    qtbot.waitUntil(lambda: not dialog.reload_button.isVisible(), timeout=10_000)
    assert "Sam Other saved their version of Head of Talent." in dialog.form_error.text()
    assert dialog.count_spin.value() == 4  # what the user typed is kept
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    [saved] = list_posts(ctx, campaign_id).posts
    # Saving again knowingly replaces their version with the whole form.
    assert (saved.count, saved.grade, saved.version) == (4, "", 3)


def test_move_and_remove_asking_first(qtbot, context, campaign_id) -> None:
    ctx = context.service_context()
    for title in ("First", "Second", "Third"):
        add_post(ctx, campaign_id, {"title": title})
    tab = _open(qtbot, context, campaign_id)
    tab.table.selectRow(2)
    assert tab.down_button.isEnabled() is False and tab.up_button.isEnabled()
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(tab.up_button, CLICK)
    assert _column(tab, 1) == ["First", "Third", "Second"]
    assert tab.selected_post().title == "Third"  # the moved post stays selected
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(tab.up_button, CLICK)
    assert _column(tab, 1) == ["Third", "First", "Second"]
    assert _column(tab, 0) == ["A", "B", "C"]

    tab.table.selectRow(1)
    qtbot.mouseClick(tab.remove_button, CLICK)
    box = tab.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "Remove the post First (Annex B) from this campaign?"
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=5000)
    assert tab.model.rowCount() == 3

    qtbot.mouseClick(tab.remove_button, CLICK)
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(tab.dialog.findChild(QPushButton, "confirmRemovePostButton"), CLICK)
    assert _column(tab, 1) == ["Third", "Second"]
    assert _column(tab, 0) == ["A", "B"]


def test_a_stale_remove_is_refused_and_the_tab_reloads(qtbot, context, campaign_id) -> None:
    ctx = context.service_context()
    post = add_post(ctx, campaign_id, {"title": "Head of Talent"})
    tab = _open(qtbot, context, campaign_id)
    update_post(ServiceContext(db=ctx.db, actor=Actor("Sam Other")), post.id, {"count": 2}, 1)
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.remove_button, CLICK)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(tab.dialog.findChild(QPushButton, "confirmRemovePostButton"), CLICK)
    assert isinstance(tab.dialog, QMessageBox) and tab.dialog.objectName() == "errorBox"
    assert "changed by Sam Other" in tab.dialog.text()
    assert _column(tab, 3) == ["2"]  # their change is shown


def test_refreshes_on_the_change_bus_and_tests_its_model(
    qtbot, qtmodeltester, context, campaign_id
) -> None:
    tab = _open(qtbot, context, campaign_id)
    add_post(context.service_context(), campaign_id, {"title": "Head of Talent"})
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        context.bus.publish(POSTS)
    assert _column(tab, 1) == ["Head of Talent"]
    # Empty grade and locations show the advert's, greyed, with a tip saying so.
    assert _column(tab, 2) == ["Grade 7"]
    tip = tab.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Not set for this post: the advert's is used."
    qtmodeltester.check(tab.model, force_py=True)
    qtmodeltester.check(PostsModel(), force_py=True)


def test_a_panel_member_sees_the_posts_without_the_buttons(
    qtbot, make_context, sqlite_url, context, campaign_id
) -> None:
    from recruit_app.services.people import create_person
    from recruit_app.services.stages import SeatChoice, set_panel, stages_overview

    ctx = context.service_context()
    add_post(ctx, campaign_id, {"title": "Head of Talent"})
    pat = create_person(ctx, name="Pat Panel", email="pat@example.org")
    stage = stages_overview(ctx, campaign_id).stages[0]
    set_panel(ctx, stage.id, [SeatChoice(pat.id, "chair", 1)], expected_version=stage.version)
    panel = make_context(sqlite_url, Actor("Pat Panel", "panel_member", pat.id))
    tab = _open(qtbot, panel, campaign_id)
    assert _column(tab, 1) == ["Head of Talent"]
    for button in (tab.add_button, tab.edit_button, tab.remove_button, tab.up_button):
        assert not button.isVisible()
    tab.table.doubleClicked.emit(tab.model.index(0, 1))
    assert tab.dialog is None
