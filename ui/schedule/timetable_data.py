"""What the timetable tab reads in one go, and how its findings and rows line up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from recruit_app.domain.dates import in_london, london_time, short_date
from ui.schedule.timeline import StripRow

if TYPE_CHECKING:
    from recruit_app.domain.advert_rules import Finding
    from recruit_app.domain.timetable import TimetableEntry
    from recruit_app.services.context import ServiceContext
    from recruit_app.services.stages import StageView
    from recruit_app.services.timetable import EventView, TimetableView

# Findings name the field at fault; the list names its rows by entry key.
FIELD_KEYS = {
    "opens_at": "opens",
    "closes_at": "closes",
    "decisions_on": "decisions",
    "expected_start_on": "start",
}
STRIP_KINDS = {"opens": "advert", "closes": "advert", "decision": "decision", "start": "start"}


def key_of(field: str) -> str:
    return FIELD_KEYS.get(field, field)


@dataclass(frozen=True)
class TimetableData:
    view: TimetableView
    stages: tuple[StageView, ...]  # in stage order, as the entries "stage:N" count them
    advert_version: int
    holidays: dict[date, str]

    def stage_for(self, key: str) -> StageView | None:
        """The stage an entry stands for; entries name stages by position only."""
        entry = next((e for e in self.view.entries if e.key == key), None)
        if entry is None or entry.kind != "stage":
            return None
        index = int(key.split(":")[1])
        stage = self.stages[index] if index < len(self.stages) else None
        # Read in another transaction: a stage renamed or moved in between does not match.
        return stage if stage is not None and stage.name == entry.label else None

    def event_for(self, key: str) -> EventView | None:
        if not key.startswith("event:"):
            return None
        index = int(key.split(":")[1])
        events = self.view.events
        return events[index] if index < len(events) else None

    def findings_for(self, key: str) -> list[Finding]:
        return [f for f in self.view.findings if key_of(f.field) == key]

    def severity(self, key: str) -> str:
        found = {f.severity for f in self.findings_for(key)}
        return "error" if "error" in found else "warning" if found else ""

    def when(self, entry: TimetableEntry) -> str:
        """The start as the list shows it: the advert's with its UK time."""
        moment = {"opens": self.view.opens_at, "closes": self.view.closes_at}.get(entry.key)
        if moment is not None:
            return f"{short_date(in_london(moment).date())}, {london_time(moment)}"
        return short_date(entry.starts_on) if entry.starts_on else "Not set"


def read_timetable(ctx: ServiceContext, campaign_id: int) -> TimetableData:
    """Runs in a worker: the timetable, the stages' ids and versions, the advert's version."""
    from recruit_app.domain.timetable import bank_holidays
    from recruit_app.services.adverts import get_advert
    from recruit_app.services.stages import stages_overview
    from recruit_app.services.timetable import get_timetable

    view = get_timetable(ctx, campaign_id)
    stages = stages_overview(ctx, campaign_id).stages
    advert = get_advert(ctx, campaign_id)
    days = [d for e in view.entries for d in (e.starts_on, e.ends_on) if d is not None]
    years = range(min(days).year - 1, max(days).year + 2) if days else [date.today().year]
    return TimetableData(view, stages, advert.version, bank_holidays(view.region, years))


def strip_rows(data: TimetableData) -> list[StripRow]:
    """One row per dated entry; the advert's opening and closing share a bar when both are set."""
    entries = {e.key: e for e in data.view.entries}
    opens, closes = entries.get("opens"), entries.get("closes")
    merged = (
        opens is not None
        and closes is not None
        and opens.starts_on is not None
        and closes.starts_on is not None
        and opens.starts_on <= closes.starts_on
    )
    rows: list[StripRow] = []
    for entry in data.view.entries:
        if entry.starts_on is None or (merged and entry.key == "closes"):
            continue
        if merged and entry.key == "opens" and closes is not None:
            span = f"{data.when(entry)} to {data.when(closes)}"
            rows.append(
                StripRow(
                    "opens",
                    "Advert open",
                    entry.starts_on,
                    closes.starts_on,
                    "advert",
                    _worst(data.severity("opens"), data.severity("closes")),
                    _detail(data, "Advert open", span, ("opens", "closes")),
                )
            )
            continue
        span = data.when(entry)
        if entry.ends_on is not None:
            span = f"{span} to {short_date(entry.ends_on)}"
        rows.append(
            StripRow(
                entry.key,
                entry.label,
                entry.starts_on,
                entry.ends_on,
                STRIP_KINDS.get(entry.kind, entry.kind),
                data.severity(entry.key),
                _detail(data, entry.label, span, (entry.key,)),
            )
        )
    return rows


def _worst(*severities: str) -> str:
    return "error" if "error" in severities else "warning" if "warning" in severities else ""


def _detail(data: TimetableData, label: str, span: str, keys: tuple[str, ...]) -> str:
    lines = [f"{label}: {span}"]
    lines += [f"• {f.message}" for key in keys for f in data.findings_for(key)]
    return "\n".join(lines)
