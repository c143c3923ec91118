"""The Timetable and Interview slots tabs driven through real widgets on the demo campaign."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, Qt, QTime
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QToolTip

from recruit_app.services import slots as slot_svc
from recruit_app.services import stages as stage_svc
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.schedule.slots_tab import SlotsTab
from ui.schedule.timeline import COLOURS, HOLIDAY, TODAY
from ui.schedule.timetable_tab import TimetableTab

DEMO_DAY = date(2026, 11, 25)  # the demo's sift is the week before; interviews 7 to 11 Dec
TIMEOUT = 10_000


@pytest.fixture
def demo_on(qtbot):
    """An app context on `url` holding the demo campaign, and the campaign's id."""
    contexts: list[AppContext] = []

    def make(url: str) -> tuple[AppContext, int]:
        context = AppContext(Settings(), actor=Actor("Alex Manager"))
        context.use_database(open_db(url))
        contexts.append(context)
        ctx = context.service_context()
        build_demo(ctx, today=DEMO_DAY)
        return context, campaign_id_for(ctx, "283922")

    yield make
    for context in contexts:
        context.shutdown()


def _open(qtbot, tab):
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    return tab


@pytest.fixture
def timetable(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    tab = TimetableTab(context, campaign_id)
    tab.today = lambda: DEMO_DAY
    return _open(qtbot, tab)


@pytest.fixture
def slots(qtbot, demo_on, sqlite_url):
    context, campaign_id = demo_on(sqlite_url)
    return _open(qtbot, SlotsTab(context, campaign_id))


def _column(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _double_click_row(qtbot, table, row: int) -> None:
    centre = table.visualRect(table.model().index(row, 0)).center()
    # The view acts on a double click only where the press before it landed.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def _findings(tab) -> list[str]:
    return [tab.findings.item(i).text() for i in range(tab.findings.count())]


def _error(dialog, field: str) -> QLabel:
    return dialog.findChild(QLabel, f"{field}Error")


# --- the timetable -------------------------------------------------------------------


def test_timetable_lists_the_dates_in_order_and_paints_the_strip(
    qtbot, qtmodeltester, demo_on, db_url
):
    context, campaign_id = demo_on(db_url)
    tab = TimetableTab(context, campaign_id)
    tab.today = lambda: DEMO_DAY
    _open(qtbot, tab)
    qtmodeltester.check(tab.model)
    assert _column(tab.model, 0) == [
        "Advert opens",
        "Online information event, 12:00 to 13:00",
        "Advert closes",
        "CV sift",
        "Technical exercise",
        "Video interview",
        "Decisions",
        "Expected start date",
    ]
    assert _column(tab.model, 1)[:3] == [
        "Wed 28 Oct 2026, 09:00",
        "Wed 11 Nov 2026",
        "Thu 12 Nov 2026, 23:55",  # the advert's times are UK times
    ]
    assert _column(tab.model, 2)[5] == "Fri 11 Dec 2026"
    assert _findings(tab) == ["No problems: the dates are in order and fall on working days."]
    assert tab.checks_box.title() == "Checks (0 to fix, 0 to consider)"

    strip = tab.strip
    assert [r.label for r in strip.rows][:3] == [
        "Advert open",
        "Online information event, 12:00 to 13:00",
        "CV sift",
    ]
    image = strip.grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert {COLOURS["stage"], COLOURS["advert"], HOLIDAY.name(), TODAY.name()} <= colours
    christmas = strip.x_of(date(2026, 12, 25)) + 2
    assert strip.tip_at(christmas, strip.height() - 30) == "Fri 25 Dec 2026: Christmas Day"
    # Hovering there shows the same words.
    at = QPoint(int(christmas), strip.height() - 30)
    assert strip.event(QHelpEvent(QEvent.Type.ToolTip, at, strip.mapToGlobal(at)))
    assert QToolTip.text() == "Fri 25 Dec 2026: Christmas Day"
    QToolTip.hideText()


def test_a_stage_cannot_end_before_it_starts(qtbot, timetable):
    row = _column(timetable.model, 0).index("Video interview")
    _double_click_row(qtbot, timetable.table, row)
    dialog = timetable.dialog
    assert dialog.objectName() == "stageDatesDialog"
    dialog.ends.edit.setDate(QDate(2026, 12, 1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog, "ends_on").isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "ends_on").text() == "Video interview ends before it starts."
    assert dialog.isVisible()  # what was typed stays, to be put right
    ctx = timetable.context.service_context()
    stage = stage_svc.stages_overview(ctx, timetable.campaign_id).stages[2]
    assert stage.ends_on == date(2026, 12, 11)  # nothing saved

    dialog.ends.edit.setDate(QDate(2026, 12, 14))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert _column(timetable.model, 2)[row] == "Mon 14 Dec 2026"
    bar = next(r for r in timetable.strip.rows if r.label == "Video interview")
    assert (bar.starts_on, bar.ends_on) == (date(2026, 12, 7), date(2026, 12, 14))


def test_a_stage_running_over_christmas_warns_of_each_lost_working_day(qtbot, timetable):
    row = _column(timetable.model, 0).index("Video interview")
    _double_click_row(qtbot, timetable.table, row)
    dialog = timetable.dialog
    dialog.ends.edit.setDate(QDate(2027, 1, 4))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # Boxing Day is a Saturday: the working day lost is its substitute, Monday 28 December.
    assert [text for text in _findings(timetable) if text.startswith("Consider")] == [
        "Consider: Friday 25 December 2026 is a bank holiday (Christmas Day), and Video "
        "interview runs that day.",
        "Consider: Monday 28 December 2026 is a bank holiday (Boxing Day (substitute day)), "
        "and Video interview runs that day.",
        "Consider: Friday 1 January 2027 is a bank holiday (New Year's Day), and Video "
        "interview runs that day.",
    ]
    assert timetable.model.index(row, 3).data() == "Consider"
    tip = next(r for r in timetable.strip.rows if r.label == "Video interview").detail
    assert "• Friday 1 January 2027 is a bank holiday (New Year's Day)" in tip


def test_decisions_on_a_bank_holiday_names_it(qtbot, timetable):
    row = _column(timetable.model, 0).index("Decisions")
    _double_click_row(qtbot, timetable.table, row)
    dialog = timetable.dialog
    assert dialog.objectName() == "keyDatesDialog"
    dialog.decisions.edit.setDate(QDate(2026, 12, 25))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _findings(timetable) == [
        "Consider: Friday 25 December 2026 is a bank holiday (Christmas Day), "
        "and decisions are due that day."
    ]
    assert timetable.checks_box.title() == "Checks (0 to fix, 1 to consider)"
    assert timetable.model.index(row, 3).data() == "Consider"
    assert next(r for r in timetable.strip.rows if r.key == "decisions").severity == "warning"

    # Scotland keeps 2 January as a bank holiday; England and Wales do not.
    timetable.select_key("start")
    _click(qtbot, timetable.change_button)
    timetable.dialog.start.edit.setDate(QDate(2027, 1, 4))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(timetable.dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(_findings(timetable)) == 1
    combo = timetable.region
    combo.setCurrentIndex(combo.findData("scotland"))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        combo.activated.emit(combo.currentIndex())
    assert timetable.data.view.region == "scotland"
    assert any("2nd January (substitute day)" in text for text in _findings(timetable))


def test_adding_and_removing_an_event(qtbot, timetable):
    _click(qtbot, timetable.add_button)
    dialog = timetable.dialog
    assert dialog.objectName() == "eventDialog"
    qtbot.keyClicks(dialog.title, "Panel briefing")
    dialog.starts.edit.setDate(QDate(2026, 12, 3))
    dialog.ends.enabled.setChecked(True)
    dialog.ends.edit.setDate(QDate(2026, 12, 2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog, "ends_on").isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "ends_on").text() == "The event ends before it starts."
    dialog.ends.edit.setDate(QDate(2026, 12, 4))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    names = _column(timetable.model, 0)
    row = names.index("Panel briefing")
    assert names[row - 1 : row + 2] == ["Technical exercise", "Panel briefing", "Video interview"]
    assert (_column(timetable.model, 1)[row], _column(timetable.model, 2)[row]) == (
        "Thu 3 Dec 2026",
        "Fri 4 Dec 2026",
    )
    assert "Panel briefing" in [r.label for r in timetable.strip.rows]

    timetable.table.selectRow(row)
    _click(qtbot, timetable.remove_button)
    box = timetable.dialog
    assert box.text() == "Remove “Panel briefing” from the timetable?"
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(
            box.findChild(QPushButton, "confirmRemoveButton"), Qt.MouseButton.LeftButton
        )
    assert "Panel briefing" not in _column(timetable.model, 0)
    assert "Panel briefing" not in [r.label for r in timetable.strip.rows]


def test_advert_dates_are_saved_on_the_advert(qtbot, timetable):
    _double_click_row(qtbot, timetable.table, _column(timetable.model, 0).index("Advert closes"))
    dialog = timetable.dialog
    assert dialog.objectName() == "advertDatesDialog"
    # Closing before opening is saved (the advert stays a draft) and shown as a must-fix.
    dialog.closes.edit.setDate(QDate(2026, 10, 20))
    dialog.closes.edit.setTime(QTime(12, 0))
    with qtbot.waitSignal(timetable.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _findings(timetable)[0].startswith(
        "Must fix: The advert closes on Tuesday 20 October 2026 at 12:00, before it opens"
    )
    assert "Tue 20 Oct 2026, 12:00" in _column(timetable.model, 1)


# --- interview slots -----------------------------------------------------------------


def test_slots_tab_shows_the_demo_slots(qtbot, qtmodeltester, slots):
    qtmodeltester.check(slots.model)
    assert slots.stage_combo.itemText(0) == "Video interview"  # interviewing stages first
    assert [slots.stage_combo.itemText(i) for i in range(1, 3)] == [
        "CV sift",
        "Technical exercise",
    ]
    assert slots.model.rowCount() == 20
    assert _column(slots.model, 7).count("Booked") == 8
    assert _column(slots.model, 4)[:2] == ["0001 Siân Evans", "0003 Łukasz Nowak"]
    assert (_column(slots.model, 0)[0], _column(slots.model, 1)[0]) == ("Mon 7 Dec", "09:30")
    assert _column(slots.model, 5)[0] == "Hannah Lee, Marek Kowalski, Tom Okonkwo"
    assert slots.status.text() == "20 slots: 8 booked, 12 open"
    assert slots.waiting_list.item(0).text() == "Everyone who progressed has a slot."
    assert slots.plan_form.summary.text() == "5 days × 4 slots = 20 slots"


def test_freeing_then_allocating_places_the_candidate_again(qtbot, demo_on, db_url):
    context, campaign_id = demo_on(db_url)
    slots = _open(qtbot, SlotsTab(context, campaign_id))
    slots.table.selectRow(0)
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, slots.free_button)
    assert (_column(slots.model, 4)[0], _column(slots.model, 7)[0]) == ("", "Open")
    assert slots.waiting_list.item(0).text() == "0001 Siân Evans"
    assert slots.waiting_box.title() == "Still waiting (1)"

    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, slots.allocate_button)
    box = slots.dialog
    assert box.objectName() == "allocationReport"
    assert box.text() == "Placed 1 candidate."
    assert box.informativeText() == "Everyone who progressed has a slot."
    assert _column(slots.model, 4)[0] == "0001 Siân Evans"
    box.accept()

    # Given by hand: freed again, then given a Wednesday slot.
    slots.table.selectRow(0)
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, slots.free_button)
    slots.table.selectRow(8)
    _click(qtbot, slots.give_button)
    dialog = slots.dialog
    assert dialog.people.currentItem().text() == "0001 Siân Evans"
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _column(slots.model, 4)[8] == "0001 Siân Evans"
    assert _column(slots.model, 0)[8] == "Wed 9 Dec"


def test_cancelling_a_slot_asks_first(qtbot, slots):
    slots.table.selectRow(3)
    _click(qtbot, slots.cancel_button)
    box = slots.dialog
    assert box.text() == "Cancel 0009 Mohammed Al-Sayed's slot on Mon 7 Dec 2026 at 14:45?"
    keep = next(b for b in box.buttons() if b.text() == "Keep it")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert _column(slots.model, 7)[3] == "Booked"

    _click(qtbot, slots.cancel_button)
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        qtbot.mouseClick(
            slots.dialog.findChild(QPushButton, "confirmCancelButton"), Qt.MouseButton.LeftButton
        )
    assert _column(slots.model, 7)[3] == "Cancelled"
    assert slots.model.index(3, 0).data(Qt.ItemDataRole.ForegroundRole) == QColor("#8a8a8a")
    assert slots.waiting_list.item(0).text() == "0009 Mohammed Al-Sayed"
    assert not slots.free_button.isEnabled()  # a cancelled slot takes no more actions


def test_a_plan_whose_day_ends_before_it_starts_is_refused(qtbot, slots):
    form = slots.plan_form
    form.day_end.setTime(QTime(9, 0))
    assert form.summary.text() == "The day must end after it starts."
    _click(qtbot, form.save_button)
    assert form.errors["day_end"].isVisible()
    assert form.errors["day_end"].text() == "The day must end after it starts."
    ctx = slots.context.service_context()
    assert slot_svc.list_slots(ctx, slots.stage_id).plan["day_end"] == "16:30"

    # Mornings only, Monday to Thursday: booked slots stay, open ones are made anew.
    form.day_end.setTime(QTime(12, 30))
    form.days.item(4).setCheckState(Qt.CheckState.Unchecked)
    assert form.summary.text() == "4 days × 2 slots = 8 slots"
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, form.make_button)
    assert not form.errors["day_end"].isVisible()
    assert slots.status.text() == "12 slots: 8 booked, 4 open"
    assert slot_svc.list_slots(ctx, slots.stage_id).plan["day_end"] == "12:30"


