"""Dialogs that change the timetable's dates: a stage's window, the advert's, key dates, events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from recruit_app.domain.dates import short_date
from recruit_app.errors import NotFound
from ui.adverts.fields import MomentField
from ui.context import AppContext
from ui.library.fields import line_edit, text_edit
from ui.schedule.dates import DateField
from ui.schedule.dialog import ScheduleDialog

if TYPE_CHECKING:
    from recruit_app.services.stages import StageView
    from recruit_app.services.timetable import EventView, TimetableView


def _span(starts: date | None, ends: date | None) -> str:
    if starts is None and ends is None:
        return "It now has no dates."
    words = [
        f"from {short_date(starts)}" if starts else "",
        f"to {short_date(ends)}" if ends else "",
    ]
    return f"It now runs {' '.join(w for w in words if w)}."


class StageDatesDialog(ScheduleDialog):
    """A stage's first and last day."""

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        stage: StageView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, f"Dates of {stage.name}", parent)
        self.setObjectName("stageDatesDialog")
        self.campaign_id = campaign_id
        self.stage = stage
        self.expected_version = stage.version
        self.starts = DateField("startsOn", optional=True)
        self.starts.set_value(stage.starts_on, stage.ends_on)
        self.ends = DateField("endsOn", optional=True)
        self.ends.set_value(stage.ends_on, stage.starts_on)
        form = QFormLayout()
        form.addRow("&Starts", self.checked("starts_on", self.starts))
        form.addRow("&Ends", self.checked("ends_on", self.ends))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.stages import update_stage

        ctx, stage_id, version = (
            self.context.service_context(),
            self.stage.id,
            self.expected_version,
        )
        changes = {"starts_on": self.starts.value(), "ends_on": self.ends.value()}
        return lambda: update_stage(ctx, stage_id, changes, expected_version=version)

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        from recruit_app.services.stages import stages_overview

        ctx, campaign_id, stage_id = self.context.service_context(), self.campaign_id, self.stage.id

        def work() -> tuple[int, str]:
            stages = stages_overview(ctx, campaign_id).stages
            now = next((s for s in stages if s.id == stage_id), None)
            if now is None:
                raise NotFound("That stage no longer exists; someone may have removed it.")
            return now.version, _span(now.starts_on, now.ends_on)

        return work


class AdvertDatesDialog(ScheduleDialog):
    """When the advert opens and closes, in UK time."""

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        view: TimetableView,
        version: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "When the advert opens and closes", parent)
        self.setObjectName("advertDatesDialog")
        self.campaign_id = campaign_id
        self.expected_version = version
        self.opens = MomentField()
        self.opens.setObjectName("opensAt")
        self.opens.set_value(view.opens_at)
        self.closes = MomentField()
        self.closes.setObjectName("closesAt")
        self.closes.set_value(view.closes_at)
        form = QFormLayout()
        form.addRow("&Opens", self.checked("opens_at", self.opens))
        form.addRow("&Closes", self.checked("closes_at", self.closes))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.adverts import save_advert

        ctx, campaign_id = self.context.service_context(), self.campaign_id
        version = self.expected_version
        fields = {"opens_at": self.opens.value(), "closes_at": self.closes.value()}
        return lambda: save_advert(
            ctx, campaign_id, fields=fields, criteria=None, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        from recruit_app.services.adverts import get_advert

        ctx, campaign_id = self.context.service_context(), self.campaign_id

        def work() -> tuple[int, str]:
            form = get_advert(ctx, campaign_id)
            return form.version, f"The advert was last saved by {form.updated_by}."

        return work


class KeyDatesDialog(ScheduleDialog):
    """When decisions are due and when the successful candidate is expected to start."""

    def __init__(
        self, context: AppContext, view: TimetableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, "Decisions and start date", parent)
        self.setObjectName("keyDatesDialog")
        self.view = view
        self.expected_version = view.version
        last = max((e.last_day for e in view.entries if e.last_day), default=None)
        self.decisions = DateField("decisionsOn", optional=True)
        self.decisions.set_value(view.decisions_on, last)
        self.start = DateField("expectedStartOn", optional=True)
        self.start.set_value(view.expected_start_on, view.decisions_on or last)
        form = QFormLayout()
        form.addRow("&Decisions due", self.checked("decisions_on", self.decisions))
        form.addRow("Expected &start", self.checked("expected_start_on", self.start))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.timetable import update_key_dates

        ctx, view, version = self.context.service_context(), self.view, self.expected_version
        decisions, start = self.decisions.value(), self.start.value()
        return lambda: update_key_dates(
            ctx,
            view.campaign_id,
            region=view.region,
            decisions_on=decisions,
            expected_start_on=start,
            expected_version=version,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        return _campaign_version(self.context, self.view.campaign_id)


def _campaign_version(context: AppContext, campaign_id: int) -> Callable[[], tuple[int, str]]:
    from recruit_app.services.timetable import get_timetable

    ctx = context.service_context()

    def work() -> tuple[int, str]:
        view = get_timetable(ctx, campaign_id)
        decisions = short_date(view.decisions_on) if view.decisions_on else "not set"
        start = short_date(view.expected_start_on) if view.expected_start_on else "not set"
        return view.version, f"Decisions are now due {decisions}; the start date is {start}."

    return work


class EventDialog(ScheduleDialog):
    """An extra event on the timetable (new when `event` is None)."""

    def __init__(
        self,
        context: AppContext,
        campaign_id: int,
        event: EventView | None = None,
        *,
        suggested: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "New event" if event is None else "Change the event", parent)
        self.setObjectName("eventDialog")
        self.campaign_id = campaign_id
        self.existing = event
        self.expected_version = event.version if event else None
        self.title = line_edit("eventTitle", event.title if event else "", limit=200)
        self.title.setPlaceholderText("e.g. Online information event, 12:00 to 13:00")
        self.starts = DateField("eventStarts", optional=False)
        self.starts.set_value(event.starts_on if event else suggested or date.today())
        self.ends = DateField("eventEnds", optional=True)
        self.ends.set_value(event.ends_on if event else None, self.starts.value())
        self.note = text_edit("eventNote", event.note if event else "", lines=3)
        hint = QLabel("Leave the end unset for a one-day event.")
        hint.setEnabled(False)
        form = QFormLayout()
        form.addRow("&Title", self.checked("title", self.title))
        form.addRow("&Starts", self.checked("starts_on", self.starts))
        form.addRow("&Ends", self.checked("ends_on", self.ends))
        form.addRow("", hint)
        form.addRow("&Note", self.note)
        self.finish_layout(form)
        self.title.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.timetable import save_event

        ctx, campaign_id = self.context.service_context(), self.campaign_id
        starts_on = self.starts.value()
        assert starts_on is not None  # not optional: always set
        return partial(
            save_event,
            ctx,
            campaign_id,
            title=self.title.text(),
            starts_on=starts_on,
            ends_on=self.ends.value(),
            note=self.note.toPlainText().strip(),
            event_id=self.existing.id if self.existing else None,
            expected_version=self.expected_version,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        from recruit_app.services.timetable import get_timetable

        if self.existing is None:
            return None
        ctx, campaign_id, event_id = (
            self.context.service_context(),
            self.campaign_id,
            self.existing.id,
        )

        def work() -> tuple[int, str]:
            events = get_timetable(ctx, campaign_id).events
            now = next((e for e in events if e.id == event_id), None)
            if now is None:
                raise NotFound("That event no longer exists; someone may have removed it.")
            return now.version, f"It is now “{now.title}”. {_span(now.starts_on, now.ends_on)}"

        return work
