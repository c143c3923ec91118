"""Dates typed in full (25/12/2026), and interview days added as a range."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.schedule.dates import date_edit, from_qdate, to_qdate
from ui.schedule.slot_plan import PlanForm


@pytest.fixture
def boxes(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    before, edit = QLineEdit(), date_edit("when", date(2026, 12, 7))
    layout.addWidget(before)
    layout.addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    yield before, edit
    window.close()  # held to here: the boxes live as long as their window


def _type_date(qtbot, before, edit, typed: str) -> None:
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, typed)
    before.setFocus()
    qtbot.waitUntil(lambda: not edit.hasFocus())


@pytest.mark.parametrize(
    ("typed", "day", "shown"),
    [
        ("25/12/2026", date(2026, 12, 25), "Fri 25 Dec 2026"),
        ("25/12/2027", date(2027, 12, 25), "Sat 25 Dec 2027"),
        ("3/1/2027", date(2027, 1, 3), "Sun 3 Jan 2027"),
        ("03/01/2027", date(2027, 1, 3), "Sun 3 Jan 2027"),
        ("1.2.2027", date(2027, 2, 1), "Mon 1 Feb 2027"),
    ],
)
def test_a_full_date_can_be_typed(qtbot, boxes, typed, day, shown):
    before, edit = boxes
    assert edit.text() == "Mon 7 Dec 2026"  # shown in words until it has the focus
    _type_date(qtbot, before, edit, typed)
    assert from_qdate(edit.date()) == day
    assert edit.text() == shown


def test_typing_never_changes_the_width_of_the_box(qtbot, boxes):
    _before, edit = boxes
    width = edit.width()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert edit.text() == "07/12/2026"
    assert edit.width() == width


def test_interview_days_are_added_as_a_range_of_weekdays(qtbot):
    form = PlanForm()
    qtbot.addWidget(form)
    form.extra_day.setDate(to_qdate(date(2027, 3, 1)))  # a Monday
    form.extra_until.setDate(to_qdate(date(2027, 3, 10)))  # the Wednesday after next
    form.add_day_button.click()
    assert form.chosen_days() == tuple(date(2027, 3, d) for d in (1, 2, 3, 4, 5, 8, 9, 10))
    assert form.dirty


def test_a_single_day_is_added_even_at_a_weekend(qtbot):
    form = PlanForm()
    qtbot.addWidget(form)
    form.extra_day.setDate(to_qdate(date(2027, 3, 6)))  # a Saturday: the end follows it
    assert form.extra_until.date() == form.extra_day.date()
    form.add_day_button.click()
    assert form.chosen_days() == (date(2027, 3, 6),)