def test_a_plan_changed_meanwhile_is_not_overwritten_unknowingly(qtbot, slots):
    ctx = slots.context.service_context()
    other = stage_svc.stages_overview(ctx, slots.campaign_id).stages[2]
    stage_svc.update_stage(ctx, other.id, {"notice_days": 3}, expected_version=other.version)
    form = slots.plan_form
    form.gap_minutes.setValue(0)
    _click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.errors["plan"].isVisible(), timeout=TIMEOUT)
    assert form.errors["plan"].text().startswith("Alex Manager changed this stage after you")
    assert slot_svc.list_slots(ctx, slots.stage_id).plan["gap_minutes"] == 15
    assert form.gap_minutes.value() == 0  # what was typed is kept
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, form.save_button)
    assert slot_svc.list_slots(ctx, slots.stage_id).plan["gap_minutes"] == 0


def test_moving_swapping_and_adding_slots(qtbot, slots):
    slots.table.selectRow(0)
    _click(qtbot, slots.move_button)
    dialog = slots.dialog
    dialog.day.edit.setDate(QDate(2026, 12, 1))
    dialog.at.setTime(QTime(10, 0))
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (_column(slots.model, 0)[0], _column(slots.model, 1)[0]) == ("Tue 1 Dec", "10:00")
    notice = slots.notice_list.item(0).text()
    assert notice == (
        "0001 Siân Evans on Tuesday 1 December 2026 at 10:00 gets 2 working days' notice; "
        "the minimum is 5."
    )
    assert slots.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == notice

    slots.select_slots({slots.model.slot_at(0).id, slots.model.slot_at(8).id})
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        _click(qtbot, slots.swap_button)
    assert (_column(slots.model, 4)[0], _column(slots.model, 4)[8]) == ("", "0001 Siân Evans")

    _click(qtbot, slots.add_button)
    dialog = slots.dialog
    dialog.day.edit.setDate(QDate(2026, 12, 7))
    dialog.at.setTime(QTime(10, 0))  # runs into the 10:45 slot of panel 1
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog, "starts_at").isVisible(), timeout=TIMEOUT)
    assert _error(dialog, "starts_at").text() == "Panel 1 already has a slot at 10:45 on 7 Dec."
    dialog.panel.setValue(2)
    with qtbot.waitSignal(slots.changed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert slots.model.rowCount() == 21


def test_exporting_calendars_writes_the_files(qtbot, slots, tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    _click(qtbot, slots.export_button)
    chooser = slots.dialog
    assert isinstance(chooser, QFileDialog)
    with qtbot.waitSignal(slots.exported, timeout=TIMEOUT) as written:
        chooser.setDirectory(str(tmp_path))
        chooser.selectFile(str(folder))
        chooser.accept()
    names = sorted(p.name for p in written.args[0])
    assert len(names) == 12  # the schedule, three panel members, eight candidates
    assert "283922-video-interview-schedule.ics" in names
    assert "283922-video-interview-panel-hannah-lee.ics" in names
    assert "283922-video-interview-candidate-0001.ics" in names
    assert sorted(p.name for p in folder.iterdir()) == names
    box = slots.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == f"Wrote 12 calendar files to {folder}."
    assert slots.status.text() == f"Wrote 12 calendar files to {folder}"


def test_choosing_another_stage_shows_its_plan(qtbot, slots):
    with qtbot.waitSignal(slots.loaded, timeout=TIMEOUT):
        slots.stage_combo.setCurrentIndex(1)
        slots.stage_combo.activated.emit(1)
    assert slots.view.stage_name == "CV sift"
    assert slots.model.rowCount() == 0
    assert slots.stage_info.text().startswith("Mon 16 Nov 2026 to Fri 20 Nov 2026")
    assert "name-blind: candidate numbers only" in slots.stage_info.text()
    assert slots.plan_form.chosen_days()[0] == date(2026, 11, 16)
    assert not slots.allocate_button.isEnabled()
    # Name-blind: numbers only, never names.
    assert slots.waiting_list.item(0).text() == "Candidate 0001"
    assert slots.waiting_box.title() == "Still waiting (40)"
