"""The slot planner: interview days, the shape of a day, and how many panels run at once."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.dates import short_date
from recruit_app.domain.scheduling import (
    GAP_MINUTES,
    MAX_PANELS,
    SLOT_MINUTES,
    SlotPlan,
    plan_slots,
)
from recruit_app.errors import ValidationError
from ui.schedule.dates import (
    date_edit,
    from_qdate,
    from_qtime,
    spin_box,
    time_edit,
    to_qdate,
    to_qtime,
)
from ui.widgets import MessageArea, field_error_label

if TYPE_CHECKING:
    from recruit_app.services.stages import StageView

DAY_ROLE = Qt.ItemDataRole.UserRole


class _PlanDefaults(TypedDict):
    day_start: time
    day_end: time
    slot_minutes: int
    gap_minutes: int


# What a new plan starts from (the service's own default, for a stage without one).
DEFAULTS: _PlanDefaults = {
    "day_start": time(9),
    "day_end": time(17),
    "slot_minutes": 60,
    "gap_minutes": 15,
}
DEFAULT_LUNCH = (time(12, 30), time(13, 30))


def _window(stage: StageView) -> list[date]:
    if stage.starts_on is None:
        return []
    end = max(stage.ends_on or stage.starts_on, stage.starts_on)
    return [stage.starts_on + timedelta(days=n) for n in range((end - stage.starts_on).days + 1)]


class PlanForm(QGroupBox):
    """Fields for a SlotPlan; `edited` on every change, errors shown under their field."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Slot plan", parent)
        self.setObjectName("planForm")
        self.dirty = False
        self.version: int | None = None  # the stage's, as the plan shown was read
        self._filling = False
        self.errors: dict[str, QLabel] = {}
        self._focus: dict[str, QWidget] = {}
        self.messages = MessageArea("planMessages")
        self.errors["plan"] = self.messages.add(field_error_label("planError"))
        self.days = QListWidget()
        self.days.setObjectName("planDays")
        self.days.setMinimumHeight(110)
        self.days.setMaximumHeight(170)
        self.days.itemChanged.connect(lambda _item: self._edited())
        self.extra_day = date_edit("extraDay")
        self.extra_until = date_edit("extraUntil")
        self.extra_until.setToolTip(
            "The last day to add: every weekday from the first to this one is added"
        )
        # A range that ends before it starts follows its start.
        self.extra_day.dateChanged.connect(
            lambda day: self.extra_until.setDate(max(day, self.extra_until.date()))
        )
        self.add_day_button = QPushButton("Add days")
        self.add_day_button.setObjectName("addDay")
        self.add_day_button.setToolTip("Add these days to the list, ticked (weekdays only)")
        self.add_day_button.clicked.connect(
            lambda: self.add_days(
                from_qdate(self.extra_day.date()), from_qdate(self.extra_until.date())
            )
        )
        self.day_start, self.day_end = time_edit("dayStart"), time_edit("dayEnd")
        self.slot_minutes = spin_box("slotMinutes", *SLOT_MINUTES, " minutes")
        self.slot_minutes.setSingleStep(5)
        self.gap_minutes = spin_box("gapMinutes", *GAP_MINUTES, " minutes")
        self.gap_minutes.setSingleStep(5)
        self.lunch = QCheckBox()
        self.lunch.setToolTip("Leave a lunch break: no slot runs into it")
        self.lunch.setObjectName("lunchBreak")
        self.lunch_start, self.lunch_end = time_edit("lunchStart"), time_edit("lunchEnd")
        self.lunch.toggled.connect(self.lunch_start.setEnabled)
        self.lunch.toggled.connect(self.lunch_end.setEnabled)
        self.panels = spin_box("panelCount", 1, MAX_PANELS, "")
        self.panels.setToolTip("Panels interviewing at the same time, each in its own slots")
        for edit in (self.day_start, self.day_end, self.lunch_start, self.lunch_end):
            edit.timeChanged.connect(lambda _t: self._edited())
        for spin in (self.slot_minutes, self.gap_minutes, self.panels):
            spin.valueChanged.connect(lambda _v: self._edited())
        self.lunch.toggled.connect(lambda _on: self._edited())
        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.save_button = QPushButton("&Save plan")
        self.save_button.setObjectName("savePlan")
        self.make_button = QPushButton("&Make slots")
        self.make_button.setObjectName("makeSlots")
        self.make_button.setToolTip(
            "Save the plan and make its slots; open slots are replaced, booked ones kept"
        )
        self._lay_out()

    def _lay_out(self) -> None:
        add = QHBoxLayout()
        add.addWidget(self.extra_day, 1)
        add.addWidget(QLabel("to"))
        add.addWidget(self.extra_until, 1)
        adding = QHBoxLayout()
        adding.addStretch(1)
        adding.addWidget(self.add_day_button)
        days = QVBoxLayout()
        days.addWidget(self.days)
        days.addLayout(add)
        days.addLayout(adding)
        day_box = QWidget()
        day_box.setLayout(days)
        days.setContentsMargins(0, 0, 0, 0)
        lunch = QHBoxLayout()  # one short row, so the form stays narrow beside the slots
        for widget in (self.lunch, self.lunch_start, QLabel("to"), self.lunch_end):
            lunch.addWidget(widget)
        lunch.addStretch(1)
        lunch_box = QWidget()
        lunch_box.setLayout(lunch)
        lunch.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("Days", self._checked("days", day_box))
        form.addRow("Day starts", self._checked("day_start", self.day_start))
        form.addRow("Day ends", self._checked("day_end", self.day_end))
        form.addRow("Each slot", self._checked("slot_minutes", self.slot_minutes))
        form.addRow("Gap after", self._checked("gap_minutes", self.gap_minutes))
        form.addRow("Lunch break", self._checked("lunch", lunch_box))
        form.addRow("Panels", self._checked("panels", self.panels))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.make_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        # The messages, about a field (which takes the focus) or the plan, in one place of
        # kept room by the buttons: nothing in the form moves when one appears.
        layout.addWidget(self.messages)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _checked(self, field: str, widget: QWidget) -> QWidget:
        self.errors[field] = self.messages.add(field_error_label(f"{field}Error"))
        self._focus[field] = widget
        return widget

    # --- values ------------------------------------------------------------------------

    def set_plan(self, plan: dict[str, Any], stage: StageView, version: int) -> None:
        """Show the stage's saved plan, or a first plan over the weekdays of its window."""
        from recruit_app.services.slots import plan_from_json

        try:
            saved = plan_from_json(plan) if plan else None
        except ValidationError:  # a damaged plan: start afresh rather than show nothing
            saved = None
        window = _window(stage)
        chosen = set(saved.days) if saved else {d for d in window if d.weekday() < 5}
        panels = len({s.panel_number for s in stage.panel}) or 1
        self._filling = True
        try:
            self.days.clear()
            for day in sorted(set(window) | chosen):
                self._add_item(day, day in chosen)
            if window:
                self.extra_day.setDate(to_qdate(window[-1] + timedelta(days=1)))
                self.extra_until.setDate(self.extra_day.date())
            self.day_start.setTime(to_qtime(saved.day_start if saved else DEFAULTS["day_start"]))
            self.day_end.setTime(to_qtime(saved.day_end if saved else DEFAULTS["day_end"]))
            self.slot_minutes.setValue(saved.slot_minutes if saved else DEFAULTS["slot_minutes"])
            self.gap_minutes.setValue(saved.gap_minutes if saved else DEFAULTS["gap_minutes"])
            lunch = (saved.lunch_start, saved.lunch_end) if saved else DEFAULT_LUNCH
            self.lunch.setChecked(lunch[0] is not None)
            self.lunch_start.setEnabled(lunch[0] is not None)
            self.lunch_end.setEnabled(lunch[0] is not None)
            self.lunch_start.setTime(to_qtime(lunch[0] or DEFAULT_LUNCH[0]))
            self.lunch_end.setTime(to_qtime(lunch[1] or DEFAULT_LUNCH[1]))
            self.panels.setValue(saved.panels if saved else panels)
        finally:
            self._filling = False
        self.dirty = False
        self.version = version
        self.clear_errors()
        self._summarise()

    def _add_item(self, day: date, checked: bool) -> None:
        words = short_date(day) + ("  (weekend)" if day.weekday() >= 5 else "")
        item = QListWidgetItem(words)
        item.setData(DAY_ROLE, day)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        later = (r for r in range(self.days.count()) if self.days.item(r).data(DAY_ROLE) > day)
        self.days.insertItem(next(later, self.days.count()), item)

    def add_days(self, first: date, last: date) -> None:
        """Tick the weekdays from `first` to `last`; one day alone is added whatever it is."""
        if last <= first:
            self.add_day(first)
            return
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        for day in days:
            if day.weekday() < 5:
                self.add_day(day)

    def add_day(self, day: date) -> None:
        """Tick `day`, adding it to the list (in date order) if it is not there yet."""
        for row in range(self.days.count()):
            item = self.days.item(row)
            if item.data(DAY_ROLE) == day:
                item.setCheckState(Qt.CheckState.Checked)
                return
        self._add_item(day, True)
        self._edited()

    def chosen_days(self) -> tuple[date, ...]:
        items = [self.days.item(row) for row in range(self.days.count())]
        return tuple(i.data(DAY_ROLE) for i in items if i.checkState() == Qt.CheckState.Checked)

    def plan(self) -> SlotPlan:
        lunch = self.lunch.isChecked()
        return SlotPlan(
            days=self.chosen_days(),
            day_start=from_qtime(self.day_start.time()),
            day_end=from_qtime(self.day_end.time()),
            slot_minutes=self.slot_minutes.value(),
            gap_minutes=self.gap_minutes.value(),
            lunch_start=from_qtime(self.lunch_start.time()) if lunch else None,
            lunch_end=from_qtime(self.lunch_end.time()) if lunch else None,
            panels=self.panels.value(),
        )

    # --- feedback ----------------------------------------------------------------------

    def _edited(self) -> None:
        if self._filling:
            return
        self.clear_errors()  # the summary below says at once what is still wrong
        self.dirty = True
        self._summarise()
        self.edited.emit()

    def _summarise(self) -> None:
        try:
            count = len(plan_slots(self.plan()))
        except ValidationError as exc:
            self.summary.setText(exc.message)
            return
        days, panels = len(self.chosen_days()), self.panels.value()
        each = count // max(1, days * panels)
        self.summary.setText(
            f"{days} day{'s' * (days != 1)} × {each} slot{'s' * (each != 1)}"
            f"{f' × {panels} panels' if panels > 1 else ''} = {count} slots"
        )

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, exc: ValidationError) -> None:
        label = self.errors.get(exc.field or "", self.errors["plan"])
        label.setText(exc.message)
        label.show()
        if exc.field in self._focus:
            self._focus[exc.field].setFocus()
        self.summary.setText("No slots until the plan is put right.")
