"""Dialogs for one slot: add one, move one, give one to a waiting candidate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QListWidgetItem, QSpinBox, QWidget

from recruit_app.domain.dates import in_london, london_time, short_date
from recruit_app.domain.scheduling import MAX_PANELS, SLOT_MINUTES
from recruit_app.errors import NotFound
from ui.context import AppContext
from ui.schedule.dates import DateField, from_qtime, london_moment, spin_box, time_edit, to_qtime
from ui.schedule.dialog import ScheduleDialog

if TYPE_CHECKING:
    from recruit_app.services.slots import SlotView

CANDIDATE_ROLE = Qt.ItemDataRole.UserRole


class _WhenDialog(ScheduleDialog):
    """A day, a start time and a panel, in UK time."""

    def _when_fields(self, day: date, at: time, panel: int) -> QFormLayout:
        self.day = DateField("slotDay", optional=False)
        self.day.set_value(day)
        self.at = time_edit("slotTime")
        self.at.setTime(to_qtime(at))
        self.panel = spin_box("slotPanel", 1, MAX_PANELS, "")
        self.panel.setValue(panel)
        form = QFormLayout()
        form.addRow("&Day", self.day)
        form.addRow("&Starts at (UK time)", self.checked("starts_at", self.at))
        form.addRow("&Panel", self.panel)
        return form

    def starts_at(self) -> Any:
        day = self.day.value()
        assert day is not None  # the field cannot be unset
        return london_moment(day, from_qtime(self.at.time()))


class AddSlotDialog(_WhenDialog):
    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        *,
        day: date,
        minutes: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Add a slot", parent)
        self.setObjectName("addSlotDialog")
        self.stage_id = stage_id
        form = self._when_fields(day, time(9), 1)
        self.minutes: QSpinBox = spin_box("slotMinutes", *SLOT_MINUTES, " minutes")
        self.minutes.setValue(minutes)
        form.addRow("&Lasts", self.checked("minutes", self.minutes))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.slots import add_slot

        ctx, stage_id = self.context.service_context(), self.stage_id
        starts_at, minutes, panel = self.starts_at(), self.minutes.value(), self.panel.value()
        return lambda: add_slot(
            ctx, stage_id, starts_at=starts_at, minutes=minutes, panel_number=panel
        )


class MoveSlotDialog(_WhenDialog):
    def __init__(
        self, context: AppContext, stage_id: int, slot: SlotView, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, "Move the slot", parent)
        self.setObjectName("moveSlotDialog")
        self.stage_id = stage_id
        self.slot = slot
        self.expected_version = slot.version
        starts = in_london(slot.starts_at)
        form = self._when_fields(starts.date(), starts.time(), slot.panel_number)
        who = slot.candidate_label or "nobody yet"
        note = QLabel(
            f"Now {short_date(starts.date())} at {london_time(slot.starts_at)}, panel "
            f"{slot.panel_number} ({who}). It keeps its length."
        )
        note.setWordWrap(True)
        form.insertRow(0, note)
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.slots import move_slot

        ctx, slot_id, version = self.context.service_context(), self.slot.id, self.expected_version
        starts_at, panel = self.starts_at(), self.panel.value()
        return lambda: move_slot(
            ctx, slot_id, starts_at=starts_at, panel_number=panel, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        return _slot_version(self.context, self.stage_id, self.slot.id)


class GiveSlotDialog(ScheduleDialog):
    """Choose who gets an open slot from those still waiting.

    `choices` pairs each waiting candidate's label with their id.
    """

    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        slot: SlotView,
        choices: Sequence[tuple[str, int | None]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Give the slot to…", parent)
        self.setObjectName("giveSlotDialog")
        self.stage_id = stage_id
        self.slot = slot
        self.expected_version = slot.version
        self.people = QListWidget()
        self.people.setObjectName("waitingCandidates")
        for label, candidate_id in choices:
            item = QListWidgetItem(label)
            item.setData(CANDIDATE_ROLE, candidate_id)
            if candidate_id is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("Allocate automatically to place this candidate")
            self.people.addItem(item)
        self.people.itemDoubleClicked.connect(lambda _item: self._save())
        starts = in_london(slot.starts_at)
        heading = QLabel(
            f"{short_date(starts.date())} at {london_time(slot.starts_at)}, "
            f"panel {slot.panel_number}"
        )
        form = QFormLayout()
        form.addRow("Slot", heading)
        form.addRow("&Candidate", self.checked("candidate", self.people))
        self.finish_layout(form)
        enabled = (self.people.item(r) for r in range(self.people.count()))
        first = next((i for i in enabled if i.flags() & Qt.ItemFlag.ItemIsEnabled), None)
        if first is not None:
            self.people.setCurrentItem(first)

    def work(self) -> Callable[[], Any]:
        from recruit_app.errors import ValidationError
        from recruit_app.services.slots import assign_slot

        item = self.people.currentItem()
        candidate_id = item.data(CANDIDATE_ROLE) if item is not None else None
        if candidate_id is None:
            raise ValidationError("Choose who gets the slot.", "candidate")
        ctx, slot_id, version = self.context.service_context(), self.slot.id, self.expected_version
        return lambda: assign_slot(ctx, slot_id, candidate_id, expected_version=version)

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        return _slot_version(self.context, self.stage_id, self.slot.id)


def _slot_version(
    context: AppContext, stage_id: int, slot_id: int
) -> Callable[[], tuple[int, str]]:
    from recruit_app.services.slots import list_slots

    ctx = context.service_context()

    def work() -> tuple[int, str]:
        slot = next((s for s in list_slots(ctx, stage_id).slots if s.id == slot_id), None)
        if slot is None:
            raise NotFound("That slot no longer exists; someone may have removed it.")
        starts = in_london(slot.starts_at)
        who = slot.candidate_label or "nobody"
        return slot.version, (
            f"It is now {short_date(starts.date())} at {london_time(slot.starts_at)}, panel "
            f"{slot.panel_number}, for {who}."
        )

    return work
