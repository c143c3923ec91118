"""The advert's editable fields, and the type and size rules that block saving a value.

The same rules whoever gives the value: the advert form, a campaign file, a role template.
Content checks (a closing date in the past, wording) are findings instead: advert_rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from recruit_app.errors import ValidationError

TEXT_LIMIT = 20_000
LINE_LIMIT = 200
ZONE_NAME_LIMIT = 100
SALARY_MAX = 10_000_000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Editable advert fields: name -> (kind, limit). Kinds: str, text, email, int, bool, list,
# zones, moment.
FIELDS: dict[str, tuple[str, int]] = {
    "title": ("str", 200),
    "grade": ("str", 100),
    "pay_zones": ("zones", 10),
    "allowance": ("text", TEXT_LIMIT),
    "contract_type": ("str", 100),
    "business_area": ("str", 200),
    "role_types": ("list", 20),
    "working_patterns": ("list", 20),
    "posts": ("int", 1000),
    "locations": ("list", 50),
    "summary": ("text", TEXT_LIMIT),
    "job_description": ("text", TEXT_LIMIT),
    "responsibilities": ("text", TEXT_LIMIT),
    "person_specification": ("text", TEXT_LIMIT),
    "qualifications": ("text", TEXT_LIMIT),
    "benefits": ("text", TEXT_LIMIT),
    "selection_process": ("text", TEXT_LIMIT),
    "opens_at": ("moment", 0),
    "closes_at": ("moment", 0),
    "contact_name": ("str", 200),
    "contact_email": ("email", 320),
    "team_email": ("email", 320),
    "security_clearance": ("str", 100),
    "nationality_statement": ("text", TEXT_LIMIT),
    "guaranteed_interview_statement": ("text", TEXT_LIMIT),
    "reserve_list_months": ("int", 60),
    # The application form's word limits (0: none).
    "statement_word_limit": ("int", 5_000),
    "answer_word_limit": ("int", 2_000),
    "hiring_manager": ("str", 200),
    "welcome_letter": ("text", TEXT_LIMIT),
    "about_organisation": ("text", TEXT_LIMIT),
    "how_to_apply": ("text", TEXT_LIMIT),
    "terms_and_conditions": ("text", TEXT_LIMIT),
    "offers_feedback": ("bool", 0),
    "hearing_back": ("text", TEXT_LIMIT),
    "feedback_statement": ("text", TEXT_LIMIT),
    "adjustments_statement": ("text", TEXT_LIMIT),
    "redeployment_statement": ("text", TEXT_LIMIT),
    "expenses": ("text", TEXT_LIMIT),
    "security_statement": ("text", TEXT_LIMIT),
    "recruitment_principles": ("text", TEXT_LIMIT),
    "complaints": ("text", TEXT_LIMIT),
}


def clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Type and size checks that block saving; content checks are findings instead."""
    cleaned = {}
    for name, value in fields.items():
        spec = FIELDS.get(name)
        if spec is None:
            raise ValidationError(f"{name} is not an advert field.", name)
        cleaned[name] = clean_field(name, value, *spec)
    return cleaned


def clean_field(name: str, value: Any, kind: str, limit: int) -> Any:
    label = name.replace("_", " ")
    if kind in ("str", "text", "email"):
        if not isinstance(value, str):
            raise ValidationError(f"The {label} must be text.", name)
        value = value.strip() if kind != "text" else value.strip("\n\r ")
        if len(value) > limit:
            raise ValidationError(
                f"The {label} is {len(value):,} characters long; keep it to {limit:,} or fewer.",
                name,
            )
        if "\x00" in value:
            raise ValidationError(f"The {label} contains a NUL character.", name)
        if kind == "email" and value and not EMAIL.match(value):
            raise ValidationError(f"{value!r} does not look like an e-mail address.", name)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(f"The {label} must be yes or no.", name)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise ValidationError(f"The {label} must be a whole number from 0 to {limit}.", name)
        return value
    if kind == "list":
        if not isinstance(value, list | tuple) or len(value) > limit:
            raise ValidationError(f"Give at most {limit} {label}.", name)
        if not all(isinstance(v, str) for v in value):
            raise ValidationError(f"Each of the {label} must be text.", name)
        items = [v.strip() for v in value if v.strip()]
        if any(len(v) > LINE_LIMIT for v in items):
            raise ValidationError(
                f"Each of the {label} must be {LINE_LIMIT} characters or fewer.", name
            )
        if any("\x00" in v for v in items):
            raise ValidationError(f"The {label} contain a NUL character.", name)
        return items
    if kind == "zones":
        return _clean_zones(value, limit)
    if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
        raise ValidationError(f"The {label} must be a date and time with its time zone.", name)
    if value is not None:
        try:
            value.astimezone(UTC)  # how it is stored; at the ends of the calendar it overflows
        except OverflowError:
            raise ValidationError(f"The {label} is out of range.", name) from None
    return value


def _clean_zones(value: Any, limit: int) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or len(value) > limit:
        raise ValidationError(f"Give at most {limit} pay zones.", "pay_zones")
    zones = []
    for zone in value:
        if not isinstance(zone, Mapping) or not isinstance(zone.get("zone", ""), str):
            raise ValidationError(
                "Give each pay zone a name and its salaries from and to.", "pay_zones"
            )
        name = zone.get("zone", "").strip()
        low, high = zone.get("min"), zone.get("max")
        for amount in (low, high):
            if (
                isinstance(amount, bool)
                or not isinstance(amount, int)
                or not 0 <= amount <= SALARY_MAX
            ):
                raise ValidationError(
                    f"Salaries must be whole pounds from £0 to £10,000,000 ({name or 'a zone'}).",
                    "pay_zones",
                )
        zones.append({"zone": name[:ZONE_NAME_LIMIT], "min": low, "max": high})
    return zones
