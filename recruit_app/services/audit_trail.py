"""Reading the audit trail: who changed what and when, filtered, paged and exported.

Read-only on purpose: there is no use case that edits or deletes an audit row, so the
app cannot be used to hide a change. Administrators see every event; a recruiting manager
sees the events of the campaigns they manage and everything they did themselves.

The queries read plain columns (never whole rows with their JSON) until a page is chosen,
and the campaign filter rides on the (campaign_id, occurred_at) index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, false, func, or_, true
from sqlmodel import Session, col, select

from db.models import AuditEvent, Campaign, Person
from recruit_app.domain.dates import LONDON, plain_date
from recruit_app.errors import ValidationError
from recruit_app.services.access import visible_campaigns_clause
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.permissions import require
from recruit_app.services.uow import select_columns, unit_of_work
from recruit_app.vocabulary import AuditArea

DEFAULT_LIMIT = 200
MAX_LIMIT = 5000
MAX_OFFSET = 2**62  # any more is past every page, and past a 64-bit integer of the database
VALUE_WIDTH = 60  # characters of one value in the short "field: old → new" text
CSV_HEADERS = (
    "When (UK time)",
    "Who",
    "Action",
    "What",
    "Campaign",
    "Changes",
    "Before",
    "After",
)


# The actions of each kind of change, by the start of their codes ("outcome." covers
# "outcome.set" and "outcome.feedback"); every action recorded falls in exactly one.
AREA_ACTIONS: dict[AuditArea, tuple[str, ...]] = {
    AuditArea.SCORES: ("score.", "scores.", "conflict."),
    AuditArea.OUTCOMES: ("outcome.", "results.", "reserve."),
    AuditArea.CANDIDATES: (
        "candidate.",
        "candidates.",
        "application.",
        "applications.",
        "equality.",
    ),
    AuditArea.CAMPAIGNS: ("campaign.", "advert.", "stage.", "post.", "plan.", "demo."),
    AuditArea.TIMETABLE: ("timetable.", "slots."),
    AuditArea.PEOPLE: ("person.",),
    AuditArea.SETTINGS: ("setting.", "settings.", "retention."),
    AuditArea.LIBRARY: ("library.",),
}


def audit_area(code: str) -> AuditArea:
    """A kind of change by its code, or a ValidationError listing them."""
    try:
        return AuditArea(code.strip().casefold())
    except ValueError:
        codes = ", ".join(AuditArea)
        raise ValidationError(
            f"There is no kind of change {code!r}; the kinds: {codes}.", "area"
        ) from None


# --- read models -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """One event as the audit screen and the CSV show it."""

    id: int
    occurred_at: datetime  # aware, UTC
    when: str  # "14 March 2025 09:05", UK time
    who: str
    actor_id: int | None
    action: str
    what: str
    campaign_id: int | None
    campaign: str  # the campaign's reference, kept even after the campaign is deleted
    changes: tuple[str, ...]  # "role: panel member → recruiting manager"
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def changes_text(self) -> str:
        return "; ".join(self.changes)


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int  # events matching the filters (up to `snapshot`)
    offset: int
    limit: int
    snapshot: int  # the newest event id counted: pass it back for later pages

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    reference: str
    label: str  # "283922 Software Developer", or "283922 (deleted)"


@dataclass(frozen=True)
class PersonChoice:
    key: int | str  # a person's id, or the name recorded for someone with no id
    label: str


@dataclass(frozen=True)
class AuditFilters:
    campaigns: tuple[CampaignChoice, ...]
    people: tuple[PersonChoice, ...]


# --- rendering ---------------------------------------------------------------------------


def uk_time(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{plain_date(local.date())} {local:%H:%M}"


def _iso_uk(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        text = " ".join(value.split())
    elif isinstance(value, list | tuple):
        text = ", ".join(
            _value(v) if not isinstance(v, list | tuple) else " ".join(map(str, v)) for v in value
        )
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    else:
        text = str(value)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def _label(field: str) -> str:
    return field.replace("_", " ")


def describe_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[str, ...]:
    """Short lines: "field: new" for something added, "field: old → new" for a change
    (fields that stayed the same are left out), "field: old → —" for something removed."""
    before, after = before or {}, after or {}
    if not before:
        return tuple(f"{_label(k)}: {_value(v)}" for k, v in after.items())
    fields = list(before) + [k for k in after if k not in before]
    return tuple(
        f"{_label(k)}: {_value(before.get(k))} → {_value(after.get(k))}"
        for k in fields
        if before.get(k) != after.get(k)
    )


def _row(values: Any) -> AuditRow:
    (ident, occurred_at, actor_id, actor_name, action, summary, campaign_id, reference) = values[:8]
    before, after = values[8], values[9]
    return AuditRow(
        id=ident,
        occurred_at=occurred_at,
        when=uk_time(occurred_at),
        who=actor_name,
        actor_id=actor_id,
        action=action,
        what=summary,
        campaign_id=campaign_id,
        campaign=reference or "",
        changes=describe_changes(before, after),
        before=before,
        after=after,
    )


_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.actor_name,
    AuditEvent.action,
    AuditEvent.summary,
    AuditEvent.campaign_id,
    AuditEvent.campaign_reference,
    AuditEvent.before,
    AuditEvent.after,
)
_NEWEST_FIRST = (col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())


# --- who sees what -----------------------------------------------------------------------


def _visible(actor: Actor) -> Any:
    """The events the person acting may read."""
    if actor.role == "administrator":
        return true()
    visible = visible_campaigns_clause(actor)
    assert visible is not None  # only administrators see every campaign
    managed = select(Campaign.id).where(visible)
    mine = col(AuditEvent.actor_id) == actor.person_id if actor.person_id is not None else false()
    return or_(col(AuditEvent.campaign_id).in_(managed), mine)


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def _conditions(
    actor: Actor,
    *,
    campaign_id: int | None,
    person: int | str | None,
    since: date | None,
    until: date | None,
    area: str | None = None,
) -> list[Any]:
    if since is not None and until is not None and since > until:
        raise ValidationError("The ‘from’ date is after the ‘to’ date.", "until")
    where = [_visible(actor)]
    if campaign_id is not None:
        where.append(AuditEvent.campaign_id == campaign_id)
    if isinstance(person, int):
        where.append(AuditEvent.actor_id == person)
    elif isinstance(person, str) and person.strip():
        wanted = " ".join(person.split()).casefold()
        named = select(Person.id).where(
            or_(func.lower(Person.name) == wanted, func.lower(Person.email) == wanted)
        )
        where.append(
            or_(
                func.lower(AuditEvent.actor_name) == wanted,
                col(AuditEvent.actor_id).in_(named),
            )
        )
    if area:
        prefixes = AREA_ACTIONS[audit_area(area)]
        where.append(
            or_(*(col(AuditEvent.action).startswith(p, autoescape=True) for p in prefixes))
        )
    if since is not None:
        where.append(col(AuditEvent.occurred_at) >= _uk_midnight(since))
    if until is not None:
        where.append(col(AuditEvent.occurred_at) < _uk_midnight(until + timedelta(days=1)))
    return where


# --- use cases ---------------------------------------------------------------------------


def audit_events(
    ctx: ServiceContext,
    *,
    campaign_id: int | None = None,
    person: int | str | None = None,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    snapshot: int | None = None,
) -> AuditPage:
    """One page of events, newest first. Dates are UK calendar days, both inclusive.

    `person` is a person's id, or a name or e-mail (matching the name recorded at the time
    or the person's current name); `area` the code of one of AREAS (a kind of change).
    Pass the first page's `snapshot` when fetching later pages: events recorded meanwhile
    then do not shift the pages.
    """
    require(ctx.actor, "audit.view")
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    where = _conditions(
        ctx.actor, campaign_id=campaign_id, person=person, since=since, until=until, area=area
    )
    with unit_of_work(ctx, read_only=True) as session:
        if snapshot is None:
            snapshot = session.exec(select(func.max(AuditEvent.id))).one() or 0
        where.append(col(AuditEvent.id) <= snapshot)
        total = session.exec(select(func.count()).select_from(AuditEvent).where(and_(*where))).one()
        # Sort the narrow columns first, then read the wide ones (JSON) for one page only.
        page_ids = (
            select(AuditEvent.id)
            .where(and_(*where))
            .order_by(*_NEWEST_FIRST)
            .offset(offset)
            .limit(limit)
            .scalar_subquery()
        )
        rows = session.exec(
            select_columns(*_COLUMNS)
            .where(col(AuditEvent.id).in_(page_ids))
            .order_by(*_NEWEST_FIRST)
        ).all()
        return AuditPage(tuple(_row(r) for r in rows), total, offset, limit, snapshot)


def audit_filters(ctx: ServiceContext) -> AuditFilters:
    """The campaigns and people to offer in the audit screen's pickers: those that appear
    in the events the person acting may read."""
    require(ctx.actor, "audit.view")
    visible = _visible(ctx.actor)
    with unit_of_work(ctx, read_only=True) as session:
        return AuditFilters(_campaign_choices(session, visible), _person_choices(session, visible))


def _campaign_choices(session: Session, visible: Any) -> tuple[CampaignChoice, ...]:
    found = session.exec(
        select(AuditEvent.campaign_id, AuditEvent.campaign_reference)
        .where(visible, col(AuditEvent.campaign_id).is_not(None))
        .distinct()
    ).all()
    references: dict[int, str] = {}
    for campaign_id, reference in found:
        assert campaign_id is not None  # the query leaves out events of no campaign
        references.setdefault(campaign_id, reference)
    if not references:
        return ()
    titles = {
        cid: (reference, title)
        for cid, reference, title in session.exec(
            select(Campaign.id, Campaign.reference, Campaign.title).where(
                col(Campaign.id).in_(list(references))
            )
        )
    }
    choices = []
    for campaign_id, recorded in references.items():
        if campaign_id in titles:
            reference, title = titles[campaign_id]
            choices.append(CampaignChoice(campaign_id, reference, f"{reference} {title}"))
        else:
            choices.append(CampaignChoice(campaign_id, recorded, f"{recorded} (deleted)"))
    return tuple(sorted(choices, key=lambda c: (c.reference.casefold(), c.id)))


def _person_choices(session: Session, visible: Any) -> tuple[PersonChoice, ...]:
    found = session.exec(
        select(AuditEvent.actor_id, AuditEvent.actor_name).where(visible).distinct()
    ).all()
    ids = {actor_id for actor_id, _name in found if actor_id is not None}
    known = {
        pid: (name, email)
        for pid, name, email in session.exec(
            select(Person.id, Person.name, Person.email).where(col(Person.id).in_(list(ids)))
        )
    }
    choices: dict[int | str, str] = {}
    for actor_id, name in found:
        if actor_id is not None:
            current, email = known.get(actor_id, (name, ""))
            choices[actor_id] = f"{current} ({email})" if email else current
        elif name not in choices:
            choices[name] = name
    return tuple(
        sorted(
            (PersonChoice(key, label) for key, label in choices.items()),
            key=lambda p: p.label.casefold(),
        )
    )


def export_audit_csv(
    ctx: ServiceContext,
    path: Path,
    *,
    campaign_id: int | None = None,
    person: int | str | None = None,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
) -> Path:
    """Every event matching the filters, newest first, as a CSV a spreadsheet opens safely
    (a value that looks like a formula is written as text); the file appears whole or not
    at all."""
    from exports.tables import write_table

    require(ctx.actor, "audit.view")
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ValidationError(
            f"Save the audit trail as a .csv file, not {path.suffix or 'no suffix'}.", "path"
        )
    where = _conditions(
        ctx.actor, campaign_id=campaign_id, person=person, since=since, until=until, area=area
    )
    with unit_of_work(ctx, read_only=True) as session:
        events = [
            _row(r)
            for r in session.exec(
                select_columns(*_COLUMNS).where(and_(*where)).order_by(*_NEWEST_FIRST)
            )
        ]
    rows = [
        (
            _iso_uk(e.occurred_at),
            e.who,
            e.action,
            e.what,
            e.campaign,
            e.changes_text,
            _json(e.before),
            _json(e.after),
        )
        for e in events
    ]
    try:
        return write_table(path, CSV_HEADERS, rows, title="Audit trail")
    except OSError as exc:  # a file where a folder should be, no room, no permission
        raise ValidationError(
            f"Recruit could not write {path}: {exc.strerror or exc}. Nothing was written.",
            "path",
        ) from None


def _json(value: dict[str, Any] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
