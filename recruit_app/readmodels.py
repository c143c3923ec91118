"""Plain read models handed to renderers and views: frozen, no database, no Qt.

Services build them inside their unit of work; exports and the interface only read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PayZone:
    zone: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class AdvertCriterionView:
    code: str
    title: str
    element: str  # ABI, BEH, STR, EXP or TEC
    essential: bool
    description: str = ""
    level: int | None = None
    level_label: str = ""  # e.g. "Level 3" or "Level 4 (Enable)"
    lead: bool = False
    weight: float = 1.0
    indicators: tuple[str, ...] = ()  # what good looks like at this level


@dataclass(frozen=True)
class StageSummary:
    name: str
    kind: str
    mode: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    criteria: tuple[str, ...] = ()  # codes of the advert criteria assessed


@dataclass(frozen=True)
class AdvertDocument:
    """Everything a candidate reads in an advert, ready to render."""

    organisation: str
    reference: str
    title: str
    grade: str = ""
    pay_zones: tuple[PayZone, ...] = ()
    allowance: str = ""
    contract_type: str = ""
    business_area: str = ""
    role_types: tuple[str, ...] = ()
    working_patterns: tuple[str, ...] = ()
    posts: int = 1
    locations: tuple[str, ...] = ()
    summary: str = ""
    job_description: str = ""
    responsibilities: str = ""
    person_specification: str = ""
    qualifications: str = ""
    benefits: str = ""
    selection_process: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    contact_name: str = ""
    contact_email: str = ""
    team_email: str = ""
    security_clearance: str = ""
    nationality_statement: str = ""
    guaranteed_interview_statement: str = ""
    reserve_list_months: int = 12
    hiring_manager: str = ""
    welcome_letter: str = ""
    about_organisation: str = ""
    how_to_apply: str = ""
    terms_and_conditions: str = ""
    offers_feedback: bool = False
    criteria: tuple[AdvertCriterionView, ...] = ()
    stages: tuple[StageSummary, ...] = ()
    status_label: str = "Draft"  # e.g. "Draft" or "Published (version 2), 23 November 2026"


def advert_document_to_dict(doc: AdvertDocument) -> dict[str, object]:
    """A JSON-ready copy (for freezing a published version)."""
    from dataclasses import asdict

    data = asdict(doc)
    for key in ("opens_at", "closes_at"):
        value = getattr(doc, key)
        data[key] = value.isoformat() if value else None
    for stage in data["stages"]:
        for key in ("starts_on", "ends_on"):
            stage[key] = stage[key].isoformat() if stage[key] else None
    return data


def advert_document_from_dict(data: Mapping[str, Any]) -> AdvertDocument:
    """The document back from its JSON copy (values as JSON has them: any shape)."""
    values = dict(data)
    for key in ("opens_at", "closes_at"):
        text = values.get(key)
        values[key] = datetime.fromisoformat(text) if isinstance(text, str) else None
    values["pay_zones"] = tuple(PayZone(**z) for z in values.get("pay_zones", ()))
    values["criteria"] = tuple(
        AdvertCriterionView(**{**c, "indicators": tuple(c["indicators"])})
        for c in values.get("criteria", ())
    )
    values["stages"] = tuple(
        StageSummary(
            **{
                **s,
                "criteria": tuple(s["criteria"]),
                "starts_on": date.fromisoformat(s["starts_on"]) if s["starts_on"] else None,
                "ends_on": date.fromisoformat(s["ends_on"]) if s["ends_on"] else None,
            }
        )
        for s in values.get("stages", ())
    )
    for key in ("role_types", "working_patterns", "locations"):
        values[key] = tuple(values.get(key, ()))
    return AdvertDocument(**values)


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # or "CHAIR", "OPT-PARTICIPANT"


@dataclass(frozen=True)
class CalendarEvent:
    """One interview (or other timed event) as calendar files carry it."""

    uid: str  # stable: re-exporting updates the event instead of duplicating it
    sequence: int  # goes up each time the event changes
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    cancelled: bool = False
    organiser: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
