"""Nothing moves when a message appears: the widgets below a message keep their place and
the window its size, on a few screens that show messages in different ways."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.campaigns import find_campaign
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.settings import Settings
from ui.campaign.window import CampaignWindow
from ui.context import AppContext
from ui.posts import PostsTab
from ui.posts.dialog import PostDialog
from ui.scoring.scoring_tab import ScoringTab
from ui.widgets import MessageLine

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 15_000
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def make_context(qtbot, app_home, sqlite_url):
    contexts: list[AppContext] = []

    def make(*, demo: bool = False) -> AppContext:
        context = AppContext(Settings(), actor=Actor("Alex Manager"))
        context.use_database(open_db(sqlite_url))
        if demo:
            build_demo(context.service_context(), today=DEMO_DAY)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.shutdown()


def _places(widgets: list[QWidget], window: QWidget) -> list[QRect]:
    """Where each widget is within `window`, and how big: what a jump would change."""
    return [QRect(w.mapTo(window, QPoint(0, 0)), w.size()) for w in widgets]


def _settle(qtbot) -> None:
    """Let the layouts run (they are posted events) before measuring."""
    QApplication.processEvents()
    qtbot.wait(50)
    QApplication.processEvents()


def test_a_check_message_in_the_advert_form_moves_no_field(qtbot, make_context):
    context = make_context()
    campaign = create_from_template(
        context.service_context(), "DDAT-DEV-SEO", title="Developer", reference="DEV-1"
    )
    window = CampaignWindow(context, campaign.id, campaign.reference, campaign.title)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    builder = window.advert
    qtbot.waitUntil(lambda: builder.form is not None and builder.findings != (), timeout=TIMEOUT)
    _settle(qtbot)
    body = builder.form_area.widget()
    fields = list(builder.editors.values())
    before = _places(fields, body)
    window_size = window.size()
    error = builder.errors["contact_email"]
    assert error.isVisible()  # the template leaves the contact's e-mail to be written

    edit = builder.editors["contact_email"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "jobs@example.gov.uk")
    qtbot.waitUntil(lambda: not error.isVisible(), timeout=TIMEOUT)
    _settle(qtbot)
    assert _places(fields, body) == before  # the message went: nothing moved up
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    _settle(qtbot)
    assert _places(fields, body) == before  # it came back: nothing moved down
    assert window.size() == window_size


def test_the_advert_tab_save_message_moves_nothing(qtbot, make_context):
    context = make_context()
    campaign = create_from_template(
        context.service_context(), "DDAT-DEV-SEO", title="Developer", reference="DEV-1"
    )
    window = CampaignWindow(context, campaign.id, campaign.reference, campaign.title)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    builder = window.advert
    qtbot.waitUntil(lambda: builder.form is not None, timeout=TIMEOUT)
    _settle(qtbot)
    watched = [builder.form_area, builder.save_button, builder.side]
    before = _places(watched, window)
    edit = builder.editors["contact_email"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "jobs@example.gov.uk")
    with qtbot.waitSignal(builder.saved, timeout=TIMEOUT):
        qtbot.mouseClick(builder.save_button, CLICK)
    _settle(qtbot)
    assert builder.status.text()
    assert _places(watched, window) == before
    # An export's message (its file dialog is not driven here) puts its warnings on a
    # second line.
    builder.status.setText("Exported to /a/rather/long/path/advert.pdf\nA warning about it")
    _settle(qtbot)
    assert _places(watched, window) == before
    builder.status.setText("")
    _settle(qtbot)
    assert _places(watched, window) == before


def test_the_scoring_sheets_message_line_moves_nothing(qtbot, make_context):
    context = make_context(demo=True)
    campaign = find_campaign(context.service_context(), "283922")
    tab = ScoringTab(context, campaign.id)
    qtbot.addWidget(tab)
    tab.resize(1024, 640)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    _settle(qtbot)
    watched = [tab.table, tab.detail]
    before = _places(watched, tab)
    assert tab.status.text().startswith("Type a score")  # the keys' hint, two lines long
    qtbot.keyClicks(tab.table, "9")  # off the scale: refused, in one line
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert tab.status.text() == "9 is not on the scale: type a score from 1 to 7."
    _settle(qtbot)
    assert _places(watched, tab) == before

    combo = tab.stage_combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith("CV sift"))
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        combo.activated.emit(index)
    _settle(qtbot)
    assert tab.status.text() == ""  # a final stage: no hint
    before = _places(watched, tab)
    qtbot.keyClicks(tab.table, "2")  # refused: the stage is final
    assert tab.status.text() == "The results of CV sift are final, so its scores are locked."
    _settle(qtbot)
    assert _places(watched, tab) == before


def test_a_field_error_in_a_dialog_moves_no_field_and_keeps_the_size(qtbot, make_context):
    context = make_context()
    campaign = create_from_template(
        context.service_context(), "HO-HRBP-G7", title="HR Business Partners", reference="HR-1"
    )
    tab = PostsTab(context, campaign.id)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    qtbot.mouseClick(tab.add_button, CLICK)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, PostDialog), timeout=TIMEOUT)
    dialog = tab.dialog
    assert isinstance(dialog, PostDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    _settle(qtbot)
    watched = [dialog.title_edit, dialog.grade_edit, dialog.criteria_list, dialog.buttons]
    before, size = _places(watched, dialog), dialog.size()
    qtbot.mouseClick(dialog.save_button, CLICK)  # no title: refused
    error = dialog.findChild(MessageLine, "titleError")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert error.text() == "Give the post a title."
    _settle(qtbot)
    assert _places(watched, dialog) == before
    assert dialog.size() == size
    assert dialog.focusWidget() is dialog.title_edit  # the field is pointed out


def test_a_long_message_is_cut_with_the_whole_text_in_its_tooltip(qtbot):
    line = MessageLine("probe", lines=2)
    qtbot.addWidget(line)
    line.resize(200, line.height())
    line.show()
    height = line.height()
    words = "The reference is already used by another campaign; choose another one. " * 4
    line.setText(words)
    assert line.height() == height
    assert line.text() == words  # the whole message, for code and tests
    assert line.shown_text().endswith("…") and len(line.shown_text()) < len(words)
    assert line.toolTip() == words
    line.setText("Saved.")
    assert line.shown_text() == "Saved." and line.toolTip() == ""
