"""Date and time editors for the schedule tabs, in UK time.

The words for dates and times (and the London time zone) are the core's, in
`recruit_app.domain.dates`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from recruit_app.domain.dates import LONDON


def london_moment(day: date, at: time) -> datetime:
    """`day` at `at` on a London wall clock, as an aware UTC moment."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def to_qtime(at: time) -> QTime:
    return QTime(at.hour, at.minute)


def from_qtime(at: QTime) -> time:
    return time(at.hour(), at.minute())


# Shown as words ("Fri 25 Dec 2026"), typed as numbers: a weekday section first would take
# no digits, and a month as words none either, so the box switches while it has the focus.
SHOWN_FORMAT = "ddd d MMM yyyy"
TYPED_FORMAT = "dd/MM/yyyy"
SEPARATORS = "/.- "


class DateEdit(QDateEdit):
    """A date shown in words, typed in full as 25/12/2026 (each part in turn, "/" moving
    on), or picked from the calendar."""

    _advanced = False  # the last digit filled its part and moved on to the next by itself

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in SEPARATORS and self._advanced:
            # "25" has moved on to the month already: the "/" typed after it must not skip it.
            self._advanced = False
            event.accept()
            return
        if text and text in SEPARATORS and text != "/":  # 1.2.2027, 1-2-2027: as 1/2/2027
            event = QKeyEvent(event.type(), Qt.Key.Key_Slash, event.modifiers(), "/")
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._advanced = text.isdigit() and self.currentSectionIndex() != before

    def focusInEvent(self, event: QFocusEvent) -> None:
        reason = event.reason()
        if reason != Qt.FocusReason.PopupFocusReason:
            self.setDisplayFormat(TYPED_FORMAT)
            if reason != Qt.FocusReason.MouseFocusReason:  # a click chooses its own part
                self.setCurrentSection(QDateTimeEdit.Section.DaySection)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)  # takes what was typed first
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.setDisplayFormat(SHOWN_FORMAT)


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    edit = DateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(SHOWN_FORMAT)
    edit.setToolTip("Type the date as 25/12/2026, or pick it from the calendar")
    edit.setDate(to_qdate(day or date.today()))
    # As wide as the words, so the shorter typed form never moves the layout.
    edit.setMinimumWidth(edit.sizeHint().width())
    return edit


def time_edit(name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setObjectName(name)
    edit.setDisplayFormat("HH:mm")
    return edit


def spin_box(name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class DateField(QWidget):
    """A date, optionally "not set" (a tick box beside it), with an `edited` signal."""

    edited = Signal()

    def __init__(self, name: str, *, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox("Set")
        self.enabled.setChecked(True)
        self.enabled.setVisible(optional)
        self.edit = date_edit(f"{name}Edit")
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(lambda _on: self.edited.emit())
        self.edit.dateChanged.connect(lambda _d: self.edited.emit())
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.enabled.isChecked() else None

    def set_value(self, day: date | None, fallback: date | None = None) -> None:
        """Show `day`; an unset date shows `fallback` greyed, ready to be ticked."""
        self.enabled.setChecked(day is not None)
        self.edit.setEnabled(day is not None)
        shown = day or fallback
        if shown is not None:
            self.edit.setDate(to_qdate(shown))
